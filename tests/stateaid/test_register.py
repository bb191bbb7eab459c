"""The de minimis register: grants checked and recorded, append-only corrections, mergers and
splits applied by the checks, reporting deadlines, imports, exports and permissions."""

from datetime import date
from decimal import Decimal as D

import pytest

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.stateaid import importers, permissions, rules, selectors, services
from atclusters.stateaid.models import Grant, Restructuring, UndertakingLink
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db


undertaking = undertaking_recorded
grant = grant_recorded


def test_a_grant_is_checked_against_the_whole_group_and_refused_whole():
    holding, a, b = undertaking("H"), undertaking("A"), undertaking("B")
    services.link_save(actor=None, parent=holding, child=a, relation="voting-majority")
    services.link_save(actor=None, parent=a, child=b, relation="board-majority")
    grant(holding, "G1", date(2024, 3, 1), 120_000)
    grant(b, "G2", date(2025, 3, 1), 100_000)
    with pytest.raises(services.CeilingExceeded) as refused:
        grant(a, "G3", date(2026, 1, 10), 80_001)
    assert refused.value.result.max_grantable == 80_000
    assert refused.value.result.group == ["A", "B", "H"]
    assert not Grant.objects.filter(reference="G3").exists()
    recorded = grant(a, "G3", date(2026, 1, 10), 80_000)
    assert recorded.gge_eur == 80_000


def test_only_the_same_member_states_aid_counts():
    a = undertaking("A")
    grant(a, "PT1", date(2025, 1, 15), 250_000, member_state="PT", granting_authority="IAPMEI")
    spain = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 6, 1), amount=D(300_000), member_state="ES"
    )
    portugal = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 6, 1), amount=D(300_000), member_state="PT"
    )
    assert spain.allowed and not portugal.allowed and portugal.headroom == 50_000


def test_currency_is_converted_at_the_grant_dates_rate_and_kept():
    a = undertaking("A", "CZ")
    entry = services.grant_record(
        actor=None,
        undertaking=a,
        reference="CZ1",
        grant_date=date(2025, 2, 3),
        money=services.Money(D("2500000"), "CZK", D("25.125"), "ECB 2025-02-03"),
        member_state="CZ",
        granting_authority="CzechInvest",
    )
    assert entry.gge_eur == D("99502.49")
    assert (entry.currency, entry.eur_rate, entry.rate_source) == ("CZK", 25.125, "ECB 2025-02-03")


def test_corrections_and_revocations_are_new_entries_and_audited(world):
    a = undertaking("A")
    original = grant(a, "G1", date(2025, 5, 5), 200_000)
    with pytest.raises(DomainError) as no_reason:
        services.grant_correct(actor=None, grant=original, reason=" ", changes={})
    assert no_reason.value.field == "reason"
    corrected = services.grant_correct(
        actor=world.staff,
        grant=original,
        reason="amount typed wrong",
        changes={"nominal_amount": D(150_000)},
    )
    assert corrected.gge_eur == 150_000 and corrected.corrects == original
    original.refresh_from_db()
    assert original.gge_eur == 200_000  # never updated
    headroom = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 6, 1), amount=D(0), member_state="ES"
    ).headroom
    assert headroom == 150_000
    with pytest.raises(DomainError, match="already corrected"):
        services.grant_revoke(actor=None, grant=original, reason="twice")
    services.grant_revoke(actor=world.staff, grant=corrected, reason="beneficiary renounced")
    headroom = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 6, 1), amount=D(0), member_state="ES"
    ).headroom
    assert headroom == 300_000
    assert Grant.objects.filter(reference="G1").count() == 3
    audited = AuditEntry.objects.filter(model="stateaid.grant", actor=world.staff)
    assert audited.count() == 2
    assert {entry.changes["reason"][1] for entry in audited} == {
        "amount typed wrong",
        "beneficiary renounced",
    }


