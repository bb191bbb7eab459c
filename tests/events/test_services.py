import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.events import permissions, selectors, services
from atclusters.events.models import ActionItem, B2BRequest, Registration
from tests.events.conftest import at, due
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_open_actions_carry_over_to_the_next_meeting_until_closed(world, events):
    first = events.meeting
    kept = services.action_add(
        actor=world.manager, meeting=first, title="Draft the plan", owner=world.rep, due=due(20)
    )
    closed = services.action_add(
        actor=world.manager, meeting=first, title="Book a room", owner=world.rep, due=due(10)
    )
    services.action_status_set(actor=world.rep, action=closed, status="done")  # the owner
    second = services.meeting_save(
        actor=world.staff, agency=world.agency, group=events.group, title="Second",
        starts_at=at(4, 5, 10), ends_at=at(4, 5, 12),
    )  # fmt: skip
    assert list(selectors.carried_actions(second)) == [kept]
    services.action_status_set(actor=world.manager, action=kept, status="done")
    assert not selectors.carried_actions(second).exists()
    assert AuditEntry.objects.filter(object_pk=str(kept.pk), action="update").exists()


def test_only_the_owner_or_editors_change_an_action(world, events):
    action = services.action_add(
        actor=world.staff, meeting=events.meeting, title="x", owner=world.rep, due=due(9)
    )
    with pytest.raises(PermissionDenied):
        services.action_status_set(actor=world.nobody, action=action, status="done")
    with pytest.raises(PermissionDenied):
        services.action_add(
            actor=world.rep, meeting=events.meeting, title="y", owner=world.rep, due=due(9)
        )
    with pytest.raises(PermissionDenied):
        services.action_add(
            actor=world.other_staff, meeting=events.meeting, title="y", owner=world.rep, due=due(9)
        )
    assert action.status == ActionItem.Status.OPEN


def test_members_only_groups_and_meetings_are_hidden_from_others(world, events):
    for user in (world.rep, world.manager, world.staff, world.admin):
        assert permissions.visible_groups(user).filter(pk=events.group.pk).exists()
        assert permissions.visible_meetings(user).filter(pk=events.meeting.pk).exists()
    for user in (AnonymousUser(), world.nobody, world.other_staff):
        assert not permissions.visible_groups(user).filter(pk=events.group.pk).exists()
        assert not permissions.visible_meetings(user).filter(pk=events.meeting.pk).exists()


def test_meeting_input_is_checked(world, events):
    with pytest.raises(DomainError) as caught:
        services.meeting_save(
            actor=world.staff, agency=world.agency, title="Bad", starts_at=at(3, 5, 12),
            ends_at=at(3, 5, 10),
        )  # fmt: skip
    assert caught.value.field == "ends_at"
    with pytest.raises(DomainError) as caught:
        services.meeting_save(
            actor=world.staff, agency=world.agency, title="Bad", starts_at=at(3, 5, 10),
            ends_at=at(3, 5, 12), online_link="javascript:alert(1)",
        )  # fmt: skip
    assert caught.value.field == "online_link"
    meeting = services.meeting_minutes_save(
        actor=world.manager, meeting=events.meeting, minutes="<p>ok</p><script>x()</script>"
    )
    assert meeting.minutes == "<p>ok</p>"


def test_a_full_training_waitlists_and_a_freed_seat_goes_to_the_first_waiting(
    world, events, django_capture_on_commit_callbacks
):
    training = events.training
    first, second = UserFactory(), UserFactory()
    third, fourth = UserFactory(), UserFactory()
    made = [
        services.registration_create(actor=user, event=training, user=user)
        for user in (first, second, third, fourth)
    ]
    assert [r.status for r in made] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert selectors.waiting_position(made[3]) == 2
    with django_capture_on_commit_callbacks() as jobs:
        services.registration_cancel(actor=second, registration=made[1])
    # Until the background job runs, the freed seat is nobody's: a newcomer waits behind.
    newcomer = UserFactory()
    late = services.registration_create(actor=newcomer, event=training, user=newcomer)
    assert late.status == "waiting" and selectors.waiting_position(late) == 3
    assert len(jobs) == 1
    jobs[0]()  # the job, as the worker runs it once the cancellation is committed
    for registration in (made[2], made[3]):
        registration.refresh_from_db()
    assert made[2].status == "confirmed"
    assert made[3].status == "waiting" and selectors.waiting_position(made[3]) == 1
    with pytest.raises(DomainError):
        services.registration_create(actor=first, event=training, user=first)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=first, event=training, user=fourth)


