"""De minimis rules, worked by hand (atclusters/stateaid/rules.py; docs/stateaid.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from atclusters.stateaid.rules import (
    AGRICULTURE,
    FISHERY,
    GENERAL,
    SGEI,
    SME_SAFE_HARBOUR_PREMIUMS,
    Grant,
    InputError,
    Link,
    SameCosts,
    check,
    cluster_aid,
    gross_grant_equivalent,
    guarantee_premium,
    guarantee_safe_harbour,
    loan_reference_rate,
    loan_safe_harbour,
    merge,
    reference_rate_for,
    regulation_for,
    single_undertaking,
    split,
    to_euro,
    window,
    working_days_after,
)


def test_ceilings_follow_the_grant_date():
    assert regulation_for(GENERAL, date(2023, 12, 31)).ceiling == 200_000
    assert regulation_for(GENERAL, date(2024, 1, 1)).ceiling == 300_000
    assert regulation_for(SGEI, date(2024, 6, 1)).ceiling == 750_000
    assert regulation_for(AGRICULTURE, date(2025, 1, 1)).ceiling == 50_000
    assert regulation_for(FISHERY, date(2024, 1, 1)).ceiling == 40_000
    with pytest.raises(ValueError, match="no general de minimis regulation applies"):
        regulation_for(GENERAL, date(2010, 1, 1))


def test_the_window_and_its_boundaries():
    assert window(date(2026, 6, 15)) == (date(2023, 6, 16), date(2026, 6, 15))
    assert window(date(2028, 2, 29)) == (date(2025, 3, 1), date(2028, 2, 29))
    assert window(date(2028, 2, 29), leap_day="mar1") == (date(2025, 3, 2), date(2028, 2, 29))
    assert window(date(2026, 6, 15), start="same-day") == (date(2023, 6, 15), date(2026, 6, 15))
    assert window(date(2028, 2, 29), start="same-day") == (date(2025, 2, 28), date(2028, 2, 29))
    grants = [
        Grant("a", date(2023, 6, 15), D(100_000)),  # the day before the window: not counted
        Grant("a", date(2023, 6, 16), D(50_000)),  # the first day: counted
    ]
    result = check(undertaking="a", grant_date=date(2026, 6, 15), amount=D(1), grants=grants)
    assert result.counted == 50_000 and result.headroom == 250_000


def test_aid_under_the_previous_regulation_counts_against_the_new_ceiling():
    grants = [Grant("a", date(2023, 3, 1), D(180_000))]
    result = check(undertaking="a", grant_date=date(2025, 3, 1), amount=D(130_000), grants=grants)
    assert not result.allowed and result.max_grantable == 120_000
    assert "all or nothing" in result.reason


def test_the_single_undertaking_through_chains_and_on_the_grant_date():
    links = [
        Link("holding", "a", "majority of voting rights"),
        Link("holding", "b", "board appointment", valid_to=date(2025, 12, 31)),
        Link("b", "c", "dominant influence by contract"),
        Link("person-x", "a", "shareholder agreement", through_person=True),
    ]
    group, review = single_undertaking("a", links, date(2025, 6, 1))
    assert group == ["a", "b", "c", "holding"] and [link.parent for link in review] == ["person-x"]
    # After the link to b ended, c and b are no longer in a's group.
    assert single_undertaking("a", links, date(2026, 1, 1))[0] == ["a", "holding"]
    grants = [Grant("c", date(2025, 1, 10), D(290_000))]
    assert not check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(20_000), grants=grants, links=links
    ).allowed
    assert check(
        undertaking="a", grant_date=date(2026, 1, 1), amount=D(20_000), grants=grants, links=links
    ).allowed


def test_only_aid_of_the_same_member_state_counts():
    grants = [Grant("a", date(2025, 1, 1), D(250_000), member_state="PT")]
    spain = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(300_000), member_state="ES",
        grants=grants,
    )  # fmt: skip
    assert spain.allowed and spain.counted == 0


def test_cumulation_across_regulations():
    grants = [
        Grant("a", date(2025, 2, 1), D(280_000), GENERAL),
        Grant("a", date(2025, 3, 1), D(400_000), SGEI),
    ]
    # Agriculture: own ceiling 50,000, but general + agriculture + fishery ≤ 300,000 → 20,000.
    agri = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(30_000), kind=AGRICULTURE,
        grants=grants,
    )  # fmt: skip
    assert not agri.allowed and agri.max_grantable == 20_000
    # SGEI: own 750,000 − 400,000 = 350,000; with general 750,000 − 680,000 = 70,000.
    sgei = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(70_000), kind=SGEI, grants=grants
    )
    assert sgei.allowed and sgei.headroom == 70_000
    assert {cap.name: cap.headroom for cap in sgei.caps} == {
        "sgei ceiling": 350_000,
        "general + SGEI": 70_000,
    }


def test_gross_grant_equivalent_of_loans_and_guarantees():
    full = loan_safe_harbour(D(1_500_000), D(5), D("0.5"))
    assert full.eligible and full.gge == 300_000
    assert loan_safe_harbour(D(500_000), D(3), D("0.6")).gge == 60_000  # 4% × 500,000 × 3
    assert not loan_safe_harbour(D(1_000_000), D(7), D("0.6")).eligible
    assert "50%" in loan_safe_harbour(D(100_000), D(2), D("0.4")).reason
    assert guarantee_safe_harbour(D(2_250_000), D(3_000_000), D(5)).gge == 300_000
    assert guarantee_safe_harbour(D(750_000), D(1_000_000), D(3)).gge == 60_000  # 2/75 × 750k × 3
    assert not guarantee_safe_harbour(D(900_000), D(1_000_000), D(3)).eligible
    # 100,000 for 2 years, 3% saved, discounted at 4%: 3,000/1.04 + 3,000/1.04² = 5,658.28.
    bullet = loan_reference_rate(
        D(100_000), 2, reference_rate=D("0.05"), loan_rate=D("0.02"), discount_rate=D("0.04")
    )
    assert bullet.gge == D("5658.28")
    # Linear: 3,000/1.04 + 1,500/1.04² = 4,271.45.
    linear = loan_reference_rate(
        D(100_000), 2, reference_rate=D("0.05"), loan_rate=D("0.02"), discount_rate=D("0.04"),
        schedule="linear",
    )  # fmt: skip
    assert linear.gge == D("4271.45")
    assert to_euro(D(1000), D("0.8544")) == D("1170.41")


def test_mergers_keep_all_the_aid_and_its_dates():
    grants = [Grant("a", date(2024, 5, 1), D(100_000)), Grant("b", date(2025, 1, 1), D(150_000))]
    merged = merge(grants, absorbing="a", absorbed="b")
    assert [(g.undertaking, g.grant_date) for g in merged] == [
        ("a", date(2024, 5, 1)),
        ("a", date(2025, 1, 1)),
    ]
    assert (
        check(
            undertaking="a", grant_date=date(2026, 1, 1), amount=D(60_000), grants=merged
        ).max_grantable
        == 50_000
    )


def test_splits_follow_the_activity_or_the_equity():
    grants = [
        Grant("s", date(2024, 5, 1), D(100_000), reference="R1"),
        Grant("s", date(2025, 1, 1), D(100_000), reference="R2"),
    ]
    parts = split(grants, source="s", equity={"x": D(1), "y": D(2)}, activity={"R1": "y"})
    assert [(g.undertaking, g.gge, g.reference) for g in parts] == [
        ("y", D(100_000), "R1"),
        ("x", D("33333.33"), "R2"),  # 1/3 of R2, rounded to the cent
        ("y", D("66666.67"), "R2"),  # the rest
    ]
    assert all(g.grant_date in (date(2024, 5, 1), date(2025, 1, 1)) for g in parts)
    with pytest.raises(ValueError, match="equity"):
        split(grants, source="s", equity={"x": D(0)})


def test_reference_rates_and_the_guarantee_premium_method():
    # 2008/C 14/02: base rate 3 % + 220 bp for a "good" borrower with low collateral.
    assert reference_rate_for(D("0.03"), "good", "low") == D("0.052")
    assert reference_rate_for(D("0.03"), "bad", "high") == D("0.07")
    # 2 % premium (BB safe harbour) − 0.5 % paid on EUR 100,000 for 3 years, discounted at 4 %:
    # 1,500 / 1.04 + 1,500 / 1.04² + 1,500 / 1.04³ = 4,162.64.
    premium = guarantee_premium(
        D(100_000),
        3,
        market_premium=SME_SAFE_HARBOUR_PREMIUMS["BB"],
        paid_premium=D("0.005"),
        discount_rate=D("0.04"),
    )
    assert premium.gge == D("4162.64")
    # Linear repayment: 1,500 / 1.04 + 1,000 / 1.04² + 500 / 1.04³ = 2,811.36.
    linear = gross_grant_equivalent(
        instrument="guarantee",
        method="premium",
        amount=D(100_000),
        years=D(3),
        rating="BB",
        premium=D("0.005"),
        base_rate=D("0.03"),
        schedule="linear",
    )
    assert linear.gge == D("2811.36")


def test_the_gge_dispatch_says_which_input_is_missing_or_outside():
    loan = {"instrument": "loan", "amount": D(1_000_000), "years": D(7)}
    outside = gross_grant_equivalent(**loan, collateral_share=D("0.5"))
    assert not outside.eligible and "750,000 over 10 years" in outside.reason
    assert not gross_grant_equivalent(**loan).eligible  # collateral unknown
    assert gross_grant_equivalent(
        **{**loan, "amount": D(750_000)}, collateral_share=D("0.5")
    ).gge == D(210_000)
    with pytest.raises(InputError) as error:
        gross_grant_equivalent(**loan, method="reference-rate", reference_rate=D(5))
    assert error.value.field == "reference_rate"
    with pytest.raises(InputError) as error:
        gross_grant_equivalent(**loan, method="premium")
    assert error.value.field == "method"
    reference = gross_grant_equivalent(
        instrument="loan",
        amount=D(100_000),
        years=D(2),
        method="reference-rate",
        base_rate=D("0.03"),
        rating="good",
        collateral_level="normal",
        loan_rate=D("0.01"),
    )
    assert reference.gge == D("5658.28")  # reference 4 %, discounted at 4 %: as worked above
    guarantee = gross_grant_equivalent(
        instrument="guarantee", amount=D(800_000), years=D(5), loan_amount=D(1_000_000)
    )
    assert guarantee.gge == D("106666.67")


def test_the_binding_cap_and_other_aid_for_the_same_costs():
    grants = [Grant("a", date(2025, 1, 1), D(30_000), AGRICULTURE)]
    general = check(undertaking="a", grant_date=date(2025, 6, 1), amount=D(0), grants=grants)
    assert (general.ceiling, general.counted, general.headroom) == (300_000, 30_000, 270_000)
    farm = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(0), grants=grants, kind=AGRICULTURE
    )
    assert (farm.ceiling, farm.counted, farm.headroom) == (50_000, 30_000, 20_000)
    # GBER aid of EUR 90,000 on EUR 200,000 of costs at a maximum of 50 %: EUR 10,000 left.
    same = check(
        undertaking="a",
        grant_date=date(2025, 6, 1),
        amount=D(10_001),
        grants=[],
        same_costs=SameCosts(D(200_000), D("0.5"), D(90_000)),
    )
    assert not same.allowed and same.max_grantable == 10_000


def test_gber_article_27_cluster_aid():
    ok = cluster_aid(
        aid_type="investment",
        grant_date=date(2025, 1, 1),
        amount=D(650_000),
        eligible_costs=D(1_000_000),
        assisted_area="a",
        cost_categories=["tangible assets"],
    )
    assert ok.allowed and ok.max_intensity == D("0.65") and ok.publication_required
    refused = cluster_aid(
        aid_type="operating",
        grant_date=date(2025, 1, 1),
        amount=D(60_000),
        eligible_costs=D(100_000),
        operating_years=11,
        cost_categories=["buildings"],
        previous_aid_to_cluster=D(9_950_000),
    )
    assert not refused.allowed and not refused.publication_required
    assert len(refused.reasons) == 4  # years, cost category, intensity, notification threshold
    old = cluster_aid(
        aid_type="operating", grant_date=date(2020, 1, 1), amount=D(1), eligible_costs=D(2)
    )
    assert old.rules.notification_threshold == 7_500_000


def test_working_days_skip_weekends_and_holidays():
    assert working_days_after(date(2026, 11, 20), 20) == date(2026, 12, 18)
    holidays = {date(2026, 12, 8)}
    assert working_days_after(date(2026, 11, 20), 20, holidays) == date(2026, 12, 21)
    assert working_days_after(date(2026, 1, 2), 1) == date(2026, 1, 5)  # Friday → Monday
