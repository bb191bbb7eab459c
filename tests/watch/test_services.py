"""The watch's writes: taking entries in (duplicates, classification), fetching a source from a
local server (conditional requests, errors and back-off), curation and its permissions,
sanitised comments, bulletins and alerts through the outbox, subscriptions."""

from datetime import UTC, datetime, timedelta

import pytest

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry, OutgoingEmail
from atclusters.core.permissions import PermissionDenied
from atclusters.watch import canonical, feeds, services
from atclusters.watch.models import Item, Match, Source, Subscription
from tests.watch.conftest import feed_file
from tests.watch.factories import rss_ingested, source_added, topic_added
from tests.webserver import send

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_entries_become_items_once_and_are_scored(world):
    topic = topic_added(world.cluster)
    source = source_added(world.cluster)
    report = rss_ingested(source)
    # Five entries, the fifth the first again (same link but for the fragment, same text).
    assert (len(report.new), report.duplicates) == (4, 1)
    hpp = Item.objects.get(title__startswith="High-pressure")
    assert hpp.language == "en" and hpp.relevance == 80  # query 40, title 20, two terms
    match = Match.objects.get(item=hpp, topic=topic)
    assert match.explanation["in_title"] == ["high pressure processing"]
    assert not Match.objects.filter(item__title__startswith="Competitor").exists()
    again = rss_ingested(source)
    assert (len(again.new), again.duplicates) == (0, 5)
    assert AuditEntry.objects.filter(model="watch.item", action="create").count() == 4


def test_the_same_story_from_another_source_is_recorded_on_the_item(world):
    first, second = source_added(world.cluster), source_added(world.cluster, name="Normativa")
    rss_ingested(first)
    report = rss_ingested(second, "jsonfeed.json")
    assert (len(report.new), report.duplicates) == (2, 1)
    hpp = Item.objects.get(title__startswith="High-pressure")
    assert list(hpp.also_in.all()) == [second]
    # Another cluster's watch keeps its own copy.
    other = source_added(world.other_cluster)
    assert len(rss_ingested(other).new) == 4


def test_a_near_copy_from_another_source_is_the_same_story(world):
    rss_ingested(source_added(world.cluster))
    digest = source_added(world.cluster, name="Seafood digest")
    report = rss_ingested(digest, "near_copy.json")
    assert (len(report.new), report.duplicates) == (1, 1)
    coatings = Item.objects.get(title__startswith="Edible coatings extend the")
    assert list(coatings.also_in.all()) == [digest]
    assert report.new[0].title == "Hake quotas for 2027 agreed in Brussels"


def test_a_sources_own_series_is_not_taken_for_copies(world):
    """Weekly reports of one feed read alike; only another source's near copy is a copy."""
    source = source_added(world.cluster, name="Prices")
    text = "Average first-sale prices of hake, sardine and mackerel at the Galician fish markets"

    def week(number: int) -> feeds.Feed:
        entry = feeds.Entry(
            title="Fish prices this week", url=f"https://prices.example.invalid/{number}",
            summary=f"{text} in week {number}, by species and port.",
        )  # fmt: skip
        return feeds.Feed(title="Prices", language="en", entries=[entry])

    assert canonical.near(
        canonical.simhash(*_texts(week(48))), canonical.simhash(*_texts(week(49)))
    )
    services.items_ingest(actor=None, source_row=source, feed=week(48))
    assert len(services.items_ingest(actor=None, source_row=source, feed=week(49)).new) == 1
    other = source_added(world.cluster, name="Digest")
    copy = feeds.Feed(title="Digest", language="en", entries=[
        feeds.Entry(title="Fish prices this week", url="https://digest.example.invalid/p49",
                    summary=f"{text} in week 49, by species and by port.")
    ])  # fmt: skip
    assert services.items_ingest(actor=None, source_row=other, feed=copy).duplicates == 1


