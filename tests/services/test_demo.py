"""The services demo on the registry's and the register's demo data."""

from decimal import Decimal

import pytest

from atclusters.registry.demo import demo_load
from atclusters.services.demo import demo_portfolio_load
from atclusters.services.models import Claim, Service, ServiceRequest
from atclusters.stateaid.demo import demo_register_load

pytestmark = pytest.mark.django_db


def test_demo_portfolio_with_a_subsidised_delivery_and_an_approved_claim():
    demo_load()
    demo_register_load()
    assert demo_portfolio_load() == 5
    assert demo_portfolio_load() == 0  # loaded once
    assert set(Service.objects.values_list("aid_treatment", flat=True)) == {
        "none",
        "de-minimis",
        "gber-27",
    }
    delivered = ServiceRequest.objects.get(status="delivered")
    # 12 hours of export consultancy: (90 - 35) * 12 = 660
    assert delivered.aid_eur == Decimal("660.00") and delivered.grant.gge_eur == Decimal("660.00")
    assert delivered.rating == 5
    assert ServiceRequest.objects.filter(status="accepted").count() == 1
    claim = Claim.objects.get()
    # half of the EUR 4,380.90 stand, under the EUR 3,000 cap
    assert claim.status == "approved" and claim.aid_eur == Decimal("2190.45")
    assert [check["rule"] for check in claim.checks] == ["clusters", "regions", "documents"]
