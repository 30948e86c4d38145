"""TASK_BACKEND=database: two `shegong db_worker` processes on one queue never run a task twice
(django_tasks_db claims a row with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite
the IMMEDIATE write lock serializes the claims). Each run is on its own scratch database."""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import dj_database_url
import pytest
from django_tasks import task

ROOT = Path(__file__).resolve().parent.parent
N = 40


@task()
def record_run(n):
    """The test task: one line per run, in the file the test names."""
    time.sleep(0.05)  # long enough that both workers are busy at once
    with open(os.environ["SHEGONG_TEST_RUNS"], "a") as f:
        f.write(f"{n} {os.getpid()}\n")


def _postgres_base():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres:///sg_b"


@pytest.fixture(params=["sqlite", "postgres"])
def scratch_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    import psycopg

    base = dj_database_url.parse(_postgres_base())
    name = f"sg_b_workers_{uuid.uuid4().hex[:10]}"
    params = {
        k: v
        for k, v in {
            "host": base.get("HOST"),
            "port": base.get("PORT"),
            "user": base.get("USER"),
            "password": base.get("PASSWORD"),
        }.items()
        if v
    }
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **params)
    except psycopg.Error as e:
        pytest.skip(f"PostgreSQL not reachable for a scratch database: {e}")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _postgres_base().rsplit("/", 1)[0] + "/" + name
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_two_workers_on_one_queue_run_every_task_exactly_once(scratch_db, tmp_path):
    runs = tmp_path / "runs.txt"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DATABASE_REPLICA_URLS")},
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "DATABASE_URL": scratch_db,
        "TASK_BACKEND": "database",
        "SHEGONG_TEST_RUNS": str(runs),
        "SHEGONG_VAR_DIR": str(tmp_path / "var"),
    }
    shegong = [sys.executable, "-m", "shegong.manage"]
    subprocess.run([*shegong, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from tests.test_workers import N, record_run\n"
            "for n in range(N): record_run.enqueue(n)",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    workers = [
        subprocess.Popen(
            [*shegong, "db_worker", "--batch", "--no-startup-delay", "--worker-id", name],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("worker-a", "worker-b")
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]

    lines = [line.split() for line in runs.read_text().splitlines()]
    per_task = Counter(int(n) for n, _ in lines)
    assert sorted(per_task) == list(range(N))
    assert set(per_task.values()) == {1}, "a task ran more than once"
    per_worker = Counter(pid for _, pid in lines)
    assert len(per_worker) == 2, f"both workers should have taken tasks: {per_worker}"
