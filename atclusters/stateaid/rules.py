"""De minimis rules (pure Python, no Django): ceilings, the three-year window (rolling, or three
fiscal years under the old regulations), the single undertaking, cumulation, all-or-nothing,
and the gross grant equivalent of loans and guarantees. Each rule cites its article;
docs/stateaid.md explains them with worked cases and quotes the sources.

Amounts are in euros as `Decimal`. The regulations are data (`REGULATIONS`): a new regulation
or ceiling is a new entry, not new code.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GENERAL, SGEI, AGRICULTURE, FISHERY = "general", "sgei", "agriculture", "fishery"
KINDS = (GENERAL, SGEI, AGRICULTURE, FISHERY)


ROLLING, FISCAL_YEARS = "rolling", "fiscal-years"


@dataclass(frozen=True)
class Regulation:
    """A de minimis regulation: which kind of aid, its ceiling over three years, how the three
    years are counted, and the grant dates it governs (aid granted under an earlier one still
    counts in the window). `valid_from` is the day the regulation (or the amendment that set
    the ceiling) entered into force, read from its final article and the date of the Official
    Journal that published it. `counting`: ROLLING ("any period of three years") or
    FISCAL_YEARS ("any period of three fiscal years": the current fiscal year and the two
    before it). `road_freight_ceiling`: the lower ceiling for undertakings performing road
    freight transport for hire or reward, where the regulation has one. `excluded`: the aid
    the regulation does not cover (its Art. 1(1)), as data for the answers and the docs.
    `oj`: where the Official Journal published the regulation (or the amendment).
    `public_register_from`: the first grant date whose aid the Member State must enter in a
    public central register, beneficiary by beneficiary (None: the regulation has no such duty;
    a Member State's own register may still be public, but the platform does not assume it)."""

    kind: str
    reference: str
    ceiling: Decimal
    valid_from: date
    valid_to: date | None = None
    note: str = ""
    counting: str = ROLLING
    road_freight_ceiling: Decimal | None = None
    excluded: tuple[str, ...] = ()
    oj: str = ""
    public_register_from: date | None = None


# Art. 1(1) exclusions, as each regulation words them (shortened). 2023/2831 and 2023/2832
# share theirs; 1407/2013 and 360/2012 name fishery and aquaculture as a whole.
_EXCLUDED_2023 = (
    "(a) undertakings active in the primary production of fishery and aquaculture products",
    "(b) processing and marketing of fishery and aquaculture products, where the amount of aid "
    "is fixed on the basis of the price or quantity of products purchased or put on the market",
    "(c) undertakings active in the primary production of agricultural products",
    "(d) processing and marketing of agricultural products, where the aid is fixed on the "
    "price or quantity of products purchased from primary producers or put on the market, or "
    "conditional on being passed on to primary producers",
    "(e) export-related activities towards third countries or Member States",
    "(f) aid contingent upon the use of domestic over imported goods",
)
_EXCLUDED_2013 = (
    "(a) undertakings active in the fishery and aquaculture sector",
    "(b) undertakings active in the primary production of agricultural products",
    "(c) processing and marketing of agricultural products, where the aid is fixed on the "
    "price or quantity of products purchased or put on the market, or passed on to primary "
    "producers",
    "(d) export-related activities towards third countries or Member States",
    "(e) aid contingent upon the use of domestic over imported goods",
)
_EXCLUDED_AGRICULTURE = (
    "(a) aid fixed on the basis of the price or quantity of products put on the market",
    "(b) export-related activities towards third countries or Member States",
    "(c) aid contingent upon the use of domestic over imported goods",
)
_EXCLUDED_FISHERY = (
    "(a) aid fixed on the basis of the price or quantity of products purchased or put on the "
    "market",
    "(b) export-related activities towards third countries or Member States",
    "(c) aid contingent upon the use of domestic over imported goods",
    "(d) aid for the purchase of fishing vessels",
    "(e) aid for the modernisation or replacement of main or ancillary engines of fishing vessels",
    "(f) onwards: the other operations listed in Art. 1(1) (fleet capacity, new vessels, "
    "cessation, exploratory fishing, transfer of ownership, restocking)",
)

# Art. 6(1) of 2023/2831 and of 2023/2832: from 1 January 2026 the Member State records the de
# minimis aid it grants in a central register at national or Union level, open to the public,
# beneficiary by beneficiary. Aid under the regulations before them was registered, if at all,
# at the Member State's choice (1407/2013 Art. 6(2)), not necessarily in public.
CENTRAL_REGISTER_FROM = date(2026, 1, 1)

# Entry into force = the date the regulation names, or the day counted from its publication
# in the Official Journal (docs/stateaid.md, "Dates of application", quotes each one).
REGULATIONS = (
    Regulation(GENERAL, "Regulation (EU) No 1407/2013, Art. 3(2)", Decimal(200_000),
               date(2014, 1, 1), date(2023, 12, 31), counting=FISCAL_YEARS,
               road_freight_ceiling=Decimal(100_000), excluded=_EXCLUDED_2013,
               oj="OJ L 352, 24.12.2013, p. 1"),
    Regulation(GENERAL, "Regulation (EU) 2023/2831, Art. 3(2)", Decimal(300_000),
               date(2024, 1, 1), date(2030, 12, 31), excluded=_EXCLUDED_2023,
               oj="OJ L, 2023/2831, 15.12.2023", public_register_from=CENTRAL_REGISTER_FROM),
    Regulation(SGEI, "Regulation (EU) No 360/2012, Art. 2(2)", Decimal(500_000),
               date(2012, 4, 29), date(2023, 12, 31), counting=FISCAL_YEARS,
               excluded=_EXCLUDED_2013, oj="OJ L 114, 26.4.2012, p. 8"),
    Regulation(SGEI, "Regulation (EU) 2023/2832, Art. 3(2)", Decimal(750_000),
               date(2024, 1, 1), date(2030, 12, 31), excluded=_EXCLUDED_2023,
               oj="OJ L, 2023/2832, 15.12.2023", public_register_from=CENTRAL_REGISTER_FROM),
    Regulation(AGRICULTURE, "Regulation (EU) No 1408/2013, Art. 3(2)", Decimal(15_000),
               date(2014, 1, 1), date(2019, 3, 13), counting=FISCAL_YEARS,
               excluded=_EXCLUDED_AGRICULTURE, oj="OJ L 352, 24.12.2013, p. 9"),
    Regulation(AGRICULTURE, "Regulation (EU) No 1408/2013 as amended by 2019/316, Art. 3(2)",
               Decimal(20_000), date(2019, 3, 14), date(2024, 12, 15),
               "up to EUR 25,000 where a Member State keeps a central register (Art. 3(3a))",
               counting=FISCAL_YEARS, excluded=_EXCLUDED_AGRICULTURE,
               oj="OJ L 51I, 22.2.2019, p. 1"),
    Regulation(AGRICULTURE, "Regulation (EU) No 1408/2013 as amended by 2024/3118, Art. 3(2)",
               Decimal(50_000), date(2024, 12, 16), note="national cap per Member State (Annex)",
               excluded=_EXCLUDED_AGRICULTURE, oj="OJ L, 2024/3118, 13.12.2024"),
    Regulation(FISHERY, "Regulation (EU) No 717/2014, Art. 3(2)", Decimal(30_000),
               date(2014, 7, 1), date(2023, 10, 24), counting=FISCAL_YEARS,
               excluded=_EXCLUDED_FISHERY, oj="OJ L 190, 28.6.2014, p. 45"),
    Regulation(FISHERY, "Regulation (EU) No 717/2014 as amended by 2023/2391, Art. 3(2)",
               Decimal(40_000), date(2023, 10, 25), date(2029, 12, 31),
               "EUR 40,000 subject to a central register (Commission press release of "
               "4 October 2023)", excluded=_EXCLUDED_FISHERY, oj="OJ L, 2023/2391, 5.10.2023"),
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


WINDOW_STARTS = ("same-day", "day-after")
CALENDAR_YEAR = (1, 1)


def fiscal_year_start(day: date, starts_on: tuple[int, int] = CALENDAR_YEAR) -> date:
    """The first day of the fiscal year that contains `day`, for a fiscal year that begins
    every year on `starts_on` (month, day)."""
    month, first = starts_on
    start = date(day.year, month, first)
    return start if start <= day else date(day.year - 1, month, first)


def window(
    grant_date: date,
    years: int = 3,
    leap_day: str = "feb28",
    start: str = "same-day",
    counting: str = ROLLING,
    fiscal_year_starts_on: tuple[int, int] = CALENDAR_YEAR,
) -> tuple[date, date]:
    """The period whose aid counts for a grant, both ends included, up to the grant date.
    ROLLING (2023/2831 Art. 3(2), "any period of three years"): by default (`same-day`) from
    the same date three years earlier, so that aid granted on that date still counts — the
    practice of national registers such as Poland's, and the reading that can never
    over-grant; `start="day-after"` starts the day after (a period of exactly three years).
    FISCAL_YEARS (1407/2013 and 360/2012 Art. 3(2)/2(2), 717/2014 and 1408/2013 before their
    amendments: "any period of three fiscal years"): from the first day of the fiscal year
    two years before the one of the grant. Grant date = the date the legal right to the aid
    is conferred (2023/2831 Art. 3(3)), not the payment date."""
    if start not in WINDOW_STARTS:
        raise ValueError(f"start must be one of {', '.join(WINDOW_STARTS)}")
    if counting == FISCAL_YEARS:
        current = fiscal_year_start(grant_date, fiscal_year_starts_on)
        return years_before(current, years - 1, leap_day), grant_date
    first = years_before(grant_date, years, leap_day)
    return (first + timedelta(days=1) if start == "day-after" else first), grant_date


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
    rule: str = ""

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
    regulation: Regulation | None = None
    binding: Cap | None = None


# The cumulation rules, each as the regulations word it (docs/stateaid.md quotes them).
GENERAL_CUMULATION = (
    "2023/2831 Art. 5(1) (1407/2013 Art. 5(1)), 1408/2013 Art. 5(1), 717/2014 Art. 5(1): "
    "with agricultural and fishery de minimis aid up to the general ceiling"
)
GENERAL_SGEI_CUMULATION = (
    "2023/2831 Art. 5(1) (1407/2013 Art. 5(1)): with SGEI de minimis aid up to the SGEI ceiling"
)
SGEI_CUMULATION = (
    "2023/2832 Art. 5(1) (360/2012 Art. 2(8)): SGEI de minimis aid with de minimis aid under "
    "the other regulations up to the SGEI ceiling"
)
FISHERY_CUMULATION = (
    "717/2014 Art. 5(2) (as amended by 2023/2391) and 1408/2013 Art. 5(2): agricultural de "
    "minimis aid with fishery de minimis aid up to the fishery ceiling"
)


def _caps(
    kind: str,
    regulation: Regulation,
    on: date,
    sums: dict[str, Decimal],
    *,
    road_freight: bool = False,
) -> list[Cap]:
    """Each kind within its own ceiling (Art. 3(2) of each regulation); then the cumulation
    rules: general, agricultural and fishery aid together within the general ceiling;
    agricultural and fishery aid together within the fishery ceiling once an undertaking has
    both; general with SGEI aid within the SGEI ceiling; and SGEI aid with the aid of every
    other regulation within the SGEI ceiling. The general ceiling is the road-freight one of
    1407/2013 Art. 3(2) for an undertaking performing road freight transport for hire or
    reward, where the regulation in force has one."""
    general_regulation = regulation_for(GENERAL, on)
    general = general_regulation.ceiling
    if road_freight and general_regulation.road_freight_ceiling is not None:
        general = general_regulation.road_freight_ceiling
    own = regulation.ceiling
    if kind == GENERAL:
        own = general
    caps = [Cap(f"{kind} ceiling", own, sums[kind], regulation.reference)]
    if kind in (GENERAL, AGRICULTURE, FISHERY):
        caps.append(
            Cap(
                "general + agriculture + fishery",
                general,
                sums[GENERAL] + sums[AGRICULTURE] + sums[FISHERY],
                GENERAL_CUMULATION,
            )
        )
    if kind == FISHERY or (kind == AGRICULTURE and sums[FISHERY] > 0):
        caps.append(
            Cap(
                "agriculture + fishery",
                regulation_for(FISHERY, on).ceiling,
                sums[AGRICULTURE] + sums[FISHERY],
                FISHERY_CUMULATION,
            )
        )
    sgei = regulation_for(SGEI, on).ceiling
    if kind == GENERAL:
        caps.append(
            Cap("general + SGEI", sgei, sums[GENERAL] + sums[SGEI], GENERAL_SGEI_CUMULATION)
        )
    if kind == SGEI or sums[SGEI] > 0:
        caps.append(
            Cap(
                "SGEI + general + agriculture + fishery",
                sgei,
                sum((sums[other] for other in KINDS), Decimal(0)),
                SGEI_CUMULATION,
            )
        )
    return caps


@dataclass(frozen=True)
class SameCosts:
    """Other State aid for the same eligible costs (Art. 5(2) of 2023/2831): de minimis aid may
    be added only up to the highest intensity allowed for those costs by a block exemption or
    a Commission decision."""

    eligible_costs: Decimal
    max_intensity: Decimal
    other_aid: Decimal

    def cap(self) -> Cap:
        ceiling = (self.eligible_costs * self.max_intensity).quantize(CENT, ROUND_HALF_UP)
        return Cap(
            "maximum intensity for the same eligible costs",
            ceiling,
            self.other_aid,
            "2023/2831 Art. 5(2)",
        )


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
    window_start: str = "same-day",
    fiscal_year_starts_on: tuple[int, int] = CALENDAR_YEAR,
    same_costs: "SameCosts | None" = None,
    road_freight: bool = False,
) -> CheckResult:
    """May `amount` (gross grant equivalent, EUR) be granted? The whole single undertaking as
    it stands on the grant date, the aid granted by the same Member State (Art. 3(2): per
    Member State) in the window of the regulation the grant is made under (rolling three
    years, or three fiscal years under the old regulations), every applicable cap; headroom =
    the smallest. All or nothing (2023/2831 Art. 3(7)): a grant above the headroom cannot be
    granted in part — the answer says so and gives the largest amount that would fit.
    `same_costs`: other aid (GBER, notified) for the same eligible costs (Art. 5(2)). The
    reported ceiling and counted aid are those of the binding cap — the one with the least
    headroom, the regulation's own on a tie."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    regulation = regulation_for(kind, grant_date)
    links = list(links)
    group, review = single_undertaking(undertaking, links, grant_date)
    start, end = window(
        grant_date,
        leap_day=leap_day,
        start=window_start,
        counting=regulation.counting,
        fiscal_year_starts_on=fiscal_year_starts_on,
    )
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for grant in grants:
        if (
            grant.undertaking in group
            and start <= grant.grant_date <= end
            and (not member_state or not grant.member_state or grant.member_state == member_state)
        ):
            sums[grant.kind] += grant.gge
    caps = _caps(kind, regulation, grant_date, sums, road_freight=road_freight)
    if same_costs is not None:
        caps.append(same_costs.cap())
    binding = min(caps, key=lambda cap: cap.headroom)
    headroom = binding.headroom
    allowed = amount <= headroom
    reason = (
        "within every ceiling"
        if allowed
        else f"exceeds the {binding.name} (EUR {binding.ceiling:,}; {binding.rule}): "
        f"EUR {binding.counted:,} already counted; at most EUR {headroom:,} can be granted, "
        "and a grant cannot be split to fit (all or nothing, 2023/2831 Art. 3(7))"
    )
    return CheckResult(
        allowed=allowed,
        headroom=headroom,
        max_grantable=headroom,
        ceiling=binding.ceiling,
        window_start=start,
        window_end=end,
        counted=binding.counted,
        group=group,
        caps=caps,
        review=review,
        reason=reason,
        regulation=regulation,
        binding=binding,
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
# Art. 4(3)(b) of 2023/2831: a loan of EUR 1,500,000 over 5 years or EUR 750,000 over 10 years
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
    return Equivalent(True, gge, method, "2023/2831 Art. 4(3)(b): 4% of the amount per year")


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
    return Equivalent(
        True, gge, method, "2023/2831 Art. 4(6)(b): 2/75 of the guaranteed amount per year"
    )


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
    saving = max(reference_rate - loan_rate, Decimal(0))
    return Equivalent(
        True,
        _present_value(saving, amount, years, discount_rate, schedule),
        "reference-rate",
        "2023/2831 Art. 4(3)(c): present value of the interest saved at the reference rate "
        "(Communication 2008/C 14/02)",
    )


def to_euro(amount: Decimal, rate: Decimal) -> Decimal:
    """A non-euro amount at the rate of the grant date (units of currency per euro). The
    ceilings are in euros and the aid is "expressed as a cash grant" (2023/2831 Art. 3(2) and
    3(5)) at the moment it is granted (Art. 3(3)); no article of the regulation names the
    exchange rate, so the register keeps the rate and its source with each grant (the
    Commission's monthly accounting rate, InforEuro, or the rate the national register uses)."""
    return (amount / rate).quantize(CENT, ROUND_HALF_UP)


# Communication 2008/C 14/02 (reference and discount rates), margins in basis points over the
# base rate by the borrower's rating and the collateral level.
RATING_CATEGORIES = ("strong", "good", "satisfactory", "weak", "bad")
COLLATERAL_LEVELS = ("high", "normal", "low")
REFERENCE_RATE_MARGINS_BP = {
    "strong": (60, 75, 100),  # AAA-A
    "good": (75, 100, 220),  # BBB
    "satisfactory": (100, 220, 400),  # BB
    "weak": (220, 400, 650),  # B
    "bad": (400, 650, 1000),  # CCC and below
}
DISCOUNT_MARGIN = Decimal("0.01")


def reference_rate_for(base_rate: Decimal, rating: str, collateral: str) -> Decimal:
    """Base rate + the margin for the rating category and collateral level (2008/C 14/02)."""
    if rating not in REFERENCE_RATE_MARGINS_BP:
        raise ValueError(f"rating must be one of {', '.join(RATING_CATEGORIES)}")
    if collateral not in COLLATERAL_LEVELS:
        raise ValueError(f"collateral must be one of {', '.join(COLLATERAL_LEVELS)}")
    margin = REFERENCE_RATE_MARGINS_BP[rating][COLLATERAL_LEVELS.index(collateral)]
    return base_rate + Decimal(margin) / 10_000


# Standard & Poor's long-term rating scale, best first (the Notice on guarantees and the
# reference-rate Communication name their categories by it).
RATING_SCALE = (
    "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-",
    "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C", "SD", "D",
)  # fmt: skip
# The worst letter rating of each reference-rate category of 2008/C 14/02.
CATEGORY_FLOOR = {
    "strong": "A-", "good": "BBB-", "satisfactory": "BB-", "weak": "B-", "bad": "D",
}  # fmt: skip


def _rating_at_least(rating: str, floor: str) -> bool:
    rating = CATEGORY_FLOOR.get(rating, rating)
    return RATING_SCALE.index(rating) <= RATING_SCALE.index(floor)


# Commission Notice on guarantees (2008/C 155/02, OJ C 155, 20.6.2008, p. 10) as corrected by
# the corrigendum of OJ C 244, 25.9.2008, p. 32, point 3.3: annual safe-harbour premiums for
# guarantees to SMEs by rating — B+ and B 3.8 %, B− 6.3 %, and "no safe-harbour premium" for
# CCC+ and below (undertakings in difficulty, point 3.2(a), are not eligible either).
# Point 4.2: the aid element is the safe-harbour (or market) premium minus the premium paid,
# discounted. The safe-harbour premiums exist for SMEs only.
SME_SAFE_HARBOUR_PREMIUMS = {
    **dict.fromkeys(("AAA", "AA+", "AA", "AA-"), Decimal("0.004")),
    **dict.fromkeys(("A+", "A", "A-"), Decimal("0.0055")),
    **dict.fromkeys(("BBB+", "BBB", "BBB-"), Decimal("0.008")),
    **dict.fromkeys(("BB+", "BB", "BB-"), Decimal("0.02")),
    **dict.fromkeys(("B+", "B"), Decimal("0.038")),
    "B-": Decimal("0.063"),
}
NO_SAFE_HARBOUR_PREMIUM = RATING_SCALE[RATING_SCALE.index("CCC+") :]


def _present_value(
    yearly_rate: Decimal, amount: Decimal, years: int, discount_rate: Decimal, schedule: str
) -> Decimal:
    if schedule not in ("bullet", "linear"):
        raise ValueError("schedule must be bullet or linear")
    total = Decimal(0)
    for year in range(1, years + 1):
        outstanding = amount if schedule == "bullet" else amount * (years - year + 1) / years
        total += yearly_rate * outstanding / (1 + discount_rate) ** year
    return total.quantize(CENT, ROUND_HALF_UP)


def guarantee_premium(
    guaranteed: Decimal,
    years: int,
    *,
    market_premium: Decimal,
    paid_premium: Decimal,
    discount_rate: Decimal,
    schedule: str = "bullet",
) -> Equivalent:
    """Notice 2008/C 155/02, section 4.2: the present value of (market premium − premium paid)
    × the guaranteed amount outstanding each year. For SMEs the market premium may be the
    safe-harbour premium of the rating category (`SME_SAFE_HARBOUR_PREMIUMS`)."""
    saving = max(market_premium - paid_premium, Decimal(0))
    return Equivalent(
        True,
        _present_value(saving, guaranteed, years, discount_rate, schedule),
        "premium",
        "2023/2831 Art. 4(6)(c): present value of the premium saved (Notice 2008/C 155/02, "
        "points 3.3 and 4.2)",
    )


@dataclass(frozen=True)
class ClusterAidRules:
    """GBER Art. 27 (aid for innovation clusters) and its thresholds, as data.
    `publication_from`: the first grant date the publication duty of Art. 9 covers.
    `threshold_source`: where the notification threshold comes from, and whether it could
    be verified against a primary text (docs/stateaid.md)."""

    reference: str
    valid_from: date
    valid_to: date | None
    investment_intensity: Decimal
    regional_bonus: dict[str, Decimal]
    operating_intensity: Decimal
    operating_years_max: int
    notification_threshold: Decimal
    transparency_threshold: Decimal
    publication_from: date
    threshold_source: str


# GBER Art. 9(6): the Member States comply with the publication duties of Art. 9(1)–(4) at
# the latest two years after the Regulation's entry into force on 1 July 2014 (Art. 59), so
# awards from 1 July 2016. Regulation 2023/1315 applies from 1 July 2023.
CLUSTER_AID_RULES = (
    ClusterAidRules("Regulation (EU) No 651/2014, Art. 27", date(2014, 7, 1), date(2023, 6, 30),
                    Decimal("0.5"), {"a": Decimal("0.15"), "c": Decimal("0.05")},
                    Decimal("0.5"), 10, Decimal(7_500_000), Decimal(500_000), date(2016, 7, 1),
                    "Art. 4(1) of 651/2014 as adopted: EUR 7.5 million per cluster"),
    ClusterAidRules("Regulation (EU) No 651/2014 as amended by 2023/1315, Art. 27",
                    date(2023, 7, 1), None,
                    Decimal("0.5"), {"a": Decimal("0.15"), "c": Decimal("0.05")},
                    Decimal("0.5"), 10, Decimal(10_000_000), Decimal(100_000), date(2023, 7, 1),
                    "Art. 4(1) of 651/2014 as amended by 2023/1315, as we read the "
                    "consolidated text: EUR 10 million per cluster; NOT verified against the "
                    "Official Journal (docs/stateaid.md)"),
)  # fmt: skip

# Art. 27(6) and 27(8): what the aid may pay for.
INVESTMENT_COSTS = ("tangible assets", "intangible assets")
OPERATING_COSTS = (
    "animation of the cluster",
    "marketing of the cluster",
    "management of the cluster's facilities",
    "training programmes, workshops and conferences",
)


@dataclass(frozen=True)
class Refusal:
    """One reason an aid is refused: its code and the values its wording needs. `text` is the
    English the command line and the API give; pages word `code` in the reader's language."""

    code: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ClusterAidResult:
    allowed: bool
    max_intensity: Decimal
    max_aid: Decimal
    publication_required: bool
    refusals: list[Refusal]
    rules: ClusterAidRules

    @property
    def reasons(self) -> list[str]:
        return [refusal.text for refusal in self.refusals]


def publication_required(rules: ClusterAidRules, grant_date: date, amount: Decimal) -> bool:
    """GBER Art. 9(1)(c): individual awards above the transparency threshold, granted from
    the date the publication duty applies (Art. 9(6))."""
    return grant_date >= rules.publication_from and amount > rules.transparency_threshold


DE_MINIMIS, GBER = "de-minimis", "gber"


def published_grant(*, basis: str, regulation: str, grant_date: date, amount: Decimal) -> bool:
    """Whether the law makes the grant public by itself, beneficiary and amount: de minimis aid
    in the public central register (`Regulation.public_register_from`: 2023/2831 and 2023/2832
    Art. 6(1), from 1 January 2026); block-exempted aid above the transparency threshold of its
    grant date (GBER Art. 9(1)(c), EUR 100,000 from 1 July 2023, 500,000 before; from 1 July
    2016, Art. 9(6)). Nothing else is: GBER awards up to the threshold, earlier de minimis aid,
    and aid under notified schemes, whose publication this platform does not model. A total
    of published grants discloses nothing more than they do (docs/stateaid.md)."""
    try:
        if basis == DE_MINIMIS:
            start = regulation_for(regulation, grant_date).public_register_from
            return start is not None and grant_date >= start
        if basis == GBER:
            return publication_required(cluster_aid_rules_for(grant_date), grant_date, amount)
    except ValueError:  # a date no regulation covers: nothing says it is public
        return False
    return False


def cluster_aid_rules_for(on: date) -> ClusterAidRules:
    for rules in CLUSTER_AID_RULES:
        if rules.valid_from <= on and (rules.valid_to is None or on <= rules.valid_to):
            return rules
    raise ValueError(f"no GBER Art. 27 rules apply on {on.isoformat()}")


def cluster_aid(
    *,
    aid_type: str,
    grant_date: date,
    amount: Decimal,
    eligible_costs: Decimal,
    cost_categories: Iterable[str] = (),
    assisted_area: str = "",
    operating_years: int = 0,
    previous_aid_to_cluster: Decimal = Decimal(0),
) -> ClusterAidResult:
    """GBER Art. 27: investment aid at most 50 % of the eligible costs (+15 points in Art.
    107(3)(a) areas, +5 in 107(3)(c) areas); operating aid at most 50 % of the eligible costs
    over the aid period, for at most 10 years; eligible cost categories; the notification
    threshold per cluster (Art. 4(1)); publication above the transparency threshold (Art. 9),
    for awards from 1 July 2016 (Art. 9(6))."""
    rules = cluster_aid_rules_for(grant_date)
    refusals = []
    allowed_costs: tuple[str, ...]
    if aid_type == "investment":
        allowed_costs = INVESTMENT_COSTS
        if assisted_area and assisted_area not in rules.regional_bonus:
            raise ValueError("assisted_area must be a, c or empty")
        intensity = rules.investment_intensity + rules.regional_bonus.get(assisted_area, 0)
    elif aid_type == "operating":
        allowed_costs = OPERATING_COSTS
        intensity = rules.operating_intensity
        if operating_years > rules.operating_years_max:
            years = rules.operating_years_max
            text = f"operating aid for at most {years} years"
            refusals.append(Refusal("operating-years", text, {"years": years}))
    else:
        raise ValueError("aid_type must be investment or operating")
    for category in cost_categories:
        if category not in allowed_costs:
            refusals.append(
                Refusal(
                    f"ineligible-{aid_type}-cost",
                    f"{category!r} is not an eligible {aid_type} cost (Art. 27)",
                    {"category": category},
                )
            )
    max_aid = (eligible_costs * intensity).quantize(CENT, ROUND_HALF_UP)
    if amount > max_aid:
        refusals.append(
            Refusal(
                "intensity",
                f"EUR {amount:,} is above {intensity:.0%} of the eligible costs (EUR {max_aid:,})",
                {"amount": amount, "intensity": intensity, "max_aid": max_aid},
            )
        )
    if previous_aid_to_cluster + amount > rules.notification_threshold:
        refusals.append(
            Refusal(
                "notification-threshold",
                f"the cluster's aid would exceed the notification threshold of "
                f"EUR {rules.notification_threshold:,} ({rules.threshold_source}): notify the "
                "Commission",
                {
                    "threshold": rules.notification_threshold,
                    "regulation": rules.reference.rpartition(", Art.")[0],
                },
            )
        )
    return ClusterAidResult(
        allowed=not refusals,
        max_intensity=intensity,
        max_aid=max_aid,
        publication_required=publication_required(rules, grant_date, amount),
        refusals=refusals,
        rules=rules,
    )


def working_days_after(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The `days`-th working day after `start` (Monday to Friday, not a public holiday): the
    central-register deadline of Art. 6(2) of 2023/2831 is 20 working days after the grant."""
    closed = set(holidays)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    return day


REPORTING_WORKING_DAYS = 20
# EU Member States as the EU writes them (Greece EL); the register accepts GR for Greece too.
MEMBER_STATES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip


def member_state_code(code: str) -> str:
    code = code.strip().upper()
    code = "EL" if code == "GR" else code
    if code not in MEMBER_STATES:
        raise ValueError(f"{code!r} is not an EU Member State code ({', '.join(MEMBER_STATES)})")
    return code


class InputError(ValueError):
    """A parameter is missing or out of range; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


GGE_METHODS = {"loan": ("safe-harbour", "reference-rate"), "guarantee": ("safe-harbour", "premium")}
SIZES = ("sme", "large")


def _whole_years(years: Decimal) -> int:
    if years != years.to_integral_value() or years < 1:
        raise InputError("years", "this method discounts year by year: give whole years (≥ 1)")
    return int(years)


def _discount(discount_rate: Decimal | None, base_rate: Decimal | None) -> Decimal:
    """The discount rate of 2008/C 14/02: given, or the base rate + 100 basis points."""
    if discount_rate is not None:
        return discount_rate
    if base_rate is None:
        raise InputError("discount_rate", "give the discount rate, or the base rate")
    return base_rate + DISCOUNT_MARGIN


def _rating(rating: str | None) -> str | None:
    """A letter rating (S&P scale, upper case) or a reference-rate category (lower case)."""
    if rating is None:
        return None
    rating = rating.strip()
    if rating.lower() in RATING_CATEGORIES:
        return rating.lower()
    if rating.upper() in RATING_SCALE:
        return rating.upper()
    raise InputError(
        "rating",
        f"rating must be a letter rating ({', '.join(RATING_SCALE)}) or a category "
        f"({', '.join(RATING_CATEGORIES)})",
    )


def rating_category(rating: str) -> str:
    """The reference-rate category (2008/C 14/02) of a letter rating or a category."""
    if rating in RATING_CATEGORIES:
        return rating
    position = RATING_SCALE.index(rating)
    return next(
        category
        for category in RATING_CATEGORIES
        if position <= RATING_SCALE.index(CATEGORY_FLOOR[category])
    )


def _beneficiary_refusal(
    instrument: str, method: str, size: str, rating: str | None, insolvency_proceedings: bool
) -> Equivalent | None:
    """Art. 4(3)(a) and 4(6)(a) of 2023/2831: a loan or guarantee is transparent de minimis aid
    only if the beneficiary is neither subject to collective insolvency proceedings nor
    fulfils the criteria for being placed in them at its creditors' request, and — a large
    undertaking — is in a situation comparable to a credit rating of at least B−. The
    safe-harbour premiums of Art. 4(6)(c) exist for SMEs only (Notice 2008/C 155/02,
    point 3.3)."""
    point = "4(3)(a)" if instrument == "loan" else "4(6)(a)"
    if insolvency_proceedings:
        return Equivalent(
            False, Decimal(0), method,
            f"2023/2831 Art. {point}: the beneficiary is subject to collective insolvency "
            "proceedings, or fulfils the criteria for being placed in them",
        )  # fmt: skip
    if size != "large":
        return None
    if rating is None:
        raise InputError(
            "rating",
            f"a large undertaking must be in a situation comparable to a credit rating of at "
            f"least B- (2023/2831 Art. {point}): give its rating",
        )
    if not _rating_at_least(rating, "B-"):
        return Equivalent(
            False, Decimal(0), method,
            f"2023/2831 Art. {point}: a large undertaking must be in a situation comparable to "
            f"a credit rating of at least B- (rated {rating})",
        )  # fmt: skip
    if method == "premium":
        return Equivalent(
            False, Decimal(0), method,
            "2023/2831 Art. 4(6)(c): the safe-harbour premiums of Notice 2008/C 155/02 "
            "(point 3.3) are for SMEs only; a large undertaking's guarantee needs the safe "
            "harbour of Art. 4(6)(b)",
        )  # fmt: skip
    return None


def _safe_harbour_premium(rating: str | None) -> Decimal | Equivalent:
    if rating is None:
        raise InputError("market_premium", "give the market premium, or the SME rating")
    if rating in RATING_CATEGORIES:
        raise InputError(
            "rating", "the safe-harbour premiums go by letter rating (AAA … B-), not category"
        )
    if rating in NO_SAFE_HARBOUR_PREMIUM:
        return Equivalent(
            False, Decimal(0), "premium",
            f"Notice 2008/C 155/02, point 3.3 (as corrected, OJ C 244, 25.9.2008, p. 32): no "
            f"safe-harbour premium for a rating of CCC+ or below (rated {rating})",
        )  # fmt: skip
    return SME_SAFE_HARBOUR_PREMIUMS[rating]


def gross_grant_equivalent(
    *,
    instrument: str,
    amount: Decimal,
    years: Decimal,
    method: str = "safe-harbour",
    collateral_share: Decimal | None = None,
    guarantee_share: Decimal | None = None,
    loan_amount: Decimal | None = None,
    reference_rate: Decimal | None = None,
    loan_rate: Decimal | None = None,
    discount_rate: Decimal | None = None,
    base_rate: Decimal | None = None,
    rating: str | None = None,
    collateral_level: str | None = None,
    schedule: str = "bullet",
    market_premium: Decimal | None = None,
    premium: Decimal | None = None,
    size: str = "sme",
    insolvency_proceedings: bool = False,
) -> Equivalent:
    """The gross grant equivalent of a loan or guarantee (2023/2831 Art. 4) by the chosen
    method, after the beneficiary's conditions of Art. 4(3)(a)/4(6)(a) (`size`: sme or large;
    `insolvency_proceedings`; for a large undertaking its `rating`). For a guarantee,
    `amount` is the guaranteed part; the loan is `loan_amount` or `amount / guarantee_share`.
    Rates and shares are fractions (0.05 for 5 %). `rating`: a letter rating (AAA … D) or a
    reference-rate category (strong … bad)."""
    if instrument not in GGE_METHODS:
        raise InputError("instrument", "instrument must be loan or guarantee")
    if method not in GGE_METHODS[instrument]:
        raise InputError(
            "method", f"a {instrument} takes method {' or '.join(GGE_METHODS[instrument])}"
        )
    if size not in SIZES:
        raise InputError("size", f"size must be {' or '.join(SIZES)}")
    if amount <= 0:
        raise InputError("amount", "must be more than zero")
    if years <= 0:
        raise InputError("years", "must be more than zero")
    for name, value in (
        ("collateral_share", collateral_share),
        ("guarantee_share", guarantee_share),
        ("reference_rate", reference_rate),
        ("loan_rate", loan_rate),
        ("discount_rate", discount_rate),
        ("base_rate", base_rate),
        ("market_premium", market_premium),
        ("premium", premium),
    ):
        if value is not None and not (-1 < value <= 1):
            raise InputError(name, "rates and shares are fractions (0.05 for 5 %)")
    if schedule not in ("bullet", "linear"):
        raise InputError("schedule", "schedule must be bullet or linear")
    rating = _rating(rating)
    refusal = _beneficiary_refusal(instrument, method, size, rating, insolvency_proceedings)
    if refusal is not None:
        return refusal
    if instrument == "loan" and method == "safe-harbour":
        if collateral_share is None:
            return Equivalent(
                False, Decimal(0), method,
                "the collateral share is needed: the safe harbour requires at least 50 %",
            )  # fmt: skip
        return loan_safe_harbour(amount, years, collateral_share)
    if instrument == "loan":
        if reference_rate is None:
            if base_rate is None or rating is None or collateral_level is None:
                raise InputError(
                    "reference_rate",
                    "give the reference rate, or the base rate with rating and collateral level",
                )
            try:
                reference_rate = reference_rate_for(
                    base_rate, rating_category(rating), collateral_level
                )
            except ValueError as error:
                raise InputError("collateral_level", str(error)) from error
        if loan_rate is None:
            raise InputError("loan_rate", "give the rate the loan carries")
        return loan_reference_rate(
            amount,
            _whole_years(years),
            reference_rate=reference_rate,
            loan_rate=loan_rate,
            discount_rate=_discount(discount_rate, base_rate),
            schedule=schedule,
        )
    if method == "safe-harbour":
        if loan_amount is None and guarantee_share is not None and guarantee_share > 0:
            loan_amount = amount / guarantee_share
        if loan_amount is None:
            return Equivalent(
                False, Decimal(0), method,
                "the loan amount or the guaranteed share is needed: the safe harbour covers "
                "at most 80 % of the loan",
            )  # fmt: skip
        return guarantee_safe_harbour(amount, loan_amount, years)
    if market_premium is None:
        safe_harbour = _safe_harbour_premium(rating)
        if isinstance(safe_harbour, Equivalent):
            return safe_harbour
        market_premium = safe_harbour
    if premium is None:
        raise InputError("premium", "give the premium the beneficiary pays")
    return guarantee_premium(
        amount,
        _whole_years(years),
        market_premium=market_premium,
        paid_premium=premium,
        discount_rate=_discount(discount_rate, base_rate),
        schedule=schedule,
    )
