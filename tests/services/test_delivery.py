"""Requests, delivery and the aid it grants in the de minimis register (all or nothing)."""

from datetime import date
from decimal import Decimal

import pytest

from atclusters.core.models import AuditEntry
from atclusters.services import services
from atclusters.services.models import ServiceRequest
from atclusters.stateaid import services as aid_services
from atclusters.stateaid.models import Grant, Undertaking
from tests.factories import grant_recorded
from tests.services.conftest import DELIVERY_DAY


def test_a_member_request_is_delivered_and_the_aid_is_granted_in_the_register(portfolio):
    w = portfolio.world
    delivery = services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units="7.5",
        hours="7.5", outcome="Export plan drafted",
    )  # fmt: skip
    # (90 - 35) * 7.5 = 412.50 of aid to the member SME
    assert delivery.aid_eur == Decimal("412.50")
    grant = Grant.objects.get(pk=delivery.grant.pk)
    assert grant.reference == f"ATC-SRV-{portfolio.request.pk}"
    assert grant.gge_eur == Decimal("412.50")
    assert grant.instrument == "service" and grant.basis == "de-minimis"
    assert grant.member_state == "ES" and grant.grant_date == DELIVERY_DAY
    assert grant.undertaking.organisation == w.member
    assert grant.undertaking.identifier == w.member.vat_number
    # Headroom after: the 2023/2831 ceiling of EUR 300,000 minus this aid
    assert delivery.headroom_eur == Decimal("299587.50")
    request = ServiceRequest.objects.get(pk=portfolio.request.pk)
    assert request.status == "delivered" and request.price_paid == Decimal("35.00")
    assert request.grant == grant and request.aid_eur == Decimal("412.50")
    assert (
        AuditEntry.objects.filter(
            model="services.servicerequest", object_pk=str(request.pk), action="update"
        ).count()
        == 2
    )  # accepted, delivered


def test_no_headroom_refuses_the_delivery_saying_headroom_and_unsubsidised_price(portfolio):
    w = portfolio.world
    undertaking = Undertaking.objects.create(
        identifier=w.member.vat_number, name="Member SME", country="ES", vat=w.member.vat_number
    )
    grant_recorded(undertaking, "EARLIER", date(2025, 6, 1), "299800")
    with pytest.raises(aid_services.AidRefused) as refused:
        services.request_deliver(
            actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units="7.5"
        )
    assert refused.value.headroom_eur == Decimal("200.00")
    assert refused.value.aid_eur == Decimal("412.50")
    assert refused.value.unsubsidised_eur == Decimal("675.00")  # 90 * 7.5
    assert "200.00" in str(refused.value) and "675.00" in str(refused.value)
    # Nothing written: the request is still accepted, no grant
    assert ServiceRequest.objects.get(pk=portfolio.request.pk).status == "accepted"
    assert not Grant.objects.filter(reference__startswith="ATC-SRV").exists()
    # The provider delivers at the list price instead: no aid
    delivery = services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units="7.5",
        subsidised=False,
    )  # fmt: skip
    assert delivery.aid_eur == 0 and delivery.grant is None
    assert delivery.request.price_paid == Decimal("90.00")


def test_a_non_member_pays_the_list_price_and_receives_no_aid(portfolio):
    w = portfolio.world
    w.outsider.representatives.add(w.rep)
    request = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.outsider, units=2
    )
    services.request_decide(actor=w.staff, request=request, accept=True)
    delivery = services.request_deliver(
        actor=w.staff, request=request, delivered_on=DELIVERY_DAY, units=2
    )
    assert delivery.aid_eur == 0 and delivery.request.price_paid == Decimal("90.00")


def test_gber_27_service_gives_the_member_no_de_minimis_aid(portfolio):
    w = portfolio.world
    request = services.request_create(
        actor=w.rep, service=portfolio.workshop, organisation=w.member, units=3
    )
    services.request_decide(actor=w.manager, request=request, accept=True)
    delivery = services.request_deliver(
        actor=w.manager, request=request, delivered_on=DELIVERY_DAY, units=3
    )
    assert delivery.aid_eur == 0 and delivery.grant is None
    assert delivery.request.price_paid == Decimal("120.00")


