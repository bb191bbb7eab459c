"""Every write of the watch (docs/watch.md): sources and topics, fetching a source and taking
its entries in (deduplicated, classified against the cluster's topics), curation (validate or
reject, rate, tag, comment), bulletins and subscriptions. Each write is audited, but for the
fetcher's bookkeeping on a source (its validators and times). `actor=None` is the trusted
command line and the background worker."""

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import BaseCache, caches
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atclusters.core import fetching
from atclusters.core.audit import acting_user, audited, audited_bulk_create, audited_create
from atclusters.core.errors import DomainError, InvalidFields
from atclusters.core.languages import CODES
from atclusters.core.models import NaceActivity, Term
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.core.services import email_queue
from atclusters.core.text import sanitise_html
from atclusters.events import permissions as groups
from atclusters.events import selectors as events
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import canonical, connectors, feeds, pages, periods, permissions, relevance
from atclusters.watch.models import (
    Bulletin,
    Comment,
    Idea,
    Item,
    Match,
    Mode,
    Source,
    Subscription,
    Topic,
)
from atclusters.watch.selectors import day_start

# Back-off after errors: the interval doubles with each error in a row, up to this many hours.
BACKOFF_MAX_HOURS = 7 * 24
COMMENT_CHARS = 5000
UNSUBSCRIBE_SALT = "watch.unsubscribe"
# Linked pages read per fetch of a source (its new items beyond are kept with their summary),
# and the most read of each.
MAX_PAGES = 50
PAGE_BYTES = 2 * 1024 * 1024
# How long a run holds the sources it has taken before another run may take them again.
FETCH_LEASE = timedelta(hours=1)
# How far back a new entry is compared with the cluster's items for near duplicates.
NEAR_DAYS = 90


def _curate(actor: AnyUser, cluster: ClusterOrganisation) -> None:
    if not permissions.can_curate(actor, cluster):
        raise PermissionDenied(_("Only the cluster's managers and agency staff curate its watch."))


def _group_refused(actor: AnyUser, working_group: WorkingGroup | None) -> dict[str, str]:
    """{"working_group": why} when the actor may not name the group (one they do not see);
    the trusted command line names any."""
    if working_group is None or actor is None:
        return {}
    if groups.visible_groups(actor).filter(pk=working_group.pk).exists():
        return {}
    return {"working_group": _("is not a working group you see")}


USER_AGENT = "atclusters-watch/1.0 (technology watch feed reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def url_verdict(url: str, *, operator: bool = False) -> dict[str, Any]:
    """`{"allowed", "reason", "addresses"}`: the fetcher's check (with the DNS lookup) of an
    address. A refusal names no address the host resolved to, but for the `operator` at the
    command line, who is told what the host resolved to and why it was refused."""
    try:
        target = fetching.check(url)
    except fetching.Refused as refused:
        if operator:
            return {"allowed": False, "reason": refused.detail, "addresses": refused.addresses}
        return {"allowed": False, "reason": fetching.message(refused), "addresses": []}
    return {"allowed": True, "reason": "", "addresses": target.addresses}


# Sources ------------------------------------------------------------------------------------


def source_add(
    *, actor: AnyUser, cluster: ClusterOrganisation, name: str, url: str,
    interval_hours: int = 6, kind: str = Source.Kind.FEED, full_text: bool = False,
    working_group: WorkingGroup | None = None, source: str = "web",
) -> Source:  # fmt: skip
    """A source to monitor for the cluster (a feed, or another `kind` that connectors.py
    reads), its items curated by the `working_group` too when one is given; refused when the
    server may not fetch its address."""
    _curate(actor, cluster)
    errors = _group_refused(actor, working_group)
    if not name.strip():
        errors["name"] = _("is required")
    try:
        # The address alone, no DNS lookup: the fetcher checks the host's addresses at every
        # fetch, and saving tells a user nothing about the names inside the network.
        fetching.check_saved(url)
    except fetching.Refused as refused:
        errors["url"] = fetching.message(refused)
    if Source.objects.filter(cluster=cluster, url=url.strip()).exists():
        errors["url"] = _("is already a source of this cluster")
    if kind not in Source.Kind.values:
        errors["kind"] = _("is not a kind of source the watch reads")
    if not 1 <= interval_hours <= 24 * 30:
        errors["interval_hours"] = _("must be between 1 and 720 hours")
    if errors:
        raise InvalidFields(errors)
    return audited_create(
        Source(
            cluster=cluster, name=name.strip()[:200], url=url.strip(),
            interval_hours=interval_hours, kind=kind, full_text=full_text,
            working_group=working_group, created_by=acting_user(actor),
        ),
        actor=actor, source=source,
    )  # fmt: skip


