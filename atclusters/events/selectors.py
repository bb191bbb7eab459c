"""Reads of events: lists of what the user may see, a meeting's carried-over actions, counts
of seats, who completed a training, the B2B instance and partner suggestions, site search."""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atclusters.cooperation import selectors as cooperation
from atclusters.core.domains import SearchResult
from atclusters.core.permissions import AnyUser
from atclusters.events import permissions, rules, scheduling
from atclusters.events.models import (
    ActionItem,
    B2BProfile,
    B2BRequest,
    Certificate,
    Decision,
    Event,
    Feedback,
    Meeting,
    Question,
    Registration,
    Session,
    SurveyQuestion,
    TicketType,
    WorkingGroup,
)
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation


def carried_actions(
    meeting: Meeting, *, among: QuerySet[Meeting] | None = None
) -> QuerySet[ActionItem]:
    """The open action items raised at earlier meetings of the same series (the working
    group's meetings, or the meetings repeated from one another): they carry over to each next
    meeting until closed. `among`: only those raised at these meetings (the ones the reader may
    see: a members-only meeting's actions stay private on a public meeting's page)."""
    same = Q()
    if meeting.group_id is not None:
        same |= Q(meeting__group_id=meeting.group_id)
    if meeting.series:
        same |= Q(meeting__series=meeting.series)
    if not same:
        return ActionItem.objects.none()
    carried = ActionItem.objects.filter(
        same, meeting__starts_at__lt=meeting.starts_at, status=ActionItem.Status.OPEN
    ).select_related("owner", "meeting")
    return carried if among is None else carried.filter(meeting__in=among)


def decisions(
    user: AnyUser, *, group: int | None = None, series: str = "", query: str = ""
) -> QuerySet[Decision]:
    """The decisions of the meetings the user may see, newest meeting first: of one working
    group's meetings, of one series (the meetings repeated from one another), and/or whose text
    holds `query` (every word of it, in any case)."""
    found = Decision.objects.filter(meeting__in=permissions.visible_meetings(user))
    if group is not None:
        found = found.filter(meeting__group_id=group)
    if series:
        found = found.filter(meeting__series=series)
    for word in query.split()[:10]:
        found = found.filter(text__icontains=word)
    return found.select_related("meeting__group").order_by("-meeting__starts_at", "number")


def meeting_people(meeting: Meeting) -> list[User]:
    """Who is asked to the meeting: its invited people and its group's lead and members."""
    people = {*meeting.invitees.all()}
    if meeting.group is not None:
        people |= {*meeting.group.members.all(), meeting.group.lead}
    return sorted((p for p in people if p.is_active), key=lambda user: user.username)


def groups_of(user: AnyUser) -> QuerySet[WorkingGroup]:
    """The working groups the user leads or is a member of (other domains give them work:
    the watch's sources, topics and bulletins, docs/watch.md)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(
        pk__in=WorkingGroup.objects.filter(Q(lead=user) | Q(members=user)).values("pk")
    )


def group_people(group: WorkingGroup) -> list[User]:
    """The group's lead and members who are still active, by user name."""
    people = {*group.members.all(), group.lead}
    return sorted((p for p in people if p.is_active), key=lambda user: user.username)


def upcoming_meetings(user: AnyUser, *, now: datetime | None = None) -> QuerySet[Meeting]:
    return (
        permissions.visible_meetings(user)
        .filter(ends_at__gte=now or timezone.now())
        .order_by("starts_at")
    )


def upcoming_events(user: AnyUser, *, now: datetime | None = None) -> QuerySet[Event]:
    return (
        permissions.visible_events(user)
        .filter(ends_at__gte=now or timezone.now())
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
        )
        .order_by("starts_at")
    )


def open_actions_of(user: AnyUser) -> QuerySet[ActionItem]:
    if user is None or not user.is_authenticated:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN)
        .select_related("meeting")
        .order_by("due")
    )


def registrations_of(user: AnyUser) -> QuerySet[Registration]:
    if user is None or not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "certificate")
        .order_by("-event__starts_at")
    )


