"""Reads of the de minimis register: the effective aid, the single undertaking on a date, the
ceiling check, headroom, history, reporting and the agency overview."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from atclusters.core.permissions import AnyUser
from atclusters.registry.models import ClusterOrganisation
from atclusters.stateaid import calendars, permissions, rules
from atclusters.stateaid.models import Grant, Restructuring, Undertaking, UndertakingLink


def effective_grants() -> QuerySet[Grant]:
    """The entries in force: neither replaced by a correction or revocation nor revocations."""
    replaced = Grant.objects.filter(corrects=OuterRef("pk"))
    return Grant.objects.exclude(entry=Grant.Entry.REVOCATION).filter(~Exists(replaced))


def effective_restructurings() -> QuerySet[Restructuring]:
    """The mergers and splits in force, read like the grants: the newest entry of each, unless
    it is a revocation."""
    replaced = Restructuring.objects.filter(corrects=OuterRef("pk"))
    return Restructuring.objects.exclude(entry=Restructuring.Entry.REVOCATION).filter(
        ~Exists(replaced)
    )


def visible_undertaking(*, user: AnyUser, identifier: str) -> Undertaking | None:
    return permissions.visible_undertakings(user).filter(identifier=identifier).first()


def _valid_on_q(on: date) -> tuple[Q, Q]:
    return (
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )


CHUNK = 2000  # keys per IN (...) list: well inside every database's parameter limit


def _chunks(keys: set[int]) -> list[list[int]]:
    ordered = sorted(keys)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _group_links(starts: set[int], on: date | None) -> tuple[list[rules.Link], set[int]]:
    """The links valid on `on` (on any date if None) that touch the single undertakings of the
    undertakings with keys `starts`, found level by level (one query per step of the chains,
    through the two key indexes) instead of reading every link of the register; and the keys of
    the undertakings reached."""
    found: dict[int, rules.Link] = {}
    reached = frontier = set(starts)
    while frontier:
        rows = [
            row
            for chunk in _chunks(frontier)
            for row in UndertakingLink.objects.filter(
                Q(parent_id__in=chunk) | Q(child_id__in=chunk)
            )
            .filter(*(_valid_on_q(on) if on is not None else ()))
            .values_list(
                "pk",
                "parent_id",
                "child_id",
                "parent__identifier",
                "child__identifier",
                "relation",
                "valid_from",
                "valid_to",
            )
        ]
        frontier = set()
        for pk, parent_id, child_id, parent, child, relation, since, until in rows:
            through_person = relation == UndertakingLink.Relation.NATURAL_PERSON
            found[pk] = rules.Link(parent, child, relation, since, until, through_person)
            if not through_person:
                frontier |= {parent_id, child_id} - reached
        reached = reached | frontier
    return list(found.values()), reached


def _readable_only(aid: list[rules.Grant], readable: frozenset[str]) -> list[rules.Grant]:
    if readable == permissions.EVERY_MEMBER_STATE:
        return aid
    return [grant for grant in aid if grant.member_state in readable]


def aid_of_group(
    *, user: AnyUser, undertaking: Undertaking, on: date
) -> tuple[list[str], list[rules.Grant]]:
    """The single undertaking on `on` and the de minimis aid of its window then, granted by the
    Member States the user reads."""
    readable = permissions.require_readable(user, undertaking, "")
    links, reached = _group_links({undertaking.pk}, on)
    group, _review = rules.single_undertaking(undertaking.identifier, links, on)
    start, end = window(on, member_state=undertaking_home(undertaking))
    aid = [
        grant
        for grant in _readable_only(counted_aid(undertakings=reached, on=on, since=start), readable)
        if grant.undertaking in group and start <= grant.grant_date <= end
    ]
    return group, sorted(aid, key=lambda grant: grant.grant_date)


def single_undertaking(
    *, user: AnyUser, undertaking: Undertaking, on: date
) -> tuple[list[str], list[rules.Link]]:
    """The group on `on` (the same in every Member State: Art. 2(2)), for those who read some
    Member State's aid to it."""
    permissions.require_readable(user, undertaking, "")
    links, _reached = _group_links({undertaking.pk}, on)
    return rules.single_undertaking(undertaking.identifier, links, on)


