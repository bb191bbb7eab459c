"""The register's REST API: who may use it, the check, GGE, grants (201/409), corrections,
imports and exports."""

import json
from datetime import date, timedelta

import pytest

from atclusters.stateaid.models import Grant
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


def _headers(user) -> dict[str, str]:
    from atclusters.core.services import api_token_create

    return {"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"}


@pytest.mark.parametrize("agency", ["french", "portuguese"])
def test_foreign_staff_cannot_restructure_a_spanish_undertaking(
    client, world, spanish_group, agency
):
    """Issue 16: a split recorded by a French or Portuguese agency raised a Spanish
    undertaking's headroom from 55,000 to 205,000."""
    user = world.other_staff if agency == "french" else spanish_group.portuguese_staff
    headers, day = _headers(user), spanish_group.today.isoformat()
    split = {"source": "ES-CO", "date": day, "successors": {"FR-CO": "1"}}
    refused = post(client, "/splits", split, headers)
    assert refused.status_code == 403 and "ES" in refused.json()["detail"]
    merger = {"absorbing": "FR-CO", "absorbed": "ES-CO", "date": day}
    assert post(client, "/mergers", merger, headers).status_code == 403
    assert spanish_group.headroom() == 55_000


def test_foreign_staff_cannot_read_spanish_aid(client, world, spanish_group):
    headers = _headers(world.other_staff)
    detail = client.get(f"{URL}/undertakings/ES-CO?member_state=ES", headers=headers)
    assert detail.status_code == 404 and b"55000" not in detail.content
    check = {"undertaking": "ES-CO", "date": spanish_group.today.isoformat(), "amount": "0"}
    assert post(client, "/check", {**check, "member_state": "ES"}, headers).status_code == 404
    # Without a Member State, the French reading counts French aid only.
    french = post(client, "/check", check, headers).json()
    assert french["counted_aid_eur"] == 0.0 and french["headroom_eur"] == 300000.0
    own = client.get(f"{URL}/undertakings/ES-CO", headers=headers).json()
    assert own["member_state"] == "FR" and own["grants"] == []
    spanish = client.get(f"{URL}/undertakings/ES-CO", headers=_headers(world.staff)).json()
    assert spanish["member_state"] == "ES"
    assert [h["headroom_eur"] for h in spanish["headroom"] if h["regulation"] == "general"] == [
        55000.0
    ]


def test_the_representative_reads_their_undertakings_aid(client, world, spanish_group):
    spanish_group.company.organisation = world.member
    spanish_group.company.save()
    headers = _headers(world.rep)
    spanish = client.get(f"{URL}/undertakings/ES-CO?member_state=ES", headers=headers)
    assert spanish.status_code == 200
    assert [g["reference"] for g in spanish.json()["grants"]] == ["ES-2"]
    general = [h for h in spanish.json()["headroom"] if h["regulation"] == "general"]
    assert general[0]["headroom_eur"] == 55000.0
    assert client.get(f"{URL}/undertakings/ES-HOLD", headers=headers).status_code == 404


def test_a_split_is_revoked_and_corrected_on_the_api(client, world, spanish_group):
    headers = _headers(world.staff)
    successor = undertaking_recorded("ES-NEW")
    day = spanish_group.today.isoformat()
    split = post(
        client, "/splits", {"source": "ES-CO", "date": day, "successors": {"ES-NEW": "1"}}, headers
    )
    assert split.status_code == 201 and spanish_group.headroom() == 205_000
    split_id = split.json()["id"]
    foreign = post(
        client,
        f"/restructurings/{split_id}/revocation",
        {"reason": "x"},
        _headers(world.other_staff),
    )
    assert foreign.status_code == 403 and spanish_group.headroom() == 205_000
    corrected = post(
        client,
        f"/restructurings/{split_id}/correction",
        {"reason": "the split takes effect next year", "date": "2099-01-01"},
        headers,
    )
    assert corrected.status_code == 201 and corrected.json()["corrects"] == split_id
    assert spanish_group.headroom() == 55_000 and spanish_group.headroom(successor) == 300_000
    revoked = post(
        client,
        f"/restructurings/{corrected.json()['id']}/revocation",
        {"reason": "recorded by mistake"},
        headers,
    )
    assert revoked.status_code == 201 and revoked.json()["entry"] == "revocation"
    again = post(client, f"/restructurings/{split_id}/revocation", {"reason": "x"}, headers)
    assert again.status_code == 422 and "restructuring" in again.json()["detail"]
    detail = client.get(f"{URL}/undertakings/ES-CO", headers=headers).json()
    assert [(r["entry"], r["reason"]) for r in detail["restructurings"]] == [
        ("original", ""),
        ("correction", "the split takes effect next year"),
        ("revocation", "recorded by mistake"),
    ]
    assert spanish_group.headroom() == 55_000


def test_an_import_of_another_member_states_grants_is_refused_by_row(client, world, spanish_group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    day = (spanish_group.today - timedelta(days=200)).isoformat()
    csv = (
        "undertaking_id,grant_date,amount,regulation,member_state,granting_authority,reference\n"
        f"FR-CO,{day},1000,general,FR,Région Bretagne,FR-9\n"
        f"ES-CO,{day},150000,general,ES,IGAPE,ES-2\n"  # exists: must not answer "unchanged"
        f"ES-CO,{day},1000,general,ES,IGAPE,ES-9\n"
    ).encode()
    response = client.post(
        f"{URL}/imports/grants",
        {"file": SimpleUploadedFile("grants.csv", csv, content_type="text/csv")},
        headers=_headers(world.other_staff),
    )
    body = response.json()
    assert body["ok"] is False and body["unchanged"] == 0
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "member_state"),
        (4, "member_state"),
    ]
    assert not Grant.objects.filter(reference__in=["FR-9", "ES-9"]).exists()
