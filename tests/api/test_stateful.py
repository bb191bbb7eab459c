"""Stateful property-based runs of the state-aid and benchmarking APIs (schemathesis): sequences of
calls linked by what they create (a grant recorded, then corrected or revoked; a merger, then
corrected; a submission read, then changed, sent and reviewed), made by the staff of a Spanish
agency. Bodies name the world's real undertakings and clusters most of the time, so that calls
reach the rules rather than stop at "unknown undertaking".

Beyond answering to the schema with no server error, each run checks what no sequence may break:
France's register (another Member State's) is unchanged, whatever the Spanish staff sent; no
undertaking's counted aid is ever negative. Derandomised (the same sequences on every run), so
`make test` never fails by chance; `make fuzz` explores further (tests/api/test_schemathesis.py).
"""

import random
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db.models import Q
from hypothesis import HealthCheck, settings

from atclusters.benchmarking import frameworks
from atclusters.benchmarking import services as benchmarking
from atclusters.core.services import api_token_create
from atclusters.stateaid import selectors
from atclusters.stateaid.models import Grant, Restructuring, Undertaking
from tests.api.test_schemathesis import (  # noqa: F401
    EXCLUDED,
    PLAIN,
    keep_test_connection_open,
)
from tests.factories import grant_recorded, undertaking_recorded

SPANISH = ["es-a", "es-b", "es-c"]
FRENCH = "fr-a"
# Body fields that name a record or hold a value the rules test, and the world's choices.
NAMED_FIELDS = {
    "undertaking": [*SPANISH, FRENCH],
    "absorbing": SPANISH,
    "absorbed": [*SPANISH, FRENCH],
    "source": [*SPANISH, FRENCH],
    "member_state": ["ES", "FR"],
    "cluster": [None, "food", "draft", "sea"],
    "instrument": ["grant", "loan"],
    "agency": ["galicia", "bretagne"],
    "date": ["2024-02-01", "2025-06-30", "2026-11-01"],
    "amount": ["5000", "90000", "400000"],
    "currency": ["EUR"],
    "eur_rate": ["1"],
    "gge_eur": [None],
    "granting_authority": ["IGAPE"],
    "eligible_costs_eur": [None],
    "cluster_aid": [""],
    "regulation": ["general", "sgei"],
    "basis": ["de-minimis"],
}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="/api/v1/(stateaid|benchmarking)/"
)


def with_world_names(body: object) -> object:
    """The body with three in four of its naming fields set to one of the world's records,
    chosen from the body itself (so the same sequence gives the same calls on every run)."""
    if not isinstance(body, dict):
        return body
    choose = random.Random(repr(sorted(body.items(), key=repr)))
    return {
        name: choose.choice(NAMED_FIELDS[name])
        if name in NAMED_FIELDS and choose.random() < 0.75
        else value
        for name, value in body.items()
    }


class StaffToken:
    """The Galician staff member's token, created by the test (tokens live in its database)."""

    raw = ""

    def get(self, case, context):
        return StaffToken.raw

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), **PLAIN, "Authorization": f"Bearer {data}"}


schema.auth(refresh_interval=None)(StaffToken)


def french_register() -> tuple:
    return (
        list(
            Grant.objects.filter(Q(member_state="FR") | Q(undertaking__country="FR"))
            .order_by("pk")
            .values_list("pk", "entry", "gge_eur", "undertaking__identifier")
        ),
        list(
            Restructuring.objects.filter(Q(absorbing__country="FR") | Q(source__country="FR"))
            .order_by("pk")
            .values_list("pk", "entry", "kind")
        ),
    )


def headroom_within_the_ceiling() -> None:
    """Whatever was recorded, corrected, revoked, merged or split: each Spanish undertaking's
    counted aid is never negative, so its headroom never exceeds the ceiling."""
    for undertaking in Undertaking.objects.filter(country="ES"):
        check = selectors.de_minimis_check(
            user=None, undertaking=undertaking, grant_date=date(2026, 12, 1),
            amount=Decimal(0), member_state="ES",
        )  # fmt: skip
        assert check.counted >= 0 and check.headroom <= check.ceiling, undertaking.identifier


@pytest.mark.django_db
def test_sequences_of_state_aid_and_benchmarking_calls(world):
    for identifier in SPANISH:
        undertaking_recorded(identifier)
    french = undertaking_recorded(FRENCH, country="FR")
    grant_recorded(
        french,
        "BPI-1",
        date(2025, 3, 1),
        "20000",
        member_state="FR",
        granting_authority="Bpifrance",
    )
    grant_recorded(undertaking_recorded("es-held"), "IG-1", date(2025, 3, 1), "10000")
    framework = benchmarking.framework_import(actor=None, document=frameworks.default_framework())[
        1
    ]
    benchmarking.round_open(
        actor=None, agency=world.agency, framework=framework, year=2025, title="2025",
        deadline=date(2030, 1, 1), clusters=[world.cluster],
    )  # fmt: skip
    _token, StaffToken.raw = api_token_create(user=world.staff, name="stateful")
    before = french_register()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED, transport_kwargs=kwargs)

        def before_call(self, case):
            case.body = with_world_names(case.body)

        def after_call(self, response, case):
            headroom_within_the_ceiling()

        def teardown(self):
            assert french_register() == before

    Workflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    headroom_within_the_ceiling()