def certificates_of(user: AnyUser) -> QuerySet[Certificate]:
    """The user's training record: every certificate, newest course first, revoked ones too."""
    if user is None or not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(registration__user=user)
        .select_related("registration__event__agency")
        .order_by("-registration__event__starts_at")
    )


@dataclass(frozen=True)
class ProgrammeDay:
    day: date
    rooms: list[str]
    # One row per start time: the sessions of each room, in the order of `rooms`.
    rows: list[tuple[datetime, list[list[Session]]]]


def programme(event: Event) -> list[ProgrammeDay]:
    """The timetable: each local day, its rooms, and the sessions by start time and room (two
    queries, whatever the number of sessions)."""
    zone = ZoneInfo(event.timezone)
    sessions = event.sessions.prefetch_related("speakers").order_by("starts_at", "room", "pk")
    days: dict[date, dict[datetime, dict[str, list[Session]]]] = {}
    for session in sessions:
        local = session.starts_at.astimezone(zone)
        rows = days.setdefault(local.date(), {})
        rows.setdefault(local, {}).setdefault(session.room, []).append(session)
    timetable = []
    for day, rows in days.items():
        rooms = sorted({room for by_room in rows.values() for room in by_room})
        timetable.append(
            ProgrammeDay(
                day,
                rooms,
                [
                    (start, [by_room.get(room, []) for room in rooms])
                    for start, by_room in rows.items()
                ],
            )
        )
    return timetable


def survey_languages(event: Event) -> list[str]:
    """The languages the event's survey questions are written in: the event's, else the
    platform's default."""
    return list(event.languages) or [settings.LANGUAGE_CODE]


ATTENDED = Q(checked_in_at__isnull=False) | Q(attended__isnull=False)


def present(events: QuerySet[Event] | list[int]) -> QuerySet[Registration]:
    """Those who attended the events: a confirmed seat checked in at the door or present at one
    session at least — or, at an event that recorded neither for anybody, every confirmed seat.
    The one rule behind the survey's respondents, the benchmarking figures and the
    characterization report."""
    confirmed = Registration.objects.filter(event__in=events, status=Registration.Status.CONFIRMED)
    attended = confirmed.filter(ATTENDED)
    # Subqueries, not joins: one row per registration, so counts and value lists stay true.
    return confirmed.filter(
        Q(pk__in=attended.values("pk")) | ~Q(event_id__in=attended.values("event_id"))
    )


def was_present(registration: Registration) -> bool:
    """Whether the participant attended the event (`present`)."""
    return present([registration.event_id]).filter(pk=registration.pk).exists()


def feedback_due(registration: Registration | None, *, now: datetime | None = None) -> bool:
    """Whether the participant may answer the feedback survey now: the event has ended, they
    attended it and have not answered yet."""
    return (
        registration is not None
        and registration.event.ends_at <= (now or timezone.now())
        and was_present(registration)
        and not Feedback.objects.filter(registration=registration).exists()
    )


RATINGS = ["1", "2", "3", "4", "5"]


@dataclass(frozen=True)
class SurveyResult:
    """One question's results: `options` and `breakdown` for a rating or a choice; `texts`,
    the free answers without who wrote them, in alphabetical order (not the order given,
    which could tell who)."""

    text: str
    kind: str
    answered: int
    options: list[str]
    breakdown: rules.Breakdown | None
    texts: list[str]

    @property
    def rows(self) -> list[tuple[str, int]]:
        """Each option with how many chose it (none when withheld)."""
        if self.breakdown is None or self.breakdown.counts is None:
            return []
        return list(zip(self.options, self.breakdown.counts, strict=True))