def test_a_correction_that_raises_the_amount_is_checked_again():
    a = undertaking("A")
    grant(a, "G1", date(2025, 1, 1), 250_000)
    second = grant(a, "G2", date(2025, 2, 1), 40_000)
    with pytest.raises(services.CeilingExceeded):
        services.grant_correct(
            actor=None, grant=second, reason="more", changes={"nominal_amount": D(60_000)}
        )
    services.grant_correct(
        actor=None, grant=second, reason="more", changes={"nominal_amount": D(50_000)}
    )


def test_mergers_and_splits_change_what_counts_from_their_date():
    a, b, c, d = (undertaking(x) for x in "ABCD")
    grant(a, "A1", date(2024, 6, 1), 100_000)
    grant(b, "B1", date(2024, 7, 1), 150_000)
    grant(b, "B2", date(2024, 8, 1), 30_000)
    services.merger_record(actor=None, absorbing=a, absorbed=b, on=date(2025, 1, 1))

    def room(who, day):
        return selectors.de_minimis_check(
            user=None, undertaking=who, grant_date=day, amount=D(0), member_state="ES"
        ).headroom

    assert room(a, date(2024, 12, 31)) == 200_000  # before the merger
    assert room(a, date(2025, 1, 1)) == 20_000  # 100,000 + 150,000 + 30,000
    services.split_record(
        actor=None,
        source_undertaking=a,
        on=date(2025, 6, 1),
        successors={"C": D(1_000_000), "D": D(3_000_000)},
        activity={"B1": "D"},
    )
    # D took over B1's activity (150,000); A1 and B2 (130,000) are shared 1 : 3.
    assert room(c, date(2025, 6, 1)) == 300_000 - D("32500")
    assert room(d, date(2025, 6, 1)) == 300_000 - 150_000 - D("97500")


def test_mergers_and_splits_are_corrected_and_revoked_by_new_entries(world):
    a, b, c, d = (undertaking(x) for x in "ABCD")
    grant(a, "A1", date(2024, 6, 1), 100_000)
    grant(b, "B1", date(2024, 7, 1), 150_000)
    grant(b, "B2", date(2024, 8, 1), 30_000)

    def room(who, day=date(2025, 7, 1)):
        return selectors.de_minimis_check(
            user=None, undertaking=who, grant_date=day, amount=D(0), member_state="ES"
        ).headroom

    merger = services.merger_record(actor=world.staff, absorbing=a, absorbed=b, on=date(2025, 1, 1))
    split = services.split_record(
        actor=world.staff,
        source_undertaking=a,
        on=date(2025, 6, 1),
        successors={"C": D(1), "D": D(3)},
        activity={"B1": "D"},
    )
    assert (room(c), room(d)) == (300_000 - D("32500"), 300_000 - 150_000 - D("97500"))
    # The split's activity was recorded wrong: C took over B1, not D.
    corrected = services.restructuring_correct(
        actor=world.staff,
        restructuring=split,
        reason="C took over the B1 activity",
        changes={"activity": {"B1": "C"}},
    )
    assert corrected.corrects == split and corrected.successors == {"C": "1", "D": "3"}
    assert (room(c), room(d)) == (300_000 - 150_000 - D("32500"), 300_000 - D("97500"))
    # The split did not happen: A keeps everything again; then the merger moves a month.
    services.restructuring_revoke(actor=world.staff, restructuring=corrected, reason="no split")
    assert (room(a), room(c), room(d)) == (20_000, 300_000, 300_000)
    moved = services.restructuring_correct(
        actor=world.staff,
        restructuring=merger,
        reason="signed on 1 March",
        changes={"date": date(2025, 3, 1)},
    )
    assert room(a, date(2025, 2, 28)) == 200_000 and room(a, date(2025, 3, 1)) == 20_000
    services.restructuring_revoke(actor=world.staff, restructuring=moved, reason="no merger")
    assert (room(a), room(b)) == (200_000, 120_000)
    assert Restructuring.objects.count() == 6  # every entry stays
    audited = AuditEntry.objects.filter(model="stateaid.restructuring", actor=world.staff)
    assert audited.count() == 6
    assert sorted(entry.changes["reason"][1] for entry in audited)[2:] == [
        "C took over the B1 activity",
        "no merger",
        "no split",
        "signed on 1 March",
    ]  # and the two originals, without a reason


