"""Signal weights learned from the cooperation the platform records (issue 25). Pure: no Django.

Every recorded cooperation between two clusters (an agreement between them, an expression of
interest by one cluster's manager in the other's posting, a shared network or working group, a
joint event or proposal: `selectors.recorded_cooperation`) is a positive example, in both
directions: for the query a, the candidate b was right. For each positive, `negatives`
candidates the query has no record with are drawn at random (seeded) from those its question may
propose: the sampled negatives of implicit-feedback recommenders, where only positives are
observed (Pan et al., "One-class collaborative filtering", ICDM 2008; Rendle et al., "BPR:
Bayesian personalized ranking from implicit feedback", UAI 2009).

The question's signals of each example are the features of a logistic regression of
"recorded" (L2 penalty on the coefficients, not on the intercept; coefficients kept ≥ 0 so that
every signal still counts for a pair and the reasons stay true), fitted by projected gradient
descent (step 1/L with L = ‖[X 1]‖²/(4n) + λ, the Lipschitz constant of the gradient). A logistic
model ranks by its linear predictor, so the coefficients scaled to sum 1 are the question's
weights: the score stays a weighted mean in [0, 1].

Evaluation by time split: the latest `test_share` of the recorded pairs (by date; undated ones
count as the oldest) are held out, the weights fitted on the others, and the held-out pairs are
ranked with the default and with the learned weights (recall@k, MRR, both directions, current
partners kept). Only global weights are learned: no pair, no cluster's record reaches another
cluster's reasons.
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from atclusters.cooperation.matching import Preferences, Weights, evaluate
from atclusters.cooperation.synergy import RegionWeights, SynergyIndex

QUESTIONS = ("abroad", "region")
PENALTY = 0.01
STEPS = 3000
MIN_POSITIVES = 4
KEPT = Preferences(exclude_partners=False)


@dataclass(frozen=True)
class Recorded:
    """A recorded cooperation between two clusters (index keys), with its date and kind."""

    first: str
    second: str
    when: date | None = None
    kind: str = "agreement"


class NotEnoughCooperation(ValueError):
    pass


def weights_class(question: str) -> type[Weights] | type[RegionWeights]:
    return Weights if question == "abroad" else RegionWeights


def fit(features: np.ndarray, labels: np.ndarray, *, penalty: float = PENALTY, steps: int = STEPS):
    """Non-negative L2-penalised logistic regression: (coefficients, intercept)."""
    count, width = features.shape
    with_intercept = np.column_stack([features, np.ones(count)])
    lipschitz = float(np.linalg.norm(with_intercept, 2)) ** 2 / (4 * count) + penalty
    step = 1 / lipschitz
    coefficients, intercept = np.zeros(width), 0.0
    for _ in range(steps):
        predicted = 1 / (1 + np.exp(-(features @ coefficients + intercept)))
        error = predicted - labels
        coefficients = np.maximum(
            coefficients - step * (features.T @ error / count + penalty * coefficients), 0
        )
        intercept -= step * float(error.mean())
    return coefficients, intercept


def examples(
    index: SynergyIndex,
    pairs: Sequence[Recorded],
    question: str,
    *,
    negatives: int = 10,
    seed: int = 42,
) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Features and labels of the positives (both directions) the question may propose and of
    their sampled negatives; the signal names; the positives left out (outside the question)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not secrets
    recorded: dict[str, set[str]] = {}
    for pair in pairs:
        recorded.setdefault(pair.first, set()).add(pair.second)
        recorded.setdefault(pair.second, set()).add(pair.first)
    rows: list[np.ndarray] = []
    labels: list[int] = []
    names: list[str] = []
    outside = 0
    for query_key in sorted(recorded):
        if query_key not in index.position:
            continue
        query = index.profiles[index.position[query_key]]
        signals, _score, eligible = index.question(query, question)
        names = sorted(signals)
        matrix = np.column_stack([signals[name] for name in names])
        own = index.position[query_key]
        targets = [
            index.position[key] for key in sorted(recorded[query_key]) if key in index.position
        ]
        inside = [row for row in targets if eligible[row]]
        outside += len(targets) - len(inside)
        if not inside:
            continue
        pool = [
            row
            for row in np.flatnonzero(eligible).tolist()
            if row != own and row not in set(targets)
        ]
        for row in inside:
            rows.append(matrix[row])
            labels.append(1)
            for other in rng.sample(pool, min(negatives, len(pool))):
                rows.append(matrix[other])
                labels.append(0)
    if not rows:
        return np.zeros((0, len(names))), np.zeros(0), names, outside
    return np.vstack(rows), np.array(labels, dtype=float), names, outside


def learn(
    index: SynergyIndex,
    pairs: Sequence[Recorded],
    question: str,
    *,
    negatives: int = 10,
    seed: int = 42,
) -> dict:
    """The question's weights learned from the recorded pairs: {weights, positives, negatives,
    outside, coefficients, intercept}. Fewer than MIN_POSITIVES usable positives raise
    NotEnoughCooperation."""
    if question not in QUESTIONS:
        raise ValueError(f"unknown question {question!r}: abroad or region")
    features, labels, names, outside = examples(
        index, pairs, question, negatives=negatives, seed=seed
    )
    positives = int(labels.sum())
    if positives < MIN_POSITIVES:
        raise NotEnoughCooperation(
            f"{positives} recorded cooperations fit the {question} question "
            f"({outside} outside it); at least {MIN_POSITIVES} are needed"
        )
    coefficients, intercept = fit(features, labels)
    total = float(coefficients.sum())
    fitted = dict(zip(names, coefficients.tolist(), strict=True))
    known = {item.name for item in fields(weights_class(question))}
    weights = {
        name: round(fitted.get(name, 0.0) / total, 4) if total else 0.0 for name in sorted(known)
    }
    return {
        "question": question,
        "weights": weights,
        "positives": positives,
        "negatives": int(len(labels) - positives),
        "outside": outside,
        "coefficients": {name: round(value, 4) for name, value in fitted.items()},
        "intercept": round(intercept, 4),
    }


def as_weights(question: str, values: Mapping[str, float]) -> Weights | RegionWeights:
    """The question's weights from stored values (a signal not stored counts 0)."""
    cls = weights_class(question)
    return cls(**{item.name: float(values.get(item.name, 0.0)) for item in fields(cls)})


