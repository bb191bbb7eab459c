"""Scores of one cluster's answers (pure Python, no Django): thresholds met, label readiness
(Bronze prerequisites, the Gold assessment, Silver from two benchmarkings), area scores from
percentile ranks, strengths and weaknesses. Conventions and sources in docs/benchmarking.md."""

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from atclusters.benchmarking.frameworks import BRONZE_FIGURES, NUMERIC


def meets_threshold(indicator: Mapping[str, Any], value: Any) -> bool | None:
    """Whether an answer reaches the indicator's threshold; None without a threshold or an
    answer. Numbers: at least the threshold (at most, where lower is better); yes/no: the
    threshold's answer; choices: at least as far along the list as the threshold."""
    threshold = indicator.get("threshold")
    if threshold is None or value is None:
        return None
    lower_is_better = indicator.get("higher_is_better") is False
    if indicator["type"] == "boolean":
        return bool(value) == bool(threshold)
    if indicator["type"] == "choice":
        choices = list(indicator.get("choices", []))
        if value not in choices or threshold not in choices:
            return None
        return choices.index(value) >= choices.index(threshold)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value <= threshold if lower_is_better else value >= threshold


def benchmarking_readiness(
    indicators: list[Mapping[str, Any]], values: Mapping[str, Any], rules: Mapping[str, Any]
) -> dict[str, Any]:
    """What a benchmarking's answers say about the labels: Bronze, every prerequisite of
    `rules['bronze']` met by the indicator computed from the same figure; and the share of the
    indicators with a threshold that meet it (a profile of the answers, which decides no
    label: Gold has its own assessment, `gold_readiness`)."""
    by_figure = {item.get("computed"): item["code"] for item in indicators if item.get("computed")}
    bronze_missing = []
    for rule, minimum in (rules.get("bronze") or {}).items():
        code = by_figure.get(BRONZE_FIGURES.get(rule, ""))
        value = values.get(code) if code else None
        if not isinstance(value, int | float) or value < minimum:
            bronze_missing.append(rule)
    judged = [
        result
        for item in indicators
        if (result := meets_threshold(item, values.get(item["code"]))) is not None
    ]
    return {
        "bronze": not bronze_missing,
        "bronze_missing": bronze_missing,
        "thresholds_judged": len(judged),
        "share_meeting_thresholds": sum(judged) / len(judged) if judged else None,
    }


def gold_readiness(
    indicators: list[Mapping[str, Any]], values: Mapping[str, Any], rules: Mapping[str, Any]
) -> dict[str, Any]:
    """A Gold assessment's verdict: every knock-out criterion (baseline minimum requirement)
    met — one not met, or not answered, fails the assessment whatever the share — and at least
    `rules['gold']['min_share_meeting_thresholds']` of the quality indicators (those with a
    threshold that are not knock-outs) meeting their thresholds; a quality indicator not
    answered is not met. The share is compared exactly (79 of 100 is below 0.8, 80 of 100
    is not)."""
    knock_outs = [item for item in indicators if item.get("knock_out")]
    quality = [
        item
        for item in indicators
        if not item.get("knock_out") and item.get("threshold") is not None
    ]
    failed = [
        item["code"]
        for item in knock_outs
        if meets_threshold(item, values.get(item["code"])) is not True
    ]
    not_met = [
        item["code"]
        for item in quality
        if meets_threshold(item, values.get(item["code"])) is not True
    ]
    minimum = (rules.get("gold") or {}).get("min_share_meeting_thresholds")
    share = Fraction(len(quality) - len(not_met), len(quality)) if quality else None
    return {
        "ready": not failed
        and share is not None
        and minimum is not None
        and share >= Fraction(str(minimum)),
        "knock_outs": len(knock_outs),
        "knock_outs_failed": failed,
        "quality_indicators": len(quality),
        "quality_met": len(quality) - len(not_met),
        "quality_not_met": not_met,
        "share_met": None if share is None else float(share),
        "min_share": minimum,
    }


@dataclass(frozen=True)
class Benchmarking:
    """One validated benchmarking of a cluster, as Silver readiness reads it."""

    key: int
    year: int
    day: date
    values: Mapping[str, Any]
    bronze: bool


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 August plus
    six months is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (10 July 2024 to 10 March 2026: 20; to 9 March: 19)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def change_direction(indicator: Mapping[str, Any], before: Any, after: Any) -> int | None:
    """+1 when an answer got better from `before` to `after`, −1 when worse, 0 when equal;
    None when the indicator has no better direction or an answer is missing. Numbers and
    yes/no (yes above no) by `higher_is_better`; choices by their place in the list."""
    better = indicator.get("higher_is_better")
    if better is None or before is None or after is None:
        return None
    kind = indicator["type"]
    if kind == "choice":
        choices = list(indicator.get("choices", []))
        if before not in choices or after not in choices:
            return None
        before, after = choices.index(before), choices.index(after)
    elif kind == "boolean":
        before, after = int(bool(before)), int(bool(after))
    elif kind not in NUMERIC or not all(
        isinstance(value, int | float) and not isinstance(value, bool) for value in (before, after)
    ):
        return None
    if after == before:
        return 0
    return (1 if after > before else -1) * (1 if better else -1)


