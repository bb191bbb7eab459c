"""Scores of a cluster's answers, worked by hand: thresholds, Bronze, the Gold assessment's
knock-outs and 80 % rule, Silver from two benchmarkings (docs/benchmarking.md, "Labels")."""

from datetime import date

import pytest

from atclusters.benchmarking import frameworks
from atclusters.benchmarking.scores import (
    Benchmarking,
    add_months,
    area_scores,
    benchmarking_readiness,
    change_direction,
    gold_readiness,
    meets_threshold,
    silver_readiness,
    strengths_and_weaknesses,
    whole_months,
)

INDICATORS = {item["code"]: item for item in frameworks.default_framework()["indicators"]}
GOLD = frameworks.gold_assessment()


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


def test_benchmarking_answers_give_bronze_and_a_profile_but_never_gold():
    rules = frameworks.default_framework()["label_rules"]
    indicators = list(INDICATORS.values())
    values = {"G01": 0.5, "S01": 15, "S03": 2}
    ready = benchmarking_readiness(indicators, values, rules)
    assert ready["bronze"] is True and ready["bronze_missing"] == []
    # Thresholds judged: G01 (2 FTE) no, S01 (50) no, S03 (3) no → 0 of 3.
    assert ready["thresholds_judged"] == 3 and ready["share_meeting_thresholds"] == 0
    short = benchmarking_readiness(indicators, {"G01": 0.4, "S01": 20}, rules)
    assert short["bronze_missing"] == ["min_management_fte", "min_member_types"]
    # 4 of the 5 thresholds met: a profile of the answers, not a Gold verdict (issue 17, 13).
    profile = benchmarking_readiness(
        indicators, {"S01": 60, "S02": 70, "S03": 4, "S04": 5, "G01": 1.0}, rules
    )
    assert profile["share_meeting_thresholds"] == 0.8 and "gold" not in profile
    assert "gold" not in rules  # the shipped framework no longer holds a Gold rule


def answers(document, failing=()):
    """Answers to every indicator of a Gold assessment meeting its threshold, except those in
    `failing`, which miss it."""
    values = {}
    for item in document["indicators"]:
        meets = item["code"] not in failing
        if item["type"] == "boolean":
            values[item["code"]] = meets
        else:
            step = 0 if meets else (1 if item.get("higher_is_better") is False else -1)
            values[item["code"]] = item["threshold"] + step
    return values


def test_the_shipped_gold_assessment_80_percent_and_a_knock_out():
    rules = GOLD["label_rules"]
    # 20 quality indicators, 6 knock-out criteria; missing Q01, Q09, Q16 and Q20: 16 of 20.
    four_missed = ["Q01", "Q09", "Q16", "Q20"]
    ready = gold_readiness(GOLD["indicators"], answers(GOLD, four_missed), rules)
    assert (ready["quality_indicators"], ready["quality_met"], ready["share_met"]) == (20, 16, 0.8)
    assert ready["knock_outs"] == 6 and ready["knock_outs_failed"] == []
    assert ready["quality_not_met"] == four_missed and ready["ready"] is True
    # The same 80 %, but no written strategy (K05): the knock-out fails the assessment.
    no_strategy = gold_readiness(GOLD["indicators"], answers(GOLD, [*four_missed, "K05"]), rules)
    assert no_strategy["share_met"] == 0.8 and no_strategy["knock_outs_failed"] == ["K05"]
    assert no_strategy["ready"] is False
    # A knock-out not answered is not met.
    values = answers(GOLD, four_missed)
    del values["K04"]
    assert gold_readiness(GOLD["indicators"], values, rules)["knock_outs_failed"] == ["K04"]
    # 15 of 20 (75 %): not ready.
    five = gold_readiness(GOLD["indicators"], answers(GOLD, [*four_missed, "Q05"]), rules)
    assert five["share_met"] == 0.75 and five["ready"] is False


def test_79_percent_is_not_80():
    document = {
        "indicators": [
            {"code": f"Q{n}", "area": "a", "type": "boolean", "threshold": 1} for n in range(100)
        ],
        "label_rules": {"gold": {"min_share_meeting_thresholds": 0.8}},
    }
    met = {f"Q{n}": n < 79 for n in range(100)}
    assert gold_readiness(document["indicators"], met, document["label_rules"]) == {
        "ready": False,
        "knock_outs": 0,
        "knock_outs_failed": [],
        "quality_indicators": 100,
        "quality_met": 79,
        "quality_not_met": [f"Q{n}" for n in range(79, 100)],
        "share_met": 0.79,
        "min_share": 0.8,
    }
    met["Q79"] = True
    assert gold_readiness(document["indicators"], met, document["label_rules"])["ready"] is True


