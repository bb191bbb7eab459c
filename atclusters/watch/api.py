"""REST endpoints of the watch, under the same rules as the pages (docs/watch.md): items with
their filters, an item's topics with the explanation of each score, curation and comments,
sources, topics, bulletins, and the URL check the fetcher applies."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiValidationError,
    IsoDay,
    Pagination,
)
from atclusters.core.http import ApiRequest
from atclusters.core.languages import Code
from atclusters.core.permissions import PermissionDenied
from atclusters.core.schemas import InputSchema
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import permissions, selectors, services
from atclusters.watch.models import Idea, Item, Mode, Subscription

router = Router(tags=["watch"])


class MatchOut(Schema):
    topic: str
    mode: str
    score: int
    explanation: dict


class ItemOut(Schema):
    id: int
    cluster: str
    source: str
    title: str
    url: str
    summary: str
    text: str
    language: str
    published_at: datetime | None
    found_at: datetime
    relevance: int
    status: str
    rating: int | None
    tags: list[str]
    topics: list[MatchOut]


def item_document(item: Item) -> dict:
    return {
        "id": item.pk,
        "cluster": item.cluster.slug,
        "source": item.source.name,
        "title": item.title,
        "url": item.url,
        "summary": item.summary,
        "text": item.text,
        "language": item.language,
        "published_at": item.published_at,
        "found_at": item.found_at,
        "relevance": item.relevance,
        "status": item.status,
        "rating": item.rating,
        "tags": item.tags,
        "topics": [
            {
                "topic": m.topic.name,
                "mode": m.topic.mode,
                "score": m.score,
                "explanation": m.explanation,
            }
            for m in item.matches.all()
        ],
    }


def _cluster_pk(slug: str | None) -> int | None:
    if not slug:
        return None
    cluster = ClusterOrganisation.objects.filter(slug=slug).first()
    if cluster is None:
        raise ApiValidationError({"cluster": [f"no cluster {slug!r}"]})
    return cluster.pk


@router.get("/watch/items", response={200: list[ItemOut], **READ_ERRORS})
@paginate(Pagination)
def items(
    request,
    cluster: str | None = None,
    status: Item.Status | None = None,
    mode: Mode | None = None,
    q: Annotated[str, Query(max_length=200)] = "",
    min_relevance: Annotated[int, Query(ge=0, le=100)] = 0,
    topic: int | None = None,
    source: int | None = None,
    since: IsoDay | None = None,
    until: IsoDay | None = None,
):
    """The items the caller sees (curators: all of their clusters'; members: the validated
    ones), newest first; `q` searches their title and summary (full-text: words, "phrases",
    -word), `since` and `until` are days they were found on."""
    filters = selectors.InboxFilter(
        cluster=_cluster_pk(cluster), status=status or "", mode=mode or "", text=q,
        min_relevance=min_relevance, topic=topic, source=source,
        since=selectors.day_start(since), until=selectors.day_start(until, after=True),
    )  # fmt: skip
    found = selectors.inbox(reader(request), filters).prefetch_related("matches__topic")
    return [item_document(item) for item in found]


def _item(user, item_id: int) -> Item:
    item = permissions.visible_items(user).filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, "Not Found")
    return item


@router.get("/watch/items/{item_id}", response={200: ItemOut, **READ_ERRORS})
def item(request, item_id: int):
    return item_document(_item(reader(request), item_id))


class CurationIn(InputSchema):
    status: Item.Status | None = None
    rating: int | None = Field(None, ge=0, le=5, description="1-5; 0 clears the rating")
    tags: list[str] | None = None


@router.post(
    "/watch/items/{item_id}/curation", response={200: ItemOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def item_curate(request: ApiRequest, item_id: int, payload: CurationIn):
    """Validate or reject, rate, tag (curators of the item's cluster)."""
    found = _item(request.auth, item_id)
    services.item_curate(
        actor=request.auth, item=found, status=payload.status, rating=payload.rating,
        tags=payload.tags, source="api",
    )  # fmt: skip
    return item_document(found)


class CommentIn(InputSchema):
    body: str = Field(..., max_length=5000)


class CommentOut(Schema):
    id: int
    body: str = Field(..., description="sanitised HTML")


@router.post(
    "/watch/items/{item_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def comment_add(request: ApiRequest, item_id: int, payload: CommentIn):
    found = _item(request.auth, item_id)
    comment = services.comment_add(actor=request.auth, item=found, body=payload.body, source="api")
    return Status(201, {"id": comment.pk, "body": comment.body})


class SourceOut(Schema):
    id: int
    cluster: str
    name: str
    url: str
    kind: str
    full_text: bool
    interval_hours: int
    active: bool
    last_fetched_at: datetime | None
    error_count: int
    last_error: str
    failing: bool
    working_group: int | None


def source_document(row) -> dict:
    return {
        "id": row.pk, "cluster": row.cluster.slug, "name": row.name, "url": row.url,
        "kind": row.kind, "full_text": row.full_text, "interval_hours": row.interval_hours, "active": row.active,
        "last_fetched_at": row.last_fetched_at, "error_count": row.error_count,
        "last_error": row.last_error, "failing": row.failing,
        "working_group": row.working_group_id,
    }  # fmt: skip


@router.get("/watch/sources", response={200: list[SourceOut], **READ_ERRORS})
def sources(request):
    """The sources of the clusters the caller curates, failing ones first."""
    return [source_document(row) for row in selectors.sources_overview(reader(request))]


class SourceIn(InputSchema):
    cluster: str
    name: str = Field(..., max_length=200)
    url: str = Field(..., max_length=1000)
    interval_hours: int = Field(6, ge=1, le=720)
    kind: str = Field(
        "feed", description="feed, news-sitemap, eu-funding, cordis, openalex or epo-ops"
    )
    full_text: bool = Field(False, description="read each new item's linked page")
    working_group: int | None = Field(None, description="a working group that curates it too")


def _curated_cluster(user, slug: str) -> ClusterOrganisation:
    cluster = ClusterOrganisation.objects.filter(slug=slug).first()
    if cluster is None:
        raise ApiValidationError({"cluster": [f"no cluster {slug!r}"]})
    if not permissions.can_curate(user, cluster):
        raise PermissionDenied
    return cluster


def _cluster_items(cluster: ClusterOrganisation, ids: list[int]) -> list[Item]:
    """The cluster's items of these ids; 422 naming `items` when one is not of the cluster."""
    chosen = list(Item.objects.filter(cluster=cluster, pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise ApiValidationError({"items": ["not all are items of this cluster"]})
    return chosen


@router.post("/watch/sources", response={201: SourceOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def source_add(request: ApiRequest, payload: SourceIn):
    """A feed to monitor; 422 naming `url` when the server may not fetch it (SSRF check)."""
    row = services.source_add(
        actor=request.auth, cluster=_curated_cluster(request.auth, payload.cluster),
        name=payload.name, url=payload.url, interval_hours=payload.interval_hours, kind=payload.kind,
        full_text=payload.full_text,
        working_group=_group(request.auth, payload.working_group), source="api",
    )  # fmt: skip
    return Status(201, source_document(row))


class TopicOut(Schema):
    id: int
    cluster: str
    name: str
    mode: str
    query: str
    threshold: int
    bulletin_period: Literal["", "week", "month"]
    nace: str | None
    example_terms: list[dict]
    working_group: int | None
    public: bool


class TopicIn(InputSchema):
    cluster: str
    name: str = Field(..., max_length=200)
    mode: Mode
    query: str = Field(..., max_length=4000)
    threshold: int = Field(40, ge=0, le=100)
    bulletin_period: Literal["", "week", "month"] = ""
    working_group: int | None = Field(None, description="a working group that curates it too")
    public: bool = Field(False, description="a public board: anyone reads its validated items")


def topic_document(topic) -> dict:
    return {
        "id": topic.pk, "cluster": topic.cluster.slug, "name": topic.name, "mode": topic.mode,
        "query": topic.query, "threshold": topic.threshold,
        "bulletin_period": topic.bulletin_period,
        "nace": topic.nace.code if topic.nace_id else None,
        "example_terms": topic.example_terms, "working_group": topic.working_group_id,
        "public": topic.public,
    }  # fmt: skip


@router.get("/watch/topics", response={200: list[TopicOut], **READ_ERRORS})
def topics(request):
    return [topic_document(topic) for topic in permissions.managed_topics(reader(request))]


@router.post("/watch/topics", response={201: TopicOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def topic_add(request: ApiRequest, payload: TopicIn):
    """A watch topic; the cluster's items are filed under it at once."""
    topic = services.topic_save(
        actor=request.auth, cluster=_curated_cluster(request.auth, payload.cluster),
        name=payload.name, mode=payload.mode, query=payload.query,
        threshold=payload.threshold, bulletin_period=payload.bulletin_period,
        working_group=_group(request.auth, payload.working_group), public=payload.public,
        source="api",
    )  # fmt: skip
    return Status(201, topic_document(topic))


class BoardIn(InputSchema):
    public: bool


@router.post(
    "/watch/topics/{topic_id}/board", response={200: TopicOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def topic_board(request: ApiRequest, topic_id: int, payload: BoardIn):
    """Makes the topic a public board, or private again (curators of its cluster)."""
    topic = permissions.managed_topics(request.auth).filter(pk=topic_id).first()
    if topic is None:
        raise HttpError(404, "Not Found")
    services.topic_set_public(actor=request.auth, topic=topic, public=payload.public, source="api")
    return topic_document(topic)


class TopicExamplesIn(InputSchema):
    cluster: str
    name: str = Field(..., max_length=200)
    mode: Mode
    items: list[int] = Field(..., min_length=1, max_length=100)
    threshold: int | None = Field(None, ge=0, le=100)


@router.post(
    "/watch/topics/from-examples", response={201: TopicOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def topic_from_examples(request: ApiRequest, payload: TopicExamplesIn):
    """A topic defined by example items: its query the words that set them apart."""
    cluster = _curated_cluster(request.auth, payload.cluster)
    topic = services.topic_from_examples(
        actor=request.auth, cluster=cluster, name=payload.name, mode=payload.mode,
        items=_cluster_items(cluster, payload.items), threshold=payload.threshold, source="api",
    )  # fmt: skip
    return Status(201, topic_document(topic))


class ClusterIn(InputSchema):
    cluster: str


@router.post(
    "/watch/topics/from-sectors", response={201: list[TopicOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)  # fmt: skip
def topics_from_sectors(request: ApiRequest, payload: ClusterIn):
    """A commercial topic per NACE sector of the cluster that has none yet."""
    made = services.topics_from_sectors(
        actor=request.auth, cluster=_curated_cluster(request.auth, payload.cluster), source="api"
    )
    return Status(201, [topic_document(topic) for topic in made])


class IdeaOut(Schema):
    id: int
    cluster: str
    title: str
    description: str
    stage: Idea.Stage
    working_group: int | None
    items: list[int]


def idea_document(idea) -> dict:
    return {
        "id": idea.pk, "cluster": idea.cluster.slug, "title": idea.title,
        "description": idea.description, "stage": idea.stage,
        "working_group": idea.working_group_id, "items": [item.pk for item in idea.items.all()],
    }  # fmt: skip


@router.get("/watch/ideas", response={200: list[IdeaOut], **READ_ERRORS})
def ideas(request, stage: Idea.Stage | None = None):
    """The ideas, opportunities and projects of the clusters the caller reads."""
    return [idea_document(idea) for idea in selectors.ideas(reader(request), stage=stage or "")]


def _group(user, group_id: int | None) -> WorkingGroup | None:
    if group_id is None:
        return None
    group = selectors.working_groups(user).filter(pk=group_id).first()
    if group is None:
        raise ApiValidationError({"working_group": ["is not a working group you see"]})
    return group


class IdeaIn(InputSchema):
    item: int = Field(..., description="the item it comes from (curators of its cluster)")
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    stage: Idea.Stage = Idea.Stage.IDEA
    working_group: int | None = None


@router.post("/watch/ideas", response={201: IdeaOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def idea_create(request: ApiRequest, payload: IdeaIn):
    """Turns an item into an idea (or opportunity, or project) of its cluster."""
    idea = services.idea_create(
        actor=request.auth, item=_item(request.auth, payload.item), title=payload.title,
        description=payload.description, stage=payload.stage,
        working_group=_group(request.auth, payload.working_group), source="api",
    )  # fmt: skip
    return Status(201, idea_document(idea))


class IdeaStageIn(InputSchema):
    stage: Idea.Stage
    working_group: int | None = None


@router.post(
    "/watch/ideas/{idea_id}/stage", response={200: IdeaOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def idea_stage(request: ApiRequest, idea_id: int, payload: IdeaStageIn):
    """Moves the idea along the chain and names the working group that takes it up."""
    idea = permissions.visible_ideas(request.auth).filter(pk=idea_id).first()
    if idea is None:
        raise HttpError(404, "Not Found")
    services.idea_update(
        actor=request.auth, idea=idea, stage=payload.stage,
        working_group=_group(request.auth, payload.working_group), source="api",
    )  # fmt: skip
    return idea_document(idea)


class BulletinOut(Schema):
    id: int
    cluster: str
    title: str
    notes: str
    status: str
    sent_at: datetime | None
    working_group: int | None
    items: list[int]


def bulletin_document(bulletin) -> dict:
    return {
        "id": bulletin.pk, "cluster": bulletin.cluster.slug, "title": bulletin.title,
        "notes": bulletin.notes, "status": bulletin.status, "sent_at": bulletin.sent_at,
        "working_group": bulletin.working_group_id,
        "items": [item.pk for item in bulletin.items.all()],
    }  # fmt: skip


@router.get("/watch/bulletins", response={200: list[BulletinOut], **READ_ERRORS})
def bulletins(request):
    """Curators: every bulletin of their clusters; members: the sent ones."""
    found = permissions.visible_bulletins(reader(request)).prefetch_related("items")
    return [bulletin_document(bulletin) for bulletin in found]


class BulletinIn(InputSchema):
    cluster: str
    title: str = Field(..., max_length=200)
    notes: str = Field("", max_length=5000)
    items: list[int] = Field(..., max_length=200, description="validated items of the cluster")
    working_group: int | None = Field(None, description="the audience instead of subscribers")


@router.post("/watch/bulletins", response={201: BulletinOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def bulletin_create(request: ApiRequest, payload: BulletinIn):
    """A draft bulletin of the cluster's validated items (curators)."""
    cluster = _curated_cluster(request.auth, payload.cluster)
    bulletin = services.bulletin_create(
        actor=request.auth, cluster=cluster, title=payload.title, notes=payload.notes,
        items=_cluster_items(cluster, payload.items),
        working_group=_group(request.auth, payload.working_group), source="api",
    )  # fmt: skip
    return Status(201, bulletin_document(bulletin))


class SentOut(Schema):
    recipients: int


@router.post(
    "/watch/bulletins/{bulletin_id}/sending", response={200: SentOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)  # fmt: skip
def bulletin_send(request: ApiRequest, bulletin_id: int):
    """Sends the draft to the cluster's subscribers through the outbox (curators)."""
    bulletin = permissions.visible_bulletins(request.auth).filter(pk=bulletin_id).first()
    if bulletin is None:
        raise HttpError(404, "Not Found")
    return {
        "recipients": services.bulletin_send(actor=request.auth, bulletin=bulletin, source="api")
    }


class SubscriptionIn(InputSchema):
    cluster: str
    subscribed: bool
    alerts: bool = False
    language: Code = "en"


class SubscriptionOut(Schema):
    cluster: str
    alerts: bool
    language: str


@router.get("/watch/subscriptions", response={200: list[SubscriptionOut], **READ_ERRORS})
def subscriptions(request):
    """The caller's own subscriptions."""
    user = reader(request)
    if not user.is_authenticated:
        return []
    rows = Subscription.objects.filter(user=user).select_related("cluster")
    return [{"cluster": s.cluster.slug, "alerts": s.alerts, "language": s.language} for s in rows]


@router.post(
    "/watch/subscriptions", response={200: list[SubscriptionOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)  # fmt: skip
def subscription_set(request: ApiRequest, payload: SubscriptionIn):
    """Subscribe the caller to a cluster they read (or end it); answers their subscriptions."""
    cluster = ClusterOrganisation.objects.filter(slug=payload.cluster).first()
    if cluster is None:
        raise ApiValidationError({"cluster": [f"no cluster {payload.cluster!r}"]})
    services.subscription_set(
        actor=request.auth, user=request.auth, cluster=cluster, subscribed=payload.subscribed,
        alerts=payload.alerts, language=payload.language, source="api",
    )  # fmt: skip
    return subscriptions(request)


class UrlCheckIn(InputSchema):
    url: str = Field(..., max_length=2000)


class UrlCheckOut(Schema):
    allowed: bool
    reason: str
    addresses: list[str]


@router.post("/watch/check-url", response={200: UrlCheckOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def check_url(request: ApiRequest, payload: UrlCheckIn):
    """Whether the fetcher would fetch the URL, and why not (curators only)."""
    if not permissions.curated_clusters(request.auth).exists():
        raise PermissionDenied
    return services.url_verdict(payload.url)
