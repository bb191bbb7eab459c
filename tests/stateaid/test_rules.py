"""De minimis rules, worked by hand (atclusters/stateaid/rules.py; docs/stateaid.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from atclusters.stateaid.rules import (
    AGRICULTURE,
    DE_MINIMIS,
    FISCAL_YEARS,
    FISHERY,
    GBER,
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
    published_grant,
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
    # Issue 17, item 9: the inclusive window is the default — aid granted on the same date
    # three years earlier still counts (counting more can never over-grant).
    assert window(date(2026, 6, 15)) == (date(2023, 6, 15), date(2026, 6, 15))
    assert window(date(2028, 2, 29)) == (date(2025, 2, 28), date(2028, 2, 29))
    assert window(date(2028, 2, 29), leap_day="mar1") == (date(2025, 3, 1), date(2028, 2, 29))
    assert window(date(2026, 6, 15), start="day-after") == (date(2023, 6, 16), date(2026, 6, 15))
    assert window(date(2028, 2, 29), start="day-after") == (date(2025, 3, 1), date(2028, 2, 29))
    assert window(date(2028, 2, 29), leap_day="mar1", start="day-after") == (
        date(2025, 3, 2),
        date(2028, 2, 29),
    )
    grants = [
        Grant("a", date(2023, 6, 14), D(70_000)),  # before the window: never counted
        Grant("a", date(2023, 6, 15), D(100_000)),  # the same date three years earlier
        Grant("a", date(2023, 6, 16), D(50_000)),
    ]
    inclusive = check(undertaking="a", grant_date=date(2026, 6, 15), amount=D(1), grants=grants)
    # 300,000 − (100,000 + 50,000) = 150,000
    assert inclusive.counted == 150_000 and inclusive.headroom == 150_000
    exact = check(
        undertaking="a", grant_date=date(2026, 6, 15), amount=D(1), grants=grants,
        window_start="day-after",
    )  # fmt: skip
    assert exact.counted == 50_000 and exact.headroom == 250_000  # 300,000 − 50,000


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
        "SGEI + general + agriculture + fishery": 70_000,
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


# Issue 17: correctness against the law. Every expected number is worked by hand from the
# text quoted in docs/stateaid.md, not from the code.


def test_guarantee_safe_harbour_premiums_of_the_corrected_notice():
    # Notice 2008/C 155/02, point 3.3 as corrected (OJ C 244, 25.9.2008, p. 32): B+ and B
    # 3.8 %, B- 6.3 %, no safe-harbour premium for CCC+ and below.
    one_year = {
        "instrument": "guarantee", "method": "premium", "amount": D(100_000), "years": D(1),
        "premium": D(0), "base_rate": D("0.03"),
    }  # fmt: skip
    # 6.3 % × 100,000 = 6,300, discounted one year at 3 % + 100 bp: 6,300 / 1.04 = 6,057.69
    b_minus = gross_grant_equivalent(**one_year, rating="B-")
    assert b_minus.eligible and b_minus.gge == D("6057.69")
    # 3.8 % × 100,000 = 3,800 / 1.04 = 3,653.85
    assert gross_grant_equivalent(**one_year, rating="B").gge == D("3653.85")
    assert gross_grant_equivalent(**one_year, rating="b+").gge == D("3653.85")
    for rating in ("CCC+", "CCC", "C", "D"):
        refused = gross_grant_equivalent(**one_year, rating=rating)
        assert not refused.eligible and refused.gge == 0
        assert "point 3.3" in refused.reason and "CCC+" in refused.reason
    with pytest.raises(InputError) as error:
        gross_grant_equivalent(**one_year, rating="weak")  # a category: B+, B or B-?
    assert error.value.field == "rating"


def test_agricultural_and_fishery_aid_together_within_the_fishery_ceiling():
    # 717/2014 Art. 5(2) as amended by 2023/2391: 1408/2013 aid cumulated with fishery aid up
    # to the fishery ceiling, EUR 40,000 from 25 October 2023.
    farm = [Grant("a", date(2024, 3, 1), D(30_000), AGRICULTURE)]
    fish = check(
        undertaking="a", grant_date=date(2024, 6, 1), amount=D(20_000), kind=FISHERY, grants=farm
    )
    assert not fish.allowed and fish.max_grantable == 10_000  # 40,000 − 30,000
    assert "717/2014 Art. 5(2)" in fish.reason
    # The other way round: EUR 20,000 fishery aid leaves 40,000 − 20,000 = 20,000 for
    # agriculture, though the agricultural ceiling is EUR 50,000.
    boat = [Grant("a", date(2025, 1, 10), D(20_000), FISHERY)]
    crops = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(20_001), kind=AGRICULTURE,
        grants=boat,
    )  # fmt: skip
    assert not crops.allowed and crops.max_grantable == 20_000
    # Without fishery aid the agricultural ceiling alone binds: 50,000.
    alone = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(0), kind=AGRICULTURE, grants=[]
    )
    assert alone.max_grantable == 50_000


def test_dates_of_entry_into_force_from_the_official_journal():
    # 2024/3118: OJ of 13 December 2024, in force on the third day after: 16 December 2024.
    assert regulation_for(AGRICULTURE, date(2024, 12, 15)).ceiling == 20_000
    assert regulation_for(AGRICULTURE, date(2024, 12, 16)).ceiling == 50_000
    granted = check(
        undertaking="a", grant_date=date(2024, 12, 20), amount=D(40_000), kind=AGRICULTURE,
        grants=[],
    )  # fmt: skip
    assert granted.allowed and granted.ceiling == 50_000
    # 2023/2391: OJ of 5 October 2023, in force on the twentieth day after: 25 October 2023.
    assert regulation_for(FISHERY, date(2023, 10, 24)).ceiling == 30_000
    assert regulation_for(FISHERY, date(2023, 10, 25)).ceiling == 40_000
    # 1408/2013 as adopted (EUR 15,000) until 2019/316 (OJ L 51I, 22.2.2019) took effect on
    # 14 March 2019; 360/2012 applies from 29 April 2012.
    assert regulation_for(AGRICULTURE, date(2018, 6, 1)).ceiling == 15_000
    assert regulation_for(AGRICULTURE, date(2019, 3, 14)).ceiling == 20_000
    assert regulation_for(SGEI, date(2012, 4, 29)).ceiling == 500_000
    assert regulation_for(GENERAL, date(2030, 12, 31)).ceiling == 300_000  # 2023/2831 Art. 8


def test_the_old_regulations_count_three_fiscal_years():
    # 1407/2013 Art. 3(2): "over any period of three fiscal years" — the fiscal year of the
    # grant and the two before it (calendar years by default).
    assert window(date(2023, 6, 1), counting=FISCAL_YEARS) == (date(2021, 1, 1), date(2023, 6, 1))
    # A fiscal year from 1 April: a grant of 15 March 2023 falls in 2022-04-01 … 2023-03-31.
    assert window(date(2023, 3, 15), counting=FISCAL_YEARS, fiscal_year_starts_on=(4, 1)) == (
        date(2020, 4, 1),
        date(2023, 3, 15),
    )
    earlier = [Grant("a", date(2020, 7, 1), D(150_000))]
    # 2020 is not among 2021–2023: nothing counted, 60,000 ≤ 200,000.
    old = check(undertaking="a", grant_date=date(2023, 6, 1), amount=D(60_000), grants=earlier)
    assert old.allowed and old.counted == 0 and old.window_start == date(2021, 1, 1)
    assert old.regulation is not None and "1407/2013" in old.regulation.reference
    # Under 2023/2831 the rolling window of 2024-06-01 reaches back to 2021-06-01: a grant of
    # 2021-06-01 counts, one of 2020-07-01 does not.
    new = check(
        undertaking="a", grant_date=date(2024, 6, 1), amount=D(0),
        grants=[*earlier, Grant("a", date(2021, 6, 1), D(100_000))],
    )  # fmt: skip
    assert new.counted == 100_000 and new.headroom == 200_000  # 300,000 − 100,000


def test_the_road_freight_ceiling_of_1407_2013():
    # 1407/2013 Art. 3(2), second subparagraph: EUR 100,000 for road freight for hire or
    # reward; 2023/2831 has no such ceiling.
    trucks = [Grant("a", date(2022, 5, 1), D(80_000))]
    old = check(
        undertaking="a", grant_date=date(2023, 2, 1), amount=D(30_000), grants=trucks,
        road_freight=True,
    )  # fmt: skip
    assert not old.allowed and old.max_grantable == 20_000  # 100,000 − 80,000
    new = check(
        undertaking="a", grant_date=date(2024, 2, 1), amount=D(0), grants=trucks,
        road_freight=True,
    )  # fmt: skip
    assert new.max_grantable == 220_000  # 300,000 − 80,000
    excluded = regulation_for(GENERAL, date(2020, 1, 1)).excluded
    assert any("export-related" in item for item in excluded)


def test_sgei_aid_with_every_other_de_minimis_aid_within_the_sgei_ceiling():
    # 2023/2832 Art. 5(1): SGEI de minimis aid may be cumulated with de minimis aid under
    # 2023/2831, 1408/2013 and 717/2014 up to the SGEI ceiling of EUR 750,000.
    grants = [
        Grant("a", date(2025, 1, 10), D(50_000), AGRICULTURE),
        Grant("a", date(2025, 2, 1), D(700_000), SGEI),
    ]
    more = check(
        undertaking="a", grant_date=date(2025, 6, 1), amount=D(50_000), kind=SGEI, grants=grants
    )
    assert not more.allowed and more.max_grantable == 0  # 750,000 − (50,000 + 700,000)
    assert "2023/2832 Art. 5(1)" in more.reason


def test_the_beneficiary_conditions_of_article_4():
    loan = {
        "instrument": "loan", "amount": D(500_000), "years": D(3), "collateral_share": D("0.6"),
    }  # fmt: skip
    # Art. 4(3)(a): no collective insolvency proceedings.
    insolvent = gross_grant_equivalent(**loan, insolvency_proceedings=True)
    assert not insolvent.eligible and "Art. 4(3)(a)" in insolvent.reason
    # A large undertaking needs a rating of at least B-: B- passes (4 % × 500,000 × 3 = 60,000).
    assert gross_grant_equivalent(**loan, size="large", rating="B-").gge == 60_000
    below = gross_grant_equivalent(**loan, size="large", rating="CCC+")
    assert not below.eligible and "at least B-" in below.reason
    assert not gross_grant_equivalent(**loan, size="large", rating="bad").eligible
    with pytest.raises(InputError) as error:
        gross_grant_equivalent(**loan, size="large")
    assert error.value.field == "rating"
    # The safe-harbour premiums exist for SMEs only.
    premium = gross_grant_equivalent(
        instrument="guarantee", method="premium", amount=D(100_000), years=D(1), rating="A",
        premium=D(0), base_rate=D("0.03"), size="large",
    )  # fmt: skip
    assert not premium.eligible and "SMEs only" in premium.reason
    guarantee = gross_grant_equivalent(
        instrument="guarantee", amount=D(800_000), years=D(5), loan_amount=D(1_000_000),
        insolvency_proceedings=True,
    )  # fmt: skip
    assert not guarantee.eligible and "Art. 4(6)(a)" in guarantee.reason
    # Art. 4(3)(b) is the loan safe harbour.
    assert "Art. 4(3)(b)" in gross_grant_equivalent(**loan).reason


def test_gber_publication_from_july_2016_and_the_unverified_threshold():
    # GBER Art. 9(6): publication of awards from 1 July 2016 (EUR 500,000 threshold then).
    before = cluster_aid(
        aid_type="investment", grant_date=date(2016, 6, 30), amount=D(600_000),
        eligible_costs=D(2_000_000),
    )  # fmt: skip
    after = cluster_aid(
        aid_type="investment", grant_date=date(2016, 7, 1), amount=D(600_000),
        eligible_costs=D(2_000_000),
    )  # fmt: skip
    assert not before.publication_required and after.publication_required
    over = cluster_aid(
        aid_type="operating", grant_date=date(2025, 1, 1), amount=D(100_000),
        eligible_costs=D(400_000), previous_aid_to_cluster=D(9_950_000),
    )  # fmt: skip
    assert any("NOT verified" in reason for reason in over.reasons)


def test_which_grants_the_law_publishes_by_themselves():
    def published(basis, day, amount, regulation=GENERAL):
        return published_grant(basis=basis, regulation=regulation, grant_date=day, amount=D(amount))

    # De minimis: the public central register of 2023/2831 and 2023/2832, Art. 6, from 2026.
    assert not published(DE_MINIMIS, date(2025, 12, 31), 250_000)
    assert published(DE_MINIMIS, date(2026, 1, 1), 1_000)
    assert published(DE_MINIMIS, date(2026, 1, 1), 1_000, regulation=SGEI)
    assert not published(DE_MINIMIS, date(2026, 1, 1), 1_000, regulation=FISHERY)
    assert not published(DE_MINIMIS, date(2021, 6, 1), 100_000)  # 1407/2013
    # GBER Art. 9(1)(c): above EUR 100,000 from 1 July 2023, above 500,000 before.
    assert published(GBER, date(2025, 3, 1), 100_001)
    assert not published(GBER, date(2025, 3, 1), 100_000)
    assert not published(GBER, date(2023, 6, 30), 400_000)
    assert published(GBER, date(2023, 6, 30), 500_001)
    assert not published(GBER, date(2016, 6, 30), 900_000)  # before Art. 9(6)
    assert not published("notified", date(2026, 3, 1), 5_000_000)
