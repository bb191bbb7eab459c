"""REST endpoints of the de minimis register: the same operations as `atclusters stateaid`
(docs/stateaid.md). Agency staff and the platform admin only (representatives read their own
undertaking); every call needs a token or the session (reads included: the register is not
public). Another Member State's aid answers 404, a write for it 403 (`permissions`)."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from atclusters.api.auth import WRITE_AUTH
from atclusters.core import api as core_api
from atclusters.core.api import WRITE_ERRORS, ApiValidationError, IsoDay
from atclusters.core.http import ApiRequest
from atclusters.core.schemas import InputSchema
from atclusters.registry.models import ClusterOrganisation
from atclusters.stateaid import (
    documents,
    importers,
    permissions,
    rules,
    selectors,
    services,
    wording,
)
from atclusters.stateaid.models import Grant, Restructuring

router = Router(tags=["state aid"], auth=WRITE_AUTH)

Regulation = Literal["general", "sgei", "agriculture", "fishery"]


def _invalid(field: str, message: str) -> ApiValidationError:
    return ApiValidationError({field: [message]})


def _require_register(request: ApiRequest) -> None:
    if not permissions.can_manage_register(request.auth):
        raise HttpError(403, "Only agency staff and platform admins use the de minimis register.")


def _undertaking(request: ApiRequest, identifier: str, field: str = "undertaking"):
    undertaking = selectors.visible_undertaking(user=request.auth, identifier=identifier)
    if undertaking is None:
        raise _invalid(field, f"unknown undertaking {identifier!r}")
    return undertaking


def _read(call):
    """A reading of another Member State's aid answers as if it did not exist."""
    try:
        return call()
    except permissions.NotVisible:
        raise HttpError(404, "Not Found") from None


class CheckIn(InputSchema):
    undertaking: str
    date: date
    amount: Decimal = Field(..., ge=0, le=10**12)
    regulation: Regulation = "general"
    member_state: str = ""
    eligible_costs: Decimal | None = Field(None, ge=0, le=10**12)
    max_intensity: Decimal | None = Field(None, ge=0, le=1)
    other_aid: Decimal = Field(Decimal(0), ge=0, le=10**12)
    road_freight: bool = Field(
        False, description="road freight transport for hire or reward (1407/2013 Art. 3(2))"
    )


class CapOut(Schema):
    name: str
    ceiling_eur: float
    counted_eur: float
    headroom_eur: float
    rule: str = ""


class ReviewOut(Schema):
    parent: str
    child: str
    relation: str
    reason: str


class CheckOut(Schema):
    allowed: bool
    headroom_eur: float
    max_grantable_eur: float
    ceiling_eur: float
    window_start: date
    window_end: date
    counted_aid_eur: float
    group: list[str]
    caps: list[CapOut]
    regulation: str
    regulation_oj: str = ""
    counting: str = Field(..., description="rolling, or fiscal-years under the old regulations")
    regulation_note: str = ""
    excluded_activities: list[str] = []
    review: list[ReviewOut]
    reason: str


def _member_state(value: str) -> str:
    if not value:
        return ""
    try:
        return rules.member_state_code(value)
    except ValueError as error:
        raise _invalid("member_state", str(error)) from error


def _same_costs(payload: CheckIn) -> rules.SameCosts | None:
    if payload.eligible_costs is None and payload.max_intensity is None:
        return None
    if payload.eligible_costs is None or payload.max_intensity is None:
        raise _invalid("max_intensity", "give eligible_costs and max_intensity together")
    return rules.SameCosts(payload.eligible_costs, payload.max_intensity, payload.other_aid)


@router.post("/stateaid/check", response={200: CheckOut, **WRITE_ERRORS})
def check(request: ApiRequest, payload: CheckIn):
    """May this amount (gross grant equivalent, EUR) be granted on this date? `allowed: false`
    gives the largest amount that fits: a grant is never split (all or nothing)."""
    _require_register(request)
    undertaking = _undertaking(request, payload.undertaking)
    member_state, same_costs = _member_state(payload.member_state), _same_costs(payload)
    try:
        result = _read(
            lambda: selectors.de_minimis_check(
                user=request.auth,
                undertaking=undertaking,
                grant_date=payload.date,
                amount=payload.amount,
                regulation=payload.regulation,
                member_state=member_state,
                same_costs=same_costs,
                road_freight=payload.road_freight,
            )
        )
    except ValueError as error:
        raise _invalid("date", str(error)) from error
    return documents.check_document(result, regulation=payload.regulation, grant_date=payload.date)


