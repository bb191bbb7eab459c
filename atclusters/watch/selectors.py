"""Reads of the watch for pages, API, command line and the site search: the inbox with its
filters, an item with its topics and comments, the sources with their state, the validated
items a bulletin may take."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atclusters.core.domains import SearchResult
from atclusters.core.permissions import AnyUser
from atclusters.events import permissions as groups
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import permissions, search
from atclusters.watch.models import Bulletin, Idea, Item, Match, Mode, Source, Topic


@dataclass(frozen=True)
class InboxFilter:
    cluster: int | None = None
    status: str = ""
    mode: str = ""
    topic: int | None = None
    text: str = ""
    min_relevance: int = 0
    since: datetime | None = None
    until: datetime | None = None  # found before
    source: int | None = None


def day_start(day: date | None, *, after: bool = False) -> datetime | None:
    """The start of the day (of the next one with `after`, for "until this day") in the
    platform's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=after), time()))


# At most this many items having the words are taken from the index and the page made of
# them; beyond, the words are common and the newest items are walked until a page is full
# (docs/watch.md, "Search").
SEARCH_CANDIDATES = 5000


def _index_candidates(words: str) -> list[int] | None:
    """The ids of the items having the words, read from PostgreSQL's GIN index alone (a plan
    forced for this one query: the planner, expecting a conjunction of common words to be
    common, would rather walk every item), when there are at most SEARCH_CANDIDATES; None
    when there are more. The bitmap gets the memory to stay exact, so that no row is matched
    again with its vector computed anew."""
    sql, count = search.postgres_candidates_sql()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")
        seqscan, work_mem = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('work_mem', %s, true)",
            [search.POSTGRES_PROBE_MEMORY],
        )
        cursor.execute(sql, [*[words] * count, SEARCH_CANDIDATES + 1])
        ids = [row[0] for row in cursor.fetchall()]
        # Back as they were for the rest of an enclosing transaction (a request's).
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true), set_config('work_mem', %s, true)",
            [seqscan, work_mem],
        )
    return ids if len(ids) <= SEARCH_CANDIDATES else None


def _matching(items: QuerySet[Item], text: str) -> QuerySet[Item]:
    """The items whose title or summary has the words (docs/watch.md, "Search"): PostgreSQL's
    full-text search, the query and the item stemmed in the item's language, on the GIN
    index of migration 0007 (the few items that have the words, or the newest items walked
    when many have them); SQLite's FTS5 index (search.fts5_query); word by word in the text
    on any other database."""
    vendor = connection.vendor
    if vendor == "postgresql":
        words = text[:200]
        candidates = _index_candidates(words)
        if candidates is not None:
            return items.filter(pk__in=candidates)
        # The base table of the query is watch_item, unaliased, so the condition names it;
        # the SQL is search.py's own, the user's text only ever a parameter.
        condition, count = search.postgres_condition(Item._meta.db_table)
        matched = RawSQL(condition, [words] * count, output_field=BooleanField())  # noqa: S611
        return items.filter(matched)
    if vendor == "sqlite":
        expression = search.fts5_query(text[:200])
        if not expression:
            return items
        return items.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM watch_item_fts WHERE watch_item_fts MATCH %s", [expression]
            )
        )
    for word in text.split()[: search.MAX_TERMS]:
        items = items.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return items


def inbox(user: AnyUser, filters: InboxFilter = InboxFilter()) -> QuerySet[Item]:
    """The items the user sees, newest first, narrowed by the filters."""
    items = permissions.visible_items(user)
    if filters.cluster:
        items = items.filter(cluster_id=filters.cluster)
    if filters.status:
        items = items.filter(status=filters.status)
    # Exists rather than a join: no duplicate rows, so no DISTINCT, which would sort every
    # matching row (all its columns) before the first page could be taken.
    if filters.mode:
        items = items.filter(
            Exists(Match.objects.filter(item=OuterRef("pk"), topic__mode=filters.mode))
        )
    if filters.topic:
        items = items.filter(
            Exists(Match.objects.filter(item=OuterRef("pk"), topic_id=filters.topic))
        )
    if filters.source:
        items = items.filter(source_id=filters.source)
    if filters.text.strip():
        items = _matching(items, filters.text)
    if filters.min_relevance:
        items = items.filter(relevance__gte=filters.min_relevance)
    if filters.since:
        items = items.filter(found_at__gte=filters.since)
    if filters.until:
        items = items.filter(found_at__lt=filters.until)
    return items.order_by("-found_at", "-pk")


EXPORT_MAX_ROWS = 10_000
EXPORT_COLUMNS = (
    "id", "cluster", "source", "title", "url", "language", "published_at", "found_at",
    "relevance", "status", "rating", "tags", "topics",
)  # fmt: skip


