"""Every write of the services domain, audited. `actor=None` is the trusted command line. The
aid of a subsidised delivery or an approved claim is recorded in the de minimis register
through the state-aid services, in the same transaction as the delivery or the approval: both
happen or neither does (docs/services.md, "Aid")."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atclusters.core import languages
from atclusters.core.audit import audited, audited_create, snapshot
from atclusters.core.entities import length_errors
from atclusters.core.errors import DomainError, InvalidFields
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.services import eligibility, permissions, selectors
from atclusters.services.models import (
    Claim,
    Programme,
    Service,
    ServiceCategory,
    ServiceRequest,
)
from atclusters.stateaid import services as aid_services
from atclusters.stateaid.models import Grant


class ServiceError(DomainError):
    """Bad input; `field` names the field at fault. Nothing was written."""


class ServiceFieldsError(InvalidFields, ServiceError):
    """Several fields at fault at once."""


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(field, _("is required"))
    return value


def _fits(instance: ServiceCategory | Service | Programme) -> None:
    """Every text within its column's length (PostgreSQL refuses longer ones)."""
    if errors := length_errors(instance):
        raise ServiceFieldsError(errors)


def _codes(values: list[str], field: str, allowed: set[str] | None = None) -> list[str]:
    cleaned = sorted({str(value).strip() for value in values if str(value).strip()})
    if allowed is not None:
        unknown = [value for value in cleaned if value not in allowed]
        if unknown:
            raise ServiceError(
                field,
                _("unknown value %(value)r; allowed: %(allowed)s")
                % {"value": unknown[0], "allowed": ", ".join(sorted(allowed))},
            )
    return cleaned


SIZES = {"micro", "small", "medium", "large"}
LANGUAGES = set(languages.CODES)


def category_save(
    *, actor: AnyUser, slug: str, names: dict[str, str], source: str = "web"
) -> ServiceCategory:
    """Creates or renames a category (agency staff and the platform admin)."""
    if not permissions.can_edit_categories(actor):
        raise PermissionDenied
    slug = _text(slug, "slug", required=True)
    _text(names.get("en", ""), "name_en", required=True)
    category = ServiceCategory.objects.filter(slug=slug).first()
    before = snapshot(category) if category else {}
    category = category or ServiceCategory(slug=slug)
    for code in LANGUAGES:
        setattr(category, f"name_{code}", names.get(code, "").strip())
    _fits(category)
    with audited(category, actor=actor, source=source, before=before or None):
        category.save()
    return category


