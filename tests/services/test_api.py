"""The services API: catalogue, request → accept/decline → delivery → rating, claims."""

from datetime import timedelta

import pytest
from django.utils import timezone

from atclusters.services import services
from atclusters.stateaid.models import Grant

pytestmark = pytest.mark.django_db

API = "/api/v1/services"


def post(client, path, headers, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json", headers=headers)


def test_public_catalogue_filters_by_provider_and_language(client, portfolio):
    everything = client.get(f"{API}/catalogue").json()
    assert everything["count"] == 2
    assert [item["id"] for item in everything["items"]] == [
        portfolio.consultancy.pk,
        portfolio.workshop.pk,
    ]
    assert everything["items"][0]["aid_value_eur"] == 55.0
    assert [i["id"] for i in client.get(f"{API}/catalogue?language=en").json()["items"]] == [
        portfolio.workshop.pk
    ]
    assert [i["id"] for i in client.get(f"{API}/catalogue?provider=galicia").json()["items"]] == [
        portfolio.consultancy.pk
    ]
    # Paged like every list of the API.
    second = client.get(f"{API}/catalogue?limit=1&offset=1").json()
    assert (second["count"], [i["id"] for i in second["items"]]) == (2, [portfolio.workshop.pk])


def test_the_whole_flow_over_the_api(client, portfolio, bearer):
    w = portfolio.world
    rep, staff = bearer("rep"), bearer("staff")
    created = post(
        client, "/requests", rep,
        {"service": portfolio.consultancy.pk, "organisation": "member", "units": 2},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert post(client, f"/requests/{request_id}/acceptance", rep).status_code == 403
    assert (
        post(client, f"/requests/{request_id}/acceptance", bearer("other_staff")).status_code == 404
    )
    assert post(client, f"/requests/{request_id}/acceptance", staff).json()["status"] == "accepted"
    delivered = post(
        client, f"/requests/{request_id}/delivery", staff, {"date": "2026-03-02", "units": 2}
    )
    assert delivered.status_code == 200
    grant = Grant.objects.get(reference=f"ATC-SRV-{request_id}")
    # (90 - 35) * 2 = 110
    assert delivered.json() == {
        "delivered": True, "aid_eur": 110.0, "grant_id": grant.pk,
        "headroom_eur": 299890.0, "reason": f"aid granted as {grant.reference}",
    }  # fmt: skip
    rated = post(client, f"/requests/{request_id}/rating", rep, {"rating": 5, "comment": "Great"})
    assert rated.json()["rating"] == 5
    bad = post(client, f"/requests/{request_id}/rating", rep, {"rating": 4})
    assert bad.status_code == 422 and "rating" in bad.json()["detail"]
    mine = client.get(f"{API}/requests", headers=rep).json()["items"]
    assert {r["id"] for r in mine} == {request_id, portfolio.request.pk}
    assert client.get(f"{API}/requests", headers=bearer("other_staff")).json() == {
        "items": [],
        "count": 0,
    }
    assert w.member.service_requests.count() == 2


def test_decline_without_reason_is_422_naming_the_field(client, portfolio, bearer):
    w = portfolio.world
    pending = services.request_create(
        actor=w.rep, service=portfolio.consultancy, organisation=w.member
    )
    answer = post(client, f"/requests/{pending.pk}/refusal", bearer("staff"), {})
    assert answer.status_code == 422 and list(answer.json()["detail"]) == ["reason"]


def test_claim_is_checked_rule_by_rule_and_approved(client, portfolio, bearer):
    w = portfolio.world
    today = timezone.localdate()
    services.programme_save(
        actor=None, slug="fairs", agency=w.agency, eligible_clusters=[w.cluster],
        values={"department": "Internationalisation", "name_en": "Trade fairs",
                "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30),
                "budget_eur": "10000", "rate": "0.5", "max_aid_eur": "3000",
                "documents_required": ["invoice"], "eligible_sizes": ["micro", "small"]},
    )  # fmt: skip
    submitted = post(
        client, "/programmes/fairs/claims", bearer("rep"),
        {"organisation": "member", "costs_eur": "4380.90", "documents": ["invoice"]},
    )  # fmt: skip
    assert submitted.status_code == 201, submitted.content
    claim_id = submitted.json()["id"]
    checked = post(client, f"/claims/{claim_id}/check", bearer("staff")).json()
    assert [(c["rule"], c["passed"]) for c in checked["checks"]] == [
        ("clusters", True), ("sizes", True), ("documents", True),
    ]  # fmt: skip
    approved = post(client, f"/claims/{claim_id}/decision", bearer("staff"), {"approve": True})
    assert approved.json()["status"] == "approved"
    assert approved.json()["aid_eur"] == "2190.45"  # 50 % of 4,380.90, under the 3,000 cap
    grant = Grant.objects.get(reference=f"ATC-CLM-{claim_id}")
    assert grant.instrument == "discount" and str(grant.gge_eur) == "2190.45"