def source_set_active(
    *, actor: AnyUser, source_row: Source, active: bool, source: str = "web"
) -> Source:
    """Pauses or resumes a source; resuming clears its errors and fetches it at the next run."""
    _curate(actor, source_row.cluster)
    with audited(source_row, actor=actor, source=source):
        source_row.active = active
        if active:
            source_row.error_count = 0
            source_row.last_error = ""
            source_row.next_fetch_at = None
        source_row.save()
    return source_row


def _fetch_state_save(source_row: Source, **values: Any) -> None:
    for name, value in values.items():
        setattr(source_row, name, value)
    source_row.save(update_fields=list(values))


@dataclass
class IngestReport:
    new: list[Item] = field(default_factory=list)
    duplicates: int = 0
    not_modified: bool = False
    error: str = ""


def source_fetch(
    *, source_row: Source, now: datetime | None = None,
    fetch: Callable[..., fetching.Response] = fetching.fetch,
    pacer: fetching.HostPacer | None = None,
) -> IngestReport:  # fmt: skip
    """Fetches the source (conditional GET, bounded, SSRF-checked at every hop) and takes its
    new entries in. An error is counted on the source, whose next fetch backs off
    exponentially; after Source.FAILING_AFTER in a row it is shown as failing."""
    now = now or timezone.now()
    if pacer is not None:
        pacer.wait(source_row.url)
    try:
        request = _request(source_row, fetch)
        posted = request.get("method") == "POST"
        response = fetch(
            source_row.url,
            # A search asked by POST has no validators to send back.
            etag="" if posted else source_row.etag,
            last_modified="" if posted else source_row.last_modified,
            timeout=settings.WATCH_TIMEOUT_SECONDS,
            max_bytes=settings.WATCH_MAX_BYTES,
            accept=ACCEPT,
            user_agent=USER_AGENT,
            **request,
        )
        parsed = None if response.not_modified else connectors.parse(source_row.kind, response.body)
        reader = _page_reader(fetch, pacer) if source_row.full_text else None
    except (fetching.Problem, feeds.FeedError) as error:
        if source_row.kind == Source.Kind.EPO_OPS:
            _epo_token_forget()  # refused or expired early: the next fetch asks for a new one
        text = fetching.message(error) if isinstance(error, fetching.Problem) else str(error)
        errors = source_row.error_count + 1
        hours = min(BACKOFF_MAX_HOURS, source_row.interval_hours * 2 ** min(errors, 10))
        _fetch_state_save(
            source_row, error_count=errors, last_error=text[:300], last_fetched_at=now,
            next_fetch_at=now + timedelta(hours=hours),
        )  # fmt: skip
        return IngestReport(error=text)
    report = (
        IngestReport(not_modified=True)
        if parsed is None
        else items_ingest(
            actor=None,
            source_row=source_row,
            feed=parsed,
            now=now,
            origin="fetch",
            page_text=reader,
        )
    )
    # A 304 need not repeat the validators (RFC 9110, 15.4.5): the stored ones still hold.
    keep = response.not_modified
    _fetch_state_save(
        source_row, error_count=0, last_error="", last_fetched_at=now,
        next_fetch_at=now + timedelta(hours=source_row.interval_hours),
        etag=response.etag or (source_row.etag if keep else ""),
        last_modified=response.last_modified or (source_row.last_modified if keep else ""),
    )  # fmt: skip
    return report


# OPS access tokens are shared by the installation's processes (web and task workers) through
# the shared cache (settings.CACHES["shared"]: the database's cache table, or Redis), by consumer
# key, until a minute before OPS says they expire: the workers ask OPS once, not once each. One
# worker asks while the others wait for its answer, at most a fetch's timeout (then ask too).
TOKEN_BYTES = 64 * 1024
TOKEN_MARGIN_SECONDS = 60
TOKEN_WAIT_STEP_SECONDS = 0.25


def _epo_token_name(key: str) -> str:
    return "watch:epo-ops-token:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def _epo_token_forget() -> None:
    """OPS refused the token (expired early, revoked): the next fetch of any worker asks anew."""
    caches[settings.SHARED_CACHE_ALIAS].delete(_epo_token_name(settings.WATCH_EPO_OPS_KEY))


def _epo_token(fetch: Callable[..., fetching.Response], cache: BaseCache | None = None) -> str:
    """The OPS access token: the one shared in `cache` (the shared cache) while it holds, else
    a new one asked with the deployment's credentials and shared."""
    key, secret = settings.WATCH_EPO_OPS_KEY, settings.WATCH_EPO_OPS_SECRET
    if not key or not secret:
        raise feeds.FeedError(
            _("EPO OPS needs the deployment's WATCH_EPO_OPS_KEY and WATCH_EPO_OPS_SECRET")
        )
    cache = cache or caches[settings.SHARED_CACHE_ALIAS]
    name = _epo_token_name(key)
    if token := cache.get(name):
        return token
    asking = f"{name}:asking"
    if not cache.add(asking, True, timeout=settings.WATCH_TIMEOUT_SECONDS):
        deadline = time.monotonic() + settings.WATCH_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(TOKEN_WAIT_STEP_SECONDS)
            if token := cache.get(name):
                return token
    try:
        headers, body = connectors.epo_token_request(key, secret)
        answer = fetch(
            settings.WATCH_EPO_OPS_TOKEN_URL, method="POST", body=body, headers=headers,
            timeout=settings.WATCH_TIMEOUT_SECONDS, max_bytes=TOKEN_BYTES,
            accept="application/json", user_agent=USER_AGENT,
        )  # fmt: skip
        token, seconds = connectors.epo_token(answer.body)
        if seconds > TOKEN_MARGIN_SECONDS:
            cache.set(name, token, timeout=seconds - TOKEN_MARGIN_SECONDS)
    finally:
        cache.delete(asking)
    return token


