"""REST endpoints of EU funding (docs/funding.md, "API"): calls, saving one (agency staff), the
calls ranked for a cluster with their reasons, the EU track record of a cluster or a region,
proposals with their consortium and its check, and the pipeline's statistics.
Errors are the kernel's (DomainError → 422 naming the field, PermissionDenied → 403)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import FileResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.core import documents
from atclusters.core.api import READ_ERRORS, WRITE_ERRORS, ApiValidationError, Pagination
from atclusters.core.http import ApiRequest
from atclusters.core.models import NutsRegion
from atclusters.core.permissions import is_platform_admin, staff_agency_ids
from atclusters.core.schemas import InputSchema
from atclusters.funding import permissions, selectors, services
from atclusters.funding.models import (
    Call,
    Proposal,
    ProposalDocument,
    ProposalDocumentVersion,
    ProposalInvitation,
    ProposalTask,
)
from atclusters.registry import permissions as registry_permissions

router = Router(tags=["funding"])


class CallOut(Schema):
    id: int
    identifier: str
    call_identifier: str
    programme: str
    title: str
    description: str
    opens_at: datetime | None
    deadline_model: str
    deadlines: list[datetime] = Field(..., description="every stage's or cut-off's, Brussels")
    status: str = Field(..., description="forthcoming, open or closed")
    budget_eur: Decimal | None
    expected_grant_eur: Decimal | None
    expected_grants: int | None
    type_of_action: str
    keywords: list[str]
    eligible_countries: list[str]
    url: str


def call_document(call: Call, now: datetime) -> dict:
    return {
        "id": call.pk, "identifier": call.identifier, "call_identifier": call.call_identifier,
        "programme": call.programme, "title": call.title, "description": call.description,
        "opens_at": call.opens_at, "deadline_model": call.deadline_model,
        "deadlines": call.deadline_moments(), "status": selectors.call_status(call, now),
        "budget_eur": call.budget_eur, "expected_grant_eur": call.expected_grant_eur,
        "expected_grants": call.expected_grants, "type_of_action": call.type_of_action,
        "keywords": call.keywords, "eligible_countries": call.eligible_countries, "url": call.url,
    }  # fmt: skip


@router.get("/funding/calls", response={200: list[CallOut], **READ_ERRORS})
@paginate(Pagination)
def calls(request, programme: str = "", q: str = "", closed: bool = False):
    """Calls still open or forthcoming (all with `closed=true`), soonest deadline first."""
    now = timezone.now()
    chosen = selectors.calls(programme=programme, query=q[:200], include_closed=closed, now=now)
    return [call_document(call, now) for call in chosen]


@router.get("/funding/calls/{call_id}", response={200: CallOut, **READ_ERRORS})
def call(request, call_id: int):
    found = Call.objects.filter(pk=call_id).first()
    if found is None:
        raise HttpError(404, "no such call")
    return call_document(found, timezone.now())


class CallIn(InputSchema):
    identifier: str = Field(..., max_length=120)
    programme: str = Field(..., max_length=100)
    title: str = Field(..., max_length=400)
    deadlines: list[str] = Field(
        ..., description="ISO 8601; a day alone closes at 17:00 Brussels time"
    )
    deadline_model: str = Field("", description="single-stage, two-stage or multiple-cut-off")
    opening_date: str = ""
    call_identifier: str = Field("", max_length=120)
    description: str = Field("", max_length=20000)
    budget_eur: Decimal | None = Field(None, ge=0)
    expected_grant_eur: Decimal | None = Field(None, ge=0)
    expected_grants: int | None = Field(None, ge=0)
    type_of_action: str = Field("", max_length=200)
    keywords: list[str] = []
    eligible_countries: list[str] = []
    url: str = Field("", max_length=500)


@router.post(
    "/funding/calls", response={200: CallOut, 201: CallOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def call_save(request: ApiRequest, payload: CallIn):
    """Creates the call (201) or updates the one with its identifier (200); agency staff."""
    data = services.CallData(
        identifier=payload.identifier,
        programme=payload.programme,
        title=payload.title,
        deadlines=services.deadlines_read(";".join(payload.deadlines)),
        deadline_model=payload.deadline_model,
        opens_at=services.opening_read(payload.opening_date),
        call_identifier=payload.call_identifier,
        description=payload.description,
        budget_eur=payload.budget_eur,
        expected_grant_eur=payload.expected_grant_eur,
        expected_grants=payload.expected_grants,
        type_of_action=payload.type_of_action,
        keywords=payload.keywords,
        eligible_countries=payload.eligible_countries,
        url=payload.url,
    )
    outcome, saved = services.call_save(actor=request.auth, data=data, source="api")
    return Status(201 if outcome == "created" else 200, call_document(saved, timezone.now()))


class RankedOut(Schema):
    identifier: str
    title: str
    deadline: datetime | None = Field(..., description="the next deadline (stage in progress)")
    score: float
    reasons: list[str]
    explanations: list[dict]


def ranked_document(ranked: selectors.RankedCall) -> dict:
    return {
        "identifier": ranked.call.identifier,
        "title": ranked.call.title,
        "deadline": ranked.deadline,
        "score": ranked.score,
        "reasons": ranked.reasons,
        "explanations": ranked.codes,
    }


def _cluster(request, slug: str):
    cluster = registry_permissions.visible_clusters(reader(request)).filter(slug=slug).first()
    if cluster is None:
        raise HttpError(404, "no such cluster")
    return cluster


@router.get("/funding/clusters/{slug}/calls", response={200: list[RankedOut], **READ_ERRORS})
def cluster_calls(request, slug: str, top: Annotated[int, Query(ge=1, le=50)] = 10):
    """The open calls that fit the cluster best (the cooperation matching engine), with the
    reasons, best first."""
    return [ranked_document(r) for r in selectors.ranked_calls(_cluster(request, slug), top=top)]


class FiguresOut(Schema):
    projects: int
    participations: int
    coordinated: int
    eu_contribution_eur: str
    by_programme: dict[str, int]
    by_year: dict[str, int]
    eu_contribution_by_programme: dict[str, str]


@router.get("/funding/clusters/{slug}/track-record", response={200: FiguresOut, **READ_ERRORS})
def cluster_track_record(request, slug: str):
    """EU projects of the cluster's current members (CORDIS), in aggregate."""
    return selectors.cluster_track_record(_cluster(request, slug)).as_dict()