def _restructurings(on: date, excluding: Restructuring | None = None) -> QuerySet[Restructuring]:
    restructurings = effective_restructurings().filter(date__lte=on)
    if excluding is not None:
        restructurings = restructurings.exclude(pk=excluding.pk)
    return restructurings.select_related("source", "absorbing").order_by("date", "id")


def restructurings_of(*, user: AnyUser, undertaking: Undertaking) -> QuerySet[Restructuring]:
    """Every entry of the mergers and splits the undertaking took part in, in any role,
    corrections and revocations too."""
    permissions.require_readable(user, undertaking, "")
    return (
        Restructuring.objects.filter(
            Q(source=undertaking)
            | Q(absorbing=undertaking)
            | Q(successors__has_key=undertaking.identifier)
        )
        .select_related("source", "absorbing", "corrects", "recorded_by")
        .order_by("date", "id")
    )


def _restructuring_neighbours(keys: set[int]) -> set[int]:
    """The undertakings that took part, with any of these, in a merger or split in force."""
    events = list(effective_restructurings().values_list("source_id", "absorbing_id", "successors"))
    successors = {identifier for _source, _absorbing, named in events for identifier in named}
    key_of = dict(
        Undertaking.objects.filter(identifier__in=successors).values_list("identifier", "pk")
    )
    found: set[int] = set()
    for source, absorbing, named in events:
        parties = {source, *({absorbing} - {None}), *(key_of[i] for i in named if i in key_of)}
        if parties & keys:
            found |= parties
    return found


def connected_undertakings(keys: set[int]) -> set[int]:
    """Every undertaking reached from these through links (of any date) and mergers and splits
    in force: the undertakings whose single undertaking or counted aid a change to these can
    move, in whichever Member State."""
    reached = set(keys)
    while True:
        _links, linked = _group_links(reached, None)
        grown = linked | _restructuring_neighbours(linked)
        if grown == reached:
            return reached
        reached = grown


def member_states_affected_by(keys: set[int]) -> set[str]:
    """The Member States whose register a link, merger or split of these undertakings changes:
    those of every undertaking connected to them (docs/stateaid.md, "Who may do what")."""
    return permissions.register_member_states(connected_undertakings(keys))


def _as_rule_grants(grants: QuerySet[Grant]) -> list[rules.Grant]:
    return [
        rules.Grant(
            undertaking=identifier,
            grant_date=grant_date,
            gge=gge,
            kind=regulation,
            member_state=member_state,
            reference=reference,
        )
        for identifier, grant_date, gge, regulation, member_state, reference in grants.values_list(
            "undertaking__identifier",
            "grant_date",
            "gge_eur",
            "regulation",
            "member_state",
            "reference",
        )
    ]


def counted_aid(
    *,
    undertakings: set[int],
    on: date,
    since: date | None = None,
    excluding: Grant | None = None,
    excluding_restructuring: Restructuring | None = None,
) -> list[rules.Grant]:
    """The de minimis aid that counts on `on` (granted from `since`, if given) for the
    undertakings with these keys: their entries in force and those of every undertaking that
    merged into or split towards them by then, with the mergers (Art. 3(8)) and splits
    (Art. 3(9)) in force applied in date order."""
    restructurings = list(_restructurings(on, excluding_restructuring))
    involved = undertakings | {restructuring.source_id for restructuring in restructurings}
    grants = effective_grants().filter(basis=Grant.Basis.DE_MINIMIS, grant_date__lte=on)
    if since is not None:
        grants = grants.filter(grant_date__gte=since)
    if excluding is not None:
        grants = grants.exclude(pk=excluding.pk)
    aid = [
        grant
        for chunk in _chunks(involved)
        for grant in _as_rule_grants(grants.filter(undertaking_id__in=chunk))
    ]
    for restructuring in restructurings:
        if restructuring.kind == Restructuring.Kind.MERGER and restructuring.absorbing:
            aid = rules.merge(
                aid,
                absorbing=restructuring.absorbing.identifier,
                absorbed=restructuring.source.identifier,
            )
        elif restructuring.kind == Restructuring.Kind.SPLIT:
            aid = rules.split(
                aid,
                source=restructuring.source.identifier,
                equity={key: Decimal(value) for key, value in restructuring.successors.items()},
                activity=restructuring.activity,
            )
    return aid