def survey_results(event: Event, *, language: str) -> dict[str, Any]:
    """The feedback survey's results for the organisers: how many answered, the overall rating,
    each question's, and the comments; a rating or choice breakdown resting on fewer than
    CONFIDENTIALITY_MIN_GROUP respondents is withheld (rules.breakdown)."""
    minimum = settings.CONFIDENTIALITY_MIN_GROUP
    given = list(
        Feedback.objects.filter(registration__event=event).values_list(
            "rating", "answers", "comment"
        )
    )
    results = [
        SurveyResult(
            gettext("Overall rating (1 poor, 5 excellent)"), SurveyQuestion.Kind.RATING, len(given),
            RATINGS, rules.breakdown([r for r, _a, _c in given], options=5, min_group=minimum,
                                     rating=True), [],
        )
    ]  # fmt: skip
    for question in event.survey_questions.all():
        key = str(question.pk)
        answers = [a[key] for _r, a, _c in given if key in a]
        rating = question.kind == SurveyQuestion.Kind.RATING
        options = RATINGS if rating else question.choices_in(language)
        texts = (
            sorted(answers, key=str.casefold) if question.kind == SurveyQuestion.Kind.TEXT else []
        )
        results.append(
            SurveyResult(
                question.text_in(language), question.kind, len(answers), options,
                None if texts or not options else rules.breakdown(
                    answers, options=len(options), min_group=minimum, rating=rating
                ),
                texts,
            )
        )  # fmt: skip
    return {
        "respondents": len(given),
        "min_group": minimum,
        "results": results,
        "comments": sorted((c for _r, _a, c in given if c), key=str.casefold),
    }


def confirmed_count(event: Event, *, ticket: TicketType | None = None) -> int:
    """The seats taken at the event, or of one of its ticket types."""
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
    return (confirmed if ticket is None else confirmed.filter(ticket=ticket)).count()


def ticket_types(event: Event, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The event's ticket types with their seats taken and left (None: bounded only by the
    event) and whether they are still on sale."""
    now = now or timezone.now()
    rows = event.ticket_types.annotate(
        taken=Count("registrations", filter=Q(registrations__status="confirmed"))
    )
    return [
        {
            "ticket": ticket,
            "taken": ticket.taken,  # type: ignore[attr-defined]
            "left": None if ticket.capacity is None else max(ticket.capacity - ticket.taken, 0),  # type: ignore[attr-defined]
            "on_sale": ticket.sales_end is None or now <= ticket.sales_end,
        }
        for ticket in rows
    ]


def is_member(event: Event, organisation: Organisation | None, *, on: date) -> bool:
    """Whether the organisation is, on that day, a member of a cluster of the agency that
    organises the event (the ticket's member price applies)."""
    if organisation is None:
        return False
    return (
        Membership.objects.filter(
            organisation=organisation, cluster__agency_id=event.agency_id, since__lte=on
        )
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .exists()
    )


# The registrations' export's own columns; the participant import reads the first three.
REGISTRATION_COLUMNS = [
    "username", "organisation", "ticket", "name", "email", "status", "price_eur", "payment",
    "registered_at", "checked_in_at",
]  # fmt: skip


def question_columns(event: Event) -> dict[str, Question]:
    """The column of each of the event's questions in the registrations' export and the
    participant import: its text, numbered "(2)", "(3)"… when it would read like an earlier
    column (file headers are compared without regard to case)."""
    taken = set(REGISTRATION_COLUMNS)
    columns = {}
    for question in event.questions.all():
        column, number = question.label, 1
        while column.lower() in taken:
            number += 1
            column = f"{question.label} ({number})"
        taken.add(column.lower())
        columns[column] = question
    return columns


def registrations_table(event: Event) -> tuple[list[str], list[dict[str, Any]]]:
    """The event's registrations with their ticket, price and answers, one column per
    question (`question_columns`), for the organisers' export. `organisation` is the registry's
    slug, as the participant import reads it."""
    questions = question_columns(event)
    rows = []
    registrations = event.registrations.select_related("user", "organisation", "ticket")
    for registration in registrations.order_by("registered_at", "pk"):
        user = registration.user
        row: dict[str, Any] = {
            "username": user.get_username(), "name": user.get_full_name(), "email": user.email,
            "organisation": registration.organisation.slug if registration.organisation else "",
            "status": registration.status,
            "ticket": registration.ticket.name if registration.ticket else "",
            "price_eur": registration.price_eur,
            "payment": registration.payment if registration.price_eur else "",
            "registered_at": registration.registered_at,
            "checked_in_at": registration.checked_in_at,
        }  # fmt: skip
        for column, question in questions.items():
            row[column] = registration.answers.get(str(question.pk), "")
        rows.append(row)
    return [*REGISTRATION_COLUMNS, *questions], rows


def payments(event: Event) -> dict[str, Decimal]:
    """What the event's registrations with a price owe, have paid and were refunded (EUR), as
    the organisers recorded it: `due` counts the confirmed ones not yet paid."""
    priced = event.registrations.filter(price_eur__gt=0)
    total = {
        "due": priced.filter(
            status=Registration.Status.CONFIRMED, payment=Registration.Payment.UNPAID
        ),
        "paid": priced.filter(payment=Registration.Payment.PAID),
        "refunded": priced.filter(payment=Registration.Payment.REFUNDED),
    }
    return {
        name: rows.aggregate(sum=Sum("price_eur"))["sum"] or Decimal(0)
        for name, rows in total.items()
    }


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    waiting = registration.event.registrations.filter(status=Registration.Status.WAITING)
    ticket = registration.ticket
    if ticket is not None and ticket.capacity is not None:
        # A ticket type with its own seats: its waiting people wait for those seats.
        waiting = waiting.filter(ticket=ticket)
    return (
        waiting.filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        ).count()
        + 1
    )