def inbox_export(user: AnyUser, filters: InboxFilter) -> tuple[tuple[str, ...], list[dict]]:
    """The inbox as a table (core.tables writes it, text neutralised against formulas), its
    newest EXPORT_MAX_ROWS items."""
    items = inbox(user, filters).prefetch_related("matches__topic")[:EXPORT_MAX_ROWS]
    rows = [
        {
            "id": item.pk,
            "cluster": item.cluster.slug,
            "source": item.source.name,
            "title": item.title,
            "url": item.url,
            "language": item.language,
            "published_at": item.published_at,
            "found_at": item.found_at,
            "relevance": item.relevance,
            "status": item.status,
            "rating": item.rating,
            "tags": ", ".join(item.tags),
            "topics": "; ".join(f"{m.topic.name} ({m.score})" for m in item.matches.all()),
        }
        for item in items
    ]
    return EXPORT_COLUMNS, rows


def working_groups(user: AnyUser) -> QuerySet[WorkingGroup]:
    """The working groups (events) the user sees, to take up an idea."""
    return groups.visible_groups(user).order_by("name")


def ideas(user: AnyUser, *, stage: str = "") -> QuerySet[Idea]:
    """The ideas, opportunities and projects of the clusters the user reads, with the items
    they came from."""
    found = permissions.visible_ideas(user).prefetch_related("items")
    if stage:
        found = found.filter(stage=stage)
    return found.order_by("cluster__name", "-created_at", "-pk")


def item_topics(item: Item) -> list:
    return list(item.matches.select_related("topic").order_by("-score"))


def item_comments(item: Item) -> list:
    return list(item.comments.select_related("author"))


def sources_overview(user: AnyUser) -> QuerySet[Source]:
    """The sources the user curates, with their number of items, failing ones first."""
    return (
        permissions.managed_sources(user)
        .annotate(item_count=Count("items"))
        .order_by("-error_count", "cluster__name", "name")
    )


def topics_overview(user: AnyUser) -> QuerySet[Topic]:
    return (
        permissions.managed_topics(user)
        .select_related("term")
        .annotate(item_count=Count("matches"))
    )


def bulletin_candidates(cluster: ClusterOrganisation, *, days: int = 62) -> QuerySet[Item]:
    """The cluster's validated items of the last `days`, best first, for a bulletin."""
    since = timezone.now() - timedelta(days=days)
    return Item.objects.filter(
        cluster=cluster, status=Item.Status.VALIDATED, found_at__gte=since
    ).order_by("-relevance", "-found_at")


EXAMPLE_CHOICES = 60


def example_candidates(user: AnyUser) -> QuerySet[Item]:
    """The latest validated items of the clusters the user curates, to define a topic by."""
    return (
        Item.objects.filter(
            cluster__in=permissions.curated_clusters(user).values("pk"),
            status=Item.Status.VALIDATED,
        )
        .select_related("cluster")
        .order_by("-found_at", "-pk")
    )


@dataclass(frozen=True)
class Dashboard:
    by_mode: list[tuple[str, int]]
    weeks: list[tuple[str, list[int]]]  # ISO week, items per topic
    topics: list[str]
    sources: list[tuple[str, int]]
    curators: list[tuple[str, int]]
    failing: int
    since: datetime  # the period the figures cover: from then to now


def dashboard(
    user: AnyUser, *, cluster: int | None = None, weeks: int = 8, now: datetime | None = None
) -> Dashboard:
    """The watch of the clusters the user curates (or one of them) over the last `weeks`:
    items per watch mode, per topic and ISO week, the sources with the most validated items,
    and each curator's verdicts."""
    now = now or timezone.now()
    since = now - timedelta(weeks=weeks)
    items = permissions.visible_items(user).filter(
        cluster__in=permissions.curated_clusters(user).values("pk"), found_at__gte=since
    )
    if cluster:
        items = items.filter(cluster_id=cluster)
    matches = Match.objects.filter(item__in=items.values("pk"))
    modes = dict(Mode.choices)
    by_mode = [
        (str(modes[row["topic__mode"]]), row["count"])
        for row in matches.values("topic__mode").annotate(count=Count("item", distinct=True))
        .order_by("-count")
    ]  # fmt: skip
    topics = [
        row["topic__name"]
        for row in matches.values("topic__name").annotate(count=Count("pk")).order_by("-count")[:6]
    ]
    counts: dict[tuple[str, str], int] = {}
    for found_at, topic in matches.filter(topic__name__in=topics).values_list(
        "item__found_at", "topic__name"
    ):
        year, week, _day = timezone.localtime(found_at).isocalendar()
        key = (f"{year}-W{week:02d}", topic)
        counts[key] = counts.get(key, 0) + 1
    labels = []
    for offset in range(weeks, -1, -1):
        year, week, _day = timezone.localtime(now - timedelta(weeks=offset)).isocalendar()
        labels.append(f"{year}-W{week:02d}")
    sources = [
        (row["source__name"], row["count"])
        for row in items.filter(status=Item.Status.VALIDATED).values("source__name")
        .annotate(count=Count("pk")).order_by("-count", "source__name")[:10]
    ]  # fmt: skip
    curators = [
        (row["curated_by__username"], row["count"])
        for row in items.filter(curated_by__isnull=False).values("curated_by__username")
        .annotate(count=Count("pk")).order_by("-count", "curated_by__username")
    ]  # fmt: skip
    failing = permissions.managed_sources(user).filter(error_count__gte=Source.FAILING_AFTER)
    if cluster:
        failing = failing.filter(cluster_id=cluster)
    return Dashboard(
        by_mode=by_mode,
        weeks=[(label, [counts.get((label, topic), 0) for topic in topics]) for label in labels],
        topics=topics,
        sources=sources,
        curators=curators,
        failing=failing.count(),
        since=since,
    )


