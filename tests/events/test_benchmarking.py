"""Events feed the benchmarking indicators I01 (events organised) and I02 (participants)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from atclusters.benchmarking.selectors import computed_indicators
from atclusters.core.errors import DomainError
from atclusters.events import selectors, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def _event(world, title, month, cluster):
    return services.event_save(
        actor=world.staff, agency=world.agency, kind="training", title=title, capacity=10,
        starts_at=datetime(2025, month, 3, 9, tzinfo=MADRID),
        ends_at=datetime(2025, month, 3, 14, tzinfo=MADRID), cluster=cluster,
    )  # fmt: skip


def test_a_clusters_events_and_their_attendance_feed_its_indicators(world):
    assert selectors.benchmarking_figures(cluster=world.cluster, year=2025) == {
        "events_held": None,
        "event_participants": None,
    }
    people = [UserFactory() for _ in range(3)]
    checked = _event(world, "Workshop", 3, world.cluster)
    seats = [services.registration_create(actor=world.staff, event=checked, user=p) for p in people]
    services.check_in(actor=world.staff, event=checked, code=seats[0].badge_code)
    session = services.session_save(
        actor=world.staff, event=checked, title="Morning", starts_at=checked.starts_at,
        ends_at=checked.ends_at,
    )  # fmt: skip
    services.attendance_record(actor=world.staff, session=session, present=seats[:2])
    # Nothing recorded at the door nor per session: its confirmed participants count.
    unrecorded = _event(world, "Seminar", 6, world.cluster)
    for person in people[:2]:
        services.registration_create(actor=world.staff, event=unrecorded, user=person)
    _event(world, "The agency's own", 7, None)
    figures = selectors.benchmarking_figures(cluster=world.cluster, year=2025)
    assert figures == {"events_held": 2, "event_participants": 2 + 2}
    computed = computed_indicators(cluster=world.cluster, year=2025)
    assert (computed["events_held"].value, computed["event_participants"].value) == (2, 4)
    assert selectors.benchmarking_figures(cluster=world.cluster, year=2024) == {
        "events_held": 0,
        "event_participants": 0,
    }
    with pytest.raises(DomainError) as raised:
        _event(world, "Elsewhere", 8, world.other_cluster)
    assert raised.value.field == "cluster"