def service_save(
    *,
    actor: AnyUser,
    slug: str,
    agency: Agency,
    category: ServiceCategory,
    values: dict[str, Any],
    cluster: ClusterOrganisation | None = None,
    eligible_clusters: list[ClusterOrganisation] | None = None,
    source: str = "web",
) -> Service:
    """Creates or updates the service `slug`. `values`: provider_kind, names and descriptions
    (name_en … description_fr), list_price, member_price, unit, capacity_per_month,
    languages, eligible_sizes, eligible_countries, aid_treatment, is_active."""
    service = Service.objects.filter(slug=slug).first()
    treatment = values.get("aid_treatment", service.aid_treatment if service else "none")
    if service is not None and not permissions.can_offer(
        actor, agency=service.agency, cluster=service.cluster, aid_treatment=treatment
    ):
        raise PermissionDenied
    if not permissions.can_offer(actor, agency=agency, cluster=cluster, aid_treatment=treatment):
        raise PermissionDenied
    if treatment not in eligibility.TREATMENTS:
        raise ServiceError(
            "aid_treatment",
            _("unknown value %(value)r; allowed: %(allowed)s")
            % {"value": treatment, "allowed": ", ".join(eligibility.TREATMENTS)},
        )
    if cluster is not None and cluster.agency_id != agency.pk:
        raise ServiceError("cluster", _("the cluster belongs to another agency"))
    before = snapshot(service) if service else {}
    service = service or Service(slug=_text(slug, "slug", required=True))
    service.agency, service.cluster, service.category = agency, cluster, category
    service.aid_treatment = treatment
    kind = values.get("provider_kind", service.provider_kind if before else None)
    service.provider_kind = kind or (
        Service.ProviderKind.CLUSTER if cluster else Service.ProviderKind.AGENCY
    )
    if service.provider_kind not in Service.ProviderKind.values:
        raise ServiceError("provider_kind", _("must be agency, cluster or hub"))
    if service.provider_kind == Service.ProviderKind.CLUSTER and cluster is None:
        raise ServiceError("cluster", _("is required for a cluster's service"))
    for code in LANGUAGES:
        for field in ("name", "description"):
            key = f"{field}_{code}"
            if key in values:
                setattr(service, key, (values[key] or "").strip())
    _text(service.name_en, "name_en", required=True)
    for field in ("list_price", "member_price"):
        if field in values:
            setattr(service, field, _money(values[field], field))
    if service.list_price is None or service.member_price is None:
        raise ServiceError("list_price", _("is required"))
    if service.member_price > service.list_price:
        raise ServiceError("member_price", _("must not be above the list price"))
    if treatment == eligibility.DE_MINIMIS and service.member_price == service.list_price:
        raise ServiceError(
            "member_price", _("a de minimis service is one sold below its list price")
        )
    if "unit" in values:
        if values["unit"] not in Service.Unit.values:
            raise ServiceError("unit", _("must be one of %s") % ", ".join(Service.Unit.values))
        service.unit = values["unit"]
    if "capacity_per_month" in values:
        service.capacity_per_month = values["capacity_per_month"] or None
    if "languages" in values:
        service.languages = _codes(values["languages"], "languages", LANGUAGES)
    if "eligible_sizes" in values:
        service.eligible_sizes = _codes(values["eligible_sizes"], "eligible_sizes", SIZES)
    if "eligible_countries" in values:
        service.eligible_countries = [
            code.upper() for code in _codes(values["eligible_countries"], "eligible_countries")
        ]
    if "is_active" in values:
        service.is_active = bool(values["is_active"])
    _fits(service)
    with audited(service, actor=actor, source=source, before=before or None):
        service.save()
        if eligible_clusters is not None:
            service.eligible_clusters.set(eligible_clusters)
    return service


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "."))
    except ArithmeticError as error:
        raise ServiceError(field, _("must be an amount in euros")) from error
    if not amount.is_finite() or amount < 0:
        raise ServiceError(field, _("must be an amount in euros, not negative"))
    return amount.quantize(eligibility.CENT)


def _units(value: Any, field: str = "units") -> Decimal:
    try:
        units = Decimal(str(value).replace(",", "."))
    except ArithmeticError as error:
        raise ServiceError(field, _("must be a number")) from error
    if not units.is_finite() or units <= 0:
        raise ServiceError(field, _("must be more than zero"))
    if units > 100_000:
        raise ServiceError(field, _("must be at most 100000"))
    return units.quantize(eligibility.CENT)


def _refusal(results: list[eligibility.RuleResult]) -> str:
    failed = [result for result in results if not result.passed]
    return "; ".join(
        _("%(rule)s: requires %(required)s, has %(actual)s")
        % {
            "rule": result.rule,
            "required": ", ".join(result.required),
            "actual": ", ".join(value for value in result.actual if value) or "—",
        }
        for result in failed
    )


def request_create(
    *,
    actor: AnyUser,
    service: Service,
    organisation: Organisation,
    units: Any = 1,
    message: str = "",
    source: str = "web",
) -> ServiceRequest:
    """A representative of `organisation` asks for the service; refused when the organisation
    is not eligible (the failing rules named)."""
    if not permissions.can_act_for(actor, organisation):
        raise PermissionDenied
    if not service.is_active:
        raise ServiceError("service", _("is not offered"))
    results = selectors.eligibility_of(service, organisation)
    if not eligibility.eligible(results):
        raise ServiceError("organisation", _("not eligible: %s") % _refusal(results))
    new = ServiceRequest(
        service=service,
        organisation=organisation,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        units_requested=_units(units),
        message=_text(message, "message"),
    )
    with transaction.atomic():
        request = audited_create(new, actor=actor, source=source)
        _notify(request, "received")
    return request


def _locked_request(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("service", "service__agency", "service__cluster", "organisation")
        .get(pk=request.pk)
    )