def test_restructuring_corrections_name_their_errors(world):
    a, b, c = undertaking("A"), undertaking("B"), undertaking("C")
    grant(a, "A1", date(2024, 6, 1), 100_000)
    merger = services.merger_record(actor=None, absorbing=b, absorbed=a, on=date(2025, 1, 1))
    cases = [
        (merger, " ", {"date": date(2025, 2, 1)}, "reason"),
        (merger, "x", {"source": c}, "source"),
        (merger, "x", {"successors": {"C": D(1)}}, "successors"),
    ]
    for restructuring, reason, changes, field in cases:
        with pytest.raises(DomainError) as error:
            services.restructuring_correct(
                actor=None, restructuring=restructuring, reason=reason, changes=changes
            )
        assert error.value.field == field
    split = services.split_record(
        actor=None, source_undertaking=b, on=date(2025, 2, 1), successors={"C": D(1)}
    )
    with pytest.raises(DomainError) as error:
        services.restructuring_correct(
            actor=None, restructuring=split, reason="x", changes={"successors": {"NOPE": D(1)}}
        )
    assert error.value.field == "successor"
    revocation = services.restructuring_revoke(actor=None, restructuring=split, reason="x")
    for entry in (split, revocation):
        with pytest.raises(DomainError) as error:
            services.restructuring_revoke(actor=None, restructuring=entry, reason="again")
        assert error.value.field == "restructuring"
    with pytest.raises(PermissionDenied):
        services.restructuring_revoke(actor=world.other_staff, restructuring=merger, reason="x")
    assert Restructuring.objects.count() == 3


def test_split_input_errors_name_the_field():
    a, c = undertaking("A"), undertaking("C")
    grant(a, "A1", date(2024, 6, 1), 100_000)
    cases = [
        ({"X": D(1)}, {}, "successor"),
        ({"C": D(0)}, {}, "successor"),
        ({"C": D(1)}, {"NOPE": "C"}, "activity"),
    ]
    for successors, activity, field in cases:
        with pytest.raises(DomainError) as error:
            services.split_record(
                actor=None,
                source_undertaking=a,
                on=date(2025, 1, 1),
                successors=successors,
                activity=activity,
            )
        assert error.value.field == field
    assert c.pk


def test_the_reporting_deadline_skips_weekends_and_the_member_states_holidays():
    a = undertaking("A")
    # 20 November 2026 (a Friday) + 20 working days, 8 December (Immaculate Conception) closed.
    assert grant(a, "G1", date(2026, 11, 20), 1_000).report_due == date(2026, 12, 21)
    # In Portugal 1 and 8 December are both holidays.
    portuguese = grant(a, "G2", date(2026, 11, 20), 1_000, member_state="PT")
    assert portuguese.report_due == date(2026, 12, 22)
    overdue = selectors.overdue_reports(user=None, today=date(2026, 12, 22))
    assert [entry.reference for entry in overdue] == ["G1"]


def test_gber_cluster_aid_is_checked_for_intensity_and_the_notification_threshold(world):
    operator = undertaking("FOOD")
    grant(
        operator,
        "C1",
        date(2025, 3, 1),
        400_000,
        basis=Grant.Basis.GBER,
        cluster=world.cluster,
        cluster_aid="operating",
        eligible_costs_eur=D(800_000),
        operating_years=3,
    )
    with pytest.raises(services.ClusterAidRefused) as refused:
        grant(
            operator,
            "C2",
            date(2025, 4, 1),
            400_000,
            basis=Grant.Basis.GBER,
            cluster=world.cluster,
            cluster_aid="investment",
            eligible_costs_eur=D(700_000),
        )
    assert "above 50 % of the eligible costs (EUR 350,000.00)" in str(refused.value)
    grant(
        operator,
        "C2",
        date(2025, 4, 1),
        385_000,
        basis=Grant.Basis.GBER,
        cluster=world.cluster,
        cluster_aid="investment",
        eligible_costs_eur=D(700_000),
        assisted_area="c",
    )
    assert selectors.cluster_aid_total(cluster=world.cluster) == 785_000
    published = selectors.transparency_rows(user=None)
    assert [row["aid_element_eur"] for row in published] == [400_000, 385_000]


