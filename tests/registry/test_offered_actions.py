"""No button leads a role to a page it may not use."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "offered"),
    [("rep", False), ("nobody", False), ("manager", True), ("staff", True)],
)
def test_new_organisation_is_offered_only_to_who_may_create_one(login, world, role, offered):
    client = login(getattr(world, role))
    link = 'href="/en/organisations/new/"'
    assert (link in client.get("/en/organisations/").text) is offered
    assert client.get("/en/organisations/new/").status_code == (200 if offered else 403)


def test_a_profile_offers_its_contact_and_the_directory_shows_logos(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import ClusterFactory

    settings.MEDIA_ROOT = tmp_path
    png = (  # the smallest valid PNG: one transparent pixel
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    ClusterFactory(
        slug="mar",
        name="Clúster do Mar",
        contact_email="info@clustermar.example",
        logo=SimpleUploadedFile("mar.png", png, content_type="image/png"),
    )
    ClusterFactory(slug="web", name="Web only", website="https://web.example")
    profile = client.get("/gl/clusters/mar/").text
    assert 'href="mailto:info@clustermar.example?subject=Cl%C3%BAster%20do%20Mar"' in profile
    assert ">Contactar con este clúster</a>" in profile
    assert 'href="https://web.example" rel="noopener">' in client.get("/gl/clusters/web/").text
    directory = client.get("/gl/clusters/").text
    assert directory.count('class="logo-small"') == 1 and "/media/logos/" in directory
