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


WINDOW_STARTS = ("day-after", "same-day")


def window(
    grant_date: date, years: int = 3, leap_day: str = "feb28", start: str = "day-after"
) -> tuple[date, date]:
    """The rolling period of Art. 3(2) of 2023/2831 ("any period of three years"), both ends
    included: by default from the day after the same date three years earlier (a period of
    exactly three years) up to the grant date; `start="same-day"` also counts aid granted on
    that same date. Grant date = the date the legal right to the aid is conferred (Art. 3(4)),
    not the payment date."""
    if start not in WINDOW_STARTS:
        raise ValueError(f"start must be one of {', '.join(WINDOW_STARTS)}")
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
        return Cap("maximum intensity for the same eligible costs", ceiling, self.other_aid)


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
    window_start: str = "day-after",
    same_costs: "SameCosts | None" = None,
) -> CheckResult:
    """May `amount` (gross grant equivalent, EUR) be granted? The whole single undertaking as
    it stands on the grant date, the aid of the window granted by the same Member State (Art.
    3(2): per Member State), every applicable cap; headroom = the smallest. All or nothing
    (Art. 3(7)): a grant above the headroom cannot be granted in part — the answer says so and
    gives the largest amount that would fit. `same_costs`: other aid (GBER, notified) for the
    same eligible costs (Art. 5(2)). The reported ceiling and counted aid are those of the
    binding cap — the one with the least headroom, the regulation's own on a tie."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    links = list(links)
    group, review = single_undertaking(undertaking, links, grant_date)
    start, end = window(grant_date, leap_day=leap_day, start=window_start)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for grant in grants:
        if (
            grant.undertaking in group
            and start <= grant.grant_date <= end
            and (not member_state or not grant.member_state or grant.member_state == member_state)
        ):
            sums[grant.kind] += grant.gge
    caps = _caps(kind, grant_date, sums)
    if same_costs is not None:
        caps.append(same_costs.cap())
    binding = min(caps, key=lambda cap: cap.headroom)
    headroom = binding.headroom
    allowed = amount <= headroom
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
        ceiling=binding.ceiling,
        window_start=start,
        window_end=end,
        counted=binding.counted,
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
    saving = max(reference_rate - loan_rate, Decimal(0))
    return Equivalent(
        True,
        _present_value(saving, amount, years, discount_rate, schedule),
        "reference-rate",
        "present value of the interest saved (Communication 2008/C 14/02)",
    )


def to_euro(amount: Decimal, rate: Decimal) -> Decimal:
    """A non-euro amount at the rate of the grant date (units of currency per euro)."""
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


# Commission Notice on guarantees (2008/C 155/02), section 3.3: safe-harbour annual premiums for
# guarantees to SMEs by rating category; section 4.2: the aid element is the difference between
# the market (or safe-harbour) premium and the premium paid, discounted.
SME_SAFE_HARBOUR_PREMIUMS = {
    "AAA": Decimal("0.004"),
    "AA": Decimal("0.004"),
    "A": Decimal("0.0055"),
    "BBB": Decimal("0.008"),
    "BB": Decimal("0.02"),
    "B": Decimal("0.038"),
    "CCC": Decimal("0.063"),  # CCC/C; undertakings in difficulty are not eligible
}


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
        "present value of the premium saved (Notice 2008/C 155/02, section 4.2)",
    )


@dataclass(frozen=True)
class ClusterAidRules:
    """GBER Art. 27 (aid for innovation clusters) and its thresholds, as data."""

    reference: str
    valid_from: date
    valid_to: date | None
    investment_intensity: Decimal
    regional_bonus: dict[str, Decimal]
    operating_intensity: Decimal
    operating_years_max: int
    notification_threshold: Decimal
    transparency_threshold: Decimal


CLUSTER_AID_RULES = (
    ClusterAidRules("Regulation (EU) No 651/2014, Art. 27", date(2014, 7, 1), date(2023, 6, 30),
                    Decimal("0.5"), {"a": Decimal("0.15"), "c": Decimal("0.05")},
                    Decimal("0.5"), 10, Decimal(7_500_000), Decimal(500_000)),
    ClusterAidRules("Regulation (EU) No 651/2014 as amended by 2023/1315, Art. 27",
                    date(2023, 7, 1), None,
                    Decimal("0.5"), {"a": Decimal("0.15"), "c": Decimal("0.05")},
                    Decimal("0.5"), 10, Decimal(10_000_000), Decimal(100_000)),
)  # fmt: skip

# Art. 27(6) and 27(8): what the aid may pay for.
INVESTMENT_COSTS = ("tangible assets", "intangible assets")
OPERATING_COSTS = (
    "animation of the cluster",
    "marketing of the cluster",
    "management of the cluster's facilities",
    "training programmes, workshops and conferences",
)


@dataclass
class ClusterAidResult:
    allowed: bool
    max_intensity: Decimal
    max_aid: Decimal
    publication_required: bool
    reasons: list[str]
    rules: ClusterAidRules


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
    threshold per cluster (Art. 4(1)); publication above the transparency threshold (Art. 9)."""
    rules = cluster_aid_rules_for(grant_date)
    reasons = []
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
            reasons.append(f"operating aid for at most {rules.operating_years_max} years")
    else:
        raise ValueError("aid_type must be investment or operating")
    for category in cost_categories:
        if category not in allowed_costs:
            reasons.append(f"{category!r} is not an eligible {aid_type} cost (Art. 27)")
    max_aid = (eligible_costs * intensity).quantize(CENT, ROUND_HALF_UP)
    if amount > max_aid:
        reasons.append(
            f"EUR {amount:,} is above {intensity:.0%} of the eligible costs (EUR {max_aid:,})"
        )
    if previous_aid_to_cluster + amount > rules.notification_threshold:
        reasons.append(
            f"the cluster's aid would exceed the notification threshold of "
            f"EUR {rules.notification_threshold:,} (Art. 4(1)): notify the Commission"
        )
    return ClusterAidResult(
        allowed=not reasons,
        max_intensity=intensity,
        max_aid=max_aid,
        publication_required=amount > rules.transparency_threshold,
        reasons=reasons,
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
) -> Equivalent:
    """The gross grant equivalent of a loan or guarantee (Art. 4) by the chosen method. For a
    guarantee, `amount` is the guaranteed part; the loan is `loan_amount` or `amount /
    guarantee_share`. Rates and shares are fractions (0.05 for 5 %)."""
    if instrument not in GGE_METHODS:
        raise InputError("instrument", "instrument must be loan or guarantee")
    if method not in GGE_METHODS[instrument]:
        raise InputError(
            "method", f"a {instrument} takes method {' or '.join(GGE_METHODS[instrument])}"
        )
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
                reference_rate = reference_rate_for(base_rate, rating, collateral_level)
            except ValueError as error:
                raise InputError("rating", str(error)) from error
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
        if rating is None:
            raise InputError("market_premium", "give the market premium, or the SME rating")
        if rating not in SME_SAFE_HARBOUR_PREMIUMS:
            raise InputError(
                "rating", f"SME rating must be one of {', '.join(SME_SAFE_HARBOUR_PREMIUMS)}"
            )
        market_premium = SME_SAFE_HARBOUR_PREMIUMS[rating]
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
