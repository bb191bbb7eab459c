"""Errors answer with the site's own pages, in the reader's language, with a way back; under
/api/ in JSON."""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from atclusters.core import views

pytestmark = pytest.mark.django_db


def test_not_found_in_galician_with_a_way_home(client):
    response = client.get("/gl/no-such-page/at-all/")
    assert response.status_code == 404
    assert "<h1>Páxina non atopada</h1>" in response.text
    assert 'href="/gl/"' in response.text and "Erro 404" in response.text
    assert 'class="top"' in response.text  # the site's header and navigation


def test_forbidden_in_portuguese(login, world):
    client = login(world.rep)
    response = client.get("/pt" + reverse("cluster_invite", args=["food"])[3:])
    assert response.status_code == 403
    assert "<h1>Não pode utilizar esta página</h1>" in response.text


def test_a_method_a_page_does_not_take_in_french(login, world):
    client = login(world.manager)
    response = client.get("/fr/accounts/tokens/1/revoke/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<h1>Cette page ne peut pas être utilisée ainsi</h1>" in response.text


def test_the_api_keeps_answering_json(client):
    response = client.get("/api/v1/no-such-operation")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}


def test_server_error_page_and_its_fallback(monkeypatch):
    request = RequestFactory().get("/es/clusters/")
    request.LANGUAGE_CODE = "es"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("es"):
        page = views.server_error(request)
    assert page.status_code == 500 and "<h1>Algo ha fallado por nuestra parte</h1>" in page.text

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(views, "render", broken)
    fallback = views.server_error(request)
    assert fallback.status_code == 500 and fallback["Content-Type"].startswith("text/plain")


def test_a_page_refused_before_authentication_still_shows_who_is_signed_in(login, world):
    # RejectNulCharactersMiddleware answers before AuthenticationMiddleware has run.
    response = login(world.staff).get("/en/clusters/fo%00od/")
    assert response.status_code == 404
    assert f'<span class="who">{world.staff.get_username()}</span>' in response.text
