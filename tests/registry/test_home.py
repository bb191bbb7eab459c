"""The home page: live public figures and the sections that domains add to it."""

import pytest
from django.urls import reverse
from django.utils.safestring import SafeString

from atclusters.registry.models import CooperationAgreement

pytestmark = pytest.mark.django_db


def upcoming_events(request) -> SafeString:
    return SafeString(f'<section id="events">Events in {request.LANGUAGE_CODE}</section>')


def test_domains_add_sections_after_the_figures(client, world, monkeypatch):
    from django.apps import apps

    cooperation = apps.get_app_config("cooperation")
    monkeypatch.setattr(cooperation, "home_sections", ("tests.registry.test_home.upcoming_events",))
    body = client.get("/gl/").text
    figures, newest = body.index('class="figures"'), body.index('id="newest-clusters"')
    assert figures < newest < body.index('<section id="events">Events in gl</section>')


def test_agreement_figure_counts_public_agreements_only(client, world):
    common = {"type": "mou", "start": "2024-01-01", "owner": world.agency}
    CooperationAgreement.objects.create(
        slug="a", title="A", agency_a=world.agency, agency_b=world.other_agency, **common
    )
    CooperationAgreement.objects.create(
        slug="b",
        title="B",
        agency_a=world.agency,
        agency_b=world.other_agency,
        is_public=True,
        **common,
    )
    assert "<strong>1</strong> cooperation agreements" in client.get(reverse("home")).text
