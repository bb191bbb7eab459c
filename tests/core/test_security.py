import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from atclusters.registry.models import ClusterOrganisation

pytestmark = pytest.mark.django_db


def test_security_headers(client, world):
    response = client.get(reverse("cluster_list"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_third_party_assets(client, world):
    for url in (reverse("home"), reverse("cluster_list"), "/api/v1/docs"):
        body = client.get(url).text
        assert "https://" not in body.replace('href="https://', ""), url
        # Attributes only: the page's random CSRF token may spell "cdn".
        references = re.findall(r'(?:src|href)="([^"]*)"', body)
        assert [ref for ref in references if "cdn" in ref.lower() or ref.startswith("//")] == []


def test_user_text_is_escaped_everywhere(login, world):
    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(
        name='<script>alert("name")</script>', city="<img src=x onerror=alert(1)>"
    )
    body = login(None).get(reverse("cluster_detail", args=["food"])).text
    assert '<script>alert("name")</script>' not in body
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    listing = login(None).get(reverse("cluster_list"), {"search": "<script>"}).text
    assert "<script>alert" not in listing


def test_forms_require_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post(reverse("cluster_transition", args=["draft", "publish"]))
    assert response.status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_login_is_rate_limited(client, world):
    url = reverse("account_login")
    attempts = [client.post(url, {"login": "staff", "password": "wrong"}) for _ in range(4)]
    assert "Too many failed login attempts" not in attempts[0].text
    assert "Too many failed login attempts" in attempts[-1].text
    # Even the right password is refused while the limit holds.
    blocked = client.post(url, {"login": "staff", "password": "pass-word-123"})
    assert "Too many failed login attempts" in blocked.text
    assert "_auth_user_id" not in client.session


@override_settings(IMPORT_MAX_BYTES=1024)
def test_import_upload_limit_is_enforced(login, world):
    client = login(world.staff)
    upload = SimpleUploadedFile("big.csv", b"slug,name,country\n" + b"x" * 4096, "text/csv")
    response = client.post(reverse("import"), {"kind": "clusters", "file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert "The file is larger than" in response.text


@override_settings(LOGO_MAX_BYTES=100)
def test_logo_upload_limit(login, world):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "navy").save(buffer, "PNG")
    client = login(world.staff)
    response = client.post(
        reverse("cluster_edit", args=["food"]),
        {
            "name": "Food Cluster",
            "country": "ES",
            "logo": SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"),
        },
    )
    assert "The logo is larger than" in response.text


def test_import_page_reports_errors_and_writes_nothing(login, world):
    client = login(world.staff)
    upload = SimpleUploadedFile("c.csv", b"slug,name,country\nnew-one,New,ES\n,,XX\n", "text/csv")
    response = client.post(reverse("import"), {"kind": "clusters", "file": upload})
    assert "nothing was written" in response.text
    assert "unknown country code" in response.text
    assert not ClusterOrganisation.objects.filter(slug="new-one").exists()


def test_nul_characters_are_refused_naming_the_field(client, world, bearer):
    nul = ["contains the NUL character (\\0), which is not allowed in text"]
    search = client.get("/api/v1/clusters", {"search": "a\x00b"})
    assert (search.status_code, search.json()) == (422, {"detail": {"search": nul}})
    response = client.post(
        "/api/v1/memberships",
        '{"cluster": "a\\u0000", "organisation": "b"}',
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert (response.status_code, response.json()) == (422, {"detail": {"cluster": nul}})
    page = client.get(reverse("cluster_list"), {"search": "a\x00b"})
    assert page.status_code == 400


def test_rich_text_is_sanitised_even_when_written_around_the_services(client, world):
    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(
        description_en='<p>Fine <b>text</b></p><script>alert(1)</script><a href="javascript:x()">x</a>'
    )
    body = client.get(reverse("cluster_detail", args=["food"])).text
    assert "<p>Fine <b>text</b></p>" in body
    assert "<script>alert(1)" not in body and "javascript:" not in body


PAYLOADS = [
    '<script>alert("x")</script>',
    '<iframe src="https://evil.example"></iframe>',
    "javascript:alert(1)",
    '"><img src=x onerror=alert(1)>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_planted_markup_in_every_text_field_never_reaches_the_pages(client, world, payload):
    """Text can reach the database around the services (admin, SQL): every text field of the
    public models gets the payload, and no public page shows it as markup or as a link."""
    from django.db import models as django_models

    from atclusters.core.models import Agency
    from atclusters.registry.models import Organisation

    def plant(instance):
        for field in instance._meta.concrete_fields:
            if isinstance(field, (django_models.CharField, django_models.TextField)) and not (
                field.choices or field.name in {"slug", "country_id"} or field.primary_key
            ):
                setattr(
                    instance,
                    field.attname,
                    payload[: field.max_length] if field.max_length else payload,
                )
        type(instance).objects.filter(pk=instance.pk).update(
            **{
                f.attname: getattr(instance, f.attname)
                for f in instance._meta.concrete_fields
                if not f.primary_key
            }
        )

    plant(world.cluster)
    plant(world.member)
    plant(world.agency)
    pages = [
        reverse("home"),
        reverse("cluster_list"),
        reverse("cluster_detail", args=["food"]),
        reverse("organisation_detail", args=["member"]),
        reverse("agency_list"),
        reverse("organisation_list"),
        reverse("cluster_map"),
    ]
    for url in pages:
        body = client.get(url).text
        assert "<script>alert" not in body, url
        assert "<iframe" not in body, url
        assert 'href="javascript:' not in body, url
        assert "<img src=x" not in body, url
    api = client.get("/api/v1/clusters/food")
    assert api["Content-Type"] == "application/json; charset=utf-8"
    assert api["X-Content-Type-Options"] == "nosniff"  # plain text stays data, never markup
    assert all(
        "<script" not in api.json()[f"description_{code}"]
        for code in ("en", "es", "gl", "pt", "fr")
    )
    assert Organisation.objects.get(pk=world.member.pk).name.startswith(payload[:10])
    assert Agency.objects.get(pk=world.agency.pk).name.startswith(payload[:10])


def test_someone_elses_api_token_cannot_be_revoked(login, world):
    from atclusters.core.models import ApiToken
    from atclusters.core.services import api_token_create

    token, raw = api_token_create(user=world.manager, name="script")
    response = login(world.staff).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    headers = {"Authorization": f"Bearer {raw}"}
    assert login(None).get("/api/v1/clusters/draft", headers=headers).status_code == 200
    assert (
        login(world.manager).post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    )
    assert not ApiToken.objects.filter(pk=token.pk).exists()
