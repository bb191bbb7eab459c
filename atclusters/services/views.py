"""Pages of the services portfolio and the benefit programmes: thin, through services and
selectors."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import tables
from atclusters.core.forms import add_error
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.permissions import PermissionDenied
from atclusters.core.templatetags import charts
from atclusters.registry.models import ClusterOrganisation
from atclusters.services import eligibility, importers, permissions, selectors, services
from atclusters.services.forms import CategoryForm, ImportForm, ProgrammeForm, ServiceForm
from atclusters.services.models import Programme, Service, ServiceCategory
from atclusters.stateaid import services as aid_services

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def catalogue(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "")[:100] for key in ("category", "provider", "language")}
    page = Paginator(
        selectors.catalogue(
            provider=filters["provider"], category=filters["category"], language=filters["language"]
        ),
        50,
    ).get_page(request.GET.get("page"))
    found = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/catalogue.html",
        {
            "services": found,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "categories": ServiceCategory.objects.all(),
            "providers": selectors.catalogue_providers(),
            "language_choices": settings.LANGUAGES,
            "provider_staff": request.user.is_authenticated
            and permissions.is_provider_staff(request.user),
            "json_ld": selectors.catalogue_json_ld(
                services=found, base_url=request.build_absolute_uri("/").rstrip("/")
            ),
        },
    )


def _represented(request: HttpRequest) -> list:
    """The organisations the signed-in user represents (none for a visitor)."""
    return list(permissions.represented(request.user)) if request.user.is_authenticated else []


def _chosen_organisation(request: HttpRequest, organisations: list):
    """The organisation named by the form, only among those the user represents."""
    chosen = request.POST.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == chosen), None)
    if organisation is None:
        raise DjangoPermissionDenied
    return organisation


def detail(request: HttpRequest, service_slug: str) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.select_related("agency", "cluster", "category"),
        slug=service_slug,
        is_active=True,
    )
    organisations = _represented(request)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation = _chosen_organisation(request, organisations)
        try:
            services.request_create(
                actor=request.user,
                service=service,
                organisation=organisation,
                units=request.POST.get("units", "1"),
                message=request.POST.get("message", ""),
            )
        except services.ServiceError as error:
            messages.error(request, f"{error.field}: {error}")
            return redirect("service_detail", service_slug=service.slug)
        messages.success(request, _("Your request was sent to the provider."))
        return redirect("service_my_requests")
    checks = {
        organisation.pk: selectors.eligibility_of(service, organisation)
        for organisation in organisations
    }
    return render(
        request,
        "services/detail.html",
        {
            "service": service,
            "rules": selectors.rules_of(service),
            "can_edit": permissions.can_manage_service(request.user, service),
            "organisations": [
                (
                    organisation,
                    checks[organisation.pk],
                    eligibility.eligible(checks[organisation.pk]),
                )
                for organisation in organisations
            ],
            "json_ld": selectors.catalogue_json_ld(
                services=[service], base_url=request.build_absolute_uri("/").rstrip("/")
            ),
        },
    )


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "services/queue.html",
        {
            "requests": selectors.provider_queue(user=request.user)[:500],
            "claims": selectors.claims_queue(user=request.user)[:500],
            "today": timezone.localdate(),
        },
    )


@login_required
def my_requests(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "services/my_requests.html",
        {
            "requests": selectors.my_requests(user=request.user)[:500],
            "claims": selectors.my_claims(user=request.user)[:500],
        },
    )


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "service")
    return by if by in selectors.UPTAKE_LEVELS else "service"


@login_required
def uptake(request: AuthenticatedRequest) -> HttpResponse:
    by = _by(request)
    rows = selectors.uptake(user=request.user, by=by)
    data = selectors.uptake_charts_data(rows, by)
    level = {"service": _("service"), "provider": _("provider"), "cluster": _("cluster")}[by]
    return render(
        request,
        "services/uptake.html",
        {
            "rows": rows,
            "by": by,
            "levels": selectors.UPTAKE_LEVELS,
            "charts": data,
            "deliveries_chart": charts.line_chart(
                data["deliveries"],
                _("deliveries"),
                _("Services delivered per year, by %(level)s") % {"level": level},
            ),
            "ratings_chart": charts.line_chart(
                data["ratings"],
                _("mean rating (1–5)"),
                _("Mean rating per year (1 to 5), by %(level)s") % {"level": level},
            ),
            "aid_chart": charts.bar_chart(
                data["aid"],
                _("De minimis aid in %(year)s (EUR), by %(level)s")
                % {"year": data["latest"], "level": level},
            ),
        },
    )


@login_required
def uptake_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    by = _by(request)
    columns, rows = selectors.uptake_export(user=request.user, by=by)
    response = HttpResponse(tables.write_table(columns, rows, fmt), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="service-uptake-{by}.{fmt}"'
    return response


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise services.ServiceError("date", _("is not a date (YYYY-MM-DD)")) from error


@login_required
@require_POST
def request_action(request: AuthenticatedRequest, request_id: int, action: str) -> HttpResponse:
    """accept, decline, deliver (the provider) or rate (the member)."""
    found = permissions.visible_requests(request.user).filter(pk=request_id).first()
    if found is None or action not in {"accept", "decline", "deliver", "rate"}:
        raise Http404
    data = request.POST
    back = "service_my_requests" if action == "rate" else "service_queue"
    try:
        if action in ("accept", "decline"):
            services.request_decide(
                actor=request.user, request=found, accept=action == "accept",
                reason=data.get("reason", ""),
            )  # fmt: skip
        elif action == "deliver":
            delivery = services.request_deliver(
                actor=request.user, request=found, delivered_on=_day(data.get("date", "")),
                units=data.get("units", ""), hours=data.get("hours") or None,
                outcome=data.get("outcome", ""), subsidised=data.get("subsidised") != "no",
            )  # fmt: skip
            if delivery.grant:
                messages.success(
                    request,
                    _("Delivered. De minimis aid of EUR %(aid)s recorded as %(reference)s.")
                    % {"aid": delivery.aid_eur, "reference": delivery.grant.reference},
                )
        else:
            services.request_rate(
                actor=request.user, request=found, rating=data.get("rating", ""),
                comment=data.get("comment", ""),
            )  # fmt: skip
    except PermissionDenied as error:
        raise DjangoPermissionDenied from error
    except aid_services.AidRefused as refused:
        messages.error(request, _("Not delivered: %s") % refused)
    except services.ServiceError as error:
        messages.error(request, f"{error.field}: {error}")
    return redirect(back)


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/programmes.html",
        {"programmes": selectors.open_programmes(on=timezone.localdate())},
    )


def programme_detail(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("agency"), slug=programme_slug)
    organisations = _represented(request)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation = _chosen_organisation(request, organisations)
        try:
            services.claim_submit(
                actor=request.user,
                programme=programme,
                organisation=organisation,
                costs_eur=request.POST.get("costs_eur", ""),
                description=request.POST.get("description", ""),
                documents=request.POST.getlist("documents"),
            )
        except services.ServiceError as error:
            messages.error(request, f"{error.field}: {error}")
            return redirect("programme_detail", programme_slug=programme.slug)
        messages.success(request, _("Your claim was submitted."))
        return redirect("service_my_requests")
    context: dict[str, Any] = {
        "programme": programme,
        "rules": selectors.rules_of(programme),
        "can_edit": permissions.can_manage_programme(request.user, programme),
        "organisations": organisations,
        "clusters": ClusterOrganisation.objects.filter(
            pk__in=programme.eligible_clusters.values("pk")
        ),
        "left": eligibility.budget_left(
            budget=programme.budget_eur, committed=selectors.committed(programme)
        ),
    }
    return render(request, "services/programme_detail.html", context)


@login_required
@require_POST
def claim_action(request: AuthenticatedRequest, claim_id: int, action: str) -> HttpResponse:
    """check, approve, reject or pay (the programme's staff)."""
    found = permissions.visible_claims(request.user).filter(pk=claim_id).first()
    if found is None or action not in {"check", "approve", "reject", "pay"}:
        raise Http404
    try:
        if action == "check":
            services.claim_check(actor=request.user, claim=found)
        elif action == "pay":
            services.claim_pay(
                actor=request.user, claim=found, paid_on=_day(request.POST.get("date", ""))
            )
        else:
            services.claim_decide(
                actor=request.user, claim=found, approve=action == "approve",
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
    except PermissionDenied as error:
        raise DjangoPermissionDenied from error
    except aid_services.AidRefused as refused:
        messages.error(request, _("Not approved: %s") % refused)
    except services.ServiceError as error:
        messages.error(request, f"{error.field}: {error}")
    return redirect("service_queue")


# Provider staff: the catalogue's import, and editing services, categories and programmes.


def _require_provider_staff(request: AuthenticatedRequest) -> None:
    if not permissions.is_provider_staff(request.user):
        raise DjangoPermissionDenied


@login_required
def manage(request: AuthenticatedRequest) -> HttpResponse:
    _require_provider_staff(request)
    return render(
        request,
        "services/manage.html",
        {
            "services": permissions.manageable_services(request.user)
            .select_related("agency", "cluster", "category")
            .order_by("name_en")[:1000],
            "programmes": permissions.manageable_programmes(request.user).select_related("agency"),
            # Categories and programmes are the agency's staff's (and the admin's).
            "agency_staff": permissions.can_edit_categories(request.user),
        },
    )


def _service_form_page(request: AuthenticatedRequest, service: Service | None) -> HttpResponse:
    form = ServiceForm(request.POST or None, user=request.user, service=service)
    if request.method == "POST" and form.is_valid():
        agency, cluster = form.provider_of()
        try:
            services.service_save(
                actor=request.user,
                slug=service.slug if service else form.cleaned_data["slug"],
                agency=agency,
                cluster=cluster,
                category=form.cleaned_data["category"],
                values=form.values(),
                eligible_clusters=list(form.cleaned_data["eligible_clusters"]),
            )
        except services.ServiceError as error:
            add_error(form, error, renamed={"cluster": "provider"})
        except PermissionDenied as error:
            raise DjangoPermissionDenied from error
        else:
            messages.success(request, _("The service was saved."))
            return redirect("service_manage")
    title = _("Edit the service") if service else _("New service")
    return render(request, "services/form.html", {"form": form, "title": title})


@login_required
def service_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_provider_staff(request)
    return _service_form_page(request, None)


@login_required
def service_edit(request: AuthenticatedRequest, service_slug: str) -> HttpResponse:
    service = get_object_or_404(Service, slug=service_slug)
    if not permissions.can_manage_service(request.user, service):
        raise DjangoPermissionDenied
    return _service_form_page(request, service)


@login_required
def categories(request: AuthenticatedRequest) -> HttpResponse:
    """The editable list of categories: a form for a new one, or for the one `?edit=` names."""
    if not permissions.can_edit_categories(request.user):
        raise DjangoPermissionDenied
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(ServiceCategory, slug=request.GET["edit"])
    form = CategoryForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                actor=request.user,
                slug=editing.slug if editing else form.cleaned_data["slug"],
                names=form.names(),
            )
        except services.ServiceError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("service_categories")
    return render(
        request,
        "services/categories.html",
        {"form": form, "editing": editing, "categories": selectors.categories_with_counts()},
    )


def _programme_form_page(
    request: AuthenticatedRequest, programme: Programme | None
) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(
                actor=request.user,
                slug=programme.slug if programme else form.cleaned_data["slug"],
                agency=form.cleaned_data["agency"],
                values=form.values(),
                eligible_clusters=list(form.cleaned_data["eligible_clusters"]),
            )
        except services.ServiceError as error:
            add_error(form, error)
        except PermissionDenied as error:
            raise DjangoPermissionDenied from error
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programme_detail", programme_slug=saved.slug)
    title = _("Edit the programme") if programme else _("New benefit programme")
    return render(request, "services/form.html", {"form": form, "title": title})


@login_required
def programme_new(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_categories(request.user):  # agency staff or the admin
        raise DjangoPermissionDenied
    return _programme_form_page(request, None)


@login_required
def programme_edit(request: AuthenticatedRequest, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=programme_slug)
    if not permissions.can_manage_programme(request.user, programme):
        raise DjangoPermissionDenied
    return _programme_form_page(request, programme)


@login_required
def catalogue_import(request: AuthenticatedRequest) -> HttpResponse:
    _require_provider_staff(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = importers.ServiceImporter(
            actor=request.user, provider=form.cleaned_data["provider"]
        )
        report = importer.run(upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
    return render(request, "services/import.html", {"form": form, "report": report})


@login_required
def catalogue_file(request: AuthenticatedRequest, what: str, fmt: str) -> HttpResponse:
    """The import template, or the services the user manages in the import's columns."""
    _require_provider_staff(request)
    if fmt not in EXPORT_TYPES or what not in ("template", "export"):
        raise Http404
    importer = importers.ServiceImporter(actor=request.user)
    content = importer.template(fmt) if what == "template" else importer.export(fmt)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="services-{what}.{fmt}"'
    return response
