"""Pages of EU funding (docs/funding.md): the calls and one call, entering and importing calls,
the deadline calendar (.ics), the calls ranked for a cluster with its EU track record, a
region's track record, call feeds, CORDIS import and the review of uncertain links, and the
proposal pipeline (a proposal's consortium, its rules, the partners proposed, its stages)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import documents, icalendar
from atclusters.core.errors import DomainError
from atclusters.core.forms import DocumentForm, add_error
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.models import NutsRegion
from atclusters.core.permissions import staff_agencies
from atclusters.core.pickers import pickers_bind
from atclusters.funding import calldates, forms, permissions, pipeline, selectors, services
from atclusters.funding.models import (
    Call,
    Participation,
    Proposal,
    ProposalDocumentVersion,
    ProposalInvitation,
    ProposalTask,
)
from atclusters.registry import permissions as registry_permissions


def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    programme = request.GET.get("programme", "")
    query = request.GET.get("q", "")[:200]
    closed = request.GET.get("closed") == "1"
    chosen = selectors.calls(programme=programme, query=query, include_closed=closed, now=now)
    rows = [
        (call, selectors.call_status(call, now), selectors.next_deadline(call, now))
        for call in chosen[:500]
    ]
    managed = (
        request.user.managed_clusters.order_by("name") if request.user.is_authenticated else []
    )
    return render(
        request,
        "funding/call_list.html",
        {
            "rows": rows,
            "programmes": selectors.programmes(),
            "programme": programme,
            "query": query,
            "closed": closed,
            "can_edit": permissions.can_edit_calls(request.user),
            "managed": managed,
        },
    )


def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.prefetch_related("terms"), pk=call_id)
    now = timezone.now()
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "status": selectors.call_status(call, now),
            "stages": calldates.stages(call.deadline_moments()),
            "brussels": calldates.BRUSSELS,
            "can_edit": permissions.can_edit_calls(request.user),
            "can_propose": permissions.proposal_clusters(request.user).exists(),
        },
    )


@login_required
def call_edit(request: AuthenticatedRequest, call_id: int | None = None) -> HttpResponse:
    if not permissions.can_edit_calls(request.user):
        raise DjangoPermissionDenied
    call = get_object_or_404(Call, pk=call_id) if call_id else None
    initial = forms.CallForm.initial_of(call) if call else {}
    form = forms.CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if call and form.cleaned_data["identifier"] != call.identifier:
                raise DomainError("identifier", _("the identifier of a call does not change"))
            _outcome, saved = services.call_save(actor=request.user, data=form.data_of())
        except DomainError as error:
            add_error(form, error, renamed={"opens_at": "opening_date"})
        else:
            messages.success(request, _("Call saved."))
            return redirect("funding_call", saved.pk)
    return render(request, "funding/call_form.html", {"form": form, "call": call})


@login_required
def call_import(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_calls(request.user):
        raise DjangoPermissionDenied
    form = forms.CallImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.calls_import(
            actor=request.user, content=upload.read(), filename=upload.name,
            dry_run=form.cleaned_data["dry_run"], source="web",
        )  # fmt: skip
    return render(request, "funding/call_import.html", {"form": form, "report": report})


def _deadline_events(request: HttpRequest, rows) -> list[icalendar.Event]:
    host = request.get_host().split(":")[0]
    events = []
    for call, stage, deadline in rows:
        label = (
            _("Deadline") if len(call.deadlines) == 1 else _("Deadline, stage %(n)s") % {"n": stage}
        )
        events.append(
            icalendar.Event(
                uid=f"call-{call.pk}-{stage}@{host}",
                start=deadline - timedelta(hours=1),
                end=deadline,
                summary=f"{label}: {call.identifier}",
                description=call.title,
                url=request.build_absolute_uri(reverse("funding_call", args=[call.pk])),
            )
        )
    return events


def calendar(request: HttpRequest) -> HttpResponse:
    """The deadlines to come of the open calls, or of a cluster's ranked calls (`cluster`)."""
    now = timezone.now()
    name = _("EU call deadlines")
    if slug := request.GET.get("cluster"):
        cluster = registry_permissions.visible_clusters(request.user).filter(slug=slug).first()
        if cluster is None:
            raise Http404
        ranked = [ranked.call for ranked in selectors.ranked_calls(cluster, top=20, now=now)]
        rows = selectors.deadlines_to_come(ranked, now)
        name = f"{name}: {cluster.name}"
    else:
        rows = selectors.deadlines_to_come(selectors.open_calls(now), now)
    text = icalendar.calendar(_deadline_events(request, rows), name=name, stamp=now)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="eu-deadlines.ics"'
    return response


