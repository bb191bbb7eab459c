"""Pages of the watch (docs/watch.md): the inbox of items with its filters, an item (topics
with the reasons of their scores, curation, comments), sources, topics, bulletins (page, PDF,
sending) and subscriptions. Every page needs a signed-in user; what each one shows or lets do
is the permissions' (permissions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import tables
from atclusters.core.errors import DomainError
from atclusters.core.forms import add_error
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.permissions import PermissionDenied
from atclusters.watch import documents, forms, permissions, selectors, services
from atclusters.watch.models import Idea, Source, Subscription

PAGE_SIZE = 50


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(request: AuthenticatedRequest) -> tuple[forms.InboxForm, selectors.InboxFilter]:
    clusters = permissions.read_clusters(request.user).order_by("name")
    form = forms.InboxForm(request.GET or None, clusters=clusters)
    if not form.is_valid():
        return form, selectors.InboxFilter()
    data = form.cleaned_data
    return form, selectors.InboxFilter(
        cluster=data["cluster"].pk if data["cluster"] else None,
        status=data["status"],
        mode=data["mode"],
        topic=data["topic"].pk if data["topic"] else None,
        text=data["text"],
        min_relevance=data["min_relevance"] or 0,
        source=data["source"].pk if data["source"] else None,
        since=selectors.day_start(data["since"]),
        until=selectors.day_start(data["until"], after=True),
    )


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _filters(request)
    items = selectors.inbox(request.user, filters).prefetch_related("matches__topic")
    return render(
        request,
        "watch/inbox.html",
        {
            "form": form,
            "items": items[:PAGE_SIZE],
            "total": items.count(),
            "curates": permissions.curated_clusters(request.user).exists(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def inbox_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """The inbox with its filters as CSV or XLSX."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    _form, filters = _filters(request)
    columns, rows = selectors.inbox_export(request.user, filters)
    response = HttpResponse(tables.write_table(columns, rows, fmt), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="watch-items.{fmt}"'
    return response


def _item(request: AuthenticatedRequest, item_id: int):
    return get_object_or_404(permissions.visible_items(request.user), pk=item_id)


@login_required
def item_detail(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    return _item_page(request, item)


def _groups(request: AuthenticatedRequest):
    return selectors.working_groups(request.user)


def _item_page(
    request, item, *, curate_form=None, comment_form=None, idea_form=None, status=200
):  # fmt: skip
    return render(
        request,
        "watch/item_detail.html",
        {
            "item": item,
            "matches": selectors.item_topics(item),
            "comments": selectors.item_comments(item),
            "also_in": item.also_in.all(),
            "can_curate": permissions.can_curate_item(request.user, item),
            "makes_ideas": permissions.can_curate(request.user, item.cluster),
            "curate_form": curate_form
            or forms.CurateForm(
                initial={
                    "status": item.status,
                    "rating": item.rating or "",
                    "tags": ", ".join(item.tags),
                }
            ),
            "comment_form": comment_form or forms.CommentForm(),
            "ideas": item.ideas.all(),
            "idea_form": idea_form
            or forms.IdeaForm(initial={"title": item.title[:200]}, groups=_groups(request)),
        },
        status=status,
    )


@login_required
@require_POST
def item_curate(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    form = forms.CurateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.item_curate(
                actor=request.user, item=item, status=data["status"], rating=data["rating"],
                tags=data["tags"].split(","),
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("watch_item", item.pk)
    return _item_page(request, item, curate_form=form, status=422)


@login_required
@require_POST
def comment_add(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=request.user, item=item, body=form.cleaned_data["body"])
        except DomainError as error:
            add_error(form, error)
        else:
            return redirect("watch_item", item.pk)
    return _item_page(request, item, comment_form=form, status=422)


@login_required
@require_POST
def item_idea(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    """A curator turns the item into an idea, opportunity or project of its cluster."""
    item = _item(request, item_id)
    form = forms.IdeaForm(request.POST, groups=_groups(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_create(
                actor=request.user, item=item, title=data["title"],
                description=data["description"], stage=data["stage"],
                working_group=data["working_group"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("watch_ideas")
    return _item_page(request, item, idea_form=form, status=422)


@login_required
def ideas(request: AuthenticatedRequest) -> HttpResponse:
    """The ideas, opportunities and projects of the clusters the user reads."""
    stage = request.GET.get("stage", "")
    found = selectors.ideas(request.user, stage=stage if stage in Idea.Stage.values else "")
    curated = set(permissions.curated_clusters(request.user).values_list("pk", flat=True))
    groups = _groups(request)
    return render(
        request,
        "watch/ideas.html",
        {
            "rows": [
                (idea, forms.IdeaStageForm(
                    initial={"stage": idea.stage, "working_group": idea.working_group_id},
                    groups=groups, prefix=f"i{idea.pk}",
                ) if idea.cluster_id in curated else None)
                for idea in found
            ],
            "stages": Idea.Stage.choices,
            "stage": stage,
            "curates": bool(curated),
        },
    )  # fmt: skip


@login_required
@require_POST
def idea_stage(request: AuthenticatedRequest, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(permissions.visible_ideas(request.user), pk=idea_id)
    form = forms.IdeaStageForm(request.POST, groups=_groups(request), prefix=f"i{idea.pk}")
    if form.is_valid():
        try:
            services.idea_update(
                actor=request.user, idea=idea, stage=form.cleaned_data["stage"],
                working_group=form.cleaned_data["working_group"],
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, "; ".join(f"{k}: {v}" for k, v in error.errors.items()))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a stage."))
    return redirect("watch_ideas")


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """For curators: items per mode, per topic and week, top sources, curators' verdicts."""
    clusters = permissions.curated_clusters(request.user).order_by("name")
    if not clusters.exists():
        raise PermissionDenied
    chosen = next((c for c in clusters if str(c.pk) == request.GET.get("cluster")), None)
    return render(
        request,
        "watch/dashboard.html",
        {
            "clusters": clusters,
            "chosen": chosen,
            "data": selectors.dashboard(request.user, cluster=chosen.pk if chosen else None),
        },
    )


@login_required
def sources(request: AuthenticatedRequest) -> HttpResponse:
    clusters = permissions.curated_clusters(request.user).order_by("name")
    if not clusters.exists():
        raise PermissionDenied
    form = forms.SourceForm(request.POST or None, clusters=clusters, groups=_groups(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_add(
                actor=request.user, cluster=data["cluster"], name=data["name"], url=data["url"],
                interval_hours=data["interval_hours"], kind=data["kind"] or Source.Kind.FEED,
                full_text=data["full_text"], working_group=data["working_group"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Source added; it is read at the next fetch."))
            return redirect("watch_sources")
    return render(
        request,
        "watch/sources.html",
        {"sources": selectors.sources_overview(request.user), "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def source_active(request: AuthenticatedRequest, source_id: int) -> HttpResponse:
    row = get_object_or_404(permissions.managed_sources(request.user), pk=source_id)
    services.source_set_active(actor=request.user, source_row=row, active=not row.active)
    return redirect("watch_sources")


@login_required
def topics(request: AuthenticatedRequest) -> HttpResponse:
    clusters = permissions.curated_clusters(request.user).order_by("name")
    if not clusters.exists():
        raise PermissionDenied
    form = forms.TopicForm(request.POST or None, clusters=clusters, groups=_groups(request))
    examples = _examples_form(request, clusters, bound=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.topic_save(
                actor=request.user, cluster=data["cluster"], name=data["name"],
                mode=data["mode"], query=data["query"], threshold=data["threshold"],
                bulletin_period=data["bulletin_period"], working_group=data["working_group"],
                public=data["public"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Topic saved; the cluster's items were filed under it."))
            return redirect("watch_topics")
    return render(
        request,
        "watch/topics.html",
        {"topics": selectors.topics_overview(request.user), "form": form, "clusters": clusters,
         "examples": examples},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def topic_public(request: AuthenticatedRequest, topic_id: int) -> HttpResponse:
    """Makes the topic a public board, or private again."""
    topic = get_object_or_404(permissions.managed_topics(request.user), pk=topic_id)
    services.topic_set_public(actor=request.user, topic=topic, public=not topic.public)
    return redirect("watch_topics")


def _examples_form(
    request: AuthenticatedRequest, clusters, *, bound: bool
) -> forms.TopicExamplesForm:
    candidates = selectors.example_candidates(request.user)
    return forms.TopicExamplesForm(
        request.POST if bound else None, clusters=clusters,
        items=candidates.filter(pk__in=list(
            candidates.values_list("pk", flat=True)[: selectors.EXAMPLE_CHOICES]
        )),
        prefix="examples",
    )  # fmt: skip


@login_required
@require_POST
def topics_from_examples(request: AuthenticatedRequest) -> HttpResponse:
    clusters = permissions.curated_clusters(request.user).order_by("name")
    if not clusters.exists():
        raise PermissionDenied
    examples = _examples_form(request, clusters, bound=True)
    if examples.is_valid():
        data = examples.cleaned_data
        try:
            topic = services.topic_from_examples(
                actor=request.user, cluster=data["cluster"], name=data["name"],
                mode=data["mode"], items=list(data["items"]),
            )  # fmt: skip
        except DomainError as error:
            add_error(examples, error)
        else:
            messages.success(
                request,
                _("Topic saved with the words of its examples: %(terms)s.")
                % {"terms": ", ".join(row["term"] for row in topic.example_terms)},
            )
            return redirect("watch_topics")
    return render(
        request,
        "watch/topics.html",
        {"topics": selectors.topics_overview(request.user), "clusters": clusters,
         "form": forms.TopicForm(clusters=clusters, groups=_groups(request)),
         "examples": examples},
        status=422,
    )  # fmt: skip


def _topics_made(request: AuthenticatedRequest, make, message: str) -> HttpResponse:
    """Topics made from the posted cluster's registry profile (technology fields, sectors)."""
    cluster = get_object_or_404(
        permissions.curated_clusters(request.user), pk=request.POST.get("cluster") or 0
    )
    made = make(actor=request.user, cluster=cluster)
    messages.success(request, message % {"count": len(made)})
    return redirect("watch_topics")


@login_required
@require_POST
def topics_from_technology_fields(request: AuthenticatedRequest) -> HttpResponse:
    return _topics_made(
        request, services.topics_from_technology_fields,
        _("%(count)s topics added from the cluster's technology fields."),
    )  # fmt: skip


@login_required
@require_POST
def topics_from_sectors(request: AuthenticatedRequest) -> HttpResponse:
    return _topics_made(
        request, services.topics_from_sectors,
        _("%(count)s topics added from the cluster's sectors (NACE)."),
    )  # fmt: skip


@login_required
def bulletins(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "watch/bulletins.html",
        {
            "bulletins": permissions.visible_bulletins(request.user),
            "curated": permissions.curated_clusters(request.user).order_by("name"),
        },
    )


@login_required
def bulletin_new(request: AuthenticatedRequest) -> HttpResponse:
    cluster = get_object_or_404(
        permissions.curated_clusters(request.user), pk=request.GET.get("cluster") or 0
    )
    form = forms.BulletinForm(
        request.POST or None, items=selectors.bulletin_candidates(cluster),
        groups=_groups(request),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = services.bulletin_create(
                actor=request.user, cluster=cluster, title=data["title"], notes=data["notes"],
                items=list(data["items"]), working_group=data["working_group"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            return redirect("watch_bulletin", bulletin.pk)
    return render(
        request,
        "watch/bulletin_new.html",
        {"cluster": cluster, "form": form},
        status=422 if form.errors else 200,
    )


def _bulletin(request: AuthenticatedRequest, bulletin_id: int):
    bulletin = get_object_or_404(permissions.visible_bulletins(request.user), pk=bulletin_id)
    items = bulletin.items.select_related("source").order_by("-relevance", "-found_at")
    return bulletin, items


@login_required
def bulletin_detail(request: AuthenticatedRequest, bulletin_id: int) -> HttpResponse:
    bulletin, items = _bulletin(request, bulletin_id)
    return render(
        request,
        "watch/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "items": items,
            "can_curate": permissions.can_curate(request.user, bulletin.cluster),
        },
    )


DOCUMENT_TYPES = {"pdf": "application/pdf", "atom": "application/atom+xml; charset=utf-8"}


@login_required
def bulletin_file(request: AuthenticatedRequest, bulletin_id: int, fmt: str) -> HttpResponse:
    """The bulletin as PDF or as an Atom feed of its items."""
    if fmt not in DOCUMENT_TYPES:
        raise Http404
    bulletin, _items = _bulletin(request, bulletin_id)
    response = HttpResponse(
        documents.bulletin_document(bulletin, fmt), content_type=DOCUMENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'inline; filename="bulletin-{bulletin.pk}.{fmt}"'
    return response


@login_required
@require_POST
def bulletin_send(request: AuthenticatedRequest, bulletin_id: int) -> HttpResponse:
    bulletin, _items = _bulletin(request, bulletin_id)
    try:
        count = services.bulletin_send(actor=request.user, bulletin=bulletin)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sent to %(count)s subscribers.") % {"count": count})
    return redirect("watch_bulletin", bulletin.pk)


@login_required
def subscriptions(request: AuthenticatedRequest) -> HttpResponse:
    """One form per cluster whose watch the user reads."""
    clusters = list(permissions.read_clusters(request.user).order_by("name"))
    current = {
        s.cluster_id: s
        for s in Subscription.objects.filter(user=request.user, cluster__in=clusters)
    }
    if request.method == "POST":
        cluster = next((c for c in clusters if str(c.pk) == request.POST.get("cluster")), None)
        if cluster is None:
            raise Http404
        form = forms.SubscriptionForm(request.POST, prefix=f"c{cluster.pk}")
        if form.is_valid():
            data = form.cleaned_data
            services.subscription_set(
                actor=request.user, user=request.user, cluster=cluster,
                subscribed=data["subscribed"], alerts=data["alerts"], language=data["language"],
            )  # fmt: skip
            messages.success(request, _("Saved."))
        return redirect("watch_subscriptions")
    rows = []
    for cluster in clusters:
        subscription = current.get(cluster.pk)
        initial = {
            "subscribed": subscription is not None,
            "alerts": subscription.alerts if subscription else False,
            "language": subscription.language if subscription else (get_language() or "en"),
        }
        rows.append((cluster, forms.SubscriptionForm(initial=initial, prefix=f"c{cluster.pk}")))
    return render(request, "watch/subscriptions.html", {"rows": rows})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every email: a page that asks, then a POST that ends the subscription (a
    mail client that opens links ahead does not unsubscribe anyone)."""
    ended = None
    if request.method == "POST":
        ended = services.subscription_end_by_token(token=token)
        if ended is None:
            raise Http404
    return render(request, "watch/unsubscribe.html", {"ended": ended})


# Public boards ------------------------------------------------------------------------------

BOARD_FEED_ITEMS = 50


def boards(request: HttpRequest) -> HttpResponse:
    """The public topics of the published clusters, for anyone."""
    return render(request, "watch/boards.html", {"boards": selectors.public_boards()})


def board(request: HttpRequest, topic_id: int) -> HttpResponse:
    """A public topic's validated items, newest first, with the words searched among them."""
    topic = get_object_or_404(selectors.public_boards(), pk=topic_id)
    words = request.GET.get("q", "")[:200]
    page = Paginator(selectors.board_items(topic=topic, text=words), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "watch/board.html", {"topic": topic, "page": page, "words": words})


def board_feed(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_object_or_404(selectors.public_boards(), pk=topic_id)
    items = list(selectors.board_items(topic=topic)[:BOARD_FEED_ITEMS])
    return HttpResponse(documents.board_atom(topic, items), content_type=DOCUMENT_TYPES["atom"])