def test_attendance_gives_certificates_that_stop_verifying_once_revoked(world, events):
    training = events.training
    keen, absent = UserFactory(), UserFactory()
    regs = [services.registration_create(actor=u, event=training, user=u) for u in (keen, absent)]
    sessions = list(training.sessions.all())
    for number, session in enumerate(sessions):
        present = regs if number == 0 else regs[:1]
        services.attendance_record(actor=world.staff, session=session, present=present)
    issued = services.certificates_issue(actor=world.staff, event=training)
    assert [c.registration for c in issued] == [regs[0]]  # 1 of 3 is under 80 %
    assert services.certificates_issue(actor=world.staff, event=training) == []  # once
    certificate = issued[0]
    assert certificate.valid and len(certificate.code) == 16
    services.certificate_revoke(actor=world.staff, certificate=certificate, reason="Error")
    certificate.refresh_from_db()
    assert not certificate.valid
    with pytest.raises(PermissionDenied):
        services.certificates_issue(actor=world.other_staff, event=training)


def _profile(world, event, user, organisation):
    registration = services.registration_create(
        actor=None, event=event, user=user, organisation=organisation
    )
    return services.b2b_profile_save(
        actor=user, registration=registration, organisation=organisation,
        available=event.b2b_slots,
    )  # fmt: skip


def test_b2b_requests_are_scheduled_without_moving_fixed_meetings(world, events):
    conference = events.conference
    world.member.representatives.add(world.nobody)
    world.outsider.representatives.add(world.manager)
    world.outsider.representatives.add(world.staff)
    mine = _profile(world, conference, world.rep, world.member)
    theirs = _profile(world, conference, world.manager, world.outsider)
    third = _profile(world, conference, world.staff, world.outsider)
    with pytest.raises(PermissionDenied):
        services.b2b_request_create(actor=world.manager, requester=mine, recipient=theirs)
    first = services.b2b_request_create(actor=world.rep, requester=mine, recipient=theirs)
    with pytest.raises(DomainError):
        services.b2b_request_create(actor=world.manager, requester=theirs, recipient=mine)
    with pytest.raises(PermissionDenied):
        services.b2b_request_answer(actor=world.rep, request=first, accept=True)
    services.b2b_request_answer(actor=world.manager, request=first, accept=True)
    result = services.b2b_schedule(actor=world.staff, event=conference)
    first.refresh_from_db()
    assert result.held == 1 and first.table == 1 and first.slot == conference.b2b_slots[0]
    second = services.b2b_request_create(actor=world.staff, requester=third, recipient=mine)
    services.b2b_request_answer(actor=world.rep, request=second, accept=True)
    services.b2b_schedule(actor=world.staff, event=conference)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.slot == conference.b2b_slots[0]  # fixed: not moved
    assert second.slot == conference.b2b_slots[1] and second.table == 1
    services.b2b_request_answer(actor=world.rep, request=second, accept=False)
    second.refresh_from_db()
    assert second.status == B2BRequest.Status.DECLINED and second.slot == ""
    with pytest.raises(PermissionDenied):
        services.b2b_schedule(actor=world.rep, event=conference)


def test_a_participant_speaks_only_for_organisations_they_represent(world, events):
    registration = services.registration_create(
        actor=world.rep, event=events.conference, user=world.rep
    )
    with pytest.raises(DomainError) as caught:
        services.b2b_profile_save(
            actor=world.rep, registration=registration, organisation=world.outsider
        )
    assert caught.value.field == "organisation"
    assert registration.status == Registration.Status.CONFIRMED
    assert timezone.is_aware(registration.registered_at)


def test_reminders_and_promotion_emails_are_queued(
    world, events, django_capture_on_commit_callbacks
):
    from atclusters.core.models import OutgoingEmail

    world.rep.email = "rep@example.org"
    world.rep.save()
    services.action_add(
        actor=world.staff, meeting=events.meeting, title="Old", owner=world.rep, due=due(1)
    )
    later = services.meeting_save(
        actor=world.staff, agency=world.agency, group=events.group, title="Follow-up",
        starts_at=at(3, 12, 10), ends_at=at(3, 12, 11),
    )  # fmt: skip
    assert services.meeting_reminders_send(now=at(3, 11, 12)) >= 1
    sent = OutgoingEmail.objects.get(to=["rep@example.org"])
    assert later.title in sent.subject and "- Old (01/03/2030)" in sent.body
    assert services.meeting_reminders_send(now=at(3, 13, 12)) == 0
    first = UserFactory()
    seat = services.registration_create(actor=first, event=events.training, user=first)
    services.registration_create(actor=None, event=events.training, user=UserFactory())
    services.registration_create(actor=world.rep, event=events.training, user=world.rep)
    assert OutgoingEmail.objects.filter(subject="Waiting list: Procurement course").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first, registration=seat)
    # The job promoted the rep and queued the email, which the outbox's job then sent.
    (sent,) = [m for m in mail.outbox if m.subject == "You have a seat: Procurement course"]
    assert sent.to == ["rep@example.org"]


