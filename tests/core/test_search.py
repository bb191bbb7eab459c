"""The site search: every domain's provider, over what the reader may see (the registry finds
clusters by name or acronym and organisations by name)."""

import pytest
from django.urls import reverse

from atclusters.core import domains

pytestmark = pytest.mark.django_db


def test_the_public_finds_published_clusters_only(client, world):
    found = client.get(reverse("site_search"), {"q": "cluster"}).text
    assert '<a href="/en/clusters/food/">Food Cluster</a>' in found
    assert '<a href="/en/clusters/sea/">Sea Cluster</a>' in found
    assert "Draft Cluster" not in found and "Hidden Cluster" not in found


def test_staff_find_their_agencys_drafts_and_not_another_agencys(login, world):
    found = login(world.staff).get(reverse("site_search"), {"q": "cluster"}).text
    assert "Draft Cluster" in found and "Hidden Cluster" not in found


def test_organisations_are_found_as_the_registry_lists_them(login, world):
    assert [
        (result.title, result.url)
        for result in domains.search(user=world.staff, query="sme", limit=20)
    ] == [("Member SME", "/en/organisations/member/")]
    public = login(None).get(reverse("site_search"), {"q": "Outsider"}).text
    assert "Nothing found for “Outsider”." in public  # its only cluster is a draft


def test_a_one_letter_query_searches_nothing(client, world):
    page = client.get(reverse("site_search"), {"q": "f"}).text
    assert "Food Cluster" not in page and "Nothing found" not in page
