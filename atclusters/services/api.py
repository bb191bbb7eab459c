"""REST endpoints of the services portfolio and the benefit programmes: the same operations as
`atclusters services` and the pages (docs/services.md). The catalogue is public; requests and
claims need a token or the session, and answer 404 for those they may not see."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from atclusters.api.auth import WRITE_AUTH
from atclusters.core import languages
from atclusters.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiValidationError,
    Documents,
    ImportOut,
    Pagination,
)
from atclusters.core.http import ApiRequest
from atclusters.core.models import Agency
from atclusters.core.permissions import PermissionDenied
from atclusters.core.schemas import InputSchema
from atclusters.registry.models import ClusterOrganisation
from atclusters.services import documents, importers, permissions, selectors, services
from atclusters.services.models import (
    Claim,
    Programme,
    Service,
    ServiceCategory,
    ServiceRequest,
)
from atclusters.stateaid import services as aid_services

router = Router(tags=["services"])


class CatalogueOut(Schema):
    id: int
    name: str
    provider: str
    category: str
    price_eur: float
    member_price_eur: float
    aid_treatment: str = Field(..., description="none, de-minimis or gber-27")
    aid_value_eur: float = Field(
        ..., description="aid to a member per unit (market − member price)"
    )


@router.get("/services/catalogue", response={200: list[CatalogueOut], **READ_ERRORS})
@paginate(Pagination)
def catalogue(request: HttpRequest, provider: str = "", category: str = "", language: str = ""):
    """Offered services; `provider` is an agency's or a cluster's slug, `language` a delivery
    language (en, es, gl, pt, fr)."""
    return Documents(
        selectors.catalogue(provider=provider, category=category, language=language),
        documents.catalogue_item,
    )


class RequestOut(Schema):
    id: int
    service: int = Field(..., alias="service_id")
    organisation: str = Field(..., alias="organisation.slug")
    status: str
    units_requested: Decimal
    message: str
    decision_reason: str
    delivered_on: date | None
    units: Decimal | None
    hours: Decimal | None
    outcome: str
    price_paid: Decimal | None
    aid_eur: Decimal
    grant_id: int | None
    rating: int | None
    rating_comment: str


class RequestIn(InputSchema):
    service: int
    organisation: str = Field(..., description="the organisation's slug")
    units: Decimal = Field(Decimal(1), gt=0, le=100_000)
    message: str = Field("", max_length=5000)


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=5000)


class DeliveryIn(InputSchema):
    date: date
    units: Decimal = Field(..., gt=0, le=100_000)
    hours: Decimal | None = Field(None, gt=0, le=100_000)
    outcome: str = Field("", max_length=5000)
    subsidised: bool = Field(True, description="false: at the list price, no aid")


class DeliveryOut(Schema):
    delivered: bool
    aid_eur: float
    grant_id: int | None
    headroom_eur: float | None
    reason: str


class RatingIn(InputSchema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=5000)


def _write(call):
    try:
        return call()
    except services.ServiceError as error:
        raise ApiValidationError(error.detail) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this.") from None


def _request(request: ApiRequest, request_id: int) -> ServiceRequest:
    found = permissions.visible_requests(request.auth).filter(pk=request_id).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.get("/services/requests", response={200: list[RequestOut], **READ_ERRORS}, auth=WRITE_AUTH)
@paginate(Pagination)
def request_list(request: ApiRequest, status: str = ""):
    """The requests of the services you provide and of the organisations you represent."""
    requests = (
        permissions.visible_requests(request.auth).select_related("organisation").order_by("pk")
    )
    return requests.filter(status=status) if status else requests


@router.post("/services/requests", response={201: RequestOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def request_create(request: ApiRequest, payload: RequestIn):
    """A member representative asks for a service for an organisation they represent."""
    service = Service.objects.filter(pk=payload.service, is_active=True).first()
    if service is None:
        raise ApiValidationError({"service": [f"no offered service {payload.service}"]})
    organisation = permissions.represented(request.auth).filter(slug=payload.organisation).first()
    if organisation is None:
        raise HttpError(403, "You do not represent this organisation.")
    created = _write(
        lambda: services.request_create(
            actor=request.auth, service=service, organisation=organisation,
            units=payload.units, message=payload.message, source="api",
        )
    )  # fmt: skip
    return Status(201, created)


@router.post(
    "/services/requests/{request_id}/acceptance",
    response={200: RequestOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def request_accept(request: ApiRequest, request_id: int):
    found = _request(request, request_id)
    return _write(
        lambda: services.request_decide(
            actor=request.auth, request=found, accept=True, source="api"
        )
    )


@router.post(
    "/services/requests/{request_id}/refusal",
    response={200: RequestOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def request_decline(request: ApiRequest, request_id: int, payload: ReasonIn):
    """Decline a request, saying why (`reason` is required)."""
    found = _request(request, request_id)
    return _write(
        lambda: services.request_decide(
            actor=request.auth, request=found, accept=False, reason=payload.reason, source="api"
        )
    )


@router.post(
    "/services/requests/{request_id}/delivery",
    response={200: DeliveryOut, 409: DeliveryOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def request_deliver(request: ApiRequest, request_id: int, payload: DeliveryIn):
    """Record the delivery of an accepted request. Under de minimis the aid is granted in the
    register in the same transaction; 409 when the single undertaking has not the headroom
    (nothing recorded; the reason states the headroom and the unsubsidised price)."""
    found = _request(request, request_id)
    try:
        delivery = _write(
            lambda: services.request_deliver(
                actor=request.auth, request=found, delivered_on=payload.date,
                units=payload.units, hours=payload.hours, outcome=payload.outcome,
                subsidised=payload.subsidised, source="api",
            )
        )  # fmt: skip
    except aid_services.AidRefused as refused:
        return Status(
            409,
            documents.delivery_document(
                delivered=False, aid_eur=refused.aid_eur, grant_id=None,
                headroom_eur=refused.headroom_eur, reason=str(refused),
            ),
        )  # fmt: skip
    return documents.delivery_document(
        delivered=True,
        aid_eur=delivery.aid_eur,
        grant_id=delivery.grant.pk if delivery.grant else None,
        headroom_eur=delivery.headroom_eur,
        reason=f"aid granted as {delivery.grant.reference}" if delivery.grant else "no aid",
    )


@router.post(
    "/services/requests/{request_id}/rating",
    response={200: RequestOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def request_rate(request: ApiRequest, request_id: int, payload: RatingIn):
    """The member rates a delivered service once, 1 to 5."""
    found = _request(request, request_id)
    return _write(
        lambda: services.request_rate(
            actor=request.auth, request=found, rating=payload.rating,
            comment=payload.comment, source="api",
        )
    )  # fmt: skip


class CheckOut(Schema):
    rule: str
    passed: bool
    required: list[str]
    actual: list[str]


class ClaimOut(Schema):
    id: int
    programme: str = Field(..., alias="programme.slug")
    organisation: str = Field(..., alias="organisation.slug")
    status: str
    costs_eur: Decimal
    documents: list[str]
    checks: list[CheckOut]
    aid_eur: Decimal
    reason: str
    grant_id: int | None


class ClaimIn(InputSchema):
    organisation: str
    costs_eur: Decimal = Field(..., gt=0, le=10**9)
    description: str = Field("", max_length=5000)
    documents: list[str] = Field([], max_length=50)


class DecisionIn(InputSchema):
    approve: bool
    reason: str = Field("", max_length=5000)


@router.post(
    "/services/programmes/{slug}/claims",
    response={201: ClaimOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def claim_submit(request: ApiRequest, slug: str, payload: ClaimIn):
    """A member representative claims a programme's discount for an organisation."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise HttpError(404, "Not Found")
    organisation = permissions.represented(request.auth).filter(slug=payload.organisation).first()
    if organisation is None:
        raise HttpError(403, "You do not represent this organisation.")
    claim = _write(
        lambda: services.claim_submit(
            actor=request.auth, programme=programme, organisation=organisation,
            costs_eur=payload.costs_eur, description=payload.description,
            documents=payload.documents, source="api",
        )
    )  # fmt: skip
    return Status(201, claim)


