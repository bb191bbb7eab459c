"""The pure rules: eligibility rule by rule and the aid value of a use, on hand-computed cases."""

from decimal import Decimal

import pytest

from atclusters.services import eligibility
from atclusters.services.eligibility import Applicant, Rules

SME = Applicant(
    clusters=frozenset({"food"}),
    size="small",
    country="ES",
    sector="C10.51",
    region="ES111",
    documents=frozenset({"invoice"}),
)


def test_no_rules_admit_everyone_and_show_nothing():
    assert eligibility.evaluate(Rules(), SME) == []
    assert eligibility.eligible([])


def test_each_rule_is_reported_with_what_it_requires_and_what_the_applicant_has():
    rules = Rules(
        clusters=frozenset({"food", "sea"}),
        sizes=frozenset({"micro", "small", "medium"}),
        countries=frozenset({"PT"}),
        sectors=frozenset({"C10"}),
        regions=frozenset({"ES11"}),
        documents=frozenset({"invoice", "stand contract"}),
    )
    results = eligibility.evaluate(rules, SME)
    assert [(r.rule, r.passed) for r in results] == [
        ("clusters", True),
        ("sizes", True),
        ("countries", False),
        ("sectors", True),
        ("regions", True),
        ("documents", False),
    ]
    assert results[2].required == ("PT",) and results[2].actual == ("ES",)
    assert results[5].required == ("invoice", "stand contract")
    assert results[5].actual == ("invoice",)
    assert not eligibility.eligible(results)


def test_code_prefixes_match_whole_codes_with_or_without_dots():
    assert eligibility.evaluate(Rules(sectors=frozenset({"C10.5"})), SME)[0].passed
    assert not eligibility.evaluate(Rules(sectors=frozenset({"C11"})), SME)[0].passed
    assert not eligibility.evaluate(Rules(regions=frozenset({"ES12"})), SME)[0].passed
    unknown = Applicant(clusters=frozenset(), size="", country="ES")
    assert not eligibility.evaluate(Rules(sectors=frozenset({"C"})), unknown)[0].passed


@pytest.mark.parametrize(
    ("employees", "size"),
    [(None, ""), (0, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"),
     (249, "medium"), (250, "large")],
)  # fmt: skip
def test_size_class_by_headcount_at_the_recommendation_thresholds(employees, size):
    assert eligibility.size_class(employees) == size


def test_de_minimis_aid_is_market_price_minus_price_paid_times_units():
    # 7.5 hours of consultancy listed at EUR 90/h, paid EUR 35/h by a member:
    # (90 - 35) * 7.5 = 412.50
    aid = eligibility.delivery_aid(
        treatment="de-minimis",
        list_price=Decimal("90"),
        price_paid=Decimal("35"),
        units=Decimal("7.5"),
    )
    assert aid == Decimal("412.50")


def test_aid_rounds_to_the_cent_half_up():
    # (10.00 - 3.33) * 0.125 = 0.83375 -> 0.83
    # (10.00 - 3.33) * 1.5 = 10.005 -> 10.01
    kwargs = {
        "treatment": "de-minimis",
        "list_price": Decimal("10.00"),
        "price_paid": Decimal("3.33"),
    }
    assert eligibility.delivery_aid(**kwargs, units=Decimal("0.125")) == Decimal("0.83")
    assert eligibility.delivery_aid(**kwargs, units=Decimal("1.5")) == Decimal("10.01")


def test_no_aid_to_the_member_when_not_aid_or_gber_27_or_at_list_price():
    for treatment in ("none", "gber-27"):
        assert eligibility.delivery_aid(
            treatment=treatment, list_price=Decimal(90), price_paid=Decimal(35), units=Decimal(2)
        ) == Decimal(0)
    assert eligibility.delivery_aid(
        treatment="de-minimis", list_price=Decimal(90), price_paid=Decimal(90), units=Decimal(2)
    ) == Decimal(0)


def test_bad_treatment_or_units_are_refused():
    with pytest.raises(ValueError, match="treatment"):
        eligibility.aid_per_unit(treatment="gift", list_price=Decimal(1), price_paid=Decimal(0))
    with pytest.raises(ValueError, match="units"):
        eligibility.delivery_aid(
            treatment="de-minimis", list_price=Decimal(1), price_paid=Decimal(0), units=Decimal(0)
        )


def test_member_pays_member_price_others_list_price():
    assert (
        eligibility.unit_price(list_price=Decimal(90), member_price=Decimal(35), member=True) == 35
    )
    assert (
        eligibility.unit_price(list_price=Decimal(90), member_price=Decimal(35), member=False) == 90
    )


def test_discount_is_the_rate_of_the_costs_up_to_the_cap():
    # 50 % of a EUR 4,380.90 stand = 2,190.45, under the EUR 3,000 cap
    assert eligibility.discount_aid(
        costs=Decimal("4380.90"), rate=Decimal("0.5"), cap=Decimal(3000)
    ) == Decimal("2190.45")
    # 50 % of EUR 9,000 = 4,500, capped at 3,000
    assert (
        eligibility.discount_aid(costs=Decimal(9000), rate=Decimal("0.5"), cap=Decimal(3000))
        == 3000
    )
    assert eligibility.discount_aid(costs=Decimal(9000), rate=Decimal("0.5"), cap=None) == 4500
    with pytest.raises(ValueError, match="rate"):
        eligibility.discount_aid(costs=Decimal(1), rate=Decimal("1.5"), cap=None)


def test_budget_left_never_negative():
    assert eligibility.budget_left(budget=Decimal(10000), committed=Decimal(7500)) == 2500
    assert eligibility.budget_left(budget=Decimal(10000), committed=Decimal(12000)) == 0
