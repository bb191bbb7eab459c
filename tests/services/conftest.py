"""A de minimis consultancy service of the Galician agency (EUR 90 an hour, EUR 35 for members
of its clusters), a cluster's GBER Art. 27 workshop, and a request of the world's member SME,
accepted."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from atclusters.services import services
from atclusters.services.models import Service, ServiceRequest
from tests.factories import World


@dataclass
class Portfolio:
    world: World
    consultancy: Service  # de minimis, agency, 90 / 35 per hour
    workshop: Service  # GBER Art. 27, cluster `food`, 200 / 120 per participant
    request: ServiceRequest  # member asks 7.5 hours of consultancy; accepted


def service_offered(world: World, slug: str, **values) -> Service:
    category = services.category_save(
        actor=None, slug="consulting", names={"en": "Consulting", "es": "Consultoría"}
    )
    cluster = values.pop("cluster", None)
    return services.service_save(
        actor=None,
        slug=slug,
        agency=world.agency,
        category=category,
        cluster=cluster,
        values={"name_en": slug.title(), "unit": "hour", "languages": ["es", "gl"], **values},
    )


@pytest.fixture
def portfolio(world) -> Portfolio:
    consultancy = service_offered(
        world, "consultancy", list_price="90", member_price="35", aid_treatment="de-minimis"
    )
    workshop = service_offered(
        world, "workshop", cluster=world.cluster, list_price="200", member_price="120",
        aid_treatment="gber-27", unit="participant", languages=["en"],
    )  # fmt: skip
    request = services.request_create(
        actor=world.rep, service=consultancy, organisation=world.member, units="7.5"
    )
    services.request_decide(actor=world.staff, request=request, accept=True)
    request.refresh_from_db()
    return Portfolio(world, consultancy, workshop, request)


DELIVERY_DAY = date(2026, 3, 2)
CENT = Decimal("0.01")
