"""Where a cluster is and how to reach it: map dots, structured data, contact."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from atclusters.registry import services
from atclusters.registry.importers import importer_for
from atclusters.registry.models import ClusterOrganisation

pytestmark = pytest.mark.django_db


def place(cluster, latitude, longitude):
    ClusterOrganisation.objects.filter(pk=cluster.pk).update(latitude=latitude, longitude=longitude)


def test_map_points_are_published_clusters_with_a_position(client, world):
    place(world.cluster, "42.23282", "-8.72264")
    place(world.draft, "43.0", "-8.0")
    response = client.get(reverse("map_clusters"))
    points = response.json()
    assert points == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-8.72264, 42.23282]},
                "properties": {"slug": "food", "name": "Food Cluster", "acronym": "", "members": 1},
            }
        ],
    }
    same = client.get(reverse("map_clusters"), headers={"If-None-Match": response["ETag"]})
    assert same.status_code == 304
    place(world.other_cluster, "48.11", "-1.67")
    moved = client.get(reverse("map_clusters"), headers={"If-None-Match": response["ETag"]})
    assert moved.status_code == 200


def test_profile_structured_data_carries_the_position(client, world):
    place(world.cluster, "42.23282", "-8.72264")
    body = client.get(reverse("cluster_detail", args=["food"])).text
    data = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 42.23282,
        "longitude": -8.72264,
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"latitude": Decimal("42.1")}, "longitude"),
        ({"longitude": Decimal("-8.1")}, "latitude"),
        ({"latitude": Decimal("91"), "longitude": Decimal("0")}, "latitude"),
        ({"latitude": Decimal("0"), "longitude": Decimal("-180.5")}, "longitude"),
    ],
)
def test_a_position_needs_both_coordinates_within_range(world, data, field):
    with pytest.raises(ValidationError) as raised:
        services.cluster_update(actor=world.manager, cluster=world.cluster, data=data)
    assert field in raised.value.message_dict


def test_import_reads_coordinates_and_names_a_bad_cell(world):
    header = "slug,name,agency,country,nuts_code,latitude,longitude"
    importer = importer_for("clusters", actor=None)
    good = importer.run(f"{header}\nmec,Marine,galicia,ES,ES11,42.5,-8.9\n".encode(), "c.csv")
    assert good.ok, good.errors
    assert ClusterOrganisation.objects.get(slug="mec").latitude == Decimal("42.5")
    bad = importer_for("clusters", actor=None).run(
        f"{header}\nmec2,Marine 2,galicia,ES,ES11,95,-8.9\n".encode(), "c.csv"
    )
    assert [(error.row, error.column) for error in bad.errors] == [(2, "latitude")]
    assert not ClusterOrganisation.objects.filter(slug="mec2").exists()


def test_profile_shows_the_clusters_contact_to_everyone(client, world):
    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(
        contact_name="Ana Pérez", contact_email="info@food.example.org", contact_phone="+34 986 000"
    )
    body = client.get(reverse("cluster_detail", args=["food"])).text
    assert 'Ana Pérez <a href="mailto:info@food.example.org">info@food.example.org</a>' in body
    data = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["email"] == "info@food.example.org" and data["telephone"] == "+34 986 000"
    api = client.get("/api/v1/clusters/food").json()
    assert api["contact_email"] == "info@food.example.org"
