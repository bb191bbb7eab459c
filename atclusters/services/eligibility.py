"""Who may use a service or a benefit programme, rule by rule, and what a subsidised use is worth
as aid. No Django here: the services pass plain values in (docs/services.md, "Eligibility" and
"Aid value").

Aid value of a service delivered below its market price (Commission Notice on the notion of
State aid, 2016/C 262/01, points 66–74: an advantage is any economic benefit the undertaking
would not obtain under normal market conditions): per unit, the market (list) price minus the
price paid; times the units delivered. A service under GBER Art. 27 is the cluster
organisation's own activity at a fee that "shall correspond to the market price or reflect
their costs" (Regulation (EU) No 651/2014, Art. 27(4) as adopted): the aid is the cluster's,
recorded on its Art. 27 grant, and the member receives none."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NONE = "none"
DE_MINIMIS = "de-minimis"
GBER_27 = "gber-27"
TREATMENTS = (NONE, DE_MINIMIS, GBER_27)

RULES = ("clusters", "sizes", "countries", "sectors", "regions", "documents")

CENT = Decimal("0.01")


def euros(value: Decimal) -> Decimal:
    """Rounded to the cent, half away from zero (as amounts are written in the register)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    """What an applicant must satisfy; an empty set means the rule does not apply.
    `sectors` are NACE code prefixes ("C10" admits "C10.1" and "C10.11"), `regions` NUTS code
    prefixes ("ES1" admits "ES11" and "ES111"), `documents` the documents a claim must bring."""

    clusters: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Applicant:
    clusters: frozenset[str]  # slugs of the clusters it is a current member of
    size: str  # micro, small, medium, large; "" when unknown
    country: str
    sector: str = ""  # NACE code
    region: str = ""  # NUTS code
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    required: tuple[str, ...]
    actual: tuple[str, ...]


def size_class(employees: int | None) -> str:
    """The size class by headcount alone (Commission Recommendation 2003/361/EC, Annex Art. 2:
    micro < 10, small < 50, medium < 250 persons employed); "" when unknown. The turnover and
    balance-sheet tests of the Recommendation need figures the registry may not hold: a
    recorded size class wins over this estimate."""
    if employees is None:
        return ""
    for limit, name in ((10, "micro"), (50, "small"), (250, "medium")):
        if employees < limit:
            return name
    return "large"


def _code_matches(code: str, prefixes: Iterable[str]) -> bool:
    plain = code.replace(".", "").upper()
    return any(plain.startswith(prefix.replace(".", "").upper()) for prefix in prefixes)


def evaluate(rules: Rules, applicant: Applicant) -> list[RuleResult]:
    """One result per rule that applies, in the order of `RULES`."""
    results = []
    if rules.clusters:
        shared = rules.clusters & applicant.clusters
        results.append(
            RuleResult(
                "clusters",
                bool(shared),
                tuple(sorted(rules.clusters)),
                tuple(sorted(applicant.clusters)),
            )
        )
    if rules.sizes:
        results.append(
            RuleResult(
                "sizes",
                applicant.size in rules.sizes,
                tuple(sorted(rules.sizes)),
                (applicant.size,),
            )
        )
    if rules.countries:
        results.append(
            RuleResult(
                "countries",
                applicant.country.upper() in {code.upper() for code in rules.countries},
                tuple(sorted(rules.countries)),
                (applicant.country,),
            )
        )
    if rules.sectors:
        results.append(
            RuleResult(
                "sectors",
                bool(applicant.sector) and _code_matches(applicant.sector, rules.sectors),
                tuple(sorted(rules.sectors)),
                (applicant.sector,),
            )
        )
    if rules.regions:
        results.append(
            RuleResult(
                "regions",
                bool(applicant.region) and _code_matches(applicant.region, rules.regions),
                tuple(sorted(rules.regions)),
                (applicant.region,),
            )
        )
    if rules.documents:
        missing = rules.documents - applicant.documents
        results.append(
            RuleResult(
                "documents",
                not missing,
                tuple(sorted(rules.documents)),
                tuple(sorted(applicant.documents & rules.documents)),
            )
        )
    return results


def eligible(results: Iterable[RuleResult]) -> bool:
    return all(result.passed for result in results)


def unit_price(*, list_price: Decimal, member_price: Decimal, member: bool) -> Decimal:
    """What the user pays per unit: the member price for members, the list price otherwise."""
    return member_price if member else list_price


def aid_per_unit(*, treatment: str, list_price: Decimal, price_paid: Decimal) -> Decimal:
    """Aid to the user per unit: market price − price paid under de minimis; nothing when the
    service is not aid or is the cluster's own GBER Art. 27 activity."""
    if treatment not in TREATMENTS:
        raise ValueError(f"unknown aid treatment {treatment!r}")
    if treatment != DE_MINIMIS:
        return Decimal(0)
    return max(list_price - price_paid, Decimal(0))


def delivery_aid(
    *, treatment: str, list_price: Decimal, price_paid: Decimal, units: Decimal
) -> Decimal:
    """The aid of one delivery, to the cent."""
    if units <= 0:
        raise ValueError("units must be more than zero")
    return euros(
        aid_per_unit(treatment=treatment, list_price=list_price, price_paid=price_paid) * units
    )


def discount_aid(*, costs: Decimal, rate: Decimal, cap: Decimal | None) -> Decimal:
    """A programme's discount: `rate` (0–1) of the claimed costs, at most `cap`, to the cent."""
    if costs < 0:
        raise ValueError("costs must not be negative")
    if not Decimal(0) <= rate <= 1:
        raise ValueError("the rate must be between 0 and 1")
    amount = euros(costs * rate)
    return min(amount, cap) if cap is not None else amount


def budget_left(*, budget: Decimal, committed: Decimal) -> Decimal:
    return max(budget - committed, Decimal(0))
