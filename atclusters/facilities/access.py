"""What a use of the hub costs and what it is worth as aid, and the access and fee conditions
of a hub run as an innovation cluster under GBER Art. 27. No Django here: the services pass
plain values in (docs/facilities.md, "Fees and state aid").

Regulation (EU) No 651/2014 (GBER), Art. 27 as adopted (OJ L 187, 26.6.2014, p. 1); the
paragraphs were renumbered when Regulation (EU) 2023/1315 amended the article, the conditions
below are unchanged in substance:

- Art. 27(3): access to the cluster's premises, facilities and activities "shall be open to
  several users and shall be granted on a transparent and non-discriminatory basis";
  undertakings "which have financed at least 10 % of the investment costs" may be granted
  preferential access under more favourable conditions, proportional to their contribution
  to the investment costs, and those conditions are made publicly available.
- Art. 27(4): fees for using the cluster's facilities "shall correspond to the market price
  or reflect their costs".

A use at a price below the market price by an undertaking outside Art. 27 is an advantage
(Commission Notice on the notion of State aid, 2016/C 262/01, points 66–74): its value, the
market (list) price minus the price paid, is de minimis aid to the user."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NONE = "none"
DE_MINIMIS = "de-minimis"
GBER_27 = "gber-27"

# Art. 27(3): the share of the investment costs that opens preferential access.
MIN_CONTRIBUTOR_SHARE = Decimal(10)

LIST, MEMBER, CONTRIBUTOR = "list", "member", "contributor"

CENT = Decimal("0.01")


def euros(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Fees:
    """Prices per hour. `cost` is what an hour of the facility costs its operator (needed under
    Art. 27 for any fee below the market price); `contributor` the preferential fee of the
    undertakings that financed ≥ 10 % of the investment costs (Art. 27 only)."""

    treatment: str
    list_price: Decimal
    member_price: Decimal
    contributor_price: Decimal | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    code: str


def fee_problems(fees: Fees, *, staff_only: bool) -> list[Problem]:
    """The conditions a facility's fees and access break, each naming its field."""
    found = []
    if fees.member_price > fees.list_price:
        found.append(Problem("member_price_eur", "member-above-list"))
    if fees.contributor_price is not None:
        if fees.treatment != GBER_27:
            found.append(Problem("contributor_price_eur", "contributor-outside-27"))
        elif fees.contributor_price > fees.member_price:
            found.append(Problem("contributor_price_eur", "contributor-above-member"))
    if fees.treatment == GBER_27:
        if staff_only:
            found.append(Problem("bookable_by", "not-open"))
        below_market = [
            price
            for price in (fees.member_price, fees.contributor_price)
            if price is not None and price < fees.list_price
        ]
        if below_market and fees.cost is None:
            found.append(Problem("cost_eur", "cost-missing"))
        elif fees.cost is not None and any(price < fees.cost for price in below_market):
            found.append(Problem("cost_eur", "below-cost"))
    return found


def preferential(share_percent: Decimal | None) -> bool:
    """Art. 27(3): only an undertaking that financed at least 10 % of the investment costs."""
    return share_percent is not None and share_percent >= MIN_CONTRIBUTOR_SHARE


def contributor_quota(share_percent: Decimal, open_hours: Decimal) -> Decimal:
    """The hours of a month an undertaking may use at the preferential fee: its share of the
    investment costs applied to the hours the facility is open that month, so that the
    preferential access is proportional to the contribution (Art. 27(3))."""
    return (open_hours * share_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Price:
    rate: str  # the rate of the hours not at the preferential fee: list or member
    contributor_hours: Decimal
    total: Decimal
    at_list_price: Decimal  # what the same use costs at the market price
    aid: Decimal  # the advantage recorded as de minimis aid to the user


def use_price(
    fees: Fees,
    *,
    hours: Decimal,
    member: bool,
    share_percent: Decimal | None = None,
    quota_left: Decimal = Decimal(0),
    beneficiary: bool = True,
) -> Price:
    """The price of `hours` of use. A member pays the member price; an Art. 27 contributor
    pays the preferential fee for the hours within its quota of the month and the member price
    for the rest. Under de minimis the user receives the difference to the list price as aid
    (`beneficiary` False: the agency's own use, no undertaking receives it). Under Art. 27 the
    fees reflect costs or the market (checked by `fee_problems`): the aid is the cluster's, and
    the user receives none."""
    rate = MEMBER if member else LIST
    hourly = fees.member_price if member else fees.list_price
    preferred = Decimal(0)
    if (
        member
        and fees.treatment == GBER_27
        and fees.contributor_price is not None
        and preferential(share_percent)
    ):
        preferred = max(Decimal(0), min(hours, quota_left))
    total = euros((hours - preferred) * hourly + preferred * (fees.contributor_price or 0))
    at_list = euros(hours * fees.list_price)
    aid = Decimal("0.00")
    if fees.treatment == DE_MINIMIS and beneficiary:
        aid = euros(max(Decimal(0), at_list - total))
    return Price(rate, preferred, total, at_list, aid)