class GgeIn(InputSchema):
    instrument: Literal["loan", "guarantee"]
    amount: Decimal = Field(..., gt=0, le=10**12)
    years: Decimal = Field(..., gt=0, le=100)
    method: Literal["safe-harbour", "reference-rate", "premium"] = "safe-harbour"
    collateral_share: Decimal | None = None
    guarantee_share: Decimal | None = None
    loan_amount: Decimal | None = Field(None, gt=0, le=10**12)
    reference_rate: Decimal | None = None
    loan_rate: Decimal | None = None
    discount_rate: Decimal | None = None
    base_rate: Decimal | None = None
    rating: str | None = None
    collateral_level: Literal["high", "normal", "low"] | None = None
    schedule: Literal["bullet", "linear"] = "bullet"
    market_premium: Decimal | None = None
    premium: Decimal | None = None
    size: Literal["sme", "large"] = Field(
        "sme", description="large: a rating of at least B- is required (Art. 4(3)(a)/4(6)(a))"
    )
    insolvency_proceedings: bool = Field(
        False, description="subject to, or meeting the criteria for, collective insolvency"
    )


class GgeOut(Schema):
    eligible: bool
    gge_eur: float
    method: str
    reason: str


@router.post("/stateaid/gge", response={200: GgeOut, **WRITE_ERRORS})
def gge(request: ApiRequest, payload: GgeIn):
    """The gross grant equivalent of a loan or a guarantee (for a guarantee, `amount` is the
    guaranteed part). Outside the method's conditions: `eligible: false` with the reason."""
    _require_register(request)
    try:
        return documents.equivalent_document(rules.gross_grant_equivalent(**payload.dict()))
    except rules.InputError as error:
        raise _invalid(error.field, str(error)) from error


class GrantIn(InputSchema):
    undertaking: str
    reference: str = Field(..., min_length=1, max_length=100)
    date: date
    amount: Decimal = Field(..., gt=0, le=10**12, description="nominal amount in `currency`")
    currency: str = Field("EUR", pattern="^[A-Z]{3}$")
    eur_rate: Decimal = Field(Decimal(1), gt=0, le=10**9, description="units per euro")
    rate_source: str = Field("", max_length=200)
    gge_eur: Decimal | None = Field(None, ge=0, le=10**12)
    member_state: str
    granting_authority: str = Field(..., min_length=1, max_length=200)
    basis: Literal["de-minimis", "gber", "notified"] = "de-minimis"
    regulation: Regulation = "general"
    instrument: str = "grant"
    scheme: str = Field("", max_length=200)
    purpose: str = Field("", max_length=2000)
    nace: str = Field("", max_length=8)
    cluster: str | None = None
    programme: str = Field("", max_length=200)
    cluster_aid: Literal["", "investment", "operating"] = ""
    eligible_costs_eur: Decimal | None = Field(None, gt=0, le=10**12)
    assisted_area: Literal["", "a", "c"] = ""
    operating_years: int = Field(0, ge=0, le=50)
    road_freight: bool = False


class GrantOut(Schema):
    id: int
    reference: str
    entry: str
    corrects: int | None = Field(None, alias="corrects_id")
    undertaking: str = Field(..., alias="undertaking.identifier")
    member_state: str
    granting_authority: str
    basis: str
    regulation: str
    scheme: str
    instrument: str
    nominal_amount: Decimal
    currency: str
    eur_rate: Decimal
    rate_source: str
    gge_eur: Decimal
    grant_date: date
    purpose: str
    nace: str
    cluster: str | None = Field(None, alias="cluster.slug")
    report_due: date | None
    reported_on: date | None
    reason: str


class RefusedOut(Schema):
    detail: str
    check: dict[str, Any] | None = None
    reasons: list[str] = []


@router.post("/stateaid/grants", response={201: GrantOut, 409: RefusedOut, **WRITE_ERRORS})
def grant_create(request: ApiRequest, payload: GrantIn):
    """Checks and records a grant in one transaction. 409: above a ceiling (with the check) or
    GBER Art. 27 conditions not met; nothing recorded."""
    _require_register(request)
    undertaking = _undertaking(request, payload.undertaking)
    if payload.instrument not in Grant.Instrument.values:
        raise _invalid("instrument", f"use one of {', '.join(Grant.Instrument.values)}")
    cluster = None
    if payload.cluster:
        cluster = ClusterOrganisation.objects.filter(slug=payload.cluster).first()
        if cluster is None:
            raise _invalid("cluster", f"unknown cluster {payload.cluster!r}")
    try:
        grant = services.grant_record(
            actor=request.auth,
            undertaking=undertaking,
            reference=payload.reference,
            grant_date=payload.date,
            money=services.Money(
                payload.amount, payload.currency, payload.eur_rate, payload.rate_source
            ),
            member_state=payload.member_state,
            granting_authority=payload.granting_authority,
            basis=payload.basis,
            regulation=payload.regulation,
            instrument=payload.instrument,
            gge_eur=payload.gge_eur,
            scheme=payload.scheme,
            purpose=payload.purpose,
            nace=payload.nace,
            cluster=cluster,
            programme=payload.programme,
            cluster_aid=payload.cluster_aid,
            eligible_costs_eur=payload.eligible_costs_eur,
            assisted_area=payload.assisted_area,
            operating_years=payload.operating_years,
            road_freight=payload.road_freight,
            source="api",
        )
    except services.CeilingExceeded as error:
        document = documents.check_document(
            error.result, regulation=payload.regulation, grant_date=payload.date
        )
        return Status(409, {"detail": str(error), "check": document})
    except services.ClusterAidRefused as error:
        return Status(
            409, {"detail": str(error), "reasons": wording.cluster_aid_reasons(error.result)}
        )
    return Status(201, grant)