def test_permissions_follow_the_agencys_member_state(world):
    a = undertaking("A")
    with pytest.raises(PermissionDenied):
        grant(a, "FR1", date(2025, 1, 1), 1_000, actor=world.other_staff)  # a French agency
    for user in (world.manager, world.rep, world.nobody):
        with pytest.raises(PermissionDenied):
            services.undertaking_save(actor=user, identifier="Z", name="Z", country="ES")
    entry = grant(a, "ES1", date(2025, 1, 1), 1_000, actor=world.staff)
    assert list(permissions.visible_grants(world.staff)) == [entry]
    assert list(permissions.visible_grants(world.other_staff)) == []
    assert list(permissions.visible_grants(world.rep)) == []
    a.organisation = world.member
    a.save()
    assert list(permissions.visible_grants(world.rep)) == [entry]


def test_a_grant_import_is_all_or_nothing_with_row_errors():
    undertaking("A")
    content = (
        b"undertaking_id,grant_date,amount,currency,eur_rate,regulation,instrument,member_state,"
        b"granting_authority,reference\n"
        b"A,2024-05-01,1000,EUR,1,general,grant,ES,IGAPE,R1\n"
        b"Z,2024-13-01,abc,EURO,1,minimis,loan,XX,IGAPE,R2\n"
    )
    report, _over = importers.register_import(
        actor=None, kind="grants", content=content, filename="g.csv"
    )
    assert not report.ok and Grant.objects.count() == 0
    assert {(error.row, error.column) for error in report.errors} == {
        (3, "undertaking_id"),
        (3, "grant_date"),
        (3, "amount"),
        (3, "currency"),
        (3, "regulation"),
        (3, "member_state"),
    }


def test_a_historical_import_records_the_aid_and_warns_above_a_ceiling():
    undertaking("A")
    content = (
        b"undertaking_id,grant_date,amount,regulation,member_state,granting_authority,reference\n"
        b"A,2024-05-01,200000,general,ES,IGAPE,R1\n"
        b"A,2025-05-01,150000,2023/2831,ES,IGAPE,R2\n"
    )
    report, over = importers.register_import(
        actor=None, kind="grants", content=content, filename="g.csv"
    )
    assert report.ok and report.created == 2
    assert over == [
        {
            "reference": "R2",
            "undertaking": "A",
            "grant_date": "2025-05-01",
            "cap": "general ceiling",
            "ceiling_eur": 300000.0,
            "counted_eur": 350000.0,
        }
    ]


def test_links_through_natural_persons_are_listed_for_review_not_merged():
    a, b = undertaking("A"), undertaking("B")
    services.link_save(actor=None, parent=a, child=b, relation="natural-person")
    result = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 1, 1), amount=D(1), member_state="ES"
    )
    assert result.group == ["A"] and [link.child for link in result.review] == ["B"]
    assert UndertakingLink.objects.count() == 1


def test_other_aid_for_the_same_costs_caps_the_de_minimis_grant():
    a = undertaking("A")
    same = rules.SameCosts(D(200_000), D("0.5"), D(80_000))
    result = selectors.de_minimis_check(
        user=None, undertaking=a, grant_date=date(2025, 1, 1), amount=D(30_000), same_costs=same
    )
    assert not result.allowed and result.max_grantable == 20_000
    assert result.ceiling == 100_000


