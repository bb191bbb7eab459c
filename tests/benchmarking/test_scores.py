"""Scores of a cluster's answers, worked by hand."""

from atclusters.benchmarking import frameworks
from atclusters.benchmarking.scores import (
    area_scores,
    label_readiness,
    meets_threshold,
    strengths_and_weaknesses,
)

INDICATORS = {item["code"]: item for item in frameworks.default_framework()["indicators"]}


def test_thresholds_by_type_and_direction():
    assert meets_threshold(INDICATORS["S01"], 50) is True  # threshold 50, higher is better
    assert meets_threshold(INDICATORS["S01"], 49) is False
    assert meets_threshold(INDICATORS["F02"], 55) is True  # public share ≤ 60 %
    assert meets_threshold(INDICATORS["F02"], 61) is False
    assert meets_threshold(INDICATORS["G04"], True) is True
    assert meets_threshold(INDICATORS["A04"], "gold") is True  # at least silver
    assert meets_threshold(INDICATORS["A04"], "bronze") is False
    assert meets_threshold(INDICATORS["F01"], 1e6) is None  # no threshold
    assert meets_threshold(INDICATORS["S01"], None) is None


def test_label_readiness():
    rules = frameworks.default_framework()["label_rules"]
    indicators = list(INDICATORS.values())
    values = {"G01": 0.5, "S01": 15, "S03": 2}
    ready = label_readiness(indicators, values, rules)
    assert ready["bronze"] is True and ready["bronze_missing"] == []
    # Thresholds judged: G01 (2 FTE) no, S01 (50) no, S03 (3) no → 0 of 3.
    assert ready["thresholds_judged"] == 3 and ready["share_meeting_thresholds"] == 0
    short = label_readiness(indicators, {"G01": 0.4, "S01": 20}, rules)
    assert short["bronze_missing"] == ["min_management_fte", "min_member_types"]
    gold = label_readiness(
        indicators, {"S01": 60, "S02": 70, "S03": 4, "S04": 5, "G01": 1.0}, rules
    )
    assert gold["share_meeting_thresholds"] == 0.8 and gold["gold"] is True  # 4 of 5


def test_area_scores_are_weighted_mean_ranks_and_extremes_are_listed():
    indicators = [
        {"code": "A", "area": "x", "weight": 1},
        {"code": "B", "area": "x", "weight": 3},
        {"code": "C", "area": "y", "weight": 1},
        {"code": "D", "area": "z", "weight": 1},
    ]
    scores = area_scores(indicators, {"A": 20.0, "B": 80.0, "C": 50.0, "D": None})
    assert scores == {"x": (20 + 3 * 80) / 4, "y": 50.0, "z": None}
    strengths, weaknesses = strengths_and_weaknesses(
        {"A": 90.0, "B": 75.0, "C": 10.0, "D": 25.0, "E": 50.0, "F": None}
    )
    assert strengths == ["A", "B"] and weaknesses == ["C", "D"]