def _visible_grant(request: ApiRequest, grant_id: int) -> Grant:
    return get_object_or_404(permissions.visible_grants(request.auth), pk=grant_id)


class CorrectionIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)
    grant_date: date | None = None
    amount: Decimal | None = Field(None, gt=0, le=10**12)
    gge_eur: Decimal | None = Field(None, ge=0, le=10**12)
    reported_on: date | None = None
    purpose: str | None = Field(None, max_length=2000)


@router.post(
    "/stateaid/grants/{grant_id}/correction",
    response={201: GrantOut, 409: RefusedOut, **WRITE_ERRORS},
)
def grant_correction(request: ApiRequest, grant_id: int, payload: CorrectionIn):
    """A correction: a new entry that replaces the grant (the original stays)."""
    grant = _visible_grant(request, grant_id)
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "grant_date": payload.grant_date,
            "nominal_amount": payload.amount,
            "gge_eur": payload.gge_eur,
            "reported_on": payload.reported_on,
            "purpose": payload.purpose,
        }.items()
        if value is not None
    }
    try:
        entry = services.grant_correct(
            actor=request.auth,
            grant=grant,
            reason=payload.reason,
            changes=changes,
            source="api",
        )
    except services.CeilingExceeded as error:
        document = documents.check_document(
            error.result, regulation=grant.regulation, grant_date=error.result.window_end
        )
        return Status(409, {"detail": str(error), "check": document})
    return Status(201, entry)


class RevocationIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


@router.post("/stateaid/grants/{grant_id}/revocation", response={201: GrantOut, **WRITE_ERRORS})
def grant_revocation(request: ApiRequest, grant_id: int, payload: RevocationIn):
    grant = _visible_grant(request, grant_id)
    entry = services.grant_revoke(
        actor=request.auth, grant=grant, reason=payload.reason, source="api"
    )
    return Status(201, entry)


class HeadroomOut(Schema):
    regulation: str
    ceiling_eur: float
    counted_aid_eur: float
    headroom_eur: float


class RestructuringOut(Schema):
    id: int
    kind: str
    entry: str
    corrects: int | None = Field(None, alias="corrects_id")
    date: date
    source: str = Field(..., alias="source.identifier")
    absorbing: str | None = Field(None, alias="absorbing.identifier")
    successors: dict[str, Decimal]
    activity: dict[str, str]
    reason: str


class UndertakingOut(Schema):
    id: str
    name: str
    country: str
    vat: str
    member_state: str
    on: date
    group: list[str]
    headroom: list[HeadroomOut]
    grants: list[GrantOut]
    restructurings: list[RestructuringOut]


@router.get("/stateaid/undertakings/{identifier}", response={200: UndertakingOut, **WRITE_ERRORS})
def undertaking_detail(
    request: ApiRequest, identifier: str, member_state: str = "", on: IsoDay | None = None
):
    """An undertaking's aid history (every entry you may see), its mergers and splits, its
    single undertaking and its headroom per regulation on `on` (default today) for
    `member_state` (default: its own country, when you act for it); 404 for a Member State
    whose aid you may not read."""
    undertaking = get_object_or_404(
        permissions.visible_undertakings(request.auth), identifier=identifier
    )
    day = on or timezone.localdate()
    try:
        state = _read(
            lambda: selectors.member_state_to_read(
                user=request.auth, undertaking=undertaking, requested=member_state
            )
        )
    except ValueError as error:
        raise _invalid("member_state", str(error)) from error
    headroom = selectors.headroom(
        user=request.auth, undertaking=undertaking, on=day, member_state=state
    )
    return {
        "id": undertaking.identifier,
        "name": undertaking.name,
        "country": undertaking.country,
        "vat": undertaking.vat,
        "member_state": state,
        "on": day,
        "group": headroom[rules.GENERAL].group,
        "headroom": [
            {
                "regulation": kind,
                "ceiling_eur": float(result.ceiling),
                "counted_aid_eur": float(result.counted),
                "headroom_eur": float(result.headroom),
            }
            for kind, result in headroom.items()
        ],
        "grants": list(selectors.grant_history(undertaking=undertaking, user=request.auth)),
        "restructurings": list(
            selectors.restructurings_of(user=request.auth, undertaking=undertaking)
        ),
    }


