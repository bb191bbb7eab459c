import re

import pytest
from django.core import mail
from django.urls import reverse

from atclusters.core.models import ApiToken
from atclusters.registry import services
from atclusters.registry.models import CooperationAgreement, Invitation

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_agency_staff(login, world):
    CooperationAgreement.objects.create(
        slug="mou",
        title="MoU",
        type="mou",
        agency_a=world.agency,
        cluster_b=world.cluster,
        start="2024-01-01",
        owner=world.agency,
    )
    client = login(world.staff)
    urls = [
        reverse("home"),
        reverse("dashboard"),
        reverse("cluster_list"),
        reverse("cluster_create"),
        reverse("cluster_detail", args=["food"]),
        reverse("cluster_edit", args=["food"]),
        reverse("cluster_history", args=["food"]),
        reverse("cluster_invite", args=["food"]),
        reverse("organisation_list"),
        reverse("organisation_create"),
        reverse("organisation_detail", args=["member"]),
        reverse("organisation_edit", args=["member"]),
        reverse("agreement_list"),
        reverse("agreement_create"),
        reverse("agreement_detail", args=["mou"]),
        reverse("agreement_edit", args=["mou"]),
        reverse("import"),
        reverse("api_tokens"),
        reverse("import_template", args=["clusters", "xlsx"]),
        reverse("export", args=["organisations", "json"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_directory_filters_and_htmx_partial(client, world):
    response = client.get(reverse("cluster_list"), {"country": "fr"})
    assert "Sea Cluster" in response.text and "Food Cluster" not in response.text
    partial = client.get(
        reverse("cluster_list"), {"search": "food"}, headers={"HX-Request": "true"}
    )
    assert partial.text.lstrip().startswith('<div id="results">')
    assert "Food Cluster" in partial.text and "<html" not in partial.text


def test_cluster_edit_saves_and_logs_history(login, world):
    client = login(world.manager)
    response = client.post(
        reverse("cluster_edit", args=["food"]),
        {
            "name": "Food Cluster",
            "country": "ES",
            "nuts_region": "ES11",
            "city": "Vigo",
            "description_es": "<p>Clúster <em>alimentario</em></p>",
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("cluster_history", args=["food"])).text
    assert "manager" in history and "city" in history and "Vigo" in history
    with_es = client.get(
        reverse("cluster_detail", args=["food"]), headers={"Accept-Language": "es"}
    )
    assert "<p>Clúster <em>alimentario</em></p>" in with_es.text


def test_export_hides_confidential_fields_from_the_public(client, world):
    body = client.get(reverse("export", args=["organisations", "csv"])).text
    assert "Member SME" in body and "ESB12345674" not in body and "Outsider" not in body


def test_api_token_page_shows_secret_once(login, world):
    client = login(world.manager)
    response = client.post(reverse("api_tokens"), {"name": "script"})
    token = ApiToken.objects.get(user=world.manager)
    secret = response.text.split('data-testid="token">')[1].split("<")[0]
    assert secret.startswith(token.prefix)
    assert (
        client.get(
            "/api/v1/clusters/draft", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    assert secret not in client.get(reverse("api_tokens")).text
    client.post(reverse("api_token_revoke", args=[token.pk]))
    assert (
        client.get("/api/v1/clusters", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_invitation_flow(login, world, django_capture_on_commit_callbacks):
    client = login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cluster_invite", args=["food"]), {"email": "ana@example.org"})
    invitation = Invitation.objects.get(email="ana@example.org")
    link = reverse("invitation_accept", args=[invitation.token])
    assert link in mail.outbox[0].body
    client = login(None)
    assert "Create an account" in client.get(link).text
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            reverse("account_signup"),
            {
                "email": "ana@example.org",
                "username": "ana",
                "password1": "a-long-Pass-2026",
                "password2": "a-long-Pass-2026",
            },
        )
    assert signup.status_code == 302
    assert client.post(link).status_code == 403  # until she confirms her address
    confirmation = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body)
    client.post(confirmation.group(0).split("testserver", 1)[-1])
    client.post(link)
    assert world.cluster.managers.filter(username="ana").exists()


def test_an_invitation_is_only_for_its_address(login, world, django_capture_on_commit_callbacks):
    """A forwarded or leaked link gives nobody else the cluster: the accepting account must hold
    the invited address, verified (confirmed by the link allauth mails to it)."""
    invitation = services.invitation_create(
        actor=world.staff, cluster=world.cluster, email="ana@example.org", base_url="http://x/"
    )
    link = reverse("invitation_accept", args=[invitation.token])
    client = login(world.rep)
    assert "add that address to your account" in client.get(link).text
    refused = client.post(link)
    assert refused.status_code == 403 and "sent to ana@example.org" in refused.text
    assert not world.cluster.managers.filter(pk=world.rep.pk).exists()
    stranger = login(None)
    stranger.get(link)
    stranger.post(
        reverse("account_signup"),
        {"email": "eve@example.org", "username": "eve", "password1": "a-long-Pass-2026",
         "password2": "a-long-Pass-2026"},
    )  # fmt: skip
    assert stranger.post(link).status_code == 403
    assert not world.cluster.managers.filter(username="eve").exists()


def test_signup_is_closed_without_an_invitation(client, world):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.text
    client.post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "username": "x",
            "password1": "a-long-Pass-2026",
            "password2": "a-long-Pass-2026",
        },
    )
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="x").exists()


def test_password_reset_sends_an_email(client, world, django_capture_on_commit_callbacks):
    world.staff.email = "staff@example.org"
    world.staff.save()
    with django_capture_on_commit_callbacks(execute=True):  # sent by the worker once committed
        client.post(reverse("account_reset_password"), {"email": "staff@example.org"})
    assert mail.outbox and mail.outbox[0].to == ["staff@example.org"]


def test_language_switcher_translates_the_interface(client, world):
    client.post(reverse("set_language"), {"language": "gl", "next": "/clusters/"})
    assert 'lang="gl"' in client.get(reverse("cluster_list")).text


def test_agreement_documents_are_private(login, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    CooperationAgreement.objects.create(
        slug="mou",
        title="MoU",
        type="mou",
        agency_a=world.agency,
        cluster_b=world.cluster,
        start="2024-01-01",
        owner=world.agency,
    )
    client = login(world.staff)
    refused = client.post(
        reverse("agreement_detail", args=["mou"]),
        {"title": "Script", "file": SimpleUploadedFile("x.html", b"<script>", "text/html")},
    )
    assert "Allowed file types" in refused.text
    client.post(
        reverse("agreement_detail", args=["mou"]),
        {
            "title": "Signed MoU",
            "file": SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed", "application/pdf"),
        },
    )
    document = CooperationAgreement.objects.get(slug="mou").documents.get()
    url = reverse("agreement_document", args=["mou", document.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 signed"
    assert login(world.other_staff).get(url).status_code == 404
    assert login(world.manager).get(url).status_code == 200
    assert (
        login(world.manager)
        .post(
            reverse("agreement_detail", args=["mou"]),
            {"title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF", "application/pdf")},
        )
        .status_code
        == 403
    )


def test_directory_searches_descriptions_in_every_language_and_filters(client, world):
    from atclusters.core.models import NaceActivity, Term
    from atclusters.registry.models import ClusterOrganisation

    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(
        description_gl="<p>Conservas do mar</p>"
    )
    world.cluster.sectors.set([NaceActivity.objects.get(version="2.1", code="10.2")])
    world.other_cluster.technology_fields.set(
        [Term.objects.get(kind="technology_field", slug="robotics")]
    )
    url = reverse("cluster_list")
    assert "Food Cluster" in client.get(url, {"search": "conservas"}).text
    assert "Food Cluster" not in client.get(url, {"search": "robots"}).text
    by_sector = client.get(url, {"sector": "10"}).text
    assert "Food Cluster" in by_sector and "Sea Cluster" not in by_sector
    by_technology = client.get(url, {"technology": "robotics"}).text
    assert "Sea Cluster" in by_technology and "Food Cluster" not in by_technology
    members = client.get(url, {"min_members": "1"}).text
    assert "Food Cluster" in members and "Sea Cluster" not in members
    invalid = client.get(url, {"min_members": "many"})
    assert invalid.status_code == 200 and "Enter a whole number" in invalid.text
    ordered = client.get(url, {"sort": "members"}).text
    assert ordered.index("Food Cluster") < ordered.index("Sea Cluster")


def test_directory_and_profile_query_counts_do_not_grow_with_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ClusterFactory, MembershipFactory

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def grow(count: int) -> None:
        for _ in range(count):
            other = ClusterFactory(agency=world.agency)
            MembershipFactory(cluster=other, listed_publicly=True)
            MembershipFactory(cluster=world.cluster, listed_publicly=True)
            CooperationAgreement.objects.create(
                slug=f"mou-{other.slug}",
                title="MoU",
                type="mou",
                owner=world.agency,
                cluster_a=world.cluster,
                cluster_b=other,
                start="2024-01-01",
                is_public=True,
            )

    pages = [
        reverse("cluster_list"),
        reverse("cluster_detail", args=["food"]),
        reverse("agency_list"),
        reverse("organisation_list"),
    ]
    grow(2)
    few = [queries(url) for url in pages]
    grow(20)
    assert [queries(url) for url in pages] == few


def test_profile_has_json_ld_and_open_graph_safely_escaped(client, world):
    import json as jsonlib

    from atclusters.registry.models import ClusterOrganisation

    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(
        name="Food </script><script>alert(1)</script>",
        city="Vigo",
        website="https://food.example.org",
    )
    body = client.get(reverse("cluster_detail", args=["food"])).text
    block = body.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = jsonlib.loads(block)
    assert data["@type"] == "Organization" and data["address"]["addressLocality"] == "Vigo"
    assert data["name"] == "Food </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in body
    assert '<meta property="og:url" content="http://testserver/en/clusters/food/">' in body


def test_sitemap_lists_published_clusters_only_and_robots_points_to_it(client, world):
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/es/clusters/food/</loc>" in sitemap
    assert "/clusters/draft/" not in sitemap
    assert 'hreflang="fr" href="http://testserver/fr/clusters/food/"' in sitemap
    assert 'hreflang="x-default" href="http://testserver/clusters/food/"' in sitemap
    region = world.cluster.nuts_region_id
    assert f"<loc>http://testserver/pt/regions/{region}/</loc>" in sitemap
    assert f"<loc>http://testserver/pt/regions/{region[:2]}/</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text
    assert "Disallow: /admin/" in robots.text and "Disallow: /gl/accounts/" in robots.text


def test_map_data_counts_published_clusters_per_nuts2_and_revalidates(client, world):
    response = client.get(reverse("map_regions"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip" and response["ETag"]
    import gzip
    import json as jsonlib

    collection = jsonlib.loads(gzip.decompress(response.content))
    by_id = {f["properties"]["id"]: f["properties"] for f in collection["features"]}
    assert (
        by_id["ES11"]["clusters"] == 1 and by_id["ES11"]["members"] == 1
    )  # the draft is not counted
    assert by_id["FRH0"]["clusters"] == 1
    again = client.get(reverse("map_regions"), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    page = client.get(reverse("cluster_map")).text
    assert "/clusters/?region=ES11" in page and "EuroGeographics" in page


def test_home_figures_agencies_and_region_pages(client, world):
    home = client.get(reverse("home")).text
    assert "<strong>2</strong> published clusters" in home
    assert "<strong>1</strong> member organisations" in home  # members of drafts are not counted
    assert "<strong>2</strong> NUTS 2 regions" in home
    agencies = client.get(reverse("agency_list")).text
    assert "Agency" in agencies and world.agency.name in agencies
    world.agency.regions.set(["ES1"])
    galicia = client.get(reverse("region_detail", args=["es11"])).text
    assert "Food Cluster" in galicia and "Draft Cluster" not in galicia
    assert world.agency.name in galicia  # an agency of ES1 covers ES11
    assert "Subregions" in galicia and "ES111" in galicia
    assert client.get(reverse("region_detail", args=["XX99"])).status_code == 404
