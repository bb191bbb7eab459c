"""The demo: open calls for the food and creative sectors, and a CORDIS extract in the published
layout, marked as demo data, linked to the demo clusters' members; loaded once."""

import pytest

from atclusters.funding import demo
from atclusters.funding.models import Call, Participation, Project, Proposal
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_calls_and_a_cordis_extract_once(world):
    clusaga = ClusterFactory(slug="clusaga", name="CLUSAGA")
    portugal = ClusterFactory(slug="portugalfoods", country_id="PT", nuts_region_id="PT11")
    for number in (1, 2):
        MembershipFactory(
            cluster=clusaga,
            organisation=OrganisationFactory(
                slug=f"demo-clusaga-{number}", name=f"Nova Mar CLUSAGA Company {number} SL"
            ),
        )
    MembershipFactory(
        cluster=portugal,
        organisation=OrganisationFactory(
            name="Sabor Portugal Foods Company 1 Lda", country_id="PT"
        ),
    )
    french = ClusterFactory(slug="pole", country_id="FR", nuts_region_id="FRH0")
    MembershipFactory(
        cluster=french,
        organisation=OrganisationFactory(name="Breizh Mer SAS", country_id="FR"),
    )
    assert demo.domain_demo_load() == [
        "EU funding: 4 open calls (food and creative sectors).",
        "EU funding: a CORDIS demo extract, 2 projects, 1 link to review.",
        "EU funding: CLUSAGA's proposal in consortium building (ES, PT, FR).",
    ]
    proposal = Proposal.objects.get()
    assert proposal.stage == "consortium"
    assert sorted(proposal.partners.values_list("country", flat=True)) == ["ES", "FR", "PT"]
    assert Call.objects.count() == 4 and Project.objects.filter(is_demo=True).count() == 2
    linked = Participation.objects.filter(organisation__isnull=False, review="")
    assert linked.count() == 2
    assert demo.domain_demo_load() == []