class MergerIn(InputSchema):
    absorbing: str
    absorbed: str
    date: date


class SplitIn(InputSchema):
    source: str
    date: date
    successors: dict[str, Decimal] = Field(..., description="undertaking ID → equity (EUR)")
    activity: dict[str, str] = Field({}, description="grant reference → successor ID")


@router.post("/stateaid/mergers", response={201: RestructuringOut, **WRITE_ERRORS})
def merger(request: ApiRequest, payload: MergerIn):
    _require_register(request)
    absorbing = _undertaking(request, payload.absorbing, "absorbing")
    absorbed = _undertaking(request, payload.absorbed, "absorbed")
    return Status(
        201,
        services.merger_record(
            actor=request.auth,
            absorbing=absorbing,
            absorbed=absorbed,
            on=payload.date,
            source="api",
        ),
    )


@router.post("/stateaid/splits", response={201: RestructuringOut, **WRITE_ERRORS})
def split(request: ApiRequest, payload: SplitIn):
    _require_register(request)
    source = _undertaking(request, payload.source, "source")
    return Status(
        201,
        services.split_record(
            actor=request.auth,
            source_undertaking=source,
            on=payload.date,
            successors=payload.successors,
            activity=payload.activity,
            source="api",
        ),
    )


DateOrNone = date | None  # the field below is called `date`, like a merger's and a split's


class RestructuringCorrectionIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)
    date: DateOrNone = None
    successors: dict[str, Decimal] | None = Field(None, description="undertaking ID → equity")
    activity: dict[str, str] | None = Field(None, description="grant reference → successor ID")


def _restructuring(request: ApiRequest, restructuring_id: int) -> Restructuring:
    _require_register(request)
    return get_object_or_404(Restructuring, pk=restructuring_id)


@router.post(
    "/stateaid/restructurings/{restructuring_id}/correction",
    response={201: RestructuringOut, **WRITE_ERRORS},
)
def restructuring_correction(
    request: ApiRequest, restructuring_id: int, payload: RestructuringCorrectionIn
):
    """A correction of a merger's or split's date, or a split's successors and activity: a new
    entry that replaces `{restructuring_id}` (the original stays)."""
    restructuring = _restructuring(request, restructuring_id)
    changes = {
        key: value
        for key, value in {
            "date": payload.date,
            "successors": payload.successors,
            "activity": payload.activity,
        }.items()
        if value is not None
    }
    return Status(
        201,
        services.restructuring_correct(
            actor=request.auth,
            restructuring=restructuring,
            reason=payload.reason,
            changes=changes,
            source="api",
        ),
    )


@router.post(
    "/stateaid/restructurings/{restructuring_id}/revocation",
    response={201: RestructuringOut, **WRITE_ERRORS},
)
def restructuring_revocation(request: ApiRequest, restructuring_id: int, payload: RevocationIn):
    """A revocation: the merger or split no longer applies; the aid counts as before it."""
    restructuring = _restructuring(request, restructuring_id)
    return Status(
        201,
        services.restructuring_revoke(
            actor=request.auth,
            restructuring=restructuring,
            reason=payload.reason,
            source="api",
        ),
    )


class ImportOut(core_api.ImportOut):
    over_ceiling: list[dict[str, Any]]


@router.post("/stateaid/imports/{kind}", response={200: ImportOut, **WRITE_ERRORS})
def register_import(
    request: ApiRequest,
    kind: Literal["undertakings", "links", "grants"],
    file: File[UploadedFile],
    dry_run: bool = False,
):
    """Imports a CSV/XLSX/JSON file (columns in docs/stateaid.md); all or nothing: `ok: false`
    lists every error by row and column and nothing is written."""
    _require_register(request)
    report, over = importers.register_import(
        actor=request.auth,
        kind=kind,
        content=file.read(),
        filename=file.name or "upload.csv",
        dry_run=dry_run,
    )
    return {**report.as_dict(), "over_ceiling": over}


@router.get("/stateaid/register", response={200: None, **WRITE_ERRORS})
def register_export(
    request: ApiRequest,
    format: Literal["csv", "xlsx", "xml"] = "csv",
    kind: Literal["register", "overdue", "transparency"] = "register",
):
    """The register's entries with the fields of Art. 6 (`register`), those past their
    reporting deadline (`overdue`), or GBER aid to publish (`transparency`, Annex III)."""
    _require_register(request)
    columns, rows = selectors.export_rows(kind=kind, user=request.auth, today=timezone.localdate())
    content = documents.write_rows(columns, rows, format, root="register", item="grant")
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="stateaid-{kind}.{format}"'
    return response
