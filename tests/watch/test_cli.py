"""`atclusters watch …` as scripts use it: JSON out, exit codes 0 / 1 / 2; the fetcher's SSRF
check applies to the trusted command line too."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.watch import services
from atclusters.watch.models import Item, Source
from tests.watch.conftest import FEEDS, feed_file
from tests.watch.factories import source_added, topic_added
from tests.webserver import send

pytestmark = pytest.mark.django_db


def run(*args) -> object:
    out = StringIO()
    call_command("watch", *args, stdout=out)
    return json.loads(out.getvalue()) if "--json" in args else out.getvalue()


def test_check_url():
    with pytest.raises(CommandError) as refused:
        run("check-url", "http://[::ffff:169.254.169.254]/", "--json")
    assert refused.value.returncode == 1
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("watch", "check-url", "http://10.0.0.1/", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "allowed": False,
        "reason": "10.0.0.1 resolves to a private address (10.0.0.1)",
        "addresses": ["10.0.0.1"],
    }


def test_check_url_with_the_allow_list(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [8000]
    assert run("check-url", "http://127.0.0.1:8000/feed", "--json") == {
        "allowed": True, "reason": "", "addresses": ["127.0.0.1"],
    }  # fmt: skip


def test_add_source_and_its_refusals(world):
    added = run("add-source", "https://feeds.example.invalid/rss", "--name", "News",
                "--cluster", "food", "--schedule", "every 12 hours", "--json")  # fmt: skip
    assert Source.objects.get(pk=added["id"]).interval_hours == 12
    daily = run("add-source", "https://feeds.example.invalid/daily", "--name", "Daily",
                "--cluster", "food", "--schedule", "every 2 days", "--json")  # fmt: skip
    assert Source.objects.get(pk=daily["id"]).interval_hours == 48
    for args, option in [
        (("http://192.168.0.1/", "--name", "x", "--cluster", "food"), "--url"),
        (("https://feeds.example.invalid/b", "--name", "x", "--cluster", "nope"), "--cluster"),
        (("https://feeds.example.invalid/c", "--name", "x", "--cluster", "food", "--schedule",
          "every 0 hours"), "--schedule"),
        (("https://feeds.example.invalid/d", "--name", "x", "--cluster", "food", "--schedule",
          "hourly"), "--schedule"),
    ]:  # fmt: skip
        with pytest.raises(CommandError) as refused:
            run("add-source", *args)
        assert refused.value.returncode == 2 and str(refused.value).startswith(option)


def test_import_feed(world):
    topic_added(world.cluster)
    source = source_added(world.cluster)
    answer = run("import-feed", str(FEEDS / "rss.xml"), "--source", str(source.pk), "--json")
    assert (answer["new"], answer["duplicates"]) == (4, 1)
    hpp = next(i for i in answer["items"] if i["relevance"] == 80)
    assert hpp["language"] == "en" and hpp["topics"][0]["topic"] == "Preservation"
    with pytest.raises(CommandError) as hostile:
        run("import-feed", str(FEEDS / "billion_laughs.xml"), "--source", str(source.pk))
    assert hostile.value.returncode == 2
    listed = run("list", "--cluster", "food", "--json")
    assert len(listed) == 4 and Item.objects.count() == 4


def test_fetch_from_the_local_server(world, feed_server, local_allowed):
    feed_server.routes["/rss"] = feed_file("rss.xml")
    feed_server.routes["/down"] = lambda handler: handler.send_error(503)
    good = source_added(world.cluster, url=feed_server.url("/rss"))
    assert run("fetch", "--source", str(good.pk), "--json") == [
        {"source": good.pk, "new": 4, "duplicates": 1, "not_modified": False, "error": ""}
    ]
    source_added(world.cluster, url=feed_server.url("/down"), name="Down")
    Source.objects.update(next_fetch_at=None)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("watch", "fetch", stdout=out)
    assert failed.value.returncode == 1
    assert out.getvalue().splitlines() == [
        f"{good.pk}\tnot modified",
        f"{good.pk + 1}\tfailed: The server answered HTTP 503.",
    ]


def test_a_bulletin_as_a_file(world, tmp_path):
    source = source_added(world.cluster)
    run("import-feed", str(FEEDS / "rss.xml"), "--source", str(source.pk))
    items = list(Item.objects.order_by("pk")[:2])
    for item in items:
        services.item_curate(actor=None, item=item, status="validated")
    bulletin = services.bulletin_create(
        actor=None, cluster=world.cluster, title="Week 49", notes="Two stories.", items=items
    )
    for fmt, start in [("atom", b"<?xml"), ("pdf", b"%PDF"), ("html", b"<!DOCTYPE html>"),
                       ("text", b"Week 49")]:  # fmt: skip
        target = tmp_path / f"bulletin.{fmt}"
        run("bulletin", str(bulletin.pk), "--format", fmt, "-o", str(target))
        assert target.read_bytes().lstrip().startswith(start), fmt
    assert items[0].title in (tmp_path / "bulletin.text").read_text()
    with pytest.raises(CommandError) as missing:
        run("bulletin", "999", "-o", str(tmp_path / "x"))
    assert missing.value.returncode == 2


CONNECTORS = FEEDS.parent / "connectors"


def test_a_structured_source_is_fetched_and_imported_by_its_kind(world, feed_server, local_allowed):
    topic_added(world.cluster)
    body = (CONNECTORS / "openalex_works.json").read_bytes()
    feed_server.routes["/works"] = lambda handler: send(
        handler, 200, body, Content_Type="application/json"
    )
    added = run("add-source", feed_server.url("/works"), "--name", "OpenAlex: coatings",
                "--cluster", "food", "--kind", "openalex", "--json")  # fmt: skip
    assert run("fetch", "--source", str(added["id"]), "--json")[0]["new"] == 2
    coating = Item.objects.get(url="https://doi.org/10.1016/j.fpsl.2026.100001")
    assert coating.matches.get().topic.name == "Preservation"  # "shelf life" in the title
    assert coating.tags == ["Edible coating", "Shelf life"]
    # The same file read as a feed is refused: the kind decides the reader.
    with pytest.raises(CommandError) as refused:
        run("import-feed", str(CONNECTORS / "cordis_project.csv"), "--source", str(added["id"]))
    assert refused.value.returncode == 2
    patents = run("add-source", "https://ops.example.invalid/search", "--name", "EPO",
                  "--cluster", "food", "--kind", "epo-ops", "--json")  # fmt: skip
    answer = run("import-feed", str(CONNECTORS / "epo_ops_search.xml"), "--source",
                 str(patents["id"]), "--json")  # fmt: skip
    assert (answer["new"], [i["language"] for i in answer["items"]]) == (2, ["en", "es"])
