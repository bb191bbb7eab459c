"""The pure parts: call dates in Brussels time, the portal's answer read, name normalisation
and linking, track-record figures. No database."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from atclusters.funding import calldates, linking, sedia, trackrecord
from tests.funding.factories import fixture

BRUSSELS = calldates.BRUSSELS


def test_a_day_alone_closes_at_17_brussels_time_summer_and_winter():
    summer = calldates.moment("2026-09-17", field="deadlines", closing=True)
    winter = calldates.moment("2027-02-17", field="deadlines", closing=True)
    assert summer == datetime(2026, 9, 17, 15, tzinfo=UTC)  # CEST, UTC+2
    assert winter == datetime(2027, 2, 17, 16, tzinfo=UTC)  # CET, UTC+1
    assert calldates.moment("2026-05-06", field="o", closing=False).hour == 0


def test_the_portals_midnight_stands_for_the_day_and_other_times_are_kept():
    portal = calldates.moment("2026-09-17T00:00:00.000+0200", field="d", closing=True)
    assert portal == datetime(2026, 9, 17, 17, tzinfo=BRUSSELS)
    utc_midnight = calldates.moment("2026-09-17T00:00:00.000+0000", field="d", closing=True)
    assert utc_midnight == datetime(2026, 9, 17, 17, tzinfo=BRUSSELS)
    exact = calldates.moment("2026-09-17T12:30:00Z", field="d", closing=True)
    assert exact == datetime(2026, 9, 17, 14, 30, tzinfo=BRUSSELS)
    local = calldates.moment("2026-09-17 12:00", field="d", closing=True)
    assert local == datetime(2026, 9, 17, 12, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("opens", "deadlines", "model", "code"),
    [
        (None, [], "single-stage", "missing"),
        (None, ["2026-09-17", "2027-02-17"], "single-stage", "single-needs-one"),
        (None, ["2026-09-17"], "two-stage", "two-stage-needs-two"),
        (None, ["2027-02-17", "2026-09-17"], "two-stage", "not-ascending"),
        ("2026-10-01", ["2026-09-17"], "single-stage", "after-deadline"),
        (None, ["2026-09-17"], "rolling", "unknown"),
    ],
)
def test_the_deadlines_must_agree_with_the_model(opens, deadlines, model, code):
    moments = [calldates.moment(d, field="d", closing=True) for d in deadlines]
    start = calldates.moment(opens, field="o", closing=False) if opens else None
    with pytest.raises(calldates.DateError) as refused:
        calldates.check(start, moments, model)
    assert refused.value.code == code


def test_status_and_next_deadline_of_a_two_stage_call():
    opens = calldates.moment("2026-05-06", field="o", closing=False)
    first, second = (
        calldates.moment(d, field="d", closing=True) for d in ("2026-09-17", "2027-02-17")
    )
    calldates.check(opens, [first, second], calldates.TWO_STAGE)
    before = datetime(2026, 5, 5, 23, tzinfo=BRUSSELS)
    assert calldates.status(opens, [first, second], before) == "forthcoming"
    between = datetime(2026, 9, 17, 17, 0, 1, tzinfo=BRUSSELS)
    assert calldates.status(opens, [first, second], between) == "open"
    assert calldates.next_deadline([first, second], between) == second
    assert calldates.status(opens, [first, second], datetime(2027, 3, 1, tzinfo=UTC)) == "closed"
    assert calldates.model_of("Two-stage", 2) == "two-stage"
    assert calldates.model_of("", 1) == "single-stage"


def test_the_search_api_answer_becomes_import_rows():
    rows = sedia.rows(json.loads(fixture("sedia_search.json")))
    first = rows[0]
    assert first["identifier"] == "HORIZON-CL6-2026-FARM2FORK-01-03"
    assert first["programme"] == "Horizon Europe"
    assert first["deadlines"] == "2026-09-17T00:00:00.000+0200;2027-02-17T00:00:00.000+0100"
    # Only the topic's own action of the call-wide budget overview counts.
    assert (first["budget_eur"], first["expected_grants"], first["expected_grant_eur"]) == (
        "18000000", "3", "6000000",
    )  # fmt: skip
    assert "<" not in first["description"] and "sugar & fat" in first["description"]
    assert first["keywords"] == "Food processing;Agri-food;Nutrition"
    assert rows[1]["programme"] == "Single Market Programme"
    assert rows[1]["budget_eur"] == "24000000"  # the only action, amounts as text
    assert "budget_eur" not in rows[2]  # no budget overview
    with pytest.raises(sedia.FormatError):
        sedia.rows({"items": []})


def test_names_normalise_without_accents_case_punctuation_or_legal_form():
    assert linking.normal_name("Conservas del Atlántico, S.L.") == linking.normal_name(
        "CONSERVAS DEL ATLANTICO SL"
    )
    assert linking.normal_name("Universidade do Algarve") == "algarve do universidade"
    assert linking.normal_vat("ES B-15.123.456") == "ESB15123456"
    assert linking.valid_pic("999111222") and not linking.valid_pic("99911122A")


def test_links_by_pic_then_vat_then_name_with_review_below_sure():
    known = [
        linking.Known(1, "ES", linking.normal_name("Conservas del Atlántico SL"), pic="999111222"),
        linking.Known(2, "FR", linking.normal_name("Pole Mer Bretagne"), vat="FR12345678901"),
        linking.Known(3, "PT", linking.normal_name("Universidade do Algarve")),
        linking.Known(4, "ES", linking.normal_name("Atlantic Canning Cooperative")),
    ]
    linker = linking.Linker(known)
    assert linker.link(pic="999111222", vat="", name="x", country="ES").method == "pic"
    by_vat = linker.link(pic="1", vat="FR 12345678901", name="x", country="FR")
    assert (by_vat.key, by_vat.method) == (2, "vat")
    exact = linker.link(pic="", vat="", name="UNIVERSIDADE DO ALGARVE", country="PT")
    assert (exact.key, exact.method, exact.review) == (3, "name", False)
    close = linker.link(pic="", vat="", name="Atlantic Canners Cooperative", country="ES")
    assert close.key == 4 and close.review and linking.UNSURE <= close.score < linking.SURE
    assert linker.link(pic="", vat="", name="Universidade do Algarve", country="ES").key is None
    assert linker.link(pic="", vat="", name="Something else", country="ES").key is None


def test_names_are_compared_within_their_country_and_numbers():
    linker = linking.Linker(
        [
            linking.Known(1, "FR", linking.normal_name("Université Paris 1 Panthéon-Sorbonne")),
            linking.Known(2, "FR", linking.normal_name("Conservatoire national des arts")),
        ]
    )
    # 0.97 alike by their letters, but another number: another university.
    assert linker.link(pic="", vat="", name="Universite Paris 8 Pantheon-Sorbonne",
                       country="FR").key is None  # fmt: skip
    typo = linker.link(pic="", vat="", name="Universite Paris 1 Pantheon Sorbone", country="FR")
    assert (typo.key, typo.review) == (1, False) and typo.score >= linking.SURE
    # The same words in another country, or no word in common: not compared at all.
    assert linker.link(pic="", vat="", name="Conservatoire national des arts et metiers",
                       country="BE").key is None  # fmt: skip


def test_track_record_counts_a_project_once_and_its_coordinators():
    takings = [
        trackrecord.Taking("P1", "HORIZON", 2023, "coordinator", Decimal("100")),
        trackrecord.Taking("P1", "HORIZON", 2023, "participant", Decimal("50")),
        trackrecord.Taking("P2", "H2020", 2019, "participant", None),
    ]
    figures = trackrecord.figures(takings)
    assert (figures.projects, figures.participations, figures.coordinated) == (2, 3, 1)
    assert figures.contribution == Decimal("150")
    assert figures.by_programme == {"HORIZON": 1, "H2020": 1}
    assert figures.by_year == {2019: 1, 2023: 1}
    assert figures.year_rows == [("2019", 1), ("2023", 1)]


def test_a_topic_belongs_to_its_part_of_the_work_programme_and_programmes_to_their_family():
    from atclusters.funding import partnering

    assert partnering.topic_area("HORIZON-CL6-2026-FARM2FORK-01-03") == "HORIZON-CL6-FARM2FORK"
    assert partnering.topic_area("HORIZON-CL6-2022-FARM2FORK-01-05") == "HORIZON-CL6-FARM2FORK"
    assert partnering.topic_area("LIFE-2026-SAP-ENV") == "LIFE-SAP-ENV"
    assert partnering.topic_area("H2020") == "" and partnering.topic_area("") == ""
    assert partnering.programme_family("HORIZON-CL6-2026-FARM2FORK-01-03") == "HORIZON"
    assert partnering.programme_family("H2020") == partnering.programme_family("FP7") == "HORIZON"
    assert partnering.programme_family("SMP-COSME-2026-CLUSTER-01") == "SMP"


def test_a_track_record_weighs_coordinated_projects_on_similar_topics_and_in_the_programme():
    from atclusters.funding.partnering import Record, Taking, combined, records

    call = "HORIZON-CL6-2026-FARM2FORK-01-03"
    takings = [
        # led, same part of the work programme: relevance 1, weight 2
        Taking("a", "1", "SEAFOOD4ALL", "HORIZON", "HORIZON-CL6-2022-FARM2FORK-01-05",
               "coordinator"),
        # a title similar to the call's text (0.4), in Horizon 2020: weight 1
        Taking("a", "2", "CANNERY", "H2020", "H2020-SFS-2018-1", "participant", 0.4),
        # the same project again under a second PIC of the organisation: counted once
        Taking("a", "2", "CANNERY", "H2020", "H2020-SFS-2018-1", "thirdParty", 0.4),
        # unrelated (similarity under 0.1), LIFE: neither topic nor programme
        Taking("a", "3", "WIND", "LIFE", "LIFE-2024-CET", "participant", 0.05),
        Taking("b", "3", "WIND", "LIFE", "LIFE-2024-CET", "coordinator", 0.05),
    ]  # fmt: skip
    found = records(takings, call_identifier=call)
    a = found["a"]
    assert a.similar == [("SEAFOOD4ALL", True), ("CANNERY", False)]
    assert a.topics == pytest.approx(2.4 / 3.4)  # 2 × 1 + 1 × 0.4, saturated
    assert (a.in_programme, a.coordinated_in_programme) == (2, 1)
    assert a.programme == pytest.approx(3 / 4)  # 2 + 1, saturated
    assert found["b"] == Record(topics=0.0, programme=0.0, similar=[], in_programme=0)
    assert combined(0.2, a) == pytest.approx(0.5 * 0.2 + 0.35 * 2.4 / 3.4 + 0.15 * 0.75)
    assert combined(0.2, None) == pytest.approx(0.1)
