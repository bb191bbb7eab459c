import hashlib
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from atclusters.core import permissions as core_permissions
from atclusters.core.forms import add_error
from atclusters.core.http import AuthenticatedRequest, HtmxRequest, partial_wanted
from atclusters.core.models import Agency, NutsRegion
from atclusters.core.reference import NUTS2_BOUNDARIES
from atclusters.mapping import selectors as mapping_selectors
from atclusters.registry import importers, permissions, selectors, services
from atclusters.registry.forms import (
    AgreementDocumentForm,
    AgreementForm,
    ClusterCreateForm,
    ClusterFilterForm,
    ClusterForm,
    ImportForm,
    InvitationForm,
    MembershipAddForm,
    OrganisationForm,
)
from atclusters.registry.models import (
    AgreementDocument,
    ClusterOrganisation,
    Invitation,
    Membership,
    Organisation,
)

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _cluster_for_view(request: HtmxRequest, slug: str) -> ClusterOrganisation:
    return get_object_or_404(permissions.visible_clusters(request.user), slug=slug)


def _cluster_for_edit(request: HtmxRequest, slug: str) -> ClusterOrganisation:
    cluster = _cluster_for_view(request, slug)
    if not permissions.can_edit_cluster(request.user, cluster):
        raise DjangoPermissionDenied
    return cluster


def agency_list(request: HtmxRequest) -> HttpResponse:
    agencies = (
        Agency.objects.prefetch_related("regions")
        .annotate(
            published=Count(
                "clusters", filter=Q(clusters__status=ClusterOrganisation.Status.PUBLISHED)
            )
        )
        .order_by("name")
    )
    return render(
        request,
        "registry/agency_list.html",
        {"agencies": agencies, "network": selectors.agreement_network(user=request.user)},
    )


def region_detail(request: HtmxRequest, code: str) -> HttpResponse:
    region = get_object_or_404(NutsRegion.objects.select_related("parent"), code=code.upper())
    clusters = selectors.cluster_list(
        user=request.user, region=region.code, status=ClusterOrganisation.Status.PUBLISHED
    )
    agencies = Agency.objects.filter(regions__code__in=region_prefixes(region.code)).distinct()
    return render(
        request,
        "registry/region_detail.html",
        {
            "region": region,
            "clusters": clusters,
            "agencies": agencies,
            "children": region.children.order_by("code"),
            "has_portfolio": mapping_selectors.region_has_figures(region.code),
        },
    )


def region_prefixes(code: str) -> list[str]:
    """The region and every region above it: an agency of ES1 also covers ES11 and ES111."""
    return [code[:length] for length in range(2, len(code) + 1)]


def cluster_list(request: HtmxRequest) -> HttpResponse:
    form = ClusterFilterForm(request.GET)
    form.is_valid()  # invalid fields are dropped from the filters and shown with their error
    filters = {name: value for name, value in form.cleaned_data.items() if value not in ("", None)}
    clusters = selectors.cluster_list(user=request.user, **filters)
    page = Paginator(clusters, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form, "query": query.urlencode()}
    template = (
        "registry/cluster_list.html#results"
        if partial_wanted(request)
        else "registry/cluster_list.html"
    )
    return render(request, template, context)


def cluster_detail(request: HtmxRequest, slug: str) -> HttpResponse:
    cluster = _cluster_for_view(request, slug)
    context = _cluster_context(request, cluster)
    context["canonical_url"] = request.build_absolute_uri(cluster_url(cluster))
    region = cluster.nuts_region
    context["map_focus"] = region.code[:4] if region and region.level >= 2 else ""
    context["json_ld"] = selectors.cluster_json_ld(
        cluster=cluster, url=context["canonical_url"], description=context["description"]
    )
    return render(request, "registry/cluster_detail.html", context)


def cluster_url(cluster: ClusterOrganisation) -> str:
    return reverse("cluster_detail", args=[cluster.slug])


BOUNDARIES = NUTS2_BOUNDARIES


def cluster_map(request: HtmxRequest) -> HttpResponse:
    counts = selectors.clusters_by_nuts2(user=request.user)
    regions = NutsRegion.objects.filter(code__in=counts).order_by("code")
    return render(
        request,
        "registry/map.html",
        {"regions": [(region, counts[region.code]) for region in regions]},
    )


