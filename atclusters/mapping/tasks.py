"""Background jobs of the cluster-mapping domain (django.tasks; run by `atclusters db_worker`)."""

import logging

from django.tasks import task

from atclusters.mapping import services
from atclusters.mapping.models import RatingSet

logger = logging.getLogger(__name__)


@task()
def ratings_recompute(*, rating_set_id: int) -> None:
    rating_set = RatingSet.objects.select_related("dataset").filter(pk=rating_set_id).first()
    if rating_set is None:  # the dataset or scheme went away after the job was queued
        return
    RatingSet.objects.filter(pk=rating_set_id).update(status=RatingSet.Status.RUNNING)
    try:
        services.ratings_compute(rating_set)
    except Exception as error:
        logger.exception("ratings of %s failed", rating_set)
        RatingSet.objects.filter(pk=rating_set_id).update(
            status=RatingSet.Status.FAILED, error=str(error)[:2000]
        )
        raise
