"""Technology watch of a cluster (docs/watch.md): the sources it monitors, the items found in
them (one row per story and cluster: the same link or content from another source is recorded
on the item, not stored again), the watch topics that classify them by the four watch modes of
UNE 166006, the curators' verdicts, ratings, tags and comments, the bulletins sent to the
cluster's members and their subscriptions.

Watch belongs to a registry cluster; a working group of the events domain may be given a
source or a topic, whose items its lead and members then curate, and be a bulletin's audience.
Curators turn items into ideas that become opportunities
and projects (Hontza's chain), each of which may be taken up by a working group of the events
domain."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atclusters.core.languages import LANGUAGES
from atclusters.core.models import NaceActivity, Term
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation


class Mode(models.TextChoices):
    """The four watch modes of the UNE 166006 practice (UNE 166006:2018, Gestión de la I+D+i:
    Sistema de vigilancia e inteligencia; Martinet & Ribault 1989; Palop & Vicente 1999):
    docs/watch.md, "The method"."""

    TECHNOLOGICAL = "technological", _("technological")
    COMPETITIVE = "competitive", _("competitive")
    COMMERCIAL = "commercial", _("commercial")
    ENVIRONMENTAL = "environmental", _("environmental")


# The periods of a topic's regular bulletin (periods.py).
BULLETIN_PERIODS = [("week", _("weekly")), ("month", _("monthly"))]


class Source(models.Model):
    class Kind(models.TextChoices):
        """What the address answers, and so how it is read (feeds.py, connectors.py)."""

        FEED = "feed", _("RSS, Atom or JSON Feed")
        NEWS_SITEMAP = "news-sitemap", _("News sitemap")
        EU_FUNDING = "eu-funding", _("EU Funding & Tenders search results (JSON)")
        CORDIS = "cordis", _("CORDIS projects (CSV)")
        OPENALEX = "openalex", _("OpenAlex works (JSON)")
        EPO_OPS = "epo-ops", _("EPO Open Patent Services publications (XML)")

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_sources",
        verbose_name=_("cluster"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FEED)
    interval_hours = models.PositiveIntegerField(
        _("fetch every (hours)"), default=6,
        help_text=_("How often the feed is read; longer after repeated errors."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)
    # A working group (events) whose lead and members curate the source's items.
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("working group"),
    )  # fmt: skip
    full_text = models.BooleanField(
        _("read the linked pages"), default=False,
        help_text=_("Fetch each new item's page and keep its main text (slower; off by default)."),
    )  # fmt: skip
    # Bookkeeping of the fetcher (services.source_fetch_recorded), not edited by anyone.
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    error_count = models.PositiveIntegerField(_("errors in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    # After this many errors in a row a source is shown as failing to its curators.
    FAILING_AFTER = 3

    class Meta:
        ordering = ["cluster__name", "name"]
        verbose_name = _("watch source")
        verbose_name_plural = _("watch sources")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "url"], name="watch_source_url_once"),
            models.CheckConstraint(condition=Q(interval_hours__gte=1), name="watch_interval_1h"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def failing(self) -> bool:
        return self.error_count >= self.FAILING_AFTER


class Topic(models.Model):
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_topics",
        verbose_name=_("cluster"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(_("watch mode (UNE 166006)"), max_length=16, choices=Mode.choices)
    query = models.TextField(
        _("query"),
        help_text=_(
            'Words and "phrases" in any of the five languages; words on one line must all '
            'appear; each line is an alternative; "|" between alternatives, -word to exclude, '
            "and parentheses (AND, OR, NOT work too)."
        ),
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold"), default=40,
        help_text=_("Items scoring at least this much (0-100) are filed under the topic."),
    )  # fmt: skip
    # The technology field of the cluster's taxonomy the topic was made from, if any.
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("technology field"),
    )  # fmt: skip
    # The NACE activity (one of the cluster's sectors) the topic was made from, if any.
    nace = models.ForeignKey(
        NaceActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sector (NACE)"),
    )  # fmt: skip
    # The items a curator gave as examples of the topic, and the words chosen from them with
    # how many examples and other items had each (relevance.example_terms).
    examples: "models.ManyToManyField[Item, Any]" = models.ManyToManyField(
        "Item", blank=True, related_name="+", verbose_name=_("example items")
    )
    example_terms = models.JSONField(default=list, blank=True)
    # A working group (events) whose lead and members curate the items filed under the topic.
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("working group"),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)
    # A public board: anyone reads the topic's validated items (title, link, source, summary)
    # on the website and in its Atom feed, while the cluster is published.
    public = models.BooleanField(
        _("public board"), default=False,
        help_text=_(
            "Anyone may read the validated items filed under it, on the website and in its "
            "Atom feed; never the items to review, ratings, tags or comments."
        ),
    )  # fmt: skip
    # A regular bulletin of the topic's items validated in each week or month, made and sent
    # by the worker (services.bulletin_of_period); "" for none.
    bulletin_period = models.CharField(
        _("regular bulletin"), max_length=5, blank=True,
        choices=BULLETIN_PERIODS,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster__name", "name"]
        verbose_name = _("watch topic")
        verbose_name_plural = _("watch topics")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="watch_topic_name_once"),
            models.CheckConstraint(condition=Q(threshold__lte=100), name="watch_threshold_100"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("to review")
        VALIDATED = "validated", _("validated")
        REJECTED = "rejected", _("rejected")

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_items",
        verbose_name=_("cluster"),
    )  # fmt: skip
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="items", verbose_name=_("source")
    )
    # The other sources that carried the same story (same canonical link or same content).
    also_in = models.ManyToManyField(
        Source, blank=True, related_name="+", verbose_name=_("also in")
    )
    url = models.URLField(_("link"), max_length=1000)
    canonical_url = models.CharField(max_length=1000)
    content_hash = models.CharField(max_length=64)
    # SimHash of the words (canonical.simhash): a near copy from another source is this story.
    simhash = models.BigIntegerField(default=0)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    # The linked page's main text (pages.py), for the sources that read it; plain text.
    text = models.TextField(_("text of the page"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    found_at = models.DateTimeField(_("found"), db_index=True)
    relevance = models.PositiveSmallIntegerField(_("relevance"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("curated by"),
    )  # fmt: skip
    curated_at = models.DateTimeField(_("curated"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("watch item")
        verbose_name_plural = _("watch items")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "canonical_url"], name="watch_item_link_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="watch_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "content_hash"], name="watch_item_content"),
            models.Index(fields=["cluster", "status", "-found_at"], name="watch_item_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class Match(models.Model):
    """An item filed under a topic, with the score and its explanation (relevance.py)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="matches", verbose_name=_("topic")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    explanation = models.JSONField(default=dict)

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["item", "topic"], name="watch_match_once")]

    def __str__(self) -> str:
        return f"{self.item} → {self.topic} ({self.score})"


