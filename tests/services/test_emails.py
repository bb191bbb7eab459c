"""Emails after the write commits: request received, accepted, delivered; claim decided."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from atclusters.services import services
from tests.services.conftest import DELIVERY_DAY

pytestmark = pytest.mark.django_db


def test_request_emails_go_to_the_provider_then_to_the_member(
    portfolio, django_capture_on_commit_callbacks
):
    w = portfolio.world
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_create(
            actor=w.rep, service=portfolio.consultancy, organisation=w.member
        )
    (received,) = mail.outbox
    assert received.to == [w.staff.email] and received.subject == "New request for “Consultancy”"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_decide(actor=w.staff, request=request, accept=True)
        services.request_deliver(actor=w.staff, request=request, delivered_on=DELIVERY_DAY, units=2)
    accepted, delivered = mail.outbox[1:]
    assert accepted.to == [w.rep.email] and "was accepted" in accepted.subject
    assert "please rate it" in delivered.subject
    assert "de minimis aid of EUR 110.00" in delivered.body  # (90 - 35) * 2


def test_a_refused_delivery_sends_nothing(portfolio, django_capture_on_commit_callbacks):
    w = portfolio.world
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.ServiceError),
    ):
        services.request_deliver(
            actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units=0
        )
    assert callbacks == [] and mail.outbox == []


def test_the_claimant_hears_the_decision(portfolio, django_capture_on_commit_callbacks):
    w = portfolio.world
    today = timezone.localdate()
    programme = services.programme_save(
        actor=None, slug="fairs", agency=w.agency,
        values={"department": "Internationalisation", "name_en": "Trade fairs",
                "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30),
                "budget_eur": "10000", "rate": "0.5"},
    )  # fmt: skip
    claim = services.claim_submit(
        actor=w.rep, programme=programme, organisation=w.member, costs_eur=100
    )
    services.claim_check(actor=w.staff, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_decide(actor=w.staff, claim=claim, approve=False, reason="Fair not eligible")
    (decided,) = mail.outbox
    assert decided.to == [w.rep.email]
    assert decided.subject == "Your claim to “Trade fairs”: rejected"
    assert "Fair not eligible" in decided.body
