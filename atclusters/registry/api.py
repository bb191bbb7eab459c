"""REST API for the registry: the same permission rules as the pages, through services and
selectors."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.core.api import READ_ERRORS, WRITE_ERRORS, ApiValidationError, Pagination
from atclusters.core.entities import Entity
from atclusters.core.http import ApiRequest
from atclusters.core.models import Agency, Country, NaceActivity, NutsRegion, Term
from atclusters.core.schemas import InputSchema, input_schema, per_language_out
from atclusters.core.text import sanitise_html
from atclusters.registry import permissions, selectors, services
from atclusters.registry.models import (
    CLUSTER,
    ORGANISATION,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
    cluster_term_kinds,
)

router = Router(tags=["registry"])


def _sanitised(field: str) -> Callable[[ClusterOrganisation], str]:
    """Rich text is sanitised again on the way out: text stored around the services stays safe."""
    return lambda obj: sanitise_html(getattr(obj, field))


def _sorted_keys(relation: str, key: str) -> Callable[[ClusterOrganisation], list[str]]:
    return lambda obj: sorted(getattr(item, key) for item in getattr(obj, relation).all())


# The descriptions, one per language, sanitised on the way out.
if TYPE_CHECKING:
    ClusterDescriptionsOut = Schema
else:
    ClusterDescriptionsOut = per_language_out("description", _sanitised, "ClusterDescriptionsOut")


class ClusterOut(ClusterDescriptionsOut):
    slug: str
    name: str
    acronym: str
    legal_name: str
    agency: str = Field(..., alias="agency.slug")
    country: str = Field(..., alias="country_id")
    nuts_code: str | None = Field(None, alias="nuts_region_id")
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_email: str
    contact_phone: str
    year_established: int | None
    website: str
    label: str
    label_date: date | None
    label_expiry: date | None
    status: str
    value_chain_position: str
    management_team_fte: Decimal | None
    sectors: list[str]
    technology_fields: list[str]
    ecosystems: list[str]
    s3_areas: list[str]
    networks: list[str]
    member_count: int

    resolve_sectors = staticmethod(_sorted_keys("sectors", "code"))
    resolve_technology_fields = staticmethod(_sorted_keys("technology_fields", "slug"))
    resolve_ecosystems = staticmethod(_sorted_keys("ecosystems", "slug"))
    resolve_s3_areas = staticmethod(_sorted_keys("s3_areas", "slug"))
    resolve_networks = staticmethod(_sorted_keys("networks", "slug"))

    @staticmethod
    def resolve_member_count(obj: ClusterOrganisation) -> int:
        count = getattr(obj, "member_count", None)
        return count if count is not None else obj.memberships.filter(until__isnull=True).count()


# The request bodies derive from the one declaration of each entity (registry/models.py); mypy
# sees them as the base schema.
if TYPE_CHECKING:
    ClusterIn = InputSchema
    OrganisationIn = InputSchema
else:
    ClusterIn = input_schema(CLUSTER, "ClusterIn")
    OrganisationIn = input_schema(ORGANISATION, "OrganisationIn")


class ClusterCreateIn(ClusterIn):
    name: str
    country: str
    agency: str
    slug: str | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    type: str
    country: str = Field(..., alias="country_id")
    nuts_code: str | None = Field(None, alias="nuts_region_id")
    size_class: str
    website: str
    nace: str | None
    pic: str
    lei: str
    vat_number: str | None
    national_id: str | None
    employees: int | None
    turnover_eur: Decimal | None
    is_fictitious: bool

    @staticmethod
    def resolve_nace(obj: Organisation) -> str | None:
        return obj.nace.code if obj.nace else None

    @staticmethod
    def _confidential(obj: Organisation, context, field: str):
        request = context["request"]
        allowed = request.__dict__.setdefault("_confidential_organisations", {})
        if obj.pk not in allowed:  # four fields per organisation: decide once
            allowed[obj.pk] = permissions.can_see_organisation_confidential(reader(request), obj)
        return getattr(obj, field) if allowed[obj.pk] else None

    @staticmethod
    def resolve_vat_number(obj: Organisation, context) -> str | None:
        return OrganisationOut._confidential(obj, context, "vat_number")

    @staticmethod
    def resolve_national_id(obj: Organisation, context) -> str | None:
        return OrganisationOut._confidential(obj, context, "national_id")

    @staticmethod
    def resolve_employees(obj: Organisation, context) -> int | None:
        return OrganisationOut._confidential(obj, context, "employees")

    @staticmethod
    def resolve_turnover_eur(obj: Organisation, context) -> Decimal | None:
        return OrganisationOut._confidential(obj, context, "turnover_eur")


class OrganisationCreateIn(OrganisationIn):
    name: str
    type: str
    country: str
    slug: str | None = None


class MembershipOut(Schema):
    id: int
    cluster: str = Field(..., alias="cluster.slug")
    organisation: str = Field(..., alias="organisation.slug")
    role: str
    since: date
    until: date | None
    listed_publicly: bool = Field(
        ..., description="The member agreed to appear on the cluster's public profile."
    )


class MembershipIn(InputSchema):
    cluster: str
    organisation: str
    role: str = Membership.Role.MEMBER
    since: date | None = None
    listed_publicly: bool = False


class MembershipUpdateIn(InputSchema):
    role: str | None = None
    since: date | None = None
    until: date | None = None
    listed_publicly: bool | None = None


class AgreementOut(Schema):
    slug: str
    title: str
    type: str
    owner: str = Field(..., alias="owner.slug")
    party_a_type: str
    party_a: str
    party_b_type: str
    party_b: str
    sector: str | None
    start: date
    end: date | None
    description: str
    is_public: bool = Field(
        ..., description="Shown on the parties' public profiles; documents stay private."
    )

    @staticmethod
    def resolve_party_a_type(obj: CooperationAgreement) -> str:
        return "agency" if obj.agency_a_id else "cluster"

    @staticmethod
    def resolve_party_b_type(obj: CooperationAgreement) -> str:
        return "agency" if obj.agency_b_id else "cluster"

    @staticmethod
    def resolve_party_a(obj: CooperationAgreement) -> str:
        return obj.party_a.slug

    @staticmethod
    def resolve_party_b(obj: CooperationAgreement) -> str:
        return obj.party_b.slug

    @staticmethod
    def resolve_sector(obj: CooperationAgreement) -> str | None:
        return obj.sector.code if obj.sector else None


class AgreementIn(InputSchema):
    title: str | None = None
    type: str | None = None
    party_a_type: str | None = None
    party_a: str | None = None
    party_b_type: str | None = None
    party_b: str | None = None
    sector: str | None = None
    start: date | None = None
    end: date | None = None
    description: str | None = None
    is_public: bool | None = None


class AgreementCreateIn(AgreementIn):
    title: str
    type: str
    owner: str
    party_a_type: str
    party_a: str
    party_b_type: str
    party_b: str
    start: date
    slug: str | None = None


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _resolve(model, field: str, value: str | None, **lookup):
    if value is None or value == "":
        return None
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        raise _invalid(field, f"unknown value {value!r}") from None


def _term_list(kind: str, field: str, slugs: list[str]) -> list[Term]:
    terms = {t.slug: t for t in Term.objects.filter(kind=kind, slug__in=slugs)}
    missing = [s for s in slugs if s not in terms]
    if missing:
        raise _invalid(field, f"unknown {kind.replace('_', ' ')}: {', '.join(missing)}")
    return [terms[s] for s in slugs]


def _given(entity: Entity, payload: InputSchema) -> tuple[dict, dict]:
    """The values given, and among them the plain ones by model field, an emptied field (null)
    holding what its column holds when empty; the references to other records are the caller's
    to look up."""
    values = payload.dict(exclude_unset=True)
    references = {attribute.name for attribute in entity.references()}
    data = {
        attribute.field: (
            entity.empty_value(attribute)
            if values[attribute.name] is None
            else values[attribute.name]
        )
        for attribute in entity.api_attributes()
        if attribute.name in values and attribute.name not in references
    }
    return values, data


def _cluster_data(payload: ClusterIn) -> dict:
    values, data = _given(CLUSTER, payload)
    if "country" in values:
        data["country"] = _resolve(
            Country, "country", values["country"], code=(values["country"] or "").upper()
        )
    if "nuts_code" in values:
        data["nuts_region"] = _resolve(
            NutsRegion, "nuts_code", values["nuts_code"], code=(values["nuts_code"] or "").upper()
        )
    if "sectors" in values:
        codes = values["sectors"] or []
        sectors = list(
            NaceActivity.objects.filter(version=NaceActivity.Version.REV2_1, code__in=codes)
        )
        missing = sorted(set(codes) - {s.code for s in sectors})
        if missing:
            raise _invalid("sectors", f"unknown NACE Rev. 2.1 codes: {', '.join(missing)}")
        data["sectors"] = sectors
    for name, kind in cluster_term_kinds().items():
        if name in values:
            data[name] = _term_list(kind, name, values[name] or [])
    return data


@router.get("/clusters", response={200: list[ClusterOut], **READ_ERRORS})
@paginate(Pagination)
def list_clusters(
    request: HttpRequest,
    search: str = "",
    country: str = "",
    region: str = "",
    agency: str = "",
    ecosystem: str = "",
    status: str = "",
    label: str = "",
):
    return (
        selectors.cluster_list(
            user=reader(request),
            search=search,
            country=country,
            region=region,
            agency=agency,
            ecosystem=ecosystem,
            status=status,
            label=label,
        )
        .select_related("agency")
        .prefetch_related(*CLUSTER.many_to_many())
    )


@router.get("/clusters/{slug}", response={200: ClusterOut, **READ_ERRORS})
def get_cluster(request: HttpRequest, slug: str):
    return get_object_or_404(
        permissions.visible_clusters(reader(request)).select_related("agency"), slug=slug
    )


@router.post("/clusters", response={201: ClusterOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def create_cluster(request: ApiRequest, payload: ClusterCreateIn):
    agency = Agency.objects.filter(slug=payload.agency).first()
    if agency is None:
        raise ApiValidationError({"agency": [f"unknown agency {payload.agency!r}"]})
    data = _cluster_data(payload)
    if payload.slug:
        data["slug"] = payload.slug
    return Status(
        201,
        services.cluster_create(actor=request.auth, agency=agency, data=data, source="api"),
    )


@router.patch("/clusters/{slug}", response={200: ClusterOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def update_cluster(request: ApiRequest, slug: str, payload: ClusterIn):
    cluster = get_object_or_404(permissions.visible_clusters(request.auth), slug=slug)
    data = _cluster_data(payload)
    return services.cluster_update(actor=request.auth, cluster=cluster, data=data, source="api")


def _organisation_data(payload: OrganisationIn) -> dict:
    values, data = _given(ORGANISATION, payload)
    if "country" in values:
        data["country"] = _resolve(
            Country, "country", values["country"], code=(values["country"] or "").upper()
        )
    if "nace" in values:
        data["nace"] = _resolve(
            NaceActivity,
            "nace",
            values["nace"],
            version=NaceActivity.Version.REV2_1,
            code=values["nace"],
        )
    if "nuts_code" in values:
        data["nuts_region"] = _resolve(
            NutsRegion, "nuts_code", values["nuts_code"], code=(values["nuts_code"] or "").upper()
        )
    return data


@router.get("/organisations", response={200: list[OrganisationOut], **READ_ERRORS})
@paginate(Pagination)
def list_organisations(request: HttpRequest, search: str = "", type: str = ""):
    return selectors.organisation_list(
        user=reader(request), search=search, type=type
    ).select_related("nace")


@router.get("/organisations/{slug}", response={200: OrganisationOut, **READ_ERRORS})
def get_organisation(request: HttpRequest, slug: str):
    return get_object_or_404(permissions.visible_organisations(reader(request)), slug=slug)


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def create_organisation(request: ApiRequest, payload: OrganisationCreateIn):
    data = _organisation_data(payload)
    if payload.slug:
        data["slug"] = payload.slug
    return Status(
        201,
        services.organisation_create(actor=request.auth, data=data, source="api"),
    )


@router.patch(
    "/organisations/{slug}", response={200: OrganisationOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def update_organisation(request: ApiRequest, slug: str, payload: OrganisationIn):
    organisation = get_object_or_404(permissions.visible_organisations(request.auth), slug=slug)
    data = _organisation_data(payload)
    return services.organisation_update(
        actor=request.auth, organisation=organisation, data=data, source="api"
    )


@router.get("/memberships", response={200: list[MembershipOut], **READ_ERRORS})
@paginate(Pagination)
def list_memberships(
    request: HttpRequest, cluster: str = "", organisation: str = "", current: bool = False
):
    memberships = permissions.visible_memberships(reader(request)).select_related(
        "cluster", "organisation"
    )
    if cluster:
        memberships = memberships.filter(cluster__slug=cluster)
    if organisation:
        memberships = memberships.filter(organisation__slug=organisation)
    if current:
        memberships = memberships.filter(until__isnull=True)
    return memberships.order_by("cluster__slug", "organisation__slug", "since")


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **READ_ERRORS})
def get_membership(request: HttpRequest, membership_id: int):
    return get_object_or_404(permissions.visible_memberships(reader(request)), pk=membership_id)


@router.post("/memberships", response={201: MembershipOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def create_membership(request: ApiRequest, payload: MembershipIn):
    cluster = permissions.visible_clusters(request.auth).filter(slug=payload.cluster).first()
    organisation = (
        permissions.visible_organisations(request.auth).filter(slug=payload.organisation).first()
    )
    if cluster is None or organisation is None:
        raise ApiValidationError(
            {
                **(
                    {"cluster": [f"unknown cluster {payload.cluster!r}"]} if cluster is None else {}
                ),
                **(
                    {"organisation": [f"unknown organisation {payload.organisation!r}"]}
                    if organisation is None
                    else {}
                ),
            }
        )
    if payload.role not in Membership.Role.values:
        raise ApiValidationError(
            {"role": [f"unknown role; allowed: {', '.join(Membership.Role.values)}"]}
        )
    membership = services.membership_add(
        actor=request.auth,
        cluster=cluster,
        organisation=organisation,
        role=payload.role,
        since=payload.since,
        listed_publicly=payload.listed_publicly,
        source="api",
    )
    return Status(201, membership)


@router.patch(
    "/memberships/{membership_id}", response={200: MembershipOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def update_membership(request: ApiRequest, membership_id: int, payload: MembershipUpdateIn):
    membership = get_object_or_404(permissions.visible_memberships(request.auth), pk=membership_id)
    return services.membership_update(
        actor=request.auth,
        membership=membership,
        data=payload.dict(exclude_unset=True),
        source="api",
    )


def _agreement_data(payload: AgreementIn) -> dict:
    values = payload.dict(exclude_unset=True)
    data = {
        k: v
        for k, v in values.items()
        if k in {"title", "type", "start", "end", "description", "is_public"}
    }
    if data.get("description") is None and "description" in data:
        data["description"] = ""
    for side in ("a", "b"):
        kind, slug = values.get(f"party_{side}_type"), values.get(f"party_{side}")
        if kind is None and slug is None:
            continue
        if kind not in {"agency", "cluster"}:
            raise _invalid(f"party_{side}_type", "use 'agency' or 'cluster'")
        model = Agency if kind == "agency" else ClusterOrganisation
        party = _resolve(model, f"party_{side}", slug, slug=slug)
        data[f"agency_{side}"] = party if kind == "agency" else None
        data[f"cluster_{side}"] = party if kind == "cluster" else None
    if "sector" in values:
        data["sector"] = _resolve(
            NaceActivity,
            "sector",
            values["sector"],
            version=NaceActivity.Version.REV2_1,
            code=values["sector"],
        )
    return data


@router.get("/agreements", response={200: list[AgreementOut], **READ_ERRORS})
@paginate(Pagination)
def list_agreements(request: HttpRequest):
    return selectors.agreement_list(user=reader(request))


@router.get("/agreements/{slug}", response={200: AgreementOut, **READ_ERRORS})
def get_agreement(request: HttpRequest, slug: str):
    return get_object_or_404(selectors.agreement_list(user=reader(request)), slug=slug)


@router.post("/agreements", response={201: AgreementOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def create_agreement(request: ApiRequest, payload: AgreementCreateIn):
    owner = Agency.objects.filter(slug=payload.owner).first()
    if owner is None:
        raise ApiValidationError({"owner": [f"unknown agency {payload.owner!r}"]})
    data = _agreement_data(payload)
    if payload.slug:
        data["slug"] = payload.slug
    return Status(
        201,
        services.agreement_create(actor=request.auth, owner=owner, data=data, source="api"),
    )


@router.patch("/agreements/{slug}", response={200: AgreementOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def update_agreement(request: ApiRequest, slug: str, payload: AgreementIn):
    agreement = get_object_or_404(selectors.agreement_list(user=request.auth), slug=slug)
    data = _agreement_data(payload)
    return services.agreement_update(
        actor=request.auth, agreement=agreement, data=data, source="api"
    )