@router.get("/funding/regions/{code}/track-record", response={200: FiguresOut, **READ_ERRORS})
def region_track_record(request, code: str):
    """EU projects of the registry's organisations in the NUTS region, in aggregate."""
    if not NutsRegion.objects.filter(code=code.upper()).exists():
        raise HttpError(404, "no such region")
    return selectors.region_track_record(code.upper()).as_dict()


class RuleOut(Schema):
    rule: str
    met: bool
    detail: str


class CheckOut(Schema):
    eligible: bool
    rules: list[RuleOut]


class PartnerOut(Schema):
    id: int
    organisation: str | None
    name: str
    pic: str
    vat_number: str
    country: str
    role: str
    budget_eur: Decimal | None
    eu_contribution_eur: Decimal | None


class TaskOut(Schema):
    id: int
    title: str
    owner: str | None = Field(None, description="the user name of whom it is given to")
    due_on: date
    done_on: date | None


class InvitationOut(Schema):
    id: int
    proposal: int
    organisation: str
    role: str
    status: str = Field(..., description="pending, accepted or declined")


class ProposalOut(Schema):
    id: int
    title: str
    call: str
    cluster: str
    stage: str
    eu_contribution_eur: Decimal | None
    score: Decimal | None
    submitted_on: date | None
    decided_on: date | None
    partners: list[PartnerOut]
    check: CheckOut
    tasks: list[TaskOut]
    invitations: list[InvitationOut]


def task_document(task: ProposalTask) -> dict:
    return {
        "id": task.pk, "title": task.title,
        "owner": task.owner.get_username() if task.owner else None, "due_on": task.due_on,
        "done_on": task.done_on,
    }  # fmt: skip


def invitation_document(invitation: ProposalInvitation) -> dict:
    return {
        "id": invitation.pk, "proposal": invitation.proposal_id,
        "organisation": invitation.organisation.slug, "role": invitation.role,
        "status": invitation.status,
    }  # fmt: skip