def _cached_json(request: HtmxRequest, fingerprint: object, build) -> HttpResponse:
    """A JSON answer with an ETag over `fingerprint`: a browser that has it gets 304 and the
    body is not even built."""
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = JsonResponse(build())
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


@gzip_page
def map_regions(request: HtmxRequest) -> HttpResponse:
    """NUTS 2 boundaries with the number of published clusters and members in each; compressed,
    with an ETag so browsers revalidate instead of downloading again."""
    counts = selectors.clusters_by_nuts2(user=request.user)

    def collection() -> dict:
        boundaries = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
        empty = {"clusters": 0, "members": 0}
        for feature in boundaries["features"]:
            feature["properties"].update(counts.get(feature["properties"]["id"], empty))
        return boundaries

    return _cached_json(request, counts, collection)


@gzip_page
def map_clusters(request: HtmxRequest) -> HttpResponse:
    """Published clusters that have a position, as GeoJSON points for the map's markers."""
    points = selectors.cluster_points(user=request.user)
    return _cached_json(request, points, lambda: points)


def _cluster_statistics(cluster: ClusterOrganisation) -> dict | None:
    if cluster.nuts_region is None:
        return None
    return mapping_selectors.cluster_statistics(
        region=cluster.nuts_region.code[:4],
        sectors=[sector.code for sector in cluster.sectors.all()],
        members=selectors.cluster_member_activity(cluster=cluster),
    )


def _cluster_context(request: HtmxRequest, cluster: ClusterOrganisation, form=None) -> dict:
    can_manage = permissions.can_manage_memberships(request.user, cluster)
    composition = selectors.cluster_composition(cluster=cluster)
    memberships = list(selectors.cluster_memberships(user=request.user, cluster=cluster))
    return {
        "cluster": cluster,
        "description": cluster.description(request.LANGUAGE_CODE),
        "composition": composition,
        "agreements": selectors.agreement_list(user=request.user, cluster=cluster),
        "memberships": memberships,
        "unlisted": composition.total - len(memberships),
        "statistics": _cluster_statistics(cluster),
        "can_edit": permissions.can_edit_cluster(request.user, cluster),
        "can_publish": permissions.can_publish_cluster(request.user, cluster),
        "can_manage": can_manage,
        "member_form": form
        or (
            MembershipAddForm(organisations=permissions.visible_organisations(request.user))
            if can_manage
            else None
        ),
    }


@login_required
def cluster_create(request: AuthenticatedRequest) -> HttpResponse:
    agencies = core_permissions.staff_agencies(request.user)
    if not agencies.exists():
        raise DjangoPermissionDenied
    form = ClusterCreateForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        try:
            cluster = services.cluster_create(actor=request.user, agency=agency, data=data)
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Cluster created as a draft."))
            return redirect("cluster_detail", slug=cluster.slug)
    return render(request, "registry/form.html", {"form": form, "title": _("New cluster")})


@login_required
def cluster_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = _cluster_for_edit(request, slug)
    form = ClusterForm(request.POST or None, request.FILES or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        cluster.refresh_from_db()
        try:
            services.cluster_update(actor=request.user, cluster=cluster, data=data)
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("cluster_detail", slug=cluster.slug)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": cluster.name}, "cluster": cluster},
    )


@login_required
@require_POST
def cluster_transition(request: AuthenticatedRequest, slug: str, action: str) -> HttpResponse:
    cluster = _cluster_for_view(request, slug)
    transitions = {
        "submit": services.cluster_submit,
        "publish": services.cluster_publish,
        "draft": services.cluster_return_to_draft,
    }
    if action not in transitions:
        raise Http404
    try:
        transitions[action](actor=request.user, cluster=cluster)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Status: %(status)s.") % {"status": cluster.get_status_display()}
        )
    return redirect("cluster_detail", slug=cluster.slug)


