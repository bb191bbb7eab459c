"""What the mapping domain records when its background jobs end outside the job itself."""

from django.dispatch import receiver
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished

from atclusters.mapping.models import RatingSet

RATINGS_TASK = "atclusters.mapping.tasks.ratings_recompute"


@receiver(task_finished, dispatch_uid="mapping.ratings_job_failed")
def ratings_job_failed(sender, task_result, **kwargs) -> None:
    """A ratings job that failed without marking its rating set (its worker died on every
    attempt, and the sweep gave up on it) leaves the set failed, not "being computed" forever."""
    if (
        task_result.status != TaskResultStatus.FAILED
        or task_result.task.module_path != RATINGS_TASK
    ):
        return
    error = task_result.errors[-1].traceback if task_result.errors else ""
    RatingSet.objects.filter(
        pk=task_result.kwargs.get("rating_set_id"),
        status__in=[RatingSet.Status.QUEUED, RatingSet.Status.RUNNING],
    ).update(status=RatingSet.Status.FAILED, error=error.strip()[:2000])
