"""De minimis rules (pure Python, no Django): ceilings, the rolling three-year window, the single
undertaking, cumulation, all-or-nothing, and the gross grant equivalent of loans and
guarantees. Each rule cites its article; docs/stateaid.md explains them with worked cases.

Amounts are in euros as `Decimal`. The regulations are data (`REGULATIONS`): a new regulation
or ceiling is a new entry, not new code.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

GENERAL, SGEI, AGRICULTURE, FISHERY = "general", "sgei", "agriculture", "fishery"
KINDS = (GENERAL, SGEI, AGRICULTURE, FISHERY)


@dataclass(frozen=True)
class Regulation:
    """A de minimis regulation: which kind of aid, its ceiling over three years, and the grant
    dates it governs (aid granted under an earlier one still counts in the window)."""

    kind: str
    reference: str
    ceiling: Decimal
    valid_from: date
    valid_to: date | None = None
    note: str = ""


REGULATIONS = (
    Regulation(GENERAL, "Regulation (EU) No 1407/2013", Decimal(200_000),
               date(2014, 1, 1), date(2023, 12, 31)),
    Regulation(GENERAL, "Regulation (EU) 2023/2831, Art. 3(2)", Decimal(300_000),
               date(2024, 1, 1)),
    Regulation(SGEI, "Regulation (EU) No 360/2012", Decimal(500_000),
               date(2012, 4, 29), date(2023, 12, 31)),
    Regulation(SGEI, "Regulation (EU) 2023/2832, Art. 3(2)", Decimal(750_000), date(2024, 1, 1)),
    Regulation(AGRICULTURE, "Regulation (EU) No 1408/2013 as amended by 2019/316",
               Decimal(20_000), date(2019, 3, 14), date(2024, 12, 31),
               "up to EUR 25,000 where a Member State keeps a central register"),
    Regulation(AGRICULTURE, "Regulation (EU) No 1408/2013 as amended by 2024/3118, Art. 3(2)",
               Decimal(50_000), date(2025, 1, 1), note="national cap per Member State (Annex)"),
    Regulation(FISHERY, "Regulation (EU) No 717/2014", Decimal(30_000),
               date(2014, 7, 1), date(2023, 12, 31)),
    Regulation(FISHERY, "Regulation (EU) No 717/2014 as amended by 2023/2391, Art. 3(2)",
               Decimal(40_000), date(2024, 1, 1),
               note="EUR 40,000 where a central register exists, otherwise EUR 30,000"),
)  # fmt: skip


def regulation_for(
    kind: str, on: date, regulations: Iterable[Regulation] = REGULATIONS
) -> Regulation:
    for regulation in regulations:
        if (
            regulation.kind == kind
            and regulation.valid_from <= on
            and (regulation.valid_to is None or on <= regulation.valid_to)
        ):
            return regulation
    raise ValueError(f"no {kind} de minimis regulation applies on {on.isoformat()}")


def years_before(day: date, years: int, leap_day: str = "feb28") -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February (or 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return (
            date(day.year - years, 2, 28) if leap_day == "feb28" else date(day.year - years, 3, 1)
        )


def window(grant_date: date, years: int = 3, leap_day: str = "feb28") -> tuple[date, date]:
    """The rolling period of Art. 3(2) of 2023/2831 ("any period of three years"): the aid
    granted from the day after the same date three years earlier up to and including the
    grant date counts. Grant date = the date the legal right to the aid is conferred (Art. 3(4)),
    not the payment date."""
    return years_before(grant_date, years, leap_day) + timedelta(days=1), grant_date


@dataclass(frozen=True)
class Link:
    """A relationship of Art. 2(2) of 2023/2831 between two undertakings, valid on its dates.
    `through_person`: the control runs through a natural person — flagged for review."""

    parent: str
    child: str
    relation: str
    valid_from: date | None = None
    valid_to: date | None = None
    through_person: bool = False

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def single_undertaking(
    undertaking: str, links: Iterable[Link], on: date
) -> tuple[list[str], list[Link]]:
    """The undertakings that form one single undertaking with `undertaking` on `on` (Art. 2(2):
    the four relationships, directly or through other undertakings — so every undertaking
    connected by a chain of valid links, sisters under one parent included), and the links
    through natural persons that touch the group, which need a human decision."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    review = []
    valid = [link for link in links if link.valid_on(on)]
    for link in valid:
        if link.through_person:
            review.append(link)
            continue
        neighbours[link.parent].add(link.child)
        neighbours[link.child].add(link.parent)
    group, stack = {undertaking}, [undertaking]
    while stack:
        for other in neighbours[stack.pop()] - group:
            group.add(other)
            stack.append(other)
    return sorted(group), [link for link in review if link.parent in group or link.child in group]


