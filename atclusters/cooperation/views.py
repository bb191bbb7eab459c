"""Pages of cooperation: a cluster's best partners with the reasons, the meta-clusters with their
members on the map (published clusters only, like the directory), and partner search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.cooperation import permissions, selectors, services
from atclusters.cooperation.forms import InitiativeForm, PostingForm
from atclusters.cooperation.matching import Match, Preferences
from atclusters.cooperation.synergy import MODES
from atclusters.core.errors import InvalidFields
from atclusters.core.forms import add_error
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.permissions import staff_agencies
from atclusters.core.reference import nuts2_features
from atclusters.core.templatetags import charts
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import ClusterOrganisation

TOP = 10
POSTINGS_TOP = 5


def partners(request: HttpRequest, slug: str) -> HttpResponse:
    index = selectors.matching_index(organisations=False)
    key = selectors.cluster_key(slug)
    if key not in index.position:
        raise Http404
    cluster = index.profiles[index.position[key]]
    transnational = request.GET.get("transnational") == "1"
    mode = request.GET.get("mode", "abroad")
    if mode not in MODES:
        mode = "abroad"
    preferences = Preferences(transnational_only=transnational)
    matches = selectors.partner_matches(index, cluster, top=TOP, preferences=preferences, mode=mode)
    postings = selectors.partner_matches(
        selectors.posting_index(index), cluster, top=POSTINGS_TOP, preferences=preferences
    )
    return render(
        request,
        "cooperation/partners.html",
        {
            "cluster": cluster,
            "slug": slug,
            "transnational": transnational,
            "mode": mode,
            "modes": [
                ("abroad", _("partners abroad in my value chain")),
                ("region", _("synergies in my region across sectors")),
                ("any", _("both questions")),
            ],
            "matches": _with_contacts(matches),
            # a posting with nothing to say for it but being abroad is not a fit
            "postings": [
                (m.key.split(":", 1)[1], m)
                for m in postings
                if any(reason.code != "transnational" for reason in m.reasons)
            ],
        },
    )


def _with_contacts(matches: list[Match]) -> list[tuple[str, Match, ClusterOrganisation | None]]:
    """Each matched cluster's slug, the match and the cluster's public contact (if it has
    one): a "Contact this cluster" link beside the reasons."""
    slugs = [m.key.split(":", 1)[1] for m in matches]
    contacts = registry_selectors.public_contacts(slugs=slugs)
    return [(slug, m, contacts.get(slug)) for slug, m in zip(slugs, matches, strict=True)]


def _number(text: str, default: float, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        return default
    return value if low < value < high else default


def _group_map(members: list[str], regions: dict[str, str]) -> str:
    held = {regions[key] for key in members if regions.get(key)}
    shapes = [
        (
            f"{feature['properties']['name']} ({feature['properties']['id']})",
            feature["geometry"]["coordinates"],
            reverse("region_detail", args=[feature["properties"]["id"]]),
            3 if feature["properties"]["id"] in held else (0 if held else None),
        )
        for feature in nuts2_features()
        if feature["properties"]["id"][:2] in {"ES", "PT", "FR", "IE", "UK"}
    ]
    return charts.choropleth(
        shapes,
        [_("no member"), "", "", _("members of the group")],
        _("Regions of the members"),
        note=_("Source: the cluster registry. Administrative boundaries © EuroGeographics."),
    )


def meta_clusters(request: HttpRequest) -> HttpResponse:
    threshold = _number(request.GET.get("threshold", ""), 0.3, 0, 1)
    resolution = _number(request.GET.get("resolution", ""), 1.0, 0, 10)
    view = "region" if request.GET.get("view") == "region" else "abroad"
    groups = selectors.meta_clusters(threshold=threshold, resolution=resolution, view=view)
    keyed = selectors.published_cluster_places()
    regions = {key: (region or "")[:4] for key, (_name, region) in keyed.items()}
    return render(
        request,
        "cooperation/meta_clusters.html",
        {
            "staff_agencies": list(staff_agencies(request.user)),
            "threshold": threshold,
            "resolution": resolution,
            "view": view,
            "groups": [
                {
                    "group": group,
                    "members": [(key.split(":", 1)[1], keyed[key][0]) for key in group.members],
                    "missing": [
                        (keyed[a][0], keyed[b][0], score) for a, b, score in group.missing_links
                    ],
                    "agreements": [(keyed[a][0], keyed[b][0]) for a, b in group.agreements],
                    "agreement_slugs": selectors.agreements_within(members=group.members),
                    "map": _group_map(group.members, regions),
                }
                for group in groups
            ],
        },
    )


def posting_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    mine = request.GET.get("following") == "1" and request.user.is_authenticated
    postings = selectors.posting_list(user=request.user, kind=kind, query=query, following=mine)
    return render(
        request,
        "cooperation/posting_list.html",
        {
            "postings": postings[:200],
            "kind": kind,
            "query": query,
            "following": mine,
            "may_post": request.user.is_authenticated
            and bool(selectors.posting_authors(user=request.user)),  # type: ignore[arg-type]
            "queue": permissions.moderation_queue(request.user).count()
            if request.user.is_authenticated
            else 0,
        },
    )


@login_required
def posting_create(request: AuthenticatedRequest) -> HttpResponse:
    authors = selectors.posting_authors(user=request.user)
    if not authors:
        raise DjangoPermissionDenied
    form = PostingForm(request.POST or None, authors=authors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posting = services.posting_create(
                actor=request.user,
                author=data["author"],
                data={key: data[key] for key in ("kind", "title", "description", "language",
                                                  "target_countries", "target_regions",
                                                  "deadline", "call")},
                sectors=list(data["sectors"]),
                terms=list(data["terms"]),
            )  # fmt: skip
        except InvalidFields as error:
            add_error(form, error)
        else:
            messages.success(
                request, _("Posted. Agency staff will check it before it is published.")
            )
            return redirect("posting_detail", posting.pk)
    return render(request, "cooperation/posting_form.html", {"form": form})


def posting_detail(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = get_object_or_404(
        permissions.visible_postings(request.user).select_related("cluster", "organisation"),
        pk=posting_id,
    )
    user = request.user
    author_view = user.is_authenticated and permissions.can_edit(user, posting)  # type: ignore[arg-type]
    moderator = user.is_authenticated and permissions.can_moderate(user, posting)  # type: ignore[arg-type]
    return render(
        request,
        "cooperation/posting_detail.html",
        {
            "posting": posting,
            "author_view": author_view,
            "moderator": moderator,
            "following": user.is_authenticated and posting.followers.filter(pk=user.pk).exists(),
            "interested": user.is_authenticated and posting.interests.filter(user=user).exists(),
            "interests": posting.interests.select_related("user")
            if author_view or moderator
            else [],
            "suggestions": _with_contacts(selectors.suggested_partners(posting)),
        },
    )


@login_required
@require_POST
def posting_action(request: AuthenticatedRequest, posting_id: int, action: str) -> HttpResponse:
    posting = get_object_or_404(permissions.visible_postings(request.user), pk=posting_id)
    try:
        if action in ("follow", "unfollow"):
            services.posting_follow(actor=request.user, posting=posting, follow=action == "follow")
        elif action == "interest":
            services.interest_express(
                actor=request.user,
                posting=posting,
                message=request.POST.get("message", ""),
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(request, _("The author has been told of your interest."))
        elif action in ("publish", "reject"):
            services.posting_moderate(
                actor=request.user,
                posting=posting,
                publish=action == "publish",
                note=request.POST.get("note", ""),
            )
        elif action == "close":
            services.posting_close(actor=request.user, posting=posting)
        else:
            raise Http404
    except InvalidFields as error:
        for reason in error.errors.values():
            messages.error(request, reason)
    return redirect("posting_detail", posting.pk)


@login_required
def moderation(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/moderation.html",
        {
            "postings": permissions.moderation_queue(request.user).select_related(
                "cluster", "organisation"
            )
        },
    )


def cooperation_network(request: HttpRequest) -> HttpResponse:
    """The agreements the reader may see as a graph and as tables, with the network's
    metrics."""
    drawing, result = selectors.agreement_network_metrics(user=request.user)
    return render(
        request,
        "cooperation/network.html",
        {
            "drawing": drawing,
            "metrics": result,
            "cross_border_percent": (
                None
                if result.cross_border_share is None
                else round(100 * result.cross_border_share)
            ),
            "yearly_chart": charts.bar_chart(
                [(str(year), count) for year, count in result.new_links_per_year],
                _("New links per year"),
            ),
        },
    )


@login_required
@require_POST
def initiative_create(request: AuthenticatedRequest) -> HttpResponse:
    """Saves a meta-cluster shown on the meta-clusters page as a named initiative."""
    form = InitiativeForm(request.POST, user=request.user)
    if not form.is_valid():  # only the agency can be: an unknown one
        raise Http404
    try:
        initiative = services.initiative_save(actor=request.user, **form.cleaned_data)
    except InvalidFields as error:
        for reason in error.errors.values():
            messages.error(request, reason)
        return redirect("meta_clusters")
    messages.success(request, _("The initiative %(name)s is saved.") % {"name": initiative.name})
    return redirect(f"{reverse('initiative_list')}#{initiative.slug}")


def initiative_list(request: HttpRequest) -> HttpResponse:
    """Initiatives with their published members and the agreements the reader may see."""
    return render(
        request,
        "cooperation/initiatives.html",
        {"initiatives": selectors.initiative_list(user=request.user)},
    )
