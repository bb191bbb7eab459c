"""Events of the Galician agency for the world of tests.factories: a working group (members
only) led by the cluster manager with a meeting, a training for two with three sessions, and a
conference with B2B slots."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from atclusters.events import services
from atclusters.events.models import Event, Meeting, WorkingGroup

MADRID = ZoneInfo("Europe/Madrid")


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2030, month, day, hour, tzinfo=MADRID)


@dataclass
class Events:
    group: WorkingGroup
    meeting: Meeting
    training: Event
    conference: Event


@pytest.fixture
def events(world) -> Events:
    group = services.group_save(
        actor=world.staff, agency=world.agency, name="Internationalisation", goal="Go abroad",
        lead=world.manager, members=[world.rep], clusters=[world.cluster], source="test",
    )  # fmt: skip
    meeting = services.meeting_save(
        actor=world.manager, agency=world.agency, group=group, title="Kick-off",
        starts_at=at(3, 5, 10), ends_at=at(3, 5, 12), agenda="Welcome\nPlan", source="test",
    )  # fmt: skip
    training = services.event_save(
        actor=world.staff, agency=world.agency, kind="training", title="Procurement course",
        starts_at=at(4, 1, 9), ends_at=at(4, 3, 14), capacity=2, price_eur=Decimal("90.00"),
        languages=["es", "gl"], source="test",
    )  # fmt: skip
    for day in (1, 2, 3):
        services.session_save(
            actor=world.staff, event=training, title=f"Day {day}", starts_at=at(4, day, 9),
            ends_at=at(4, day, 14), source="test",
        )  # fmt: skip
    conference = services.event_save(
        actor=world.staff, agency=world.agency, kind="conference", title="Atlantic conference",
        starts_at=at(5, 6, 9), ends_at=at(5, 6, 19), capacity=100,
        b2b_slots=["2030-05-06T15:00+02:00", "2030-05-06T15:20+02:00"], b2b_tables=1,
        source="test",
    )  # fmt: skip
    return Events(group, meeting, training, conference)


def due(day: int) -> date:
    return date(2030, 3, day)
