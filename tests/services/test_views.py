"""The pages: catalogue with JSON-LD, detail and request form, the provider's queue, my
requests with rating, uptake with exports, programmes and claims."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from atclusters.services import services
from atclusters.services.models import Claim, ServiceRequest

pytestmark = pytest.mark.django_db


def test_catalogue_filters_and_describes_services_in_json_ld(client, portfolio):
    page = client.get("/en/services/?language=en").content.decode()
    assert "Workshop" in page and "Consultancy" not in page.split("<main")[-1]
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    (item,) = data["@graph"]
    assert item["@type"] == "Service" and item["name"] == "Workshop"
    assert item["offers"] == {
        "@type": "Offer",
        "price": "200.00",
        "priceCurrency": "EUR",
        "unitText": "participant",
    }
    assert item["provider"]["name"] == "Food Cluster"
    spanish = client.get("/es/services/?category=consulting").content.decode()
    assert "Consultoría" in spanish


def test_a_representative_requests_from_the_detail_page(login, portfolio):
    w = portfolio.world
    client = login(w.rep)
    page = client.get("/en/services/consultancy/").content.decode()
    assert "EUR 55.00 per unit" in page and "Member SME" in page
    answer = client.post("/en/services/consultancy/", {"organisation": w.member.pk, "units": "3"})
    assert answer.status_code == 302
    assert ServiceRequest.objects.filter(organisation=w.member, units_requested=3).exists()
    other = client.post("/en/services/consultancy/", {"organisation": w.outsider.pk})
    assert other.status_code == 403


def test_provider_delivers_from_the_queue_and_the_refusal_states_the_headroom(login, portfolio):
    w = portfolio.world
    client = login(w.staff)
    assert "Member SME" in client.get("/en/services/queue/").content.decode()
    url = f"/en/services/requests/{portfolio.request.pk}/deliver/"
    answer = client.post(url, {"date": "2026-03-02", "units": "7.5"}, follow=True)
    assert "De minimis aid of EUR 412.50 recorded" in answer.content.decode()
    assert login(w.other_staff).post(url, {"date": "2026-03-02", "units": "1"}).status_code == 404
    assert login(w.rep).post(url.replace("deliver", "accept")).status_code == 403


def test_member_rates_and_provider_sees_uptake_and_exports(login, portfolio):
    w = portfolio.world
    services.request_deliver(
        actor=w.staff,
        request=portfolio.request,
        delivered_on=timezone.localdate(),
        units=2,
        hours=2,
    )
    client = login(w.rep)
    client.post(
        f"/en/services/requests/{portfolio.request.pk}/rate/", {"rating": "4", "comment": "ok"}
    )
    assert ServiceRequest.objects.get(pk=portfolio.request.pk).rating == 4
    staff = login(w.staff)
    page = staff.get("/en/services/uptake/?by=cluster").content.decode()
    assert "food" in page
    csv = staff.get("/en/services/uptake.csv?by=service").content.decode()
    year = timezone.localdate().year
    assert csv.splitlines() == [
        "service,year,requests,delivered,units,hours,aid_eur,ratings,mean_rating",
        f"consultancy,{year},1,1,2,2,110,1,4",
    ]
    workbook = load_workbook(
        __import__("io").BytesIO(staff.get("/en/services/uptake.xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "service" and rows[1][0] == "consultancy"
    assert staff.get("/en/services/uptake.pdf").status_code == 404


def test_claim_submitted_checked_and_approved_on_the_pages(login, portfolio):
    w = portfolio.world
    today = timezone.localdate()
    services.programme_save(
        actor=None, slug="fairs", agency=w.agency,
        values={"department": "Internationalisation", "name_en": "Trade fairs",
                "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30),
                "budget_eur": "10000", "rate": "0.5", "documents_required": ["invoice"],
                "eligible_regions": ["ES"]},
    )  # fmt: skip
    client = login(w.rep)
    assert "Trade fairs" in client.get("/en/services/benefits/").content.decode()
    client.post(
        "/en/services/benefits/fairs/",
        {"organisation": w.member.pk, "costs_eur": "800", "documents": ["invoice"]},
    )
    claim = Claim.objects.get()
    staff = login(w.staff)
    staff.post(f"/en/services/claims/{claim.pk}/check/")
    page = staff.get("/en/services/queue/").content.decode()
    assert "documents" in page
    staff.post(f"/en/services/claims/{claim.pk}/approve/")
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.aid_eur == Decimal("400.00")


def test_catalogue_pages_by_fifty(client, portfolio):
    w = portfolio.world
    for number in range(60):
        services.service_save(
            actor=None, slug=f"extra-{number:02}", agency=w.agency,
            category=portfolio.consultancy.category,
            values={"name_en": f"Extra {number:02}", "list_price": 10, "member_price": 10},
        )  # fmt: skip
    first = client.get("/en/services/").content.decode()
    # by name: Consultancy, Extra 00 … Extra 48 on the first page
    assert "Page 1 of 2" in first and "Extra 48" in first and "Extra 49" not in first
    second = client.get("/en/services/?page=2").content.decode()
    assert "Extra 49" in second and "Workshop" in second