def _texts(feed: feeds.Feed) -> tuple[str, str]:
    return feed.entries[0].title, feed.entries[0].summary


def test_a_new_or_changed_topic_files_the_items_anew(world):
    rss_ingested(source_added(world.cluster))
    topic = topic_added(world.cluster, name="Launches", mode="competitive", query="launches")
    assert [m.item.title[:10] for m in topic.matches.all()] == ["Competitor"]
    services.topic_save(
        actor=None, cluster=world.cluster, topic=topic, name="Launches", mode="competitive",
        query="trays", threshold=40,
    )  # fmt: skip
    assert [m.item.title[:10] for m in topic.matches.all()] == ["Recyclable"]
    assert Item.objects.get(title__startswith="Competitor").relevance == 0


def test_topic_input_is_checked(world):
    with pytest.raises(DomainError) as refused:
        services.topic_save(
            actor=None, cluster=world.cluster, name="", mode="psychic", query="(a OR",
            threshold=120,
        )  # fmt: skip
    assert set(refused.value.errors) == {"name", "mode", "query", "threshold"}
    with pytest.raises(PermissionDenied):
        topic_added(world.cluster) and services.topic_save(
            actor=world.rep, cluster=world.cluster, name="x", mode="technological", query="x"
        )


def test_a_source_on_a_private_address_is_refused(world):
    for url, message in [
        ("http://192.168.1.1/rss", "Give the host's name, not an IP address."),
        (
            "http://router.localhost/rss",
            "This address is not allowed: the server reads only the public internet.",
        ),
        ("https://feeds.example.org:8443/rss", "Only addresses on the ports 80, 443 are read."),
    ]:
        with pytest.raises(DomainError) as refused:
            services.source_add(actor=world.manager, cluster=world.cluster, name="R", url=url)
        assert (refused.value.field, refused.value.message) == ("url", message)
    with pytest.raises(PermissionDenied):
        services.source_add(
            actor=world.other_staff, cluster=world.cluster, name="x",
            url="https://feeds.example.invalid/x",
        )  # fmt: skip
    assert not Source.objects.exists()


def test_fetching_a_source_from_the_local_server(world, feed_server, local_allowed):
    topic_added(world.cluster)
    feed_server.routes["/rss"] = feed_file("rss.xml")
    source = source_added(world.cluster, url=feed_server.url("/rss"))
    report = services.source_fetch(source_row=source, now=NOW)
    assert (len(report.new), report.duplicates, report.error) == (4, 1, "")
    source.refresh_from_db()
    assert (source.etag, source.last_fetched_at) == ('"v1"', NOW)
    assert source.next_fetch_at == NOW + timedelta(hours=6)
    later = services.source_fetch(source_row=source, now=NOW + timedelta(hours=6))
    assert later.not_modified and not later.new
    assert feed_server.requests[-1]["If-None-Match"] == '"v1"'
    feed_server.routes["/rss"] = lambda h: send(h, 304)  # no validators repeated
    services.source_fetch(source_row=source, now=NOW + timedelta(hours=12))
    source.refresh_from_db()
    assert (source.etag, source.last_modified) == ('"v1"', "Mon, 07 Dec 2026 08:00:00 GMT")
    # The fetcher's bookkeeping is not the audit log's business; the items are.
    assert not AuditEntry.objects.filter(model="watch.source", action="update").exists()


def test_errors_back_off_and_a_source_fails_after_three(world, feed_server, local_allowed):
    feed_server.routes["/broken"] = lambda h: send(h, 500)
    source = source_added(world.cluster, url=feed_server.url("/broken"))
    for attempt in range(1, 4):
        report = services.source_fetch(source_row=source, now=NOW)
        assert "500" in report.error
        source.refresh_from_db()
        assert source.error_count == attempt
        assert source.next_fetch_at == NOW + timedelta(hours=6 * 2**attempt)
    assert source.failing
    feed_server.routes["/broken"] = feed_file("rss.xml")
    services.source_set_active(actor=world.manager, source_row=source, active=True)
    assert services.sources_due(now=NOW)[0][1].error == ""
    source.refresh_from_db()
    assert (source.error_count, source.failing) == (0, False)


