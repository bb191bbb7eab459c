"""QR codes drawn on the server: a badge's holds its code (the check-in scan types it), a
certificate's PDF carries its check address."""

import re

import pytest
import segno
from django.urls import reverse

from atclusters.events import qr, services

pytestmark = pytest.mark.django_db


def _modules(svg: str) -> str:
    return re.search(r""" d=["']([^"']+)["']""", svg).group(1)


def test_the_svg_is_the_qr_code_of_the_text_with_its_quiet_zone():
    drawn = qr.svg("K7M2QX9ZPA", scale=1, title="Badge <1> & co")
    assert drawn.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Badge &lt;1&gt; &amp; co</title>" in drawn
    code = segno.make("K7M2QX9ZPA", error="m", micro=False)
    width = code.symbol_size(scale=1, border=4)[0]
    assert f'width="{width}"' in drawn  # 21 modules and 4 of quiet zone on each side
    assert width == 21 + 8
    assert _modules(qr.svg("K7M2QX9ZPB", scale=1)) != _modules(drawn)


def test_the_badge_shows_the_qr_code_of_its_code_and_it_checks_in(login, world, events):
    seat = services.registration_create(actor=world.rep, event=events.conference, user=world.rep)
    page = login(world.rep).get(reverse("events_badge", args=[seat.pk])).content.decode()
    drawn = re.search(r"<svg .*?</svg>", page).group(0)
    assert _modules(drawn) == _modules(qr.svg(seat.badge_code))
    assert 'class="qr"' in drawn and "events/events.css" in page
    staff = login(world.staff)
    scanned = staff.post(
        reverse("events_check_in", args=[events.conference.pk]), {"code": seat.badge_code}
    )
    assert "Welcome, rep." in scanned.content.decode()


def test_the_certificate_pdf_is_drawn_with_its_qr_code(login, world, events):
    training = events.training
    seat = services.registration_create(actor=world.rep, event=training, user=world.rep)
    for session in training.sessions.all():
        services.attendance_record(actor=world.staff, session=session, present=[seat])
    (certificate,) = services.certificates_issue(actor=world.staff, event=training)
    response = login(world.rep).get(reverse("events_certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    # The QR code is drawn as vector paths: the PDF grows by them.
    assert len(response.content) > 5_000
