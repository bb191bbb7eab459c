"""Saving a meta-cluster as a named initiative: agency staff only, at least two clusters, and
the list shows only what the reader may see."""

from datetime import date

import pytest
from django.urls import reverse

from atclusters.cooperation.models import Initiative
from atclusters.registry import services as registry_services
from tests.cooperation.test_command import food_clusters  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_staff_save_an_initiative_and_readers_see_what_they_may(client, food_clusters):  # noqa: F811
    world = food_clusters
    private = registry_services.agreement_create(
        actor=None, owner=world.agency, source="test",
        data={"slug": "food-pf", "title": "Private food deal", "type": "mou",
              "cluster_a": world.cluster,
              "cluster_b": world.cluster.__class__.objects.get(slug="portugalfoods"),
              "start": date(2024, 1, 1)},
    )  # fmt: skip
    form = {"agency": world.agency.slug, "name": "Atlantic food & drink",
            "members": ["food", "portugalfoods"], "agreements": [private.slug],
            "goals": "Joint <b>export</b> missions"}  # fmt: skip
    client.force_login(world.manager)
    assert client.post(reverse("initiative_create"), form).status_code == 403
    client.force_login(world.staff)
    client.post(reverse("initiative_create"), {**form, "members": ["food"]})
    assert not Initiative.objects.exists()  # one cluster is not a meta-cluster
    saved = client.post(reverse("initiative_create"), form)
    assert saved.status_code == 302 and saved["Location"].endswith("#atlantic-food-drink")
    initiative = Initiative.objects.get()
    assert sorted(m.slug for m in initiative.members.all()) == ["food", "portugalfoods"]
    staff_view = client.get(reverse("initiative_list"))
    assert (
        "Private food deal" in staff_view.text
        and "Joint &lt;b&gt;export&lt;/b&gt;" in staff_view.text
    )
    client.logout()
    public = client.get(reverse("initiative_list"))
    assert "Atlantic food &amp; drink" in public.text and "Private food deal" not in public.text


def test_an_unknown_agency_is_not_found_and_unpublished_clusters_are_left_out(
    client,
    food_clusters,  # noqa: F811
):
    world = food_clusters
    client.force_login(world.staff)
    form = {"agency": "no-such-agency", "name": "Paper and food", "members": ["food", "paper"]}
    assert client.post(reverse("initiative_create"), form).status_code == 404
    world.cluster.__class__.objects.filter(slug="paper").update(status="draft")
    response = client.post(reverse("initiative_create"), {**form, "agency": world.agency.slug})
    assert response.status_code == 302 and response["Location"].endswith("/meta-clusters/")
    assert not Initiative.objects.exists()  # the draft cluster left one: no meta-cluster
    response = client.post(
        reverse("initiative_create"),
        {**form, "agency": world.agency.slug, "members": ["food", "portugalfoods"]},
    )
    assert sorted(Initiative.objects.get().members.values_list("slug", flat=True)) == [
        "food",
        "portugalfoods",
    ]
