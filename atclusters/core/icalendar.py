"""iCalendar (RFC 5545) text of bookings, with no Django: one calendar per booking (.ics) or per
user (a feed a calendar application subscribes to). Text values are escaped (section 3.3.11),
lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character (3.1)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//atclusters//facilities//EN"
LIMIT = 75  # octets per line, CRLF excluded


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED (RFC 5545 3.8.1.11)
    url: str = ""


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """The content line folded: after each 75 octets, CRLF and one space (the space counts in
    the next line's 75)."""
    pieces: list[str] = []
    current, size, limit = "", 0, LIMIT
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, LIMIT - 1
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, stamp: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_moment(stamp)}",
            f"DTSTART:{_moment(event.start)}",
            f"DTEND:{_moment(event.end)}",
            f"SUMMARY:{escape(event.summary)}",
            f"STATUS:{event.status}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
