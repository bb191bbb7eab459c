"""Partner search: posting, moderation by the author's agency, who sees what, follow, interest
(the author is emailed and sees who), digests once per posting, and the suggested clusters."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atclusters.cooperation import selectors, services
from atclusters.cooperation.models import Posting
from atclusters.core.errors import InvalidFields
from atclusters.core.models import NaceActivity
from atclusters.core.permissions import PermissionDenied
from atclusters.registry.models import ClusterOrganisation
from tests.cooperation.test_command import food_clusters  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

DATA = {"kind": "request", "title": "Partner for seafood packaging", "description": "We look for "
        "a packaging cluster to build a joint project on recyclable trays.", "language": "en"}  # fmt: skip


def posted(world, **extra):
    world.manager.email = "manager@food.example"
    world.manager.save()
    return services.posting_create(
        actor=world.manager,
        author=world.cluster,
        data={**DATA, **extra},
        sectors=[NaceActivity.objects.get(code="10", version="2")],
    )


def test_moderation_by_the_authors_agency_and_visibility(world, client):
    posting = posted(world)
    assert posting.status == Posting.Status.PENDING
    listing = reverse("posting_list")
    assert "Partner for seafood packaging" not in client.get(listing).text  # public: not yet
    client.force_login(world.manager)
    assert "Partner for seafood packaging" in client.get(listing).text  # the author sees it
    for user in (world.other_staff, world.manager):
        with pytest.raises(PermissionDenied):
            services.posting_moderate(actor=user, posting=posting, publish=True)
    with pytest.raises(InvalidFields, match="say why"):
        services.posting_moderate(actor=world.staff, posting=posting, publish=False)
    client.force_login(world.staff)
    queue = client.get(reverse("posting_moderation"))
    assert "Partner for seafood packaging" in queue.text
    client.post(reverse("posting_action", args=[posting.pk, "publish"]))
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED and posting.published_at is not None
    client.logout()
    assert "Partner for seafood packaging" in client.get(listing).text
    with pytest.raises(InvalidFields) as invalid:
        services.posting_create(
            actor=world.manager, author=world.cluster,
            data={**DATA, "kind": "gift", "title": "", "target_countries": ["XX"],
                  "target_regions": ["PT11", "ZZ99"]},
        )  # fmt: skip
    assert set(invalid.value.errors) == {"kind", "title", "target_countries", "target_regions"}
    assert invalid.value.errors["target_regions"] == "unknown NUTS regions: ZZ99"
    with pytest.raises(PermissionDenied):
        services.posting_create(actor=world.other_staff, author=world.cluster, data=DATA)


def test_follow_and_interest_tell_the_author(world, client, food_clusters):  # noqa: F811
    posting = posted(world)
    services.posting_moderate(actor=world.staff, posting=posting, publish=True)
    client.force_login(world.other_staff)
    client.post(reverse("posting_action", args=[posting.pk, "follow"]))
    assert posting.followers.filter(pk=world.other_staff.pk).exists()
    client.post(
        reverse("posting_action", args=[posting.pk, "interest"]),
        {"message": "<b>We</b> make trays"},
    )
    client.post(reverse("posting_action", args=[posting.pk, "interest"]), {"message": "again"})
    assert posting.interests.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["manager@food.example"]
    assert "other-staff is interested" in mail.outbox[0].body
    assert f"/partner-search/{posting.pk}/" in mail.outbox[0].body
    visitor_view = client.get(reverse("posting_detail", args=[posting.pk]))
    assert "make trays" not in visitor_view.text  # only the author and moderators see who
    client.force_login(world.manager)
    author_view = client.get(reverse("posting_detail", args=[posting.pk]))
    assert "&lt;b&gt;We&lt;/b&gt; make trays" in author_view.text
    assert "Portugal Foods" in author_view.text  # a suggested cluster (same NACE division)


def test_csrf_on_actions(world):
    posting = posted(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post(reverse("posting_action", args=[posting.pk, "publish"]))
    assert response.status_code == 403
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PENDING


def test_digest_sends_matching_new_postings_once(world, food_clusters):  # noqa: F811
    portugal = food_clusters.cluster.__class__.objects.get(slug="portugalfoods")
    food_clusters.rep.email = "rep@member.example"
    food_clusters.rep.save()
    portugal.managers.add(food_clusters.other_staff)
    food_clusters.other_staff.email = "pt@foods.example"
    food_clusters.other_staff.save()
    posting = posted(world, target_countries=["PT"])
    services.posting_moderate(actor=world.staff, posting=posting, publish=True)
    later = timezone.now() + timedelta(minutes=1)
    assert services.digests_send(now=later) == 1  # Portugal Foods' manager: same division, PT
    assert mail.outbox[-1].to == ["pt@foods.example"]
    assert "Partner for seafood packaging" in mail.outbox[-1].body
    assert services.digests_send(now=later + timedelta(days=1)) == 0  # each posting once


def test_postings_api(world, client, bearer):
    payload = {
        **DATA, "author": "cluster:food", "sectors": ["10"], "target_countries": ["PT"],
        "target_regions": ["FRH0"],
    }  # fmt: skip
    created = client.post(
        "/api/v1/cooperation/postings", payload, content_type="application/json",
        headers=bearer("manager"),
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert created.json()["sectors"] == ["10"] and created.json()["target_regions"] == ["FRH0"]
    denied = client.post(
        "/api/v1/cooperation/postings", payload, content_type="application/json",
        headers=bearer("other_staff"),
    )  # fmt: skip
    assert denied.status_code == 403
    bad = client.post(
        "/api/v1/cooperation/postings", {**payload, "sectors": ["99.99"]},
        content_type="application/json", headers=bearer("manager"),
    )  # fmt: skip
    assert bad.status_code == 422 and "sectors" in bad.json()["detail"]
    assert client.get("/api/v1/cooperation/postings").json() == []  # not yet published
    posting = Posting.objects.get()
    services.posting_moderate(actor=world.staff, posting=posting, publish=True)
    assert [p["title"] for p in client.get("/api/v1/cooperation/postings").json()] == [
        DATA["title"]
    ]
    interest = client.post(
        f"/api/v1/cooperation/postings/{posting.pk}/interest", {"message": "hello"},
        content_type="application/json", headers=bearer("other_staff"),
    )  # fmt: skip
    assert interest.json() == {"posting": posting.pk, "interested": 1}


def test_open_postings_that_fit_a_cluster(world, client, capsys, food_clusters):  # noqa: F811
    packaging = NaceActivity.objects.get(code="17", version="2")
    food = NaceActivity.objects.get(code="10", version="2")
    paper = ClusterOrganisation.objects.get(slug="paper")

    def published(author, title, sectors, **extra):
        posting = services.posting_create(
            actor=None, author=author, data={**DATA, "title": title, **extra}, sectors=sectors
        )
        assert posting.status == Posting.Status.PUBLISHED  # the command line's postings
        return posting

    trays = published(paper, "Recyclable trays for food", [packaging])
    published(world.cluster, "Our own request", [food])  # the food cluster's own: left out
    expired = published(paper, "Expired call", [food], deadline=timezone.localdate())
    Posting.objects.filter(pk=expired.pk).update(deadline=expired.deadline - timedelta(days=1))
    published(paper, "Steel joints", [])  # nothing in common but the text
    call_command("cooperation", "match", "--cluster", "food", "--kind", "posting", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["slug"] == str(trays.pk)
    assert "complementary: paper packaging → food processing" in rows[0]["reasons"]
    assert {row["name"] for row in rows} == {"Recyclable trays for food", "Steel joints"}
    api = client.get("/api/v1/cooperation/match?cluster=food&find=posting").json()
    assert [row["slug"] for row in api] == [row["slug"] for row in rows]
    page = client.get(reverse("cluster_partners", args=["food"]))
    assert "Open postings that fit" in page.text
    assert reverse("posting_detail", args=[trays.pk]) in page.text
    assert "Steel joints" not in page.text  # shares nothing on the page's terms
    assert "Our own request" not in page.text and "Expired call" not in page.text


def test_postings_are_centred_on_the_registrys_descriptions(world, settings, food_clusters):  # noqa: F811
    settings.COOPERATION_SEMANTIC_MODEL = "wordllama"
    posted(world)
    clusters = selectors.matching_index(organisations=False)
    assert selectors.posting_index().centre is clusters.centre


def test_target_regions_reach_readers_there(world, food_clusters):  # noqa: F811
    portugal = ClusterOrganisation.objects.get(slug="portugalfoods")  # PT11
    portugal.managers.add(world.other_staff)
    world.other_staff.email = "pt@foods.example"
    world.other_staff.save()
    posting = services.posting_create(
        actor=None, author=world.cluster, data={**DATA, "target_regions": ["PT1", "PT1"]},
        sectors=[NaceActivity.objects.get(code="10", version="2")],
    )  # fmt: skip
    assert posting.target_regions == ["PT1"]
    assert services.digests_send(now=timezone.now() + timedelta(minutes=1)) == 1
    assert mail.outbox[-1].to == ["pt@foods.example"]
    suggested = {m.key for m in selectors.suggested_partners(posting)}
    assert suggested == {"cluster:portugalfoods"}  # the only published cluster under PT1
    posting.target_countries = ["FR"]
    posting.save()
    suggested = {m.key for m in selectors.suggested_partners(posting)}
    assert suggested == {"cluster:portugalfoods", "cluster:sea", "cluster:steel"}


def test_posting_for_an_author_one_may_not_see_is_as_unknown_as_no_author(world, client, bearer):
    """An unpublished cluster of another agency, or an organisation listed by no published
    cluster, answers exactly as a slug that does not exist: 404 (docs/permissions.md)."""

    def post(author: str, role: str):
        return client.post(
            "/api/v1/cooperation/postings", {**DATA, "author": author},
            content_type="application/json", headers=bearer(role),
        )  # fmt: skip

    unknown_cluster = post("cluster:no-such-cluster", "other_staff")
    assert unknown_cluster.status_code == 404
    assert unknown_cluster.json() == {"detail": "no such author"}
    for author, role in [
        ("cluster:draft", "other_staff"),  # Galicia's draft, seen by Bretagne's staff
        ("cluster:hidden", "manager"),  # Bretagne's draft, seen by a Galician manager
        ("organisation:outsider", "rep"),  # member of a draft cluster only
        ("organisation:no-such-organisation", "rep"),
    ]:
        response = post(author, role)
        assert (response.status_code, response.json()) == (404, unknown_cluster.json()), author
    # What one may see but not post for stays 403; a reference in the wrong form, 422.
    assert post("cluster:sea", "manager").status_code == 403
    assert post("organisation:member", "nobody").status_code == 403
    malformed = post("food", "manager")
    assert malformed.status_code == 422 and "author" in malformed.json()["detail"]
    assert not Posting.objects.exists()


def test_the_digest_reads_as_many_queries_for_four_users_as_for_one(
    world, django_assert_max_num_queries
):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    with CaptureQueriesContext(connection) as one:
        selectors.digest_postings(now=now)
    for number in range(3):
        world.cluster.managers.add(User.objects.create_user(f"manager-{number}"))
    # users, their clusters with four relations, their organisations, the postings with two,
    # the digest states: a fixed number of reads, not one per user
    with CaptureQueriesContext(connection) as four, django_assert_max_num_queries(9):
        digests = selectors.digest_postings(now=now)
    assert len(digests) >= 4
    assert len(four.captured_queries) == len(one.captured_queries)