def test_the_member_rates_once_from_1_to_5(portfolio):
    w = portfolio.world
    with pytest.raises(services.ServiceError) as early:
        services.request_rate(actor=w.rep, request=portfolio.request, rating=5)
    assert early.value.field == "request"
    services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units=1
    )
    with pytest.raises(services.ServiceError) as bad:
        services.request_rate(actor=w.rep, request=portfolio.request, rating=6)
    assert bad.value.field == "rating"
    with pytest.raises(services.PermissionDenied):
        services.request_rate(actor=w.manager, request=portfolio.request, rating=4)
    rated = services.request_rate(
        actor=w.rep, request=portfolio.request, rating=4, comment="Useful"
    )
    assert rated.rating == 4 and rated.rating_comment == "Useful"
    with pytest.raises(services.ServiceError, match="already rated"):
        services.request_rate(actor=w.rep, request=portfolio.request, rating=5)


def test_decline_needs_a_reason_and_only_the_provider_decides(portfolio):
    w = portfolio.world
    request = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.member
    )
    with pytest.raises(services.PermissionDenied):
        services.request_decide(actor=w.other_staff, request=request, accept=True)
    with pytest.raises(services.PermissionDenied):
        services.request_decide(actor=w.manager, request=request, accept=True)  # agency's service
    with pytest.raises(services.ServiceError) as missing:
        services.request_decide(actor=w.staff, request=request, accept=False)
    assert missing.value.field == "reason"
    declined = services.request_decide(
        actor=w.staff, request=request, accept=False, reason="Fully booked this quarter"
    )
    assert declined.status == "declined"
    with pytest.raises(services.ServiceError) as again:
        services.request_deliver(actor=w.staff, request=request, delivered_on=DELIVERY_DAY, units=1)
    assert again.value.field == "request"


def test_only_representatives_request_and_only_eligible_organisations(portfolio):
    w = portfolio.world
    with pytest.raises(services.PermissionDenied):
        services.request_create(
            actor=w.manager, service=portfolio.consultancy, organisation=w.member
        )
    services.service_save(
        actor=w.staff, slug="consultancy", agency=w.agency, category=portfolio.consultancy.category,
        values={"eligible_sizes": ["medium", "large"], "eligible_countries": ["ES"]},
    )  # fmt: skip
    portfolio.consultancy.refresh_from_db()
    with pytest.raises(services.ServiceError) as refused:
        services.request_create(actor=w.rep, service=portfolio.consultancy, organisation=w.member)
    assert refused.value.field == "organisation"
    assert "sizes: requires large, medium, has small" in str(refused.value)


def test_capacity_per_month_is_never_exceeded(portfolio):
    w = portfolio.world
    services.service_save(
        actor=w.staff, slug="consultancy", agency=w.agency, category=portfolio.consultancy.category,
        values={"capacity_per_month": 8},
    )  # fmt: skip
    services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=DELIVERY_DAY, units=6
    )
    second = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.member
    )
    services.request_decide(actor=w.staff, request=second, accept=True)
    with pytest.raises(services.ServiceError) as full:
        services.request_deliver(actor=w.staff, request=second, delivered_on=DELIVERY_DAY, units=3)
    assert full.value.field == "units" and "6" in str(full.value)
    # next month has room again
    assert services.request_deliver(
        actor=w.staff, request=second, delivered_on=date(2026, 4, 1), units=3
    ).aid_eur == Decimal("165.00")


def test_only_agency_staff_offer_de_minimis_services(portfolio):
    w = portfolio.world
    category = portfolio.consultancy.category
    with pytest.raises(services.PermissionDenied):
        services.service_save(
            actor=w.manager, slug="subsidy", agency=w.agency, category=category, cluster=w.cluster,
            values={"name_en": "S", "list_price": 10, "member_price": 5, "aid_treatment": "de-minimis"},
        )  # fmt: skip
    own = services.service_save(
        actor=w.manager, slug="own", agency=w.agency, category=category, cluster=w.cluster,
        values={"name_en": "Own", "list_price": 10, "member_price": 10, "aid_treatment": "none"},
    )  # fmt: skip
    assert own.provider_kind == "cluster"
    with pytest.raises(services.ServiceError) as bad:
        services.service_save(
            actor=w.staff, slug="bad", agency=w.agency, category=category,
            values={"name_en": "Bad", "list_price": 10, "member_price": 12},
        )  # fmt: skip
    assert bad.value.field == "member_price"


def test_delivering_a_request_not_yet_answered_accepts_it(portfolio):
    w = portfolio.world
    request = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.member, units=2
    )
    delivery = services.request_deliver(
        actor=w.staff, request=request, delivered_on=DELIVERY_DAY, units=2
    )
    assert delivery.request.status == "delivered" and delivery.request.decided_at is not None
    assert delivery.aid_eur == Decimal("110.00")