def proposal_document(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk, "title": proposal.title, "call": proposal.call.identifier,
        "cluster": proposal.cluster.slug, "stage": proposal.stage,
        "eu_contribution_eur": proposal.eu_contribution_eur, "score": proposal.score,
        "submitted_on": proposal.submitted_on, "decided_on": proposal.decided_on,
        "partners": [
            {"id": p.pk, "organisation": p.organisation.slug if p.organisation else None,
             "name": p.name, "pic": p.pic, "vat_number": p.vat_number, "country": p.country,
             "role": p.role,
             "budget_eur": p.budget_eur, "eu_contribution_eur": p.eu_contribution_eur}
            for p in proposal.partners.select_related("organisation")
        ],
        "check": selectors.consortium_document(proposal),
        "tasks": [task_document(t) for t in proposal.tasks.select_related("owner")],
        "invitations": [
            invitation_document(i) for i in proposal.invitations.select_related("organisation")
        ],
    }  # fmt: skip


def _proposal(request: ApiRequest, proposal_id: int) -> Proposal:
    found = permissions.visible_proposals(reader(request)).filter(pk=proposal_id).first()
    if found is None:
        raise HttpError(404, "no such proposal")
    return found


@router.get("/funding/proposals", response={200: list[ProposalOut], **READ_ERRORS})
def proposals(request):
    """The proposals you may see (none without a token)."""
    return [proposal_document(p) for p in permissions.visible_proposals(reader(request))[:500]]


@router.get("/funding/proposals/{proposal_id}", response={200: ProposalOut, **READ_ERRORS})
def proposal(request, proposal_id: int):
    return proposal_document(_proposal(request, proposal_id))


class ProposalIn(InputSchema):
    call: str = Field(..., description="the call's identifier")
    cluster: str = Field(..., description="the cluster's slug")
    title: str = Field(..., max_length=300)


