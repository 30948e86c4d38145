"""Against a real PostgreSQL primary and streaming replica built in a temporary folder: a
dashboard's reads run on the replica, writes land on the primary only, and a user who has
just written reads from the primary even while the replica has not replayed the write.

The cluster is our own (its own folder, loopback ports and socket folder); the machine's
own PostgreSQL server is never touched. Takes some 20-40 s."""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bin_dir():
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(f"{found}/{t}", os.X_OK) for t in ("initdb", "pg_ctl", "pg_basebackup")):
            return found
    paths = [shutil.which(t) for t in ("initdb", "pg_ctl", "pg_basebackup")]
    if all(paths) and len({os.path.dirname(os.path.realpath(p)) for p in paths}) == 1:
        return os.path.dirname(os.path.realpath(paths[0]))
    return None


BIN = _bin_dir()
pytestmark = [
    pytest.mark.skipif(BIN is None, reason="PostgreSQL server tools (initdb, pg_ctl) absent"),
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("runuser") is None,
        reason="needs root to run the servers as the postgres OS user",
    ),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def cluster():
    """A primary on one loopback port and its streaming hot standby on another."""
    base = Path(tempfile.mkdtemp(prefix="shegong-replica-"))
    shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    p1, p2 = free_port(), free_port()
    started = []

    def stop():
        for data in reversed(started):
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    f"{BIN}/pg_ctl",
                    "-D",
                    data,
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
            )
        shutil.rmtree(base, ignore_errors=True)

    try:
        as_postgres(
            f"{BIN}/initdb",
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {p1}\n"
                f"unix_socket_directories = '{base}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                "fsync = off\nmax_connections = 40\nshared_buffers = 32MB\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n")
        as_postgres(
            f"{BIN}/pg_ctl",
            "-D",
            str(primary),
            "-l",
            str(base / "primary.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        started.append(str(primary))
        as_postgres(
            f"{BIN}/psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(p1),
            "-U",
            "postgres",
            "-c",
            "CREATE DATABASE sg",
        )
        as_postgres(
            f"{BIN}/pg_basebackup",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "-h",
            "127.0.0.1",
            "-p",
            str(p1),
            "-U",
            "postgres",
        )
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {p2}\nhot_standby = on\n")
        as_postgres(
            f"{BIN}/pg_ctl",
            "-D",
            str(replica),
            "-l",
            str(base / "replica.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        started.append(str(replica))
    except BaseException:
        stop()
        raise
    yield {
        "primary": f"postgres://postgres@127.0.0.1:{p1}/sg",
        "replica": f"postgres://postgres@127.0.0.1:{p2}/sg",
        "base": base,
    }
    stop()


SCRIPT = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["SHEGONG_ROOT"])
import django
django.setup()
from django.db import connections
from django.test import Client
from shegong.portal.models import StationPage
from tests.factories import make_world

facts = {}


def one(alias, sql, params=()):
    with connections[alias].cursor() as c:
        c.execute(sql, params)
        return c.fetchone()[0]


def caught_up():
    target = one("default", "SELECT pg_current_wal_lsn()::text")
    for _ in range(400):
        if one("replica1", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
            return
        time.sleep(0.05)
    raise SystemExit("the replica did not catch up")


log = []


def recorder(alias):
    def wrapper(execute, sql, params, many, context):
        log.append((alias, sql.split()[0].upper(), sql))
        return execute(sql, params, many, context)
    return wrapper


w = make_world()
caught_up()
for alias in ("default", "replica1"):
    connections[alias].execute_wrappers.append(recorder(alias))  # for the whole run

# 1. A dashboard: the view's reads run on the replica.
worker = Client()
worker.force_login(w.station_worker)
log.clear()
response = worker.get("/dashboard/")
facts["dashboard_status"] = response.status_code
facts["dashboard_replica_verbs"] = sorted({v for a, v, _ in log if a == "replica1"})
facts["dashboard_replica_reads_notices"] = any(
    a == "replica1" and "campaigns_notice" in s for a, _, s in log)
facts["dashboard_primary_reads_notices"] = any(
    a == "default" and "campaigns_notice" in s for a, _, s in log)

# 2. The replica stops replaying: a write is on the primary and not (yet) on the replica.
one("replica1", "SELECT pg_wal_replay_pause()::text")
for _ in range(100):
    if one("replica1", "SELECT pg_get_wal_replay_pause_state()") == "paused":
        break
    time.sleep(0.05)
page = {
    "place_name": "西脑包街道社会工作服务站", "address": "宏源社区党群服务中心二楼",
    "hours": "周一至周五", "contact": "0472-4171234", "services": "为老年人提供服务。",
    "service_list": "老年人关爱服务", "staff": "张敏", "process": "来访登记",
    "is_public": "on",
}
log.clear()
response = worker.post("/portal/stations/mine/", page)
facts["write_status"] = response.status_code
facts["write_verbs_by_alias"] = {
    alias: sorted({v for a, v, _ in log if a == alias}) for alias in ("default", "replica1")
}
facts["write_on_primary"] = StationPage.objects.using("default").filter(unit=w.station).exists()
facts["write_on_replica"] = StationPage.objects.using("replica1").filter(unit=w.station).exists()
facts["pinned_for"] = worker.session["pin_primary_until"] - time.time()

# 3. The writer's next read (a replica-eligible page) comes from the primary: they see it.
code = w.station.code
log.clear()
response = worker.get(f"/portal/stations/{code}/")
facts["writer_status"] = response.status_code
facts["writer_sees_write"] = "0472-4171234" in response.content.decode()
facts["writer_replica_queries"] = sum(1 for a, _, _ in log if a == "replica1")

# 4. Somebody else, not pinned, reads the paused replica: not there yet.
log.clear()
response = Client().get(f"/portal/stations/{code}/")
facts["other_status_while_paused"] = response.status_code
facts["other_replica_queries"] = sum(1 for a, _, _ in log if a == "replica1")

# 5. Replay resumes: everybody sees it.
one("replica1", "SELECT pg_wal_replay_resume()::text")
caught_up()
facts["other_status_after_replay"] = Client().get(f"/portal/stations/{code}/").status_code
print("FACTS " + json.dumps(facts))
"""


def test_dashboard_reads_on_the_replica_and_the_writer_reads_their_own_write(cluster):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "TASK_BACKEND")},
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "DATABASE_URL": cluster["primary"],
        "DATABASE_REPLICA_URLS": cluster["replica"],
        "REPLICA_PIN_SECONDS": "30",
        "ALLOWED_HOSTS": "testserver",
        "OTP_REQUIRED": "false",
        "SHEGONG_ROOT": str(ROOT),
        "MEDIA_ROOT": str(cluster["base"] / "media"),
    }
    shegong = [sys.executable, "-m", "shegong.manage"]
    subprocess.run(
        [*shegong, "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    script = cluster["base"] / "replica_script.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("FACTS "))
    facts = json.loads(line.removeprefix("FACTS "))

    assert facts["dashboard_status"] == 200
    assert facts["dashboard_replica_verbs"] == ["SELECT"]
    assert facts["dashboard_replica_reads_notices"]
    assert not facts["dashboard_primary_reads_notices"]

    assert facts["write_status"] == 302
    assert facts["write_verbs_by_alias"]["replica1"] in ([], ["SELECT"])
    assert {"INSERT", "UPDATE"} & set(facts["write_verbs_by_alias"]["default"])
    assert facts["write_on_primary"] and not facts["write_on_replica"]
    assert 25 < facts["pinned_for"] <= 30

    assert facts["writer_status"] == 200 and facts["writer_sees_write"]
    assert facts["writer_replica_queries"] == 0

    assert facts["other_status_while_paused"] == 404
    assert facts["other_replica_queries"] > 0
    assert facts["other_status_after_replay"] == 200
