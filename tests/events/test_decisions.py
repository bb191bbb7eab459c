"""A meeting's decisions as their own records: numbered per meeting, listed along a group's or a
series' meetings, searchable, private with a members-only meeting."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.events import selectors, services
from atclusters.events.models import Decision
from tests.events.conftest import at

pytestmark = pytest.mark.django_db


def test_decisions_are_numbered_per_meeting_and_listed_along_the_group(world, events):
    first = services.decision_add(
        actor=world.manager, meeting=events.meeting, text="The budget for 2030 is approved."
    )
    second = services.decision_add(
        actor=world.staff, meeting=events.meeting, text="A fair in Porto in June."
    )
    later = services.meeting_save(
        actor=world.staff, agency=world.agency, group=events.group, title="Second",
        starts_at=at(4, 5, 10), ends_at=at(4, 5, 12),
    )  # fmt: skip
    third = services.decision_add(actor=world.staff, meeting=later, text="Porto it is.")
    assert [first.number, second.number, third.number] == [1, 2, 1]
    assert first.recorded_by == world.manager
    assert list(selectors.decisions(world.rep, group=events.group.pk)) == [third, first, second]
    assert list(selectors.decisions(world.rep, query="porto")) == [third, second]
    assert list(selectors.decisions(world.rep, query="porto june")) == [second]
    assert AuditEntry.objects.filter(
        object_pk=str(first.pk), action="create", model="events.decision"
    ).exists()


def test_only_who_edits_the_meeting_records_a_decision_and_text_is_required(world, events):
    with pytest.raises(PermissionDenied):
        services.decision_add(actor=world.rep, meeting=events.meeting, text="Mine")
    with pytest.raises(PermissionDenied):
        services.decision_add(actor=world.other_staff, meeting=events.meeting, text="Theirs")
    with pytest.raises(DomainError) as raised:
        services.decision_add(actor=world.staff, meeting=events.meeting, text="   ")
    assert raised.value.field == "text"
    assert not Decision.objects.exists()


def test_a_members_only_meetings_decisions_stay_private(world, events):
    services.decision_add(actor=world.staff, meeting=events.meeting, text="Secret plan")
    for user in (AnonymousUser(), world.nobody, world.other_staff):
        assert not selectors.decisions(user).exists()
        assert not [
            r for r in selectors.site_search(user=user, query="secret", limit=5)
            if str(r.kind) == "decision"
        ]  # fmt: skip
    found = selectors.site_search(user=world.rep, query="secret", limit=5)
    assert [r.summary for r in found if str(r.kind) == "decision"] == ["Secret plan"]


def test_decision_pages_and_api(login, world, events):
    client = login(world.manager)
    page = client.post(
        reverse("events_decision_add", args=[events.meeting.pk]),
        {"text": "We open a desk in Brussels."},
        follow=True,
    )
    assert "We open a desk in Brussels." in page.content.decode()
    assert 'id="decision-1"' in page.content.decode()
    register = client.get(reverse("events_decisions"), {"q": "brussels"})
    assert "We open a desk in Brussels." in register.content.decode()
    assert (
        "Brussels" not in client.get(reverse("events_decisions"), {"q": "lisbon"}).content.decode()
    )
    group_page = client.get(reverse("events_group", args=[events.group.pk]))
    assert "We open a desk in Brussels." in group_page.content.decode()
    answer = client.post(
        f"/api/v1/events/meetings/{events.meeting.pk}/decisions",
        {"text": "And one in Lisbon."},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json() == {
        "meeting": events.meeting.pk,
        "number": 2,
        "text": "And one in Lisbon.",
    }
    listed = client.get("/api/v1/events/decisions", {"group": events.group.pk, "q": "lisbon"})
    assert [d["number"] for d in listed.json()] == [2]
    meeting = client.get(f"/api/v1/events/meetings/{events.meeting.pk}").json()
    assert [d["number"] for d in meeting["decisions"]] == [1, 2]
    anonymous = login(None)
    assert "Brussels" not in anonymous.get(reverse("events_decisions")).content.decode()
    assert anonymous.get("/api/v1/events/decisions").json() == []