def request_decide(
    *, actor: AnyUser, request: ServiceRequest, accept: bool, reason: str = "", source: str = "web"
) -> ServiceRequest:
    """The provider accepts the request, or declines it saying why."""
    if not permissions.can_manage_service(actor, request.service):
        raise PermissionDenied
    reason = _text(reason, "reason", required=not accept)
    with transaction.atomic():
        current = _locked_request(request)
        if current.status != ServiceRequest.Status.REQUESTED:
            raise ServiceError(
                "status", _("the request was already %s") % current.get_status_display()
            )
        before = snapshot(current)
        current.status = (
            ServiceRequest.Status.ACCEPTED if accept else ServiceRequest.Status.DECLINED
        )
        current.decision_reason, current.decided_at = reason, timezone.now()
        with audited(current, actor=actor, source=source, before=before):
            current.save()
        _notify(current, "accepted" if accept else "declined")
    return current


@dataclass(frozen=True)
class Delivery:
    request: ServiceRequest
    aid_eur: Decimal
    grant: Grant | None
    headroom_eur: Decimal | None  # after the grant, when one was recorded


def request_deliver(
    *,
    actor: AnyUser,
    request: ServiceRequest,
    delivered_on: date,
    units: Any,
    hours: Any = None,
    outcome: str = "",
    subsidised: bool = True,
    source: str = "web",
) -> Delivery:
    """Records the delivery of a requested or accepted request. A member pays the member price; under de
    minimis the aid (list − member price, per unit) is granted in the register in the same
    transaction, and when the single undertaking has not the headroom `AidRefused` says so and
    nothing is written: the provider may then deliver `subsidised=False`, at the list price."""
    if not permissions.can_manage_service(actor, request.service):
        raise PermissionDenied
    units = _units(units)
    hours_value = _units(hours, "hours") if hours not in (None, "") else None
    if delivered_on > timezone.localdate():
        raise ServiceError("date", _("is in the future"))
    with transaction.atomic():
        current = _locked_request(request)
        service = current.service
        # Delivering a request not yet answered accepts it: the provider's staff do both.
        if current.status not in (ServiceRequest.Status.REQUESTED, ServiceRequest.Status.ACCEPTED):
            raise ServiceError(
                "request",
                _("only a requested or accepted request is delivered; this one is %s")
                % current.get_status_display(),
            )
        if service.capacity_per_month is not None:
            used = selectors.units_delivered_in_month(service, delivered_on)
            if used + units > service.capacity_per_month:
                raise ServiceError(
                    "units",
                    _("the service's capacity is %(capacity)s units a month; %(used)s are used")
                    % {"capacity": service.capacity_per_month, "used": used},
                )
        member = selectors.is_member(service, current.organisation, on=delivered_on)
        price = eligibility.unit_price(
            list_price=service.list_price,
            member_price=service.member_price,
            member=member and subsidised,
        )
        aid = eligibility.delivery_aid(
            treatment=service.aid_treatment,
            list_price=service.list_price,
            price_paid=price,
            units=units,
        )
        grant, left = None, None
        if aid > 0:
            grant, left = aid_services.advantage_grant(
                agency=service.agency,
                beneficiary=current.organisation,
                reference=f"ATC-SRV-{current.pk}",
                day=delivered_on,
                aid=aid,
                instrument=Grant.Instrument.SERVICE,
                programme=service.name_en,
                cluster=service.cluster,
                unsubsidised=eligibility.euros(service.list_price * units),
                source=source,
            )
        before = snapshot(current)
        current.status = ServiceRequest.Status.DELIVERED
        current.decided_at = current.decided_at or timezone.now()
        current.delivered_on, current.units, current.hours = delivered_on, units, hours_value
        current.outcome = _text(outcome, "outcome")
        current.price_paid, current.aid_eur, current.grant = price, aid, grant
        with audited(current, actor=actor, source=source, before=before):
            current.save()
        _notify(current, "delivered")
    return Delivery(current, aid, grant, left)


def request_rate(
    *, actor: AnyUser, request: ServiceRequest, rating: Any, comment: str = "", source: str = "web"
) -> ServiceRequest:
    """The member rates a delivered service once, 1 to 5."""
    if not permissions.can_act_for(actor, request.organisation):
        raise PermissionDenied
    try:
        value = int(rating)
    except (TypeError, ValueError) as error:
        raise ServiceError("rating", _("must be a whole number from 1 to 5")) from error
    if not 1 <= value <= 5:
        raise ServiceError("rating", _("must be a whole number from 1 to 5"))
    with transaction.atomic():
        current = _locked_request(request)
        if current.status != ServiceRequest.Status.DELIVERED:
            raise ServiceError("request", _("only a delivered service is rated"))
        if current.rating is not None:
            raise ServiceError("rating", _("this delivery was already rated"))
        before = snapshot(current)
        current.rating, current.rating_comment = value, _text(comment, "comment")
        current.rated_at = timezone.now()
        with audited(current, actor=actor, source=source, before=before):
            current.save()
    return current


