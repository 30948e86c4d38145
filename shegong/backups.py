"""Backup and restore: one consistent snapshot of the database and the media files, and its check.

`shegong backup DIR` and `shegong restore DIR` call `backup()` and `restore()` (docs/deploy.md §4).
A backup folder holds the database (db.sqlite3 or db.dump), media/ and manifest.json, written last:
a folder without a manifest is not a backup.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shegong.audit import chain

MANIFEST = "manifest.json"
MEDIA = "media"
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}


class BackupError(Exception):
    """A refusal or a failure; the message is Chinese, for the operator."""


# ---------------------------------------------------------------- backup


def backup(parent):
    """Write a snapshot into `parent` (if empty) or a new timestamped folder under it.

    Returns (folder, manifest). On any failure the folder is removed again.
    """
    if connection.vendor not in DB_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
    if connection.in_atomic_block:
        raise BackupError("备份须在事务之外运行。")
    folder, created = _new_folder(Path(parent))
    try:
        db_path = folder / DB_FILES[connection.vendor]
        if connection.vendor == "sqlite":
            database, tables, head = _dump_sqlite(db_path)
        else:
            database, tables, head = _dump_postgresql(db_path)
        db_path.chmod(0o600)  # names and phone numbers: readable by the service account only
        database.update(file=db_path.name, size=db_path.stat().st_size, sha256=sha256(db_path))
        media = _copy_media(Path(settings.MEDIA_ROOT), folder / MEDIA)
        manifest = {
            "format": 1,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "shegong_version": _version(),
            "git_commit": _git_commit(),
            "database": database,
            "tables": tables,
            "media": media,
            "audit_chain": head,
        }
        partial = folder / (MANIFEST + ".partial")
        partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, folder / MANIFEST)
    except BaseException:
        _remove(folder, created)
        raise
    return folder, manifest


def _new_folder(parent):
    if not parent.exists() or (parent.is_dir() and not any(parent.iterdir())):
        parent.mkdir(parents=True, exist_ok=True)
        return parent, False
    if not parent.is_dir():
        raise BackupError(f"{parent} 不是目录。")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        folder = parent / (f"shegong-{stamp}" + (f"-{n}" if n else ""))
        try:
            folder.mkdir(mode=0o700)
            return folder, True
        except FileExistsError:
            continue
    raise BackupError(f"无法在 {parent} 下新建备份目录。")


def _remove(folder, created):
    # The folder was new or empty before the backup started: nothing of the operator's is lost.
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _dump_sqlite(path):
    """Copy the live file with SQLite's online backup API, inside one read transaction.

    The chain head is read in the same transaction, so it describes exactly the copied data;
    in WAL mode writers carry on meanwhile. The row counts come from the copy itself.
    """
    connection.ensure_connection()
    live = connection.connection
    live.execute("BEGIN")  # deferred: a read snapshot, no write lock
    try:
        head = chain_head()
        copy = sqlite3.connect(path, isolation_level=None)
        try:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
    finally:
        live.execute("ROLLBACK")
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        tables = {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in model_tables()
            if table in existing
        }
    finally:
        copy.close()
    return {"vendor": "sqlite", "sqlite_version": sqlite3.sqlite_version}, tables, head


def _dump_postgresql(path):
    """pg_dump from a snapshot exported by a REPEATABLE READ transaction that also takes the
    row counts and the chain head: dump, counts and head see the same data."""
    pg_dump = _pg_tool("pg_dump")
    with connection.cursor():
        pass  # connect (and health-check) before the snapshot transaction begins
    server = connection.pg_version // 10000
    client = _tool_major(pg_dump)
    if client < server:
        raise BackupError(
            f"pg_dump 版本为 {client}，低于数据库服务器版本 {server}，无法备份。"
            f"请安装 PostgreSQL {server} 或更新版本的客户端（postgresql-client-{server}）。"
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _count_rows(cursor)
        head = chain_head()
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}", *_pg_args()],
            "pg_dump",
        )
    database = {"vendor": "postgresql", "server_version": server, "pg_dump_version": client}
    return database, tables, head


def _copy_media(source, target):
    """Copy every file under MEDIA_ROOT, hashing the bytes as they are written."""
    files = []
    if not source.is_dir():
        return files
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with path.open("rb") as src, dest.open("wb") as out:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        shutil.copystat(path, dest)
        files.append({"path": name, "size": dest.stat().st_size, "sha256": digest.hexdigest()})
    return files


# ---------------------------------------------------------------- restore


def restore(folder):
    """Restore the backup in `folder` into the empty database and media directory of the
    settings, then check it. Returns (manifest, problems); no problems means verified."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor} 数据库，当前配置的是 {connection.vendor}，无法恢复。")
    source = folder / manifest["database"]["file"]
    if not source.is_file() or sha256(source) != manifest["database"]["sha256"]:
        raise BackupError(
            f"数据库备份文件 {source} 缺失、已损坏或被改动（哈希与 manifest.json 不符）。"
        )
    _refuse_unless_empty()
    if vendor == "sqlite":
        _restore_sqlite(source)
    else:
        _restore_postgresql(source, manifest)
    media_root = Path(settings.MEDIA_ROOT)
    for item in manifest["media"]:
        src, dest = folder / MEDIA / item["path"], media_root / item["path"]
        if src.is_file():  # a missing one is reported by verify()
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    return manifest, verify(manifest)


