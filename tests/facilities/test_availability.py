"""Availability and booking rules, worked by hand (atclusters/facilities/availability.py;
docs/facilities.md). The hub opens Monday to Friday 9:00-14:00 and 15:00-19:00 in Madrid's time
(UTC+1 in winter, UTC+2 from 29 March 2026) and keeps Spain's and Galicia's public holidays."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from atclusters.facilities.availability import (
    Problem,
    RecurrenceError,
    Rules,
    Span,
    booked_time,
    conflicts,
    free_slots,
    holiday,
    occurrences,
    open_time,
    opening_hours_read,
    opening_spans,
    problems,
)

WEEKDAYS = {day: ((time(9), time(14)), (time(15), time(19))) for day in range(5)}
HUB = Rules(
    opening_hours=WEEKDAYS,
    holiday_country="ES",
    holiday_subdivision="GA",
    min_duration=timedelta(minutes=30),
    max_duration=timedelta(hours=4),
    buffer=timedelta(minutes=15),
)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HUB.zone)


def test_opening_hours_in_utc_follow_summer_time():
    assert opening_spans(HUB, date(2026, 3, 10)) == [
        Span(utc(10, 8), utc(10, 13)),
        Span(utc(10, 14), utc(10, 18)),
    ]
    assert opening_spans(HUB, date(2026, 6, 9)) == [
        Span(utc(9, 7, month=6), utc(9, 12, month=6)),
        Span(utc(9, 13, month=6), utc(9, 17, month=6)),
    ]
    assert opening_spans(HUB, date(2026, 3, 14)) == []  # a Saturday


def test_public_holidays_of_the_member_state_and_its_region():
    assert holiday(HUB, date(2026, 5, 1)) == "Fiesta del Trabajo"
    assert opening_spans(HUB, date(2026, 5, 1)) == []
    # San José is a holiday in Galicia in 2026, not in all of Spain.
    assert holiday(HUB, date(2026, 3, 19)) == "San José"
    spain = Rules(opening_hours=WEEKDAYS, holiday_country="ES")
    assert holiday(spain, date(2026, 3, 19)) is None
    assert len(opening_spans(spain, date(2026, 3, 19))) == 2
    assert holiday(Rules(opening_hours=WEEKDAYS), date(2026, 5, 1)) is None


def test_closures_cut_the_opening_hours():
    closed = Rules(opening_hours=WEEKDAYS, closures=(Span(local(10, 12), local(10, 16)),))
    assert opening_spans(closed, date(2026, 3, 10)) == [
        Span(utc(10, 8), utc(10, 11)),
        Span(utc(10, 15), utc(10, 18)),
    ]


def test_buffer_keeps_a_quarter_of_an_hour_after_each_booking():
    # The 10:00-11:00 booking holds the room until 11:15.
    held = [HUB.held(Span(local(10, 10), local(10, 11)))]
    assert held == [Span(utc(10, 9), utc(10, 10, 15))]
    assert conflicts(HUB, Span(local(10, 11), local(10, 12)), held) == held
    assert conflicts(HUB, Span(local(10, 11, 15), local(10, 12, 15)), held) == []
    # Before it: 9:00-9:45 leaves the buffer until 10:00; 9:00-10:00 would not.
    assert conflicts(HUB, Span(local(10, 9), local(10, 9, 45)), held) == []
    assert conflicts(HUB, Span(local(10, 9), local(10, 10)), held) == held


def test_every_reason_to_refuse_a_booking():
    tuesday = Span(local(10, 10), local(10, 11))
    assert problems(HUB, tuesday, [], now=NOW) == []
    assert problems(HUB, Span(local(10, 11), local(10, 10)), [], now=NOW) == [
        Problem("end", "end-before-start")
    ]
    assert problems(HUB, Span(local(10, 10), local(10, 10, 20)), [], now=NOW) == [
        Problem("end", "too-short", "30")
    ]
    assert problems(HUB, Span(local(10, 9), local(10, 14)), [], now=NOW) == [
        Problem("end", "too-long", "240")
    ]
    assert problems(HUB, tuesday, [], now=utc(10, 12)) == [Problem("start", "past")]
    assert problems(HUB, Span(local(14, 10), local(14, 11)), [], now=NOW) == [
        Problem("start", "outside-hours")
    ]
    # Across the lunch break: not within one opening window.
    assert problems(HUB, Span(local(10, 13), local(10, 16)), [], now=NOW) == [
        Problem("start", "outside-hours")
    ]
    assert problems(HUB, Span(local(19, 10), local(19, 11)), [], now=NOW) == [
        Problem("start", "holiday", "2026-03-19 San José")
    ]
    closed = Rules(opening_hours=WEEKDAYS, closures=(Span(local(12, 0), local(13, 0)),))
    assert problems(closed, Span(local(12, 10), local(12, 11)), [], now=NOW) == [
        Problem("start", "closed", "2026-03-12")
    ]
    held = [HUB.held(Span(local(10, 10, 30), local(10, 12)))]
    assert problems(HUB, tuesday, held, now=NOW) == [
        Problem("start", "conflict", "2026-03-10T09:30:00+00:00")
    ]


def test_next_free_slots_skip_bookings_buffers_and_the_lunch_break():
    held = [HUB.held(Span(local(10, 10), local(10, 11)))]  # held until 11:15
    slots = free_slots(HUB, after=local(10, 9), duration=timedelta(hours=1), held=held)
    # 9:00-10:00 would leave no buffer before 10:00; 11:30 is the next half hour after 11:15;
    # 13:00-14:00 closes the morning; the afternoon opens at 15:00.
    assert slots == [
        Span(local(10, 11, 30), local(10, 12, 30)),
        Span(local(10, 13), local(10, 14)),
        Span(local(10, 15), local(10, 16)),
    ]


def test_next_free_slots_pass_weekends_and_holidays():
    # Thursday 19 March (San José) and the weekend are closed.
    after = local(18, 18)
    slots = free_slots(HUB, after=after, duration=timedelta(hours=2), held=[], count=2)
    assert slots == [
        Span(local(20, 9), local(20, 11)),
        Span(local(20, 11, 30), local(20, 13, 30)),
    ]


def test_weekly_series_keeps_the_local_time_across_summer_time():
    first = Span(local(24, 9), local(24, 11))
    assert occurrences(HUB, first, "RRULE:FREQ=WEEKLY;COUNT=3") == [
        Span(utc(24, 8), utc(24, 10)),
        Span(utc(31, 7), utc(31, 9)),
        Span(utc(7, 7, month=4), utc(7, 9, month=4)),
    ]
    until = occurrences(HUB, first, "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260402T235959Z")
    assert [span.start.date() for span in until] == [
        date(2026, 3, 24),
        date(2026, 3, 26),
        date(2026, 3, 31),
        date(2026, 4, 2),
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "is empty"),
        ("FREQ=WEEKLY", "needs COUNT or UNTIL"),
        ("FREQ=DAILY;COUNT=60", "more than 52"),
        ("FREQ=SOMETIMES;COUNT=2", "not a valid RRULE"),
    ],
)
def test_unbookable_series_are_refused(rule, message):
    with pytest.raises(RecurrenceError, match=message):
        occurrences(HUB, Span(local(24, 9), local(24, 11)), rule)


def test_open_and_booked_time_of_a_month():
    # March 2026 has 22 weekdays; San José (19 March) is closed: 21 days of 9 hours.
    assert open_time(HUB, date(2026, 3, 1), date(2026, 3, 31)) == timedelta(hours=189)
    # A booking over lunch counts only its open time: 13:30-14:00 and 15:00-15:30.
    booked = [Span(local(10, 13, 30), local(10, 15, 30)), Span(local(11, 9), local(11, 10))]
    assert booked_time(HUB, date(2026, 3, 1), date(2026, 3, 31), booked) == timedelta(hours=2)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="Europe/Atlantis"):
        Rules(opening_hours=WEEKDAYS, timezone="Europe/Atlantis")


def test_opening_hours_as_stored():
    assert opening_hours_read({"mon": [["09:00", "14:00"], ["15:00", "19:00"]], "sat": []}) == {
        0: ((time(9), time(14)), (time(15), time(19))),
        5: (),
    }
    with pytest.raises(ValueError, match="'monday' is not a day"):
        opening_hours_read({"monday": []})
    with pytest.raises(ValueError, match="tue: 14:00-09:00 closes before it opens"):
        opening_hours_read({"tue": [["14:00", "09:00"]]})
    with pytest.raises(ValueError, match="wed: the windows overlap"):
        opening_hours_read({"wed": [["09:00", "14:00"], ["13:00", "15:00"]]})
    with pytest.raises(ValueError, match="thu: "):
        opening_hours_read({"thu": [["9 o'clock", "14:00"]]})
