"""When the scheduler queues a periodic job: daily jobs once a day from their hour, sub-daily
ones once in every interval of so many minutes (core.domains.PeriodicJob.slot), and each once per
period however many schedulers run: two real scheduler processes racing on one database."""

import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from atclusters.core import services
from atclusters.core.domains import PeriodicJob, periodic_jobs
from atclusters.core.models import PeriodicRun
from tests.core.test_worker import REPOSITORY, database, environment  # noqa: F401 (fixture)

MORNING = datetime(2026, 12, 7, 4, 30)


def test_a_daily_job_once_a_day_from_its_hour():
    job = PeriodicJob("x.tasks.daily", 5)
    assert job.slot(MORNING) is None  # before its hour
    assert job.slot(MORNING + timedelta(hours=1)) == "2026-12-07"
    assert job.slot(MORNING + timedelta(hours=9)) == "2026-12-07"
    assert job.slot(MORNING + timedelta(days=1, hours=1)) == "2026-12-08"


def test_a_sub_daily_job_every_so_many_minutes_at_any_hour():
    job = PeriodicJob("x.tasks.often", 0, every_minutes=15)
    assert job.slot(MORNING) == "2026-12-07+270m"  # 04:30
    assert job.slot(MORNING + timedelta(minutes=14)) == "2026-12-07+270m"
    assert job.slot(MORNING + timedelta(minutes=15)) == "2026-12-07+285m"


@pytest.mark.django_db
def test_a_restarted_scheduler_does_not_queue_a_job_again_in_the_same_period(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queue, not run
    noon = timezone.make_aware(datetime(2026, 12, 7, 12, 0))
    first = services.periodic_jobs_queue(now=noon)
    assert sorted(first) == sorted(job.task for job in periodic_jobs())  # every hour has passed
    assert services.periodic_jobs_queue(now=noon + timedelta(minutes=1)) == []
    often = [job.task for job in periodic_jobs() if job.every_minutes]
    later = services.periodic_jobs_queue(now=noon + timedelta(hours=1))
    assert sorted(later) == sorted(often)  # the sub-daily ones, in their next interval
    assert PeriodicRun.objects.filter(task__in=often).count() == 2 * len(often)


RACE = """
import time
from datetime import datetime
from pathlib import Path
from django.utils import timezone
from atclusters.core import services
while not Path({go!r}).exists():
    time.sleep(0.01)
noon = timezone.make_aware(datetime(2026, 12, 7, 12, 0))
for _ in range(3):
    print("queued", len(services.periodic_jobs_queue(now=noon)))
"""


@pytest.mark.django_db
def test_two_schedulers_at_once_queue_each_job_once(database, tmp_path):  # noqa: F811
    go = tmp_path / "go"
    schedulers = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "atclusters", "shell", "--no-imports"),
                "-c",
                RACE.format(go=str(go)),
            ],
            cwd=REPOSITORY,
            env=environment(database),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(3)  # both started and waiting
    go.touch()
    outputs = [scheduler.communicate(timeout=120) for scheduler in schedulers]
    assert all(scheduler.returncode == 0 for scheduler in schedulers), outputs
    queued = sum(
        int(line.split()[1]) for out, _ in outputs for line in out.splitlines() if "queued" in line
    )
    with sqlite3.connect(database) as db:
        runs = db.execute("SELECT task, COUNT(*) FROM core_periodicrun GROUP BY task").fetchall()
        jobs = db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult").fetchone()
    tasks = {job.task for job in periodic_jobs()}
    assert dict(runs) == dict.fromkeys(tasks, 1)
    assert queued == len(tasks) == jobs[0]
