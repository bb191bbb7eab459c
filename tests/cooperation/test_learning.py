"""Weights learned from recorded cooperation (issue 25): the logistic fit against a known
solution, and, on a synthetic registry whose recorded cooperation follows rules the default
weights do not favour, a better held-out MRR with the learned weights."""

import random
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.optimize import minimize

from atclusters.cooperation.learning import (
    NotEnoughCooperation,
    Recorded,
    as_weights,
    fit,
    held_out,
    learn,
    time_split,
)
from atclusters.cooperation.matching import Index, Profile, Vocabulary
from atclusters.cooperation.synergy import RegionWeights, SynergyIndex

DIVISIONS = ["10", "17", "22", "25", "28", "29", "30", "62"]
CHAIN = {("17", "10"): "paper → food", ("25", "29"): "metal → cars", ("62", "30"): "software"}


def test_fit_recovers_a_logistic_model():
    # Labels drawn from P(y) = σ(3·x₁ − 2) with x₂ noise: x₁ gets the weight, x₂ about none.
    rng = np.random.default_rng(7)
    features = rng.random((4000, 2))
    labels = (rng.random(4000) < 1 / (1 + np.exp(-(3 * features[:, 0] - 2)))).astype(float)
    coefficients, intercept = fit(features, labels, penalty=0.0)

    def loss(values):  # the mean negative log-likelihood, minimised by SciPy's BFGS
        z = features @ values[:2] + values[2]
        return np.mean(np.logaddexp(0, z) - labels * z)

    oracle = minimize(loss, np.zeros(3), method="BFGS").x
    assert [*coefficients, intercept] == pytest.approx(oracle, abs=1e-3)
    assert coefficients[0] == pytest.approx(3, abs=0.2) and intercept == pytest.approx(-2, abs=0.2)


def synthetic(seed=3):
    """120 clusters in three countries; the recorded cooperation joins clusters that share a
    technology field and stand in a value chain, whatever their ecosystem (drawn at random from
    three, which the default weights reward)."""
    rng = random.Random(seed)
    profiles = []
    for number in range(120):
        country = rng.choice(["ES", "PT", "FR"])
        profiles.append(
            Profile(
                key=f"c{number}",
                name=f"C{number}",
                country=country,
                region={"ES": "ES11", "PT": "PT11", "FR": "FRH0"}[country],
                nace=frozenset({rng.choice(DIVISIONS)}),
                ecosystems=frozenset({f"eco-{rng.randint(1, 3)}"}),
                technologies=frozenset(f"tech-{rng.randint(1, 25)}" for _ in range(2)),
            )
        )
    chained = {(a, b) for a, b in CHAIN} | {(b, a) for a, b in CHAIN}
    fitting = [
        (a.key, b.key)
        for position, a in enumerate(profiles)
        for b in profiles[position + 1 :]
        if a.technologies & b.technologies
        and any((x, y) in chained for x in a.nace for y in b.nace)
    ]
    rng.shuffle(fitting)
    start = date(2015, 1, 1)
    pairs = [
        Recorded(a, b, start + timedelta(days=30 * number))
        for number, (a, b) in enumerate(fitting[:40])
    ]
    index = SynergyIndex(Index(profiles, Vocabulary(value_chain=CHAIN)))
    return index, pairs


def test_learned_weights_improve_the_held_out_mrr():
    index, pairs = synthetic()
    assert len(pairs) == 40
    result = held_out(index, pairs, "abroad", k=10, test_share=0.3)
    assert (result["train"], result["test"]) == (28, 12)
    weights = result["learned"]["weights"]
    assert sum(weights.values()) == pytest.approx(1, abs=1e-3)
    assert weights["technology"] > weights["ecosystem"]
    assert weights["value_chain"] > weights["nace"]
    default, learned = result["default"], result["learned_ranking"]
    assert default["queries"] == learned["queries"] == 24
    assert learned["mrr"] > default["mrr"] + 0.1
    assert learned["recall_at_k"] >= default["recall_at_k"]


def test_time_split_and_too_little_cooperation():
    pairs = [
        Recorded("a", "b", date(2020, 1, 1)),
        Recorded("c", "d", None),
        Recorded("e", "f", date(2019, 1, 1)),
    ]
    train, test = time_split(pairs, 0.3)
    assert [p.first for p in train] == ["c", "e"] and [p.first for p in test] == ["a"]
    index, recorded = synthetic()
    with pytest.raises(NotEnoughCooperation, match="at least 4 are needed"):
        learn(index, recorded[:1], "abroad")
    with pytest.raises(ValueError, match="unknown question 'near'"):
        learn(index, recorded, "near")


def test_region_weights_from_stored_values():
    weights = as_weights("region", {"technology": 0.5, "proximity": 0.5, "colour": 1})
    assert weights == RegionWeights(
        technology=0.5, s3=0, ecosystem=0, related_variety=0, related=0, value_chain=0,
        text=0, proximity=0.5, semantic=0,
    )  # fmt: skip