def _request(source_row: Source, fetch: Callable[..., fetching.Response]) -> dict[str, Any]:
    """How the source's service is asked, beyond a plain GET: the Funding & Tenders search by
    POST with its criteria; EPO OPS with an OAuth access token (connectors.py)."""
    if source_row.kind == Source.Kind.EU_FUNDING:
        content_type, body = connectors.eu_funding_request(secrets.token_hex(16))
        return {"method": "POST", "body": body, "headers": {"Content-Type": content_type}}
    if source_row.kind == Source.Kind.EPO_OPS:
        return {"headers": {"Authorization": f"Bearer {_epo_token(fetch)}"}}
    return {}


def _page_reader(
    fetch: Callable[..., fetching.Response], pacer: fetching.HostPacer | None
) -> Callable[[str], str]:
    """Reads an item's linked page (SSRF-checked, bounded, paced like the feeds) into its main
    text; a page that cannot be read gives no text, and the item keeps its summary."""

    def read(url: str) -> str:
        if pacer is not None:
            pacer.wait(url)
        try:
            page = fetch(
                url, timeout=settings.WATCH_TIMEOUT_SECONDS,
                max_bytes=min(settings.WATCH_MAX_BYTES, PAGE_BYTES),
            )  # fmt: skip
        except fetching.Problem:
            return ""
        kind, _sep, rest = page.headers.get("content-type", "text/html").partition(";")
        if kind.strip().lower() not in ("text/html", "application/xhtml+xml"):
            return ""
        charset = rest.partition("charset=")[2].strip().strip('"')
        return pages.main_text(page.body, charset=charset)

    return read


def _fetch_claim(source_row: Source, now: datetime) -> bool:
    """Takes the source for this run, unless another run (a worker still busy with the last
    quarter's sources) took it since it was read: its next fetch is moved FETCH_LEASE ahead
    only if it is still the one read. The fetch then sets the real next time."""
    claimed = Source.objects.filter(
        pk=source_row.pk, next_fetch_at=source_row.next_fetch_at
    ).update(next_fetch_at=now + FETCH_LEASE)
    return bool(claimed)


def sources_due(*, now: datetime | None = None) -> list[tuple[Source, IngestReport]]:
    """Fetches every active source whose time has come (and no other run has taken), pacing
    requests to one host."""
    now = now or timezone.now()
    pacer = fetching.HostPacer(settings.WATCH_HOST_INTERVAL_SECONDS)
    due = Source.objects.filter(active=True).exclude(next_fetch_at__gt=now).order_by("pk")
    return [
        (row, source_fetch(source_row=row, now=now, pacer=pacer))
        for row in due
        if _fetch_claim(row, now)
    ]


# Items --------------------------------------------------------------------------------------


def _scores(
    topics: Sequence[tuple[Topic, relevance.Prepared]], item: Item
) -> list[tuple[Topic, relevance.Score]]:
    found = []
    analysed = relevance.analyse(
        title=item.title, text=f"{item.summary}\n{item.text}", language=item.language
    )
    for topic, query in topics:
        result = relevance.score(query, analysed=analysed)
        if result.score and result.score >= topic.threshold:
            found.append((topic, result))
    return found


def _parsed_topics(topics: Iterable[Topic]) -> list[tuple[Topic, relevance.Prepared]]:
    parsed = []
    for topic in topics:
        try:
            parsed.append((topic, relevance.prepare(relevance.parse(topic.query))))
        except relevance.QueryError:
            continue  # refused when saved; an old row is skipped rather than stop the run
    return parsed


