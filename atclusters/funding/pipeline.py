"""The proposal pipeline, with no Django: the stages and the moves between them, the consortium
checked against a call's eligibility rule with each rule shown, and the pipeline's statistics.

The standard eligibility rule of Horizon Europe collaborative actions (General Annexes to the
Work Programme 2025, Annex B "Eligibility"; Regulation (EU) 2021/695, Art. 22(2)): at least three
legal entities independent from each other, each established in a different country, at least
one in a Member State and the others in Member States or associated countries. Affiliated
entities and associated partners do not count towards it; one coordinator leads."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

IDEA, CONSORTIUM, DRAFTING, SUBMITTED, EVALUATED = (
    "idea", "consortium", "drafting", "submitted", "evaluated",
)  # fmt: skip
FUNDED, REJECTED, WITHDRAWN = "funded", "rejected", "withdrawn"
STAGES = (IDEA, CONSORTIUM, DRAFTING, SUBMITTED, EVALUATED, FUNDED, REJECTED, WITHDRAWN)
DECIDED = (FUNDED, REJECTED)
CLOSED = (*DECIDED, WITHDRAWN)  # nothing changes in a proposal any more
MOVES = {
    IDEA: (CONSORTIUM, WITHDRAWN),
    CONSORTIUM: (DRAFTING, IDEA, WITHDRAWN),
    DRAFTING: (SUBMITTED, CONSORTIUM, WITHDRAWN),
    SUBMITTED: (EVALUATED, FUNDED, REJECTED, WITHDRAWN),
    EVALUATED: (FUNDED, REJECTED),
    FUNDED: (),
    REJECTED: (),
    WITHDRAWN: (),
}

COORDINATOR, BENEFICIARY, AFFILIATED, ASSOCIATED = (
    "coordinator", "beneficiary", "affiliated", "associated",
)  # fmt: skip
COUNTING = (COORDINATOR, BENEFICIARY)

# EU Member States (ISO 3166-1 alpha-2) and the countries associated to Horizon Europe (list of
# the European Commission, "List of participating countries in Horizon Europe", 2025): the
# eligible countries when a call names none.
MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
ASSOCIATED_COUNTRIES = frozenset(
    [
        "AL",
        "AM",
        "BA",
        "FO",
        "GE",
        "IL",
        "IS",
        "XK",
        "MD",
        "ME",
        "MK",
        "NO",
        "RS",
        "TN",
        "TR",
        "UA",
        "GB",
        "NZ",
        "CA",
        "CH",
    ]
)


def can_move(current: str, target: str) -> bool:
    return target in MOVES.get(current, ())


@dataclass(frozen=True)
class Partner:
    key: str  # the organisation (registry slug or PIC): one entity counts once
    country: str
    role: str


@dataclass(frozen=True)
class Rule:
    rule: str  # a stable code; the platform words it
    met: bool
    detail: dict


def consortium_rules(
    partners: Sequence[Partner], eligible: Iterable[str] = (), minimum: int = 3
) -> list[Rule]:
    """Each rule of the consortium with whether it is met and what it counted."""
    countries = frozenset(eligible) or (MEMBER_STATES | ASSOCIATED_COUNTRIES)
    counting = {p.key: p for p in partners if p.role in COUNTING}
    coordinators = [p for p in partners if p.role == COORDINATOR]
    outside = sorted({p.country for p in counting.values() if p.country not in countries})
    distinct = sorted({p.country for p in counting.values() if p.country in countries})
    in_member_state = sorted(c for c in distinct if c in MEMBER_STATES)
    return [
        Rule("one-coordinator", len(coordinators) == 1, {"count": len(coordinators)}),
        Rule(
            "independent-entities",
            len(counting) >= minimum,
            {"count": len(counting), "minimum": minimum},
        ),
        Rule(
            "different-countries",
            len(distinct) >= minimum,
            {"countries": ", ".join(distinct), "minimum": minimum},
        ),
        Rule(
            "member-state",
            bool(in_member_state),
            {"countries": ", ".join(in_member_state)},
        ),
        Rule("eligible-countries", not outside, {"countries": ", ".join(outside)}),
    ]


def eligible(rules: Iterable[Rule]) -> bool:
    return all(rule.met for rule in rules)


@dataclass(frozen=True)
class Outcome:
    """One proposal as the statistics see it."""

    stage: str
    programme: str
    created: date
    submitted: date | None
    eu_contribution: Decimal | None


@dataclass(frozen=True)
class Statistics:
    proposals: int
    submitted: int
    funded: int
    rejected: int
    success_rate: float | None  # funded ÷ decided (funded + rejected)
    funding_secured: Decimal
    days_to_submission: float | None  # mean, from the idea to the submission

    def as_dict(self) -> dict:
        return {
            "proposals": self.proposals,
            "submitted": self.submitted,
            "funded": self.funded,
            "rejected": self.rejected,
            "success_rate": self.success_rate,
            "funding_secured_eur": str(self.funding_secured),
            "days_to_submission": self.days_to_submission,
        }


def statistics(outcomes: Iterable[Outcome]) -> Statistics:
    rows = list(outcomes)
    funded = [o for o in rows if o.stage == FUNDED]
    rejected = [o for o in rows if o.stage == REJECTED]
    waits = [(o.submitted - o.created).days for o in rows if o.submitted]
    decided = len(funded) + len(rejected)
    return Statistics(
        proposals=len(rows),
        submitted=len(waits),
        funded=len(funded),
        rejected=len(rejected),
        success_rate=round(len(funded) / decided, 4) if decided else None,
        funding_secured=sum((o.eu_contribution or Decimal(0) for o in funded), Decimal(0)),
        days_to_submission=round(sum(waits) / len(waits), 1) if waits else None,
    )