class Comment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("author"),
    )  # fmt: skip
    body = models.TextField(_("comment"))  # sanitised HTML (services.comment_add)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author} on {self.item}"


class Bulletin(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_bulletins",
        verbose_name=_("cluster"),
    )  # fmt: skip
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="bulletins",
        verbose_name=_("topic"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    # The audience: a working group's lead and members (events), instead of the cluster's
    # subscribers.
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("working group"),
    )  # fmt: skip
    notes = models.TextField(_("editor's notes"), blank=True)
    items = models.ManyToManyField(Item, related_name="bulletins", verbose_name=_("items"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The week ("2026-W49") or month ("2026-11") of a topic's regular bulletin; "" for one a
    # curator made by hand.
    period = models.CharField(_("period"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("watch bulletin")
        verbose_name_plural = _("watch bulletins")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "period"],
                condition=~Q(period=""),
                name="watch_bulletin_period_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_subscriptions"
    )
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_subscriptions",
        verbose_name=_("cluster"),
    )  # fmt: skip
    alerts = models.BooleanField(
        _("alerts"), default=False,
        help_text=_("An email as soon as a highly relevant item is validated."),
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="watch_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.cluster}"


class Idea(models.Model):
    """What the cluster makes of watch items, in Hontza's chain: an idea, then an opportunity
    worth pursuing, then a project; a working group (events) may take it up."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("idea")
        OPPORTUNITY = "opportunity", _("opportunity")
        PROJECT = "project", _("project")

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="watch_ideas",
        verbose_name=_("cluster"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)  # plain text, shown escaped
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    items = models.ManyToManyField(Item, related_name="ideas", verbose_name=_("items"))
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("working group"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title
