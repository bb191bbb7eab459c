"""The watch on the REST API: what each role reads, curation and comments, sources refused on
SSRF grounds (422 naming `url`), topics, bulletins and the URL check."""

import pytest

from atclusters.watch import services
from atclusters.watch.models import Item, Source
from tests.watch.factories import rss_ingested, source_added, topic_added

pytestmark = pytest.mark.django_db

API = "/api/v1/watch"


@pytest.fixture
def items(world):
    topic_added(world.cluster)
    rss_ingested(source_added(world.cluster))
    found = list(Item.objects.filter(cluster=world.cluster).order_by("pk"))
    services.item_curate(actor=None, item=found[1], status="validated")
    return found


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_items_by_role(client, bearer, items):
    def titles(headers):
        answer = client.get(f"{API}/items", headers=headers)
        assert answer.status_code == 200
        return [item["title"][:10] for item in answer.json()["items"]]

    assert titles({}) == []
    assert titles(bearer("other_staff")) == []
    assert titles(bearer("rep")) == ["High-press"]
    assert len(titles(bearer("manager"))) == 4
    hpp = client.get(f"{API}/items/{items[1].pk}", headers=bearer("rep")).json()
    assert hpp["topics"][0]["explanation"]["parts"] == {"query": 40, "title": 20, "terms": 20}
    assert client.get(f"{API}/items/{items[0].pk}", headers=bearer("rep")).status_code == 404
    filtered = client.get(
        f"{API}/items", {"min_relevance": 75, "cluster": "food"}, headers=bearer("staff")
    )
    assert [i["relevance"] for i in filtered.json()["items"]] == [80]
    unknown = client.get(f"{API}/items", {"cluster": "nope"}, headers=bearer("staff"))
    assert unknown.status_code == 422


def test_curation_and_comments(client, bearer, items):
    url = f"{API}/items/{items[0].pk}/curation"
    assert post(client, url, {"status": "validated"}, bearer("rep")).status_code == 404
    answer = post(
        client, url, {"status": "validated", "rating": 3, "tags": ["x"]}, bearer("manager")
    )
    assert answer.status_code == 200 and answer.json()["rating"] == 3
    assert post(client, url, {"rating": 7}, bearer("manager")).status_code == 422
    assert post(client, url, {"status": "rejected"}, {}).status_code == 401
    comment = post(client, f"{API}/items/{items[0].pk}/comments",
                   {"body": "<i>ok</i><script>x</script>"}, bearer("rep"))  # fmt: skip
    assert comment.status_code == 201 and comment.json()["body"] == "<i>ok</i>"


def test_sources_and_the_ssrf_check(client, bearer, world):
    body = {"cluster": "food", "name": "Internal", "url": "http://[::ffff:127.0.0.1]:8080/feed"}
    refused = post(client, f"{API}/sources", body, bearer("manager"))
    assert refused.status_code == 422
    assert refused.json()["detail"]["url"] == ["Only addresses on the ports 80, 443 are read."]
    local = post(
        client, f"{API}/sources", body | {"url": "http://localhost/feed"}, bearer("manager")
    )
    assert local.json()["detail"]["url"] == [
        "This address is not allowed: the server reads only the public internet."
    ]
    ok = body | {"name": "Public", "url": "https://feeds.example.invalid/rss"}
    assert post(client, f"{API}/sources", ok, bearer("other_staff")).status_code == 403
    created = post(client, f"{API}/sources", ok, bearer("manager"))
    assert created.status_code == 201 and created.json()["failing"] is False
    assert [s["name"] for s in client.get(f"{API}/sources", headers=bearer("staff")).json()] == [
        "Public"
    ]
    assert client.get(f"{API}/sources", headers=bearer("rep")).json() == []
    assert Source.objects.count() == 1
    check = post(client, f"{API}/check-url", {"url": "http://169.254.169.254/"}, bearer("staff"))
    # The API says only that the address is not allowed: not what the host resolved to.
    assert check.json() == {
        "allowed": False,
        "reason": "This address is not allowed: the server reads only the public internet.",
        "addresses": [],
    }
    assert post(client, f"{API}/check-url", {"url": "http://x/"}, bearer("rep")).status_code == 403


def test_topics_and_bulletins(client, bearer, items, world):
    body = {"cluster": "food", "name": "Launches", "mode": "competitive", "query": "launches"}
    created = post(client, f"{API}/topics", body, bearer("manager"))
    assert created.status_code == 201
    assert (
        post(
            client, f"{API}/topics", body | {"name": "B", "query": "(x"}, bearer("manager")
        ).status_code
        == 422
    )
    assert post(client, f"{API}/topics", body | {"name": "C"}, bearer("rep")).status_code == 403
    bulletin = services.bulletin_create(
        actor=None, cluster=world.cluster, title="W49", items=[items[1]]
    )
    assert client.get(f"{API}/bulletins", headers=bearer("rep")).json() == []
    services.bulletin_send(actor=None, bulletin=bulletin)
    sent = client.get(f"{API}/bulletins", headers=bearer("rep")).json()
    assert [(b["title"], b["items"]) for b in sent] == [("W49", [items[1].pk])]


def test_the_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{API}/items", f"{API}/sources", f"{API}/check-url"} <= set(paths)


def test_bulletins_and_subscriptions(client, bearer, items, world):
    from atclusters.core.models import OutgoingEmail

    world.rep.email = "rep@example.org"
    world.rep.save()
    rep = bearer("rep")
    assert (
        post(
            client, f"{API}/subscriptions", {"cluster": "sea", "subscribed": True}, rep
        ).status_code
        == 403
    )
    subscribed = post(
        client, f"{API}/subscriptions",
        {"cluster": "food", "subscribed": True, "alerts": True, "language": "fr"}, rep,
    )  # fmt: skip
    assert subscribed.json() == [{"cluster": "food", "alerts": True, "language": "fr"}]
    assert post(client, f"{API}/subscriptions", {"cluster": "food", "subscribed": True,
                                                 "language": "de"}, rep).status_code == 422  # fmt: skip
    body = {"cluster": "food", "title": "W49", "items": [items[1].pk]}
    assert post(client, f"{API}/bulletins", body, rep).status_code == 403
    not_validated = post(
        client, f"{API}/bulletins", body | {"items": [items[0].pk]}, bearer("manager")
    )
    assert not_validated.status_code == 422 and "items" in not_validated.json()["detail"]
    other = post(client, f"{API}/bulletins", body | {"items": [999999]}, bearer("manager"))
    assert other.status_code == 422
    created = post(client, f"{API}/bulletins", body, bearer("manager"))
    assert created.status_code == 201 and created.json()["status"] == "draft"
    url = f"{API}/bulletins/{created.json()['id']}/sending"
    assert post(client, url, {}, rep).status_code == 404  # a draft: members do not see it
    assert post(client, url, {}, bearer("manager")).json() == {"recipients": 1}
    assert post(client, url, {}, bearer("manager")).status_code == 422  # already sent
    assert OutgoingEmail.objects.get().to == ["rep@example.org"]
    ended = post(client, f"{API}/subscriptions", {"cluster": "food", "subscribed": False}, rep)
    assert ended.json() == []