def test_aid_passed_on_by_a_cluster_is_aid_to_the_member(world):
    member = undertaking("M")
    grant(
        member,
        "S1",
        date(2026, 2, 16),
        18_500,
        instrument=Grant.Instrument.SERVICE,
        cluster=world.cluster,
        programme="discounted trade mission",
    )
    grant(member, "G1", date(2026, 3, 1), 1_000, cluster=world.cluster)
    assert [entry.reference for entry in selectors.passed_on_aid(user=None)] == ["S1"]
    counted = selectors.de_minimis_check(
        user=None, undertaking=member, grant_date=date(2026, 3, 1), amount=D(0), member_state="ES"
    ).counted
    assert counted == 19_500  # the member's own de minimis ceiling carries it


def test_the_window_rules_are_settings(settings):
    a = undertaking("A")
    grant(a, "G1", date(2023, 6, 15), 100_000)

    def counted():
        return selectors.de_minimis_check(
            user=None, undertaking=a, grant_date=date(2026, 6, 15), amount=D(0), member_state="ES"
        ).counted

    assert counted() == 100_000  # default: the same date three years earlier still counts
    settings.STATEAID_WINDOW_START = "day-after"
    assert counted() == 0
    from atclusters.stateaid.checks import window_rules_check

    settings.STATEAID_WINDOW_START = "inclusive"
    assert [error.id for error in window_rules_check(None)] == ["stateaid.E002"]


def test_import_warnings_follow_the_group_on_each_grant_date():
    a, b = undertaking("A"), undertaking("B")
    services.link_save(
        actor=None, parent=a, child=b, relation="voting-majority", valid_from=date(2025, 1, 1)
    )
    content = (
        b"undertaking_id,grant_date,amount,regulation,member_state,granting_authority,reference\n"
        b"A,2024-05-01,200000,general,ES,IGAPE,R1\n"
        b"B,2024-06-01,150000,general,ES,IGAPE,R2\n"
        b"B,2025-02-01,1000,general,ES,IGAPE,R3\n"
    )
    report, over = importers.register_import(
        actor=None, kind="grants", content=content, filename="g.csv"
    )
    assert report.ok
    assert [(item["reference"], item["counted_eur"]) for item in over] == [("R3", 351000.0)]


def test_the_timeline_counts_the_whole_group_and_drops_aid_after_three_years():
    holding, daughter = undertaking("H"), undertaking("D")
    services.link_save(actor=None, parent=holding, child=daughter, relation="voting-majority")
    grant(daughter, "G1", date(2023, 3, 1), 100_000)
    grant(holding, "G2", date(2024, 5, 1), 50_000)
    points = {
        point.day: point.counted
        for point in selectors.headroom_timeline(
            user=None, undertaking=holding, member_state="ES", until=date(2026, 6, 1)
        )
    }
    assert points[date(2023, 3, 1)] == 100_000
    assert points[date(2024, 5, 1)] == 150_000
    assert points[date(2026, 3, 1)] == 150_000  # the same date three years later: still in
    assert points[date(2026, 3, 2)] == 50_000  # G1 left the window
    assert points[date(2026, 6, 1)] == 50_000


def test_the_fiscal_year_of_the_member_state_is_a_setting(settings):
    from atclusters.stateaid.checks import window_rules_check

    a = undertaking("A")
    grant(a, "G1", date(2020, 3, 15), 100_000)  # under 1407/2013: three fiscal years

    def counted():
        return selectors.de_minimis_check(
            user=None, undertaking=a, grant_date=date(2022, 6, 1), amount=D(0), member_state="ES"
        ).counted

    # Calendar years: 2020, 2021 and 2022 count, so the grant of 2020-03-15 does.
    assert counted() == 100_000
    # A fiscal year from 1 April: 2020-04-01 … 2023-03-31 count, 2020-03-15 does not.
    settings.STATEAID_FISCAL_YEAR_STARTS = "ES=04-01"
    assert counted() == 0
    settings.STATEAID_FISCAL_YEAR_STARTS = "ES=13-01"
    assert [error.id for error in window_rules_check(None)] == ["stateaid.E003"]