def test_a_source_redirected_to_a_private_address_fails(world, feed_server, local_allowed):
    feed_server.routes["/rss"] = lambda h: send(h, 302, Location="http://10.0.0.1/feed")
    source = source_added(world.cluster, url=feed_server.url("/rss"))
    report = services.source_fetch(source_row=source, now=NOW)
    assert (
        report.error == "This address is not allowed: the server reads only the public internet."
        and not Item.objects.exists()
    )


def test_sources_due_are_paced_and_paused_ones_skipped(world, feed_server, local_allowed):
    feed_server.routes["/a"] = feed_file("rss.xml")
    feed_server.routes["/b"] = feed_file("atom.xml")
    a = source_added(world.cluster, url=feed_server.url("/a"))
    b = source_added(world.cluster, url=feed_server.url("/b"), name="Creative")
    services.source_set_active(actor=None, source_row=b, active=False)
    assert [row for row, _report in services.sources_due(now=NOW)] == [a]
    assert services.sources_due(now=NOW + timedelta(hours=1)) == []


def test_a_source_is_taken_by_one_run_only(world):
    # The scheduler queues the fetch every quarter of an hour: a run still busy with its
    # sources and the next one must not fetch the same source at once.
    row = source_added(world.cluster)
    read_by_another_run = Source.objects.get(pk=row.pk)
    assert services._fetch_claim(row, NOW)
    assert not services._fetch_claim(read_by_another_run, NOW)
    assert services.sources_due(now=NOW + timedelta(minutes=15)) == []  # leased for an hour


def test_curation_is_for_the_clusters_curators(world):
    rss_ingested(source_added(world.cluster))
    item = Item.objects.get(title__startswith="High-pressure")
    for outsider in (world.rep, world.other_staff, world.nobody):
        with pytest.raises(PermissionDenied):
            services.item_curate(actor=outsider, item=item, status="validated")
    services.item_curate(
        actor=world.manager, item=item, status="validated", rating=4, tags=[" HPP ", "HPP", ""]
    )
    item.refresh_from_db()
    assert (item.status, item.rating, item.tags, item.curated_by) == (
        "validated", 4, ["HPP"], world.manager,
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.item_curate(actor=world.staff, item=item, status="maybe", rating=9)
    assert set(refused.value.errors) == {"status", "rating"}


def test_comments_are_sanitised_and_for_those_who_see_the_item(world):
    rss_ingested(source_added(world.cluster))
    item = Item.objects.get(title__startswith="High-pressure")
    with pytest.raises(PermissionDenied):  # not validated yet: members do not see it
        services.comment_add(actor=world.rep, item=item, body="hi")
    services.item_curate(actor=world.manager, item=item, status="validated")
    comment = services.comment_add(
        actor=world.rep, item=item,
        body='<p onclick="steal()">See <a href="javascript:alert(1)">this</a> and '
        '<a href="https://example.org">that</a><script>alert(1)</script></p>',
    )  # fmt: skip
    assert comment.body == (
        '<p>See <a rel="noopener noreferrer nofollow">this</a> and '
        '<a href="https://example.org" rel="noopener noreferrer nofollow">that</a></p>'
    )
    with pytest.raises(DomainError):
        services.comment_add(actor=world.rep, item=item, body="   ")
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=world.other_staff, item=item, body="hello")


def _validated(world) -> list[Item]:
    rss_ingested(source_added(world.cluster))
    items = list(Item.objects.filter(cluster=world.cluster).order_by("pk"))
    for item in items:
        services.item_curate(actor=world.manager, item=item, status="validated")
    return items


