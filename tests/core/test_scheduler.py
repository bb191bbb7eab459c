"""When the scheduler queues a periodic job: daily jobs once a day from their hour, sub-daily
ones every so many minutes (core.domains.PeriodicJob.due)."""

from datetime import datetime, timedelta

from atclusters.core.domains import PeriodicJob

MORNING = datetime(2026, 12, 7, 4, 30)


def test_a_daily_job_once_a_day_from_its_hour():
    job = PeriodicJob("x.tasks.daily", 5)
    assert not job.due(MORNING, None)  # before its hour
    assert job.due(MORNING + timedelta(hours=1), None)
    assert not job.due(MORNING + timedelta(hours=9), MORNING + timedelta(hours=1))
    assert job.due(MORNING + timedelta(days=1, hours=1), MORNING + timedelta(hours=1))


def test_a_sub_daily_job_every_so_many_minutes_at_any_hour():
    job = PeriodicJob("x.tasks.often", 0, every_minutes=15)
    assert job.due(MORNING, None)
    assert not job.due(MORNING + timedelta(minutes=14), MORNING)
    assert job.due(MORNING + timedelta(minutes=15), MORNING)
