"""Background jobs of EU funding (django.tasks): every day, each active call feed is read and
its calls imported (all or nothing per feed; the feed records the result)."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def feeds_read() -> int:
    """Reads every active feed; returns how many imported without errors."""
    from atclusters.funding import services
    from atclusters.funding.models import CallFeed

    done = 0
    for feed in CallFeed.objects.filter(active=True).select_related("agency"):
        report = services.feed_run(actor=None, feed=feed)
        if report.ok:
            done += 1
        else:
            logger.warning("call feed %s: %s", feed.pk, feed.last_result)
    return done