def time_split(
    pairs: Sequence[Recorded], test_share: float
) -> tuple[list[Recorded], list[Recorded]]:
    """The earlier pairs to learn from and the latest `test_share` to hold out."""
    ordered = sorted(pairs, key=lambda pair: (pair.when or date.min, pair.first, pair.second))
    held = max(1, round(len(ordered) * test_share))
    return ordered[:-held], ordered[-held:]


def held_out(
    index: SynergyIndex,
    pairs: Sequence[Recorded],
    question: str,
    *,
    k: int = 10,
    test_share: float = 0.3,
    negatives: int = 10,
    seed: int = 42,
    default: Weights | RegionWeights | None = None,
) -> dict:
    """Learn on the earlier pairs, rank the held-out ones with the default and the learned
    weights: {learned (as `learn`), train, test, default: {recall_at_k, mrr}, learned_ranking:
    {recall_at_k, mrr}}."""
    if not 0 < test_share < 1:
        raise ValueError("test share: give a number between 0 and 1")
    train, test = time_split(pairs, test_share)
    learned = learn(index, train, question, negatives=negatives, seed=seed)
    default = default or weights_class(question)()
    fitted = as_weights(question, learned["weights"])
    held = [(pair.first, pair.second) for pair in test]

    def ranking(weights: Weights | RegionWeights) -> dict:
        option = {"weights": weights} if question == "abroad" else {"region_weights": weights}
        result = evaluate(
            index,  # type: ignore[arg-type]
            held,
            k=k,
            mode=question,
            preferences=KEPT,
            **option,
        )
        return {key: result[key] for key in ("queries", "recall_at_k", "mrr")}

    return {
        "learned": learned,
        "train": len(train),
        "test": len(test),
        "k": k,
        "default": ranking(default),
        "learned_ranking": ranking(fitted),
    }
