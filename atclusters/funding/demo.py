"""Demo EU funding: open calls for the food and creative sectors (fictitious topics in the
portal's style, deadlines a few weeks to months from today, Brussels time) and a small CORDIS
extract written in the published layout (semicolon-separated, quoted), marked as demo data,
whose participants are demo members of CLUSAGA and Portugal Foods (one of them named a little
differently, so that the review queue has an entry) and an organisation outside the registry."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from atclusters.funding import calldates, services
from atclusters.funding.models import Call, Project, Proposal
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation

CALLS = [
    ("HORIZON-CL6-DEMO-FARM2FORK-01", "Horizon Europe", "Innovative food processing for healthier diets",
     "Food processing SMEs and clusters bring minimally processed seafood, dairy and canned "
     "foods to market, with less salt, sugar and fat.", "two-stage", (40, 200),
     "HORIZON Innovation Actions", ["Agri-food", "Food Processing", "Nutrition"], 18_000_000,
     6_000_000, []),
    ("SMP-COSME-DEMO-EUROCLUSTERS", "Single Market Programme", "Euroclusters for the food ecosystem",
     "Consortia of cluster organisations from at least three eligible countries support SMEs of "
     "the agri-food ecosystem in their green and digital transition.", "single-stage", (75,),
     "SMP Grants for Financial Support", ["Clusters", "Agri-food", "SMEs"], 24_000_000,
     3_000_000, []),
    ("CREA-CULT-DEMO-DISTRICTS", "Creative Europe", "European Creative Districts",
     "Creative and cultural industries of a district cooperate with local businesses, culture "
     "and design to regenerate the local economy.", "single-stage", (20,),
     "CREA Project Grants", ["Cultural and Creative Industries", "Design"], 6_000_000,
     1_500_000, []),
    ("INTERREG-AA-DEMO-BLUE", "Interreg", "Atlantic Area: blue economy and seafood value chains",
     "Cooperation of Atlantic regions on seafood processing, aquaculture and blue growth.",
     "single-stage", (120,), "Interreg Projects", ["Blue growth", "Aquaculture"], 10_000_000,
     2_000_000, ["ES", "FR", "IE", "PT"]),
]  # fmt: skip


def _calls_load() -> int:
    today = timezone.localdate()
    made = 0
    for (
        identifier,
        programme,
        title,
        text,
        model,
        days,
        action,
        keywords,
        budget,
        grant,
        countries,
    ) in CALLS:
        if Call.objects.filter(identifier=identifier).exists():
            continue
        deadlines = [
            calldates.moment((today + timedelta(days=d)).isoformat(), field="d", closing=True)
            for d in days
        ]
        opens = calldates.moment((today - timedelta(days=10)).isoformat(), field="o", closing=False)
        services.call_save(
            actor=None,
            data=services.CallData(
                identifier=identifier, programme=programme, title=title, description=text,
                deadlines=deadlines, deadline_model=model, opens_at=opens, type_of_action=action,
                keywords=keywords, budget_eur=Decimal(budget), expected_grant_eur=Decimal(grant),
                eligible_countries=countries,
            ),
            source="demo",
        )  # fmt: skip
        made += 1
    return made


def _members(slug: str, count: int) -> list:
    return [
        membership.organisation
        for membership in Membership.objects.filter(cluster__slug=slug, until__isnull=True)
        .select_related("organisation")
        .order_by("organisation__slug")[:count]
    ]


def _table(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows({column: row.get(column, "") for column in columns} for row in rows)
    return out.getvalue().encode()


def _cordis_load() -> tuple[int, int]:
    if Project.objects.filter(is_demo=True).exists():
        return 0, 0
    galicia, portugal = _members("clusaga", 2), _members("portugalfoods", 1)
    if len(galicia) < 2 or not portugal:
        return 0, 0
    header = ["id", "acronym", "title", "startdate", "enddate", "ecmaxcontribution",
              "frameworkprogramme", "fundingscheme"]  # fmt: skip
    projects = [
        {"id": "900000001", "acronym": "DEMO-SEAFOOD", "title": "Demo: minimally processed "
         "seafood", "startdate": "2023-01-01", "enddate": "2026-12-31",
         "ecmaxcontribution": "2999000,00", "frameworkprogramme": "HORIZON",
         "fundingscheme": "HORIZON-IA"},
        {"id": "900000002", "acronym": "DEMO-CANNING", "title": "Demo: low-energy canning",
         "startdate": "2019-05-01", "enddate": "2022-04-30", "ecmaxcontribution": "1500000,00",
         "frameworkprogramme": "H2020", "fundingscheme": "RIA"},
    ]  # fmt: skip
    participants = [
        {"projectid": "900000001", "name": galicia[0].name, "country": "ES",
         "role": "coordinator", "eccontribution": "1200000"},
        {"projectid": "900000001", "name": portugal[0].name, "country": "PT",
         "role": "participant", "eccontribution": "900000"},
        {"projectid": "900000001", "organisationid": "999000001",
         "name": "Demo Université de la Mer", "country": "FR", "role": "participant",
         "eccontribution": "899000"},
        # Named a little differently from the registry: linked pending review.
        {"projectid": "900000002", "name": galicia[1].name.replace(" ", "  ").upper() + "S",
         "country": "ES", "role": "coordinator", "eccontribution": "1500000"},
    ]  # fmt: skip
    result = services.cordis_import(
        actor=None,
        projects=_table([*header], projects),
        projects_name="project.csv",
        participants=_table(
            ["projectid", "organisationid", "name", "country", "role", "eccontribution"],
            participants,
        ),
        participants_name="organization.csv",
        is_demo=True,
        source="demo",
    )
    assert result.ok, result.as_dict()["errors"]
    return len(projects), result.review


def _proposal_load() -> bool:
    """CLUSAGA's proposal for the demo food call, in consortium building with a member of
    CLUSAGA, one of Portugal Foods and a French partner."""
    call = Call.objects.filter(identifier=CALLS[0][0]).first()
    clusaga = ClusterOrganisation.objects.filter(slug="clusaga").first()
    if call is None or clusaga is None or Proposal.objects.filter(call=call).exists():
        return False
    galicia, portugal = _members("clusaga", 1), _members("portugalfoods", 1)
    french = (
        Organisation.objects.filter(country_id="FR", memberships__until__isnull=True)
        .order_by("slug")
        .first()
    )
    if not galicia or not portugal or french is None:
        return False
    manager = User.objects.filter(username="clusaga-manager").first()
    proposal = services.proposal_create(
        actor=None, call=call, cluster=clusaga, title="Atlantic minimally processed seafood",
        source="demo",
    )  # fmt: skip
    if manager is not None:
        services.proposal_owner_set(actor=None, proposal=proposal, owner=manager, source="demo")
    services.proposal_move(actor=None, proposal=proposal, stage="consortium", source="demo")
    for organisation, role in ((galicia[0], "coordinator"), (portugal[0], "beneficiary"),
                               (french, "beneficiary")):  # fmt: skip
        services.partner_add(
            actor=None, proposal=proposal, organisation=organisation, role=role, source="demo"
        )
    return True


def domain_demo_load() -> list[str]:
    calls = _calls_load()
    projects, review = _cordis_load()
    proposed = _proposal_load()
    lines = []
    if calls:
        lines.append(f"EU funding: {calls} open calls (food and creative sectors).")
    if projects:
        lines.append(
            f"EU funding: a CORDIS demo extract, {projects} projects, {review} link to review."
        )
    if proposed:
        lines.append("EU funding: CLUSAGA's proposal in consortium building (ES, PT, FR).")
    return lines
