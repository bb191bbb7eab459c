"""The REST API applies the same permission rules as the pages."""

import pytest

from atclusters.core.models import AuditEntry
from atclusters.registry.models import ClusterOrganisation

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return sorted(item["slug"] for item in response.json()["items"])


def test_public_list_shows_published_clusters_only(client, world):
    response = client.get("/api/v1/clusters")
    assert response.status_code == 200
    assert slugs(response) == ["food", "sea"]


def test_token_holder_sees_their_agency_drafts(client, world, bearer):
    assert slugs(client.get("/api/v1/clusters", headers=bearer("staff"))) == [
        "draft",
        "food",
        "sea",
    ]
    assert slugs(client.get("/api/v1/clusters", headers=bearer("other_staff"))) == [
        "food",
        "hidden",
        "sea",
    ]
    assert len(slugs(client.get("/api/v1/clusters", headers=bearer("admin")))) == 4


def test_a_wrong_token_is_refused_not_downgraded(client, world):
    response = client.get("/api/v1/clusters", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_filters_and_pagination(client, world):
    response = client.get("/api/v1/clusters", {"country": "FR"})
    assert slugs(response) == ["sea"]
    response = client.get("/api/v1/clusters", {"limit": 1, "offset": 1})
    assert response.json()["count"] == 2 and len(response.json()["items"]) == 1


def test_draft_detail_is_404_for_the_public(client, world, bearer):
    assert client.get("/api/v1/clusters/draft").status_code == 404
    assert (
        client.get("/api/v1/clusters/draft", headers=bearer("manager")).json()["name"]
        == "Draft Cluster"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("staff", 200),
        ("manager", 200),
        ("other_staff", 403),
        ("rep", 403),
        ("nobody", 403),
    ],
)
def test_update_cluster_permissions(client, world, bearer, role, expected):
    response = client.patch(
        "/api/v1/clusters/food",
        {"city": "Lugo"},
        content_type="application/json",
        headers=bearer(role),
    )
    assert response.status_code == expected
    world.cluster.refresh_from_db()
    assert (world.cluster.city == "Lugo") is (expected == 200)


def test_anonymous_write_is_401(client, world):
    response = client.patch(
        "/api/v1/clusters/food", {"city": "Lugo"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_session_write_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.patch(
        "/api/v1/clusters/food", {"city": "Lugo"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_create_cluster_for_own_agency_only(client, world, bearer):
    payload = {
        "name": "Wind Cluster",
        "country": "ES",
        "agency": "galicia",
        "nuts_code": "ES11",
        "sectors": ["35"],
        "ecosystems": ["renewable-energy"],
    }
    response = client.post(
        "/api/v1/clusters", payload, content_type="application/json", headers=bearer("staff")
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "wind-cluster" and body["status"] == "draft"
    assert body["sectors"] == ["35"] and body["ecosystems"] == ["renewable-energy"]
    entry = AuditEntry.objects.get(
        model="registry.clusterorganisation",
        object_pk=str(ClusterOrganisation.objects.get(slug="wind-cluster").pk),
    )
    assert entry.actor_name == "staff" and entry.source == "api" and entry.action == "create"
    refused = client.post(
        "/api/v1/clusters",
        {**payload, "agency": "bretagne", "name": "X"},
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert refused.status_code == 403


def test_invalid_values_name_the_field(client, world, bearer):
    response = client.patch(
        "/api/v1/clusters/food",
        {
            "ecosystems": ["moon-mining"],
        },
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert response.status_code == 422
    assert "moon-mining" in response.json()["detail"]["ecosystems"][0]
    response = client.patch(
        "/api/v1/clusters/food",
        {"year_established": 1200},
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert response.status_code == 422 and "year_established" in response.json()["detail"]


def test_confidential_organisation_fields(client, world, bearer):
    public = client.get("/api/v1/organisations/member").json()
    assert public["vat_number"] is None and public["turnover_eur"] is None
    assert public["name"] == "Member SME"
    own = client.get("/api/v1/organisations/member", headers=bearer("rep")).json()
    assert own["vat_number"] == "ESB12345674" and own["employees"] == 12


def test_membership_lifecycle(client, world, bearer):
    headers = bearer("manager")
    response = client.post(
        "/api/v1/memberships",
        {"cluster": "draft", "organisation": "member", "role": "founder", "since": "2023-05-01"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.json()
    membership_id = response.json()["id"]
    again = client.post(
        "/api/v1/memberships",
        {"cluster": "draft", "organisation": "member"},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 422 and "already a current member" in str(again.json())
    ended = client.patch(
        f"/api/v1/memberships/{membership_id}",
        {"until": "2024-01-31"},
        content_type="application/json",
        headers=headers,
    )
    assert ended.json()["until"] == "2024-01-31"
    assert client.get(f"/api/v1/memberships/{membership_id}").status_code == 404


def test_agreements_are_private_to_the_parties(client, world, bearer):
    payload = {
        "title": "Galicia–Brittany MoU",
        "type": "mou",
        "owner": "galicia",
        "party_a_type": "agency",
        "party_a": "galicia",
        "party_b_type": "cluster",
        "party_b": "sea",
        "start": "2024-01-01",
        "sector": "10",
    }
    created = client.post(
        "/api/v1/agreements", payload, content_type="application/json", headers=bearer("staff")
    )
    assert created.status_code == 201, created.json()
    assert created.json()["party_b"] == "sea"
    assert client.get("/api/v1/agreements").status_code == 200
    assert client.get("/api/v1/agreements").json()["count"] == 0
    assert client.get("/api/v1/agreements", headers=bearer("nobody")).json()["count"] == 0
    assert client.get("/api/v1/agreements", headers=bearer("other_staff")).json()["count"] == 0
    refused = client.patch(
        f"/api/v1/agreements/{created.json()['slug']}",
        {"title": "X"},
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert refused.status_code == 200
    bad = client.post(
        "/api/v1/agreements",
        {**payload, "end": "2023-01-01", "slug": "bad"},
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert bad.status_code == 422


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clusters" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
