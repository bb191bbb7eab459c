"""The events pages in Spanish, Galician, Portuguese and French, crawled as agency staff (who
see every page and form) with a group, a meeting with an action item, a training with a
certificate and a conference with B2B profiles: no English left (the kernel's detector)."""

import pytest

from atclusters.events import services
from tests.core import test_language_crawl as language_crawl
from tests.core.test_language_crawl import crawl
from tests.events.conftest import due

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "gl", "pt", "fr"])
def test_events_pages_have_no_english_left(client, world, events, language, monkeypatch):
    # The seeds and the pages they link to, not the whole site (the kernel's crawl does that).
    monkeypatch.setattr(language_crawl, "PAGES_PER_LANGUAGE", 30)
    services.action_add(
        actor=world.staff, meeting=events.meeting, title="Llamar", owner=world.staff, due=due(9)
    )
    registration = services.registration_create(
        actor=world.staff, event=events.training, user=world.staff
    )
    for session in events.training.sessions.all():
        services.attendance_record(actor=world.staff, session=session, present=[registration])
    (certificate,) = services.certificates_issue(actor=world.staff, event=events.training)
    world.member.representatives.add(world.staff)
    seat = services.registration_create(
        actor=world.staff, event=events.conference, user=world.staff
    )
    services.b2b_profile_save(
        actor=world.staff, registration=seat, organisation=world.member,
        available=events.conference.b2b_slots,
    )  # fmt: skip
    services.speaker_save(
        actor=world.staff, event=events.conference, name="Ana Pereira", bio="Xestora."
    )
    guest = services.ticket_type_save(
        actor=world.staff, event=events.conference, name="Pase", price_eur=10,
        member_price_eur=5, capacity=50, approval=True,
    )  # fmt: skip
    dinner = services.question_save(
        actor=world.staff, event=events.conference, label="¿Cena?", kind="yesno", required=True
    )
    services.registration_create(
        actor=world.rep, event=events.conference, user=world.rep, ticket=guest,
        answers={str(dinner.pk): "yes"},
    )  # fmt: skip
    services.session_save(
        actor=world.staff, event=events.training, title="Práctica", module="Contratos",
        starts_at=events.training.starts_at, ends_at=events.training.ends_at,
    )  # fmt: skip
    services.decision_add(actor=world.staff, meeting=events.meeting, text="Aprobado.")
    topic = services.topic_create(
        actor=world.staff, group=events.group, title="Feria", body="<p>¿Vamos?</p>"
    )
    client.force_login(world.staff)
    found = crawl(
        client,
        language,
        [
            "events/",
            f"events/groups/{events.group.pk}/",
            f"events/meetings/{events.meeting.pk}/",
            f"events/{events.training.pk}/",
            f"events/{events.conference.pk}/",
            "events/decisions/",
            f"events/{events.conference.pk}/b2b/",
            f"events/{events.training.pk}/import/",
            f"verify/{certificate.code}/",
            f"events/topics/{topic.pk}/",
            f"events/{events.conference.pk}/programme/",
            f"events/{events.conference.pk}/check-in/",
            f"events/registrations/{seat.pk}/badge/",
            "events/my-calendar/",
            "events/groups/new/",
            "events/meetings/new/",
            "events/new/",
            "dashboard/",
        ],
    )
    assert found == {}, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())