def test_each_email_is_written_in_its_recipient_language_with_its_dates(world, events):
    from atclusters.core.models import OutgoingEmail
    from atclusters.core.services import user_language_remember

    world.rep.email, world.manager.email = "rep@example.org", "manager@example.org"
    world.rep.save(), world.manager.save()
    user_language_remember(user=world.rep, language="es")
    user_language_remember(user=world.manager, language="pt")
    services.action_add(
        actor=world.staff, meeting=events.meeting, title="Old", owner=world.rep, due=due(1)
    )
    services.meeting_save(
        actor=world.staff, agency=world.agency, group=events.group, title="Follow-up",
        starts_at=at(3, 12, 10), ends_at=at(3, 12, 11),
    )  # fmt: skip
    services.meeting_reminders_send(now=at(3, 11, 12))
    spanish = OutgoingEmail.objects.get(to=["rep@example.org"])
    assert spanish.subject == "Recordatorio: Follow-up, 12/03/2030 10:00 (Europe/Madrid)"
    assert "Sus acciones abiertas:\n- Old (01/03/2030)" in spanish.body
    assert "/es/events/meetings/" in spanish.body
    portuguese = OutgoingEmail.objects.get(to=["manager@example.org"])
    assert portuguese.subject == "Lembrete: Follow-up, 12/03/2030 10:00 (Europe/Madrid)"
    services.registration_create(actor=world.rep, event=events.training, user=world.rep)
    seat = OutgoingEmail.objects.get(to=["rep@example.org"], subject__contains="Procurement")
    assert seat.body.startswith("Tiene plaza en Procurement course, 01/04/2030 09:00 (")
    assert "2030-04-01" not in seat.body


def test_a_repeated_meeting_keeps_its_local_time_and_carries_actions_along_its_series(world):
    council = services.meeting_save(
        actor=world.staff, agency=world.agency, kind="council", title="Council",
        starts_at=at(3, 20, 10), ends_at=at(3, 20, 12), invitees=[world.rep],
    )  # fmt: skip
    action = services.action_add(
        actor=world.staff, meeting=council, title="Budget", owner=world.rep, due=due(25)
    )
    later = services.meeting_repeat(actor=world.staff, meeting=council, every_days=14, count=2)
    # 20 March is winter time in Madrid (UTC+1), 3 April summer time (UTC+2): 10:00 both.
    assert [m.starts_at.astimezone(at(1, 1, 0).tzinfo).hour for m in later] == [10, 10]
    assert later[0].starts_at == at(4, 3, 10)
    assert list(later[1].invitees.all()) == [world.rep]
    assert list(selectors.carried_actions(later[1])) == [action]
    with pytest.raises(PermissionDenied):
        services.meeting_repeat(actor=world.rep, meeting=council, every_days=7, count=1)
    with pytest.raises(DomainError):
        services.meeting_repeat(actor=world.staff, meeting=council, every_days=0, count=1)


def test_only_the_people_asked_answer_and_those_who_decline_get_no_reminder(world, events):
    from atclusters.core.models import OutgoingEmail

    for user in (world.rep, world.manager):
        user.email = f"{user.username}@example.org"
        user.save()
    services.rsvp_answer(actor=world.rep, meeting=events.meeting, answer="no")
    services.rsvp_answer(actor=world.manager, meeting=events.meeting, answer="yes")
    with pytest.raises(PermissionDenied):
        services.rsvp_answer(actor=world.nobody, meeting=events.meeting, answer="yes")
    services.meeting_reminders_send(now=at(3, 4, 12))
    assert [e.to for e in OutgoingEmail.objects.all()] == [["manager@example.org"]]
    services.meeting_attendance_record(
        actor=world.manager, meeting=events.meeting, present=[world.manager]
    )
    assert list(events.meeting.attended.all()) == [world.manager]


def test_inviting_a_cluster_or_a_group_invites_its_people(world, events):
    meeting = services.meeting_save(
        actor=world.staff, agency=world.agency, title="With the authorities",
        kind="authorities", starts_at=at(6, 1, 10), ends_at=at(6, 1, 11),
        invitees=[world.nobody], invite_clusters=[world.cluster], invite_groups=[events.group],
    )  # fmt: skip
    assert set(meeting.invitees.all()) == {world.nobody, world.manager, world.rep}
