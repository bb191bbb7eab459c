"""Every write to the de minimis register. Grants, mergers and splits are append-only; each
write is audited. `actor=None` is the trusted command line. Who may write what: the rule in
`permissions`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from atclusters.core.audit import acting_user, audited, audited_create, diff, snapshot
from atclusters.core.errors import DomainError
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import calendars, permissions, rules, selectors, wording
from atclusters.stateaid.models import (
    Grant,
    RegisterLock,
    Restructuring,
    Undertaking,
    UndertakingLink,
)


class CeilingExceeded(Exception):
    """The grant would take the single undertaking above a ceiling: nothing was recorded."""

    def __init__(self, result: rules.CheckResult):
        super().__init__(wording.check_reason(result))
        self.result = result


class ClusterAidRefused(Exception):
    def __init__(self, result: rules.ClusterAidResult):
        super().__init__("; ".join(wording.cluster_aid_reasons(result)))
        self.result = result


@dataclass(frozen=True)
class Money:
    """An amount as granted, and its value in euros at the grant date's rate."""

    nominal: Decimal
    currency: str = "EUR"
    eur_rate: Decimal = Decimal(1)
    rate_source: str = ""

    def euros(self) -> Decimal:
        return rules.to_euro(self.nominal, self.eur_rate)


def _require_acting_for_undertakings(actor: AnyUser, parties: dict[str, set[int]]) -> None:
    """A write that changes single undertakings (a link, a merger, a split, an undertaking's
    identity) changes the register of every Member State of every undertaking connected to
    the `parties` (field → undertaking keys it names): the actor must act for all of them."""
    if not permissions.can_manage_register(actor):
        raise PermissionDenied
    if permissions.acting_member_states(actor) == permissions.EVERY_MEMBER_STATE:
        return  # nothing to compute: the platform admin and the operator act for every one
    for field, keys in parties.items():
        permissions.require_acting_for(
            actor, selectors.member_states_affected_by(keys), field=field
        )


def undertaking_save(
    *,
    actor: AnyUser,
    identifier: str,
    name: str,
    country: str,
    vat: str = "",
    organisation: Organisation | None = None,
    source: str = "web",
) -> tuple[str, Undertaking]:
    """Creates the undertaking or updates its name, country and VAT number; links it to
    `organisation`, or else to the registry organisation with the same VAT number, if there is
    one. Returns the outcome (created, updated, unchanged) and the undertaking. Any agency's
    staff record a new undertaking; an update (which every Member State holding it reads, and
    which can give an organisation's representatives its aid) needs someone acting for each of
    its Member States and for the new country."""
    if not permissions.can_manage_register(actor):
        raise PermissionDenied
    identifier, name = identifier.strip(), name.strip()
    if not identifier:
        raise DomainError("id", _("is required"))
    if not name:
        raise DomainError("name", _("is required"))
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise DomainError("country", _("must be a two-letter country code"))
    vat = vat.strip().replace(" ", "").upper()
    if organisation is None and vat:
        organisation = Organisation.objects.filter(country_id=country, vat_number=vat).first()
    existing = Undertaking.objects.filter(identifier=identifier).first()
    if existing is None:
        undertaking = audited_create(
            Undertaking(
                identifier=identifier,
                name=name,
                country=country,
                vat=vat,
                organisation=organisation,
            ),
            actor=actor,
            source=source,
        )
        return "created", undertaking
    before = snapshot(existing)
    existing.name, existing.country, existing.vat = name, country, vat
    existing.organisation = organisation or existing.organisation
    changes = diff(before, snapshot(existing))
    if not changes:
        return "unchanged", existing
    states = permissions.register_member_states({existing.pk})
    if new_country := permissions.member_state_of_country(country):
        states.add(new_country)
    permissions.require_acting_for(actor, states, field="id")
    with audited(existing, actor=actor, source=source, before=before):
        existing.save()
    return "updated", existing


