"""Calls and CORDIS files for the funding tests: the recorded search API answer of fixtures/
(published format) and calls saved by hand, in Brussels time."""

from datetime import datetime
from pathlib import Path

from atclusters.funding import calldates, services

FIXTURES = Path(__file__).parent / "fixtures"
# Before every deadline of the fixture: the first call is forthcoming, the others open.
BEFORE = datetime(2026, 4, 1, 12, tzinfo=calldates.BRUSSELS)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def call_saved(identifier: str = "HORIZON-CL6-2026-TEST-01", **overrides):
    values = {
        "identifier": identifier,
        "programme": "Horizon Europe",
        "title": "Seafood processing pilot lines",
        "deadlines": services.deadlines_read("2026-09-17"),
        "description": "Canned seafood and food processing innovation.",
        "keywords": ["Food processing"],
    } | overrides
    return services.call_save(actor=None, data=services.CallData(**values), source="test")[1]


def portal_imported():
    report = services.calls_import(
        actor=None, content=fixture("sedia_search.json"), filename="search.json"
    )
    assert report.ok, report.errors
    return report


def cordis_imported(**options):
    return services.cordis_import(
        actor=None,
        projects=fixture("project.csv"),
        projects_name="project.csv",
        participants=fixture("organization.csv"),
        participants_name="organization.csv",
        **options,
    )
