"""The topics' regular bulletins: the periods (ISO weeks, calendar months), made once per topic
and period from the items validated in it, sent in each subscriber's language with their
unsubscribe link, by the command line and by the daily job."""

import json
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.models import OutgoingEmail
from atclusters.watch import periods, services, tasks
from atclusters.watch.models import Bulletin, Item
from tests.watch.factories import rss_ingested, source_added, topic_added

VALIDATED_AT = timezone.make_aware(datetime(2026, 11, 25, 10, 0))


def test_the_last_complete_week_and_month():
    # 2026-12-07 is a Monday: the week before is ISO week 49 of 2026, 30 Nov - 6 Dec.
    week = periods.last_complete("week", date(2026, 12, 7))
    assert (week.key, week.start, week.end) == ("2026-W49", date(2026, 11, 30), date(2026, 12, 7))
    assert periods.last_complete("week", date(2026, 12, 13)) == week
    # 2021-01-03 is a Sunday of ISO week 53 of 2020; the week before it is week 52.
    assert periods.last_complete("week", date(2021, 1, 4)).key == "2020-W53"
    month = periods.last_complete("month", date(2027, 1, 1))
    assert (month.key, month.start, month.end) == ("2026-12", date(2026, 12, 1), date(2027, 1, 1))
    assert periods.last_complete("month", date(2024, 3, 31)).start == date(2024, 2, 1)
    with pytest.raises(ValueError):
        periods.last_complete("year", date(2026, 1, 1))


@pytest.fixture
def validated(world):
    """The world's cluster with a topic, its feed's items validated on Wednesday 25 November
    2026 (ISO week 48), and the member's representative subscribed in Spanish."""
    topic = topic_added(world.cluster, bulletin_period="week")
    rss_ingested(source_added(world.cluster))
    for item in Item.objects.filter(cluster=world.cluster):
        services.item_curate(actor=world.manager, item=item, status="validated")
    Item.objects.update(curated_at=VALIDATED_AT)
    world.rep.email = "rep@example.org"
    world.rep.save()
    services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True, language="es"
    )
    return topic


@pytest.mark.django_db
def test_a_topics_weekly_bulletin_is_made_once_and_sent(world, validated):
    next_week = date(2026, 12, 2)
    # Items validated in week 48 are not in week 47's bulletin.
    assert services.bulletin_of_period(
        actor=None, topic=validated, kind="week", today=date(2026, 11, 25)
    ) == (None, 0)
    bulletin, sent = services.bulletin_of_period(
        actor=world.manager, topic=validated, kind="week", today=next_week, send=True
    )
    assert (bulletin.period, bulletin.title, bulletin.status, sent) == (
        "2026-W48", "Preservation · 2026-W48", "sent", 1,
    )  # fmt: skip
    # Filed under the topic: the competitor's launch is validated but not about preservation.
    titles = sorted(item.title[:22] for item in bulletin.items.all())
    assert titles == ["Edible coatings extend", "High-pressure processi"]
    email = OutgoingEmail.objects.get()
    assert email.to == ["rep@example.org"] and "/es/watch/unsubscribe/" in email.body
    assert "Cancelar la suscripción" in email.body and "Edible coatings" in email.html
    # Asked again, the same bulletin, not sent twice.
    again = services.bulletin_of_period(
        actor=world.manager, topic=validated, kind="week", today=next_week, send=True
    )
    assert again == (bulletin, 0) and OutgoingEmail.objects.count() == 1
    with pytest.raises(DomainError):
        services.bulletin_of_period(actor=None, topic=validated, kind="fortnight")


@pytest.mark.django_db
def test_the_daily_job_sends_the_topics_regular_bulletins(world, validated):
    monthly = topic_added(world.cluster, name="Monthly", bulletin_period="month")
    topic_added(world.cluster, name="None")  # no regular bulletin
    # Tuesday 1 December 2026: week 48 and November have ended.
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 6, 0)), tick=False):
        assert tasks.bulletins_periodic.call() == 2
        assert tasks.bulletins_periodic.call() == 0  # the next run finds them made
    assert sorted(Bulletin.objects.values_list("topic", "period")) == sorted(
        [(validated.pk, "2026-W48"), (monthly.pk, "2026-11")]
    )
    assert OutgoingEmail.objects.count() == 2


@pytest.mark.django_db
def test_the_command_line_makes_and_sends_a_topics_bulletin(world, validated, tmp_path):
    out = StringIO()
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 6, 0)), tick=False):
        call_command(
            "watch", "bulletin", "--topic", str(validated.pk), "--period", "month", "--send",
            "--json", "--format", "atom", "-o", str(tmp_path / "bulletin.atom"), stdout=out,
        )  # fmt: skip
    document = json.loads(out.getvalue())
    assert {k: document[k] for k in ("period", "items", "status", "sent_to")} == {
        "period": "2026-11", "items": 2, "status": "sent", "sent_to": 1,
    }  # fmt: skip
    assert b"Edible coatings" in (tmp_path / "bulletin.atom").read_bytes()
    out = StringIO()
    call_command("watch", "bulletin", "--topic", str(validated.pk), "--json", stdout=out)
    assert json.loads(out.getvalue())["bulletin"] is None  # nothing validated last week
    with pytest.raises(CommandError) as neither:
        call_command("watch", "bulletin", "--period", "week")
    assert neither.value.returncode == 2 and "--topic" in str(neither.value)
    with pytest.raises(CommandError) as missing:
        call_command("watch", "bulletin", "--topic", "999999")
    assert missing.value.returncode == 2
