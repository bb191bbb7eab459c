import pytest
from django.db import transaction
from django.template.base import PartialTemplate, Template
from django.test import override_settings
from django.test.utils import _TestState

from tests.security import calls, domains
from tests.security.world import TableWorld, table_world_build

# Refused while the tests are collected: a URL parameter that two domains (or a domain and the
# shared table) give different values — the later would silently win (tests/security/domains).
calls.by_parameter(domains.Expression())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def table_world(django_db_setup, django_db_blocker, tmp_path_factory) -> TableWorld:
    """One world for the whole module, built once inside a transaction that is rolled back at
    the end; each test runs in a savepoint of it (pytest-django's `db`), so a write one test
    allows is gone before the next."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield table_world_build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def plain_templates():
    """The table asserts statuses, not templates or contexts: without the test client's
    instrumentation (a copy of every context of every template, each select option's included),
    form pages render three times faster."""
    instrumented = Template._render, PartialTemplate._render
    Template._render = _TestState.saved_data.template_render
    PartialTemplate._render = _TestState.saved_data.partial_template_render
    yield
    Template._render, PartialTemplate._render = instrumented


@pytest.fixture(scope="module")
def pdf_layout_skipped():
    """The PDFs' HTML is rendered (the page's template and data are reached) but not laid out
    by WeasyPrint, a second per document; tests/stateaid and tests/benchmarking check the PDFs."""

    def html_bytes(html: str) -> bytes:
        return html.encode()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("atclusters.stateaid.views.pdf_from_html", html_bytes)
        patch.setattr("atclusters.benchmarking.reports.pdf_from_html", html_bytes)
        yield
