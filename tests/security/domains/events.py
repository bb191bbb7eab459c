"""Events in the role × endpoint table: a members-only working group of the Galician agency led
by the cluster manager (the representative a member) with a meeting, an action item of the
representative's, a topic and a document; a public training (two sessions, 50 % to complete)
where the representative has a certificate and the manager completed without one; a public
conference with B2B matchmaking (the representative and the manager have profiles, a pending
request from the one to the other, an accepted one between two others not yet scheduled); a
public event nobody registered for; an event that has ended, with the representative's seat."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from atclusters.events import services
from atclusters.events.models import (
    ActionItem,
    B2BRequest,
    CalendarFeed,
    Certificate,
    Decision,
    DocumentVersion,
    Event,
    Feedback,
    Meeting,
    Post,
    Question,
    Registration,
    Rsvp,
    Session,
    Speaker,
    SurveyQuestion,
    TicketType,
    Topic,
    WorkingGroup,
)
from tests.security.calls import Arguments, Write

ROWS = """
# Events (atclusters/events)                                anon        rep   mgr   o-mgr staff o-staff admin
GET    events_home                                          200         200   200   200   200   200   200
GET    events_calendar                                      200         200   200   200   200   200   200
GET    events_group_new                                     login       403   403   403   200   200   200
POST   events_group_new                                     login       403   403   403   302   form  302
GET    events_group                                         404         200   200   404   200   404   200
GET    events_group_edit                                    login       403   200   404   200   404   200
POST   events_group_edit                                    login       403   302   404   302   404   302
POST   events_topic_new                                     login       302   302   404   302   404   302
GET    events_topic                                         404         200   200   404   200   404   200
POST   events_topic                                         404         302   302   404   302   404   302
POST   events_document_upload                               login       302   302   404   302   404   302
GET    events_document                                      login       200   200   404   200   404   200
GET    events_meeting_new                                   login       403   200   403   200   200   200
POST   events_meeting_new                                   login       403   302   403   302   form  302
GET    events_meeting                                       404         200   200   404   200   404   200
GET    events_meeting_edit                                  login       403   200   404   200   404   200
POST   events_meeting_edit                                  login       403   302   404   302   404   302
POST   events_rsvp                                          login       302   302   404   403   404   403
POST   events_meeting_attendance                            login       403   302   404   302   404   302
POST   events_repeat                                        login       403   302   404   302   404   302
POST   events_meeting_minutes                               login       403   302   404   302   404   302
POST   events_action_add                                    login       403   302   404   302   404   302
POST   events_decision_add                                  login       403   302   404   302   404   302
GET    events_decision_edit                                 login       403   200   404   200   404   200
POST   events_decision_edit                                 login       403   302   404   302   404   302
POST   events_decision_remove                               login       403   302   404   302   404   302
GET    events_decisions                                     200         200   200   200   200   200   200
GET    events_meeting_ics                                   404         200   200   404   200   404   200
POST   events_action_status                                 login       302   302   404   302   404   302
GET    events_event                                         200         200   200   200   200   200   200
GET    events_event_new                                     login       403   403   403   200   200   200
POST   events_event_new                                     login       403   403   403   302   form  302
GET    events_event_edit                                    login       403   403   403   200   403   200
POST   events_event_edit                                    login       403   403   403   302   403   302
POST   events_event_remove                                  login       403   403   403   302   403   302
GET    events_event_ics                                     200         200   200   200   200   200   200
GET    events_programme                                     200         200   200   200   200   200   200
GET    events_my_calendar                                   login       200   200   200   200   200   200
POST   events_my_calendar                                   login       302   302   302   302   302   302
GET    events_feed                                          200         200   200   200   200   200   200
POST   events_register                                      login       302   302   302   302   302   302
POST   events_ticket_add                                    login       403   403   403   302   403   302
POST   events_question_add                                  login       403   403   403   302   403   302
POST   events_session_add                                   login       403   403   403   302   403   302
POST   events_speaker_add                                   login       403   403   403   302   403   302
POST   events_survey_add                                    login       403   403   403   302   403   302
GET    events_survey_edit                                   login       403   403   403   200   403   200
POST   events_survey_edit                                   login       403   403   403   302   403   302
POST   events_survey_remove                                 login       403   403   403   302   403   302
GET    events_ticket_edit                                   login       403   403   403   200   403   200
POST   events_ticket_edit                                   login       403   403   403   302   403   302
POST   events_ticket_remove                                 login       403   403   403   302   403   302
GET    events_question_edit                                 login       403   403   403   200   403   200
POST   events_question_edit                                 login       403   403   403   302   403   302
POST   events_question_remove                               login       403   403   403   302   403   302
GET    events_session_edit                                  login       403   403   403   200   403   200
POST   events_session_edit                                  login       403   403   403   302   403   302
POST   events_session_remove                                login       403   403   403   302   403   302
GET    events_speaker_edit                                  login       403   403   403   200   403   200
POST   events_speaker_edit                                  login       403   403   403   302   403   302
POST   events_speaker_remove                                login       403   403   403   302   403   302
POST   events_ticket_close                                  login       403   403   403   302   403   302
GET    events_registrations_export                          login       403   403   403   200   403   200
POST   events_registration_cancel                           login       302   404   404   302   404   302
POST   events_registration_payment                          login       404   404   404   302   404   302
POST   events_registration_approve                          login       404   404   404   302   404   302
GET    events_feedback                                      login       200   404   404   404   404   404
POST   events_feedback                                      login       302   404   404   404   404   404
GET    events_feedback_results                              login       403   403   403   200   403   200
GET    events_badge                                         login       200   404   404   200   404   200
GET    events_check_in                                      login       403   403   403   200   403   200
POST   events_check_in                                      login       403   403   403   200   403   200
GET    events_import                                        login       403   403   403   200   403   200
POST   events_attendance                                    login       403   403   403   302   403   302
POST   events_certificates_issue                            login       403   403   403   302   403   302
POST   events_certificate_revoke                            login       403   403   403   302   403   302
GET    events_certificate_pdf                               login       200   404   404   200   404   200
GET    events_verify                                        200         200   200   200   200   200   200
GET    events_b2b                                           login       200   200   403   200   403   200
GET    events_b2b_ics                                       login       200   200   200   200   200   200
GET    events_b2b_pdf                                       login       200   200   200   200   200   200
POST   events_b2b_request                                   login       302   302   404   404   404   404
POST   events_b2b_answer                                    login       403   302   404   403   404   403
POST   events_b2b_schedule                                  login       403   403   403   302   403   302
GET    /api/v1/events/groups                                200         200   200   200   200   200   200
GET    /api/v1/events/meetings                              200         200   200   200   200   200   200
GET    /api/v1/events/meetings/{meeting_id}                 404         200   200   404   200   404   200
POST   /api/v1/events/meetings/{meeting_id}/actions         401         403   201   404   201   404   201
POST   /api/v1/events/actions/{action_id}/status            401         200   200   404   200   404   200
GET    /api/v1/events/decisions                             200         200   200   200   200   200   200
POST   /api/v1/events/meetings/{meeting_id}/decisions       401         403   201   404   201   404   201
GET    /api/v1/events/events                                200         200   200   200   200   200   200
GET    /api/v1/events/events/{event_id}/registrations       200         200   200   200   200   200   200
POST   /api/v1/events/events/{event_id}/registrations       401         201   201   201   201   201   201
POST   /api/v1/events/registrations/{registration_id}/cancel 401        200   404   404   200   404   200
POST   /api/v1/events/registrations/{registration_id}/approval 401      404   404   404   200   404   200
POST   /api/v1/events/registrations/{registration_id}/payment 401       404   404   404   200   404   200
PUT    /api/v1/events/events/{event_id}/sessions/{session_id}/attendance 401 403 403 403 200  403   200
POST   /api/v1/events/events/{event_id}/check-in            401         403   403   403   200   403   200
GET    /api/v1/events/events/{event_id}/programme           200         200   200   200   200   200   200
GET    /api/v1/events/events/{event_id}/registration-form   200         200   200   200   200   200   200
GET    /api/v1/events/certificates/{code}                   200         200   200   200   200   200   200
GET    /api/v1/events/events/{event_id}/survey              200         200   200   200   200   200   200
POST   /api/v1/events/events/{event_id}/feedback            401         201   404   404   404   404   404
GET    /api/v1/events/events/{event_id}/feedback/results    403         403   403   403   200   403   200
POST   /api/v1/events/events/{event_id}/b2b-schedule        401         403   403   403   200   403   200
"""

MADRID = ZoneInfo("Europe/Madrid")
SLOTS = ["2030-05-06T15:00+02:00", "2030-05-06T15:20+02:00"]


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2030, month, day, hour, tzinfo=MADRID)


def _profile(event, user, organisation):
    registration = services.registration_create(
        actor=None, event=event, user=user, organisation=organisation, source="test"
    )
    return services.b2b_profile_save(
        actor=None, registration=registration, organisation=organisation, available=SLOTS,
        source="test",
    )  # fmt: skip


def build(w) -> dict:
    group = services.group_save(
        actor=w.staff, agency=w.agency, name="Internationalisation", goal="", lead=w.manager,
        members=[w.rep], source="test",
    )  # fmt: skip
    meeting = services.meeting_save(
        actor=w.staff, agency=w.agency, group=group, title="Kick-off", starts_at=at(3, 5, 10),
        ends_at=at(3, 5, 12), source="test",
    )  # fmt: skip
    action = services.action_add(
        actor=w.staff, meeting=meeting, title="Call", owner=w.rep, due=at(3, 20, 0).date()
    )
    decision = services.decision_add(actor=w.staff, meeting=meeting, text="Agreed")
    topic = services.topic_create(actor=w.manager, group=group, title="Fair", body="<p>Go?</p>")
    version = services.document_upload(
        actor=w.manager, group=group, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1 plan")
    )
    training = services.event_save(
        actor=w.staff, agency=w.agency, kind="training", title="Procurement",
        starts_at=at(4, 1, 9), ends_at=at(4, 2, 14), capacity=100, completion_percent=50,
        source="test",
    )  # fmt: skip
    first, second = (
        services.session_save(
            actor=w.staff,
            event=training,
            title=f"Day {day}",
            starts_at=at(4, day, 9),
            ends_at=at(4, day, 14),
            source="test",
        )
        for day in (1, 2)
    )
    seat = services.registration_create(actor=w.rep, event=training, user=w.rep)
    other_seat = services.registration_create(actor=w.manager, event=training, user=w.manager)
    services.attendance_record(actor=w.staff, session=first, present=[seat])
    (certificate,) = services.certificates_issue(actor=w.staff, event=training)
    services.attendance_record(actor=w.staff, session=first, present=[seat, other_seat])
    conference = services.event_save(
        actor=w.staff, agency=w.agency, kind="conference", title="Atlantic", capacity=100,
        starts_at=at(5, 6, 9), ends_at=at(5, 6, 19), b2b_slots=SLOTS, b2b_tables=2,
        source="test",
    )  # fmt: skip
    third, fourth = User.objects.create_user("b2b-third"), User.objects.create_user("b2b-fourth")
    mine = _profile(conference, w.rep, w.member)
    theirs = _profile(conference, w.manager, w.spare)
    other, another = _profile(conference, third, w.spare), _profile(conference, fourth, w.spare)
    pending = services.b2b_request_create(actor=w.rep, requester=mine, recipient=theirs)
    accepted = services.b2b_request_create(actor=third, requester=other, recipient=another)
    services.b2b_request_answer(actor=fourth, request=accepted, accept=True)
    ticket = services.ticket_type_save(actor=w.staff, event=conference, name="Day")
    question = services.question_save(actor=w.staff, event=conference, label="Lunch?")
    speaker = services.speaker_save(actor=w.staff, event=conference, name="Ana")
    survey = services.survey_question_save(
        actor=w.staff, event=conference, kind="rating", texts={"en": "Useful?"}
    )
    open_event = services.event_save(
        actor=w.staff, agency=w.agency, kind="conference", title="Open day", capacity=100,
        starts_at=at(6, 1, 9), ends_at=at(6, 1, 14), source="test",
    )  # fmt: skip
    now = datetime.now(MADRID)
    past = services.event_save(
        actor=w.staff, agency=w.agency, kind="training", title="Last year's course",
        capacity=100, starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=399),
        source="test",
    )  # fmt: skip
    services.registration_create(actor=w.rep, event=past, user=w.rep)
    invited = services.event_save(
        actor=w.staff, agency=w.agency, kind="conference", title="By invitation", capacity=10,
        starts_at=at(6, 2, 9), ends_at=at(6, 2, 14), source="test",
    )  # fmt: skip
    approval = services.ticket_type_save(actor=w.staff, event=invited, name="Guest", approval=True)
    awaiting = services.registration_create(actor=third, event=invited, user=third, ticket=approval)
    paying = services.ticket_type_save(actor=w.staff, event=invited, name="Paying", price_eur=50)
    priced = services.registration_create(actor=None, event=invited, user=fourth, ticket=paying)
    return {
        "events_group": group,
        "events_meeting": meeting,
        "events_action": action,
        "events_topic": topic,
        "events_version": version,
        "events_training": training,
        "events_session": second,
        "events_seat": seat,
        "events_manager_seat": conference.registrations.get(user=w.manager),
        "events_certificate": certificate,
        "events_conference": conference,
        "events_conference_seat": conference.registrations.get(user=w.rep),
        "events_pending": pending,
        "events_accepted": accepted,
        "events_third": other,
        "events_open": open_event,
        "events_past": past,
        "events_pending_seat": awaiting,
        "events_priced": priced,
        "events_feed": services.calendar_feed_renew(actor=w.rep, user=w.rep),
        "events_decision": decision,
        "events_ticket": ticket,
        "events_question": question,
        "events_speaker": speaker,
        "events_survey": survey,
    }


def by_parameter(w) -> dict:
    return {
        "group_id": w.events_group.pk,
        "meeting_id": w.events_meeting.pk,
        "action_id": w.events_action.pk,
        "topic_id": w.events_topic.pk,
        "version_id": w.events_version.pk,
        "event_id": w.events_training.pk,
        "session_id": w.events_session.pk,
        "registration_id": w.events_seat.pk,
        "decision_id": w.events_decision.pk,
    }


def by_endpoint(w) -> dict:
    certificate = Arguments({"code": w.events_certificate.code})
    conference = Arguments({"event_id": w.events_conference.pk})
    return {
        "events_feed": Arguments({"token": w.events_feed.token}),
        "events_verify": certificate,
        "events_certificate_pdf": certificate,
        "events_certificate_revoke": certificate,
        "/api/v1/events/certificates/{code}": certificate,
        "events_badge": Arguments({"registration_id": w.events_conference_seat.pk}),
        "events_b2b": conference,
        "events_b2b_ics": conference,
        "events_b2b_pdf": conference,
        "events_b2b_request": conference,
        "events_b2b_schedule": conference,
        # Its own key: `request_id` is also the services' (a service request) for every other
        # endpoint, and the two ids coincide only by chance.
        "events_b2b_answer": Arguments({"request_id": w.events_pending.pk}),
        "/api/v1/events/events/{event_id}/b2b-schedule": conference,
        "events_check_in": conference,
        "/api/v1/events/events/{event_id}/check-in": conference,
        "events_programme": conference,
        "events_register": Arguments({"event_id": w.events_open.pk}),
        "/api/v1/events/events/{event_id}/registrations": Arguments({"event_id": w.events_open.pk}),
        "events_feedback": Arguments({"event_id": w.events_past.pk}),
        "events_feedback_results": Arguments({"event_id": w.events_past.pk}),
        "/api/v1/events/events/{event_id}/feedback": Arguments({"event_id": w.events_past.pk}),
        "/api/v1/events/events/{event_id}/feedback/results": Arguments(
            {"event_id": w.events_past.pk}
        ),
        "events_registration_approve": Arguments({"registration_id": w.events_pending_seat.pk}),
        "events_registration_payment": Arguments({"registration_id": w.events_priced.pk}),
        "/api/v1/events/registrations/{registration_id}/payment": Arguments(
            {"registration_id": w.events_priced.pk}
        ),
        "/api/v1/events/registrations/{registration_id}/approval": Arguments(
            {"registration_id": w.events_pending_seat.pk}
        ),
        "events_ticket_add": conference,
        "events_question_add": conference,
        "events_session_add": conference,
        "events_speaker_add": conference,
        "events_survey_add": conference,
        "events_registrations_export": Arguments(
            {"event_id": w.events_conference.pk, "fmt": "csv"}
        ),
        "/api/v1/events/events/{event_id}/registration-form": conference,
        "events_event_edit": Arguments({"event_id": w.events_open.pk}),
        "events_event_remove": Arguments({"event_id": w.events_open.pk}),
        "events_ticket_close": Arguments(
            {"event_id": w.events_conference.pk, "part_id": w.events_ticket.pk}
        ),
        **{
            f"events_{kind}_{action}": Arguments({"event_id": event.pk, "part_id": part.pk})
            for kind, event, part in (
                ("ticket", w.events_conference, w.events_ticket),
                ("question", w.events_conference, w.events_question),
                ("speaker", w.events_conference, w.events_speaker),
                ("survey", w.events_conference, w.events_survey),
                ("session", w.events_training, w.events_session),
            )
            for action in ("edit", "remove")
        },
    }


def _count(model, **filters):
    return lambda: model.objects.filter(**filters).count()


def _value(model, pk: int, field: str):
    return lambda: getattr(model.objects.get(pk=pk), field)


def writes(w) -> dict:
    group, meeting, action = w.events_group, w.events_meeting, w.events_action
    group_form = {
        "agency": w.agency.pk, "name": "Renamed", "lead": w.manager.pk, "members": [w.rep.pk],
        "visibility": "members",
    }  # fmt: skip
    meeting_form = {
        "title": "Renamed", "kind": "group", "agency": w.agency.pk, "group": group.pk,
        "starts_at": "2030-06-03T10:00", "ends_at": "2030-06-03T11:00",
        "timezone": "Europe/Madrid", "visibility": "members",
    }  # fmt: skip
    badge = w.events_manager_seat.badge_code
    attended = lambda: sorted(w.events_session.attendees.values_list("pk", flat=True))  # noqa: E731
    checked_in = _value(Registration, w.events_manager_seat.pk, "checked_in_at")
    scheduled = _value(B2BRequest, w.events_accepted.pk, "slot")
    return {
        "POST events_group_new": Write(group_form | {"name": "New"}, _count(WorkingGroup)),
        "POST events_group_edit": Write(group_form, _value(WorkingGroup, group.pk, "name")),
        "POST events_topic_new": Write({"title": "T", "body": "B"}, _count(Topic)),
        "POST events_topic": Write({"body": "Reply"}, _count(Post)),
        "POST events_document_upload": Write(
            {"document": "", "title": "Notes", "file": SimpleUploadedFile("n.pdf", b"%PDF-1")},
            _count(DocumentVersion),
        ),
        "POST events_meeting_new": Write(meeting_form, _count(Meeting)),
        "POST events_meeting_edit": Write(meeting_form, _value(Meeting, meeting.pk, "title")),
        "POST events_rsvp": Write({"answer": "yes"}, _count(Rsvp)),
        "POST events_meeting_attendance": Write(
            {"present": [w.rep.pk]},
            lambda: list(Meeting.objects.get(pk=meeting.pk).attended.all()),
        ),
        "POST events_repeat": Write({"every_days": 7, "count": 1}, _count(Meeting)),
        "POST events_meeting_minutes": Write(
            {"minutes": "<p>Done</p>"}, _value(Meeting, meeting.pk, "minutes")
        ),
        "POST events_action_add": Write(
            {"title": "New", "owner": w.rep.pk, "due": "2030-03-30"}, _count(ActionItem)
        ),
        "POST events_decision_add": Write({"text": "Agreed"}, _count(Decision)),
        "POST /api/v1/events/meetings/{meeting_id}/decisions": Write(
            {"text": "Agreed"}, _count(Decision)
        ),
        "POST events_action_status": Write(
            {"status": "done", "meeting": meeting.pk}, _value(ActionItem, action.pk, "status")
        ),
        "POST events_my_calendar": Write(
            probe=lambda: sorted(CalendarFeed.objects.values_list("token", flat=True))
        ),
        "POST events_register": Write(probe=_count(Registration, event=w.events_open)),
        "POST events_registration_cancel": Write(
            probe=_value(Registration, w.events_seat.pk, "status")
        ),
        "POST events_feedback": Write({"rating": "4"}, _count(Feedback)),
        "POST /api/v1/events/events/{event_id}/feedback": Write({"rating": 4}, _count(Feedback)),
        "POST events_event_new": Write(
            {
                "agency": w.agency.pk,
                "kind": "training",
                "title": "Course",
                "starts_at": "2030-07-01T09:00",
                "ends_at": "2030-07-01T14:00",
                "timezone": "Europe/Madrid",
                "capacity": 20,
                "price_eur": "0",
                "visibility": "public",
                "completion_percent": 80,
                "b2b_tables": 0,
            },
            _count(Event),
        ),
        "POST events_registration_approve": Write(
            {"accept": "1"}, _value(Registration, w.events_pending_seat.pk, "status")
        ),
        "POST /api/v1/events/registrations/{registration_id}/approval": Write(
            {"accept": True}, _value(Registration, w.events_pending_seat.pk, "status")
        ),
        "POST events_ticket_add": Write({"name": "Day", "price_eur": "10"}, _count(TicketType)),
        "POST events_question_add": Write({"label": "Lunch?", "kind": "yesno"}, _count(Question)),
        "POST events_session_add": Write(
            {"title": "Talk", "starts_at": "2030-05-06T10:00", "ends_at": "2030-05-06T11:00"},
            _count(Session),
        ),
        "POST events_speaker_add": Write({"name": "Ana"}, _count(Speaker)),
        "POST events_survey_add": Write(
            {"kind": "text", "text_en": "Lunch?"}, _count(SurveyQuestion)
        ),
        "POST events_survey_edit": Write(
            {"kind": "rating", "text_en": "Renamed"},
            _value(SurveyQuestion, w.events_survey.pk, "texts"),
        ),
        "POST events_survey_remove": Write(probe=_count(SurveyQuestion)),
        "POST events_event_edit": Write(
            {
                "agency": w.agency.pk,
                "kind": "conference",
                "title": "Renamed",
                "starts_at": "2030-06-01T09:00",
                "ends_at": "2030-06-01T14:00",
                "timezone": "Europe/Madrid",
                "capacity": 100,
                "price_eur": "0",
                "visibility": "public",
                "completion_percent": 80,
                "b2b_tables": 0,
            },
            _value(Event, w.events_open.pk, "title"),
        ),
        "POST events_event_remove": Write(probe=_count(Event)),
        "POST events_registration_payment": Write(
            {"payment": "paid"}, _value(Registration, w.events_priced.pk, "payment")
        ),
        "POST /api/v1/events/registrations/{registration_id}/payment": Write(
            {"payment": "paid"}, _value(Registration, w.events_priced.pk, "payment")
        ),
        "POST events_ticket_edit": Write(
            {"name": "Renamed", "price_eur": "5"}, _value(TicketType, w.events_ticket.pk, "name")
        ),
        "POST events_ticket_remove": Write(probe=_count(TicketType)),
        "POST events_ticket_close": Write(
            probe=_value(TicketType, w.events_ticket.pk, "sales_end")
        ),
        "POST events_question_edit": Write(
            {"label": "Renamed", "kind": "text"}, _value(Question, w.events_question.pk, "label")
        ),
        "POST events_question_remove": Write(probe=_count(Question)),
        "POST events_session_edit": Write(
            {"title": "Renamed", "starts_at": "2030-04-02T09:00", "ends_at": "2030-04-02T14:00"},
            _value(Session, w.events_session.pk, "title"),
        ),
        "POST events_session_remove": Write(probe=_count(Session)),
        "POST events_speaker_edit": Write(
            {"name": "Renamed"}, _value(Speaker, w.events_speaker.pk, "name")
        ),
        "POST events_speaker_remove": Write(probe=_count(Speaker)),
        "POST events_decision_edit": Write(
            {"text": "Changed"}, _value(Decision, w.events_decision.pk, "text")
        ),
        "POST events_decision_remove": Write(probe=_count(Decision)),
        "POST events_check_in": Write({"code": badge}, checked_in, frozenset({200})),
        "POST events_attendance": Write({"present": [w.events_seat.pk]}, attended),
        "POST events_certificates_issue": Write(probe=_count(Certificate)),
        "POST events_certificate_revoke": Write(
            {"reason": "Error"}, _value(Certificate, w.events_certificate.pk, "revoked_at")
        ),
        "POST events_b2b_request": Write({"recipient": w.events_third.pk}, _count(B2BRequest)),
        "POST events_b2b_answer": Write(
            {"accept": "1"}, _value(B2BRequest, w.events_pending.pk, "status")
        ),
        "POST events_b2b_schedule": Write(probe=scheduled),
        "POST /api/v1/events/meetings/{meeting_id}/actions": Write(
            {"title": "New", "owner": "rep", "due": "2030-03-30"}, _count(ActionItem)
        ),
        "POST /api/v1/events/actions/{action_id}/status": Write(
            {"status": "done"}, _value(ActionItem, action.pk, "status")
        ),
        "POST /api/v1/events/events/{event_id}/registrations": Write(
            probe=_count(Registration, event=w.events_open)
        ),
        "POST /api/v1/events/registrations/{registration_id}/cancel": Write(
            probe=_value(Registration, w.events_seat.pk, "status")
        ),
        "PUT /api/v1/events/events/{event_id}/sessions/{session_id}/attendance": Write(
            {"present": ["rep"]}, attended
        ),
        "POST /api/v1/events/events/{event_id}/check-in": Write({"code": badge}, checked_in),
        "POST /api/v1/events/events/{event_id}/b2b-schedule": Write(probe=scheduled),
    }