def benchmarking_figures(*, cluster: ClusterOrganisation, year: int) -> dict[str, Any]:
    """The watch's figures for the benchmarking framework's information services in `year`
    (benchmarking.selectors.computed_indicators, docs/benchmarking.md):
    `watch_items_validated` — the cluster's items validated in the year (their last verdict
    then, and still validated); `watch_bulletins_sent` — its bulletins sent in the year, to its
    subscribers or to a working group; `watch_service` — whether at least one was. None for
    all three when the cluster has no watch source on the platform (it may watch elsewhere:
    the cluster answers by hand)."""
    if not Source.objects.filter(cluster=cluster).exists():
        return {"watch_items_validated": None, "watch_bulletins_sent": None, "watch_service": None}
    validated = Item.objects.filter(
        cluster=cluster, status=Item.Status.VALIDATED, curated_at__year=year
    ).count()
    sent = Bulletin.objects.filter(
        cluster=cluster, status=Bulletin.Status.SENT, sent_at__year=year
    ).count()
    return {
        "watch_items_validated": validated,
        "watch_bulletins_sent": sent,
        "watch_service": sent > 0,
    }


# Public boards ------------------------------------------------------------------------------

BOARD_TOPICS = Q(public=True, active=True, cluster__status=ClusterOrganisation.Status.PUBLISHED)


def public_boards() -> QuerySet[Topic]:
    """The public topics of published clusters, with their number of validated items: what
    anyone, signed in or not, reads (docs/watch.md, "Public boards")."""
    return (
        Topic.objects.filter(BOARD_TOPICS)
        .select_related("cluster")
        .annotate(
            item_count=Count("matches", filter=Q(matches__item__status=Item.Status.VALIDATED))
        )
        .order_by("cluster__name", "name")
    )


def board_items(*, topic: Topic | None = None, text: str = "") -> QuerySet[Item]:
    """The validated items filed under the public `topic` (None: under any public board),
    newest first, narrowed by the words; never an item to review or rejected. Each carries
    `board`, a public topic it is filed under, for its link."""
    boards = Match.objects.filter(item=OuterRef("pk"), topic__in=public_boards().values("pk"))
    if topic is not None:
        boards = boards.filter(topic=topic)
    items: QuerySet[Item] = Item.objects.filter(
        Exists(boards), status=Item.Status.VALIDATED
    ).annotate(board=Subquery(boards.order_by("topic_id").values("topic_id")[:1]))
    if text.strip():
        items = _matching(items, text)
    return items.order_by("-found_at", "-pk")


def site_search(*, user: AnyUser, query: str, limit: int = 20) -> list[SearchResult]:
    """The items the user sees, then the public boards' items they do not (each linked to its
    board, where anyone reads it)."""
    items = list(inbox(user, InboxFilter(text=query))[:limit])
    found = [
        SearchResult(
            title=item.title,
            url=reverse("watch_item", args=[item.pk]),
            kind=_("watch item"),
            summary=item.summary[:200],
        )
        for item in items
    ]
    public = board_items(text=query).exclude(pk__in=[item.pk for item in items])
    # "board" is board_items' annotation, which the returned QuerySet[Item] type does not carry.
    rows = public.values_list("pk", "title", "summary", "board")  # type: ignore[misc]
    return found + [
        SearchResult(
            title=title,
            url=reverse("watch_board", args=[board]) + f"#item-{pk}",
            kind=_("watch item"),
            summary=summary[:200],
        )
        for pk, title, summary, board in rows[: limit - len(found)]
    ]