def completers(event: Event) -> list[Registration]:
    """The confirmed participants who meet the training's completion rule in each of its
    modules (events/rules.py); two queries."""
    modules = dict(event.sessions.values_list("pk", "module"))
    sessions = Counter(modules.values())
    confirmed = (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("user")
        .prefetch_related("attended")
        .order_by("pk")
    )
    return [
        registration
        for registration in confirmed
        if rules.completed_modules(
            attended=Counter(modules[s.pk] for s in registration.attended.all() if s.pk in modules),
            sessions=sessions,
            percent=event.completion_percent,
        )
    ]


def module_attendance(event: Event) -> dict[int, list[tuple[str, int, int]]]:
    """For each registration of a course made of modules: (module, sessions attended, sessions)
    per module, in the order of the first session of each; empty without modules."""
    modules = dict(event.sessions.order_by("starts_at", "pk").values_list("pk", "module"))
    order = list(dict.fromkeys(modules.values()))
    if order == [""] or not order:
        return {}
    sessions = Counter(modules.values())
    found = {}
    for registration in event.registrations.prefetch_related("attended"):
        attended = Counter(modules[s.pk] for s in registration.attended.all() if s.pk in modules)
        found[registration.pk] = [(m, attended.get(m, 0), sessions[m]) for m in order]
    return found


def benchmarking_figures(*, cluster: ClusterOrganisation, year: int) -> dict[str, int | None]:
    """The benchmarking framework's event indicators (I01, I02) for `year`: `events_held` — the
    conferences and trainings the cluster organised (`Event.cluster`) that ended in the year (and
    have ended); `event_participants` — their attendances: the confirmed participants checked in
    at the door or present at one session at least, or, for an event that recorded neither, its
    confirmed participants. None for both when the cluster never organised an event here (its
    events may not be recorded on the platform: the cluster answers by hand)."""
    if not Event.objects.filter(cluster=cluster).exists():
        return {"events_held": None, "event_participants": None}
    held = _ended_in(year).filter(cluster=cluster)
    return {"events_held": held.count(), "event_participants": present(held).count()}


def _ended_in(year: int) -> QuerySet[Event]:
    return Event.objects.filter(ends_at__year=year, ends_at__lte=timezone.now())


@dataclass(frozen=True)
class Participation:
    """The cluster's people present at one kind of event of the year: its managers and those who
    came for an organisation that was a member of the cluster on the day the event ended."""

    events: int
    people: int
    organisations: int  # member organisations they came for
    certificates: int  # valid certificates they earned (trainings)


@dataclass(frozen=True)
class OrganisedEvent:
    title: str
    kind: str
    ended: date
    participants: int  # present (`present`)