def _claim(request: ApiRequest, claim_id: int) -> Claim:
    found = permissions.visible_claims(request.auth).filter(pk=claim_id).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.post(
    "/services/claims/{claim_id}/check", response={200: ClaimOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def claim_check(request: ApiRequest, claim_id: int):
    """The programme's staff evaluate the eligibility, rule by rule."""
    found = _claim(request, claim_id)
    return _write(lambda: services.claim_check(actor=request.auth, claim=found, source="api"))


@router.post(
    "/services/claims/{claim_id}/decision",
    response={200: ClaimOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def claim_decide(request: ApiRequest, claim_id: int, payload: DecisionIn):
    """Approve (the discount committed against the budget and granted as de minimis aid) or
    reject with a reason. A de minimis refusal answers 422 on `headroom`."""
    found = _claim(request, claim_id)
    try:
        return _write(
            lambda: services.claim_decide(
                actor=request.auth, claim=found, approve=payload.approve,
                reason=payload.reason, source="api",
            )
        )  # fmt: skip
    except aid_services.AidRefused as refused:
        raise ApiValidationError({"headroom": [str(refused)]}) from None


@router.post("/services/imports", response={200: ImportOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def catalogue_import(
    request: ApiRequest, file: File[UploadedFile], provider: str = "", dry_run: bool = False
):
    """Imports services from a CSV/XLSX/JSON file (columns in docs/services.md); `provider` (an
    agency's or a cluster's slug) for rows that name none. All or nothing: `ok: false` lists
    every error by row and column and nothing is written."""
    # Refused before the file is read: only those who offer services import them.
    if not permissions.is_provider_staff(request.auth):
        raise HttpError(403, "You may not do this.")
    importer = importers.ServiceImporter(actor=request.auth, provider=provider)
    report = importer.run(file.read(), file.name or "upload.csv", dry_run=dry_run)
    return report.as_dict()


# Editing the catalogue and the programmes: PUT creates or replaces, through the services layer
# (the same rules as the pages); 201 when created, 200 when replaced.


def _clusters(slugs: list[str], field: str) -> list[ClusterOrganisation]:
    found = list(ClusterOrganisation.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {cluster.slug for cluster in found})
    if unknown:
        raise ApiValidationError({field: [f"unknown cluster {unknown[0]!r}"]})
    return found


class CategoryIn(InputSchema):
    name_en: str = Field(..., min_length=1, max_length=120)
    name_es: str = Field("", max_length=120)
    name_gl: str = Field("", max_length=120)
    name_pt: str = Field("", max_length=120)
    name_fr: str = Field("", max_length=120)


class CategoryOut(Schema):
    slug: str
    name_en: str
    name_es: str
    name_gl: str
    name_pt: str
    name_fr: str


@router.put(
    "/services/categories/{slug}",
    response={200: CategoryOut, 201: CategoryOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def category_put(request: ApiRequest, slug: str, payload: CategoryIn):
    """Creates or renames a category (the agencies' staff)."""
    existed = ServiceCategory.objects.filter(slug=slug).exists()
    names = {code: getattr(payload, f"name_{code}") for code in languages.CODES}
    category = _write(
        lambda: services.category_save(actor=request.auth, slug=slug, names=names, source="api")
    )
    return Status(200 if existed else 201, category)


class ServiceIn(InputSchema):
    provider: str = Field(..., description="an agency's or a cluster's slug")
    provider_kind: str = Field("", description="agency, cluster or hub; default: from provider")
    category: str = Field(..., description="a category's slug")
    name_en: str = Field(..., min_length=1, max_length=200)
    name_es: str = Field("", max_length=200)
    name_gl: str = Field("", max_length=200)
    name_pt: str = Field("", max_length=200)
    name_fr: str = Field("", max_length=200)
    description_en: str = Field("", max_length=20_000)
    description_es: str = Field("", max_length=20_000)
    description_gl: str = Field("", max_length=20_000)
    description_pt: str = Field("", max_length=20_000)
    description_fr: str = Field("", max_length=20_000)
    list_price: Decimal = Field(..., ge=0, le=10**9)
    member_price: Decimal = Field(..., ge=0, le=10**9)
    unit: str = "hour"
    capacity_per_month: int | None = Field(None, ge=1, le=10**6)
    languages: list[str] = Field(default_factory=list, max_length=5)
    eligible_clusters: list[str] = Field(default_factory=list, max_length=1000)
    eligible_sizes: list[str] = Field(default_factory=list, max_length=4)
    eligible_countries: list[str] = Field(default_factory=list, max_length=100)
    aid_treatment: str = Field("none", description="none, de-minimis or gber-27")
    is_active: bool = True


@router.put(
    "/services/catalogue/{slug}",
    response={200: CatalogueOut, 201: CatalogueOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def service_put(request: ApiRequest, slug: str, payload: ServiceIn):
    """Creates or replaces the service `slug` (its provider's staff; only the agency's staff
    offer it as de minimis aid)."""
    provider = selectors.provider_named(payload.provider)
    if provider is None:
        raise ApiValidationError({"provider": ["no agency or cluster has this slug"]})
    category = ServiceCategory.objects.filter(slug=payload.category).first()
    if category is None:
        raise ApiValidationError({"category": ["no category has this slug"]})
    agency, cluster = provider
    values = payload.dict(exclude={"provider", "category", "eligible_clusters"})
    if not values["provider_kind"]:
        del values["provider_kind"]
    existed = Service.objects.filter(slug=slug).exists()
    service = _write(
        lambda: services.service_save(
            actor=request.auth, slug=slug, agency=agency, cluster=cluster, category=category,
            values=values,
            eligible_clusters=_clusters(payload.eligible_clusters, "eligible_clusters"),
            source="api",
        )
    )  # fmt: skip
    return Status(200 if existed else 201, documents.catalogue_item(service))


class ProgrammeIn(InputSchema):
    agency: str = Field(..., description="the agency's slug")
    department: str = Field(..., min_length=1, max_length=120)
    name_en: str = Field(..., min_length=1, max_length=200)
    name_es: str = Field("", max_length=200)
    name_gl: str = Field("", max_length=200)
    name_pt: str = Field("", max_length=200)
    name_fr: str = Field("", max_length=200)
    how_to_claim_en: str = Field("", max_length=20_000)
    how_to_claim_es: str = Field("", max_length=20_000)
    how_to_claim_gl: str = Field("", max_length=20_000)
    how_to_claim_pt: str = Field("", max_length=20_000)
    how_to_claim_fr: str = Field("", max_length=20_000)
    opens_on: date
    closes_on: date
    budget_eur: Decimal = Field(..., ge=0, le=10**12)
    rate: Decimal = Field(..., gt=0, le=1)
    max_aid_eur: Decimal | None = Field(None, ge=0, le=10**10)
    aid_treatment: str = Field("de-minimis", description="none or de-minimis")
    eligible_clusters: list[str] = Field(default_factory=list, max_length=1000)
    eligible_sizes: list[str] = Field(default_factory=list, max_length=4)
    eligible_countries: list[str] = Field(default_factory=list, max_length=100)
    eligible_sectors: list[str] = Field(default_factory=list, max_length=1000)
    eligible_regions: list[str] = Field(default_factory=list, max_length=1000)
    documents_required: list[str] = Field(default_factory=list, max_length=50)


class ProgrammeOut(Schema):
    slug: str
    agency: str = Field(..., alias="agency.slug")
    department: str
    name_en: str
    opens_on: date
    closes_on: date
    budget_eur: Decimal
    rate: Decimal
    max_aid_eur: Decimal | None
    aid_treatment: str


@router.put(
    "/services/programmes/{slug}",
    response={200: ProgrammeOut, 201: ProgrammeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def programme_put(request: ApiRequest, slug: str, payload: ProgrammeIn):
    """Creates or replaces the benefit programme `slug` (its agency's staff)."""
    agency = Agency.objects.filter(slug=payload.agency).first()
    if agency is None:
        raise ApiValidationError({"agency": ["no agency has this slug"]})
    values = payload.dict(exclude={"agency", "eligible_clusters"})
    existed = Programme.objects.filter(slug=slug).exists()
    programme = _write(
        lambda: services.programme_save(
            actor=request.auth, slug=slug, agency=agency, values=values,
            eligible_clusters=_clusters(payload.eligible_clusters, "eligible_clusters"),
            source="api",
        )
    )  # fmt: skip
    return Status(200 if existed else 201, programme)