def _register_state(
    undertaking: Undertaking,
    day: date,
    readable: frozenset[str],
    excluding: Grant | None = None,
) -> tuple[list[rules.Link], list[rules.Grant]]:
    """What a check on `day` reads: the links of the undertaking's group and the aid of the
    three years that can count, granted by the Member States in `readable`."""
    links, reached = _group_links({undertaking.pk}, day)
    aid = counted_aid(
        undertakings=reached,
        on=day,
        since=rules.years_before(day, 3),  # no window starts earlier: the rules decide
        excluding=excluding,
    )
    return links, _readable_only(aid, readable)


def _rules_check(
    undertaking: Undertaking,
    day: date,
    state: tuple[list[rules.Link], list[rules.Grant]],
    **options: Any,
) -> rules.CheckResult:
    links, aid = state
    return rules.check(
        undertaking=undertaking.identifier,
        grant_date=day,
        grants=aid,
        links=links,
        leap_day=settings.STATEAID_LEAP_DAY,
        window_start=settings.STATEAID_WINDOW_START,
        fiscal_year_starts_on=calendars.fiscal_year_starts_on(
            options.get("member_state") or undertaking_home(undertaking),
            settings.STATEAID_FISCAL_YEAR_STARTS,
        ),
        **options,
    )


def de_minimis_check(
    *,
    user: AnyUser,
    undertaking: Undertaking,
    grant_date: date,
    amount: Decimal,
    regulation: str = rules.GENERAL,
    member_state: str = "",
    same_costs: rules.SameCosts | None = None,
    excluding: Grant | None = None,
    road_freight: bool = False,
) -> rules.CheckResult:
    """The check for `member_state`, which the user must read (`permissions.NotVisible`
    otherwise); without one, the aid of every Member State the user reads counts together (the
    cautious answer; every Member State for the platform admin and the operator)."""
    readable = permissions.require_readable(user, undertaking, member_state)
    return _rules_check(
        undertaking,
        grant_date,
        _register_state(undertaking, grant_date, readable, excluding),
        amount=amount,
        kind=regulation,
        member_state=member_state,
        same_costs=same_costs,
        road_freight=road_freight,
    )


def zero_checks(
    *, user: AnyUser, checks: list[tuple[Undertaking, date, str, str]]
) -> list[rules.CheckResult]:
    """Zero-euro checks of many (undertaking, date, regulation, Member State) — an import's
    grants — reading the register once: every link the undertakings ever had and the aid of
    everyone they reach; then the rules decide check by check within each connected set. With
    mergers or splits in force, each check reads on its own. The user acts for each of the
    Member States (the importer recorded these grants)."""
    if not checks:
        return []
    if not {state for *_rest, state in checks} <= permissions.acting_member_states(user):
        raise permissions.NotVisible
    if effective_restructurings().exists():
        return [
            de_minimis_check(
                user=user,
                undertaking=undertaking,
                grant_date=day,
                amount=Decimal(0),
                regulation=regulation,
                member_state=state,
            )
            for undertaking, day, regulation, state in checks
        ]
    links, reached = _group_links({undertaking.pk for undertaking, *_rest in checks}, None)
    days = [day for _undertaking, day, _regulation, _state in checks]
    aid = counted_aid(undertakings=reached, on=max(days), since=rules.years_before(min(days), 3))
    root = _components(links)
    links_of: dict[str, list[rules.Link]] = defaultdict(list)
    for link in links:
        links_of[root(link.parent)].append(link)
    aid_of: dict[str, list[rules.Grant]] = defaultdict(list)
    for grant in aid:
        aid_of[root(grant.undertaking)].append(grant)
    return [
        _rules_check(
            undertaking,
            day,
            (links_of[root(undertaking.identifier)], aid_of[root(undertaking.identifier)]),
            amount=Decimal(0),
            kind=regulation,
            member_state=state,
        )
        for undertaking, day, regulation, state in checks
    ]


def _components(links: list[rules.Link]):
    """Union-find over the links, whatever their dates: `root(identifier)` names the connected
    set an undertaking belongs to."""
    parent: dict[str, str] = {}

    def root(identifier: str) -> str:
        parent.setdefault(identifier, identifier)
        while parent[identifier] != identifier:
            parent[identifier] = parent[parent[identifier]]
            identifier = parent[identifier]
        return identifier

    for link in links:
        parent[root(link.parent)] = root(link.child)
    return root


