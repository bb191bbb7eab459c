"""Each role sees and changes exactly what it should on the pages (403/404 otherwise)."""

import pytest
from django.urls import reverse

from atclusters.registry.models import ClusterOrganisation

pytestmark = pytest.mark.django_db

ROLES = ["admin", "staff", "other_staff", "manager", "rep", "nobody", "anonymous"]


def user_of(world, role):
    return None if role == "anonymous" else getattr(world, role)


def status_for(login, world, role, url, method="get", data=None):
    client = login(user_of(world, role))
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("other_staff", 404),
        ("manager", 200),
        ("rep", 404),
        ("nobody", 404),
        ("anonymous", 404),
    ],
)
def test_draft_cluster_is_visible_only_to_its_agency_and_managers(login, world, role, expected):
    assert status_for(login, world, role, reverse("cluster_detail", args=["draft"])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_published_cluster_is_public(login, world, role):
    assert status_for(login, world, role, reverse("cluster_detail", args=["food"])) == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("other_staff", 403),
        ("manager", 200),
        ("rep", 403),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_cluster_edit_page(login, world, role, expected):
    assert status_for(login, world, role, reverse("cluster_edit", args=["food"])) == expected


def test_other_agency_draft_is_not_found_even_for_editing(login, world):
    assert status_for(login, world, "staff", reverse("cluster_edit", args=["hidden"])) == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("other_staff", 200),
        ("manager", 403),
        ("rep", 403),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_cluster_create_page(login, world, role, expected):
    assert status_for(login, world, role, reverse("cluster_create")) == expected


@pytest.mark.parametrize(
    ("role", "sees_vat"),
    [
        ("admin", True),
        ("staff", True),
        ("other_staff", False),
        ("manager", True),
        ("rep", True),
        ("nobody", False),
        ("anonymous", False),
    ],
)
def test_organisation_confidential_data(login, world, role, sees_vat):
    response = login(user_of(world, role)).get(reverse("organisation_detail", args=["member"]))
    assert response.status_code == 200
    assert ("ESB12345674" in response.text) is sees_vat
    assert ("900000" in response.text) is sees_vat


@pytest.mark.parametrize(
    ("role", "expected", "sees_membership"),
    [
        ("admin", 200, True),
        ("other_staff", 200, True),
        ("staff", 200, False),
        ("manager", 200, False),
        ("rep", 404, False),
        ("nobody", 404, False),
        ("anonymous", 404, False),
    ],
)
def test_member_of_unpublished_cluster_is_private(login, world, role, expected, sees_membership):
    """Those who record members find every organisation, but not its unpublished memberships."""
    response = login(user_of(world, role)).get(reverse("organisation_detail", args=["outsider"]))
    assert response.status_code == expected
    assert ("Hidden Cluster" in response.text) is sees_membership


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("other_staff", 403),
        ("manager", 200),
        ("rep", 200),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_organisation_edit_page(login, world, role, expected):
    """The member is listed by a published cluster: everyone sees it, so those who may not
    change it get 403 (not 404, which would say it does not exist)."""
    assert status_for(login, world, role, reverse("organisation_edit", args=["member"])) == expected


def test_organisation_edit_of_an_organisation_one_may_not_see_is_not_found(login, world):
    assert status_for(login, world, "rep", reverse("organisation_edit", args=["outsider"])) == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 302), ("staff", 302), ("other_staff", 404), ("manager", 403), ("anonymous", 302)],
)
def test_only_agency_staff_publish(login, world, role, expected):
    url = reverse("cluster_transition", args=["draft", "publish"])
    assert status_for(login, world, role, url, "post") == expected
    world.draft.refresh_from_db()
    published = world.draft.status == ClusterOrganisation.Status.PUBLISHED
    assert published is (role in {"admin", "staff"})


def test_manager_submits_and_staff_publishes(login, world):
    login(world.manager).post(reverse("cluster_transition", args=["draft", "submit"]))
    world.draft.refresh_from_db()
    assert world.draft.status == ClusterOrganisation.Status.SUBMITTED
    dashboard = login(world.staff).get(reverse("dashboard"))
    assert "Draft Cluster" in dashboard.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("manager", 200),
        ("rep", 403),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_import_page(login, world, role, expected):
    assert status_for(login, world, role, reverse("import")) == expected


@pytest.mark.parametrize("role", ["staff", "anonymous"])
def test_agreement_list_opens_to_everyone(login, world, role):
    assert status_for(login, world, role, reverse("agreement_list")) == 200


def test_manager_cannot_change_status_or_agency_through_the_form(login, world):
    client = login(world.manager)
    client.post(
        reverse("cluster_edit", args=["draft"]),
        {
            "name": "Renamed Draft",
            "country": "ES",
            "status": "published",
            "agency": world.other_agency.pk,
            "label": "",
            "value_chain_position": "",
        },
    )
    world.draft.refresh_from_db()
    assert world.draft.name == "Renamed Draft"
    assert world.draft.status == "draft"
    assert world.draft.agency == world.agency


def test_cluster_manager_adds_a_member_and_composition_updates(login, world):
    client = login(world.manager)
    response = client.post(
        reverse("cluster_members", args=["food"]),
        {"organisation": world.outsider.slug, "role": "member", "since": "2024-02-01"},
        headers={"HX-Request": "true"},
    )
    # An organisation already in the registry (here a member elsewhere) is added, not duplicated.
    assert response.status_code == 200
    assert world.cluster.memberships.count() == 2
    assert '<strong data-testid="member-total">2</strong>' in response.text
    login(world.staff)
    response = client.post(
        reverse("cluster_members", args=["food"]),
        {"organisation": world.member.slug, "role": "board", "since": "2024-02-01"},
        headers={"HX-Request": "true"},
    )
    assert "is already a current member" in response.text
