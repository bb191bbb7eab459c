"""The technology watch in the role × endpoint table: the Galician food cluster's topic, source
(with a technology field and a sector on the cluster's profile, for the topics made from
them), a validated
item and one still to review, a sent bulletin and a draft, and the representative's
subscription, the topic made a public board; a source given to a working group of which the other cluster's manager is a
member, with an item still to review, and a sent bulletin addressed to that group
(docs/watch.md, "Who may do what", "Working groups")."""

from atclusters.core.models import NaceActivity, Term
from atclusters.events import services as events
from atclusters.watch import services
from atclusters.watch.models import Bulletin, Comment, Idea, Item, Source, Subscription, Topic
from tests.security.calls import Arguments, Write
from tests.watch.factories import rss_ingested, source_added, topic_added

ROWS = """
# Technology watch (atclusters/watch)                       anon        rep   mgr   o-mgr staff o-staff admin
GET    watch_inbox                                          login       200   200   200   200   200   200
GET    watch_export                                         login       200   200   200   200   200   200
GET    watch_item                                           login       200   200   404   200   404   200
GET    watch_item [new]                                     login       404   200   404   200   404   200
GET    watch_item [group]                                   login       404   200   200   200   404   200
GET    watch_item_curate                                    login       405   405   405   405   405   405
POST   watch_item_curate                                    login       404   302   404   302   404   302
POST   watch_item_curate [group]                            login       404   302   302   302   404   302
GET    watch_comment_add                                    login       405   405   405   405   405   405
POST   watch_comment_add                                    login       302   302   404   302   404   302
GET    watch_item_idea                                      login       405   405   405   405   405   405
POST   watch_item_idea                                      login       404   302   404   302   404   302
GET    watch_ideas                                          login       200   200   200   200   200   200
GET    watch_idea_stage                                     login       405   405   405   405   405   405
POST   watch_idea_stage                                     login       403   302   404   302   404   302
GET    watch_dashboard                                      login       403   200   200   200   200   200
GET    watch_sources                                        login       403   200   200   200   200   200
POST   watch_sources                                        login       403   302   422   302   422   302
GET    watch_source_active                                  login       405   405   405   405   405   405
POST   watch_source_active                                  login       404   302   404   302   404   302
GET    watch_topics                                         login       403   200   200   200   200   200
POST   watch_topics                                         login       403   302   422   302   422   302
GET    watch_topic_public                                   login       405   405   405   405   405   405
POST   watch_topic_public                                   login       404   302   404   302   404   302
GET    watch_boards                                         200         200   200   200   200   200   200
GET    watch_board                                          200         200   200   200   200   200   200
GET    watch_board_feed                                     200         200   200   200   200   200   200
GET    watch_topics_from_fields                             login       405   405   405   405   405   405
POST   watch_topics_from_fields                             login       404   302   404   302   404   302
GET    watch_topics_from_sectors                            login       405   405   405   405   405   405
POST   watch_topics_from_sectors                            login       404   302   404   302   404   302
GET    watch_topics_from_examples                           login       405   405   405   405   405   405
POST   watch_topics_from_examples                           login       403   302   422   302   422   302
GET    watch_bulletins                                      login       200   200   200   200   200   200
GET    watch_bulletin_new                                   login       404   200   404   200   404   200
POST   watch_bulletin_new                                   login       404   302   404   302   404   302
GET    watch_bulletin                                       login       200   200   404   200   404   200
GET    watch_bulletin [draft]                               login       404   200   404   200   404   200
GET    watch_bulletin [group]                               login       404   200   200   200   404   200
GET    watch_bulletin_file                                  login       200   200   404   200   404   200
GET    watch_bulletin_send                                  login       405   405   405   405   405   405
POST   watch_bulletin_send                                  login       404   302   404   302   404   302
GET    watch_subscriptions                                  login       200   200   200   200   200   200
POST   watch_subscriptions                                  login       302   302   404   302   404   302
GET    watch_unsubscribe                                    200         200   200   200   200   200   200
POST   watch_unsubscribe                                    200         200   200   200   200   200   200
GET    /api/v1/watch/items                                  200         200   200   200   200   200   200
GET    /api/v1/watch/items/{item_id}                        404         200   200   404   200   404   200
POST   /api/v1/watch/items/{item_id}/curation               401         404   200   404   200   404   200
POST   /api/v1/watch/items/{item_id}/comments               401         201   201   404   201   404   201
GET    /api/v1/watch/sources                                200         200   200   200   200   200   200
POST   /api/v1/watch/sources                                401         403   201   403   201   403   201
GET    /api/v1/watch/topics                                 200         200   200   200   200   200   200
POST   /api/v1/watch/topics                                 401         403   201   403   201   403   201
POST   /api/v1/watch/topics/{topic_id}/board                401         404   200   404   200   404   200
POST   /api/v1/watch/topics/from-examples                   401         403   201   403   201   403   201
POST   /api/v1/watch/topics/from-sectors                    401         403   201   403   201   403   201
GET    /api/v1/watch/ideas                                  200         200   200   200   200   200   200
POST   /api/v1/watch/ideas                                  401         403   201   404   201   404   201
POST   /api/v1/watch/ideas/{idea_id}/stage                  401         403   200   404   200   404   200
GET    /api/v1/watch/bulletins                              200         200   200   200   200   200   200
POST   /api/v1/watch/bulletins                              401         403   201   403   201   403   201
POST   /api/v1/watch/bulletins/{bulletin_id}/sending        401         404   200   404   200   404   200
GET    /api/v1/watch/subscriptions                          200         200   200   200   200   200   200
POST   /api/v1/watch/subscriptions                          401         200   200   403   200   403   200
POST   /api/v1/watch/check-url                              401         403   200   200   200   200   200
"""