def cluster_calls(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = get_object_or_404(registry_permissions.visible_clusters(request.user), slug=slug)
    now = timezone.now()
    return render(
        request,
        "funding/cluster.html",
        {
            "cluster": cluster,
            "ranked": selectors.ranked_calls(cluster, top=10, now=now),
            "figures": selectors.cluster_track_record(cluster),
            "projects": selectors.cluster_projects(cluster)[:100],
            "now": now,
        },
    )


def region(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(NutsRegion, code=code.upper())
    return render(
        request,
        "funding/region.html",
        {"region": place, "figures": selectors.region_track_record(place.code)},
    )


@login_required
def feeds(request: AuthenticatedRequest) -> HttpResponse:
    agencies = staff_agencies(request.user)
    if not agencies.exists():
        raise DjangoPermissionDenied
    form = forms.FeedForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.feed_save(
                actor=request.user, agency=form.cleaned_data["agency"],
                name=form.cleaned_data["name"], url=form.cleaned_data["url"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Feed added: it is read every day."))
            return redirect("funding_feeds")
    return render(
        request,
        "funding/feeds.html",
        {"form": form, "feeds": permissions.visible_feeds(request.user)},
    )


@login_required
@require_POST
def feed_run(request: AuthenticatedRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(permissions.visible_feeds(request.user), pk=feed_id)
    report = services.feed_run(actor=request.user, feed=feed)
    if report.ok:
        messages.success(request, feed.last_result)
    else:
        messages.error(request, feed.last_result)
    return redirect("funding_feeds")


@login_required
def cordis_import(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_import_projects(request.user):
        raise DjangoPermissionDenied
    form = forms.CordisImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        projects, participants = form.cleaned_data["projects"], form.cleaned_data["participants"]
        result = services.cordis_import(
            actor=request.user, projects=projects.read(), projects_name=projects.name,
            participants=participants.read(), participants_name=participants.name,
            dry_run=form.cleaned_data["dry_run"], source="web",
        )  # fmt: skip
    return render(request, "funding/cordis_import.html", {"form": form, "result": result})


@login_required
def review(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_review_links(request.user):
        raise DjangoPermissionDenied
    return render(
        request, "funding/review.html", {"participations": selectors.review_queue()[:200]}
    )


@login_required
@require_POST
def review_decide(request: AuthenticatedRequest, participation_id: int) -> HttpResponse:
    if not permissions.can_review_links(request.user):
        raise DjangoPermissionDenied
    participation = get_object_or_404(Participation, pk=participation_id)
    try:
        services.participation_review(
            actor=request.user, participation=participation,
            confirm=request.POST.get("decision") == "confirm",
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("funding_review")


@login_required
def proposals(request: AuthenticatedRequest) -> HttpResponse:
    """The user's proposals, and the pipeline's statistics by programme (aggregates only)."""
    return render(
        request,
        "funding/proposals.html",
        {
            "proposals": permissions.visible_proposals(request.user).order_by("-created_at"),
            "statistics": selectors.statistics_by_programme(),
            "min_group": settings.CONFIDENTIALITY_MIN_GROUP,
            "min_clusters": settings.FUNDING_MIN_CLUSTERS,
        },
    )


@login_required
def proposal_create(request: AuthenticatedRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=call_id)
    clusters = permissions.proposal_clusters(request.user)
    if not clusters.exists():
        raise DjangoPermissionDenied
    form = forms.ProposalForm(
        request.POST or None, clusters=clusters, initial={"title": call.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, call=call, cluster=form.cleaned_data["cluster"],
                title=form.cleaned_data["title"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            return redirect("funding_proposal", proposal.pk)
    return render(request, "funding/proposal_form.html", {"form": form, "call": call})


def _proposal(request: AuthenticatedRequest, proposal_id: int) -> Proposal:
    return get_object_or_404(permissions.visible_proposals(request.user), pk=proposal_id)


@login_required
def proposal_detail(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    editable = permissions.can_edit_proposal(request.user, proposal)
    rules = selectors.consortium_check(proposal)
    open_stage = proposal.stage not in pipeline.CLOSED
    return render(
        request,
        "funding/proposal_detail.html",
        {
            "proposal": proposal,
            "partners": proposal.partners.select_related("organisation"),
            "rules": [(rule, selectors.rule_text(rule)) for rule in rules],
            "eligible": pipeline.eligible(rules),
            "editable": editable and open_stage,
            "can_move": editable,
            "moves": [
                (s, label)
                for s, label in Proposal.Stage.choices
                if pipeline.can_move(proposal.stage, s)
            ],
            "suggestions": selectors.partner_suggestions(proposal)
            if editable and open_stage
            else [],
            "partner_form": forms.PartnerForm(),
            "move_form": forms.MoveForm(),
            "documents": proposal.documents.prefetch_related("versions__uploaded_by"),
            "can_contribute": permissions.can_contribute(request.user, proposal),
            "document_form": DocumentForm(documents=proposal.documents.all()),
            "tasks": proposal.tasks.select_related("owner"),
            "task_form": forms.TaskForm(people=selectors.proposal_people(proposal)),
            "invitations": proposal.invitations.select_related("organisation"),
            "invitation_form": forms.InvitationForm(),
            "answerable": [
                invitation
                for invitation in proposal.invitations.filter(status="pending")
                if permissions.can_answer_invitation(request.user, invitation)
            ]
            if open_stage
            else [],
        },
    )


@login_required
@require_POST
def proposal_partner_add(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.PartnerForm(request.POST)
    pickers_bind(form, request)
    if not form.is_valid():
        _error_message(request, form)
        return redirect("funding_proposal", proposal.pk)
    values = form.cleaned_data
    organisation = None
    if values["organisation"]:
        # the picker accepted only an organisation this user may see
        organisation = registry_permissions.visible_organisations(request.user).get(
            slug=values["organisation"]
        )
    try:
        services.partner_add(
            actor=request.user, proposal=proposal, role=values["role"],
            organisation=organisation, name=values["name"], pic=values["pic"],
            vat_number=values["vat_number"], country=values["country"], budget_eur=values["budget_eur"],
            eu_contribution_eur=values["eu_contribution_eur"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, f"{error.field}: {error.message}")
    else:
        messages.success(request, _("Partner added."))
    return redirect("funding_proposal", proposal.pk)


@login_required
@require_POST
def proposal_partner_remove(
    request: AuthenticatedRequest, proposal_id: int, partner_id: int
) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    partner = get_object_or_404(proposal.partners, pk=partner_id)
    try:
        services.partner_remove(actor=request.user, partner=partner)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("funding_proposal", proposal.pk)


@login_required
@require_POST
def proposal_move(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_move(
                actor=request.user, proposal=proposal, stage=form.cleaned_data["stage"],
                score=form.cleaned_data["score"], feedback=form.cleaned_data["feedback"],
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Stage changed."))
    return redirect("funding_proposal", proposal.pk)


def _error_message(request: AuthenticatedRequest, form) -> None:
    """The form's first error on each field, named by the field's label as the reader sees it."""
    messages.error(
        request,
        "; ".join(
            f"{form[k].label}: {v[0]}" if k in form.fields else v[0] for k, v in form.errors.items()
        ),
    )


@login_required
@require_POST
def proposal_document_upload(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = DocumentForm(request.POST, request.FILES, documents=proposal.documents.all())
    if not form.is_valid():
        _error_message(request, form)
        return redirect("funding_proposal", proposal.pk)
    data = form.cleaned_data
    try:
        services.proposal_document_upload(
            actor=request.user, proposal=proposal, upload=data["file"], title=data["title"],
            document=form.documents.get(data["document"]), note=data["note"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Document uploaded."))
    return redirect("funding_proposal", proposal.pk)


@login_required
def proposal_document_download(request: AuthenticatedRequest, version_id: int) -> FileResponse:
    """A version of a proposal's document, to those who see the proposal."""
    return documents.version_download(
        ProposalDocumentVersion.objects.filter(
            document__proposal__in=permissions.visible_proposals(request.user)
        ),
        version_id,
    )


@login_required
@require_POST
def proposal_task_add(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.TaskForm(request.POST, people=selectors.proposal_people(proposal))
    if not form.is_valid():
        _error_message(request, form)
        return redirect("funding_proposal", proposal.pk)
    try:
        services.task_add(
            actor=request.user, proposal=proposal, title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"], owner=form.cleaned_data["owner"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Task added."))
    return redirect("funding_proposal", proposal.pk)


@login_required
@require_POST
def proposal_task_done(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        ProposalTask.objects.filter(proposal__in=permissions.visible_proposals(request.user)),
        pk=task_id,
    )
    services.task_done(actor=request.user, task=task, done=request.POST.get("done") != "0")
    return redirect("funding_proposal", task.proposal_id)


@login_required
@require_POST
def proposal_invite(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise DjangoPermissionDenied
    form = forms.InvitationForm(request.POST)
    pickers_bind(form, request)
    if not form.is_valid():
        _error_message(request, form)
        return redirect("funding_proposal", proposal.pk)
    data = form.cleaned_data
    organisation = registry_permissions.visible_organisations(request.user).get(
        slug=data["organisation"]
    )
    try:
        services.invitation_send(
            actor=request.user, proposal=proposal, organisation=organisation, role=data["role"],
            message=data["message"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation sent."))
    return redirect("funding_proposal", proposal.pk)


@login_required
@require_POST
def proposal_invitation_answer(request: AuthenticatedRequest, invitation_id: int) -> HttpResponse:
    """The invited organisation's representative accepts or declines."""
    invitation = get_object_or_404(
        ProposalInvitation.objects.filter(
            proposal__in=permissions.visible_proposals(request.user)
        ).select_related("proposal", "organisation"),
        pk=invitation_id,
    )
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        _error_message(request, form)
        return redirect("funding_proposal", invitation.proposal_id)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.invitation_answer(actor=request.user, invitation=invitation, accept=accept)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Invitation accepted: you are a partner.") if accept else _("Invitation declined."),
        )
    if (
        accept
        or permissions.visible_proposals(request.user).filter(pk=invitation.proposal_id).exists()
    ):
        return redirect("funding_proposal", invitation.proposal_id)
    return redirect("funding_proposals")