@dataclass(frozen=True)
class ReportSection:
    """The cluster's year in events, as its characterization report shows it."""

    meetings: list[tuple[str, int]]  # meetings held, by kind
    meetings_attended: int  # of those, with one of its managers present
    organised: list[OrganisedEvent]  # its own conferences and trainings the reader may see
    organised_total: int
    trainings: Participation
    conferences: Participation
    b2b_meetings: int  # scheduled at the year's conferences with the cluster's people

    @property
    def meetings_held(self) -> int:
        return sum(count for _kind, count in self.meetings)

    @property
    def empty(self) -> bool:
        return not (
            self.meetings_held or self.organised_total or self.trainings.events
            or self.conferences.events or self.b2b_meetings
        )  # fmt: skip


def report_section(*, cluster: ClusterOrganisation, year: int, user: AnyUser) -> ReportSection:
    """The events section of the cluster's characterization report for `year` (the benchmarking
    domain's report reads it through here): the meetings the cluster took part in (of a working
    group it belongs to, or with one of its managers invited) held in the year, by kind, and how
    many one of its managers attended; its own conferences and trainings that ended in the year
    with their participants; its people's participation in the year's trainings (with the
    certificates they earned) and conferences; their B2B meetings scheduled there."""
    now = timezone.now()
    managers = list(cluster.managers.values_list("pk", flat=True))
    taken_part = Meeting.objects.filter(starts_at__year=year, ends_at__lte=now).filter(
        Q(group__clusters=cluster) | Q(invitees__in=managers)
    )
    meetings = Meeting.objects.filter(pk__in=taken_part.values("pk"))
    kinds = dict(Meeting.Kind.choices)
    by_kind = Counter(meetings.values_list("kind", flat=True))
    ended = _ended_in(year)
    own = ended.filter(cluster=cluster).order_by("ends_at")
    counts = Counter(present(own).values_list("event_id", flat=True))
    visible = set(permissions.visible_events(user).filter(pk__in=own).values_list("pk", flat=True))
    members = list(
        Membership.objects.filter(cluster=cluster).values_list("organisation_id", "since", "until")
    )

    def ours(registration: Registration) -> bool:
        if registration.user_id in managers:
            return True
        day = registration.event.ends_at.date()
        return any(
            organisation == registration.organisation_id
            and since <= day
            and (until is None or until >= day)
            for organisation, since, until in members
        )

    people = [r for r in present(ended).select_related("event") if ours(r)]

    def participation(kind: str) -> Participation:
        of_kind = [r for r in people if r.event.kind == kind]
        return Participation(
            events=len({r.event_id for r in of_kind}),
            people=len({r.user_id for r in of_kind}),
            organisations=len({r.organisation_id for r in of_kind if r.organisation_id}),
            certificates=Certificate.objects.filter(
                registration__in=[r.pk for r in of_kind], revoked_at__isnull=True
            ).count(),
        )

    profiles = B2BProfile.objects.filter(registration__in=[r.pk for r in people])
    return ReportSection(
        meetings=[(str(kinds[kind]), by_kind[kind]) for kind in kinds if by_kind[kind]],
        meetings_attended=meetings.filter(
            pk__in=Meeting.objects.filter(attended__in=managers).values("pk")
        ).count(),
        organised=[
            OrganisedEvent(e.title, str(e.get_kind_display()), e.ends_at.date(), counts[e.pk])
            for e in own
            if e.pk in visible
        ],
        organised_total=own.count(),
        trainings=participation(Event.Kind.TRAINING),
        conferences=participation(Event.Kind.CONFERENCE),
        b2b_meetings=B2BRequest.objects.filter(
            Q(requester__in=profiles) | Q(recipient__in=profiles),
            status=B2BRequest.Status.ACCEPTED, table__isnull=False,
        ).distinct().count(),
    )  # fmt: skip


# B2B


def b2b_profiles(event: Event) -> QuerySet[B2BProfile]:
    return B2BProfile.objects.filter(
        registration__event=event, registration__status=Registration.Status.CONFIRMED
    ).select_related("organisation", "registration__user")


