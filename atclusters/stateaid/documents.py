"""The register's answers as plain documents (JSON for the CLI and the API) and its exports
(CSV, XLSX, XML)."""

from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from atclusters.core import tables
from atclusters.stateaid import rules

EXPORT_FORMATS = ("csv", "xlsx", "xml")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xml": "application/xml",
}


def euros(value: Decimal) -> float:
    return float(value)


def key_and_value(text: str) -> tuple[str, str]:
    """`KEY:VALUE` as the command line and the pages take a split's successors (ID:EQUITY) and
    activity (GRANT_REF:ID); the key may itself hold colons. ValueError without both parts."""
    key, sep, value = text.strip().rpartition(":")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(text)
    return key.strip(), value.strip()


def check_document(result: rules.CheckResult, *, regulation: str, grant_date: date) -> dict:
    """The check as the CLI and the API answer it. `regulation` cites the article that sets
    the ceiling of the grant's regulation, `regulation_oj` where the OJ published it,
    `counting` how its years are counted, each cap the article of its rule."""
    in_force = result.regulation or rules.regulation_for(regulation, grant_date)
    return {
        "allowed": result.allowed,
        "headroom_eur": euros(result.headroom),
        "max_grantable_eur": euros(result.max_grantable),
        "ceiling_eur": euros(result.ceiling),
        "window_start": result.window_start.isoformat(),
        "window_end": result.window_end.isoformat(),
        "counted_aid_eur": euros(result.counted),
        "group": result.group,
        "caps": [
            {
                "name": cap.name,
                "ceiling_eur": euros(cap.ceiling),
                "counted_eur": euros(cap.counted),
                "headroom_eur": euros(cap.headroom),
                "rule": cap.rule,
            }
            for cap in result.caps
        ],
        "regulation": in_force.reference,
        "regulation_oj": in_force.oj,
        "counting": in_force.counting,
        "regulation_note": in_force.note,
        "excluded_activities": list(in_force.excluded),
        "review": [
            {
                "parent": link.parent,
                "child": link.child,
                "relation": link.relation,
                "reason": "control through a natural person: decide by hand whether the "
                "undertakings are active on the same or adjacent markets",
            }
            for link in result.review
        ],
        "reason": result.reason,
    }


def equivalent_document(equivalent: rules.Equivalent) -> dict:
    return {
        "eligible": equivalent.eligible,
        "gge_eur": euros(equivalent.gge),
        "method": equivalent.method,
        "reason": equivalent.reason,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_rows(columns: list[str], rows: list[dict], fmt: str, *, root: str, item: str) -> bytes:
    """CSV and XLSX as tables; XML as `<root><item><column>value</column>…</item></root>`."""
    if fmt != "xml":
        return tables.write_table(columns, rows, fmt)
    document = ElementTree.Element(root)
    for row in rows:
        element = ElementTree.SubElement(document, item)
        for column in columns:
            ElementTree.SubElement(element, column).text = _text(row.get(column))
    ElementTree.indent(document)
    return ElementTree.tostring(document, encoding="utf-8", xml_declaration=True)
