"""Indicator frameworks as documents (pure Python, no models): reading YAML or JSON, checking
every field with an error that names its path, and the shipped documents.

A framework: `slug`, `version`, `kind`, `name` (per language), `areas` (code → name per
language), `label_rules`, and `indicators`, each with `code`, `area`, `type`, `label` and `help`
in the five languages, and optionally `unit`, `min`, `max`, `choices`, `higher_is_better`,
`threshold`, `weight`, `computed` (the platform figure that pre-fills it) and `knock_out`.

Two kinds (docs/benchmarking.md): a `benchmarking` framework (the default) is answered in
benchmarking rounds and compared with peers; its `label_rules` hold the Bronze prerequisites
and the Silver rule. A `gold_assessment` is the Gold label's own assessment: every indicator
has a quality threshold, the `knock_out` ones are baseline minimum requirements that fail the
assessment whatever the share, and `label_rules.gold.min_share_meeting_thresholds` is the
share of the other (quality) indicators that must meet their thresholds."""

import json
import math
from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from atclusters.core import languages, tables

LANGUAGES = languages.CODES
TYPES = ("number", "percentage", "money", "boolean", "choice", "date", "text")
NUMERIC = ("number", "percentage", "money")
DEFAULT_FRAMEWORK = Path(__file__).parent / "data" / "default_framework.yaml"
GOLD_ASSESSMENT = Path(__file__).parent / "data" / "gold_assessment.yaml"
BENCHMARKING, GOLD = "benchmarking", "gold_assessment"
KINDS = (BENCHMARKING, GOLD)
SILVER_RULES = ("min_months", "max_months", "min_improved_areas")
# The Bronze prerequisites a benchmarking framework may set, by the figure the platform computes
# for the indicator that the prerequisite reads.
BRONZE_FIGURES = {
    "min_management_fte": "management_fte",
    "min_committed_members": "members_total",
    "min_member_types": "member_types",
}


