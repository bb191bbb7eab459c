"""Concurrent writes, one connection per thread, on whichever database the tests run: two
subsidised deliveries when the headroom fits one, and many approvals against one budget."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from atclusters.core.reference import reference_load
from atclusters.services import services
from atclusters.services.models import Claim, ServiceRequest
from atclusters.stateaid import services as aid_services
from atclusters.stateaid.models import Grant, Undertaking
from tests.factories import OrganisationFactory, grant_recorded
from tests.services.conftest import DELIVERY_DAY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference(transactional_db):
    """A transactional test flushes the database after it: the next one reloads the countries."""
    reference_load()


def _race(calls) -> list[str]:
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            start.wait()
            call()
            outcomes.append("done")
        except (aid_services.AidRefused, services.ServiceError) as refused:
            outcomes.append(f"refused: {type(refused).__name__}")
        except Exception as error:  # reported in the assertion, not lost in the thread
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_subsidised_deliveries_cannot_both_pass_the_ceiling(portfolio):
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    w = portfolio.world
    undertaking = Undertaking.objects.create(
        identifier=w.member.vat_number, name="Member SME", country="ES", vat=w.member.vat_number
    )
    # 300,000 - 299,500 = 500 left: one delivery of 7.5 h (412.50 of aid) fits, not two
    grant_recorded(undertaking, "EARLIER", date(2025, 6, 1), "299500")
    second = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.member, units="7.5"
    )
    services.request_decide(actor=w.staff, request=second, accept=True)
    outcomes = _race(
        [
            lambda request=request: services.request_deliver(
                actor=w.staff, request=request, delivered_on=DELIVERY_DAY, units="7.5"
            )
            for request in (portfolio.request, second)
        ]
    )
    assert outcomes == ["done", "refused: AidRefused"]
    assert Grant.objects.filter(reference__startswith="ATC-SRV").count() == 1
    assert ServiceRequest.objects.filter(status="delivered").count() == 1


def test_concurrent_approvals_never_over_commit_the_budget(portfolio):
    w = portfolio.world
    today = timezone.localdate()
    programme = services.programme_save(
        actor=None, slug="fairs", agency=w.agency,
        values={"department": "Internationalisation", "name_en": "Trade fairs",
                "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30),
                "budget_eur": "10000", "rate": "0.5", "max_aid_eur": "3000"},
    )  # fmt: skip
    claims = []
    for number in range(5):
        organisation = OrganisationFactory(slug=f"firm-{number}", vat_number=f"ESB0000000{number}")
        organisation.representatives.add(w.rep)
        claim = services.claim_submit(
            actor=w.rep, programme=programme, organisation=organisation, costs_eur="6000"
        )
        claims.append(services.claim_check(actor=w.staff, claim=claim))
    # each approval is 50 % of 6,000 = 3,000: three fit in 10,000, the fourth and fifth do not
    outcomes = _race(
        [
            lambda claim=claim: services.claim_decide(actor=w.staff, claim=claim, approve=True)
            for claim in claims
        ]
    )
    assert outcomes == ["done"] * 3 + ["refused: ServiceError"] * 2
    approved = Claim.objects.filter(status="approved")
    assert approved.count() == 3
    assert sum(claim.aid_eur for claim in approved) == Decimal("9000.00")
    assert Grant.objects.filter(reference__startswith="ATC-CLM").count() == 3
