"""REST endpoints of events (docs/events.md, "API"): working groups, meetings and their action
items; events, registrations and attendance; the feedback survey; certificates' verification;
the B2B schedule.
Same rules as the pages; refusals are answered by the kernel's handlers (403, 422)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.core.api import READ_ERRORS, WRITE_ERRORS, ApiValidationError
from atclusters.core.http import ApiRequest
from atclusters.core.schemas import InputSchema
from atclusters.events import permissions, selectors, services
from atclusters.events.models import (
    ActionItem,
    Certificate,
    Decision,
    Event,
    Meeting,
    Registration,
    WorkingGroup,
)
from atclusters.registry.models import Organisation

router = Router(tags=["events"])


class GroupOut(Schema):
    id: int
    name: str
    goal: str
    agency: str
    lead: str
    members: list[str]
    clusters: list[str]
    visibility: str


def _group(group: WorkingGroup) -> dict:
    return {
        "id": group.pk, "name": group.name, "goal": group.goal, "agency": group.agency.slug,
        "lead": group.lead.get_username(),
        "members": sorted(m.get_username() for m in group.members.all()),
        "clusters": sorted(c.slug for c in group.clusters.all()),
        "visibility": group.visibility,
    }  # fmt: skip


@router.get("/events/groups", response={200: list[GroupOut], **READ_ERRORS})
def groups(request):
    """The working groups you may see."""
    chosen = permissions.visible_groups(reader(request)).prefetch_related("members", "clusters")
    return [_group(g) for g in chosen]


class ActionOut(Schema):
    id: int
    meeting: int
    title: str
    owner: str
    due: date
    status: str


def _action(action: ActionItem) -> dict:
    return {
        "id": action.pk, "meeting": action.meeting_id, "title": action.title,
        "owner": action.owner.get_username(), "due": action.due, "status": action.status,
    }  # fmt: skip


class DecisionOut(Schema):
    meeting: int
    number: int
    text: str


def _decision(decision: Decision) -> dict:
    return {"meeting": decision.meeting_id, "number": decision.number, "text": decision.text}


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    agency: str
    group: int | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    online_link: str
    agenda: list[str]
    minutes: str = Field(..., description="sanitised HTML")
    visibility: str
    actions: list[ActionOut] = Field(..., description="raised at this meeting")
    carried_over: list[ActionOut] = Field(..., description="open items of earlier meetings")
    decisions: list[DecisionOut] = Field(..., description="taken at this meeting")


def _meeting(meeting: Meeting, visible: QuerySet[Meeting]) -> dict:
    return {
        "id": meeting.pk, "title": meeting.title, "kind": meeting.kind,
        "agency": meeting.agency.slug, "group": meeting.group_id,
        "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
        "timezone": meeting.timezone, "place": meeting.place,
        "online_link": meeting.online_link, "agenda": meeting.agenda_items(),
        "minutes": meeting.minutes, "visibility": meeting.visibility,
        "actions": [_action(a) for a in meeting.actions.select_related("owner")],
        "carried_over": [
            _action(a) for a in selectors.carried_actions(meeting, among=visible)
        ],
        "decisions": [_decision(d) for d in meeting.decisions.all()],
    }  # fmt: skip


@router.get("/events/meetings", response={200: list[MeetingOut], **READ_ERRORS})
def meetings(request, group: int | None = None):
    """The meetings you may see, newest first; `group`: one working group's."""
    visible = permissions.visible_meetings(reader(request))
    chosen = visible.filter(group_id=group) if group is not None else visible
    return [_meeting(m, visible) for m in chosen[:500]]


