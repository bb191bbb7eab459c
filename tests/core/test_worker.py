"""Real workers killed with SIGKILL in the middle of a job: the next worker's heartbeat finds the
job stale, queues it again and runs it; after the last allowed start the job is marked failed.
`atclusters db_worker` processes on a private copy of the test database (SQLite)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db  # for the test database that `database` copies


@pytest.fixture
def database(tmp_path, django_db_blocker) -> Path:
    """A migrated SQLite database of the test's own: a copy of the test database, or, when the
    tests run on PostgreSQL, a freshly migrated one."""
    path = tmp_path / "jobs.sqlite3"
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            source = sqlite3.connect(connection.settings_dict["NAME"])
        with sqlite3.connect(path) as target:
            source.backup(target)
        source.close()
    else:
        atclusters(path, "migrate", "-v0").check_returncode()
    return path


def environment(database: Path, **settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "atclusters.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TASKS_HEARTBEAT_SECONDS": "0.5",
        "TASKS_LEASE_SECONDS": "2",
        **settings,
    }


def atclusters(database: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "atclusters", *arguments],
        cwd=REPOSITORY,
        env=environment(database),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def worker(database, tmp_path):
    started: list[subprocess.Popen] = []

    def start(worker_id: str, **settings: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "atclusters", "db_worker", "--no-reload"),
                *("--worker-id", worker_id, "--interval", "0.1", "--no-startup-delay"),
            ],
            cwd=REPOSITORY,
            env=environment(database, **settings),
            stdout=(tmp_path / f"{worker_id}.out").open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def enqueue(database: Path, hold: Path, log: Path) -> None:
    hold.touch()
    code = (
        "from tests.core.held_jobs import held_job; "
        f"held_job.enqueue(hold={str(hold)!r}, log={str(log)!r})"
    )
    atclusters(database, "shell", "-c", code).check_returncode()


def jobs(database: Path) -> list[tuple[str, list[str], str]]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT status, worker_ids, traceback FROM django_tasks_database_dbtaskresult "
            "ORDER BY enqueued_at"
        ).fetchall()
    return [(status, json.loads(workers), error) for status, workers, error in rows]


def heartbeats(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT worker_id FROM core_workerheartbeat")]


def until(condition: Callable[[], bool], describe: Callable[[], object], seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, describe()
        time.sleep(0.1)


def test_a_killed_workers_job_runs_again_and_fails_after_its_last_start(database, worker, tmp_path):
    hold, log = tmp_path / "job.hold", tmp_path / "job.log"
    enqueue(database, hold, log)
    a = worker("A")
    until(lambda: jobs(database)[0][:2] == ("RUNNING", ["A"]), lambda: jobs(database))
    until(lambda: log.exists(), lambda: "the job never started")
    a.send_signal(signal.SIGKILL)
    a.wait()

    # The next worker's heartbeat finds A's job stale, queues it again and runs it.
    b = worker("B", TASKS_MAX_ATTEMPTS="2")
    until(lambda: jobs(database)[0][:2] == ("RUNNING", ["A", "B"]), lambda: jobs(database))
    until(lambda: log.read_text() == "started\nstarted\n", lambda: log.read_text())
    b.send_signal(signal.SIGKILL)
    b.wait()

    # Killed again on its last allowed start (TASKS_MAX_ATTEMPTS): marked failed.
    c = worker("C", TASKS_MAX_ATTEMPTS="2")
    until(lambda: jobs(database)[0][0] == "FAILED", lambda: jobs(database))
    assert jobs(database) == [
        (
            "FAILED",
            ["A", "B"],
            "atclusters.core.services.WorkerLost: worker B stopped while running this job, "
            "attempt 2 of 2\n",
        )
    ]
    assert log.read_text() == "started\nstarted\n"
    until(lambda: heartbeats(database) == ["C"], lambda: heartbeats(database))

    # A worker told to stop leaves cleanly, and says so.
    c.send_signal(signal.SIGTERM)
    assert c.wait(timeout=30) == 0
    assert heartbeats(database) == []
