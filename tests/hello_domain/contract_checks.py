"""Run under tests/hello_domain/settings.py by test_hello_domain.py: everything the hello domain
declares appears in the platform, which was not edited for it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from atclusters.core import domains
from tests.hello_domain import tasks

pytestmark = pytest.mark.django_db


def test_its_page_is_served_under_every_language_prefix(client):
    assert reverse("hello_page") == "/en/hello/"
    assert client.get("/es/hello/").text == "<p>Hello page</p>"


def test_its_api_route_is_in_the_api_and_its_schema(client):
    assert client.get("/api/v1/hello").json() == {"greeting": "hello from a plugged-in domain"}
    assert "/api/v1/hello" in client.get("/api/v1/openapi.json").json()["paths"]


def test_its_nav_entry_and_home_section_are_on_the_home_page(client):
    page = client.get("/en/").text
    assert 'href="/en/hello/"' in page
    assert '<section id="hello-home">Hello on the home page</section>' in page


def test_its_pages_are_in_the_sitemap(client):
    assert "http://testserver/fr/hello/" in client.get("/sitemap.xml").text


def test_its_periodic_job_is_queued_by_the_scheduler():
    tasks.TICKS.clear()
    call_command("scheduler", "--once")
    assert tasks.TICKS == ["tick"]


def test_its_demo_loads_after_the_registry_it_needs():
    order = [label for label, _load in domains.demo_loaders()]
    assert order.index("hello") > order.index("registry")
    load = dict(domains.demo_loaders())["hello"]
    assert list(load()) == ["Hello demo loaded"]


def test_its_my_work_section_and_search_results_appear(client, django_user_model):
    user = django_user_model.objects.create_user("ana", password="x")
    client.force_login(user)
    assert '<section id="hello-work">Hello, ana</section>' in client.get("/en/dashboard/").text
    found = client.get("/en/search/", {"q": "world"}).text
    assert '<a href="/en/hello/">Hello world</a>' in found


def test_the_system_checks_pass_with_it():
    call_command("check", fail_level="ERROR")
