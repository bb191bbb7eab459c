"""Pages of benchmarking: rounds (open, answer with autosave or the Excel template, review),
peer comparison with hand-picked groups, a cluster's history and characterization report, and
the comparison of the agencies' cluster policies."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.benchmarking import documents, reports, selectors, services
from atclusters.benchmarking.forms import (
    PeerSetForm,
    PolicyForm,
    ProgrammeFormSet,
    RoundForm,
    UploadForm,
)
from atclusters.benchmarking.frameworks import text_in
from atclusters.benchmarking.models import ClusterPolicy, Framework, Submission
from atclusters.core.errors import InvalidFields
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.models import Agency
from atclusters.core.permissions import (
    PermissionDenied,
    is_platform_admin,
    staff_agencies,
    staff_agency_ids,
)
from atclusters.registry.models import ClusterOrganisation
from atclusters.registry.permissions import can_edit_cluster, managed_cluster_ids, visible_clusters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _submission(request: AuthenticatedRequest, submission_id: int) -> Submission:
    """A submission of a cluster the reader may see (404 otherwise, like one that does not
    exist; docs/permissions.md) and edit (403 otherwise)."""
    submission = get_object_or_404(
        Submission.objects.select_related(
            "round", "round__framework", "round__agency", "cluster"
        ).filter(cluster__in=visible_clusters(request.user)),
        pk=submission_id,
    )
    if not can_edit_cluster(request.user, submission.cluster):
        raise DjangoPermissionDenied
    return submission


def _is_reviewer(request: AuthenticatedRequest, submission: Submission) -> bool:
    return is_platform_admin(request.user) or submission.round.agency_id in staff_agency_ids(
        request.user
    )


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    agencies = staff_agencies(request.user)
    managed = managed_cluster_ids(request.user)
    return render(
        request,
        "benchmarking/index.html",
        {
            "rounds": selectors.rounds_of(agencies=list(agencies)),
            "may_open": agencies.exists(),
            "my_submissions": Submission.objects.filter(cluster__in=managed)
            .select_related("round", "cluster")
            .order_by("-round__year", "cluster__name"),
            "managed": ClusterOrganisation.objects.filter(pk__in=managed).order_by("name"),
        },
    )


@login_required
def round_open(request: AuthenticatedRequest) -> HttpResponse:
    agencies = staff_agencies(request.user)
    if not agencies.exists():
        raise DjangoPermissionDenied
    form = RoundForm(
        request.POST or None,
        agencies=agencies,
        initial={"year": timezone.localdate().year - 1, "agency": agencies.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                actor=request.user,
                agency=data["agency"],
                framework=data["framework"],
                year=data["year"],
                title=data["title"],
                deadline=data["deadline"],
                clusters=list(data["clusters"]),
            )
        except InvalidFields as error:
            form.add_error("clusters", error.errors.get("clusters", str(error)))
        except PermissionDenied:
            form.add_error("agency", _("You are not staff of this agency."))
        else:
            messages.success(request, _("The round is open; its clusters can answer now."))
            return redirect("benchmarking_round", round_.pk)
    return render(request, "benchmarking/round_open.html", {"form": form})


@login_required
def round_detail(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(
        selectors.rounds_of(agencies=list(staff_agencies(request.user))), pk=round_id
    )
    submissions = list(round_.submissions.select_related("cluster"))
    required = selectors.required_codes(round_.framework)
    return render(
        request,
        "benchmarking/round.html",
        {
            "round": round_,
            "rows": [
                (submission, selectors.progress(submission, required)) for submission in submissions
            ],
        },
    )


def _fields(
    submission: Submission, language: str, errors: dict[str, str], only: str | None = None
) -> list[dict]:
    """The form's fields (or the one field `only`); the platform's figures are read only when a
    field shown is computed from one."""
    indicators = submission.round.framework.indicators.all()
    if only is not None:
        indicators = indicators.filter(code=only)
    computed = (
        selectors.computed_indicators(cluster=submission.cluster, year=submission.round.year)
        if any(indicator.computed for indicator in indicators)
        else {}
    )
    fields = []
    for indicator in indicators:
        formula = computed.get(indicator.computed) if indicator.computed else None
        fields.append(
            {
                "indicator": indicator,
                "code": indicator.code,
                "label": text_in(indicator.label, language),
                "help": text_in(indicator.help, language),
                "value": submission.values.get(indicator.code),
                "computed": submission.computed.get(indicator.code),
                "has_computed": indicator.code in submission.computed,
                "formula": formula.formula if formula else "",
                "reason": submission.reasons.get(indicator.code, ""),
                "error": errors.get(indicator.code, ""),
            }
        )
    return fields


def _by_area(submission: Submission, fields: list[dict], language: str) -> list:
    areas = submission.round.framework.areas
    grouped: dict[str, list[dict]] = {}
    for field in fields:
        grouped.setdefault(field["indicator"].area, []).append(field)
    return [(text_in(areas[area], language), rows) for area, rows in grouped.items()]


def _submission_page(
    request: AuthenticatedRequest,
    submission: Submission,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    fields = _fields(submission, request.LANGUAGE_CODE, errors)
    framework = submission.round.framework
    required = selectors.required_codes(framework)
    return render(
        request,
        "benchmarking/submission.html",
        {
            "submission": submission,
            "gold_share": (framework.label_rules.get("gold") or {}).get(
                "min_share_meeting_thresholds"
            )
            if framework.kind == Framework.Kind.GOLD_ASSESSMENT
            else None,
            "areas": _by_area(submission, fields, request.LANGUAGE_CODE),
            "progress": selectors.progress(submission, required),
            "editable": submission.status in services.EDITABLE,
            "reviewer": _is_reviewer(request, submission),
            "errors": {code: reason for code, reason in errors.items() if code not in required},
            "has_errors": bool(errors),
            "history": selectors.cluster_history(cluster=submission.cluster),
        },
        status=status,
    )


def _posted_answers(request: AuthenticatedRequest, codes: list[str]) -> tuple[dict, dict]:
    answers = {
        code: request.POST[f"value-{code}"] for code in codes if f"value-{code}" in request.POST
    }
    reasons = {
        code: request.POST[f"reason-{code}"] for code in codes if f"reason-{code}" in request.POST
    }
    for code in codes:  # an unticked yes/no box is not posted: its hidden twin says "no"
        if f"bool-{code}" in request.POST and f"value-{code}" not in request.POST:
            answers[code] = request.POST[f"bool-{code}"]
    return answers, reasons


@login_required
def submission_detail(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    """The answer form: saved as a whole (without JavaScript) or field by field (autosave)."""
    submission = _submission(request, submission_id)
    if request.method != "POST":
        return _submission_page(request, submission)
    codes = list(submission.round.framework.indicators.values_list("code", flat=True))
    answers, reasons = _posted_answers(request, codes)
    try:
        services.submission_save(
            actor=request.user, submission=submission, answers=answers, reasons=reasons
        )
    except InvalidFields as error:
        submission.refresh_from_db()
        return _submission_page(request, submission, error.errors, status=400)
    if "submit" in request.POST:
        return submission_submit(request, submission_id)
    messages.success(request, _("Saved."))
    return redirect("benchmarking_submission", submission.pk)


@login_required
@require_POST
def submission_field(request: AuthenticatedRequest, submission_id: int, code: str) -> HttpResponse:
    """Autosave of one answer (htmx): the field again, with its error if it was not saved, and
    the progress."""
    submission = _submission(request, submission_id)
    if not submission.round.framework.indicators.filter(code=code).exists():
        raise Http404
    answers, reasons = _posted_answers(request, [code])
    error = ""
    try:
        services.submission_save(
            actor=request.user, submission=submission, answers=answers, reasons=reasons
        )
    except InvalidFields as invalid:
        error = invalid.errors.get(code) or str(invalid)
        submission.refresh_from_db()
    field = _fields(submission, request.LANGUAGE_CODE, {code: error}, only=code)[0]
    if error:  # show what was typed, not the stored answer
        field["value"] = answers.get(code, field["value"])
        field["reason"] = reasons.get(code, field["reason"])
    required = selectors.required_codes(submission.round.framework)
    return render(
        request,
        "benchmarking/submission.html#field",
        {
            "field": field,
            "submission": submission,
            "editable": True,
            "progress": selectors.progress(submission, required),
            "oob": True,
            "saved": not error,
        },
    )


@login_required
@require_POST
def submission_submit(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    try:
        services.submission_submit(actor=request.user, submission=submission)
    except InvalidFields as error:
        return _submission_page(request, submission, error.errors, status=400)
    messages.success(request, _("Sent to the agency for review."))
    return redirect("benchmarking_submission", submission.pk)


@login_required
@require_POST
def submission_review(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    try:
        services.submission_review(
            actor=request.user,
            submission=submission,
            validate=request.POST.get("decision") == "validate",
            comment=request.POST.get("comment", ""),
        )
    except InvalidFields as error:
        messages.error(
            request,
            _("Say what should change.") if "comment" in error.errors else _("Not reviewable now."),
        )
    else:
        messages.success(request, _("Review recorded."))
    return redirect("benchmarking_submission", submission.pk)


@login_required
def submission_template(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    response = HttpResponse(
        documents.submission_template(submission, request.LANGUAGE_CODE), content_type=XLSX
    )
    response["Content-Disposition"] = (
        f'attachment; filename="benchmarking-{submission.round.year}-{submission.cluster.slug}.xlsx"'
    )
    return response


@login_required
@require_POST
def submission_upload(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _submission_page(request, submission, {"file": _("Choose a file.")}, status=400)
    try:
        services.submission_upload(
            actor=request.user, submission=submission, content=form.cleaned_data["file"].read()
        )
    except InvalidFields as error:
        submission.refresh_from_db()
        return _submission_page(request, submission, error.errors, status=400)
    messages.success(request, _("The template's answers are saved."))
    return redirect("benchmarking_submission", submission.pk)


@login_required
def comparison(request: AuthenticatedRequest, submission_id: int) -> HttpResponse:
    """The cluster's answers against its peers: only aggregates of other clusters' answers."""
    submission = _submission(request, submission_id)
    if (
        submission.status != Submission.Status.VALIDATED
        or submission.round.framework.kind != Framework.Kind.BENCHMARKING
    ):
        raise Http404
    groups = selectors.group_names(submission)
    group = request.GET.get("group", "all")
    group = group if group in groups else "all"
    form = PeerSetForm(request.POST or None, cluster=submission.cluster)
    if request.method == "POST" and form.is_valid():
        try:
            peer_set = services.peer_set_save(
                actor=request.user,
                cluster=submission.cluster,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
            )
        except InvalidFields as error:
            for field, reason in error.errors.items():
                form.add_error(field if field in form.fields else None, reason)
        else:
            return redirect(f"{request.path}?group={selectors.PICKED}{peer_set.name}")
    rows = reports.comparison_rows(
        services.peer_comparison_show(actor=request.user, submission=submission, group=group),
        submission,
        request.LANGUAGE_CODE,
    )
    return render(
        request,
        "benchmarking/comparison.html",
        {
            "submission": submission,
            "comparison": rows,
            "groups": [(name, selectors.group_label(name)) for name in groups],
            "group": group,
            "form": form,
            "min_group": selectors.min_group(),
        },
    )


def _report_cluster(request: AuthenticatedRequest, slug: str) -> ClusterOrganisation:
    cluster = get_object_or_404(visible_clusters(request.user), slug=slug)
    if not can_edit_cluster(request.user, cluster):
        raise DjangoPermissionDenied
    return cluster


@login_required
def cluster_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = _report_cluster(request, slug)
    history = selectors.cluster_history(cluster=cluster)
    return render(
        request,
        "benchmarking/history.html",
        {
            "cluster": cluster,
            "history": history,
            "years": sorted({submission.round.year for submission in history}, reverse=True),
            "now_year": timezone.localdate().year - 1,
        },
    )


@login_required
def labels(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """The cluster's readiness for Bronze, Silver and Gold in a year, with the reasons."""
    cluster = _report_cluster(request, slug)
    return render(
        request,
        "benchmarking/labels.html",
        {
            "cluster": cluster,
            "year": year,
            "readiness": selectors.label_readiness(cluster=cluster, year=year),
        },
    )