def b2b_instance(
    event: Event,
) -> tuple[scheduling.Instance, list[scheduling.Meeting], list[B2BRequest]]:
    """The conference's accepted requests as a scheduling instance (participants keyed by
    their profile's id), the meetings already scheduled (fixed) and the requests."""
    profiles = {str(p.pk): frozenset(p.available) for p in b2b_profiles(event)}
    requests = [
        request
        for request in event.b2b_requests.filter(status=B2BRequest.Status.ACCEPTED).order_by(
            "created_at", "pk"
        )
        if str(request.requester_id) in profiles and str(request.recipient_id) in profiles
    ]
    instance = scheduling.Instance(
        slots=tuple(event.b2b_slots),
        tables=event.b2b_tables,
        available=profiles,
        requests=tuple(
            scheduling.Request(str(r.requester_id), str(r.recipient_id)) for r in requests
        ),
    )
    fixed = [
        scheduling.Meeting(str(r.requester_id), str(r.recipient_id), r.slot, r.table)
        for r in requests
        if r.slot and r.table and r.slot in event.b2b_slots
    ]
    return instance, fixed, requests


def b2b_schedule_document(event: Event, result: scheduling.Result) -> dict[str, Any]:
    """The scheduler's answer with each participant named by their organisation's slug."""
    names = {str(p.pk): p.organisation.slug for p in b2b_profiles(event)}
    document = result.document()
    for meeting in document["meetings"]:
        meeting["a"], meeting["b"] = names[meeting["a"]], names[meeting["b"]]
    return document


def b2b_schedule_of(profile: B2BProfile) -> QuerySet[B2BRequest]:
    """The participant's scheduled meetings, by slot."""
    return (
        B2BRequest.objects.filter(Q(requester=profile) | Q(recipient=profile))
        .filter(status=B2BRequest.Status.ACCEPTED)
        .exclude(slot="")
        .select_related("requester__organisation", "recipient__organisation")
        .order_by("slot", "table")
    )


@dataclass(frozen=True)
class B2BMeeting:
    """A scheduled B2B meeting as it appears in a participant's calendar."""

    pk: int
    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    table: int


def _slot_lengths(event: Event) -> dict[str, timedelta]:
    """Each slot's length: until the next slot; 20 minutes for the last one, and for one
    followed by a break (a gap of more than an hour)."""
    slots = sorted(event.b2b_slots, key=datetime.fromisoformat)
    lengths = {}
    for slot, following in zip(slots, [*slots[1:], None], strict=True):
        gap = (
            datetime.fromisoformat(following) - datetime.fromisoformat(slot)
            if following
            else timedelta(hours=2)
        )
        lengths[slot] = gap if gap <= timedelta(hours=1) else timedelta(minutes=20)
    return lengths


def b2b_agenda(user: User, *, event: Event | None = None) -> list[B2BMeeting]:
    """The user's scheduled B2B meetings (of one conference, or all), by time."""
    requests = (
        B2BRequest.objects.filter(status=B2BRequest.Status.ACCEPTED)
        .exclude(slot="")
        .filter(
            Q(requester__registration__user=user, requester__registration__status="confirmed")
            | Q(recipient__registration__user=user, recipient__registration__status="confirmed")
        )
        .select_related("event", "requester__organisation", "recipient__organisation",
                        "requester__registration")
    )  # fmt: skip
    if event is not None:
        requests = requests.filter(event=event)
    agenda = []
    for request in requests:
        try:
            start = datetime.fromisoformat(request.slot)
        except ValueError:
            continue
        mine = request.requester.registration.user_id == user.pk
        other = (request.recipient if mine else request.requester).organisation
        agenda.append(
            B2BMeeting(
                pk=request.pk,
                event_id=request.event_id,
                title=gettext("B2B meeting with %(name)s") % {"name": other.name},
                starts_at=start,
                ends_at=start + _slot_lengths(request.event)[request.slot],
                place=request.event.place,
                table=request.table or 0,
            )
        )
    return sorted(agenda, key=lambda meeting: meeting.starts_at)


@dataclass(frozen=True)
class Suggestion:
    profile: B2BProfile
    score: float
    reasons: list[str]