def read_manifest(folder):
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 中没有 {MANIFEST}：不是备份目录，或备份没有完成。")
    return json.loads(path.read_text(encoding="utf-8"))


def _refuse_unless_empty():
    found = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, existing)
    full = [f"{table}（{n} 行）" for table, n in counts.items() if n]
    if full:
        more = f" 等 {len(full)} 张表" if len(full) > 5 else ""
        found.append("数据库中有数据的表：" + "、".join(full[:5]) + more)
    elif existing and connection.vendor == "postgresql":
        # pg_restore creates every table itself and stops at the first one that exists.
        found.append("数据库中已有数据表（是否已运行 migrate？）")
    media_root = Path(settings.MEDIA_ROOT)
    files = sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else 0
    if files:
        found.append(f"媒体目录 {media_root} 中已有 {files} 个文件")
    if found:
        name = settings.DATABASES["default"]["NAME"]
        raise BackupError(
            f"目标不是空的，拒绝恢复（数据库 {name}）：" + "；".join(found) + "。"
            "请恢复到新建的空数据库和空的媒体目录。"
        )


def _restore_sqlite(source):
    connection.close()
    target = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        # The backup API cannot change the page size of a database in WAL mode.
        target.execute("PRAGMA journal_mode=DELETE")
        backup_file.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        backup_file.close()
        target.close()


def _restore_postgresql(source, manifest):
    pg_restore = _pg_tool("pg_restore")
    made_by = manifest["database"].get("pg_dump_version", 0)
    if _tool_major(pg_restore) < made_by:
        raise BackupError(
            f"pg_restore 版本低于生成备份的 pg_dump（{made_by}），无法读取该备份文件。"
        )
    connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",  # a failed restore leaves the database empty
            *_pg_args(),
            str(source),
        ],
        "pg_restore",
    )


# ---------------------------------------------------------------- checks


def verify(manifest):
    """Compare the current database and media with a manifest; return a list of problems."""
    problems = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, existing)
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            got = "缺少该表" if table not in counts else f"{counts[table]} 行"
            problems.append(f"表 {table}：备份清单 {expected} 行，恢复后 {got}")
    media_root = Path(settings.MEDIA_ROOT)
    for item in manifest["media"]:
        path = media_root / item["path"]
        if not path.is_file():
            problems.append(f"缺少媒体文件 {item['path']}")
        elif sha256(path) != item["sha256"]:
            problems.append(f"媒体文件 {item['path']} 的 SHA-256 与备份清单不符")
    problems += _verify_chain(manifest["audit_chain"])
    return problems


def _verify_chain(expected_head):
    """The restored audit log must verify link by link and end where the backup's did."""
    result = chain.verify()
    if not result.ok:
        return [result.message()]
    if chain_head() != expected_head:
        return [f"审计链头 {chain_head()} 与备份清单 {expected_head} 不一致"]
    return []


def chain_head():
    """The newest event of the audit hash chain (shegong.audit.chain), as JSON data."""
    seq, hash_ = chain.head()
    return {"seq": seq, "hash": hash_}


def pending_migrations():
    """Migrations of the running code not yet applied to the restored database."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def model_tables():
    """The tables of every installed app's concrete models, many-to-many tables included."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.add(meta.db_table)
    return sorted(tables)


def _count_rows(cursor, existing=None):
    quote = connection.ops.quote_name
    if existing is None:
        existing = set(connection.introspection.table_names(cursor))
    counts = {}
    for table in model_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- PostgreSQL tools


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}：请安装与数据库服务器同版本的 PostgreSQL 客户端"
            f"（Debian/Ubuntu：apt install postgresql-client）。"
        )
    return path


def _tool_major(path):
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\)\s*(\d+)", out)
    if not match:
        raise BackupError(f"无法识别 {path} 的版本：{out.strip()}")
    return int(match.group(1))


def _pg_args():
    db = settings.DATABASES["default"]
    args = [f"--dbname={db['NAME']}", "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{option}={db[key]}")
    return args


def _run(command, name):
    # The password goes through the environment, never on the command line (ps shows it).
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{name} 失败（退出码 {done.returncode}）：{done.stderr.strip()}")


def _version():
    try:
        return metadata.version("shegong")
    except metadata.PackageNotFoundError:
        return None


def _git_commit():
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
