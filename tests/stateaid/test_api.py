"""The register's REST API: who may use it, the check, GGE, grants (201/409), corrections,
imports and exports."""

import json
from datetime import date

import pytest

from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db

URL = "/api/v1/stateaid"


@pytest.fixture
def company(world):
    return undertaking_recorded("B1", "Beta")


def post(client, path, payload, headers):
    return client.post(
        f"{URL}{path}", json.dumps(payload), content_type="application/json", headers=headers
    )


def test_only_agency_staff_and_admins_use_the_register(client, bearer, company):
    payload = {"undertaking": "B1", "date": "2026-01-05", "amount": "1000"}
    assert client.post(f"{URL}/check", payload, content_type="application/json").status_code == 401
    for role in ("manager", "rep", "nobody"):
        assert post(client, "/check", payload, bearer(role)).status_code == 403
    assert post(client, "/check", payload, bearer("staff")).status_code == 200
    assert post(client, "/check", payload, bearer("admin")).status_code == 200


def test_a_grant_is_recorded_or_refused_whole(client, bearer, company):
    headers = bearer("staff")
    grant = {
        "undertaking": "B1",
        "reference": "IG-1",
        "date": "2026-01-05",
        "amount": "250000",
        "member_state": "ES",
        "granting_authority": "IGAPE",
    }
    created = post(client, "/grants", grant, headers)
    assert created.status_code == 201
    assert created.json()["report_due"] == "2026-02-03"  # 6 January is a holiday
    refused = post(client, "/grants", {**grant, "reference": "IG-2", "amount": "60000"}, headers)
    assert refused.status_code == 409
    assert refused.json()["check"]["max_grantable_eur"] == 50000.0
    french = post(client, "/grants", {**grant, "reference": "IG-3"}, bearer("other_staff"))
    assert french.status_code == 403
    unknown = post(client, "/grants", {**grant, "member_state": "XX"}, headers)
    assert unknown.status_code == 422 and "member_state" in unknown.json()["detail"]
    grant_id = created.json()["id"]
    corrected = post(
        client, f"/grants/{grant_id}/correction", {"reason": "typo", "amount": "200000"}, headers
    )
    assert corrected.status_code == 201 and corrected.json()["corrects"] == grant_id
    detail = client.get(f"{URL}/undertakings/B1?on=2026-03-01", headers=headers).json()
    assert [h["headroom_eur"] for h in detail["headroom"] if h["regulation"] == "general"] == [
        100000.0
    ]
    assert [g["entry"] for g in detail["grants"]] == ["original", "correction"]


def test_gge_is_for_those_who_use_the_register(client, bearer):
    loan = {"instrument": "loan", "amount": "500000", "years": "3", "collateral_share": "0.6"}
    for role in ("manager", "rep", "nobody"):
        assert post(client, "/gge", loan, bearer(role)).status_code == 403
    assert post(client, "/gge", loan, bearer("other_staff")).status_code == 200


def test_gge_answers_eligibility_and_names_bad_fields(client, bearer):
    headers = bearer("staff")
    loan = {"instrument": "loan", "amount": "500000", "years": "3", "collateral_share": "0.6"}
    assert post(client, "/gge", loan, headers).json() == {
        "eligible": True,
        "gge_eur": 60000.0,
        "method": "safe-harbour",
        "reason": "Art. 4(3)(c): 4% of the amount per year",
    }
    outside = post(client, "/gge", {**loan, "collateral_share": "0.4"}, headers).json()
    assert outside["eligible"] is False
    missing = post(client, "/gge", {**loan, "method": "reference-rate"}, headers)
    assert missing.status_code == 422 and "reference_rate" in missing.json()["detail"]


def test_imports_and_exports(client, bearer, company):
    headers = bearer("staff")
    csv = (
        b"undertaking_id,grant_date,amount,regulation,member_state,granting_authority,reference\n"
        b"B1,2025-04-01,1000,general,ES,IGAPE,H-1\n"
        b"NOPE,2025-04-01,1000,general,ES,IGAPE,H-2\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{URL}/imports/grants",
        {"file": SimpleUploadedFile("grants.csv", csv, content_type="text/csv")},
        headers=headers,
    )
    body = response.json()
    assert body["ok"] is False and body["errors"][0]["column"] == "undertaking_id"
    grant_recorded(company, "X-1", date(2025, 4, 1), 1000)
    xml = client.get(f"{URL}/register?format=xml", headers=headers)
    assert xml.status_code == 200 and b"<reference>X-1</reference>" in xml.content
    foreign = client.get(f"{URL}/register?format=csv", headers=bearer("other_staff"))
    assert foreign.status_code == 200 and b"X-1" not in foreign.content
