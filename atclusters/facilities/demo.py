"""Demo hub: IGAPE's shared facilities in Santiago de Compostela (fictitious rooms and prices),
two rooms and a 3D printer, with a few bookings in the coming days by the demo accounts."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from atclusters.core.models import Agency
from atclusters.facilities import permissions, selectors, services
from atclusters.facilities.models import Resource
from atclusters.registry.models import ClusterOrganisation

HUB = "IGAPE cluster hub, Santiago de Compostela"
WEEKDAYS = {
    day: [["09:00", "14:00"], ["15:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}

RESOURCES = [
    {
        "name_en": "Meeting room A", "name_es": "Sala de reuniones A",
        "name_gl": "Sala de reunións A", "name_pt": "Sala de reuniões A",
        "name_fr": "Salle de réunion A", "kind": "room", "capacity": 12,
        "features": ["screen", "videoconference"], "list_price_eur": Decimal("35.00"),
        "member_price_eur": Decimal("10.00"), "bookable_by": "members", "approval": "automatic",
        "min_minutes": 30, "max_minutes": 240, "buffer_minutes": 15,
    },
    {
        "name_en": "Training room", "name_es": "Aula de formación", "name_gl": "Aula de formación",
        "name_pt": "Sala de formação", "name_fr": "Salle de formation", "kind": "room",
        "capacity": 40, "features": ["projector", "40 seats"],
        "list_price_eur": Decimal("60.00"), "member_price_eur": Decimal("20.00"),
        "bookable_by": "clusters", "approval": "manager", "min_minutes": 60,
        "max_minutes": 480, "buffer_minutes": 30,
    },
    {
        "name_en": "3D printer (FDM)", "name_es": "Impresora 3D (FDM)",
        "name_gl": "Impresora 3D (FDM)", "name_pt": "Impressora 3D (FDM)",
        "name_fr": "Imprimante 3D (FDM)", "kind": "equipment", "capacity": 1,
        "features": ["PLA", "PETG", "300 × 300 × 400 mm"], "list_price_eur": Decimal("25.00"),
        "member_price_eur": Decimal("8.00"), "bookable_by": "members", "approval": "manager",
        "min_minutes": 60, "max_minutes": 480, "buffer_minutes": 30,
        # The hub's prototyping line, co-financed as an innovation cluster (GBER Art. 27).
        "aid_treatment": "gber-27", "cost_eur": Decimal("6.50"),
        "contributor_price_eur": Decimal("6.50"),
    },
]  # fmt: skip


def demo_facilities_load() -> int:
    """Loads the demo hub once; returns the number of bookings made now."""
    igape = Agency.objects.filter(slug="igape").first()
    if igape is None or Resource.objects.filter(agency=igape, hub=HUB).exists():
        return 0
    staff = User.objects.filter(username="igape-staff").first()
    shared = {"hub": HUB, "opening_hours": WEEKDAYS, "holiday_subdivision": "GA"}
    resources = []
    for values in RESOURCES:
        data = values | shared | {"managers": [staff] if staff else []}
        resources.append(
            services.resource_create(actor=None, agency=igape, data=data, source="demo")
        )
    room, training, printer = resources
    rep = User.objects.filter(username="member-rep").first()
    if contributor := rep and permissions.organisations_for(rep, printer).first():
        services.contribution_save(
            actor=None, agency=igape, hub=HUB, organisation=contributor,
            share_percent=Decimal(15), source="demo",
        )  # fmt: skip
    now = timezone.now()
    monday = now.astimezone(selectors.resource_rules(room).zone).date()
    monday += timedelta(days=7 - monday.weekday())
    after = datetime.combine(monday, time(10), selectors.resource_rules(room).zone)
    clusaga = ClusterOrganisation.objects.filter(slug="clusaga").first()
    plans = [
        ("member-rep", room, timedelta(hours=2), None),
        ("clusaga-manager", room, timedelta(hours=1), clusaga),
        ("clusaga-manager", training, timedelta(hours=3), clusaga),
        ("member-rep", printer, timedelta(hours=4), None),
        ("igape-staff", room, timedelta(hours=1), None),
    ]
    made = 0
    for username, resource, length, cluster in plans:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        slot = selectors.next_free(resource, after=after, duration=length, count=1)
        if not slot:
            continue
        organisation = (
            resource.bookable_by == "members"
            and username == "member-rep"
            and permissions.organisations_for(user, resource).first()
        ) or None
        services.booking_create(
            actor=None, user=user, resource=resource, start=slot[0].start, end=slot[0].end,
            organisation=organisation, cluster=cluster, purpose="Demo", now=now, source="demo",
        )  # fmt: skip
        made += 1
    return made


def domain_demo_load() -> list[str]:
    made = demo_facilities_load()
    return [f"Facilities: the IGAPE hub's rooms and 3D printer, {made} bookings."] if made else []
