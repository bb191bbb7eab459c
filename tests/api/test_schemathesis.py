"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

`positive_data_acceptance` is left out: a request can be schema-valid yet name a cluster or agency
that does not exist, and then the API rightly answers 422 with the field named."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """Like Django's test client: the test's transaction must outlive each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, world):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_conforms_to_its_schema_with_a_token(case, world):
    from atclusters.core.services import api_token_create

    _token, raw = api_token_create(user=world.staff, name="schemathesis")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"}, excluded_checks=[positive_data_acceptance]
    )
