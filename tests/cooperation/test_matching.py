"""The matching engine on hand-built profiles: each signal worked out by hand, the preferences,
the explanations, and recall@k / MRR of known pairs."""

import math

import pytest

from atclusters.cooperation.matching import (
    Index,
    Preferences,
    Profile,
    Vocabulary,
    Weights,
    evaluate,
    nace_levels,
)

VOCABULARY = Vocabulary(
    nace={"10.8": "Manufacture of other food products", "10": "Manufacture of food products"},
    terms={"agri-food": "Agri-food"},
    categories={"food-processing": "Food Processing", "packaging": "Packaging"},
    value_chain={("17", "10"): "packaging → food processing"},
    related=frozenset({("food-processing", "packaging")}),
)


def profile(key, country="ES", **values):
    values = {
        name: frozenset(value) if isinstance(value, set | list) else value
        for name, value in values.items()
    }
    return Profile(key=key, name=key.title(), country=country, **values)


FOOD = profile(
    "clusaga", nace={"10.85", "11"}, ecosystems={"agri-food"}, categories={"food-processing"},
    texts={"es": "Clúster alimentario: conservas de pescado, innovación en alimentos."},
)  # fmt: skip
CANDIDATES = [
    FOOD,
    profile("portugalfoods", "PT", nace={"10.86"}, ecosystems={"agri-food"}),  # same group 10.8
    profile("meat", "ES", nace={"10.11"}),  # same division 10
    profile("dishes", "FR", nace={"10.85"}),  # same class
    profile("packaging", "PT", nace={"17.21"}, categories={"packaging"}),
    profile(
        "fish",
        "PT",
        texts={"es": "Conservas de pescado y mariscos", "pt": "Conservas de peixe"},
    ),
    profile("steel", "FR", nace={"24.10"}),
]


@pytest.fixture(scope="module")
def index():
    return Index(CANDIDATES, VOCABULARY)


def signals_of(index, key, **options):
    matches = index.match(FOOD, top=len(index), **options)
    return next(m for m in matches if m.key == key)


def words(match):
    return [str(reason) for reason in match.reasons]


def test_nace_levels():
    assert nace_levels(["10.85", "11"]) == {
        "class": {"10.85"}, "group": {"10.8"}, "division": {"10", "11"},
    }  # fmt: skip


def test_each_signal_and_its_reason(index):
    dishes = signals_of(index, "dishes")
    assert dishes.signals["nace"] == 1.0 and "same NACE class 10.85" in words(dishes)
    portugal = signals_of(index, "portugalfoods")
    assert portugal.signals["nace"] == 0.7
    assert words(portugal)[:2] == [
        "same NACE group 10.8 Manufacture of other food products",
        "both in Agri-food ecosystem",
    ]
    assert portugal.signals["ecosystem"] == 1.0  # {agri-food} ∩ {agri-food} ÷ √(1·1)
    assert signals_of(index, "meat").signals["nace"] == 0.4
    packaging = signals_of(index, "packaging")
    assert packaging.signals["value_chain"] == 1 and packaging.signals["related"] == 1
    assert "complementary: packaging → food processing" in words(packaging)
    assert "related cluster categories: Food Processing ↔ Packaging" in words(packaging)
    assert packaging.reasons[0].code == "value_chain"
    assert packaging.reasons[0].params == {"link": "packaging → food processing"}
    fish = signals_of(index, "fish")
    assert fish.signals["text"] > 0.3 and any(
        r.startswith("similar descriptions") for r in words(fish)
    )
    steel = signals_of(index, "steel")
    assert steel.signals == {
        "nace": 0, "technology": 0, "ecosystem": 0, "s3": 0, "value_chain": 0, "related": 0,
        "text": 0, "transnational": 1,
    }  # fmt: skip
    # The score is the weighted mean of the signals: Portugal Foods has nace 0.7, ecosystem 1
    # and transnational 1. With no semantic model its weight is not in the sum.
    weights = Weights()
    expected = (0.7 * weights.nace + weights.ecosystem + weights.transnational) / (
        sum(vars(weights).values()) - weights.semantic
    )
    assert math.isclose(portugal.score, round(expected, 4))


def test_ranking_and_preferences(index):
    ranked = [m.key for m in index.match(FOOD, top=3)]
    assert ranked[0] == "portugalfoods" and "clusaga" not in ranked
    abroad = index.match(FOOD, top=10, preferences=Preferences(transnational_only=True))
    assert {m.key for m in abroad} == {"portugalfoods", "dishes", "packaging", "fish", "steel"}
    french = index.match(FOOD, top=10, preferences=Preferences(countries=frozenset({"FR"})))
    assert [m.key for m in french] == ["dishes", "steel"]
    partnered = Profile(**{**vars(FOOD), "partners": frozenset({"portugalfoods"})})
    assert "portugalfoods" not in [m.key for m in index.match(partnered, top=10)]


def test_descriptions_in_different_languages_still_match_through_the_taxonomy():
    spanish = profile("a", nace={"10.85"}, texts={"es": "Conservas de pescado"})
    english = profile("b", "IE", nace={"10.85"}, texts={"en": "Seafood canning"})
    index = Index([spanish, english])
    match = index.match(spanish, top=1)[0]
    assert match.key == "b" and match.signals["text"] == 0 and match.signals["nace"] == 1


def test_recall_and_mrr_of_known_pairs(index):
    result = evaluate(index, [("clusaga", "portugalfoods"), ("clusaga", "steel")], k=2)
    # clusaga → portugalfoods and back: rank 1 (same group, ecosystem); clusaga → steel: last of
    # six; steel → clusaga: steel shares nothing, so five candidates tie on "another country"
    # and the tie goes by key: clusaga first.
    ranks = {(r["query"], r["target"]): r["rank"] for r in result["ranks"]}
    assert ranks == {
        ("clusaga", "portugalfoods"): 1, ("portugalfoods", "clusaga"): 1,
        ("clusaga", "steel"): 6, ("steel", "clusaga"): 1,
    }  # fmt: skip
    assert result["queries"] == 4
    assert result["recall_at_k"] == 0.75
    expected_mrr = (1 + 1 + 1 / 6 + 1) / 4
    assert math.isclose(result["mrr"], expected_mrr)


def test_countries_and_regions_together():
    profiles = [
        profile("galicia", "ES", region="ES11"),
        profile("north", "PT", region="PT11"),
        profile("centre", "PT", region="PT16"),
        profile("brittany", "FR", region="FRH0"),
        profile("nowhere", "FR"),
        profile("query", "IE"),
    ]
    index = Index(profiles)

    def kept(**preferences):
        matches = index.match(profiles[-1], top=10, preferences=Preferences(**preferences))
        return {m.key for m in matches}

    assert kept(regions=frozenset({"PT1"})) == {"north", "centre"}  # NUTS 1 holds both
    assert kept(regions=frozenset({"PT11"}), countries=frozenset({"FR"})) == {
        "north", "brittany", "nowhere",
    }  # fmt: skip
    assert len(kept()) == 5