def window(day: date, *, kind: str = rules.GENERAL, member_state: str = "") -> tuple[date, date]:
    """The years whose aid counts on `day` for a grant of `kind`, by the counting rule of the
    regulation in force then and the installation's boundary rules and fiscal years."""
    return rules.window(
        day,
        leap_day=settings.STATEAID_LEAP_DAY,
        start=settings.STATEAID_WINDOW_START,
        counting=rules.regulation_for(kind, day).counting,
        fiscal_year_starts_on=calendars.fiscal_year_starts_on(
            member_state, settings.STATEAID_FISCAL_YEAR_STARTS
        ),
    )


def undertaking_home(undertaking: Undertaking) -> str:
    """The undertaking's country as the EU writes Member States (Greece EL)."""
    return "EL" if undertaking.country == "GR" else undertaking.country


def headroom(
    *, user: AnyUser, undertaking: Undertaking, on: date, member_state: str
) -> dict[str, rules.CheckResult]:
    """The room left under each regulation on `on` for `member_state` (a zero-euro check per
    regulation, on one read of the register); the user must read that Member State."""
    readable = permissions.require_readable(user, undertaking, member_state)
    state = _register_state(undertaking, on, readable)
    return {
        kind: _rules_check(
            undertaking, on, state, amount=Decimal(0), kind=kind, member_state=member_state
        )
        for kind in rules.KINDS
    }


def undertaking_member_states(*, undertaking: Undertaking, user: AnyUser) -> list[str]:
    """The Member States whose aid to the undertaking the user may see or grant; the
    undertaking's own country first when it is one of them."""
    states = set(
        permissions.visible_grants(user)
        .filter(undertaking=undertaking)
        .values_list("member_state", flat=True)
    ) | permissions.staff_member_states(user)
    home = permissions.member_state_of_country(undertaking.country)
    if not states and home in permissions.readable_member_states(user, undertaking):
        states = {home}
    return sorted(states, key=lambda code: (code != home, code))


def member_state_to_read(*, user: AnyUser, undertaking: Undertaking, requested: str) -> str:
    """The Member State a reading of the undertaking's aid is for: `requested`, when given
    (ValueError when it is no Member State's code, `permissions.NotVisible` when the user does
    not read it); else the first of `undertaking_member_states` ('' when there is none: the
    aid of every Member State the user reads)."""
    if requested:
        state = rules.member_state_code(requested)
        permissions.require_readable(user, undertaking, state)
        return state
    states = undertaking_member_states(undertaking=undertaking, user=user)
    return states[0] if states else ""


def grant_history(*, undertaking: Undertaking, user: AnyUser) -> QuerySet[Grant]:
    """Every entry of the undertaking's aid the user may see, corrections and revocations too."""
    return (
        permissions.visible_grants(user)
        .filter(undertaking=undertaking)
        .select_related("corrects", "cluster", "recorded_by")
        .order_by("grant_date", "id")
    )


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    counted: Decimal
    ceiling: Decimal


def headroom_timeline(
    *, user: AnyUser, undertaking: Undertaking, member_state: str, until: date
) -> list[TimelinePoint]:
    """De minimis aid of the single undertaking as it stands on `until` counted in the rolling
    window (against the general ceiling), on each grant date and on the days each grant leaves
    the window, up to `until`; `member_state`'s aid, which the user must read ('' for every
    Member State the user reads)."""
    readable = permissions.require_readable(user, undertaking, member_state)
    links, reached = _group_links({undertaking.pk}, until)
    group, _review = rules.single_undertaking(undertaking.identifier, links, until)
    aid = [
        replace(grant, undertaking=undertaking.identifier)  # the group counts as one
        for grant in _readable_only(counted_aid(undertakings=reached, on=until), readable)
        if (not member_state or grant.member_state == member_state) and grant.undertaking in group
    ]
    days = {until}
    for grant in aid:
        days.add(grant.grant_date)
        leaves = rules.years_before(grant.grant_date, -3)
        days |= {day for day in (leaves, leaves + timedelta(days=1)) if day <= until}
    points = []
    for day in sorted(days):
        result = _rules_check(
            undertaking, day, ([], aid), amount=Decimal(0), member_state=member_state
        )
        points.append(TimelinePoint(day, result.counted, result.ceiling))
    return points


def cluster_aid_total(*, cluster: ClusterOrganisation) -> Decimal:
    """GBER Art. 27 aid granted to the cluster so far (for the notification threshold)."""
    total = (
        effective_grants()
        .filter(cluster=cluster)
        .exclude(cluster_aid="")
        .aggregate(total=Sum("gge_eur"))["total"]
    )
    return total or Decimal(0)


