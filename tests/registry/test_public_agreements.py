"""Agreements marked public appear on the parties' profiles and in the agencies' network;
their documents stay with the parties."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse

from atclusters.registry.models import AgreementDocument, CooperationAgreement
from atclusters.registry.selectors import agreement_network

pytestmark = pytest.mark.django_db


def agreement(world, slug, **fields):
    values = {
        "title": f"Agreement {slug}",
        "type": "mou",
        "start": "2024-01-01",
        "owner": world.agency,
        "agency_a": world.agency,
        **fields,
    }
    return CooperationAgreement.objects.create(slug=slug, **values)


@pytest.fixture
def agreements(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    public = agreement(world, "public-food", cluster_b=world.cluster, is_public=True)
    AgreementDocument.objects.create(
        agreement=public, title="Signed", file=ContentFile(b"%PDF-1.4", name="signed.pdf")
    )
    agreement(world, "private-food", cluster_b=world.cluster)
    agreement(world, "public-with-draft", cluster_b=world.draft, is_public=True)
    agreement(world, "agencies", agency_b=world.other_agency, is_public=True)
    agreement(
        world,
        "ended",
        agency_b=world.other_agency,
        is_public=True,
        start="2019-01-01",
        end="2020-12-31",
    )
    return public


def test_the_public_sees_public_agreements_of_published_parties_only(client, world, agreements):
    profile = client.get(reverse("cluster_detail", args=["food"])).text
    assert "Agreement public-food" in profile and "Agreement private-food" not in profile
    listing = client.get(reverse("agreement_list")).text
    assert "Agreement public-food" in listing and "Agreement agencies" in listing
    assert "Agreement public-with-draft" not in listing and "private-food" not in listing
    assert client.get(reverse("agreement_detail", args=["private-food"])).status_code == 404
    assert client.get("/api/v1/agreements/public-food").json()["is_public"] is True
    assert client.get("/api/v1/agreements/private-food").status_code == 404


def test_an_anonymous_upload_goes_to_the_sign_in_page(client, world, agreements):
    for slug in ("public-food", "private-food"):
        url = reverse("agreement_detail", args=[slug])
        response = client.post(url, {"title": "Annex"})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert AgreementDocument.objects.count() == 1


def test_documents_of_a_public_agreement_stay_with_the_parties(login, client, world, agreements):
    document = agreements.documents.get()
    url = reverse("agreement_document", args=["public-food", document.pk])
    page = client.get(reverse("agreement_detail", args=["public-food"])).text
    assert "Signed" not in page and "Documents" not in page
    assert client.get(url).status_code == 302  # to the login page
    assert login(world.other_staff).get(url).status_code == 404
    assert login(world.manager).get(url).status_code == 200


def test_parties_see_their_private_agreements_marked_as_such(login, world, agreements):
    body = login(world.manager).get(reverse("cluster_detail", args=["food"])).text
    assert "Agreement private-food" in body and '<span class="badge">private</span>' in body


def test_network_joins_current_public_agreements_between_agencies_and_clusters(world, agreements):
    network = agreement_network(user=AnonymousUser())
    keys = {key: label for key, label, _group in network.nodes}
    agency, other, food = (
        f"agency-{world.agency.pk}",
        f"agency-{world.other_agency.pk}",
        f"cluster-{world.cluster.pk}",
    )
    assert set(keys) == {agency, other, food}
    assert sorted(network.edges) == sorted(
        [(agency, food, "Agreement public-food"), (agency, other, "Agreement agencies")]
    )
    groups = {key: group for key, _label, group in network.nodes}
    assert groups[food] == agency


def test_agencies_page_draws_the_network_and_lists_it(client, world, agreements):
    body = client.get(reverse("agency_list")).text
    svg = body.split('<svg class="network-chart"')[1].split("</svg>")[0]
    assert "<title>Cooperation network: 2 agreements</title>" in svg
    assert svg.count('class="edge"') == 2 and svg.count('class="belongs"') == 1
    assert "<title>Agreement agencies</title>" in svg
    assert "Agreement ended" not in body
