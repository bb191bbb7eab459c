"""The benchmarking framework's service indicators (V01, V02) pre-filled from deliveries."""

from datetime import date

from atclusters.benchmarking.selectors import computed_indicators
from atclusters.services import services
from tests.factories import MembershipFactory, OrganisationFactory


def test_service_indicators_come_from_the_portfolio_and_deliveries(portfolio):
    w = portfolio.world
    # `food` has two more members: three in all, one of which receives a service
    for number in range(2):
        MembershipFactory(cluster=w.cluster, organisation=OrganisationFactory(slug=f"m{number}"))
    year = date.today().year
    before = computed_indicators(cluster=w.cluster, year=year)
    assert before["services_offered"].value == 1  # the workshop; the consultancy is the agency's
    assert before["service_uptake"].value == 0.0
    services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=date.today(), units=1
    )
    after = computed_indicators(cluster=w.cluster, year=year)
    assert after["service_uptake"].value == 33.3  # 1 of 3 members: 100 / 3 rounded
    assert "÷ members × 100" in after["service_uptake"].formula
    # a cluster with no service and no delivery to its members: nothing to pre-fill
    other = computed_indicators(cluster=w.other_cluster, year=year)
    assert other["services_offered"].value is None and other["service_uptake"].value is None
