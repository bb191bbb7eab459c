"""Background jobs of EU funding (django.tasks): every day, each active call feed is read and
its calls imported (all or nothing per feed; the feed records the result), and cluster managers
are emailed the fitting calls whose deadline is two weeks away."""

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


# A manager hears of a fitting call once, this many days before its next deadline (Brussels).
ALERT_DAYS = 14


@task()
def deadline_alerts() -> int:
    """Emails each cluster manager the best-fitting calls of their clusters whose next deadline
    is ALERT_DAYS days away; returns how many emails were sent."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    from atclusters.funding import calldates, selectors

    now = timezone.now()
    day = now.astimezone(calldates.BRUSSELS).date() + timedelta(days=ALERT_DAYS)
    sent = 0
    managers = User.objects.filter(is_active=True, managed_clusters__isnull=False).exclude(email="")
    for user in managers.distinct().order_by("pk"):
        lines = []
        for cluster, ranked in selectors.managed_clusters_calls(user, days=ALERT_DAYS + 1, now=now):
            due = [
                r
                for r in ranked
                if r.deadline and r.deadline.astimezone(calldates.BRUSSELS).date() == day
            ]
            link = settings.SITE_URL.rstrip("/") + reverse("funding_cluster", args=[cluster.slug])
            lines += [
                f"{cluster.name}: {r.call.identifier} — {r.call.title} "
                f"({r.deadline:%Y-%m-%d %H:%M} Brussels)\n  {'; '.join(r.reasons)}\n  {link}"
                for r in due
            ]
        if not lines:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("EU calls for your clusters: %(days)s days to the deadline") % {
                "days": ALERT_DAYS
            }
        send_mail(subject=subject, message="\n\n".join(lines) + "\n", from_email=None,
                  recipient_list=[user.email])  # fmt: skip
        sent += 1
    return sent