@login_required
def cluster_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The members panel: lists current members; POST adds one (htmx swaps the panel)."""
    cluster = _cluster_for_view(request, slug)
    form = None
    if request.method == "POST":
        if not permissions.can_manage_memberships(request.user, cluster):
            raise DjangoPermissionDenied
        form = MembershipAddForm(
            request.POST, organisations=permissions.visible_organisations(request.user)
        )
        if form.is_valid():
            try:
                services.membership_add(actor=request.user, cluster=cluster, **form.cleaned_data)
            except ValidationError as error:
                add_error(form, error)
            else:
                form = None
                messages.success(request, _("Member added."))
        if not request.htmx and form is None:
            return redirect("cluster_detail", slug=cluster.slug)
    context = _cluster_context(request, cluster, form)
    template = (
        "registry/cluster_detail.html#members" if request.htmx else "registry/cluster_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def membership_end(request: AuthenticatedRequest, slug: str, membership_id: int) -> HttpResponse:
    cluster = _cluster_for_view(request, slug)
    membership = get_object_or_404(Membership, pk=membership_id, cluster=cluster)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return render(
            request, "registry/cluster_detail.html#members", _cluster_context(request, cluster)
        )
    return redirect("cluster_detail", slug=cluster.slug)


@login_required
def cluster_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = _cluster_for_edit(request, slug)
    return render(
        request,
        "registry/history.html",
        {"object": cluster, "entries": selectors.audit_history(instance=cluster)[:200]},
    )


@login_required
def cluster_invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = _cluster_for_view(request, slug)
    if not permissions.can_publish_cluster(request.user, cluster):
        raise DjangoPermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            actor=request.user,
            cluster=cluster,
            email=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        return redirect("cluster_detail", slug=cluster.slug)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Invite a cluster manager for %(name)s") % {"name": cluster.name},
        },
    )


def invitation_accept(request: HtmxRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, token=token)
    if not services.invitation_is_valid(invitation):
        return render(
            request,
            "registry/invitation.html",
            {"invitation": invitation, "expired": True},
            status=410,
        )
    if not request.user.is_authenticated:
        request.session["invitation_token"] = token
        return render(request, "registry/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except core_permissions.PermissionDenied as refusal:
            return render(
                request,
                "registry/invitation.html",
                {"invitation": invitation, "refusal": str(refusal)},
                status=403,
            )
        request.session.pop("invitation_token", None)
        messages.success(request, _("You now manage %(name)s.") % {"name": invitation.cluster.name})
        return redirect("cluster_detail", slug=invitation.cluster.slug)
    return render(
        request,
        "registry/invitation.html",
        {
            "invitation": invitation,
            "address_held": services.invitation_holds_address_of(invitation, request.user),
        },
    )


def organisation_list(request: HtmxRequest) -> HttpResponse:
    search, type_ = request.GET.get("search", "").strip(), request.GET.get("type", "")
    organisations = selectors.organisation_list(user=request.user, search=search, type=type_)
    return render(
        request,
        "registry/organisation_list.html",
        {
            "page": Paginator(organisations, 50).get_page(request.GET.get("page")),
            "search": search,
            "type": type_,
            "types": Organisation.Type.choices,
            "can_create": permissions.can_create_organisation(request.user),
        },
    )


def organisation_detail(request: HtmxRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(permissions.visible_organisations(request.user), slug=slug)
    memberships = list(
        permissions.visible_memberships(request.user)
        .filter(organisation=organisation)
        .select_related("cluster", "organisation")
        .order_by("-since")
    )
    listing_editable = {
        membership.pk
        for membership in memberships
        if membership.is_current
        and permissions.can_set_membership_listing(request.user, membership)
    }
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "listing_editable": listing_editable,
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
            "confidential": permissions.can_see_organisation_confidential(
                request.user, organisation
            ),
        },
    )


@login_required
@require_POST
def membership_listing(request: AuthenticatedRequest, membership_id: int) -> HttpResponse:
    """Gives or withdraws a member's consent to appear on the cluster's public profile."""
    membership = get_object_or_404(
        permissions.visible_memberships(request.user).select_related("organisation", "cluster"),
        pk=membership_id,
    )
    listed = request.POST.get("listed") == "yes"
    services.membership_update(
        actor=request.user, membership=membership, data={"listed_publicly": listed}
    )
    message = (
        _("%(organisation)s is now listed on the profile of %(cluster)s.")
        if listed
        else _("%(organisation)s is no longer listed on the profile of %(cluster)s.")
    )
    messages.success(
        request,
        message
        % {"organisation": membership.organisation.name, "cluster": membership.cluster.name},
    )
    return redirect("organisation_detail", slug=membership.organisation.slug)


@login_required
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_create_organisation(request.user):
        raise DjangoPermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("organisation_detail", slug=organisation.slug)
    return render(request, "registry/form.html", {"form": form, "title": _("New organisation")})


@login_required
def organisation_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(permissions.visible_organisations(request.user), slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise DjangoPermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation.refresh_from_db()
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                data={name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisation_detail", slug=organisation.slug)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": organisation.name}},
    )


def agreement_list(request: HtmxRequest) -> HttpResponse:
    return render(
        request,
        "registry/agreement_list.html",
        {
            "agreements": selectors.agreement_list(user=request.user),
            "can_create": core_permissions.staff_agencies(request.user).exists(),
        },
    )


def agreement_detail(request: HtmxRequest, slug: str) -> HttpResponse:
    """Public agreements show to everyone; their documents only to the parties."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agreement = get_object_or_404(selectors.agreement_list(user=request.user), slug=slug)
    can_edit = permissions.can_edit_agreement(request.user, agreement)
    form = AgreementDocumentForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                services.agreement_document_add(
                    actor=request.user,
                    agreement=agreement,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Document added."))
                return redirect("agreement_detail", slug=agreement.slug)
    return render(
        request,
        "registry/agreement_detail.html",
        {
            "agreement": agreement,
            "can_edit": can_edit,
            "document_form": form,
            "documents": agreement.documents.order_by("-uploaded_at")
            if permissions.party_agreements(request.user).filter(pk=agreement.pk).exists()
            else None,
        },
    )


@login_required
def agreement_document(request: AuthenticatedRequest, slug: str, document_id: int) -> FileResponse:
    """Agreement documents are served only to the parties, even when the agreement is public."""
    agreement = get_object_or_404(permissions.party_agreements(request.user), slug=slug)
    document = get_object_or_404(AgreementDocument, pk=document_id, agreement=agreement)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=Path(document.file.name or "").name
    )