def _notify(request: ServiceRequest, event: str) -> None:
    """Emails go out once the transaction commits (a refused delivery sends nothing)."""
    from atclusters.services import tasks

    transaction.on_commit(lambda: tasks.request_email.enqueue(request.pk, event))


# Benefit programmes and claims


def programme_save(
    *,
    actor: AnyUser,
    slug: str,
    agency: Agency,
    values: dict[str, Any],
    eligible_clusters: list[ClusterOrganisation] | None = None,
    source: str = "web",
) -> Programme:
    """Creates or updates a programme (the agency's staff). `values`: department, names,
    how_to_claim texts, eligible_sizes, eligible_countries, eligible_sectors,
    eligible_regions, documents_required, opens_on, closes_on, budget_eur, rate, max_aid_eur,
    aid_treatment."""
    programme = Programme.objects.filter(slug=slug).first()
    owners = [agency, programme.agency] if programme else [agency]
    if not all(permissions.can_run_programmes(actor, owner) for owner in owners):
        raise PermissionDenied
    before = snapshot(programme) if programme else {}
    programme = programme or Programme(slug=_text(slug, "slug", required=True))
    programme.agency = agency
    text_fields = ["department"] + [
        f"{field}_{code}" for field in ("name", "how_to_claim") for code in LANGUAGES
    ]
    for field in text_fields:
        if field in values:
            setattr(programme, field, (values[field] or "").strip())
    _text(programme.department, "department", required=True)
    _text(programme.name_en, "name_en", required=True)
    lists = {
        "eligible_sizes": SIZES,
        "eligible_countries": None,
        "eligible_sectors": None,
        "eligible_regions": None,
        "documents_required": None,
    }
    for field, allowed in lists.items():
        if field in values:
            setattr(programme, field, _codes(values[field], field, allowed))
    for field in ("opens_on", "closes_on"):
        if field in values:
            setattr(programme, field, values[field])
        if getattr(programme, field) is None:
            raise ServiceError(field, _("is required"))
    if programme.closes_on < programme.opens_on:
        raise ServiceError("closes_on", _("is before opens_on"))
    if values.get("budget_eur") is not None:
        programme.budget_eur = _money(values["budget_eur"], "budget_eur")
    if "max_aid_eur" in values:  # empty: no maximum per claim
        empty = values["max_aid_eur"] is None or str(values["max_aid_eur"]).strip() == ""
        programme.max_aid_eur = None if empty else _money(values["max_aid_eur"], "max_aid_eur")
    if programme.budget_eur is None:
        raise ServiceError("budget_eur", _("is required"))
    if "rate" in values:
        rate = Decimal(str(values["rate"]))
        if not Decimal(0) < rate <= 1:
            raise ServiceError("rate", _("must be more than 0 and at most 1"))
        programme.rate = rate
    if programme.rate is None:
        raise ServiceError("rate", _("is required"))
    if "aid_treatment" in values:
        if values["aid_treatment"] not in (eligibility.NONE, eligibility.DE_MINIMIS):
            raise ServiceError("aid_treatment", _("must be none or de-minimis"))
        programme.aid_treatment = values["aid_treatment"]
    _fits(programme)
    with audited(programme, actor=actor, source=source, before=before or None):
        programme.save()
        if eligible_clusters is not None:
            programme.eligible_clusters.set(eligible_clusters)
    return programme