def aid_to_cluster(*, cluster: ClusterOrganisation, start: date, end: date) -> Decimal:
    """Aid in force granted to the cluster between the dates, without what it passed on to
    members as services or discounts."""
    total = (
        effective_grants()
        .filter(cluster=cluster, grant_date__range=(start, end))
        .exclude(instrument__in=[Grant.Instrument.SERVICE, Grant.Instrument.DISCOUNT])
        .aggregate(total=Sum("gge_eur"))["total"]
    )
    return total or Decimal(0)


def passed_on_aid(*, user: AnyUser) -> QuerySet[Grant]:
    """Aid clusters passed on to members (discounted or subsidised services): aid to the
    members, each entry with its own legal basis."""
    return (
        effective_grants()
        .filter(pk__in=permissions.visible_grants(user).values("pk"), cluster__isnull=False)
        .filter(instrument__in=[Grant.Instrument.SERVICE, Grant.Instrument.DISCOUNT])
        .select_related("undertaking", "cluster")
        .order_by("-grant_date", "id")
    )


def overdue_reports(*, user: AnyUser, today: date) -> QuerySet[Grant]:
    """Entries not yet reported to the central register whose deadline has passed."""
    return (
        effective_grants()
        .filter(pk__in=permissions.visible_grants(user).values("pk"))
        .filter(reported_on__isnull=True, report_due__lt=today)
        .select_related("undertaking")
        .order_by("report_due", "id")
    )


def overview(*, user: AnyUser) -> dict[str, Any]:
    """The agency's aid by legal basis and regulation, by year and by cluster."""
    grants = effective_grants().filter(pk__in=permissions.visible_grants(user).values("pk"))
    by_basis = list(
        grants.values("basis", "regulation")
        .annotate(total=Sum("gge_eur"), count=Count("id"))
        .order_by("basis", "regulation")
    )
    by_year = list(
        grants.annotate(year=ExtractYear("grant_date"))
        .values("year")
        .annotate(total=Sum("gge_eur"), count=Count("id"))
        .order_by("year")
    )
    by_cluster = list(
        grants.exclude(cluster=None)
        .values("cluster__slug", "cluster__name")
        .annotate(total=Sum("gge_eur"), count=Count("id"))
        .order_by("-total")
    )
    return {
        "by_basis": by_basis,
        "by_year": by_year,
        "by_cluster": by_cluster,
        "total": sum((row["total"] for row in by_year), Decimal(0)),
        "count": sum(row["count"] for row in by_year),
    }


# Art. 6 of 2023/2831: what the central register holds about each grant; Annex III of the GBER
# for the transparency (TAM) publication of GBER aid above the threshold.
REGISTER_COLUMNS = [
    "reference",
    "entry",
    "corrects",
    "beneficiary_id",
    "beneficiary_name",
    "beneficiary_vat",
    "beneficiary_country",
    "member_state",
    "granting_authority",
    "legal_basis",
    "regulation",
    "scheme",
    "instrument",
    "nominal_amount",
    "currency",
    "eur_rate",
    "rate_source",
    "gge_eur",
    "grant_date",
    "sector_nace",
    "purpose",
    "cluster",
    "report_due",
    "reported_on",
]
TAM_COLUMNS = [
    "member_state",
    "granting_authority",
    "aid_measure",
    "beneficiary_name",
    "beneficiary_id",
    "beneficiary_type",
    "region_nuts",
    "sector_nace",
    "aid_element_eur",
    "nominal_amount",
    "currency",
    "aid_instrument",
    "grant_date",
    "objective",
]


