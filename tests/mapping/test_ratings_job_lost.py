"""A ratings job whose worker died on every attempt: the sweep fails the job, and the rating set
shows "failed" with the reason instead of "being computed" forever."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from atclusters.core import services
from atclusters.mapping.models import RatingSet
from tests.mapping.test_statistics_pages import figures_import

pytestmark = pytest.mark.django_db


def lost_ratings_job(rating_set: RatingSet, now) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path="atclusters.mapping.tasks.ratings_recompute",
        args_kwargs={"args": [], "kwargs": {"rating_set_id": rating_set.pk}},
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["w1", "w2", "w3"],
        started_at=now - timedelta(hours=1),
    )


def test_the_rating_set_of_a_job_lost_for_good_shows_failed():
    now = timezone.now()
    rating_set = figures_import().rating_sets.get()
    RatingSet.objects.filter(pk=rating_set.pk).update(status=RatingSet.Status.RUNNING)
    untouched = RatingSet.objects.create(
        dataset=rating_set.dataset, scheme="other", status=RatingSet.Status.RUNNING
    )
    job = lost_ratings_job(rating_set, now)
    assert services.stale_jobs_sweep(now=now).failed == [str(job.pk)]
    rating_set.refresh_from_db()
    assert rating_set.status == RatingSet.Status.FAILED
    assert rating_set.error == (
        "atclusters.core.services.WorkerLost: worker w3 stopped while running this job, "
        "attempt 3 of 3"
    )
    untouched.refresh_from_db()
    assert untouched.status == RatingSet.Status.RUNNING


def test_a_job_requeued_leaves_its_rating_set_being_computed():
    now = timezone.now()
    rating_set = figures_import().rating_sets.get()
    RatingSet.objects.filter(pk=rating_set.pk).update(status=RatingSet.Status.RUNNING)
    job = lost_ratings_job(rating_set, now)
    DBTaskResult.objects.filter(pk=job.pk).update(worker_ids=["w1"])
    assert services.stale_jobs_sweep(now=now).requeued == [str(job.pk)]
    rating_set.refresh_from_db()
    assert rating_set.status == RatingSet.Status.RUNNING
