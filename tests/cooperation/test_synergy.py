"""The regional, cross-sector question (issue 25) on hand-built profiles: specificity, the
platform's division relatedness and region adjacency worked out by hand, the regional ranking,
its reasons, and the `any` mode."""

import math

import pytest

from atclusters.cooperation.matching import Index, Preferences, Profile, Vocabulary
from atclusters.cooperation.synergy import (
    SynergyIndex,
    adjacency,
    division_relatedness,
    specificity,
)


def profile(key, region, nace, technologies=(), country=""):
    return Profile(
        key=key,
        name=key.title(),
        country=country or region[:2],
        region=region,
        nace=frozenset(nace),
        technologies=frozenset(technologies),
    )


QUERY = profile("marine", "ES11", {"30"}, {"marine-technology", "biotechnology"})
PROFILES = [
    QUERY,
    profile("health", "ES11", {"21", "72"}, {"biotechnology", "medical-devices"}),
    profile("logistics", "ES12", {"52"}, {"logistics-technology", "digital"}),
    profile("shipyards", "ES11", {"30"}, {"marine-technology"}),  # the same sector
    profile("biotherapies", "FRH0", {"21"}, {"biotechnology"}, "FR"),  # not nearby
    profile("digital", "ES11", {"62"}, {"digital"}),
    profile("metal", "ES12", {"25"}),
]
VOCABULARY = Vocabulary(
    nace={"21": "Pharmaceuticals", "30": "Other transport equipment"},
    terms={"biotechnology": "Biotechnology"},
    value_chain={("25", "30"): "metal structures → ships and aircraft"},
)
NEIGHBOURS = {
    "ES11": frozenset({"ES12", "PT11"}),
    "ES12": frozenset({"ES11"}),
    "PT11": frozenset({"ES11"}),
}
# Relatedness given as the platform would compute it: 30 ↔ 21 above chance, 30 ↔ 62 below.
RELATEDNESS = {("30", "21"): 1.5, ("21", "30"): 1.5, ("30", "62"): 0.8, ("62", "30"): 0.8}


@pytest.fixture(scope="module")
def synergy():
    return SynergyIndex(Index(PROFILES, VOCABULARY), neighbours=NEIGHBOURS, relatedness=RELATEDNESS)


def test_specificity_is_scaled_inverse_document_frequency(synergy):
    features = synergy.index.sets["technologies"]
    values = specificity(features)
    # 6 profiles name a technology; s = ln(6 / df) / ln(6 / 2)
    assert values[features.columns["marine-technology"]] == pytest.approx(1.0)  # df 2
    assert values[features.columns["biotechnology"]] == pytest.approx(0.630930, abs=1e-6)
    assert values[features.columns["medical-devices"]] == 1.0  # df 1: capped at 1


def test_division_relatedness_by_hand():
    # Three clusters: {30, 50}, {30, 35}, {21, 72}. C(30,50) = C(30,35) = C(21,72) = 1;
    # S_30 = 2, the others 1; T = 6. Expected E_ij = T/2 · (S_i/T · S_j/(T−S_i) + S_j/T ·
    # S_i/(T−S_j)): E(30,50) = 3 · (2/6 · 1/4 + 1/6 · 2/5) = 0.45, so R = 1/0.45 = 2.2222;
    # E(21,72) = 3 · (1/6 · 1/5 · 2) = 0.2, so R = 5.
    related = division_relatedness([{"30", "50"}, {"30", "35"}, {"21", "72"}])
    assert related[("30", "50")] == pytest.approx(1 / 0.45)
    assert related[("50", "30")] == pytest.approx(1 / 0.45)
    assert related[("21", "72")] == pytest.approx(5.0)
    assert ("50", "35") not in related and ("30", "21") not in related


def test_adjacency_from_shared_boundary_points():
    def square(region, x, y):
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        return {
            "properties": {"id": region},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    island = {
        "properties": {"id": "C1"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[[[5, 5], [6, 5], [6, 6], [5, 5]]]]},
    }
    neighbours = adjacency([square("A1", 0, 0), square("B1", 1, 0), island])
    assert neighbours == {
        "A1": frozenset({"B1"}),
        "B1": frozenset({"A1"}),
        "C1": frozenset(),
    }


