"""The EU Funding & Tenders portal's search API answer, read with no Django: `POST
https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***` answers
`{"totalResults", "pageNumber", "pageSize", "results": [...]}`, one result per topic or call,
whose `metadata` maps each field to a LIST of strings (docs/funding.md, "Formats"):

| metadata field | what we read |
|---|---|
| `identifier` | the topic's identifier, e.g. HORIZON-CL6-2026-FARM2FORK-01-03 |
| `callIdentifier`, `callTitle` | the call it belongs to |
| `title` (else the result's `title`, `summary`) | the topic's title |
| `descriptionByte` / `description` | its description (HTML; the text is kept) |
| `startDate` | opening date |
| `deadlineDate` | one per stage or cut-off |
| `deadlineModel` | "single-stage", "two-stage", "multiple cut-off" |
| `typesOfAction` | e.g. "HORIZON Innovation Actions" |
| `keywords` | free keywords |
| `budgetOverview` | a JSON TEXT: `budgetTopicActionMap` → {id: [{action, budgetYearMap, expectedGrants, minContribution, maxContribution, deadlineDates, deadlineModel}]} |
| (built from `identifier`) | the topic's page on the portal |

The rows are the columns of the calls importer (importers.CallImporter), so a portal answer and
a spreadsheet of calls entered by hand go through the same checks."""

import html
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

# The programme from the identifier's prefix: the portal's `frameworkProgramme` is an internal
# number, the identifiers start with the programme's own code (e.g. HORIZON-CL6-…, LIFE-2026-…).
PROGRAMMES = {
    "HORIZON": "Horizon Europe",
    "DIGITAL": "Digital Europe",
    "LIFE": "LIFE",
    "SMP": "Single Market Programme",
    "ERASMUS": "Erasmus+",
    "CREA": "Creative Europe",
    "EMFAF": "EMFAF",
    "I3": "Interregional Innovation Investments",
    "CEF": "Connecting Europe Facility",
    "EU4H": "EU4Health",
    "EDF": "European Defence Fund",
    "AGRIP": "Promotion of agricultural products",
    "SOCPL": "ESF+ / EaSI",
    "INTERREG": "Interreg",
}
# The topic's public page on the portal (the result's own `url` is a JSON document).
TOPIC_PAGE = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"[ \t\r\f\v]+")
BLANK_LINES = re.compile(r"\n\s*\n+")


class FormatError(ValueError):
    """Not a search API answer."""


def text_of(markup: str) -> str:
    """The text of the portal's HTML: block ends become line breaks, tags go, entities are
    decoded (the pages escape it again when they show it)."""
    spaced = re.sub(r"(?i)<br\s*/?>|</(p|li|div|h\d)>", "\n", markup)
    plain = html.unescape(TAG.sub(" ", spaced))
    lines = (SPACE.sub(" ", line).strip() for line in plain.split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _values(metadata: dict[str, Any], key: str) -> list[str]:
    value = metadata.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


def _first(metadata: dict[str, Any], key: str) -> str:
    values = _values(metadata, key)
    return values[0] if values else ""


def programme_of(identifier: str) -> str:
    prefix = identifier.split("-", 1)[0].upper()
    return PROGRAMMES.get(prefix, prefix)


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number > 0 else None


def budget(overview: str, identifier: str) -> dict[str, str]:
    """The topic's budget (its actions' yearly amounts summed), expected number of grants and
    grant per project (the largest contribution) from the budget overview, which covers the
    whole call: only the actions whose name starts with the topic's identifier count, or the
    only one there is."""
    if not overview:
        return {}
    try:
        document = json.loads(overview)
    except ValueError:
        return {}
    table = document.get("budgetTopicActionMap") if isinstance(document, dict) else None
    if not isinstance(table, dict):
        return {}
    actions = [a for rows in table.values() if isinstance(rows, list) for a in rows]
    actions = [a for a in actions if isinstance(a, dict)]
    mine = [a for a in actions if str(a.get("action", "")).upper().startswith(identifier.upper())]
    chosen = mine or (actions if len(actions) == 1 else [])
    if not chosen:
        return {}
    total = sum(
        (_number(v) or Decimal(0))
        for action in chosen
        for v in (action.get("budgetYearMap") or {}).values()
    )
    grants = sum(int(action.get("expectedGrants") or 0) for action in chosen)
    largest = max((_number(a.get("maxContribution")) or Decimal(0) for a in chosen), default=0)
    result = {}
    if total:
        result["budget_eur"] = str(total)
    if grants:
        result["expected_grants"] = str(grants)
    if largest:
        result["expected_grant_eur"] = str(largest)
    return result


def rows(answer: Any) -> list[dict[str, str]]:
    """The import rows of a search API answer, in its order (raises FormatError)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise FormatError("results")
    return [_row(result) for result in answer["results"] if isinstance(result, dict)]


def _row(result: dict[str, Any]) -> dict[str, str]:
    metadata = result.get("metadata") or {}
    if not isinstance(metadata, dict):
        metadata = {}
    identifier = _first(metadata, "identifier")
    description = _first(metadata, "descriptionByte") or _first(metadata, "description")
    row = {
        "identifier": identifier,
        "call_identifier": _first(metadata, "callIdentifier"),
        "programme": programme_of(identifier) if identifier else "",
        "title": _first(metadata, "title")
        or str(result.get("title") or result.get("summary") or ""),
        "description": text_of(description),
        "opening_date": _first(metadata, "startDate"),
        "deadline_model": _first(metadata, "deadlineModel"),
        "deadlines": ";".join(_values(metadata, "deadlineDate")),
        "type_of_action": _first(metadata, "typesOfAction"),
        "keywords": ";".join(_joined(_values(metadata, "keywords"))),
        "url": TOPIC_PAGE.format(identifier=identifier.lower()) if identifier else "",
    }
    return row | budget(_first(metadata, "budgetOverview"), identifier)


def _joined(values: Iterable[str]) -> list[str]:
    return [value.replace(";", ",") for value in values]