def link_save(
    *,
    actor: AnyUser,
    parent: Undertaking,
    child: Undertaking,
    relation: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    source: str = "web",
) -> tuple[str, UndertakingLink]:
    """Records a link of Art. 2(2); it joins the two single undertakings in every Member State
    that has aid in either."""
    if not permissions.can_manage_register(actor):
        raise PermissionDenied
    if parent.pk == child.pk:
        raise DomainError("child_id", _("an undertaking cannot be linked to itself"))
    if relation not in UndertakingLink.Relation.values:
        raise DomainError(
            "relation",
            _("unknown relation %(value)r; allowed: %(allowed)s")
            % {"value": relation, "allowed": ", ".join(UndertakingLink.Relation.values)},
        )
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError("valid_to", _("is before valid_from"))
    values = {
        "parent": parent,
        "child": child,
        "relation": relation,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    existing = UndertakingLink.objects.filter(**values).first()
    if existing is not None:
        return "unchanged", existing
    _require_acting_for_undertakings(actor, {"parent_id": {parent.pk}, "child_id": {child.pk}})
    link = audited_create(UndertakingLink(**values), actor=actor, source=source)
    return "created", link


def _lock(member_state: str) -> None:
    """Serialises every grant of one Member State: the check and the insert run as if alone.
    On PostgreSQL the row lock does it; SQLite takes its write lock when the transaction begins
    (transaction_mode IMMEDIATE in the settings)."""
    RegisterLock.objects.bulk_create(
        [RegisterLock(member_state=member_state)], ignore_conflicts=True
    )
    RegisterLock.objects.select_for_update().get(member_state=member_state)


def _member_state(value: str) -> str:
    try:
        return rules.member_state_code(value)
    except ValueError as error:
        raise DomainError("member_state", str(error)) from error


def grant_record(
    *,
    actor: AnyUser,
    undertaking: Undertaking,
    reference: str,
    grant_date: date,
    money: Money,
    member_state: str,
    granting_authority: str,
    basis: str = Grant.Basis.DE_MINIMIS,
    regulation: str = rules.GENERAL,
    instrument: str = Grant.Instrument.GRANT,
    gge_eur: Decimal | None = None,
    gge_method: str = "",
    agency: Agency | None = None,
    scheme: str = "",
    purpose: str = "",
    nace: str = "",
    cluster: ClusterOrganisation | None = None,
    programme: str = "",
    cluster_aid: str = "",
    eligible_costs_eur: Decimal | None = None,
    assisted_area: str = "",
    operating_years: int = 0,
    same_costs: rules.SameCosts | None = None,
    road_freight: bool = False,
    reported_on: date | None = None,
    enforce_ceiling: bool = True,
    source: str = "web",
) -> Grant:
    """Records a grant after checking it, in one transaction that no other grant of the same
    Member State can interleave with. De minimis: every ceiling of the single undertaking as it
    stands on the grant date (raises `CeilingExceeded`, nothing recorded). GBER Art. 27 cluster
    aid: intensity, duration, notification threshold (raises `ClusterAidRefused`).
    `enforce_ceiling=False` is for importing aid that was granted in the past."""
    member_state = _member_state(member_state)
    permissions.require_acting_for(actor, {member_state}, field="member_state")
    reference = reference.strip()
    if not reference:
        raise DomainError("reference", _("is required"))
    if money.nominal <= 0:
        raise DomainError("amount", _("must be more than zero"))
    if money.eur_rate <= 0:
        raise DomainError("eur_rate", _("must be more than zero"))
    if money.currency == "EUR" and money.eur_rate != 1:
        raise DomainError("eur_rate", _("must be 1 for an amount in euros"))
    if basis == Grant.Basis.DE_MINIMIS and regulation not in rules.KINDS:
        raise DomainError("regulation", _("is required for de minimis aid"))
    if basis != Grant.Basis.DE_MINIMIS:
        regulation = ""
    if gge_eur is None:
        if instrument in (Grant.Instrument.LOAN, Grant.Instrument.GUARANTEE):
            raise DomainError(
                "gge_eur",
                _("is required for loans and guarantees: the nominal amount is not the aid"),
            )
        gge_eur = money.euros()
    if gge_eur < 0:
        raise DomainError("gge_eur", _("must not be negative"))
    if basis == Grant.Basis.DE_MINIMIS:
        try:
            rules.regulation_for(regulation, grant_date)
        except ValueError as error:
            raise DomainError("grant_date", str(error)) from error
    with transaction.atomic():
        _lock(member_state)
        if Grant.objects.filter(reference=reference, member_state=member_state).exists():
            raise DomainError(
                "reference",
                _("%(reference)s is already in the register; correct it instead")
                % {"reference": reference},
            )
        if basis == Grant.Basis.DE_MINIMIS and enforce_ceiling:
            result = selectors.de_minimis_check(
                user=actor,
                undertaking=undertaking,
                grant_date=grant_date,
                amount=gge_eur,
                regulation=regulation,
                member_state=member_state,
                same_costs=same_costs,
                road_freight=road_freight,
            )
            if not result.allowed:
                raise CeilingExceeded(result)
        if cluster_aid:
            _check_cluster_aid(
                cluster=cluster,
                aid_type=cluster_aid,
                grant_date=grant_date,
                amount=gge_eur,
                eligible_costs=eligible_costs_eur,
                assisted_area=assisted_area,
                operating_years=operating_years,
            )
        grant = audited_create(
            Grant(
                reference=reference,
                undertaking=undertaking,
                member_state=member_state,
                granting_authority=granting_authority.strip() or (agency.name if agency else ""),
                agency=agency,
                basis=basis,
                regulation=regulation,
                scheme=scheme,
                instrument=instrument,
                nominal_amount=money.nominal,
                currency=money.currency,
                eur_rate=money.eur_rate,
                rate_source=money.rate_source,
                gge_eur=gge_eur,
                gge_method=gge_method,
                grant_date=grant_date,
                purpose=purpose,
                nace=nace,
                cluster=cluster,
                programme=programme,
                cluster_aid=cluster_aid,
                eligible_costs_eur=eligible_costs_eur,
                report_due=calendars.report_deadline(member_state, grant_date),
                reported_on=reported_on,
                recorded_by=acting_user(actor),
            ),
            actor=actor,
            source=source,
        )
    return grant


def _check_cluster_aid(
    *,
    cluster: ClusterOrganisation | None,
    aid_type: str,
    grant_date: date,
    amount: Decimal,
    eligible_costs: Decimal | None,
    assisted_area: str,
    operating_years: int,
) -> None:
    if cluster is None:
        raise DomainError("cluster", _("is required for GBER Art. 27 cluster aid"))
    if eligible_costs is None or eligible_costs <= 0:
        raise DomainError("eligible_costs_eur", _("is required for GBER Art. 27 cluster aid"))
    try:
        result = rules.cluster_aid(
            aid_type=aid_type,
            grant_date=grant_date,
            amount=amount,
            eligible_costs=eligible_costs,
            assisted_area=assisted_area,
            operating_years=operating_years,
            previous_aid_to_cluster=selectors.cluster_aid_total(cluster=cluster),
        )
    except ValueError as error:
        raise DomainError("cluster_aid", str(error)) from error
    if not result.allowed:
        raise ClusterAidRefused(result)


def _replace(
    *, actor: AnyUser, grant: Grant, entry: str, reason: str, values: dict[str, Any], source: str
) -> Grant:
    if not reason.strip():
        raise DomainError("reason", _("say why the entry is corrected or revoked"))
    with transaction.atomic():
        _lock(grant.member_state)
        current = Grant.objects.select_related("undertaking").get(pk=grant.pk)
        if hasattr(current, "replaced_by"):
            raise DomainError(
                "grant", _("this entry was already corrected or revoked; act on the newest one")
            )
        if current.entry == Grant.Entry.REVOCATION:
            raise DomainError("grant", _("a revoked grant cannot be corrected"))
        fields = {
            field.name: getattr(current, field.name)
            for field in Grant._meta.concrete_fields
            if field.name not in {"id", "entry", "corrects", "reason", "recorded_at", "recorded_by"}
        }
        fields.update(values)
        if (
            entry == Grant.Entry.CORRECTION
            and fields["basis"] == Grant.Basis.DE_MINIMIS
            and (fields["gge_eur"] > current.gge_eur or fields["grant_date"] != current.grant_date)
        ):
            result = selectors.de_minimis_check(
                user=actor,
                undertaking=fields["undertaking"],
                grant_date=fields["grant_date"],
                amount=fields["gge_eur"],
                regulation=fields["regulation"],
                member_state=fields["member_state"],
                excluding=current,
            )
            if not result.allowed:
                raise CeilingExceeded(result)
        fields["report_due"] = calendars.report_deadline(
            fields["member_state"], fields["grant_date"]
        )
        replacement = audited_create(
            Grant(
                **fields,
                entry=entry,
                corrects=current,
                reason=reason,
                recorded_by=acting_user(actor),
            ),
            actor=actor,
            source=source,
        )
    return replacement


CORRECTABLE = {
    "grant_date",
    "nominal_amount",
    "currency",
    "eur_rate",
    "rate_source",
    "gge_eur",
    "gge_method",
    "purpose",
    "nace",
    "granting_authority",
    "instrument",
    "reported_on",
}


def grant_correct(
    *, actor: AnyUser, grant: Grant, reason: str, changes: dict[str, Any], source: str = "web"
) -> Grant:
    """A correction: a new entry with the corrected values that replaces `grant`."""
    permissions.require_acting_for(actor, {grant.member_state}, field="member_state")
    unknown = set(changes) - CORRECTABLE
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(field, _("cannot be corrected; revoke the grant and record a new one"))
    if "nominal_amount" in changes or "eur_rate" in changes:
        money = Money(
            changes.get("nominal_amount", grant.nominal_amount),
            changes.get("currency", grant.currency),
            changes.get("eur_rate", grant.eur_rate),
        )
        changes.setdefault("gge_eur", money.euros())
    return _replace(
        actor=actor,
        grant=grant,
        entry=Grant.Entry.CORRECTION,
        reason=reason,
        values=changes,
        source=source,
    )


def grant_revoke(*, actor: AnyUser, grant: Grant, reason: str, source: str = "web") -> Grant:
    """A revocation: the aid no longer counts from now on (an entry with a zero amount)."""
    permissions.require_acting_for(actor, {grant.member_state}, field="member_state")
    return _replace(
        actor=actor,
        grant=grant,
        entry=Grant.Entry.REVOCATION,
        reason=reason,
        values={"gge_eur": Decimal(0)},
        source=source,
    )


def grant_mark_reported(
    *, actor: AnyUser, grants: list[Grant], on: date, source: str = "web"
) -> list[Grant]:
    """The central register has the entries: recorded as corrections of the reporting date."""
    return [
        grant_correct(
            actor=actor,
            grant=grant,
            reason=_("reported to the central register"),
            changes={"reported_on": on},
            source=source,
        )
        for grant in grants
    ]


def merger_record(
    *,
    actor: AnyUser,
    absorbing: Undertaking,
    absorbed: Undertaking,
    on: date,
    source: str = "web",
) -> Restructuring:
    """Art. 3(8): from `on`, the aid of `absorbed` counts for `absorbing` (original dates)."""
    if absorbing.pk == absorbed.pk:
        raise DomainError("absorbed", _("an undertaking cannot absorb itself"))
    with transaction.atomic():
        _require_acting_for_undertakings(
            actor, {"absorbing": {absorbing.pk}, "absorbed": {absorbed.pk}}
        )
        restructuring = audited_create(
            Restructuring(
                kind=Restructuring.Kind.MERGER,
                date=on,
                source=absorbed,
                absorbing=absorbing,
                recorded_by=acting_user(actor),
            ),
            actor=actor,
            source=source,
        )
    return restructuring


def _successor_keys(source_undertaking: Undertaking, successors: dict[str, Decimal]) -> set[int]:
    """Checks a split's successors (identifier → equity); returns their keys."""
    if not successors:
        raise DomainError("successor", _("name at least one successor"))
    keys = dict(
        Undertaking.objects.filter(identifier__in=successors).values_list("identifier", "pk")
    )
    for identifier, equity in successors.items():
        if identifier not in keys:
            raise DomainError("successor", _("unknown undertaking %(id)r") % {"id": identifier})
        if identifier == source_undertaking.identifier:
            raise DomainError("successor", _("the split undertaking cannot succeed itself"))
        if equity < 0:
            raise DomainError("successor", _("equity must not be negative"))
    if sum(successors.values(), Decimal(0)) <= 0:
        raise DomainError("successor", _("the successors' equity must add up to more than zero"))
    return set(keys.values())


def _check_activity(
    source_undertaking: Undertaking,
    on: date,
    successors: dict[str, Any],
    activity: dict[str, str],
    replacing: Restructuring | None = None,
) -> None:
    """Each grant reference must be aid counted for the split undertaking on the split date
    (without the split being corrected), taken over by one of the successors. Read only once
    the actor is known to act for the undertaking's Member States: it tells which grants
    exist."""
    references = {
        grant.reference
        for grant in selectors.counted_aid(
            undertakings={source_undertaking.pk}, on=on, excluding_restructuring=replacing
        )
        if grant.undertaking == source_undertaking.identifier
    }
    for reference, identifier in activity.items():
        if reference not in references:
            raise DomainError(
                "activity",
                _("%(ref)s is not a grant of %(id)s")
                % {"ref": reference, "id": source_undertaking.identifier},
            )
        if identifier not in successors:
            raise DomainError(
                "activity", _("%(id)s is not one of the successors") % {"id": identifier}
            )


def split_record(
    *,
    actor: AnyUser,
    source_undertaking: Undertaking,
    on: date,
    successors: dict[str, Decimal],
    activity: dict[str, str] | None = None,
    source: str = "web",
) -> Restructuring:
    """Art. 3(9): from `on`, each grant of `source_undertaking` counts for the successor that
    took over its activity, otherwise pro rata to the successors' equity at the split date."""
    if not permissions.can_manage_register(actor):
        raise PermissionDenied
    activity = activity or {}
    successor_keys = _successor_keys(source_undertaking, successors)
    with transaction.atomic():
        _require_acting_for_undertakings(
            actor, {"source": {source_undertaking.pk}, "successor": successor_keys}
        )
        _check_activity(source_undertaking, on, successors, activity)
        restructuring = audited_create(
            Restructuring(
                kind=Restructuring.Kind.SPLIT,
                date=on,
                source=source_undertaking,
                successors={key: str(value) for key, value in successors.items()},
                activity=activity,
                recorded_by=acting_user(actor),
            ),
            actor=actor,
            source=source,
        )
    return restructuring


def _parties(restructuring: Restructuring) -> dict[str, set[int]]:
    """The undertakings a merger or split names, by the field that names them."""
    if restructuring.kind == Restructuring.Kind.MERGER:
        assert restructuring.absorbing_id is not None  # merger_record always names it
        return {"absorbing": {restructuring.absorbing_id}, "absorbed": {restructuring.source_id}}
    successors = Undertaking.objects.filter(identifier__in=restructuring.successors)
    return {
        "source": {restructuring.source_id},
        "successor": set(successors.values_list("pk", flat=True)),
    }


RESTRUCTURING_CORRECTABLE = {"date", "successors", "activity"}


def _replace_restructuring(
    *,
    actor: AnyUser,
    restructuring: Restructuring,
    entry: str,
    reason: str,
    values: dict[str, Any],
    source: str,
) -> Restructuring:
    if not reason.strip():
        raise DomainError("reason", _("say why the entry is corrected or revoked"))
    unknown = set(values) - RESTRUCTURING_CORRECTABLE
    if unknown:
        raise DomainError(
            sorted(unknown)[0],
            _("cannot be corrected; revoke the merger or split and record a new one"),
        )
    if restructuring.kind == Restructuring.Kind.MERGER and {"successors", "activity"} & set(values):
        raise DomainError("successors", _("a merger has no successors"))
    with transaction.atomic():
        current = (
            Restructuring.objects.select_for_update(of=("self",))
            .select_related("source", "absorbing")
            .get(pk=restructuring.pk)
        )
        parties = _parties(current)
        if "successors" in values:
            parties["successor"] |= _successor_keys(current.source, values["successors"])
        _require_acting_for_undertakings(actor, parties)
        if hasattr(current, "replaced_by"):
            raise DomainError(
                "restructuring",
                _("this entry was already corrected or revoked; act on the newest one"),
            )
        if current.entry == Restructuring.Entry.REVOCATION:
            raise DomainError("restructuring", _("a revoked merger or split cannot be corrected"))
        fields: dict[str, Any] = {
            "kind": current.kind,
            "date": current.date,
            "source": current.source,
            "absorbing": current.absorbing,
            "successors": current.successors,
            "activity": current.activity,
            **values,
        }
        if "successors" in values:
            fields["successors"] = {key: str(v) for key, v in values["successors"].items()}
        if entry == Restructuring.Entry.CORRECTION and current.kind == Restructuring.Kind.SPLIT:
            _check_activity(
                current.source,
                fields["date"],
                fields["successors"],
                fields["activity"],
                replacing=current,
            )
        replacement = audited_create(
            Restructuring(
                **fields,
                entry=entry,
                corrects=current,
                reason=reason,
                recorded_by=acting_user(actor),
            ),
            actor=actor,
            source=source,
        )
    return replacement


def restructuring_correct(
    *,
    actor: AnyUser,
    restructuring: Restructuring,
    reason: str,
    changes: dict[str, Any],
    source: str = "web",
) -> Restructuring:
    """A correction of a merger's or split's date, or of a split's successors (identifier →
    equity) and activity: a new entry that replaces `restructuring`; checks read the
    corrected one from then on. The actor must act for every Member State of the
    undertakings before and after the correction."""
    return _replace_restructuring(
        actor=actor,
        restructuring=restructuring,
        entry=Restructuring.Entry.CORRECTION,
        reason=reason,
        values=changes,
        source=source,
    )


def restructuring_revoke(
    *, actor: AnyUser, restructuring: Restructuring, reason: str, source: str = "web"
) -> Restructuring:
    """A revocation: a new entry after which the merger or split no longer applies; the aid
    counts again as it did before it."""
    return _replace_restructuring(
        actor=actor,
        restructuring=restructuring,
        entry=Restructuring.Entry.REVOCATION,
        reason=reason,
        values={},
        source=source,
    )


class AidRefused(Exception):
    """The single undertaking has not enough de minimis headroom for the aid of a use below the
    market price: nothing was recorded. `unsubsidised_eur` is what the same use costs at the
    market (list) price."""

    def __init__(self, *, aid_eur: Decimal, headroom_eur: Decimal, unsubsidised_eur: Decimal):
        self.aid_eur, self.headroom_eur = aid_eur, headroom_eur
        self.unsubsidised_eur = unsubsidised_eur
        super().__init__(
            _(
                "the aid of EUR %(aid)s exceeds the de minimis headroom of EUR %(headroom)s of "
                "the single undertaking; at the unsubsidised price it costs EUR %(price)s"
            )
            % {"aid": aid_eur, "headroom": headroom_eur, "price": unsubsidised_eur}
        )


def undertaking_of(beneficiary: Organisation | ClusterOrganisation, *, source: str) -> Undertaking:
    """The beneficiary's undertaking in the register. An organisation's: the one linked to it
    or with its VAT number, else a new one (identified by the VAT number, or by the platform's
    key). A cluster organisation's (an undertaking when it carries out an economic activity):
    the one under the platform's key for the cluster, else a new one."""
    if isinstance(beneficiary, ClusterOrganisation):
        identifier, vat, organisation = f"ATC-CLUSTER-{beneficiary.slug}", "", None
        found = Undertaking.objects.filter(identifier=identifier)
    else:
        organisation, vat = beneficiary, beneficiary.vat_number
        identifier = vat or f"ATC-{beneficiary.slug}"
        found = permissions.visible_undertakings(None).filter(
            Q(organisation=beneficiary) | (Q(vat=vat) if vat else Q(pk__in=[]))
        )
    undertaking = found.order_by("pk").first()
    if undertaking is not None:
        return undertaking
    return undertaking_save(
        actor=None,
        identifier=identifier,
        name=beneficiary.name,
        country=beneficiary.country_id,
        vat=vat,
        organisation=organisation,
        source=source,
    )[1]


def advantage_grant(
    *,
    agency: Agency,
    beneficiary: Organisation | ClusterOrganisation,
    reference: str,
    day: date,
    aid: Decimal,
    instrument: str,
    programme: str,
    cluster: ClusterOrganisation | None,
    unsubsidised: Decimal,
    source: str,
) -> tuple[Grant, Decimal]:
    """Records as de minimis aid (general regulation) the advantage of a use below the market
    price — a service, a discount, a facility — for the agency's Member State, and returns the
    grant with the headroom left. Runs inside the caller's transaction: a refusal
    (`AidRefused`, `DomainError`) leaves nothing written. The register write is made on the
    agency's behalf (actor None): who may cause it was decided when the service, programme or
    facility was offered as aid."""
    member_state = permissions.member_state_of_country(agency.country_id)
    if member_state is None:
        raise DomainError(
            "agency", _("the agency is not in a Member State: no de minimis register")
        )
    undertaking = undertaking_of(beneficiary, source=source)
    try:
        grant = grant_record(
            actor=None,
            undertaking=undertaking,
            reference=reference,
            grant_date=day,
            money=Money(aid),
            member_state=member_state,
            granting_authority=agency.name,
            agency=agency,
            instrument=instrument,
            gge_method=_("market price − price paid"),
            purpose=programme,
            programme=programme,
            cluster=cluster,
            source=source,
        )
    except CeilingExceeded as error:
        raise AidRefused(
            aid_eur=aid, headroom_eur=error.result.headroom, unsubsidised_eur=unsubsidised
        ) from error
    except DomainError as error:
        raise DomainError(
            "date" if error.field == "grant_date" else error.field, str(error)
        ) from error
    left = selectors.de_minimis_check(
        user=None,
        undertaking=undertaking,
        grant_date=day,
        amount=Decimal(0),
        member_state=member_state,
    ).headroom
    return grant, left
