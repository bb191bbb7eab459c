"""A room of the Galician agency's hub, for the world of tests.factories: open Monday to Friday
9:00-14:00 and 15:00-19:00 (Madrid), Galicia's holidays, 30 minutes to 4 hours, 15 minutes of
buffer, EUR 40 an hour (members EUR 10)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from atclusters.core.models import Agency
from atclusters.facilities import services
from atclusters.facilities.models import Resource

MADRID = ZoneInfo("Europe/Madrid")
HOURS = {
    day: [["09:00", "14:00"], ["15:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2030 in Madrid (Tuesday 5, Wednesday 6, …; no holidays till the 19th)."""
    return datetime(2030, 3, day, hour, minute, tzinfo=MADRID)


def resource_created(agency: Agency, **overrides) -> Resource:
    data = {
        "hub": "Hub Santiago",
        "name_en": "Meeting room",
        "name_es": "Sala de reuniones",
        "name_gl": "Sala de reunións",
        "name_pt": "Sala de reuniões",
        "name_fr": "Salle de réunion",
        "kind": "room",
        "capacity": 12,
        "features": ["projector"],
        "opening_hours": HOURS,
        "holiday_subdivision": "GA",
        "list_price_eur": Decimal("40.00"),
        "member_price_eur": Decimal("10.00"),
        "min_minutes": 30,
        "max_minutes": 240,
        "buffer_minutes": 15,
        "notice_hours": 24,
    } | overrides
    return services.resource_create(actor=None, agency=agency, data=data, source="test")
