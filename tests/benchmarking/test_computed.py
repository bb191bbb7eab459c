"""Indicators the platform computes for a cluster, checked against hand counts."""

from datetime import date

import pytest

from atclusters.benchmarking.selectors import computed_indicators
from atclusters.registry.models import CooperationAgreement
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    grant_recorded,
    undertaking_recorded,
)

pytestmark = pytest.mark.django_db


def test_member_figures_labels_agreements_and_aid(world):
    cluster = world.cluster  # one current member: Member SME (size set by the factory)
    cluster.memberships.all().delete()
    cluster.management_team_fte = 2.5
    cluster.label, cluster.label_date, cluster.label_expiry = "silver", date(2024, 1, 1), None
    cluster.save()
    plan = [
        ("sme", "micro", date(2020, 1, 1), None),
        ("sme", "small", date(2025, 3, 1), None),  # joined in 2025
        ("large", "large", date(2021, 1, 1), None),
        ("university", "", date(2022, 1, 1), None),
        ("research", "", date(2022, 1, 1), date(2025, 6, 30)),  # left in 2025
        ("sme", "medium", date(2026, 1, 1), None),  # after the year
    ]
    for kind, size, since, until in plan:
        MembershipFactory(
            cluster=cluster,
            organisation=OrganisationFactory(type=kind, size_class=size),
            since=since,
            until=until,
        )
    portugal = ClusterFactory(slug="pt-food", agency=world.agency, country_id="PT")
    CooperationAgreement.objects.create(
        slug="galicia-portugal", title="Food", type="mou", cluster_a=cluster,
        cluster_b=portugal, start=date(2024, 1, 1), owner=world.agency,
    )  # fmt: skip
    CooperationAgreement.objects.create(
        slug="galicia-domestic", title="Domestic", type="mou", cluster_a=cluster,
        agency_b=world.agency, start=date(2024, 1, 1), owner=world.agency,
    )  # fmt: skip
    operator = undertaking_recorded("OP")
    grant_recorded(operator, "A1", date(2025, 4, 1), 40_000, cluster=cluster)
    grant_recorded(operator, "A2", date(2024, 4, 1), 10_000, cluster=cluster)  # other year
    member = undertaking_recorded("M")
    grant_recorded(member, "S1", date(2025, 5, 1), 5_000, cluster=cluster, instrument="service")

    values = {
        key: item.value for key, item in computed_indicators(cluster=cluster, year=2025).items()
    }
    assert values["members_total"] == 4  # micro, small, large, university on 31.12.2025
    assert values["sme_share"] == 50.0  # micro + small of 4
    assert values["member_types"] == 3  # sme, large, university
    assert values["research_members"] == 1
    assert values["members_net_change"] == 0  # one joined, one left
    assert values["management_fte"] == 2.5
    assert values["excellence_label"] == "silver"
    assert values["cooperation_agreements"] == 1  # the Portuguese one
    assert values["aid_received"] == 40_000.0
    assert values["events_held"] is None