@dataclass(frozen=True)
class Grant:
    undertaking: str
    grant_date: date
    gge: Decimal
    kind: str = GENERAL
    member_state: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Cap:
    name: str
    ceiling: Decimal
    counted: Decimal

    @property
    def headroom(self) -> Decimal:
        return max(self.ceiling - self.counted, Decimal(0))


@dataclass
class CheckResult:
    allowed: bool
    headroom: Decimal
    max_grantable: Decimal
    ceiling: Decimal
    window_start: date
    window_end: date
    counted: Decimal
    group: list[str]
    caps: list[Cap] = field(default_factory=list)
    review: list[Link] = field(default_factory=list)
    reason: str = ""


def _caps(kind: str, on: date, sums: dict[str, Decimal]) -> list[Cap]:
    """Art. 5 of 2023/2831, 2023/2832, 1408/2013 and 717/2014: each kind within its own
    ceiling; general, agricultural and fishery aid together within the general ceiling;
    general and SGEI aid together within the SGEI ceiling."""
    general = regulation_for(GENERAL, on).ceiling
    own = Cap(f"{kind} ceiling", regulation_for(kind, on).ceiling, sums[kind])
    caps = [own]
    if kind in (GENERAL, AGRICULTURE, FISHERY):
        caps.append(
            Cap(
                "general + agriculture + fishery",
                general,
                sums[GENERAL] + sums[AGRICULTURE] + sums[FISHERY],
            )
        )
    if kind in (GENERAL, SGEI):
        caps.append(
            Cap("general + SGEI", regulation_for(SGEI, on).ceiling, sums[GENERAL] + sums[SGEI])
        )
    return caps


