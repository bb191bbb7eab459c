"""The watch's figures as benchmarking indicators (docs/benchmarking.md, "Computed indicators"):
items validated and bulletins sent by a cluster in a year, read by the benchmarking domain."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from atclusters.benchmarking.selectors import computed_indicators
from atclusters.watch import selectors, services
from atclusters.watch.models import Item
from tests.watch.factories import rss_ingested, source_added

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int):
    return time_machine.travel(timezone.make_aware(datetime(year, month, day, 10)), tick=False)


def test_items_validated_and_bulletins_sent_per_year(world):
    # No watch source: no figure (the cluster answers by hand), not a zero.
    assert selectors.benchmarking_figures(cluster=world.cluster, year=2025) == {
        "watch_items_validated": None, "watch_bulletins_sent": None, "watch_service": None,
    }  # fmt: skip
    rss_ingested(source_added(world.cluster))
    first, second, third, fourth = Item.objects.order_by("pk")
    with at(2025, 3, 2):
        services.item_curate(actor=world.manager, item=first, status="validated")
        services.item_curate(actor=world.manager, item=second, status="validated")
        services.item_curate(actor=world.manager, item=third, status="rejected")
        bulletin = services.bulletin_create(
            actor=world.manager, cluster=world.cluster, title="March", items=[first, second]
        )
    with at(2026, 1, 5):
        services.bulletin_send(actor=world.manager, bulletin=bulletin)  # drafted in 2025
        services.item_curate(actor=world.manager, item=second, status="rejected")  # undone
        services.item_curate(actor=world.manager, item=fourth, status="validated")
    assert selectors.benchmarking_figures(cluster=world.cluster, year=2025) == {
        "watch_items_validated": 1, "watch_bulletins_sent": 0, "watch_service": False,
    }  # fmt: skip
    assert selectors.benchmarking_figures(cluster=world.cluster, year=2026) == {
        "watch_items_validated": 1, "watch_bulletins_sent": 1, "watch_service": True,
    }  # fmt: skip
    computed = computed_indicators(cluster=world.cluster, year=2026)
    assert (computed["watch_items_validated"].value, computed["watch_bulletins_sent"].value) == (
        1, 1,
    )  # fmt: skip
    assert computed["watch_service"].value is True
    assert "sent in 2026" in computed["watch_bulletins_sent"].formula
    other = computed_indicators(cluster=world.other_cluster, year=2026)
    assert other["watch_items_validated"].value is None
    assert other["watch_bulletins_sent"].formula == (
        "no technology watch source of the cluster on the platform"
    )
