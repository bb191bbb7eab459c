"""De minimis rules, worked by hand (atclusters/stateaid/rules.py; docs/stateaid.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from atclusters.stateaid.rules import (
    AGRICULTURE,
    FISHERY,
    GENERAL,
    SGEI,
    Grant,
    Link,
    check,
    guarantee_safe_harbour,
    loan_reference_rate,
    loan_safe_harbour,
    merge,
    regulation_for,
    single_undertaking,
    split,
    to_euro,
    window,
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
