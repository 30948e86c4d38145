"""`shegong backup` and `shegong restore` as an operator runs them: separate processes, each
configured by its environment, on a real SQLite file or a scratch PostgreSQL database.

Each suite run tests its own engine: SQLite without DATABASE_URL, PostgreSQL with it.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shegong import backups

SHEGONG = Path(sys.executable).parent / "shegong"
SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith(("postgres://", "postgresql://"))
NOTICE_PDF = "notices/2026/关于开展社会工作宣传周活动的通知.pdf"

ENGINES = [
    pytest.param(
        "sqlite",
        marks=pytest.mark.skipif(ON_POSTGRES, reason="the run without DATABASE_URL tests SQLite"),
    ),
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL is not PostgreSQL"),
    ),
]


class Site:
    """One installation: a database (a new SQLite file or a new PostgreSQL database) and a
    media directory, driven through the `shegong` command with its own environment."""

    def __init__(self, engine, root):
        self.engine, self.root = engine, root
        self.media = root / "media"
        if engine == "sqlite":
            self.url = f"sqlite:///{root / 'shegong.sqlite3'}"
        else:
            # The suite's base name (sg_c, test_…) plus a unique suffix; dropped by drop().
            self.dbname = f"{urlsplit(SUITE_URL).path.lstrip('/')}_bk_{uuid.uuid4().hex[:8]}"
            self.url = urlsplit(SUITE_URL)._replace(path="/" + self.dbname).geturl()
            with _server() as server:
                server.execute(f'CREATE DATABASE "{self.dbname}"')

    def shegong(self, *args, env=None):
        environ = {
            **os.environ,
            "DATABASE_URL": self.url,
            "SHEGONG_VAR_DIR": str(self.root / "var"),
            "MEDIA_ROOT": str(self.media),
            **(env or {}),
        }
        return subprocess.run(
            [SHEGONG, *args], env=environ, capture_output=True, text=True, timeout=300
        )

    def rows(self, sql):
        if self.engine == "sqlite":
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()

    def counts(self, tables):
        return {table: self.rows(f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in tables}

    def files(self):
        return {
            p.relative_to(self.media).as_posix(): p.read_bytes()
            for p in self.media.rglob("*")
            if p.is_file()
        }

    def drop(self):
        if self.engine == "postgresql":
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


def _server():
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(SUITE_URL, dbname="postgres"), autocommit=True)


@pytest.fixture(scope="module", params=ENGINES)
def new_site(request, tmp_path_factory):
    """Makes empty installations of the engine under test; drops their databases at the end."""
    made = []

    def make():
        made.append(Site(request.param, tmp_path_factory.mktemp("site")))
        return made[-1]

    yield make
    for site in made:
        site.drop()


@pytest.fixture(scope="module")
def demo(new_site, tmp_path_factory):
    """The demo data of `make run` with a notice attachment, and one backup of it."""
    site = new_site()
    for args in (["migrate", "--no-input"], ["seed-demo", "--quiet"]):
        done = site.shegong(*args)
        assert done.returncode == 0, done.stderr
    attachment = site.media / NOTICE_PDF
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes("%PDF-1.4\n% 社会工作宣传周\n%%EOF\n".encode())
    site.backup_root = tmp_path_factory.mktemp("backups")
    done = site.shegong("backup", str(site.backup_root))
    assert done.returncode == 0, done.stderr
    site.backup_output = done.stdout
    return site


def restore(site, folder):
    return site.shegong("restore", str(folder))


def tampered(demo, tmp_path, change):
    folder = tmp_path / "backup"
    shutil.copytree(demo.backup_root, folder)
    change(folder)
    return folder


def test_backup_writes_database_media_and_a_manifest_counted_from_the_snapshot(demo):
    manifest = json.loads((demo.backup_root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == demo.engine
    assert (demo.backup_root / manifest["database"]["file"]).is_file()
    assert manifest["tables"] == demo.counts(manifest["tables"])
    assert set(manifest["tables"]) == set(backups.model_tables())
    assert manifest["tables"]["orgs_orgunit"] > 50
    assert manifest["tables"]["audit_auditevent"] > 0
    media = {item["path"]: item for item in manifest["media"]}
    assert set(media) == set(demo.files())
    assert media[NOTICE_PDF]["size"] == len(demo.files()[NOTICE_PDF])
    assert media[NOTICE_PDF]["sha256"] == backups.sha256(demo.media / NOTICE_PDF)
    assert manifest["audit_chain"]
    assert "备份完成" in demo.backup_output and "张表" in demo.backup_output


def test_restore_into_a_fresh_database_gives_the_same_rows_files_and_chain(demo, new_site):
    site = new_site()
    done = restore(site, demo.backup_root)
    assert done.returncode == 0, done.stderr
    assert "核对通过" in done.stdout

    manifest = json.loads((demo.backup_root / "manifest.json").read_text(encoding="utf-8"))
    tables = list(manifest["tables"])
    assert site.counts(tables) == demo.counts(tables) == manifest["tables"]
    for table in ("orgs_orgunit", "activities_activity", "accounts_user", "audit_auditevent"):
        assert site.rows(f"SELECT * FROM {table} ORDER BY id") == demo.rows(
            f"SELECT * FROM {table} ORDER BY id"
        )
    assert ("广州市民政局",) in site.rows("SELECT name FROM orgs_orgunit")
    assert ("独居老人防诈骗主题讲座",) in site.rows("SELECT name FROM activities_activity")
    assert site.files() == demo.files()
    assert NOTICE_PDF in site.files()

    # The restored site works through the ORM, and its audit log verifies on its own.
    probe = (
        "from shegong.orgs.models import OrgUnit as U; print(U.objects.get(code='440100000000'))"
    )
    done = site.shegong("shell", "-c", probe)
    assert done.returncode == 0, done.stderr
    assert "广州市民政局" in done.stdout
    done = site.shegong("verify-audit")
    assert done.returncode == 0, done.stderr
    assert f"最新为第 {manifest['audit_chain']['seq']} 号" in done.stdout
    assert manifest["audit_chain"]["seq"] == manifest["tables"]["audit_auditevent"]


def test_restore_refuses_a_database_that_is_not_empty(demo):
    before = demo.counts(["orgs_orgunit", "activities_activity"])
    done = restore(demo, demo.backup_root)
    assert done.returncode == 1
    assert "不是空的" in done.stderr
    assert "数据库中有数据的表：accounts_user（" in done.stderr
    assert f"媒体目录 {demo.media}" in done.stderr
    assert demo.counts(["orgs_orgunit", "activities_activity"]) == before


def test_restore_refuses_a_media_directory_that_is_not_empty(demo, new_site):
    site = new_site()
    (site.media / "left-over.jpg").parent.mkdir(parents=True)
    (site.media / "left-over.jpg").write_bytes(b"\xff\xd8\xff")
    done = restore(site, demo.backup_root)
    assert done.returncode == 1
    assert f"媒体目录 {site.media} 中已有 1 个文件" in done.stderr
    assert "有数据的表" not in done.stderr


def test_restore_reports_a_table_whose_count_differs_from_the_manifest(demo, new_site, tmp_path):
    def add_a_unit(folder):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["tables"]["orgs_orgunit"] += 1
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    done = restore(new_site(), tampered(demo, tmp_path, add_a_unit))
    assert done.returncode == 1
    assert "核对未通过" in done.stderr
    assert "表 orgs_orgunit" in done.stderr


def test_restore_reports_a_changed_media_file(demo, new_site, tmp_path):
    def change_the_attachment(folder):
        (folder / "media" / NOTICE_PDF).write_bytes(b"%PDF-1.4\n% changed\n%%EOF\n")

    done = restore(new_site(), tampered(demo, tmp_path, change_the_attachment))
    assert done.returncode == 1
    assert f"媒体文件 {NOTICE_PDF} 的 SHA-256 与备份清单不符" in done.stderr


def test_restore_reports_an_audit_event_changed_inside_the_backup(demo, new_site, tmp_path):
    if demo.engine != "sqlite":
        pytest.skip("a pg_dump archive cannot be edited in place; the SQLite run covers this")

    def edit_an_event(folder):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        db_file = folder / manifest["database"]["file"]
        db = sqlite3.connect(db_file)
        db.execute("DROP TRIGGER audit_auditevent_no_update")
        db.execute("UPDATE audit_auditevent SET object_repr = object_repr || '改' WHERE seq = 3")
        db.commit()
        db.close()
        # Whoever edits the file can fix its hash in the manifest too: the chain still tells.
        manifest["database"]["sha256"] = backups.sha256(db_file)
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    done = restore(new_site(), tampered(demo, tmp_path, edit_an_event))
    assert done.returncode == 1
    assert "审计日志校验未通过：第 3 号事件" in done.stderr


def test_restore_refuses_a_changed_database_file_before_touching_the_target(
    demo, new_site, tmp_path
):
    def flip_a_byte(folder):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        with open(folder / manifest["database"]["file"], "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 1]))

    site = new_site()
    done = restore(site, tampered(demo, tmp_path, flip_a_byte))
    assert done.returncode == 1
    assert "已损坏或被改动" in done.stderr
    assert site.files() == {}


def test_restore_refuses_a_folder_without_manifest(demo, new_site, tmp_path):
    folder = tampered(demo, tmp_path, lambda folder: (folder / "manifest.json").unlink())
    done = restore(new_site(), folder)
    assert done.returncode == 1
    assert "没有 manifest.json" in done.stderr


def test_a_backup_into_a_used_folder_goes_into_its_own_timestamped_folder(demo, tmp_path):
    (tmp_path / "last-week").mkdir()
    done = demo.shegong("backup", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (folder,) = tmp_path.glob("shegong-*")
    assert (folder / "manifest.json").is_file()
    assert str(folder) in done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_nothing_behind(tmp_path, monkeypatch):
    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_copy_media", disk_full)
    (tmp_path / "last-week").mkdir()
    with pytest.raises(OSError):
        backups.backup(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["last-week"]


@pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL is not PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_write_during_the_backup_is_in_neither_the_dump_nor_the_counts(tmp_path, monkeypatch):
    from django.db import connections

    read_head = backups.chain_head

    def head_then_a_colleague_writes():
        head = read_head()
        other = connections.create_connection("default")  # another session, autocommit
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO auth_group (name) VALUES ('备份期间新建')")
        other.close()
        return head

    monkeypatch.setattr(backups, "chain_head", head_then_a_colleague_writes)
    folder, manifest = backups.backup(tmp_path)

    assert manifest["tables"]["auth_group"] == 0
    data = subprocess.run(
        ["pg_restore", "--data-only", "--table=auth_group", "--file=-", folder / "db.dump"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "COPY public.auth_group" in data and "备份期间新建" not in data
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="备份期间新建").exists()


@pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL is not PostgreSQL")
@pytest.mark.parametrize(
    ("pg_dump", "message"),
    [(None, "找不到 pg_dump"), ("9.6.24", "低于数据库服务器版本")],
    ids=["missing", "too-old"],
)
def test_backup_refuses_without_a_new_enough_pg_dump(demo, tmp_path, pg_dump, message):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if pg_dump:
        fake = bin_dir / "pg_dump"
        fake.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {pg_dump}'\n")
        fake.chmod(0o755)
    target = tmp_path / "backup"
    done = demo.shegong("backup", str(target), env={"PATH": str(bin_dir)})
    assert done.returncode == 1
    assert message in done.stderr
    assert not any(target.iterdir())
