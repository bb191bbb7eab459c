"""Members appear on a cluster's public profile only when they agreed to be listed."""

import pytest
from django.urls import reverse

from atclusters.core.permissions import PermissionDenied
from atclusters.registry import services
from atclusters.registry.importers import importer_for
from atclusters.registry.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlisted(world):
    organisation = OrganisationFactory(slug="quiet", name="Quiet Labs SL")
    return MembershipFactory(cluster=world.cluster, organisation=organisation)


def test_public_profile_lists_consenting_members_and_counts_the_others(client, world, unlisted):
    body = client.get(reverse("cluster_detail", args=["food"])).text
    assert "Member SME" in body and "Quiet Labs SL" not in body
    assert '<strong data-testid="member-total">2</strong>' in body
    assert "1 member has not asked to be listed publicly." in body
    assert client.get(reverse("organisation_detail", args=["quiet"])).status_code == 404
    assert "Quiet Labs SL" not in client.get(reverse("organisation_list")).text
    api = client.get("/api/v1/memberships", {"cluster": "food"}).json()
    assert [row["organisation"] for row in api["items"]] == ["member"]


def test_managers_see_every_member_and_which_are_not_listed(login, world, unlisted):
    body = login(world.manager).get(reverse("cluster_detail", args=["food"])).text
    assert "Quiet Labs SL" in body and "not listed publicly" in body
    assert "has not asked to be listed" not in body


def test_the_representative_gives_and_withdraws_consent(login, client, world):
    membership = Membership.objects.get(organisation=world.member, cluster=world.cluster)
    url = reverse("membership_listing", args=[membership.pk])
    login(world.rep).post(url, {"listed": "no"})
    membership.refresh_from_db()
    assert membership.listed_publicly is False
    login(None)
    assert "Member SME" not in client.get(reverse("cluster_detail", args=["food"])).text
    login(world.rep).post(url, {"listed": "yes"})
    membership.refresh_from_db()
    assert membership.listed_publicly is True


@pytest.mark.parametrize("who", ["nobody", "other_staff"])
def test_others_cannot_change_a_members_consent(login, world, who):
    membership = Membership.objects.get(organisation=world.member, cluster=world.cluster)
    response = login(getattr(world, who)).post(
        reverse("membership_listing", args=[membership.pk]), {"listed": "no"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.listed_publicly is True


def test_a_representative_may_change_consent_but_not_the_membership(world):
    membership = Membership.objects.get(organisation=world.member, cluster=world.cluster)
    services.membership_update(
        actor=world.rep, membership=membership, data={"listed_publicly": False}
    )
    with pytest.raises(PermissionDenied):
        services.membership_update(actor=world.rep, membership=membership, data={"role": "board"})


def test_import_records_consent_and_an_empty_cell_keeps_it(world):
    header = "cluster,organisation,role,since,until,listed"
    quiet = OrganisationFactory(slug="quiet")

    def run(text):
        return importer_for("memberships", actor=None).run(text.encode(), "m.csv")

    assert run(f"{header}\nfood,quiet,member,2024-01-01,,yes\n").ok
    membership = Membership.objects.get(organisation=quiet)
    assert membership.listed_publicly is True
    report = run("cluster,organisation,role,since\nfood,quiet,board,2024-01-01\n")
    assert report.ok and report.updated == 1
    membership.refresh_from_db()
    assert membership.role == "board" and membership.listed_publicly is True
    bad = run(f"{header}\nfood,quiet,member,2024-01-01,,maybe\n")
    assert [(e.row, e.column) for e in bad.errors] == [(2, "listed")]


def test_api_records_consent_when_adding_a_member(client, world, bearer):
    quiet = OrganisationFactory(slug="quiet")
    response = client.post(
        "/api/v1/memberships",
        {"cluster": "food", "organisation": "quiet", "listed_publicly": True},
        content_type="application/json",
        headers=bearer("manager"),
    )
    assert response.status_code == 201 and response.json()["listed_publicly"] is True
    assert Membership.objects.get(organisation=quiet).listed_publicly is True


def test_composition_is_drawn_as_an_svg_bar_chart(client, world, unlisted):
    body = client.get(reverse("cluster_detail", args=["food"])).text
    chart = body.split('<div data-testid="by-type">')[1].split("</div>")[0]
    assert chart.startswith('<figure><svg class="bar-chart" role="img"')
    assert "<figcaption" in chart  # its source and year
    assert "<title>Members by type — SME: 2</title>" in chart
    assert 'width="110.0"' in chart and ">2</text>" in chart