def area_changes(
    indicators: list[Mapping[str, Any]], before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, dict[str, list[str]]]:
    """Per area, the indicators that got better and those that got worse between two
    benchmarkings. An area has improved when more of its indicators got better than worse
    (our reading of ESCA's "areas ... in which they have improved": docs/benchmarking.md)."""
    changes: dict[str, dict[str, list[str]]] = {}
    for item in indicators:
        area = changes.setdefault(item["area"], {"improved": [], "worsened": []})
        direction = change_direction(item, before.get(item["code"]), after.get(item["code"]))
        if direction == 1:
            area["improved"].append(item["code"])
        elif direction == -1:
            area["worsened"].append(item["code"])
    return changes


def improved_areas(changes: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
    return [
        area for area, moved in changes.items() if len(moved["improved"]) > len(moved["worsened"])
    ]


def silver_readiness(
    *,
    indicators: list[Mapping[str, Any]],
    rules: Mapping[str, Any],
    current: Benchmarking,
    earlier: list[Benchmarking],
    knock_outs_failed: list[str] | None,
) -> dict[str, Any]:
    """Silver: `current` repeats an earlier Bronze-level benchmarking at least
    `min_months` and at most `max_months` after it (both dates included), both meeting the
    Bronze prerequisites, with at least `min_improved_areas` areas improved; and no baseline
    minimum requirement of the Gold assessment known to fail (`knock_outs_failed`, None when
    the cluster has no Gold assessment). Of several earlier benchmarkings in the window, the
    one against which most areas improved (the newest of equals); with none in the window,
    the newest, to say why. `missing` names each condition not met: `no_rule`,
    `not_bronze`, `no_earlier`, `too_soon`, `too_late`, `too_few_areas`,
    `minimum_requirements`."""
    rule = rules.get("silver")
    result: dict[str, Any] = {
        "ready": False,
        "missing": [],
        "earlier": None,
        "months": None,
        "window_months": [rule["min_months"], rule["max_months"]] if rule else None,
        "min_improved_areas": rule["min_improved_areas"] if rule else None,
        "areas": {},
        "improved_areas": [],
        "minimum_requirements_failed": knock_outs_failed or [],
    }
    if not rule:
        result["missing"].append("no_rule")
        return result
    missing = result["missing"]
    if not current.bronze:
        missing.append("not_bronze")
    before = sorted(
        (item for item in earlier if item.bronze and item.day < current.day),
        key=lambda item: item.day,
    )
    if not before:
        missing.append("no_earlier")
    else:
        in_window = [
            item
            for item in before
            if add_months(item.day, rule["min_months"])
            <= current.day
            <= add_months(item.day, rule["max_months"])
        ]
        judged = [
            (item, area_changes(indicators, item.values, current.values)) for item in in_window
        ]
        chosen, changes = max(
            judged or [(before[-1], area_changes(indicators, before[-1].values, current.values))],
            key=lambda pair: (len(improved_areas(pair[1])), pair[0].day),
        )
        months = whole_months(chosen.day, current.day)
        if not in_window:
            missing.append(
                "too_soon"
                if current.day < add_months(chosen.day, rule["min_months"])
                else "too_late"
            )
        result.update(
            earlier=chosen, months=months, areas=changes, improved_areas=improved_areas(changes)
        )
        if len(result["improved_areas"]) < rule["min_improved_areas"]:
            missing.append("too_few_areas")
    if knock_outs_failed:
        missing.append("minimum_requirements")
    result["ready"] = not missing
    return result


def area_scores(
    indicators: list[Mapping[str, Any]], percentiles: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Per area, the weighted mean of the indicators' percentile ranks (0–100, 100 best) among
    the peers; None for an area without any rank."""
    totals: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = defaultdict(float)
    areas = []
    for item in indicators:
        if item["area"] not in areas:
            areas.append(item["area"])
        rank = percentiles.get(item["code"])
        if rank is None:
            continue
        weight = float(item.get("weight", 1))
        totals[item["area"]] += weight * rank
        weights[item["area"]] += weight
    return {area: (totals[area] / weights[area] if weights[area] else None) for area in areas}


def strengths_and_weaknesses(
    percentiles: Mapping[str, float | None], count: int = 3
) -> tuple[list[str], list[str]]:
    """The indicators ranked highest among the peers (75th percentile or above) and lowest (25th
    or below), at most `count` each, best and worst first."""
    ranked = sorted(
        ((rank, code) for code, rank in percentiles.items() if rank is not None),
        key=lambda pair: (-pair[0], pair[1]),
    )
    strengths = [code for rank, code in ranked if rank >= 75][:count]
    weaknesses = [code for rank, code in reversed(ranked) if rank <= 25][:count]
    return strengths, weaknesses
