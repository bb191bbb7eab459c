"""Demo register: a few fictitious member companies of CLUSAGA (one group under a holding), the
cluster's operator with GBER Art. 27 aid, and de minimis grants by IGAPE (Galicia, ES)."""

from datetime import date
from decimal import Decimal
from typing import Any

from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import services
from atclusters.stateaid.models import Grant, Undertaking

HOLDING = "demo-holding-galicia"


def demo_register_load() -> int:
    """Loads the demo register once; returns the number of grants recorded now."""
    if Undertaking.objects.filter(identifier=HOLDING).exists():
        return 0
    clusaga = ClusterOrganisation.objects.filter(slug="clusaga").first()
    if clusaga is None:
        return 0
    members = list(
        Organisation.objects.filter(memberships__cluster=clusaga, type="sme").order_by("slug")[:4]
    )
    if len(members) < 4:
        return 0
    companies = [
        services.undertaking_save(
            actor=None,
            identifier=member.slug,
            name=member.name,
            country="ES",
            organisation=member,
            source="demo",
        )[1]
        for member in members
    ]
    holding = services.undertaking_save(
        actor=None, identifier=HOLDING, name="Demo Holding Galicia SL", country="ES", source="demo"
    )[1]
    operator = services.undertaking_save(
        actor=None, identifier="demo-clusaga-operator", name=clusaga.name, country="ES",
        source="demo",
    )[1]  # fmt: skip
    for company in companies[:2]:
        services.link_save(
            actor=None,
            parent=holding,
            child=company,
            relation="voting-majority",
            valid_from=date(2019, 1, 1),
            source="demo",
        )
    grants: list[tuple[Undertaking, str, date, int, dict[str, Any]]] = [
        (companies[0], "IGAPE-DM-2024-017", date(2024, 3, 12), 120_000, {}),
        (companies[1], "IGAPE-DM-2025-044", date(2025, 6, 2), 95_000, {}),
        (companies[2], "IGAPE-DM-2025-101", date(2025, 10, 20), 40_000, {"regulation": "agriculture"}),
        (companies[3], "IGAPE-DM-2026-009", date(2026, 2, 16), 18_500,
         {"instrument": Grant.Instrument.SERVICE, "cluster": clusaga,
          "programme": "CLUSAGA internationalisation mission (discounted fee)"}),
        (companies[0], "IGAPE-DM-2026-120", date(2026, 10, 5), 30_000, {}),
        (operator, "IGAPE-GBER27-2025-003", date(2025, 4, 1), 180_000,
         {"basis": Grant.Basis.GBER, "scheme": "GBER Art. 27 — Galician cluster programme",
          "programme": "Galician cluster programme", "cluster": clusaga, "cluster_aid": "operating",
          "eligible_costs_eur": Decimal(400_000), "operating_years": 3}),
    ]  # fmt: skip
    reported_until = date(2026, 1, 1)
    for undertaking, reference, day, euros, extra in grants:
        services.grant_record(
            actor=None,
            undertaking=undertaking,
            reference=reference,
            grant_date=day,
            money=services.Money(Decimal(euros)),
            member_state="ES",
            granting_authority="IGAPE — Instituto Galego de Promoción Económica",
            purpose=extra.pop("purpose", "Competitiveness and internationalisation"),
            reported_on=day.replace(day=20) if day < reported_until else None,
            source="demo",
            **extra,
        )
    return len(grants)


def domain_demo_load() -> list[str]:
    demo_register_load()
    return []