def claim_submit(
    *,
    actor: AnyUser,
    programme: Programme,
    organisation: Organisation,
    costs_eur: Any,
    description: str = "",
    documents: list[str] | None = None,
    source: str = "web",
) -> Claim:
    if not permissions.can_act_for(actor, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    if not programme.opens_on <= today <= programme.closes_on:
        raise ServiceError(
            "programme",
            _("claims are taken from %(start)s to %(end)s")
            % {"start": programme.opens_on, "end": programme.closes_on},
        )
    costs = _money(costs_eur, "costs_eur")
    if costs <= 0:
        raise ServiceError("costs_eur", _("must be more than zero"))
    return audited_create(
        Claim(
            programme=programme,
            organisation=organisation,
            submitted_by=actor if actor is not None and actor.is_authenticated else None,
            costs_eur=costs,
            description=_text(description, "description"),
            documents=_codes(documents or [], "documents"),
        ),
        actor=actor,
        source=source,
    )


def _locked_claim(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("programme", "programme__agency", "organisation")
        .get(pk=claim.pk)
    )


def claim_check(*, actor: AnyUser, claim: Claim, source: str = "web") -> Claim:
    """Evaluates the eligibility rule by rule and keeps the result on the claim."""
    if not permissions.can_manage_programme(actor, claim.programme):
        raise PermissionDenied
    with transaction.atomic():
        current = _locked_claim(claim)
        if current.status not in (Claim.Status.SUBMITTED, Claim.Status.CHECKED):
            raise ServiceError("status", _("the claim was already decided"))
        before = snapshot(current)
        results = selectors.eligibility_of(
            current.programme, current.organisation, documents=current.documents
        )
        current.checks = [
            {
                "rule": r.rule,
                "passed": r.passed,
                "required": list(r.required),
                "actual": list(r.actual),
            }
            for r in results
        ]
        current.status = Claim.Status.CHECKED
        with audited(current, actor=actor, source=source, before=before):
            current.save()
    return current


def claim_decide(
    *, actor: AnyUser, claim: Claim, approve: bool, reason: str = "", source: str = "web"
) -> Claim:
    """Approves a checked, eligible claim — the discount is `rate` of the costs up to the
    per-claim maximum, committed against the budget under a lock on the programme (concurrent
    approvals never over-commit it) and granted in the de minimis register like a subsidised
    service — or rejects it saying why."""
    if not permissions.can_manage_programme(actor, claim.programme):
        raise PermissionDenied
    reason = _text(reason, "reason", required=not approve)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=claim.programme_id)
        current = _locked_claim(claim)
        if current.status != Claim.Status.CHECKED:
            raise ServiceError("status", _("only a checked claim is decided"))
        before = snapshot(current)
        current.reason, current.decided_at = reason, timezone.now()
        if not approve:
            current.status = Claim.Status.REJECTED
        else:
            if not all(check["passed"] for check in current.checks):
                raise ServiceError("claim", _("the organisation does not meet every rule"))
            aid = eligibility.discount_aid(
                costs=current.costs_eur, rate=programme.rate, cap=programme.max_aid_eur
            )
            left = eligibility.budget_left(
                budget=programme.budget_eur, committed=selectors.committed(programme)
            )
            if aid > left:
                raise ServiceError(
                    "budget",
                    _(
                        "the discount of EUR %(aid)s is more than the EUR %(left)s left in the budget"
                    )
                    % {"aid": aid, "left": left},
                )
            if programme.aid_treatment == eligibility.DE_MINIMIS and aid > 0:
                current.grant, _left = aid_services.advantage_grant(
                    agency=programme.agency,
                    beneficiary=current.organisation,
                    reference=f"ATC-CLM-{current.pk}",
                    day=timezone.localdate(),
                    aid=aid,
                    instrument=Grant.Instrument.DISCOUNT,
                    programme=programme.name_en,
                    cluster=None,
                    unsubsidised=current.costs_eur,
                    source=source,
                )
            current.aid_eur, current.status = aid, Claim.Status.APPROVED
        with audited(current, actor=actor, source=source, before=before):
            current.save()
        transaction.on_commit(lambda: _claim_email(current.pk))
    return current


def _claim_email(claim_id: int) -> None:
    from atclusters.services import tasks

    tasks.claim_email.enqueue(claim_id)


def claim_pay(*, actor: AnyUser, claim: Claim, paid_on: date, source: str = "web") -> Claim:
    if not permissions.can_manage_programme(actor, claim.programme):
        raise PermissionDenied
    with transaction.atomic():
        current = _locked_claim(claim)
        if current.status != Claim.Status.APPROVED:
            raise ServiceError("status", _("only an approved claim is paid"))
        before = snapshot(current)
        current.status, current.paid_on = Claim.Status.PAID, paid_on
        with audited(current, actor=actor, source=source, before=before):
            current.save()
    return current
