"""Indicator frameworks as documents (pure Python, no models): reading YAML or JSON, checking
every field with an error that names its path, and the shipped default framework.

A framework: `slug`, `version`, `name` (per language), `areas` (code → name per language),
`label_rules`, and `indicators`, each with `code`, `area`, `type`, `label` and `help` in the
five languages, and optionally `unit`, `min`, `max`, `choices`, `higher_is_better`,
`threshold`, `weight` and `computed` (the platform figure that pre-fills it)."""

import json
import math
from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from atclusters.registry import tabular

LANGUAGES = ("en", "es", "gl", "pt", "fr")
TYPES = ("number", "percentage", "money", "boolean", "choice", "date", "text")
NUMERIC = ("number", "percentage", "money")
DEFAULT_FRAMEWORK = Path(__file__).parent / "data" / "default_framework.yaml"


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
    of every uploaded document (tabular): no key twice in one mapping, no nesting deeper than
    tabular.JSON_MAX_DEPTH, no YAML aliases expanding past tabular.DOCUMENT_MAX_VALUES, and no
    NUL character in any text."""
    where = name or "file"
    try:
        if name.lower().endswith(".json"):
            document = tabular.load_json(content)
        else:
            document = yaml.load(content, Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({error})"]) from error
    except RecursionError:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({tabular.too_deep()})"]) from None
    except tabular.TableError as error:
        raise FrameworkError([f"{where}: {error}"]) from error
    problem = tabular.nesting_problem(document, max_values=tabular.DOCUMENT_MAX_VALUES)
    if problem is not None:
        raise FrameworkError([f"{where}: not valid YAML/JSON ({problem})"])
    if not isinstance(document, dict):
        raise FrameworkError(["the document must be a mapping with slug, version, indicators"])
    place = tabular.nul_place(document)
    if place is not None:
        raise FrameworkError([str(tabular.NulCharacter(place))])
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


def check(document: dict[str, Any]) -> list[str]:
    """Every problem of the document, each naming its path (e.g. `indicators[3].type`)."""
    problems: list[str] = []
    if not isinstance(document.get("slug"), str) or not document["slug"].strip():
        problems.append("slug: missing")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: a whole number from 1")
    _translations(document.get("name"), "name", problems)
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
    return problems


def load(content: str, name: str = "") -> dict[str, Any]:
    """Reads and checks a framework; raises `FrameworkError` with every problem."""
    document = read(content, name)
    problems = check(document)
    if problems:
        raise FrameworkError(problems)
    return document


def default_framework() -> dict[str, Any]:
    return load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"), DEFAULT_FRAMEWORK.name)


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "y"}, {"0", "false", "no", "n"}


def parse_value(indicator: dict[str, Any], raw: Any) -> Any:
    """One answer for `indicator`, typed and within its range; raises ValueError with the
    reason. Empty answers are None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = indicator["type"]
    if kind in NUMERIC:
        try:
            number = float(str(raw).replace(",", "."))
        except ValueError as error:
            raise ValueError(f"{raw!r} is not a number") from error
        if not math.isfinite(number):
            raise ValueError(f"{raw!r} is not a number")
        low = indicator.get("min", 0 if kind == "percentage" else None)
        high = indicator.get("max", 100 if kind == "percentage" else None)
        if low is not None and number < low:
            raise ValueError(f"must be at least {low:g}")
        if high is not None and number > high:
            raise ValueError(f"must be at most {high:g}")
        return number
    if kind == "boolean":
        word = str(raw).strip().lower()
        if word in TRUE_WORDS or raw is True:
            return True
        if word in FALSE_WORDS or raw is False:
            return False
        raise ValueError(f"{raw!r} is not yes or no")
    if kind == "choice":
        if raw not in indicator.get("choices", []):
            raise ValueError(f"{raw!r} is not one of {', '.join(map(str, indicator['choices']))}")
        return raw
    if kind == "date":
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError as error:
            raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from error
    text = str(raw).strip()
    if len(text) > TEXT_LIMIT:
        raise ValueError(f"longer than {TEXT_LIMIT} characters")
    return text


TEXT_LIMIT = 2000