def b2b_suggestions(profile: B2BProfile, *, top: int = 5) -> list[Suggestion]:
    """Whom to meet at the conference: the other participants' organisations ranked by the
    cooperation domain's matching engine, with its reasons (docs/cooperation.md)."""
    others = {
        cooperation.organisation_key(p.organisation.slug): p
        for p in b2b_profiles(profile.registration.event).exclude(pk=profile.pk)
        if p.organisation_id != profile.organisation_id
    }
    if not others:
        return []
    index = cooperation.matching_index()
    query = cooperation.query_profile(
        index, kind="organisation", identifier=profile.organisation.slug
    )
    if query is None:
        return []
    matches = index.match(query, top=len(index.profiles))
    chosen = [m for m in matches if m.key in others and m.score > 0][:top]
    names = cooperation.reader_names()
    return [
        Suggestion(others[m.key], m.score, [cooperation.reason_text(r, names) for r in m.reasons])
        for m in chosen
    ]


def event_json_ld(event: Event, *, url: str) -> str:
    """schema.org `Event` of a public event, safe inside a <script> element."""
    location: dict[str, Any]
    if event.online_link and not event.place:
        location = {"@type": "VirtualLocation", "url": event.online_link}
    else:
        location = {"@type": "Place", "name": event.place or event.agency.name}
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.starts_at.astimezone(ZoneInfo(event.timezone)).isoformat(),
        "endDate": event.ends_at.astimezone(ZoneInfo(event.timezone)).isoformat(),
        "eventAttendanceMode": "https://schema.org/"
        + ("OnlineEventAttendanceMode" if "VirtualLocation" in location.values()
           else "OfflineEventAttendanceMode"),
        "eventStatus": "https://schema.org/EventScheduled",
        "location": location,
        "organizer": {"@type": "Organization", "name": event.agency.name},
        "maximumAttendeeCapacity": event.capacity,
        "offers": {"@type": "Offer", "price": str(event.price_eur), "priceCurrency": "EUR"},
        "inLanguage": event.languages,
        "url": url,
    }  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def public_calendar(*, now: datetime | None = None) -> QuerySet[Event]:
    """The public events of the last month on, for the public calendar (.ics)."""
    since = (now or timezone.now()) - timedelta(days=30)
    return Event.objects.filter(visibility="public", ends_at__gte=since).order_by("starts_at")


def personal_calendar(
    user: User, *, now: datetime | None = None
) -> list[Meeting | Event | B2BMeeting]:
    """What the user's calendar feed holds, from a month ago on: the events they registered
    for (a seat or the waiting list), their scheduled B2B meetings, and the meetings they are
    invited to or whose group they belong to."""
    since = (now or timezone.now()) - timedelta(days=30)
    events = Event.objects.filter(
        ends_at__gte=since, registrations__user=user,
        registrations__status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
    )  # fmt: skip
    mine = Q(invitees=user) | Q(group__members=user) | Q(group__lead=user)
    meetings = Meeting.objects.filter(mine, ends_at__gte=since).distinct()
    b2b = [meeting for meeting in b2b_agenda(user) if meeting.ends_at >= since]
    return sorted([*events, *meetings, *b2b], key=lambda item: item.starts_at)


def site_search(*, user: AnyUser, query: str, limit: int) -> list[SearchResult]:
    """Events, working groups and meetings the user may see, by title or name."""
    events = permissions.visible_events(user).filter(title__icontains=query)[:limit]
    groups = permissions.visible_groups(user).filter(name__icontains=query)[:limit]
    meetings = permissions.visible_meetings(user).filter(title__icontains=query)[:limit]
    taken = decisions(user, query=query)[:limit]
    return [
        *(SearchResult(e.title, reverse("events_event", args=[e.pk]), _("event")) for e in events),
        *(
            SearchResult(g.name, reverse("events_group", args=[g.pk]), _("working group"))
            for g in groups
        ),
        *(
            SearchResult(m.title, reverse("events_meeting", args=[m.pk]), _("meeting"))
            for m in meetings
        ),
        *(
            SearchResult(
                f"{d.meeting.title} #{d.number}",
                reverse("events_meeting", args=[d.meeting_id]) + f"#decision-{d.number}",
                _("decision"),
                Truncator(d.text).chars(160),
            )
            for d in taken
        ),
    ]