def build(w) -> dict:
    w.cluster.technology_fields.add(Term.objects.get(slug="additive-manufacturing"))
    w.cluster.sectors.add(NaceActivity.objects.get(version="2", code="10.20"))
    topic = topic_added(w.cluster)
    services.topic_set_public(actor=None, topic=topic, public=True)
    source = source_added(w.cluster)
    rss_ingested(source)
    items = list(Item.objects.filter(cluster=w.cluster).order_by("pk"))
    services.item_curate(actor=None, item=items[0], status="validated")
    sent = services.bulletin_create(actor=None, cluster=w.cluster, title="Sent", items=items[:1])
    services.bulletin_send(actor=None, bulletin=sent)
    draft = services.bulletin_create(actor=None, cluster=w.cluster, title="Draft", items=items[:1])
    subscription = services.subscription_set(
        actor=None, user=w.rep, cluster=w.cluster, subscribed=True
    )
    idea = services.idea_create(actor=None, item=items[0], title="Compostable trays")
    group = events.group_save(
        actor=w.staff, agency=w.agency, name="Creative packaging", goal="", lead=w.manager,
        members=[w.other_manager], source="test",
    )  # fmt: skip
    given = services.source_add(
        actor=None, cluster=w.cluster, name="Creative news", working_group=group,
        url="https://feeds.example.invalid/creative", source="test",
    )  # fmt: skip
    rss_ingested(given, name="atom.xml")
    group_item = Item.objects.filter(source=given).first()
    to_group = services.bulletin_create(
        actor=None, cluster=w.cluster, title="For the group", items=items[:1],
        working_group=group,
    )  # fmt: skip
    services.bulletin_send(actor=None, bulletin=to_group)
    return {
        "watch_topic": topic,
        "watch_group_item": group_item,
        "watch_group_bulletin": to_group,
        "watch_idea": idea,
        "watch_source": source,
        "watch_item": items[0],
        "watch_new_item": items[1],
        "watch_sent": sent,
        "watch_draft": draft,
        "watch_subscription": subscription,
    }


def by_parameter(w) -> dict:
    return {
        "item_id": w.watch_item.pk,
        "source_id": w.watch_source.pk,
        "bulletin_id": w.watch_sent.pk,
    }


def by_endpoint(w) -> dict:
    new, draft = {"item_id": w.watch_new_item.pk}, {"bulletin_id": w.watch_draft.pk}
    board = {"topic_id": w.watch_topic.pk}
    cluster = {"cluster": w.cluster.pk}
    return {
        "watch_export": Arguments({"fmt": "csv"}),
        "watch_item [new]": Arguments(new),
        "watch_item_curate": Arguments(new),
        "watch_item_idea": Arguments(new),
        "watch_idea_stage": Arguments({"idea_id": w.watch_idea.pk}),
        "/api/v1/watch/ideas/{idea_id}/stage": Arguments({"idea_id": w.watch_idea.pk}),
        "watch_bulletin_new": Arguments(query=cluster),
        "watch_bulletin [draft]": Arguments(draft),
        "watch_item [group]": Arguments({"item_id": w.watch_group_item.pk}),
        "watch_item_curate [group]": Arguments({"item_id": w.watch_group_item.pk}),
        "watch_bulletin [group]": Arguments({"bulletin_id": w.watch_group_bulletin.pk}),
        "watch_topic_public": Arguments(board),
        "watch_board": Arguments(board),
        "watch_board_feed": Arguments(board),
        "/api/v1/watch/topics/{topic_id}/board": Arguments(board),
        "watch_bulletin_file": Arguments({"fmt": "atom"}),
        "watch_bulletin_send": Arguments(draft),
        "watch_unsubscribe": Arguments({"token": services.unsubscribe_token(w.watch_subscription)}),
        "/api/v1/watch/items/{item_id}/curation": Arguments(new),
        "/api/v1/watch/bulletins/{bulletin_id}/sending": Arguments(draft),
    }


