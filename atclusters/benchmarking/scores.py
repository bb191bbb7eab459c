"""Scores of one cluster's answers (pure Python, no Django): thresholds met, label readiness,
area scores from percentile ranks, strengths and weaknesses. Conventions in
docs/benchmarking.md."""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

# The framework's indicators that the label rules read, by what the platform computes.
BRONZE_FIGURES = {
    "min_management_fte": "management_fte",
    "min_committed_members": "members_total",
    "min_member_types": "member_types",
}


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


def label_readiness(
    indicators: list[Mapping[str, Any]], values: Mapping[str, Any], rules: Mapping[str, Any]
) -> dict[str, Any]:
    """Bronze: every prerequisite of `rules['bronze']` met by the indicator computed from the
    same figure; Gold: the share of indicators with a threshold that meet it, at least
    `rules['gold']['min_share_meeting_thresholds']`."""
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
    share = sum(judged) / len(judged) if judged else None
    gold_share = (rules.get("gold") or {}).get("min_share_meeting_thresholds")
    return {
        "bronze": not bronze_missing,
        "bronze_missing": bronze_missing,
        "thresholds_judged": len(judged),
        "share_meeting_thresholds": share,
        "gold": share is not None and gold_share is not None and share >= gold_share,
    }


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