def register_rows(*, user: AnyUser, entries: QuerySet[Grant] | None = None) -> list[dict]:
    grants = (entries if entries is not None else permissions.visible_grants(user)).select_related(
        "undertaking", "corrects", "cluster"
    )
    return [
        {
            "reference": grant.reference,
            "entry": grant.entry,
            "corrects": grant.corrects_id or "",
            "beneficiary_id": grant.undertaking.identifier,
            "beneficiary_name": grant.undertaking.name,
            "beneficiary_vat": grant.undertaking.vat,
            "beneficiary_country": grant.undertaking.country,
            "member_state": grant.member_state,
            "granting_authority": grant.granting_authority,
            "legal_basis": grant.basis,
            "regulation": grant.regulation,
            "scheme": grant.scheme,
            "instrument": grant.instrument,
            "nominal_amount": grant.nominal_amount,
            "currency": grant.currency,
            "eur_rate": grant.eur_rate,
            "rate_source": grant.rate_source,
            "gge_eur": grant.gge_eur,
            "grant_date": grant.grant_date,
            "sector_nace": grant.nace,
            "purpose": grant.purpose,
            "cluster": grant.cluster.slug if grant.cluster else "",
            "report_due": grant.report_due,
            "reported_on": grant.reported_on,
        }
        for grant in grants.order_by("grant_date", "id")
    ]


def transparency_rows(*, user: AnyUser) -> list[dict]:
    """GBER aid above the transparency threshold of its grant date, granted from 1 July 2016
    (Art. 9(1)(c) and 9(6), Annex III)."""
    rows = []
    grants = (
        effective_grants()
        .filter(pk__in=permissions.visible_grants(user).values("pk"), basis=Grant.Basis.GBER)
        .select_related("undertaking__organisation", "cluster")
        .order_by("grant_date", "id")
    )
    for grant in grants:
        try:
            gber = rules.cluster_aid_rules_for(grant.grant_date)
        except ValueError:
            continue
        if not rules.publication_required(gber, grant.grant_date, grant.gge_eur):
            continue
        organisation = grant.undertaking.organisation
        rows.append(
            {
                "member_state": grant.member_state,
                "granting_authority": grant.granting_authority,
                "aid_measure": grant.scheme,
                "beneficiary_name": grant.undertaking.name,
                "beneficiary_id": grant.undertaking.vat or grant.undertaking.identifier,
                "beneficiary_type": _beneficiary_type(organisation),
                "region_nuts": (grant.cluster.nuts_region_id if grant.cluster else "")
                or (organisation.nuts_region_id if organisation else ""),
                "sector_nace": grant.nace,
                "aid_element_eur": grant.gge_eur,
                "nominal_amount": grant.nominal_amount,
                "currency": grant.currency,
                "aid_instrument": grant.instrument,
                "grant_date": grant.grant_date,
                "objective": grant.purpose or grant.get_cluster_aid_display(),
            }
        )
    return rows


def _beneficiary_type(organisation) -> str:
    if organisation is None or not organisation.size_class:
        return ""
    return "large" if organisation.size_class == "large" else "SME"


EXPORT_KINDS = ("register", "overdue", "transparency")


def export_rows(*, kind: str, user: AnyUser, today: date) -> tuple[list[str], list[dict]]:
    """The columns and rows of an export: the register (Art. 6 fields), the entries past their
    reporting deadline, or the GBER aid to publish (Annex III)."""
    if kind == "transparency":
        return TAM_COLUMNS, transparency_rows(user=user)
    entries = overdue_reports(user=user, today=today) if kind == "overdue" else None
    return REGISTER_COLUMNS, register_rows(user=user, entries=entries)


@dataclass(frozen=True)
class ProgrammeAid:
    """Aid granted under one or more programmes: the total, the undertakings it went to, and
    whether the law publishes every grant behind it (`rules.published_grant`)."""

    total: Decimal
    undertakings: frozenset[int]
    published: bool

    def __add__(self, other: "ProgrammeAid") -> "ProgrammeAid":
        return ProgrammeAid(
            self.total + other.total,
            self.undertakings | other.undertakings,
            self.published and other.published,
        )


NO_AID = ProgrammeAid(Decimal(0), frozenset(), True)


def aid_by_programme(*, programmes: list[str], start: date, end: date) -> dict[str, ProgrammeAid]:
    """Aid in force granted between the dates under each of the named programmes."""
    grants = effective_grants().filter(programme__in=programmes, grant_date__range=(start, end))
    result: dict[str, ProgrammeAid] = {}
    for programme, undertaking, basis, regulation, day, amount in grants.values_list(
        "programme", "undertaking_id", "basis", "regulation", "grant_date", "gge_eur"
    ):
        published = rules.published_grant(
            basis=basis, regulation=regulation, grant_date=day, amount=amount
        )
        grant = ProgrammeAid(amount, frozenset({undertaking}), published)
        result[programme] = result.get(programme, NO_AID) + grant
    return result