def _count(model):
    return lambda: model.objects.count()


def writes(w) -> dict:
    new, cluster = w.watch_new_item.pk, w.cluster
    source_body = {"name": "Agrifood", "url": "https://feeds.example.invalid/agrifood"}
    topic_body = {"name": "Launches", "mode": "competitive", "query": "launches", "threshold": 40}
    prefix = f"c{cluster.pk}"
    idea = w.watch_idea.pk

    def stage():
        return Idea.objects.get(pk=idea).stage

    return {
        "POST watch_item_curate": Write(
            {"status": "rejected"}, lambda: Item.objects.get(pk=new).status
        ),
        "POST watch_item_curate [group]": Write(
            {"status": "rejected"}, lambda: Item.objects.get(pk=w.watch_group_item.pk).status
        ),
        "POST watch_comment_add": Write({"body": "Useful."}, _count(Comment)),
        "POST watch_item_idea": Write({"title": "Trays", "stage": "idea"}, _count(Idea)),
        "POST watch_idea_stage": Write({f"i{idea}-stage": "opportunity"}, stage),
        "POST /api/v1/watch/ideas": Write(
            {"item": w.watch_item.pk, "title": "Trays"}, _count(Idea)
        ),
        "POST /api/v1/watch/ideas/{idea_id}/stage": Write({"stage": "project"}, stage),
        "POST watch_sources": Write(
            source_body | {"cluster": cluster.pk, "interval_hours": 6, "kind": "feed"},
            _count(Source),
        ),
        "POST watch_source_active": Write(
            probe=lambda: Source.objects.get(pk=w.watch_source.pk).active
        ),
        "POST watch_topics": Write(topic_body | {"cluster": cluster.pk}, _count(Topic)),
        "POST watch_topic_public": Write(
            probe=lambda: Topic.objects.get(pk=w.watch_topic.pk).public
        ),
        "POST /api/v1/watch/topics/{topic_id}/board": Write(
            {"public": False}, lambda: Topic.objects.get(pk=w.watch_topic.pk).public
        ),
        "POST watch_topics_from_fields": Write({"cluster": cluster.pk}, _count(Topic)),
        "POST watch_topics_from_sectors": Write({"cluster": cluster.pk}, _count(Topic)),
        "POST watch_topics_from_examples": Write(
            {
                "examples-cluster": cluster.pk,
                "examples-name": "By example",
                "examples-mode": "commercial",
                "examples-items": [w.watch_item.pk],
            },
            _count(Topic),
        ),
        "POST /api/v1/watch/topics/from-examples": Write(
            {
                "cluster": cluster.slug,
                "name": "By example",
                "mode": "commercial",
                "items": [w.watch_item.pk],
            },
            _count(Topic),
        ),
        "POST /api/v1/watch/topics/from-sectors": Write({"cluster": cluster.slug}, _count(Topic)),
        "POST watch_bulletin_new": Write(
            {"title": "New", "items": [w.watch_item.pk]}, _count(Bulletin)
        ),
        "POST watch_bulletin_send": Write(
            probe=lambda: Bulletin.objects.get(pk=w.watch_draft.pk).status
        ),
        "POST watch_subscriptions": Write(
            {"cluster": cluster.pk, f"{prefix}-subscribed": "on", f"{prefix}-language": "fr"},
            lambda: sorted(Subscription.objects.values_list("user_id", "language")),
        ),
        "POST watch_unsubscribe": Write(probe=_count(Subscription), written=frozenset({200})),
        "POST /api/v1/watch/items/{item_id}/curation": Write(
            {"status": "rejected"}, lambda: Item.objects.get(pk=new).status
        ),
        "POST /api/v1/watch/items/{item_id}/comments": Write({"body": "Useful."}, _count(Comment)),
        "POST /api/v1/watch/sources": Write(
            source_body | {"cluster": cluster.slug}, _count(Source)
        ),
        "POST /api/v1/watch/topics": Write(topic_body | {"cluster": cluster.slug}, _count(Topic)),
        "POST /api/v1/watch/bulletins": Write(
            {"cluster": cluster.slug, "title": "New", "items": [w.watch_item.pk]}, _count(Bulletin)
        ),
        "POST /api/v1/watch/bulletins/{bulletin_id}/sending": Write(
            probe=lambda: Bulletin.objects.get(pk=w.watch_draft.pk).status
        ),
        "POST /api/v1/watch/subscriptions": Write(
            {"cluster": cluster.slug, "subscribed": True, "language": "fr"},
            lambda: sorted(Subscription.objects.values_list("user_id", "language")),
        ),
        "POST /api/v1/watch/check-url": Write({"url": "http://10.0.0.1/"}),
    }
