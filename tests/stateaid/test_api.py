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
        "reason": "2023/2831 Art. 4(3)(b): 4% of the amount per year",
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


def test_the_check_follows_the_law_of_the_grant_date(client, bearer, company):
    # Issue 17. Worked by hand from the texts quoted in docs/stateaid.md.
    headers = bearer("staff")
    grant_recorded(company, "OLD", date(2020, 7, 1), 150_000)
    # 1407/2013 counts three fiscal years: on 2023-06-01 only 2021–2023 count, so 150,000 of
    # 2020 does not and 60,000 ≤ 200,000 fits.
    old = post(
        client, "/check",
        {"undertaking": "B1", "date": "2023-06-01", "amount": "60000", "member_state": "ES"},
        headers,
    ).json()  # fmt: skip
    assert old["allowed"] is True and old["counted_aid_eur"] == 0.0
    assert old["window_start"] == "2021-01-01" and old["counting"] == "fiscal-years"
    assert old["regulation"].startswith("Regulation (EU) No 1407/2013, Art. 3(2)")
    # Road freight under 1407/2013: EUR 100,000 − 0 counted in 2021–2023.
    trucks = post(
        client, "/check",
        {"undertaking": "B1", "date": "2023-06-01", "amount": "100001", "member_state": "ES",
         "road_freight": True},
        headers,
    ).json()  # fmt: skip
    assert trucks["allowed"] is False and trucks["max_grantable_eur"] == 100000.0
    # 15,000 agricultural aid, then fishery aid: together at most EUR 40,000 → 25,000 left.
    grant_recorded(company, "FARM", date(2024, 3, 1), 15_000, regulation="agriculture")
    fish = post(
        client, "/check",
        {"undertaking": "B1", "date": "2024-06-01", "amount": "30000", "regulation": "fishery",
         "member_state": "ES"},
        headers,
    ).json()  # fmt: skip
    assert fish["allowed"] is False and fish["max_grantable_eur"] == 25000.0
    assert fish["counting"] == "rolling"
    assert any("717/2014 Art. 5(2)" in cap["rule"] for cap in fish["caps"])
    # 2024/3118 in force on 16 December 2024 (OJ of 13 December + 3 days): 35,000 more
    # agricultural aid fits the EUR 50,000 ceiling (50,000 − 15,000); the day before, the
    # EUR 20,000 of 2019/316 leaves 5,000.
    farm = {"undertaking": "B1", "amount": "35000", "regulation": "agriculture",
            "member_state": "ES"}  # fmt: skip
    new = post(client, "/check", {**farm, "date": "2024-12-20"}, headers).json()
    assert new["allowed"] is True and new["ceiling_eur"] == 50000.0
    assert "2024/3118" in new["regulation"] and "13.12.2024" in new["regulation_oj"]
    old = post(client, "/check", {**farm, "date": "2024-12-15"}, headers).json()
    assert old["allowed"] is False and old["max_grantable_eur"] == 5000.0


def test_gge_takes_the_beneficiary_conditions(client, bearer):
    headers = bearer("staff")
    guarantee = {
        "instrument": "guarantee", "method": "premium", "amount": "100000", "years": "1",
        "premium": "0", "base_rate": "0.03",
    }  # fmt: skip
    # B- 6.3 %: 6,300 / 1.04 = 6,057.69.
    assert post(client, "/gge", {**guarantee, "rating": "B-"}, headers).json()["gge_eur"] == 6057.69
    ccc = post(client, "/gge", {**guarantee, "rating": "CCC"}, headers).json()
    assert ccc["eligible"] is False and "point 3.3" in ccc["reason"]
    large = post(client, "/gge", {**guarantee, "rating": "A", "size": "large"}, headers).json()
    assert large["eligible"] is False and "SMEs only" in large["reason"]
    loan = {"instrument": "loan", "amount": "500000", "years": "3", "collateral_share": "0.6"}
    insolvent = post(client, "/gge", {**loan, "insolvency_proceedings": True}, headers).json()
    assert insolvent["eligible"] is False and "Art. 4(3)(a)" in insolvent["reason"]
    unrated = post(client, "/gge", {**loan, "size": "large"}, headers)
    assert unrated.status_code == 422 and "rating" in unrated.json()["detail"]


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