@router.post("/funding/proposals", response={201: ProposalOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def proposal_create(request: ApiRequest, payload: ProposalIn):
    """Starts a proposal of a cluster you manage (or of your agency) for a call."""
    found = Call.objects.filter(identifier=payload.call).first()
    cluster = registry_permissions.visible_clusters(request.auth).filter(slug=payload.cluster)
    if found is None or not cluster.exists():
        raise HttpError(404, "no such call or cluster")
    created = services.proposal_create(
        actor=request.auth, call=found, cluster=cluster.get(), title=payload.title, source="api"
    )
    return Status(201, proposal_document(created))


class PartnerIn(InputSchema):
    role: str = Field(..., description="coordinator, beneficiary, affiliated or associated")
    organisation: str | None = Field(None, description="a registry organisation's slug")
    name: str = Field("", max_length=300)
    pic: str = Field("", max_length=9)
    vat_number: str = Field("", max_length=30, description="the format VIES checks for the country")
    country: str = Field("", max_length=2)
    budget_eur: Decimal | None = Field(None, ge=0)
    eu_contribution_eur: Decimal | None = Field(None, ge=0)


@router.post(
    "/funding/proposals/{proposal_id}/partners",
    response={201: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def partner_add(request: ApiRequest, proposal_id: int, payload: PartnerIn):
    """Adds a partner: a registry organisation, or one outside the registry (name, country and
    PIC)."""
    found = _proposal(request, proposal_id)
    organisation = None
    if payload.organisation:
        organisation = (
            registry_permissions.visible_organisations(request.auth)
            .filter(slug=payload.organisation)
            .first()
        )
        if organisation is None:
            raise ApiValidationError({"organisation": ["no such organisation"]})
    services.partner_add(
        actor=request.auth, proposal=found, role=payload.role, organisation=organisation,
        name=payload.name, pic=payload.pic, vat_number=payload.vat_number,
        country=payload.country, budget_eur=payload.budget_eur, eu_contribution_eur=payload.eu_contribution_eur,
        source="api",
    )  # fmt: skip
    return Status(201, proposal_document(found))


class StageIn(InputSchema):
    stage: str
    score: Decimal | None = Field(None, ge=0)
    feedback: str = Field("", max_length=5000)


@router.post(
    "/funding/proposals/{proposal_id}/stage",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def proposal_move(request: ApiRequest, proposal_id: int, payload: StageIn):
    """Moves the proposal along the pipeline; it is submitted only with an eligible consortium
    (422 naming the rules not met)."""
    found = _proposal(request, proposal_id)
    services.proposal_move(
        actor=request.auth, proposal=found, stage=payload.stage, score=payload.score,
        feedback=payload.feedback, source="api",
    )  # fmt: skip
    return proposal_document(found)


class InvitationIn(InputSchema):
    organisation: str = Field(..., description="a registry organisation's slug")
    role: str = Field(
        "beneficiary", description="coordinator, beneficiary, affiliated or associated"
    )
    message: str = Field("", max_length=2000)


@router.post(
    "/funding/proposals/{proposal_id}/invitations",
    response={201: InvitationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def invitation_send(request: ApiRequest, proposal_id: int, payload: InvitationIn):
    """Invites a registry organisation to join the consortium; its representatives answer."""
    found = _proposal(request, proposal_id)
    if not permissions.can_edit_proposal(request.auth, found):
        raise HttpError(403, "Only the proposal's editors invite.")
    organisation = (
        registry_permissions.visible_organisations(request.auth)
        .filter(slug=payload.organisation)
        .first()
    )
    if organisation is None:
        raise ApiValidationError({"organisation": ["no such organisation"]})
    invitation = services.invitation_send(
        actor=request.auth, proposal=found, organisation=organisation, role=payload.role,
        message=payload.message, source="api",
    )  # fmt: skip
    return Status(201, invitation_document(invitation))


class AnswerIn(InputSchema):
    accept: bool


@router.post(
    "/funding/invitations/{invitation_id}/answer",
    response={200: InvitationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def invitation_answer(request: ApiRequest, invitation_id: int, payload: AnswerIn):
    """The invited organisation's representative accepts (it becomes a partner) or declines."""
    invitation = (
        ProposalInvitation.objects.filter(proposal__in=permissions.visible_proposals(request.auth))
        .select_related("proposal", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise HttpError(404, "no such invitation")
    services.invitation_answer(
        actor=request.auth, invitation=invitation, accept=payload.accept, source="api"
    )
    return invitation_document(invitation)


class TaskIn(InputSchema):
    title: str = Field(..., max_length=300)
    due_on: date
    owner: str | None = Field(None, description="the user name of one of the proposal's people")


@router.post(
    "/funding/proposals/{proposal_id}/tasks",
    response={201: TaskOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def task_add(request: ApiRequest, proposal_id: int, payload: TaskIn):
    """A task of the proposal with its due day, given to one of its people."""
    found = _proposal(request, proposal_id)
    owner = None
    if payload.owner:
        owner = selectors.proposal_people(found).filter(username=payload.owner).first()
        if owner is None:
            raise ApiValidationError({"owner": ["does not take part in the proposal"]})
    task = services.task_add(
        actor=request.auth, proposal=found, title=payload.title, due_on=payload.due_on,
        owner=owner, source="api",
    )  # fmt: skip
    return Status(201, task_document(task))


class SuggestionOut(Schema):
    slug: str = Field(..., description="the registry organisation's")
    name: str
    country: str
    score: float = Field(..., description="the engine's score and the track record's, combined")
    reasons: list[str] = Field(..., description="in the request's language")
    explanations: list[dict] = Field(..., description="each reason's code and what it cites")
    signals: dict[str, float] = Field(..., description="engine, similar_topics, programme")


@router.get(
    "/funding/proposals/{proposal_id}/partner-suggestions",
    response={200: list[SuggestionOut], **READ_ERRORS},
)
def partner_suggestions(request, proposal_id: int, top: Annotated[int, Query(ge=1, le=50)] = 5):
    """Partners proposed for the proposal, best first: organisations of the partnership's
    regions in other eligible countries, by the matching engine and their CORDIS track record
    (docs/funding.md), with the reasons; for its editors (403 for its other readers)."""
    found = _proposal(request, proposal_id)
    if not permissions.can_edit_proposal(reader(request), found):
        raise HttpError(403, "Only the proposal's editors look for partners.")
    return [
        {key: value for key, value in suggestion.items() if key != "organisation"}
        for suggestion in selectors.partner_suggestions(found, top=top)
    ]


class VersionOut(Schema):
    id: int
    number: int
    filename: str = Field(..., description="the uploader's file name, kept to name the download")
    note: str
    uploaded_by: str | None = Field(None, description="the uploader's user name")
    uploaded_at: datetime
    download: str = Field(..., description="the address of the file, for who sees the proposal")


class DocumentOut(Schema):
    id: int
    title: str
    versions: list[VersionOut] = Field(..., description="newest first; every one downloadable")


def document_document(document: ProposalDocument) -> dict:
    return {
        "id": document.pk, "title": document.title,
        "versions": [
            {"id": v.pk, "number": v.number, "filename": v.filename, "note": v.note,
             "uploaded_by": v.uploaded_by.get_username() if v.uploaded_by else None,
             "uploaded_at": v.uploaded_at,
             "download": f"/api/v1/funding/documents/versions/{v.pk}"}
            for v in document.versions.all()
        ],
    }  # fmt: skip


@router.get(
    "/funding/proposals/{proposal_id}/documents", response={200: list[DocumentOut], **READ_ERRORS}
)
def proposal_documents(request, proposal_id: int):
    """The proposal's documents with every version (who sees the proposal)."""
    found = _proposal(request, proposal_id)
    return [
        document_document(d)
        for d in found.documents.prefetch_related("versions__uploaded_by").order_by("title", "pk")
    ]


@router.post(
    "/funding/proposals/{proposal_id}/documents",
    response={201: DocumentOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def proposal_document_upload(
    request: ApiRequest,
    proposal_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    document: Form[int | None] = None,
    note: Form[str] = "",
):
    """Uploads a document (multipart: `file`, and `title`, else the file's name) or, with
    `document` (its id), a new version of one; the editors and the partners' representatives
    (403 for the proposal's other readers). The body is bounded as on the page
    (REQUEST_MAX_BYTES, 413) and the file by DOCUMENT_MAX_BYTES and its type (422 on `file`)."""
    found = _proposal(request, proposal_id)
    existing = None
    if document is not None:
        existing = found.documents.filter(pk=document).first()
        if existing is None:
            raise ApiValidationError({"document": ["no such document of this proposal"]})
    version = services.proposal_document_upload(
        actor=request.auth, proposal=found, upload=file, title=title, document=existing,
        note=note, source="api",
    )  # fmt: skip
    saved = ProposalDocument.objects.prefetch_related("versions__uploaded_by").get(
        pk=version.document_id
    )
    return Status(201, document_document(saved))


@router.get("/funding/documents/versions/{version_id}", response={200: None, **READ_ERRORS})
def proposal_document_download(request, version_id: int) -> FileResponse:
    """A version's file, as an attachment under its original name, to who sees the proposal
    (404 for others)."""
    return documents.version_download(
        ProposalDocumentVersion.objects.filter(
            document__proposal__in=permissions.visible_proposals(reader(request))
        ),
        version_id,
    )


@router.get("/funding/statistics", response={200: dict[str, dict], **READ_ERRORS})
def statistics(request):
    """The proposal pipeline by programme, in aggregate: proposals, submitted, funded, rejected,
    success rate (funded ÷ decided), funding secured, mean days from the idea to submission; a
    figure resting on fewer than 5 proposals (CONFIDENTIALITY_MIN_GROUP) is null and named in
    `withheld`."""
    return selectors.statistics_by_programme()


@router.get(
    "/funding/statistics/clusters", response={200: dict[str, dict], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)  # fmt: skip
def statistics_by_cluster(request: ApiRequest):
    """The proposal pipeline by cluster (slug), with the same figures: a cluster's proposals are
    private, so agency staff read their agencies' clusters, the platform admin every one."""
    if is_platform_admin(request.auth):
        return selectors.statistics_by_cluster()
    agencies = staff_agency_ids(request.auth)
    if not agencies:
        raise HttpError(403, "Only agency staff read the figures of clusters.")
    return selectors.statistics_by_cluster(agency_ids=agencies)


class TakingOut(Schema):
    project_id: str
    acronym: str
    title: str
    programme: str
    start: date | None
    end: date | None
    role: str
    eu_contribution_eur: Decimal | None


@router.get(
    "/funding/organisations/{slug}/projects", response={200: list[TakingOut], **READ_ERRORS}
)
def organisation_projects(request, slug: str):
    """The organisation's EU projects from CORDIS (links awaiting review left out), newest first."""
    organisation = (
        registry_permissions.visible_organisations(reader(request)).filter(slug=slug).first()
    )
    if organisation is None:
        raise HttpError(404, "no such organisation")
    return [
        {
            "project_id": p.project.project_id,
            "acronym": p.project.acronym,
            "title": p.project.title,
            "programme": p.project.programme,
            "start": p.project.start,
            "end": p.project.end,
            "role": p.role,
            "eu_contribution_eur": p.ec_contribution,
        }
        for p in selectors.organisation_projects(organisation)
    ]
