"""The register's rules in the reader's language: every ceiling, cumulation rule and refusal
the rules produce is worded in es, gl, pt and fr, on the pages, in form errors and in the API."""

import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from atclusters.stateaid import rules, wording
from tests.factories import grant_recorded, undertaking_recorded

LANGUAGES = ("es", "gl", "pt", "fr")


def every_cap() -> list[rules.Cap]:
    """Each kind's caps with aid of every kind already counted (so that every cumulation rule
    applies), and the same-costs cap of 2023/2831 Art. 5(2)."""
    grants = [rules.Grant("A", date(2025, 1, 1), D(1_000), kind=kind) for kind in rules.KINDS]
    caps = []
    for kind in rules.KINDS:
        result = rules.check(
            undertaking="A",
            grant_date=date(2025, 6, 1),
            amount=D(1),
            kind=kind,
            grants=grants,
            same_costs=rules.SameCosts(D(100_000), D("0.5"), D(0)),
        )
        caps += result.caps
    return caps


def test_every_ceiling_and_cumulation_rule_is_worded():
    caps = every_cap()
    assert {cap.name for cap in caps} == set(wording.CAP_NAMES)
    assert {cap.rule for cap in caps} >= set(wording.CUMULATION_RULES)
    for language in LANGUAGES:
        with translation.override(language):
            for cap in caps:
                assert wording.cap_name(cap) != cap.name
                assert "Regulation" not in wording.cap_rule(cap)
                assert "Art." not in wording.cap_rule(cap)


def test_the_refusal_cites_the_regulation_in_the_readers_language():
    # 2023/2831 Art. 3(2): EUR 300,000 over three years; EUR 10,000 counted → 290,000 left.
    result = rules.check(
        undertaking="A",
        grant_date=date(2025, 1, 1),
        amount=D(400_000),
        grants=[rules.Grant("A", date(2024, 1, 1), D(10_000))],
    )
    with translation.override("es"):
        spanish = wording.check_reason(result)
    assert spanish.startswith("supera el límite máximo para ayudas de minimis generales (300")
    assert "Reglamento (UE) 2023/2831, art. 3(2)" in spanish
    assert "(todo o nada, Reglamento (UE) 2023/2831, art. 3(7))" in spanish
    with translation.override("fr"):
        assert wording.journal("OJ L 352, 24.12.2013, p. 1") == "JO L 352, 24.12.2013, p. 1"
        amended = "Regulation (EU) No 1408/2013 as amended by 2019/316, Art. 3(2)"
        assert wording.citation(amended) == (
            "Règlement (UE) nº 1408/2013 modifié par le 2019/316, art. 3(2)"
        )


def test_every_cluster_aid_refusal_is_worded():
    # GBER Art. 27: operating aid for at most 10 years, at most 50 % of the eligible costs,
    # the four operating cost categories, and the notification threshold per cluster.
    result = rules.cluster_aid(
        aid_type="operating",
        grant_date=date(2025, 1, 1),
        amount=D(500_000),
        eligible_costs=D(400_000),
        cost_categories=["rent", "marketing of the cluster"],
        operating_years=12,
        previous_aid_to_cluster=D(9_950_000),
    )
    investment = rules.cluster_aid(
        aid_type="investment",
        grant_date=date(2025, 1, 1),
        amount=D(1),
        eligible_costs=D(10),
        cost_categories=["rent"],
    )
    refusals = result.refusals + investment.refusals
    assert [refusal.code for refusal in refusals] == [
        "operating-years",
        "ineligible-operating-cost",
        "intensity",
        "notification-threshold",
        "ineligible-investment-cost",
    ]
    for language in LANGUAGES:
        with translation.override(language):
            for refusal in refusals:
                assert wording.cluster_aid_refusal(refusal) != refusal.text
    with translation.override("pt"):
        worded = wording.cluster_aid_reasons(result)
    assert worded[0] == "auxílios ao funcionamento durante 10 anos no máximo (art. 27.º)"
    assert "Regulamento (UE) n.º 651/2014 alterado pelo 2023/1315" in worded[3]
    with translation.override("gl"):
        assert wording.cost_category("marketing of the cluster") == "comercialización da agrupación"


@pytest.mark.django_db
def test_the_check_page_and_the_refused_grant_speak_galician(login, world):
    undertaking = undertaking_recorded("B1", "Beta")
    grant_recorded(undertaking, "IG-1", date(2025, 1, 10), 120_000, cluster=world.cluster)
    client = login(world.staff)
    query = {
        "undertaking": "B1",
        "grant_date": "2025-06-01",
        "amount": "200000",
        "regulation": "general",
        "member_state": "ES",
    }
    page = client.get("/gl/state-aid/check/", query).text
    assert "axudas de minimis xerais" in page and "Regulamento (UE) 2023/2831, art. 3(2)" in page
    assert "DO L, 2023/2831, 15.12.2023" in page
    assert "general ceiling" not in page and "Regulation (EU)" not in page
    grant = {**query, "reference": "IG-2", "granting_authority": "IGAPE"}
    refused = client.post("/gl/state-aid/grants/new/", grant).text
    assert "supera o límite máximo para axudas de minimis xerais" in refused


@pytest.mark.django_db
def test_the_api_words_a_refused_cluster_aid_in_the_requested_language(client, bearer, world):
    undertaking_recorded("FOOD", "Food operator")
    payload = {
        "undertaking": "FOOD",
        "reference": "C1",
        "date": "2025-04-01",
        "amount": "400000",
        "member_state": "ES",
        "granting_authority": "IGAPE",
        "basis": "gber",
        "cluster": world.cluster.slug,
        "cluster_aid": "investment",
        "eligible_costs_eur": "700000",
    }
    refused = client.post(
        "/api/v1/stateaid/grants",
        json.dumps(payload),
        content_type="application/json",
        headers={**bearer("staff"), "Accept-Language": "fr"},
    )
    assert refused.status_code == 409
    assert refused.json()["reasons"] == [
        "400\xa0000,00 EUR dépassent 50 % des coûts admissibles (350\xa0000,00 EUR)"
    ]