@router.get("/events/meetings/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
def meeting(request, meeting_id: int):
    visible = permissions.visible_meetings(reader(request))
    return _meeting(get_object_or_404(visible, pk=meeting_id), visible)


class ActionIn(InputSchema):
    title: str = Field(..., max_length=300)
    owner: str = Field(..., description="username")
    due: date


@router.post(
    "/events/meetings/{meeting_id}/actions",
    response={201: ActionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def action_add(request: ApiRequest, meeting_id: int, payload: ActionIn):
    """Adds an action item (who edits the meeting)."""
    found = get_object_or_404(permissions.visible_meetings(request.auth), pk=meeting_id)
    owner = get_object_or_404(User, username=payload.owner, is_active=True)
    action = services.action_add(
        actor=request.auth, meeting=found, title=payload.title, owner=owner, due=payload.due,
        source="api",
    )  # fmt: skip
    return Status(201, _action(action))


@router.get("/events/decisions", response={200: list[DecisionOut], **READ_ERRORS})
def decisions(request, group: int | None = None, series: str = "", q: str = ""):
    """The decisions of the meetings you may see, latest meeting first: `group`, one working
    group's; `series`, one series of repeated meetings'; `q`, holding every word."""
    found = selectors.decisions(reader(request), group=group, series=series[:32], query=q[:200])
    return [_decision(d) for d in found[:500]]


class DecisionIn(InputSchema):
    text: str = Field(..., max_length=2000)


@router.post(
    "/events/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def decision_add(request: ApiRequest, meeting_id: int, payload: DecisionIn):
    """Records a decision taken at the meeting (who edits the meeting)."""
    found = get_object_or_404(permissions.visible_meetings(request.auth), pk=meeting_id)
    decision = services.decision_add(
        actor=request.auth, meeting=found, text=payload.text, source="api"
    )
    return Status(201, _decision(decision))


class StatusIn(InputSchema):
    status: ActionItem.Status


@router.post(
    "/events/actions/{action_id}/status", response={200: ActionOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def action_status(request: ApiRequest, action_id: int, payload: StatusIn):
    """Closes or reopens an action item (its owner, or who edits the meeting)."""
    meetings_seen = permissions.visible_meetings(request.auth)
    action = get_object_or_404(ActionItem.objects.filter(meeting__in=meetings_seen), pk=action_id)
    services.action_status_set(
        actor=request.auth, action=action, status=payload.status, source="api"
    )
    return _action(action)


class EventOut(Schema):
    id: int
    kind: str
    title: str
    agency: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    online_link: str
    capacity: int
    price_eur: Decimal
    languages: list[str]
    confirmed: int
    waiting: int
    registration_open: bool


def _event(event: Event) -> dict:
    return {
        "id": event.pk, "kind": event.kind, "title": event.title, "agency": event.agency.slug,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
        "place": event.place, "online_link": event.online_link, "capacity": event.capacity,
        "price_eur": event.price_eur, "languages": event.languages,
        "confirmed": event.confirmed, "waiting": event.waiting,  # type: ignore[attr-defined]
        "registration_open": event.registration_open,
    }  # fmt: skip


@router.get("/events/events", response={200: list[EventOut], **READ_ERRORS})
def events(request):
    """The upcoming conferences and trainings you may see, with their seats taken."""
    return [_event(e) for e in selectors.upcoming_events(reader(request))]


class RegistrationOut(Schema):
    id: int
    event: int
    user: str
    organisation: str | None
    status: str
    waiting_position: int | None
    sessions_attended: int
    ticket: int | None
    price_eur: Decimal | None
    payment: str = Field(..., description="unpaid | paid | refunded, as the organisers recorded it")
    answers: dict[str, str] = Field(..., description="question id → answer")


def _registration(registration: Registration) -> dict:
    return {
        "id": registration.pk, "event": registration.event_id,
        "user": registration.user.get_username(),
        "organisation": registration.organisation.slug if registration.organisation else None,
        "status": registration.status,
        "waiting_position": selectors.waiting_position(registration),
        "sessions_attended": registration.attended.count(),
        "ticket": registration.ticket_id, "price_eur": registration.price_eur,
        "payment": registration.payment, "answers": registration.answers,
    }  # fmt: skip


def _visible_event(request, event_id: int) -> Event:
    return get_object_or_404(permissions.visible_events(reader(request)), pk=event_id)


@router.get(
    "/events/events/{event_id}/registrations",
    response={200: list[RegistrationOut], **WRITE_ERRORS},
)
def registrations(request, event_id: int):
    """All registrations (the organisers) or your own."""
    found = _visible_event(request, event_id)
    chosen = found.registrations.select_related("user", "organisation")
    if not permissions.can_manage_event(reader(request), found):
        user = reader(request)
        chosen = chosen.filter(user_id=user.pk if user.is_authenticated else 0)
    return [_registration(r) for r in chosen]


class RegisterIn(InputSchema):
    organisation: str | None = Field(None, description="slug of an organisation you represent")
    ticket: int | None = Field(None, description="id of a ticket type (required when it has some)")
    answers: dict[str, str] = Field(
        default_factory=dict, description="question id → answer (registration-form)"
    )


class TicketTypeOut(Schema):
    id: int
    name: str
    price_eur: Decimal
    member_price_eur: Decimal | None
    capacity: int | None
    seats_left: int | None
    sales_end: datetime | None
    on_sale: bool
    approval: bool


class QuestionOut(Schema):
    id: int
    label: str
    kind: str
    choices: list[str]
    required: bool


class RegistrationFormOut(Schema):
    tickets: list[TicketTypeOut]
    questions: list[QuestionOut]


@router.get(
    "/events/events/{event_id}/registration-form",
    response={200: RegistrationFormOut, **READ_ERRORS},
)
def registration_form(request, event_id: int):
    """What registering asks: the ticket types (seats left, on sale) and the questions."""
    found = _visible_event(request, event_id)
    return {
        "tickets": [
            {
                "id": row["ticket"].pk,
                "name": row["ticket"].name,
                "price_eur": row["ticket"].price_eur,
                "member_price_eur": row["ticket"].member_price_eur,
                "capacity": row["ticket"].capacity,
                "seats_left": row["left"],
                "sales_end": row["ticket"].sales_end,
                "on_sale": row["on_sale"],
                "approval": row["ticket"].approval,
            }
            for row in selectors.ticket_types(found)
        ],
        "questions": [
            {
                "id": q.pk,
                "label": q.label,
                "kind": q.kind,
                "choices": q.choice_list(),
                "required": q.required,
            }
            for q in found.questions.all()
        ],
    }


@router.post(
    "/events/events/{event_id}/registrations",
    response={201: RegistrationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def register(request: ApiRequest, event_id: int, payload: RegisterIn):
    """Registers you: a seat while there is one, else the waiting list."""
    found = get_object_or_404(permissions.visible_events(request.auth), pk=event_id)
    organisation = (
        get_object_or_404(Organisation, slug=payload.organisation) if payload.organisation else None
    )
    ticket = get_object_or_404(found.ticket_types, pk=payload.ticket) if payload.ticket else None
    registration = services.registration_create(
        actor=request.auth, event=found, user=request.auth, organisation=organisation,
        ticket=ticket, answers=payload.answers, source="api",
    )  # fmt: skip
    return Status(201, _registration(registration))


@router.post(
    "/events/registrations/{registration_id}/cancel",
    response={200: RegistrationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def cancel(request: ApiRequest, registration_id: int):
    """Cancels a registration; the seat freed goes to the first waiting by a background job."""
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id
    )
    if not permissions.can_see_registration(request.auth, registration):
        raise HttpError(404, "no such registration")
    services.registration_cancel(actor=request.auth, registration=registration, source="api")
    return _registration(registration)


class ApprovalIn(InputSchema):
    accept: bool


@router.post(
    "/events/registrations/{registration_id}/approval",
    response={200: RegistrationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def approval(request: ApiRequest, registration_id: int, payload: ApprovalIn):
    """The organisers approve (a seat or the waiting list) or decline a registration awaiting
    approval."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "ticket"), pk=registration_id
    )
    if not permissions.can_see_registration(request.auth, registration):
        raise HttpError(404, "no such registration")
    services.registration_approve(
        actor=request.auth, registration=registration, accept=payload.accept, source="api"
    )
    return _registration(registration)


class PaymentIn(InputSchema):
    payment: Literal["unpaid", "paid", "refunded"]


@router.post(
    "/events/registrations/{registration_id}/payment",
    response={200: RegistrationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def payment(request: ApiRequest, registration_id: int, payload: PaymentIn):
    """The organisers record a registration's payment (no payment gateway: money moves
    elsewhere)."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "ticket"), pk=registration_id
    )
    if not permissions.can_see_registration(request.auth, registration):
        raise HttpError(404, "no such registration")
    services.registration_payment_record(
        actor=request.auth, registration=registration, payment=payload.payment, source="api"
    )
    return _registration(registration)


class CertificateOut(Schema):
    code: str
    valid: bool
    holder: str
    event: str
    issued_at: datetime
    revoked_at: datetime | None


@router.get("/events/certificates/{code}", response={200: CertificateOut, **READ_ERRORS})
def certificate(request, code: str):
    """Public: checks a certificate's code."""
    found = get_object_or_404(
        Certificate.objects.select_related("registration__user", "registration__event"),
        code=code.upper(),
    )
    user = found.registration.user
    return {
        "code": found.code, "valid": found.valid,
        "holder": user.get_full_name() or user.get_username(),
        "event": found.registration.event.title, "issued_at": found.issued_at,
        "revoked_at": found.revoked_at,
    }  # fmt: skip


class B2BMeetingOut(Schema):
    a: str
    b: str
    slot: str
    table: int


class B2BScheduleOut(Schema):
    meetings: list[B2BMeetingOut] = Field(..., description="a and b: organisation slugs")
    held: int
    requested: int
    greedy_held: int
    method: str
    seconds: float


@router.post(
    "/events/events/{event_id}/b2b-schedule",
    response={200: B2BScheduleOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def b2b_schedule(request: ApiRequest, event_id: int):
    """Schedules the accepted B2B requests (the organisers); fixed meetings keep their place."""
    found = get_object_or_404(permissions.visible_events(request.auth), pk=event_id)
    result = services.b2b_schedule(actor=request.auth, event=found, source="api")
    return selectors.b2b_schedule_document(found, result)


class AttendanceIn(InputSchema):
    present: list[str] = Field(..., description="usernames of the confirmed participants there")


class AttendanceOut(Schema):
    session: int
    present: list[str]


@router.put(
    "/events/events/{event_id}/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def attendance(request: ApiRequest, event_id: int, session_id: int, payload: AttendanceIn):
    """Who attended the session (the organisers): replaces the list."""
    found = get_object_or_404(permissions.visible_events(request.auth), pk=event_id)
    session = get_object_or_404(found.sessions, pk=session_id)
    registrations = {r.user.get_username(): r for r in found.registrations.select_related("user")}
    unknown = [name for name in payload.present if name not in registrations]
    if unknown:
        raise ApiValidationError({"present": [f"not registered: {', '.join(unknown)}"]})
    services.attendance_record(
        actor=request.auth, session=session,
        present=[registrations[name] for name in payload.present], source="api",
    )  # fmt: skip
    return {"session": session.pk, "present": sorted(payload.present)}


class CheckInIn(InputSchema):
    code: str = Field(..., max_length=40)


class CheckInOut(Schema):
    registration: int
    user: str
    name: str
    organisation: str | None
    checked_in_at: datetime


@router.post(
    "/events/events/{event_id}/check-in",
    response={200: CheckInOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def check_in(request: ApiRequest, event_id: int, payload: CheckInIn):
    """A badge scanned at the door (the organisers): 422 naming why it does not let in."""
    found = get_object_or_404(permissions.visible_events(request.auth), pk=event_id)
    registration = services.check_in(
        actor=request.auth, event=found, code=payload.code, source="api"
    )
    user = registration.user
    return {
        "registration": registration.pk, "user": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "organisation": registration.organisation.name if registration.organisation else None,
        "checked_in_at": registration.checked_in_at,
    }  # fmt: skip


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    track: str
    speakers: list[str]


@router.get("/events/events/{event_id}/programme", response={200: list[SessionOut], **READ_ERRORS})
def programme(request, event_id: int):
    """The event's sessions with rooms, tracks and speakers, in time order."""
    found = _visible_event(request, event_id)
    sessions = found.sessions.prefetch_related("speakers").order_by("starts_at", "room", "pk")
    return [
        {
            "id": s.pk,
            "title": s.title,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "room": s.room,
            "track": s.track,
            "speakers": [p.name for p in s.speakers.all()],
        }
        for s in sessions
    ]


class SurveyQuestionOut(Schema):
    id: int
    kind: str = Field(..., description="rating | single | multiple | text")
    text: str = Field(..., description="in the reader's language, else the event's first")
    choices: list[str] = Field(..., description="answered by position: 0, 1, …")
    required: bool


class FeedbackIn(InputSchema):
    rating: int = Field(..., description="overall, 1 (poor) to 5 (excellent)")
    answers: dict[str, int | list[int] | str] = Field(
        default_factory=dict,
        description="survey question id → 1–5 (rating), a choice's position (single), "
        "positions (multiple) or text",
    )
    comment: str = ""


class FeedbackOut(Schema):
    rating: int
    answers: dict[str, int | list[int] | str]
    comment: str


@router.get(
    "/events/events/{event_id}/survey", response={200: list[SurveyQuestionOut], **READ_ERRORS}
)
def survey(request, event_id: int):
    """The organisers' questions of the event's feedback survey (after the overall rating)."""
    language = get_language() or ""
    return [
        {
            "id": q.pk,
            "kind": q.kind,
            "text": q.text_in(language),
            "choices": q.choices_in(language),
            "required": q.required,
        }
        for q in _visible_event(request, event_id).survey_questions.all()
    ]


@router.post(
    "/events/events/{event_id}/feedback",
    response={201: FeedbackOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def feedback(request: ApiRequest, event_id: int, payload: FeedbackIn):
    """Answers the feedback survey: once, after the event, if you attended it."""
    found = get_object_or_404(permissions.visible_events(request.auth), pk=event_id)
    registration = get_object_or_404(found.registrations, user=request.auth)
    given = services.feedback_give(
        actor=request.auth, registration=registration, rating=payload.rating,
        answers=payload.answers, comment=payload.comment, source="api",
    )  # fmt: skip
    return Status(201, {"rating": given.rating, "answers": given.answers, "comment": given.comment})


class SurveyResultOut(Schema):
    text: str
    kind: str
    answered: int
    options: list[str]
    counts: list[int] | None = Field(..., description="per option; null when withheld")
    mean: float | None = Field(..., description="ratings; null when withheld")
    withheld: bool = Field(..., description="fewer respondents than CONFIDENTIALITY_MIN_GROUP")
    texts: list[str] = Field(..., description="free answers, alphabetical, without authors")


class SurveyResultsOut(Schema):
    respondents: int
    min_group: int
    results: list[SurveyResultOut]
    comments: list[str]


@router.get(
    "/events/events/{event_id}/feedback/results",
    response={200: SurveyResultsOut, **READ_ERRORS},
)
def feedback_results(request, event_id: int):
    """The survey's results (organisers): the overall rating first, then each question's;
    a breakdown resting on fewer respondents than the threshold is withheld."""
    found = _visible_event(request, event_id)
    if not permissions.can_manage_event(reader(request), found):
        raise HttpError(403, "for the event's organisers")
    results = selectors.survey_results(found, language=get_language() or "")
    return {
        **results,
        "results": [
            {
                "text": r.text,
                "kind": r.kind,
                "answered": r.answered,
                "options": r.options,
                "counts": r.breakdown.counts if r.breakdown else None,
                "mean": r.breakdown.mean if r.breakdown else None,
                "withheld": bool(r.breakdown and r.breakdown.withheld),
                "texts": r.texts,
            }
            for r in results["results"]
        ],
    }