def items_ingest(
    *, actor: AnyUser, source_row: Source, feed: feeds.Feed, now: datetime | None = None,
    origin: str = "fetch", page_text: Callable[[str], str] | None = None,
) -> IngestReport:  # fmt: skip
    """Takes a feed's entries in as the cluster's items: an entry whose canonical link or
    content is already an item of the cluster, or a near copy of another source's item of the
    last NEAR_DAYS, is a duplicate (its source is added to the item's), the others are new,
    scored against the cluster's active topics (with the text of their linked page when
    `page_text` reads it: at most MAX_PAGES new items each time)."""
    if actor is not None:
        _curate(actor, source_row.cluster)
    now = now or timezone.now()
    cluster = source_row.cluster
    topics = _parsed_topics(Topic.objects.filter(cluster=cluster, active=True))
    report = IngestReport()
    entries = [
        (entry, canonical.canonical_url(entry.url)[:1000],
         canonical.content_hash(entry.title, entry.summary))
        for entry in feed.entries
        if entry.url.lower().startswith(("http://", "https://")) and entry.title
    ]  # fmt: skip
    # The cluster's items these entries may repeat, as (pk, source), in three queries rather
    # than some per entry.
    known = Item.objects.filter(cluster=cluster)
    by_link = {
        link: (pk, source_pk)
        for link, pk, source_pk in known.filter(
            canonical_url__in=[e[1] for e in entries]
        ).values_list("canonical_url", "pk", "source_id")
    }
    by_hash = {
        digest: (pk, source_pk)
        for digest, pk, source_pk in known.filter(
            content_hash__in=[e[2] for e in entries]
        ).values_list("content_hash", "pk", "source_id")
    }
    # Near copies are looked for among the other sources' stories of the last NEAR_DAYS: a
    # feed's own items that read alike are its series (weekly reports, calls), not copies.
    near_copies: canonical.NearIndex[tuple[int, int]] = canonical.NearIndex()
    for pk, source_pk, fingerprint in (
        known.filter(found_at__gte=now - timedelta(days=NEAR_DAYS))
        .exclude(simhash=0)
        .exclude(source=source_row)
        .values_list("pk", "source_id", "simhash")
    ):
        near_copies.add((pk, source_pk), fingerprint)
    seen_urls: set[str] = set()
    seen_hashes: set[str] = set()
    fresh: list[tuple[Item, list[tuple[Topic, relevance.Score]]]] = []
    # The other sources' items this source repeats: it is added to their "also in" at once.
    repeated: set[int] = set()
    with transaction.atomic():
        for entry, link, digest in entries:
            if link in seen_urls or digest in seen_hashes:
                report.duplicates += 1
                continue
            seen_urls.add(link)
            seen_hashes.add(digest)
            fingerprint = canonical.simhash(entry.title, entry.summary)
            existing = by_link.get(link) or by_hash.get(digest)
            if existing is None and (close := near_copies.find(fingerprint)):
                existing = close[0]
            if existing is not None:
                report.duplicates += 1
                if existing[1] != source_row.pk:
                    repeated.add(existing[0])
                continue
            text = page_text(entry.url) if page_text and len(fresh) < MAX_PAGES else ""
            item = Item(
                cluster=cluster, source=source_row, url=entry.url[:1000], canonical_url=link,
                text=text,
                content_hash=digest, simhash=fingerprint, title=entry.title[:500], summary=entry.summary,
                language=relevance.language_guess(entry.title + " " + entry.summary, entry.language),
                published_at=entry.published, found_at=now, tags=list(entry.tags)[:20],
            )  # fmt: skip
            matches = _scores(topics, item)
            item.relevance = max((result.score for _topic, result in matches), default=0)
            fresh.append((item, matches))
        links = Item.also_in.through
        already = set(
            links.objects.filter(item_id__in=repeated, source=source_row).values_list(
                "item_id", flat=True
            )
        )
        audited_bulk_create(
            links,
            [links(item_id=pk, source=source_row) for pk in sorted(repeated - already)],
            actor=actor,
            source=origin,
        )
        created = audited_bulk_create(
            Item, [item for item, _m in fresh], actor=actor, source=origin
        )
        _matches_file(
            [
                Match(item=item, topic=topic, score=result.score, explanation=result.explanation)
                for item, (_unsaved, matches) in zip(created, fresh, strict=True)
                for topic, result in matches
            ]
        )
    report.new = created
    return report


def _matches_file(matches: list[Match]) -> None:
    """Files new items under their topics. Not audited row by row: a match is a score
    derived from the audited item and topic, recomputed whenever the topic changes
    (topic_save); auditing each (five per item) was most of an ingest's writes."""
    Match.objects.bulk_create(matches, batch_size=2000)