@login_required
def report(request: AuthenticatedRequest, slug: str, year: int, fmt: str = "html") -> HttpResponse:
    """The cluster characterization report as a page or a PDF, in the reader's language."""
    cluster = _report_cluster(request, slug)
    context = reports.characterization(
        cluster=cluster, year=year, user=request.user, language=request.LANGUAGE_CODE
    )
    if fmt == "pdf":
        response = HttpResponse(
            reports.render_pdf("benchmarking/report.html", context), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{cluster.slug}-{year}.pdf"'
        return response
    return render(request, "benchmarking/report.html", {**context, "base_template": "base.html"})


def _policy_year(request: AuthenticatedRequest) -> int:
    years = selectors.policy_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    return year


@login_required
def policies(request: AuthenticatedRequest, fmt: str = "html") -> HttpResponse:
    """The agencies' cluster policies side by side, with their regions' statistics."""
    year = _policy_year(request)
    context = reports.policy_report(year=year, language=request.LANGUAGE_CODE)
    if fmt == "pdf":
        response = HttpResponse(
            reports.render_pdf("benchmarking/policies_report.html", context),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'inline; filename="cluster-policies-{year}.pdf"'
        return response
    return render(
        request,
        "benchmarking/policies.html",
        {**context, "editable_agencies": list(staff_agencies(request.user))},
    )


def _results_text(results: dict[str, Any]) -> str:
    return "\n".join(
        f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}"
        for name, value in results.items()
    )


@login_required
def policy_edit(request: AuthenticatedRequest, agency_slug: str, year: int) -> HttpResponse:
    # Every signed-in user sees every agency's policy (the comparison page): only its staff edit.
    agency = get_object_or_404(Agency, slug=agency_slug)
    if not staff_agencies(request.user).filter(pk=agency.pk).exists():
        raise DjangoPermissionDenied
    policy = ClusterPolicy.objects.filter(agency=agency, year=year).first()
    programmes = list(policy.programmes.all()) if policy else []
    form = PolicyForm(
        request.POST or None,
        initial={
            "summary": policy.summary if policy else "",
            "clusters_recognised": policy.clusters_recognised if policy else 0,
        },
    )
    formset = ProgrammeFormSet(
        request.POST or None,
        initial=[
            {
                "name": p.name, "instrument": p.instrument, "budget_eur": p.budget_eur,
                "clusters_supported": p.clusters_supported, "legal_basis": p.legal_basis,
                "aid_programme": p.aid_programme, "eligibility": p.eligibility,
                "results": _results_text(p.results),
            }
            for p in programmes
        ],
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [
            {key: value for key, value in item.items() if key != "DELETE"}
            for item in formset.cleaned_data
            if item and not item.get("DELETE")
        ]
        services.policy_save(
            actor=request.user,
            agency=agency,
            year=year,
            summary=form.cleaned_data["summary"],
            clusters_recognised=form.cleaned_data["clusters_recognised"],
            programmes=kept,
        )
        messages.success(request, _("The cluster policy is saved."))
        return redirect(f"{reverse('benchmarking_policies')}?year={year}")
    return render(
        request,
        "benchmarking/policy_edit.html",
        {"agency": agency, "year": year, "form": form, "formset": formset},
    )