def test_months_between_benchmarkings():
    assert whole_months(date(2024, 7, 10), date(2026, 3, 10)) == 20
    assert whole_months(date(2024, 7, 10), date(2026, 3, 9)) == 19
    assert add_months(date(2024, 8, 31), 18) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_direction_of_a_change():
    assert change_direction(INDICATORS["S01"], 30, 36) == 1
    assert change_direction(INDICATORS["F02"], 60, 50) == 1  # public share: lower is better
    assert change_direction(INDICATORS["G04"], True, False) == -1
    assert change_direction(INDICATORS["A04"], "bronze", "silver") == 1
    assert change_direction(INDICATORS["S01"], 30, 30) == 0
    assert change_direction(INDICATORS["S01"], None, 30) is None


# A Bronze-level benchmarking and the same answers 20 months later with three areas improved:
# structure (S01 committed members 30 → 36), financing (F03 membership fee share 20 → 25 %)
# and services (V02 members using services 40 → 55 %).
FIRST = {"G01": 1.0, "S01": 30, "S03": 3, "F03": 20, "V02": 40, "I01": 8, "A03": 10}
THREE = {**FIRST, "S01": 36, "F03": 25, "V02": 55}


def silver(first_day, values, first_values=FIRST, knock_outs_failed=None):
    document = frameworks.default_framework()
    return silver_readiness(
        indicators=document["indicators"],
        rules=document["label_rules"],
        current=Benchmarking(key=2, year=2025, day=date(2026, 3, 10), values=values, bronze=True),
        earlier=[Benchmarking(key=1, year=2023, day=first_day, values=first_values, bronze=True)],
        knock_outs_failed=knock_outs_failed,
    )


def test_silver_three_areas_after_20_months_is_ready():
    ready = silver(date(2024, 7, 10), THREE)
    assert ready["ready"] is True and ready["missing"] == []
    assert ready["months"] == 20 and ready["window_months"] == [18, 24]
    assert ready["improved_areas"] == ["structure", "financing", "services"]
    assert ready["areas"]["structure"] == {"improved": ["S01"], "worsened": []}


def test_silver_two_areas_or_twelve_months_is_not():
    two = silver(date(2024, 7, 10), {**FIRST, "S01": 36, "F03": 25})
    assert two["ready"] is False and two["missing"] == ["too_few_areas"]
    assert two["improved_areas"] == ["structure", "financing"]
    soon = silver(date(2025, 3, 10), THREE)
    assert soon["ready"] is False and soon["missing"] == ["too_soon"] and soon["months"] == 12


@pytest.mark.parametrize(
    ("first_day", "missing"),
    [
        (date(2024, 9, 10), []),  # 18 months to the day
        (date(2024, 9, 11), ["too_soon"]),
        (date(2024, 3, 10), []),  # 24 months to the day
        (date(2024, 3, 9), ["too_late"]),
    ],
)
def test_silver_window_includes_both_ends(first_day, missing):
    assert silver(first_day, THREE)["missing"] == missing


def test_an_area_where_as_much_got_worse_has_not_improved():
    mixed = silver(date(2024, 7, 10), {**THREE, "V02": 55, "V03": 10}, {**FIRST, "V03": 20})
    assert mixed["areas"]["services"] == {"improved": ["V02"], "worsened": ["V03"]}
    assert mixed["improved_areas"] == ["structure", "financing"]


def test_silver_needs_a_bronze_first_benchmarking_and_the_minimum_requirements():
    document = frameworks.default_framework()
    no_bronze = silver_readiness(
        indicators=document["indicators"],
        rules=document["label_rules"],
        current=Benchmarking(key=2, year=2025, day=date(2026, 3, 10), values=THREE, bronze=True),
        earlier=[Benchmarking(key=1, year=2023, day=date(2024, 7, 10), values=FIRST, bronze=False)],
        knock_outs_failed=None,
    )
    assert no_bronze["missing"] == ["no_earlier"]
    blocked = silver(date(2024, 7, 10), THREE, knock_outs_failed=["K05"])
    assert blocked["missing"] == ["minimum_requirements"] and blocked["ready"] is False
    unruled = silver_readiness(
        indicators=document["indicators"],
        rules={"bronze": document["label_rules"]["bronze"]},
        current=Benchmarking(key=2, year=2025, day=date(2026, 3, 10), values=THREE, bronze=True),
        earlier=[],
        knock_outs_failed=None,
    )
    assert unruled["missing"] == ["no_rule"]


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