class FrameworkError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key repeated in one mapping (it would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def read(content: str, name: str = "") -> dict[str, Any]:
    """A framework document from YAML or JSON text (JSON is YAML too), read within the bounds
    of every uploaded document (core/tables.py): no key twice in one mapping, no nesting deeper than
    tables.JSON_MAX_DEPTH, no YAML aliases expanding past tables.DOCUMENT_MAX_VALUES, and no
    NUL character in any text."""
    where = name or "file"
    try:
        if name.lower().endswith(".json"):
            document = tables.load_json(content)
        else:
            document = yaml.load(content, Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({error})"]) from error
    except RecursionError:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({tables.too_deep()})"]) from None
    except tables.TableError as error:
        raise FrameworkError([f"{where}: {error}"]) from error
    problem = tables.nesting_problem(document, max_values=tables.DOCUMENT_MAX_VALUES)
    if problem is not None:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({problem})"])
    if not isinstance(document, dict):
        raise FrameworkError(["the document must be a mapping with slug, version, indicators"])
    place = tables.nul_place(document)
    if place is not None:
        raise FrameworkError([str(tables.NulCharacter(place))])
    return document


def write(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _translations(value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: give the text in {', '.join(LANGUAGES)}")
        return
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path}.{language}: missing")
    # An unquoted comma in a YAML flow mapping ({en: Micro, small…}) cuts the text and leaves
    # the rest as a key of its own: report it instead of storing half a sentence.
    for key in value:
        if key not in LANGUAGES:
            problems.append(f"{path}: {key!r} is not a language (quote texts that contain a comma)")


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def kind_of(document: dict[str, Any]) -> str:
    return document.get("kind") or BENCHMARKING


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _label_rules(rules: Any, kind: str, problems: list[str]) -> None:
    """The rules each kind reads: Bronze and Silver for a benchmarking framework, the Gold
    share for a Gold assessment. Other keys are left alone (a benchmarking framework stored
    before Gold had its own assessment has `gold`, which nothing reads any more)."""
    if rules is None:
        rules = {}
    if not isinstance(rules, dict):
        problems.append("label_rules: must be a mapping")
        return
    if kind == GOLD:
        share = (rules.get("gold") or {}).get("min_share_meeting_thresholds")
        if not _number(share) or not 0 < share <= 1:
            problems.append(
                "label_rules.gold.min_share_meeting_thresholds: a Gold assessment gives the "
                "share of quality indicators to meet, above 0 and at most 1 (0.8 for 80 %)"
            )
        return
    for rule, minimum in (rules.get("bronze") or {}).items():
        if rule not in BRONZE_FIGURES:
            problems.append(f"label_rules.bronze.{rule}: use {', '.join(BRONZE_FIGURES)}")
        elif not _number(minimum):
            problems.append(f"label_rules.bronze.{rule}: must be a number")
    silver = rules.get("silver")
    if silver is None:
        return
    if not isinstance(silver, dict) or set(silver) != set(SILVER_RULES):
        problems.append(f"label_rules.silver: give {', '.join(SILVER_RULES)}")
    elif not all(_whole(silver[rule]) for rule in SILVER_RULES):
        problems.append("label_rules.silver: whole numbers, 0 or more")
    elif silver["min_months"] > silver["max_months"]:
        problems.append("label_rules.silver.min_months: above max_months")


def check(document: dict[str, Any]) -> list[str]:
    """Every problem of the document, each naming its path (e.g. `indicators[3].type`)."""
    problems: list[str] = []
    if not isinstance(document.get("slug"), str) or not document["slug"].strip():
        problems.append("slug: missing")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: a whole number from 1")
    document_kind = kind_of(document)
    if document_kind not in KINDS:
        problems.append(f"kind: {document_kind!r}; use {' or '.join(KINDS)}")
    _translations(document.get("name"), "name", problems)
    _label_rules(document.get("label_rules"), document_kind, problems)
    areas = document.get("areas")
    if not isinstance(areas, dict) or not areas:
        problems.append("areas: give at least one area")
        areas = {}
    for code, names in areas.items():
        _translations(names, f"areas.{code}", problems)
    indicators = document.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        return [*problems, "indicators: give at least one indicator"]
    seen: set[str] = set()
    for index, indicator in enumerate(indicators):
        path = f"indicators[{index}]"
        if not isinstance(indicator, dict):
            problems.append(f"{path}: must be a mapping")
            continue
        code = indicator.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{path}.code: missing")
        elif code in seen:
            problems.append(f"{path}.code: {code} is used twice")
        else:
            seen.add(code)
        if indicator.get("area") not in areas:
            problems.append(f"{path}.area: {indicator.get('area')!r} is not one of the areas")
        kind = indicator.get("type")
        if kind not in TYPES:
            problems.append(f"{path}.type: {kind!r}; use one of {', '.join(TYPES)}")
        _translations(indicator.get("label"), f"{path}.label", problems)
        _translations(indicator.get("help"), f"{path}.help", problems)
        low, high = indicator.get("min"), indicator.get("max")
        for key in ("min", "max", "weight"):
            if key in indicator and not _number(indicator[key]):
                problems.append(f"{path}.{key}: must be a number")
        if _number(low) and _number(high) and low > high:
            problems.append(f"{path}.min: above max")
        if kind == "percentage" and _number(high) and high > 100:
            problems.append(f"{path}.max: a percentage is at most 100")
        if kind == "choice":
            choices = indicator.get("choices")
            if not isinstance(choices, list) or not choices:
                problems.append(f"{path}.choices: a choice indicator lists its choices")
            elif "threshold" in indicator and indicator["threshold"] not in choices:
                problems.append(f"{path}.threshold: not one of the choices")
        elif (
            "threshold" in indicator
            and kind in (*NUMERIC, "boolean")
            and not _number(indicator["threshold"])
        ):
            problems.append(f"{path}.threshold: must be a number")
        better = indicator.get("higher_is_better")
        if better is not None and not isinstance(better, bool):
            problems.append(f"{path}.higher_is_better: true, false or absent")
        problems.extend(_gold_problems(indicator, document_kind, path))
    return problems


def _gold_problems(indicator: dict[str, Any], kind: str, path: str) -> list[str]:
    """A Gold assessment judges every answer against a quality threshold (free text excepted:
    it holds evidence); knock-out criteria belong to Gold assessments only."""
    knock_out = indicator.get("knock_out", False)
    if not isinstance(knock_out, bool):
        return [f"{path}.knock_out: true, false or absent"]
    if kind != GOLD:
        if knock_out:
            return [f"{path}.knock_out: only a Gold assessment ({GOLD}) has knock-out criteria"]
        return []
    if indicator.get("type") == "text":
        if knock_out:
            return [f"{path}.knock_out: a free-text answer cannot be a knock-out criterion"]
        return []
    if "threshold" not in indicator:
        return [f"{path}.threshold: every indicator of a Gold assessment has a quality threshold"]
    return []


def load(content: str, name: str = "") -> dict[str, Any]:
    """Reads and checks a framework; raises `FrameworkError` with every problem."""
    document = read(content, name)
    problems = check(document)
    if problems:
        raise FrameworkError(problems)
    return document


def default_framework() -> dict[str, Any]:
    return load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"), DEFAULT_FRAMEWORK.name)


def gold_assessment() -> dict[str, Any]:
    """The shipped Gold assessment (our own indicators; docs/benchmarking.md says which parts
    follow ESCA's public descriptions and which are our reading)."""
    return load(GOLD_ASSESSMENT.read_text(encoding="utf-8"), GOLD_ASSESSMENT.name)


SHIPPED = (DEFAULT_FRAMEWORK, GOLD_ASSESSMENT)


def text_in(texts: dict[str, str], language: str) -> str:
    """A text of a document in the language asked, else in English."""
    return texts.get(language) or texts.get("en", "")


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "y"}, {"0", "false", "no", "n"}


NOT_A_NUMBER, BELOW_MINIMUM, ABOVE_MAXIMUM = "not-a-number", "below-minimum", "above-maximum"
NOT_YES_OR_NO, NOT_A_CHOICE, NOT_A_DATE, TOO_LONG = (
    "not-yes-or-no",
    "not-a-choice",
    "not-a-date",
    "too-long",
)


class AnswerInvalid(ValueError):
    """An answer that does not fit its indicator: `code` names the problem and `values` what
    its wording needs (the services word it in the reader's language); the message is the
    English the command line gives."""

    def __init__(self, code: str, message: str, **values: Any):
        super().__init__(message)
        self.code, self.values = code, values


def parse_value(indicator: dict[str, Any], raw: Any) -> Any:
    """One answer for `indicator`, typed and within its range; raises AnswerInvalid with the
    reason. Empty answers are None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = indicator["type"]
    if kind in NUMERIC:
        try:
            number = float(str(raw).replace(",", "."))
        except ValueError as error:
            raise AnswerInvalid(NOT_A_NUMBER, f"{raw!r} is not a number", raw=raw) from error
        if not math.isfinite(number):
            raise AnswerInvalid(NOT_A_NUMBER, f"{raw!r} is not a number", raw=raw)
        low = indicator.get("min", 0 if kind == "percentage" else None)
        high = indicator.get("max", 100 if kind == "percentage" else None)
        if low is not None and number < low:
            raise AnswerInvalid(BELOW_MINIMUM, f"must be at least {low:g}", bound=low)
        if high is not None and number > high:
            raise AnswerInvalid(ABOVE_MAXIMUM, f"must be at most {high:g}", bound=high)
        return number
    if kind == "boolean":
        word = str(raw).strip().lower()
        if word in TRUE_WORDS or raw is True:
            return True
        if word in FALSE_WORDS or raw is False:
            return False
        raise AnswerInvalid(NOT_YES_OR_NO, f"{raw!r} is not yes or no", raw=raw)
    if kind == "choice":
        if raw not in indicator.get("choices", []):
            choices = ", ".join(map(str, indicator["choices"]))
            raise AnswerInvalid(
                NOT_A_CHOICE, f"{raw!r} is not one of {choices}", raw=raw, choices=choices
            )
        return raw
    if kind == "date":
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError as error:
            message = f"{raw!r} is not a date (YYYY-MM-DD)"
            raise AnswerInvalid(NOT_A_DATE, message, raw=raw) from error
    text = str(raw).strip()
    if len(text) > TEXT_LIMIT:
        raise AnswerInvalid(TOO_LONG, f"longer than {TEXT_LIMIT} characters", limit=TEXT_LIMIT)
    return text


TEXT_LIMIT = 2000