def check(
    *,
    undertaking: str,
    grant_date: date,
    amount: Decimal,
    kind: str = GENERAL,
    member_state: str = "",
    grants: Iterable[Grant],
    links: Iterable[Link] = (),
    leap_day: str = "feb28",
) -> CheckResult:
    """May `amount` (gross grant equivalent, EUR) be granted? The whole single undertaking as
    it stands on the grant date, the aid of the window granted by the same Member State (Art.
    3(2): per Member State), every applicable cap; headroom = the smallest. All or nothing
    (Art. 3(7)): a grant above the headroom cannot be granted in part — the answer says so and
    gives the largest amount that would fit."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    links = list(links)
    group, review = single_undertaking(undertaking, links, grant_date)
    start, end = window(grant_date, leap_day=leap_day)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for grant in grants:
        if (
            grant.undertaking in group
            and start <= grant.grant_date <= end
            and (not member_state or not grant.member_state or grant.member_state == member_state)
        ):
            sums[grant.kind] += grant.gge
    caps = _caps(kind, grant_date, sums)
    headroom = min(cap.headroom for cap in caps)
    allowed = amount <= headroom
    binding = min(caps, key=lambda cap: cap.headroom)
    reason = (
        "within every ceiling"
        if allowed
        else f"exceeds the {binding.name} (EUR {binding.ceiling:,}): EUR {binding.counted:,} "
        f"already counted; at most EUR {headroom:,} can be granted, and a grant cannot be "
        "split to fit (all or nothing)"
    )
    return CheckResult(
        allowed=allowed,
        headroom=headroom,
        max_grantable=headroom,
        ceiling=caps[0].ceiling,
        window_start=start,
        window_end=end,
        counted=caps[0].counted,
        group=group,
        caps=caps,
        review=review,
        reason=reason,
    )


def merge(grants: Iterable[Grant], *, absorbing: str, absorbed: str) -> list[Grant]:
    """Art. 3(8) of 2023/2831: after a merger or acquisition all the aid granted to the merging
    undertakings counts for the resulting one, with its original grant dates (it stays lawful)."""
    return [
        replace(grant, undertaking=absorbing) if grant.undertaking == absorbed else grant
        for grant in grants
    ]


def split(
    grants: Iterable[Grant],
    *,
    source: str,
    equity: dict[str, Decimal],
    activity: dict[str, str] | None = None,
) -> list[Grant]:
    """Art. 3(9) of 2023/2831: when an undertaking splits, each grant goes to the successor that
    took over the activity it financed (`activity`: grant reference → successor); otherwise it
    is shared pro rata to the successors' book value of equity at the split date. Grant dates
    are kept; shares are rounded to the cent, the remainder to the last successor."""
    activity = activity or {}
    total_equity = sum(equity.values(), Decimal(0))
    if total_equity <= 0:
        raise ValueError("the successors' equity must add up to more than zero")
    allocated: list[Grant] = []
    for grant in grants:
        if grant.undertaking != source:
            allocated.append(grant)
        elif grant.reference in activity:
            allocated.append(replace(grant, undertaking=activity[grant.reference]))
        else:
            successors = list(equity)
            shares = [
                (grant.gge * equity[name] / total_equity).quantize(CENT, ROUND_HALF_UP)
                for name in successors[:-1]
            ]
            shares.append(grant.gge - sum(shares, Decimal(0)))
            allocated += [
                replace(grant, undertaking=name, gge=share)
                for name, share in zip(successors, shares, strict=True)
            ]
    return allocated


CENT = Decimal("0.01")
# Art. 4(3)(c) of 2023/2831: a loan of EUR 1,500,000 over 5 years or EUR 750,000 over 10 years
# secured by collateral of at least 50% is worth the ceiling: 4% of the amount per year.
LOAN_RATE_PER_YEAR = Decimal(300_000) / Decimal(1_500_000) / 5
# Art. 4(6)(b): a guarantee of at most 80% of the loan, EUR 2,250,000 over 5 years or
# EUR 1,125,000 over 10 years is worth the ceiling: 2/75 of the guaranteed amount per year.
GUARANTEE_RATE_PER_YEAR = Decimal(300_000) / Decimal(2_250_000) / 5


@dataclass(frozen=True)
class Equivalent:
    eligible: bool
    gge: Decimal
    method: str
    reason: str


def loan_safe_harbour(amount: Decimal, years: Decimal, collateral_share: Decimal) -> Equivalent:
    method = "safe-harbour"
    if collateral_share < Decimal("0.5"):
        return Equivalent(
            False, Decimal(0), method, "collateral must cover at least 50% of the loan"
        )
    if not ((amount <= 1_500_000 and years <= 5) or (amount <= 750_000 and years <= 10)):
        return Equivalent(
            False, Decimal(0), method,
            "beyond EUR 1,500,000 over 5 years or EUR 750,000 over 10 years",
        )  # fmt: skip
    gge = (amount * years * LOAN_RATE_PER_YEAR).quantize(CENT, ROUND_HALF_UP)
    return Equivalent(True, gge, method, "Art. 4(3)(c): 4% of the amount per year")


def guarantee_safe_harbour(guaranteed: Decimal, loan: Decimal, years: Decimal) -> Equivalent:
    method = "safe-harbour"
    if guaranteed > loan * Decimal("0.8"):
        return Equivalent(False, Decimal(0), method, "the guarantee exceeds 80% of the loan")
    if not ((guaranteed <= 2_250_000 and years <= 5) or (guaranteed <= 1_125_000 and years <= 10)):
        return Equivalent(
            False, Decimal(0), method,
            "beyond EUR 2,250,000 over 5 years or EUR 1,125,000 over 10 years",
        )  # fmt: skip
    gge = (guaranteed * years * GUARANTEE_RATE_PER_YEAR).quantize(CENT, ROUND_HALF_UP)
    return Equivalent(True, gge, method, "Art. 4(6)(b): 2/75 of the guaranteed amount per year")


def loan_reference_rate(
    amount: Decimal,
    years: int,
    *,
    reference_rate: Decimal,
    loan_rate: Decimal,
    discount_rate: Decimal,
    schedule: str = "bullet",
) -> Equivalent:
    """Communication 2008/C 14/02: the present value, at the discount rate (base rate + 100
    basis points), of the yearly interest saved — (reference rate − loan rate) × the amount
    outstanding during each year — on the repayment schedule (`bullet`: repaid at the end;
    `linear`: equal yearly repayments)."""
    if schedule not in ("bullet", "linear"):
        raise ValueError("schedule must be bullet or linear")
    saving = max(reference_rate - loan_rate, Decimal(0))
    total = Decimal(0)
    for year in range(1, years + 1):
        outstanding = amount if schedule == "bullet" else amount * (years - year + 1) / years
        total += saving * outstanding / (1 + discount_rate) ** year
    return Equivalent(
        True,
        total.quantize(CENT, ROUND_HALF_UP),
        "reference-rate",
        "present value of the interest saved (Communication 2008/C 14/02)",
    )


def to_euro(amount: Decimal, rate: Decimal) -> Decimal:
    """A non-euro amount at the rate of the grant date (units of currency per euro)."""
    return (amount / rate).quantize(CENT, ROUND_HALF_UP)