def item_curate(
    *, actor: AnyUser, item: Item, status: str | None = None, rating: int | None = None,
    tags: Sequence[str] | None = None, source: str = "web",
) -> Item:  # fmt: skip
    """A curator's verdict (validated or rejected), rating (1-5, 0 to clear) and tags. An item
    validated with a relevance of at least WATCH_ALERT_SCORE is alerted to the subscribers who
    asked for alerts. Curators of the item's cluster, and the working group of its source or
    of a topic it is filed under."""
    if not permissions.can_curate_item(actor, item):
        raise PermissionDenied(_("Only the item's curators validate, rate and tag it."))
    errors = {}
    if status is not None and status not in Item.Status.values:
        errors["status"] = _("is not a known status")
    if rating is not None and not 0 <= rating <= 5:
        errors["rating"] = _("must be between 1 and 5 (0 clears it)")
    clean_tags = None
    if tags is not None:
        clean_tags = list(dict.fromkeys(tag.strip()[:60] for tag in tags if tag.strip()))
        if len(clean_tags) > 20:
            errors["tags"] = _("at most 20 tags")
    if errors:
        raise InvalidFields(errors)
    newly_validated = status == Item.Status.VALIDATED and item.status != status
    with audited(item, actor=actor, source=source):
        if status is not None:
            item.status = status
        if rating is not None:
            item.rating = rating or None
        if clean_tags is not None:
            item.tags = clean_tags
        item.curated_by = acting_user(actor)
        item.curated_at = timezone.now()
        item.save()
    if newly_validated and item.relevance >= settings.WATCH_ALERT_SCORE:
        _alert(item)
    return item


