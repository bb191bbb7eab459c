"""Every URL pattern and every API operation, requested as every role, answers what the table in
`tests/security/table.py` declares; a refused write changes nothing, an allowed one changes what
it should. The meta-tests fail when an endpoint has no row, or a row no endpoint: a new view
cannot reach CI without its rule."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.security import calls, domains
from tests.security.client import endpoint_key, is_api, perform, row_key
from tests.security.endpoints import (
    API_PREFIX,
    api_operations,
    api_parameters,
    api_url_routes,
    url_patterns,
)
from tests.security.table import ADMIN_SITE, KNOWN_WRONG, ROWS
from tests.security.world import ROLE_DESCRIPTIONS, ROLES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("plain_templates", "pdf_layout_skipped"),
]

NAMED = {"login", "admin-login", "form"}
WRITTEN_BY_PAGES = frozenset({302})
WRITTEN_BY_API = frozenset({200, 201})


@dataclass(frozen=True)
class Row:
    method: str
    endpoint: str
    variant: str
    expected: dict[str, str]

    @property
    def key(self) -> str:
        return row_key(self.method, self.endpoint, self.variant)


def _lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _statuses(tokens: list[str], where: str) -> dict[str, str]:
    statuses = tokens[-len(ROLES) :]
    for status in statuses:
        for choice in status.split("|"):
            assert choice in NAMED or choice.isdigit(), f"{where}: unknown status {status!r}"
    return dict(zip(ROLES, statuses, strict=True))


def table_rows() -> list[Row]:
    rows = []
    for tokens in _lines(ROWS + domains.rows()):
        head = tokens[: -len(ROLES)]
        method, endpoint, *variant = head
        assert len(variant) <= 1, f"{' '.join(head)}: one variant at most, in brackets"
        rows.append(
            Row(
                method,
                endpoint,
                variant[0].strip("[]") if variant else "",
                _statuses(tokens, head[1]),
            )
        )
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys)), "a row is declared twice"
    return rows


def admin_rules() -> list[tuple[re.Pattern, dict[str, str]]]:
    return [(re.compile(tokens[0]), _statuses(tokens, tokens[0])) for tokens in _lines(ADMIN_SITE)]


def admin_rows() -> list[Row]:
    rows = []
    for key, pattern in url_patterns().items():
        if pattern.is_admin:
            expected = next(rule for regex, rule in admin_rules() if regex.fullmatch(key))
            rows.append(Row("GET", key, "", expected))
    return rows


def cases():
    for row in table_rows() + admin_rows():
        for role in ROLES:
            reason = KNOWN_WRONG.get((row.key, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(row, role, id=f"{row.key}-{role}", marks=marks)


def _answer(response) -> str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(reverse("account_login")):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin-login"
    return str(response.status_code)


@pytest.mark.parametrize(("row", "role"), list(cases()))
def test_role_gets_the_declared_answer(table_world, row, role):
    write = calls.writes(table_world).get(row.key) if row.method != "GET" else None
    before = write.probe() if write is not None and write.probe is not None else None
    response = perform(table_world, row.method, row.endpoint, row.variant, role, write)
    answer, expected = _answer(response), row.expected[role]
    allowed = expected.split("|")
    assert answer in allowed or (expected == "form" and answer == "200"), (
        f"{row.key} as {role} ({ROLE_DESCRIPTIONS[role]}): {answer}, the table says {expected}"
    )
    if answer == "401":
        assert "WWW-Authenticate" in response.headers, f"{row.key}: 401 without WWW-Authenticate"
    if write is None or write.probe is None:
        return
    written = write.written or (WRITTEN_BY_API if is_api(row.endpoint) else WRITTEN_BY_PAGES)
    after = write.probe()
    if expected != "form" and answer.isdigit() and int(answer) in written:
        assert after != before, f"{row.key} as {role}: allowed, yet nothing changed"
    else:
        assert after == before, f"{row.key} as {role}: refused ({answer}), yet the data changed"


def test_every_endpoint_has_a_row():
    """A URL pattern or API operation without a row, or a row without one, fails here."""
    rows = table_rows()
    declared_pages = {row.endpoint for row in rows if not is_api(row.endpoint)}
    pages = {key for key, pattern in url_patterns().items() if not pattern.is_admin}
    declared_operations = {f"{row.method} {row.endpoint}" for row in rows if is_api(row.endpoint)}
    operations = set(api_operations())
    assert sorted(pages - declared_pages) == [], "URL patterns without a row in the table"
    assert sorted(declared_pages - pages) == [], "rows for URL patterns that no longer exist"
    assert sorted(operations - declared_operations) == [], "API operations without a row"
    assert sorted(declared_operations - operations) == [], "rows for API operations that are gone"


def test_the_api_serves_only_the_operations_of_its_schema():
    """The API's URL patterns are checked through the schema's operations: a route left out of
    the schema would have no row."""
    schema_paths = {operation.split(" ", 1)[1] for operation in api_operations()}
    assert api_url_routes() == schema_paths
    assert all(path.startswith(API_PREFIX) for path in schema_paths)


def test_every_admin_rule_serves_a_pattern():
    admin_keys = [key for key, pattern in url_patterns().items() if pattern.is_admin]
    for regex, _statuses_of_rule in admin_rules():
        assert any(regex.fullmatch(key) for key in admin_keys), f"{regex.pattern} matches nothing"


def test_every_mark_and_every_call_belongs_to_a_row(table_world):
    """No stale xfail mark, no parameters or bodies for rows that are gone; every write row has
    a body and every row's URL parameters are known."""
    rows = table_rows()
    keys = {row.key for row in rows}
    assert sorted(row for row, role in KNOWN_WRONG if row not in keys) == []
    assert {role for _row, role in KNOWN_WRONG} <= set(ROLES)
    endpoints = {endpoint_key(row.endpoint, row.variant) for row in rows}
    assert sorted(set(calls.by_endpoint(table_world)) - endpoints) == []
    writes = calls.writes(table_world)
    assert sorted(set(writes) - keys) == []
    known = set(calls.by_parameter(table_world))
    for row in rows:
        if row.method != "GET":
            assert row.key in writes, f"{row.key}: no body in calls.writes"
        specific = calls.by_endpoint(table_world).get(endpoint_key(row.endpoint, row.variant))
        given = known | set(specific.path if specific else {})
        needed = (
            api_parameters(row.endpoint)
            if is_api(row.endpoint)
            else url_patterns()[row.endpoint].parameters
        )
        assert set(needed) <= given, f"{row.key}: no value for {set(needed) - given}"
        if row.variant and row.method == "GET":
            assert specific is not None, f"{row.key}: a variant needs its own arguments in calls"


def test_a_key_two_domains_give_different_values_is_refused():
    services = ("services", {"request_id": domains.Expression().pending_request.pk, "fmt": "csv"})
    events = ("events", {"request_id": domains.Expression().events_request.pk, "fmt": "csv"})
    with pytest.raises(domains.Clash, match=r"'request_id' is w\.pending_request\.pk in services"):
        domains.merged_from([services, events], "by_parameter")
    same = ("events", {"fmt": "csv", "booking_id": domains.Expression().booking.pk})
    assert set(domains.merged_from([services, same], "by_parameter")) == {
        "request_id", "fmt", "booking_id",
    }  # fmt: skip
