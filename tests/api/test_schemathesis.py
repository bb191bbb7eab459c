"""Property-based runs of the whole API against its own OpenAPI schema (schemathesis).

`make test` sends the same requests on every run (Hypothesis derandomised, no example database),
so the suite never fails by chance; `make fuzz` (marker `fuzz`) explores: many more random
examples per operation and the stateful phase, sequences of calls linked by the resources they
create, with the world's identifiers in paths half the time so that bodies meet real records.
Whatever fuzzing finds is fixed and kept as a plain regression test (the first finding, a PATCH
with the body `false` answered 200: tests/core/test_schemas.py).

`positive_data_acceptance` is left out: a request can be schema-valid yet name a cluster or agency
that does not exist, and then the API rightly answers 422 with the field named."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from atclusters.core.services import api_token_create

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Exploration reaches records that exist as well as ones that do not: an identifier in a path is
# often one of the world's (conftest.World), so that a body is checked against a real record
# rather than answered 404 first.
explored = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
WORLD_SLUGS = ["food", "draft", "sea", "hidden", "member", "outsider", "galicia", "bretagne"]


@explored.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), _world_value_like(value))
            for name, value in path_parameters.items()
        }
    )


def _world_value_like(value):
    # bool before int: True is an int to Python, but a path flag is not an identifier
    if isinstance(value, bool):
        return st.just(value)
    if isinstance(value, int):
        return st.integers(min_value=1, max_value=5)
    if isinstance(value, str):
        return st.sampled_from(WORLD_SLUGS)
    return st.just(value)


REPRODUCIBLE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
EXPLORATORY = settings(
    REPRODUCIBLE,
    derandomize=False,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")),
    print_blob=True,
)
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """Like Django's test client: the test's transaction must outlive each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The WSGI client reads bodies as they are sent: ask for them uncompressed (the API compresses
# for clients that accept gzip, tests/core/test_lean_requests.py).
PLAIN = {"Accept-Encoding": "identity"}


def token_of(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@REPRODUCIBLE
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, world):
    case.call_and_validate(headers=PLAIN, excluded_checks=EXCLUDED)


@schema.parametrize()
@REPRODUCIBLE
@pytest.mark.django_db
def test_api_conforms_to_its_schema_with_a_token(case, world):
    case.call_and_validate(headers={**PLAIN, **token_of(world.staff)}, excluded_checks=EXCLUDED)


@pytest.mark.fuzz
@explored.parametrize()
@EXPLORATORY
@pytest.mark.django_db
def test_fuzz_anonymously(case, world):
    case.call_and_validate(headers=PLAIN, excluded_checks=EXCLUDED)


@pytest.mark.fuzz
@explored.parametrize()
@EXPLORATORY
@pytest.mark.django_db
def test_fuzz_as_platform_admin(case, world):
    case.call_and_validate(headers={**PLAIN, **token_of(world.admin)}, excluded_checks=EXCLUDED)


class WorldAdminToken:
    """The platform admin's token for the sequences of calls: an auth provider, so that
    schemathesis knows the credentials are real and checks that calls without them are
    refused. The test creates the token (tokens live in the test's database)."""

    raw = ""

    def get(self, case, context):
        return WorldAdminToken.raw

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), **PLAIN, "Authorization": f"Bearer {data}"}


sequences = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
sequences.hook(flatmap_path_parameters)
sequences.auth(refresh_interval=None)(WorldAdminToken)


@pytest.mark.fuzz
@pytest.mark.django_db
def test_fuzz_sequences_of_calls(world):
    """The stateful phase: links inferred between operations (an organisation created, then read
    and changed; a posting created, then answered)."""
    _token, WorldAdminToken.raw = api_token_create(user=world.admin, name="schemathesis")

    class Workflow(sequences.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED, transport_kwargs=kwargs)

    Workflow.run(
        settings=settings(
            EXPLORATORY,
            max_examples=int(os.environ.get("FUZZ_SEQUENCES", "100")),
            stateful_step_count=8,
        )
    )