@login_required
def agreement_form(request: AuthenticatedRequest, slug: str | None = None) -> HttpResponse:
    agencies = core_permissions.staff_agencies(request.user)
    agreement = None
    if slug:
        agreement = get_object_or_404(selectors.agreement_list(user=request.user), slug=slug)
        if not permissions.can_edit_agreement(request.user, agreement):
            raise DjangoPermissionDenied
    elif not agencies.exists():
        raise DjangoPermissionDenied
    form = AgreementForm(request.POST or None, instance=agreement, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if agreement is None:
                owner = data.pop("owner")
                agreement = services.agreement_create(actor=request.user, owner=owner, data=data)
            else:
                agreement.refresh_from_db()
                agreement = services.agreement_update(
                    actor=request.user, agreement=agreement, data=data
                )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("agreement_detail", slug=agreement.slug)
    title = _("Edit agreement") if slug else _("New cooperation agreement")
    return render(request, "registry/form.html", {"form": form, "title": title})


@login_required
def import_view(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_create_organisation(request.user):
        raise DjangoPermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = importers.importer_for(form.cleaned_data["kind"], actor=request.user)
        report = importer.run(upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
    return render(
        request, "registry/import.html", {"form": form, "report": report, "kinds": importers.KINDS}
    )


def import_template(request: HtmxRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in importers.KINDS or fmt not in EXPORT_TYPES:
        raise Http404
    content = importers.importer_for(kind, actor=request.user).template(fmt)
    return _download(content, fmt, f"atclusters-{kind}-template.{fmt}")


def export(request: HtmxRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in importers.KINDS or fmt not in EXPORT_TYPES:
        raise Http404
    content = importers.importer_for(kind, actor=request.user).export(fmt)
    return _download(content, fmt, f"atclusters-{kind}.{fmt}")


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