def test_a_bulletin_goes_to_the_subscribers_through_the_outbox(
    world, django_capture_on_commit_callbacks
):
    topic_added(world.cluster)
    items = _validated(world)
    world.rep.email = "rep@example.org"
    world.rep.save()
    services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True, language="es"
    )
    world.nobody.email = "nobody@example.org"
    world.nobody.save()
    Subscription.objects.create(user=world.nobody, cluster=world.cluster)  # no longer a reader
    with pytest.raises(DomainError):
        services.bulletin_create(actor=world.manager, cluster=world.cluster, title="", items=[])
    bulletin = services.bulletin_create(
        actor=world.manager, cluster=world.cluster, title="Week 49", notes="Read <this>",
        items=items[:2],
    )  # fmt: skip
    with django_capture_on_commit_callbacks():
        assert services.bulletin_send(actor=world.manager, bulletin=bulletin) == 1
    email = OutgoingEmail.objects.get()
    assert email.to == ["rep@example.org"] and email.subject == "Food Cluster: Week 49"
    assert "Read &lt;this&gt;" in email.html and "Edible coatings" in email.html
    assert "/es/watch/unsubscribe/" in email.body and "Cancelar la suscripción" in email.body
    with pytest.raises(DomainError):
        services.bulletin_send(actor=world.manager, bulletin=bulletin)


def test_validating_a_highly_relevant_item_alerts_who_asked(world, settings):
    settings.WATCH_ALERT_SCORE = 80
    topic_added(world.cluster)
    rss_ingested(source_added(world.cluster))
    world.rep.email = "rep@example.org"
    world.rep.save()
    services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True, alerts=True
    )
    for item in Item.objects.filter(cluster=world.cluster):
        services.item_curate(actor=world.manager, item=item, status="validated")
    assert [e.subject for e in OutgoingEmail.objects.all()] == [
        "Watch alert: High-pressure processing lines become affordable for SMEs"
    ]


def test_subscriptions(world):
    with pytest.raises(PermissionDenied):
        services.subscription_set(
            actor=world.other_staff, user=world.other_staff, cluster=world.cluster, subscribed=True
        )
    with pytest.raises(PermissionDenied):
        services.subscription_set(
            actor=world.rep, user=world.manager, cluster=world.cluster, subscribed=True
        )
    row = services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True, language="gl"
    )
    assert row is not None and row.language == "gl"
    token = services.unsubscribe_token(row)
    assert services.subscription_end_by_token(token=token + "x") is None
    assert services.subscription_end_by_token(token=token).pk is None
    assert services.subscription_end_by_token(token=token) is None
    assert not Subscription.objects.exists()


def test_topics_from_the_clusters_technology_fields(world):
    from atclusters.core.models import Term

    field = Term.objects.get(kind="technology_field", slug="additive-manufacturing")
    world.cluster.technology_fields.add(field)
    source = source_added(world.cluster)
    feed = feeds.parse(
        b'{"version": "https://jsonfeed.org/version/1.1", "language": "es", "items": [{"id": "1",'
        b' "url": "https://example.invalid/1", "title": "La fabricaci\\u00f3n aditiva llega al'
        b' envase", "summary": "Impresoras 3D en la industria."}]}'
    )
    services.items_ingest(actor=None, source_row=source, feed=feed)
    with pytest.raises(PermissionDenied):
        services.topics_from_technology_fields(actor=world.rep, cluster=world.cluster)
    made = services.topics_from_technology_fields(actor=world.manager, cluster=world.cluster)
    assert [(t.name, t.mode, t.term) for t in made] == [
        ("Additive Manufacturing", "technological", field)
    ]
    assert '"Fabricación aditiva"' in made[0].query and '"Fabrico aditivo"' in made[0].query
    match = Match.objects.get(topic=made[0])
    assert match.explanation["terms"] == ["Fabricación aditiva"]
    assert services.topics_from_technology_fields(actor=world.manager, cluster=world.cluster) == []
