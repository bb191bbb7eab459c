"""iCalendar text written by hand from RFC 5545 (atclusters/core/icalendar.py)."""

from datetime import UTC, datetime, timedelta, timezone

from atclusters.core.icalendar import Event, calendar, escape, fold


def test_text_values_are_escaped():
    assert escape("Sala 1; planta 2, ala \\ norte\nentrada B") == (
        "Sala 1\\; planta 2\\, ala \\\\ norte\\nentrada B"
    )


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "a" * 100
    assert fold(line) == "SUMMARY:" + "a" * 67 + "\r\n " + "a" * 33
    # "é" is two octets: 8 + 33 × 2 = 74, and the 34th would make 76.
    accented = "SUMMARY:" + "é" * 40
    folded = fold(accented)
    assert folded == "SUMMARY:" + "é" * 33 + "\r\n " + "é" * 7
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_a_calendar_with_one_booking():
    madrid = timezone(timedelta(hours=1))
    event = Event(
        uid="booking-7@atclusters",
        start=datetime(2030, 3, 5, 10, tzinfo=madrid),
        end=datetime(2030, 3, 5, 11, 30, tzinfo=madrid),
        summary="Meeting room, Hub Santiago",
        location="Hub Santiago",
        status="TENTATIVE",
    )
    text = calendar([event], name="Bookings", stamp=datetime(2030, 3, 1, 8, tzinfo=UTC))
    assert text == (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//atclusters//facilities//EN\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Bookings\r\n"
        "BEGIN:VEVENT\r\nUID:booking-7@atclusters\r\nDTSTAMP:20300301T080000Z\r\n"
        "DTSTART:20300305T090000Z\r\nDTEND:20300305T103000Z\r\n"
        "SUMMARY:Meeting room\\, Hub Santiago\r\nSTATUS:TENTATIVE\r\n"
        "LOCATION:Hub Santiago\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