def comment_add(*, actor: AnyUser, item: Item, body: str, source: str = "web") -> Comment:
    """A reader's comment on an item they see; its HTML is sanitised (a few tags, safe links)."""
    if actor is None or not permissions.visible_items(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    text = body.strip()
    if not text:
        raise DomainError("body", _("is required"))
    if len(text) > COMMENT_CHARS:
        raise DomainError(
            "body", _("is longer than %(count)s characters") % {"count": COMMENT_CHARS}
        )
    clean = sanitise_html(text)
    return audited_create(
        Comment(item=item, author=acting_user(actor), body=clean), actor=actor, source=source
    )


# Ideas, opportunities, projects ------------------------------------------------------------

IDEA_CHARS = 5000


def _idea_checked(actor: AnyUser, title: str, description: str, working_group: Any) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = _("is required")
    if len(description) > IDEA_CHARS:
        errors["description"] = _("is longer than %(count)s characters") % {"count": IDEA_CHARS}
    return errors | _group_refused(actor, working_group)


def idea_create(
    *, actor: AnyUser, item: Item, title: str, description: str = "",
    stage: str = Idea.Stage.IDEA, working_group: WorkingGroup | None = None,
    source: str = "web",
) -> Idea:  # fmt: skip
    """A curator turns an item into an idea (or straight into an opportunity or project) of
    the item's cluster, which its members see; a working group may take it up."""
    _curate(actor, item.cluster)
    errors = _idea_checked(actor, title, description, working_group)
    if stage not in Idea.Stage.values:
        errors["stage"] = _("is not idea, opportunity or project")
    if errors:
        raise InvalidFields(errors)
    idea = Idea(
        cluster=item.cluster, title=title.strip()[:200], description=description.strip(),
        stage=stage, working_group=working_group, created_by=acting_user(actor),
    )  # fmt: skip
    with audited(idea, actor=actor, source=source):
        idea.save()
        idea.items.set([item])
    return idea


def idea_update(
    *, actor: AnyUser, idea: Idea, stage: str,
    working_group: WorkingGroup | None = None, source: str = "web",
) -> Idea:  # fmt: skip
    """Moves the idea along the chain (idea, opportunity, project; or back) and names the
    working group that takes it up (None: none)."""
    _curate(actor, idea.cluster)
    errors = _idea_checked(actor, idea.title, idea.description, working_group)
    if stage not in Idea.Stage.values:
        errors["stage"] = _("is not idea, opportunity or project")
    if errors:
        raise InvalidFields(errors)
    with audited(idea, actor=actor, source=source):
        idea.stage, idea.working_group = stage, working_group
        idea.save()
    return idea


# Topics -------------------------------------------------------------------------------------


def topic_save(
    *, actor: AnyUser, cluster: ClusterOrganisation, name: str, mode: str, query: str,
    threshold: int = 40, topic: Topic | None = None, term: Term | None = None,
    nace: NaceActivity | None = None, bulletin_period: str = "",
    working_group: WorkingGroup | None = None, public: bool = False, source: str = "web",
) -> Topic:  # fmt: skip
    """Creates (or, given `topic`, changes) a watch topic and files the cluster's items under
    it anew; the `working_group` (None: none) curates the items filed under it too; a
    `public` topic is a board anyone reads (its validated items only)."""
    _curate(actor, cluster)
    errors = _group_refused(actor, working_group)
    if not name.strip():
        errors["name"] = _("is required")
    elif (
        Topic.objects.filter(cluster=cluster, name=name.strip())
        .exclude(pk=topic.pk if topic else 0)
        .exists()
    ):
        errors["name"] = _("another topic of this cluster has this name")
    if mode not in Mode.values:
        errors["mode"] = _("is not one of the four watch modes")
    try:
        relevance.parse(query)
    except relevance.QueryError as error:
        errors["query"] = _("does not parse: %(error)s") % {"error": error}
    if not 0 <= threshold <= 100:
        errors["threshold"] = _("must be between 0 and 100")
    if bulletin_period and bulletin_period not in periods.KINDS:
        errors["bulletin_period"] = _("is neither a week nor a month")
    if errors:
        raise InvalidFields(errors)
    row = topic or Topic(cluster=cluster)
    with audited(row, actor=actor, source=source):
        row.name, row.mode, row.query, row.threshold = name.strip(), mode, query.strip(), threshold
        row.bulletin_period, row.working_group = bulletin_period, working_group
        row.public = public
        if term is not None:
            row.term = term
        if nace is not None:
            row.nace = nace
        row.save()
        matches, changed = _filed(row)
        Match.objects.filter(topic=row).delete()
        Match.objects.bulk_create(matches)
        Item.objects.bulk_update(changed, ["relevance"])
    return row


def topic_set_public(*, actor: AnyUser, topic: Topic, public: bool, source: str = "web") -> Topic:
    """Makes the topic a public board (anyone reads its validated items, docs/watch.md,
    "Public boards") or takes it private again."""
    _curate(actor, topic.cluster)
    with audited(topic, actor=actor, source=source):
        topic.public = public
        topic.save(update_fields=["public"])
    return topic


def topics_from_technology_fields(
    *, actor: AnyUser, cluster: ClusterOrganisation, source: str = "web"
) -> list[Topic]:
    """A technological topic for each of the cluster's technology fields (its registry
    taxonomy) that has none yet: the field's name in the five languages, each an alternative
    phrase, so that an item in any of them is filed under it with the name that matched."""
    _curate(actor, cluster)
    made = []
    existing = set(Topic.objects.filter(cluster=cluster).values_list("name", flat=True))
    taken = set(Topic.objects.filter(cluster=cluster).values_list("term_id", flat=True))
    for term in cluster.technology_fields.order_by("name"):
        if term.pk in taken or term.name in existing:
            continue
        names = dict.fromkeys([term.name, *(term.names.get(code, "") for code in CODES)])
        query = "\n".join(f'"{name.replace(chr(34), "")}"' for name in names if name.strip())
        made.append(
            topic_save(
                actor=actor,
                cluster=cluster,
                name=term.name,
                mode=Mode.TECHNOLOGICAL,
                query=query,
                term=term,
                source=source,
            )
        )
    return made


# Topics by example and by sector start stricter than the default, their query being many
# alternatives: two of their words, or one in the title (relevance: 40 + 10 per word, + 20
# for the title); one word when only one was chosen.
SECTOR_THRESHOLD = 60
EXAMPLE_BACKGROUND = 500


def topic_from_examples(
    *, actor: AnyUser, cluster: ClusterOrganisation, name: str, mode: str,
    items: Sequence[Item], threshold: int | None = None, source: str = "web",
) -> Topic:  # fmt: skip
    """A topic defined by example: the words that set the curator's example items apart from
    the cluster's other (latest EXAMPLE_BACKGROUND) items become its query's alternatives
    (relevance.example_terms), and the topic keeps its examples and why each word was chosen.
    The cluster's items are filed under it at once, each with the words it has."""
    _curate(actor, cluster)
    if not items:
        raise DomainError("items", _("choose at least one example item"))
    if any(item.cluster_id != cluster.pk for item in items):
        raise DomainError("items", _("the examples must be items of this cluster"))
    others = (
        Item.objects.filter(cluster=cluster).exclude(pk__in=[item.pk for item in items])
        .order_by("-found_at")
        .values_list("title", "summary", "text", "language")[:EXAMPLE_BACKGROUND]
    )  # fmt: skip
    chosen = relevance.example_terms(
        [(f"{i.title} {i.summary} {i.text}", i.language) for i in items],
        [(f"{title} {summary} {text}", language) for title, summary, text, language in others],
    )
    if not chosen:
        raise DomainError("items", _("the examples share no word that sets them apart"))
    with transaction.atomic():
        topic = topic_save(
            actor=actor, cluster=cluster, name=name, mode=mode,
            threshold=threshold if threshold is not None else SECTOR_THRESHOLD - 10 * (len(chosen) == 1),
            query=" | ".join(row["term"] for row in chosen), source=source,
        )  # fmt: skip
        with audited(topic, actor=actor, source=source):
            topic.example_terms = chosen
            topic.save(update_fields=["example_terms"])
            topic.examples.set(items)
    return topic


def topics_from_sectors(
    *, actor: AnyUser, cluster: ClusterOrganisation, source: str = "web"
) -> list[Topic]:
    """A commercial topic for each of the cluster's sectors (its NACE activities in the
    registry) that has none yet: the activity's words in the five languages as alternatives
    (relevance.nace_query), so that an item's explanation names the words of the activity it
    has; the topic keeps its NACE code."""
    _curate(actor, cluster)
    made = []
    existing = set(Topic.objects.filter(cluster=cluster).values_list("name", flat=True))
    taken = set(Topic.objects.filter(cluster=cluster).values_list("nace_id", flat=True))
    for activity in cluster.sectors.order_by("code"):
        name = f"{activity.code} {activity.name}"[:200]
        if activity.pk in taken or name in existing:
            continue
        names = {"en": activity.name} | {
            code: activity.names[code] for code in CODES if activity.names.get(code)
        }
        topic = topic_save(
            actor=actor, cluster=cluster, name=name, mode=Mode.COMMERCIAL,
            query=relevance.nace_query(names), threshold=SECTOR_THRESHOLD, nace=activity,
            source=source,
        )  # fmt: skip
        made.append(topic)
    return made


def _filed(topic: Topic) -> tuple[list[Match], list[Item]]:
    """The topic's matches among the cluster's items, and the items whose relevance (their
    best score over the topics) changes with them."""
    parsed = _parsed_topics([topic])
    items = list(Item.objects.filter(cluster=topic.cluster).prefetch_related("matches"))
    rows = [
        Match(item=item, topic=topic, score=result.score, explanation=result.explanation)
        for item in items
        for _topic, result in _scores(parsed, item)
    ]
    scores = {row.item.pk: row.score for row in rows}
    changed = []
    for item in items:
        others = [m.score for m in item.matches.all() if m.topic_id != topic.pk]
        best = max([*others, scores.get(item.pk, 0)])
        if best != item.relevance:
            item.relevance = best
            changed.append(item)
    return rows, changed


# Bulletins and subscriptions ----------------------------------------------------------------


def bulletin_create(
    *, actor: AnyUser, cluster: ClusterOrganisation, title: str, items: Sequence[Item],
    notes: str = "", topic: Topic | None = None, period: str = "",
    working_group: WorkingGroup | None = None, source: str = "web",
) -> Bulletin:  # fmt: skip
    """A draft bulletin: the curated selection (validated items of the cluster) with notes,
    for the cluster's subscribers or, given a `working_group`, for its lead and members."""
    _curate(actor, cluster)
    errors = _group_refused(actor, working_group)
    if not title.strip():
        errors["title"] = _("is required")
    if not items:
        errors["items"] = _("choose at least one validated item")
    elif any(i.cluster_id != cluster.pk or i.status != Item.Status.VALIDATED for i in items):
        errors["items"] = _("only validated items of this cluster go into its bulletin")
    if topic is not None and topic.cluster_id != cluster.pk:
        errors["topic"] = _("is not a topic of this cluster")
    if errors:
        raise InvalidFields(errors)
    bulletin = Bulletin(
        cluster=cluster, topic=topic, title=title.strip()[:200], notes=notes.strip(),
        period=period, working_group=working_group, created_by=acting_user(actor),
    )  # fmt: skip
    with audited(bulletin, actor=actor, source=source):
        bulletin.save()
        bulletin.items.set(items)
    return bulletin


def bulletin_of_period(
    *, actor: AnyUser, topic: Topic, kind: str, today: date | None = None, send: bool = False,
    source: str = "cli",
) -> tuple[Bulletin | None, int]:  # fmt: skip
    """The topic's regular bulletin of the last complete week or month (periods.py): its items
    validated in that period and filed under the topic, best first. Made once per topic and
    period (asked again, the same bulletin is answered, so the daily job may run any number of
    times); None when the period has no such item. With `send`, a draft is sent to the
    cluster's subscribers; returns the bulletin and how many it was sent to now."""
    _curate(actor, topic.cluster)
    if kind not in periods.KINDS:
        raise DomainError("period", _("is neither a week nor a month"))
    period = periods.last_complete(kind, today or timezone.localdate())
    bulletin = Bulletin.objects.filter(topic=topic, period=period.key).first()
    if bulletin is None:
        items = list(
            Item.objects.filter(
                cluster=topic.cluster_id, status=Item.Status.VALIDATED, matches__topic=topic,
                curated_at__gte=day_start(period.start), curated_at__lt=day_start(period.end),
            ).order_by("-relevance", "-found_at")
        )  # fmt: skip
        if not items:
            return None, 0
        bulletin = bulletin_create(
            actor=actor, cluster=topic.cluster, title=f"{topic.name} · {period.key}",
            items=items, topic=topic, period=period.key, source=source,
        )  # fmt: skip
    if send and bulletin.status == Bulletin.Status.DRAFT:
        return bulletin, bulletin_send(actor=actor, bulletin=bulletin, source=source)
    return bulletin, 0


def bulletins_of_periods(*, today: date | None = None) -> list[tuple[Bulletin, int]]:
    """The worker's daily run: each active topic's regular bulletin of its last complete
    period, made and sent if it has not been yet."""
    done = []
    for topic in (
        Topic.objects.filter(active=True).exclude(bulletin_period="").select_related("cluster")
    ):
        bulletin, sent = bulletin_of_period(
            actor=None, topic=topic, kind=topic.bulletin_period, today=today, send=True,
            source="worker",
        )  # fmt: skip
        if bulletin is not None:
            done.append((bulletin, sent))
    return done


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _email(
    user: User, subject: str, template: str, context: dict,
    *, subscription: Subscription | None = None,
) -> None:  # fmt: skip
    """An email to a subscriber, with the unsubscribe link of their `subscription`, or to a
    working group's person, who receives it as long as they are in the group (no link)."""
    context = context | {
        "unsubscribe": _link("watch_unsubscribe", unsubscribe_token(subscription))
        if subscription is not None
        else "",
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject, render_to_string(f"watch/{template}.txt", context), None, [user.email]
    )
    message.attach_alternative(render_to_string(f"watch/{template}.html", context), "text/html")
    email_queue(message=message)


def _readers(cluster: ClusterOrganisation, *, alerts: bool = False) -> list[Subscription]:
    """The cluster's subscriptions whose users may still read it (a member that left is not
    written to) and have an address."""
    subscriptions = Subscription.objects.filter(cluster=cluster).select_related("user")
    if alerts:
        subscriptions = subscriptions.filter(alerts=True)
    return [
        s for s in subscriptions
        if s.user.email and s.user.is_active and permissions.can_read(s.user, cluster)
    ]  # fmt: skip


def _group_readers(group: WorkingGroup, cluster: ClusterOrganisation) -> list[tuple[User, str]]:
    """A working group's people with an address, each with the language of their subscription
    to the cluster's watch if they have one, else the platform's."""
    languages = dict(
        Subscription.objects.filter(cluster=cluster).values_list("user_id", "language")
    )
    return [
        (person, languages.get(person.pk, settings.LANGUAGE_CODE))
        for person in events.group_people(group)
        if person.email
    ]


def bulletin_send(*, actor: AnyUser, bulletin: Bulletin, source: str = "web") -> int:
    """Sends the draft bulletin to the cluster's subscribers (each in their language, with
    their unsubscribe link), or to its working group's lead and members, through the
    platform's outbox; returns how many."""
    _curate(actor, bulletin.cluster)
    if bulletin.status == Bulletin.Status.SENT:
        raise DomainError("status", _("was already sent"))
    with audited(bulletin, actor=actor, source=source):
        bulletin.status = Bulletin.Status.SENT
        bulletin.sent_at = timezone.now()
        bulletin.save()
        items = list(bulletin.items.select_related("source").order_by("-relevance", "-found_at"))
        context = {"bulletin": bulletin, "items": items,
                   "page": _link("watch_bulletin", bulletin.pk)}  # fmt: skip
        subject = f"{bulletin.cluster.name}: {bulletin.title}"
        if bulletin.working_group is not None:
            people = _group_readers(bulletin.working_group, bulletin.cluster)
            for person, language in people:
                with translation.override(language):
                    _email(person, subject, "bulletin_email", context)
            return len(people)
        readers = _readers(bulletin.cluster)
        for subscription in readers:
            with translation.override(subscription.language):
                _email(
                    subscription.user, subject, "bulletin_email", context,
                    subscription=subscription,
                )  # fmt: skip
    return len(readers)


def _alert(item: Item) -> None:
    for subscription in _readers(item.cluster, alerts=True):
        with translation.override(subscription.language):
            _email(
                subscription.user, _("Watch alert: %(title)s") % {"title": item.title[:150]},
                "alert_email", {"item": item, "page": _link("watch_item", item.pk)},
                subscription=subscription,
            )  # fmt: skip


def subscription_set(
    *, actor: AnyUser, user: User, cluster: ClusterOrganisation, subscribed: bool,
    alerts: bool = False, language: str = "en", source: str = "web",
) -> Subscription | None:  # fmt: skip
    """Subscribes the user to the cluster's bulletins (and alerts), or ends the subscription.
    A user subscribes themself, to a cluster whose watch they read."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied
    current = Subscription.objects.filter(user=user, cluster=cluster).first()
    if not subscribed:
        if current is not None:
            with audited(current, actor=actor, source=source):
                current.delete()
        return None
    if not permissions.can_read(user, cluster):
        raise PermissionDenied(_("Only the cluster's members and curators read its watch."))
    if language not in CODES:
        raise DomainError("language", _("is not one of the platform's languages"))
    row = current or Subscription(user=user, cluster=cluster)
    with audited(row, actor=actor, source=source):
        row.alerts, row.language = alerts, language
        row.save()
    return row


def subscription_end_by_token(*, token: str) -> Subscription | None:
    """The unsubscribe link of an email: ends that subscription without signing in. None when
    the token is not ours or the subscription has already ended."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    subscription = Subscription.objects.filter(pk=pk).select_related("user", "cluster").first()
    if subscription is None:
        return None
    with audited(subscription, actor=None, source="email"):
        subscription.delete()
    return subscription