def test_region_mode_ranks_nearby_clusters_of_other_sectors(synergy):
    matches = synergy.match(QUERY, mode="region")
    # Default regional weights without a model sum to 1.05 (the semantic 0.05 left out).
    # health: technology 0.630930 / √(2·2) · 0.25 + related variety 0.15 + same region 0.20
    # metal: value chain 0.15 + neighbouring region 0.5 · 0.20; digital: same region 0.20;
    # logistics: neighbouring region 0.10. Shipyards (same sector) and biotherapies (France)
    # are not proposed.
    assert [(m.key, m.score) for m in matches] == [
        ("health", round((0.630930 / 2 * 0.25 + 0.15 + 0.20) / 1.05, 4)),
        ("metal", round(0.25 / 1.05, 4)),
        ("digital", round(0.20 / 1.05, 4)),
        ("logistics", round(0.10 / 1.05, 4)),
    ]
    assert all(m.mode == "region" for m in matches)
    assert [str(reason) for reason in matches[0].reasons] == [
        "shared technology fields: Biotechnology",
        "related sectors on the platform: 30 Other transport equipment ↔ 21 Pharmaceuticals "
        "(1.50 × chance)",
        "in the same region (ES11)",
    ]
    assert [str(reason) for reason in matches[1].reasons] == [
        "complementary, they supply you: metal structures → ships and aircraft",
        "in a neighbouring region (ES12)",
    ]
    # The metal cluster's side: the marine cluster buys from it.
    metal = synergy.index.profiles[synergy.position["metal"]]
    reasons = [str(r) for r in synergy.match(metal, mode="region")[0].reasons]
    assert reasons[0] == "complementary, they buy from you: metal structures → ships and aircraft"


def test_rarer_shared_technology_counts_more(synergy):
    logistics = synergy.index.profiles[synergy.position["logistics"]]
    technology = {m.key: m.signals["technology"] for m in synergy.match(logistics, mode="region")}
    # digital is held by 2 of 6 (s = 1): 1 / √(2·1)
    assert technology["digital"] == round(1 / math.sqrt(2), 4)


def test_any_mode_merges_the_two_lists_by_rank(synergy):
    matches = synergy.match(QUERY, mode="any")
    # Matcher weights without a model sum to 1.05. shipyards: same division 0.4 · 0.25 +
    # technology cosine 1/√2 · 0.15 = 0.1963; biotherapies: 1/√2 · 0.15 + another country 0.05
    # = 0.1486; metal: value chain 0.10 = 0.0952; health: cosine 1/2 · 0.15 = 0.0714; digital
    # and logistics 0 (by key). Places abroad: shipyards 0, biotherapies 1, metal 2, health 3,
    # digital 4, logistics 5; in the region: health 0, metal 1, digital 2, logistics 3. By the
    # better place, ties by the score of that question: health (0, 0.4084) before shipyards
    # (0, 0.1963), metal (1, 0.2381) before biotherapies (1, 0.1486), digital 2, logistics 3.
    abroad_shipyards = (0.4 * 0.25 + 0.15 / math.sqrt(2)) / 1.05
    abroad_biotherapies = (0.15 / math.sqrt(2) + 0.05) / 1.05
    assert [(m.key, m.mode) for m in matches] == [
        ("health", "region"),
        ("shipyards", "abroad"),
        ("metal", "region"),
        ("biotherapies", "abroad"),
        ("digital", "region"),
        ("logistics", "region"),
    ]
    assert matches[1].score == round(abroad_shipyards, 4)
    assert matches[3].score == round(abroad_biotherapies, 4)
    assert str(matches[3].reasons[-1]) == "in another country (FR)"


def test_abroad_mode_is_the_matcher_and_preferences_apply(synergy):
    assert synergy.match(QUERY, mode="abroad") == synergy.index.match(QUERY)
    abroad = synergy.match(
        QUERY, mode="region", preferences=Preferences(countries=frozenset({"PT"}))
    )
    assert abroad == []
    with pytest.raises(ValueError, match="unknown mode 'near'"):
        synergy.match(QUERY, mode="near")
    nowhere = profile("nowhere", "", {"10"})
    assert synergy.match(nowhere, mode="region") == []
