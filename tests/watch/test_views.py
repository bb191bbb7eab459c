"""The watch pages for each role: anonymous, a member's representative, another agency's staff,
the cluster's own agency staff and manager, the platform admin; forms refused on their fields,
CSRF kept, user text escaped or sanitised, the PDF and the unsubscribe link."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from atclusters.core.models import OutgoingEmail
from atclusters.watch import services
from atclusters.watch.models import Bulletin, Item, Source, Subscription, Topic
from tests.core.test_chart_captions import chart_captions
from tests.watch.factories import rss_ingested, source_added, topic_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(world):
    topic_added(world.cluster)
    source = source_added(world.cluster)
    rss_ingested(source)
    items = list(Item.objects.filter(cluster=world.cluster).order_by("pk"))
    validated, new = items[0], items[1]
    services.item_curate(actor=world.manager, item=validated, status="validated", rating=5)
    return {"source": source, "validated": validated, "new": new}


def status(client, name, *args) -> int:
    return client.get(reverse(name, args=args)).status_code


def test_anonymous_visitors_are_sent_to_sign_in(client, watched):
    for name, args in [("watch_inbox", ()), ("watch_item", (watched["validated"].pk,)),
                       ("watch_sources", ()), ("watch_bulletins", ())]:  # fmt: skip
        answer = client.get(reverse(name, args=args))
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_who_sees_which_items(login, world, watched):
    validated, new = watched["validated"], watched["new"]
    expected = {
        "rep": (200, 404, 403),  # a member: validated items only, no sources page
        "other_staff": (404, 404, 200),  # curates the other agency's clusters, not this one
        "nobody": (404, 404, 403),
        "staff": (200, 200, 200),
        "manager": (200, 200, 200),
        "admin": (200, 200, 200),
    }
    for role, codes in expected.items():
        client = login(getattr(world, role))
        seen = (
            status(client, "watch_item", validated.pk),
            status(client, "watch_item", new.pk),
            status(client, "watch_sources"),
        )
        assert seen == codes, role
    other_sources = login(world.other_staff).get(reverse("watch_sources")).content.decode()
    assert watched["source"].name not in other_sources
    inbox = login(world.rep).get(reverse("watch_inbox")).content.decode()
    assert validated.title in inbox and new.title not in inbox


def test_the_inbox_filters(login, world, watched):
    client = login(world.manager)
    topic = Topic.objects.get()
    page = client.get(
        reverse("watch_inbox"), {"topic": topic.pk, "min_relevance": 70}
    ).content.decode()
    assert "High-pressure processing" in page and "Competitor watch" not in page
    page = client.get(reverse("watch_inbox"), {"mode": "competitive"}).content.decode()
    assert "0 items" in page
    page = client.get(reverse("watch_inbox"), {"status": "validated"}).content.decode()
    assert watched["validated"].title in page and watched["new"].title not in page


def test_the_item_page_explains_the_score(login, world, watched):
    page = login(world.manager).get(reverse("watch_item", args=[watched["validated"].pk]))
    text = page.content.decode()
    assert "Why it is here" in text and "query 40 + title 20 + terms 10" in text
    assert "Curation" in text
    member = login(world.rep).get(reverse("watch_item", args=[watched["validated"].pk]))
    assert "Curation" not in member.content.decode()


def test_curating_and_commenting_on_the_page(login, world, watched):
    item = watched["new"]
    client = login(world.manager)
    answer = client.post(
        reverse("watch_item_curate", args=[item.pk]),
        {"status": "rejected", "rating": "2", "tags": "off topic, old"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rating, item.tags) == ("rejected", 2, ["off topic", "old"])
    member = login(world.rep)
    assert member.post(reverse("watch_item_curate", args=[watched["validated"].pk]),
                       {"status": "rejected"}).status_code == 403  # fmt: skip
    member.post(
        reverse("watch_comment_add", args=[watched["validated"].pk]),
        {"body": "<b>Useful</b><img src=x onerror=alert(1)>"},
    )
    page = member.get(reverse("watch_item", args=[watched["validated"].pk])).content.decode()
    assert "<b>Useful</b>" in page and "onerror" not in page


def test_item_titles_from_feeds_are_escaped(login, world, watched):
    item = watched["validated"]
    Item.objects.filter(pk=item.pk).update(title="<script>alert(1)</script>")
    page = login(world.rep).get(reverse("watch_item", args=[item.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # Markup planted around the services (admin, SQL) is sanitised on the way out too.
    comment = services.comment_add(actor=world.rep, item=item, body="fine")
    type(comment).objects.filter(pk=comment.pk).update(body="<img src=x onerror=alert(2)>ok")
    Item.objects.filter(pk=item.pk).update(url="javascript:alert(3)")
    page = login(world.rep).get(reverse("watch_item", args=[item.pk])).content.decode()
    assert "onerror" not in page and 'href="javascript' not in page


def test_adding_sources_and_topics_on_the_pages(login, world, watched):
    client = login(world.manager)
    refused = client.post(
        reverse("watch_sources"),
        {"cluster": world.cluster.pk, "name": "Metadata", "url": "http://169.254.169.254/latest/",
         "interval_hours": 6},
    )  # fmt: skip
    assert refused.status_code == 422 and "metadata" in refused.content.decode()
    other = client.post(
        reverse("watch_sources"),
        {"cluster": world.other_cluster.pk, "name": "x", "url": "https://feeds.example.invalid/x",
         "interval_hours": 6},
    )  # fmt: skip
    assert other.status_code == 422  # not a cluster this manager curates: not a choice
    added = client.post(
        reverse("watch_sources"),
        {"cluster": world.cluster.pk, "name": "Agrifood", "url": "https://feeds.example.invalid/a",
         "interval_hours": 12},
    )  # fmt: skip
    assert added.status_code == 302
    assert Source.objects.get(name="Agrifood").interval_hours == 12
    row = Source.objects.get(name="Agrifood")
    client.post(reverse("watch_source_active", args=[row.pk]))
    row.refresh_from_db()
    assert not row.active
    bad = client.post(
        reverse("watch_topics"),
        {"cluster": world.cluster.pk, "name": "Bad", "mode": "technological", "query": "(a OR",
         "threshold": 40},
    )  # fmt: skip
    assert bad.status_code == 422 and "does not parse" in bad.content.decode()
    good = client.post(
        reverse("watch_topics"),
        {"cluster": world.cluster.pk, "name": "Launches", "mode": "competitive",
         "query": "launches", "threshold": 40},
    )  # fmt: skip
    assert good.status_code == 302 and Topic.objects.get(name="Launches").matches.count() == 1
    assert login(world.rep).get(reverse("watch_topics")).status_code == 403


def test_csrf_is_required(world, watched):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    answer = client.post(
        reverse("watch_item_curate", args=[watched["new"].pk]), {"status": "validated"}
    )
    assert answer.status_code == 403
    watched["new"].refresh_from_db()
    assert watched["new"].status == "new"


def test_bulletin_pages_pdf_and_sending(login, world, watched):
    client = login(world.manager)
    new_page = reverse("watch_bulletin_new") + f"?cluster={world.cluster.pk}"
    form = client.get(new_page).content.decode()
    assert watched["validated"].title in form and watched["new"].title not in form
    created = client.post(
        new_page, {"title": "Week 49", "notes": "Notes", "items": [watched["validated"].pk]}
    )
    bulletin = Bulletin.objects.get()
    assert created.status_code == 302
    assert login(world.rep).get(reverse("watch_bulletin", args=[bulletin.pk])).status_code == 404
    assert login(world.rep).get(new_page).status_code == 404
    world.rep.email = "rep@example.org"
    world.rep.save()
    services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True
    )
    client = login(world.manager)
    client.post(reverse("watch_bulletin_send", args=[bulletin.pk]))
    assert OutgoingEmail.objects.get().to == ["rep@example.org"]
    member = login(world.rep)
    page = member.get(reverse("watch_bulletin", args=[bulletin.pk])).content.decode()
    assert watched["validated"].title in page and "Send to the subscribers" not in page
    pdf = member.get(reverse("watch_bulletin_file", args=[bulletin.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    atom = member.get(reverse("watch_bulletin_file", args=[bulletin.pk, "atom"]))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"<feed" in atom.content and watched["validated"].title.encode() in atom.content
    assert (
        login(world.other_staff)
        .get(reverse("watch_bulletin_file", args=[bulletin.pk, "pdf"]))
        .status_code
        == 404
    )


def test_subscribing_and_unsubscribing_by_the_link(client, login, world, watched):
    member = login(world.rep)
    page = member.get(reverse("watch_subscriptions")).content.decode()
    assert world.cluster.name in page and world.other_cluster.name not in page
    prefix = f"c{world.cluster.pk}"
    member.post(
        reverse("watch_subscriptions"),
        {"cluster": world.cluster.pk, f"{prefix}-subscribed": "on", f"{prefix}-alerts": "on",
         f"{prefix}-language": "pt"},
    )  # fmt: skip
    row = Subscription.objects.get(user=world.rep)
    assert (row.alerts, row.language) == (True, "pt")
    refused = member.post(reverse("watch_subscriptions"), {"cluster": world.other_cluster.pk})
    assert refused.status_code == 404
    client.logout()
    link = reverse("watch_unsubscribe", args=[services.unsubscribe_token(row)])
    assert client.get(link).status_code == 200 and Subscription.objects.exists()
    assert client.post(link).status_code == 200 and not Subscription.objects.exists()
    assert client.post(link).status_code == 404


def test_my_work_shows_curators_what_waits(login, world, watched):
    page = login(world.manager).get(reverse("dashboard")).content.decode()
    assert "Items to review" in page and f"?cluster={world.cluster.pk}&amp;status=new" in page
    Source.objects.update(error_count=3, last_error="the server answered HTTP 500")
    page = login(world.staff).get(reverse("dashboard")).content.decode()
    assert "Failing sources" in page and "HTTP 500" in page
    assert "Items to review" not in login(world.rep).get(reverse("dashboard")).content.decode()


def test_the_site_search_finds_what_the_user_sees(login, world, watched):
    assert (
        watched["validated"].title
        in login(world.rep).get(reverse("site_search"), {"q": "coatings"}).content.decode()
    )
    assert (
        watched["new"].title
        not in login(world.rep).get(reverse("site_search"), {"q": "High-pressure"}).content.decode()
    )
    assert (
        watched["validated"].title
        not in login(world.other_staff)
        .get(reverse("site_search"), {"q": "coatings"})
        .content.decode()
    )


def test_the_inbox_exports_with_its_filters_and_no_formulas(login, world, watched):
    Item.objects.filter(pk=watched["new"].pk).update(title='=HYPERLINK("http://evil")')
    client = login(world.manager)
    answer = client.get(reverse("watch_export", args=["csv"]), {"status": "new"})
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    text = answer.content.decode()
    assert text.splitlines()[0].startswith("id,cluster,source,title,url")
    assert "'=HYPERLINK" in text and watched["validated"].title not in text
    member = login(world.rep).get(reverse("watch_export", args=["xlsx"]))
    assert member.status_code == 200 and member.content.startswith(b"PK")
    assert login(world.rep).get(reverse("watch_export", args=["pdf"])).status_code == 404


def test_topics_from_technology_fields_on_the_page(login, world, watched):
    from atclusters.core.models import Term

    world.cluster.technology_fields.add(Term.objects.get(slug="additive-manufacturing"))
    client = login(world.manager)
    answer = client.post(reverse("watch_topics_from_fields"), {"cluster": world.cluster.pk})
    assert answer.status_code == 302 and Topic.objects.filter(term__isnull=False).count() == 1
    assert login(world.rep).post(reverse("watch_topics_from_fields"),
                                 {"cluster": world.cluster.pk}).status_code == 404  # fmt: skip


def test_the_dashboard_for_curators(login, world, watched):
    services.item_curate(actor=world.staff, item=watched["new"], status="rejected")
    page = login(world.manager).get(reverse("watch_dashboard")).content.decode()
    assert "Items per watch mode" in page and "technological" in page
    assert "Preservation" in page  # the topic's series in the weekly chart
    assert "Food news: 1" in page  # one validated item of the source
    assert '<td>manager</td><td class="number">1</td>' in page
    assert '<td>staff</td><td class="number">1</td>' in page
    other = login(world.other_staff).get(reverse("watch_dashboard"), {"cluster": world.cluster.pk})
    assert "Food news" not in other.content.decode()
    assert login(world.rep).get(reverse("watch_dashboard")).status_code == 403


def test_the_dashboard_charts_say_their_source_and_period(login, world, watched):
    with translation.override("gl"):
        page = login(world.manager).get(reverse("watch_dashboard")).text
        since = date_format(timezone.localtime() - timedelta(weeks=8), "SHORT_DATE_FORMAT")
    source = (
        "Fonte: a vixilancia tecnolóxica da plataforma: elementos recollidos das fontes do "
        "clúster e asociados aos seus temas."
    )
    period = f"Número de elementos atopados do {since} ata hoxe."
    assert chart_captions(page) == [
        f"{source} {period}",
        f"{source} {period} A última semana non rematou: a súa barra está incompleta.",
        f"{source} {period}",
    ]
