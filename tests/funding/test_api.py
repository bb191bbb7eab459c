"""The funding API: calls (public), saving one (agency staff, errors naming the field), the
calls ranked for a cluster, track records in aggregate."""

import pytest
import time_machine

from atclusters.core.models import Term
from atclusters.funding.models import Call
from tests.funding.factories import BEFORE, portal_imported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_the_deadlines():
    with time_machine.travel(BEFORE, tick=False):
        yield


def test_calls_are_public_with_every_deadline(client, world):
    portal_imported()
    answer = client.get("/api/v1/funding/calls", {"programme": "Horizon Europe"}).json()
    assert answer["count"] == 1
    [call] = answer["items"]
    assert call["deadlines"] == ["2026-09-17T17:00:00+02:00", "2027-02-17T17:00:00+01:00"]
    assert call["status"] == "forthcoming" and call["deadline_model"] == "two-stage"
    assert client.get(f"/api/v1/funding/calls/{call['id']}").json()["identifier"] == (
        "HORIZON-CL6-2026-FARM2FORK-01-03"
    )
    assert client.get("/api/v1/funding/calls/999999").status_code == 404


BODY = {
    "identifier": "SMP-2026-EUROCLUSTERS",
    "programme": "Single Market Programme",
    "title": "Euroclusters",
    "deadlines": ["2026-11-05"],
    "eligible_countries": ["ES", "PT", "FR"],
}


def test_staff_save_a_call_and_others_may_not(client, world, bearer):
    assert (
        client.post("/api/v1/funding/calls", BODY, content_type="application/json").status_code
        == 401
    )
    refused = client.post(
        "/api/v1/funding/calls", BODY, content_type="application/json", headers=bearer("manager")
    )
    assert refused.status_code == 403 and Call.objects.count() == 0
    created = client.post(
        "/api/v1/funding/calls", BODY, content_type="application/json", headers=bearer("staff")
    )
    assert created.status_code == 201
    assert created.json()["deadlines"] == ["2026-11-05T17:00:00+01:00"]
    again = client.post(
        "/api/v1/funding/calls", BODY | {"title": "Euroclusters 2"},
        content_type="application/json", headers=bearer("staff"),
    )  # fmt: skip
    assert again.status_code == 200 and again.json()["title"] == "Euroclusters 2"
    bad = client.post(
        "/api/v1/funding/calls", BODY | {"deadlines": ["05/11/2026"]},
        content_type="application/json", headers=bearer("staff"),
    )  # fmt: skip
    assert bad.status_code == 422 and "deadlines" in bad.json()["detail"]
    nowhere = client.post(
        "/api/v1/funding/calls", BODY | {"eligible_countries": ["XX"]},
        content_type="application/json", headers=bearer("staff"),
    )  # fmt: skip
    assert nowhere.json()["detail"] == {"eligible_countries": ["unknown countries: XX"]}


def test_a_clusters_ranked_calls_and_track_record(client, world):
    world.cluster.description_en = "Food processing: seafood canning and dairy."
    world.cluster.save()
    world.cluster.ecosystems.add(Term.objects.get(kind="ecosystem", slug="agri-food"))
    portal_imported()
    ranked = client.get(f"/api/v1/funding/clusters/{world.cluster.slug}/calls", {"top": 2}).json()
    assert ranked[0]["identifier"] == "HORIZON-CL6-2026-FARM2FORK-01-03"
    assert "both in Agri-food ecosystem" in ranked[0]["reasons"]
    assert {"code": "ecosystem", "names": "Agri-food"} in ranked[0]["explanations"]
    assert client.get("/api/v1/funding/clusters/hidden/calls").status_code == 404
    record = client.get(f"/api/v1/funding/clusters/{world.cluster.slug}/track-record").json()
    assert record["projects"] == 0
    assert client.get("/api/v1/funding/regions/ES11/track-record").status_code == 200
    assert client.get("/api/v1/funding/regions/ZZ99/track-record").status_code == 404


def test_an_organisations_eu_projects(client, world):
    from tests.funding.factories import cordis_imported

    world.member.pic = "999111222"
    world.member.save()
    cordis_imported()
    projects = client.get(f"/api/v1/funding/organisations/{world.member.slug}/projects").json()
    assert [(p["acronym"], p["role"]) for p in projects] == [("SEAFOOD4ALL", "coordinator")]
    assert client.get("/api/v1/funding/organisations/no-such/projects").status_code == 404
