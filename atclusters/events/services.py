"""Every write of events, audited (docs/events.md). `actor=None` is the trusted command line."""

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atclusters.core import documents
from atclusters.core.audit import audited, audited_create
from atclusters.core.errors import DomainError
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.core.selectors import user_language
from atclusters.core.services import email_queue
from atclusters.core.text import sanitise_html
from atclusters.events import permissions, rules, scheduling, selectors
from atclusters.events.models import (
    ActionItem,
    B2BProfile,
    B2BRequest,
    CalendarFeed,
    Certificate,
    Decision,
    DocumentVersion,
    Event,
    Feedback,
    GroupDocument,
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
    Visibility,
    WorkingGroup,
)
from atclusters.registry.models import ClusterOrganisation, Organisation


def _required(field: str, value: str) -> str:
    if not value.strip():
        raise DomainError(field, _("is required"))
    return value.strip()


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError("timezone", _("is not a known time zone")) from error
    return value


def _span(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError("starts_at", _("needs a time zone"))
    if ends_at <= starts_at:
        raise DomainError("ends_at", _("must be after the start"))


def _web_address(value: str) -> str:
    """Only web addresses: a `javascript:` link would run in the reader's page."""
    value = value.strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise DomainError("online_link", _("must be an http(s) address"))
    return value


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise DomainError("visibility", _("is not a known visibility"))
    return value


# Working groups and meetings


def group_save(
    *, actor: AnyUser, agency: Agency, name: str, goal: str, lead: User,
    members: Sequence[User] = (), agencies: Sequence[Agency] = (),
    clusters: Sequence[ClusterOrganisation] = (), visibility: str = Visibility.MEMBERS,
    group: WorkingGroup | None = None, source: str = "web",
) -> WorkingGroup:  # fmt: skip
    """Creates (agency staff) or changes (them and the lead) a working group; the lead is
    always one of its members."""
    if group is None:
        if not permissions.can_convene(actor, agency):
            raise PermissionDenied
        group = WorkingGroup(agency=agency)
    elif not permissions.can_edit_group(actor, group):
        raise PermissionDenied
    with audited(group, actor=actor, source=source):
        group.name = _required("name", name)[:200]
        group.goal = goal.strip()
        group.lead = lead
        group.visibility = _visibility(visibility)
        group.save()
        group.members.set({*members, lead})
        group.agencies.set(agencies)
        group.clusters.set(clusters)
    return group


def meeting_save(
    *, actor: AnyUser, agency: Agency, title: str, starts_at: datetime, ends_at: datetime,
    tz: str = "Europe/Madrid", group: WorkingGroup | None = None,
    kind: str = Meeting.Kind.GROUP, place: str = "", online_link: str = "", agenda: str = "",
    visibility: str = Visibility.MEMBERS, invitees: Sequence[User] = (),
    invite_clusters: Sequence[ClusterOrganisation] = (),
    invite_groups: Sequence[WorkingGroup] = (), meeting: Meeting | None = None,
    source: str = "web",
) -> Meeting:  # fmt: skip
    """Creates or changes a meeting: the agency's staff, or the lead of its working group.
    Inviting a cluster invites its managers; inviting a group, its lead and members."""
    if meeting is None:
        meeting = Meeting(agency=agency)
        allowed = permissions.can_convene(actor, agency) or (
            group is not None and permissions.can_edit_group(actor, group)
        )
    else:
        allowed = permissions.can_edit_meeting(actor, meeting)
    if not allowed:
        raise PermissionDenied
    if group is not None and group.agency_id != agency.pk:
        raise DomainError("group", _("belongs to another agency"))
    if kind not in Meeting.Kind.values:
        raise DomainError("kind", _("is not a known kind of meeting"))
    _span(starts_at, ends_at)
    with audited(meeting, actor=actor, source=source):
        meeting.title = _required("title", title)[:200]
        meeting.group, meeting.kind = group, kind
        meeting.starts_at, meeting.ends_at, meeting.timezone = starts_at, ends_at, _zone(tz)
        meeting.place, meeting.online_link = place.strip()[:300], _web_address(online_link)
        meeting.agenda, meeting.visibility = agenda.strip(), _visibility(visibility)
        meeting.save()
        people = {*invitees}
        for cluster in invite_clusters:
            people |= {*cluster.managers.all()}
        for invited in invite_groups:
            people |= {*invited.members.all(), invited.lead}
        meeting.invitees.set(people)
    return meeting


def meeting_repeat(
    *, actor: AnyUser, meeting: Meeting, every_days: int, count: int, source: str = "web"
) -> list[Meeting]:
    """`count` more meetings like this one (title, place, link, agenda, invited people), every
    `every_days` days after it at the same local time, in its series: open action items carry
    over along it."""
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    if not 1 <= every_days <= 366:
        raise DomainError("every_days", _("must be between 1 and 366"))
    if not 1 <= count <= 24:
        raise DomainError("count", _("must be between 1 and 24"))
    zone = ZoneInfo(meeting.timezone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    made = []
    with transaction.atomic():
        if not meeting.series:
            with audited(meeting, actor=actor, source=source):
                meeting.series = secrets.token_hex(8)
                meeting.save(update_fields=["series"])
        invitees = list(meeting.invitees.all())
        for number in range(1, count + 1):
            # Local wall-clock arithmetic: 10:00 stays 10:00 across a change to summer time.
            shift = timedelta(days=every_days * number)
            copy = Meeting(
                agency=meeting.agency, group=meeting.group, kind=meeting.kind,
                title=meeting.title, timezone=meeting.timezone, place=meeting.place,
                online_link=meeting.online_link, agenda=meeting.agenda,
                visibility=meeting.visibility, series=meeting.series,
                starts_at=(start.replace(tzinfo=None) + shift).replace(tzinfo=zone),
                ends_at=(end.replace(tzinfo=None) + shift).replace(tzinfo=zone),
            )  # fmt: skip
            with audited(copy, actor=actor, source=source):
                copy.save()
                copy.invitees.set(invitees)
            made.append(copy)
    return made


def rsvp_answer(*, actor: User, meeting: Meeting, answer: str, source: str = "web") -> Rsvp:
    """An invited person's (or group member's) answer; a new answer replaces the old."""
    if not permissions.is_asked(actor, meeting):
        raise PermissionDenied
    if answer not in Rsvp.Answer.values:
        raise DomainError("answer", _("is not a known answer"))
    rsvp = Rsvp.objects.filter(meeting=meeting, user=actor).first() or Rsvp(
        meeting=meeting, user=actor
    )
    with audited(rsvp, actor=actor, source=source):
        rsvp.answer = answer
        rsvp.save()
    return rsvp


def meeting_attendance_record(
    *, actor: AnyUser, meeting: Meeting, present: Sequence[User], source: str = "web"
) -> None:
    """Who of the people asked to the meeting was there."""
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    with audited(meeting, actor=actor, source=source):
        meeting.attended.set(present)


def meeting_minutes_save(
    *, actor: AnyUser, meeting: Meeting, minutes: str, source: str = "web"
) -> Meeting:
    """The minutes, rich text kept to harmless tags (core.text)."""
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    with audited(meeting, actor=actor, source=source):
        meeting.minutes = sanitise_html(minutes)
        meeting.save(update_fields=["minutes"])
    return meeting


def action_add(
    *, actor: AnyUser, meeting: Meeting, title: str, owner: User, due: date, source: str = "web"
) -> ActionItem:
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    return audited_create(
        ActionItem(meeting=meeting, title=_required("title", title)[:300], owner=owner, due=due),
        actor=actor,
        source=source,
    )


def decision_add(*, actor: AnyUser, meeting: Meeting, text: str, source: str = "web") -> Decision:
    """Records a decision taken at the meeting, numbered in the meeting's order (1, 2, …):
    whoever edits the meeting."""
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    text = _decision_text(text)
    with transaction.atomic():
        # The meeting's row locked: two decisions recorded at once never get the same number.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
        decision = Decision(
            meeting=meeting, number=number, text=text,
            recorded_by=actor if isinstance(actor, User) else None,
        )  # fmt: skip
        return audited_create(decision, actor=actor, source=source)


def decision_change(
    *, actor: AnyUser, decision: Decision, text: str, source: str = "web"
) -> Decision:
    """Corrects a decision's wording (whoever edits the meeting); it keeps its number."""
    if not permissions.can_edit_meeting(actor, decision.meeting):
        raise PermissionDenied
    with audited(decision, actor=actor, source=source):
        decision.text = _decision_text(text)
        decision.save(update_fields=["text"])
    return decision


def decision_remove(*, actor: AnyUser, decision: Decision, source: str = "web") -> None:
    """Removes a decision recorded by mistake; the others keep their numbers (links to
    `#decision-N` stay right), and the next one recorded takes the number after the last."""
    if not permissions.can_edit_meeting(actor, decision.meeting):
        raise PermissionDenied
    with audited(decision, actor=actor, source=source):
        decision.delete()


def _decision_text(text: str) -> str:
    text = _required("text", text)
    if len(text) > 2000:
        raise DomainError("text", _("is longer than 2,000 characters"))
    return text


def action_status_set(
    *, actor: AnyUser, action: ActionItem, status: str, source: str = "web"
) -> ActionItem:
    """Closes (done, dropped) or reopens an action item: its owner or whoever edits the
    meeting. An open item carries over to the group's next meetings until closed."""
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise DomainError("status", _("is not a known status"))
    with audited(action, actor=actor, source=source):
        action.status = status
        action.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
        action.save(update_fields=["status", "closed_at"])
    return action


# A working group's discussion

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def topic_create(
    *, actor: User, group: WorkingGroup, title: str, body: str, source: str = "web"
) -> Topic:
    """A new discussion thread of the group with its first message."""
    if not permissions.can_discuss(actor, group):
        raise PermissionDenied
    with transaction.atomic():
        topic = audited_create(
            Topic(group=group, title=_required("title", title)[:200], created_by=actor),
            actor=actor,
            source=source,
        )
        post_add(actor=actor, topic=topic, body=body, source=source)
    return topic


def post_add(*, actor: User, topic: Topic, body: str, source: str = "web") -> Post:
    """A message in the thread, kept to harmless HTML; each member of the group it mentions
    (@username) is emailed."""
    group = topic.group
    if not permissions.can_discuss(actor, group):
        raise PermissionDenied
    clean = sanitise_html(body)
    if not clean:
        raise DomainError("body", _("is required"))
    if len(clean) > 20_000:
        raise DomainError("body", _("is longer than 20,000 characters"))
    post = audited_create(Post(topic=topic, author=actor, body=clean), actor=actor, source=source)
    names = set(MENTION.findall(body))
    people = {*group.members.all(), group.lead}
    for person in sorted(people, key=lambda user: user.pk):
        if person.username in names and person.pk != actor.pk and person.email:
            with translation.override(user_language(person)):
                values = {
                    "who": actor.get_full_name() or actor.username,
                    "topic": topic.title,
                    "link": _link("events_topic", topic.pk),
                }
                email_queue(
                    message=EmailMessage(
                        subject=_("%(who)s mentioned you in “%(topic)s”") % values,
                        body=_("%(who)s mentioned you in “%(topic)s”:\n\n%(link)s\n") % values,
                        to=[person.email],
                    )
                )
    return post


def document_upload(
    *, actor: User, group: WorkingGroup, upload: UploadedFile, title: str = "",
    document: GroupDocument | None = None, note: str = "", source: str = "web",
) -> DocumentVersion:  # fmt: skip
    """A new document of the group, or a new version of one of its documents (the earlier
    versions stay downloadable). Those who take part in the discussion upload."""
    if not permissions.can_discuss(actor, group):
        raise PermissionDenied
    if document is not None and document.group_id != group.pk:
        raise DomainError("document", _("belongs to another working group"))
    return documents.version_upload(  # type: ignore[return-value]
        actor=actor, upload=upload, document=document, title=title, note=note, source=source,
        new_document=lambda name: GroupDocument(group=group, title=name),
    )  # fmt: skip


# Conferences and trainings


def event_save(
    *, actor: AnyUser, agency: Agency, kind: str, title: str, starts_at: datetime,
    ends_at: datetime, capacity: int, tz: str = "Europe/Madrid", description: str = "",
    place: str = "", online_link: str = "", visibility: str = Visibility.PUBLIC,
    organisers: Sequence[User] = (), completion_percent: int = 80,
    b2b_slots: Sequence[str] = (), b2b_tables: int = 0, price_eur: Decimal = Decimal(0),
    languages: Sequence[str] = (), cluster: ClusterOrganisation | None = None,
    registration_open: bool = True, event: Event | None = None, source: str = "web",
) -> Event:  # fmt: skip
    """Creates (the agency's staff) or changes (them and its organisers) a conference or a
    training of the agency; `cluster`: the agency's cluster that organises it with the agency
    (the event counts in its benchmarking indicators). A change keeps what was given on the
    strength of the event: no fewer seats than are taken, no session outside its dates, no B2B
    slot removed that holds a meeting; seats added go to the waiting list (by a background job)."""
    if event is None:
        if not permissions.can_convene(actor, agency):
            raise PermissionDenied
        event = Event(agency=agency)
    elif not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if cluster is not None and cluster.agency_id != event.agency_id:
        raise DomainError("cluster", _("belongs to another agency"))
    if kind not in Event.Kind.values:
        raise DomainError("kind", _("is not a known kind of event"))
    _span(starts_at, ends_at)
    if capacity < 1:
        raise DomainError("capacity", _("must be at least 1"))
    if not 0 < completion_percent <= 100:
        raise DomainError("completion_percent", _("must be between 1 and 100"))
    if price_eur < 0:
        raise DomainError("price_eur", _("must not be negative"))
    unknown = [code for code in languages if code not in dict(settings.LANGUAGES)]
    if unknown:
        raise DomainError("languages", _("unknown language %(code)s") % {"code": unknown[0]})
    if len(set(b2b_slots)) != len(b2b_slots):
        raise DomainError("b2b_slots", _("has a slot twice"))
    with transaction.atomic():
        grown = False
        if event.pk is not None:
            event = _locked(event)
            _event_change_allowed(event, starts_at, ends_at, capacity, b2b_slots)
            grown = capacity > event.capacity or (registration_open and not event.registration_open)
        with audited(event, actor=actor, source=source):
            event.kind, event.title = kind, _required("title", title)[:200]
            event.description, event.starts_at, event.ends_at = (
                description.strip(),
                starts_at,
                ends_at,
            )
            event.timezone, event.place = _zone(tz), place.strip()[:300]
            event.online_link, event.capacity = _web_address(online_link), capacity
            event.visibility = _visibility(visibility)
            event.completion_percent, event.price_eur = completion_percent, price_eur
            event.b2b_slots, event.b2b_tables = list(b2b_slots), b2b_tables
            event.languages, event.cluster = list(languages), cluster
            event.registration_open = registration_open
            event.save()
            event.organisers.set(organisers)
        if grown:
            _promote_later(event)
    return event


def _event_change_allowed(
    event: Event, starts_at: datetime, ends_at: datetime, capacity: int, b2b_slots: Sequence[str]
) -> None:
    taken = selectors.confirmed_count(event)
    if capacity < taken:
        raise DomainError(
            "capacity", _("%(count)s people have a seat: it cannot be fewer") % {"count": taken}
        )
    if event.sessions.filter(Q(starts_at__lt=starts_at) | Q(ends_at__gt=ends_at)).exists():
        raise DomainError("starts_at", _("a session lies outside these dates"))
    held = set(event.b2b_requests.exclude(slot="").values_list("slot", flat=True)) - set(b2b_slots)
    if held:
        raise DomainError(
            "b2b_slots", _("meetings are scheduled in %(slot)s") % {"slot": sorted(held)[0]}
        )


def event_remove(*, actor: AnyUser, event: Event, source: str = "web") -> None:
    """Removes an event nobody registered for, with its programme, tickets and questions (the
    agency's staff). One with registrations stays: close its registration instead."""
    if not permissions.can_convene(actor, event.agency):
        raise PermissionDenied
    if event.registrations.exists():
        raise DomainError("event", _("people registered for it: close its registration instead"))
    with audited(event, actor=actor, source=source):
        event.delete()


EventPart = Speaker | Session | TicketType | Question | SurveyQuestion


def _part_of(event: Event, part: EventPart | None) -> None:
    if part is not None and part.event_id != event.pk:
        raise DomainError("event", _("belongs to another event"))


def speaker_save(
    *, actor: AnyUser, event: Event, name: str, affiliation: str = "", bio: str = "",
    speaker: Speaker | None = None, source: str = "web",
) -> Speaker:  # fmt: skip
    """Adds or changes a speaker or trainer of the event (its organisers)."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _part_of(event, speaker)
    speaker = speaker or Speaker(event=event)
    with audited(speaker, actor=actor, source=source):
        speaker.name = _required("name", name)[:200]
        speaker.affiliation, speaker.bio = affiliation.strip()[:200], bio.strip()[:5000]
        speaker.save()
    return speaker


def _part_remove(
    *, actor: AnyUser, part: EventPart,
    blocked: Callable[[], bool] | None = None, field: str = "", refusal: str = "",
    source: str,
) -> None:  # fmt: skip
    """Removes what the organisers added to an event, unless `blocked()`: then `refusal`
    says why on `field`."""
    if not permissions.can_manage_event(actor, part.event):
        raise PermissionDenied
    if blocked is not None and blocked():
        raise DomainError(field, refusal)
    with audited(part, actor=actor, source=source):
        part.delete()


def speaker_remove(*, actor: AnyUser, speaker: Speaker, source: str = "web") -> None:
    """Removes a speaker; the sessions stay, without them."""
    _part_remove(actor=actor, part=speaker, source=source)


def session_save(
    *, actor: AnyUser, event: Event, title: str, starts_at: datetime, ends_at: datetime,
    room: str = "", track: str = "", module: str = "", speakers: Sequence[Speaker] = (),
    session: Session | None = None, source: str = "web",
) -> Session:  # fmt: skip
    """Adds or changes a session of the event's programme; it lies within the event, its
    speakers are the event's."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _part_of(event, session)
    _span(starts_at, ends_at)
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise DomainError("starts_at", _("lies outside the event's dates"))
    if any(speaker.event_id != event.pk for speaker in speakers):
        raise DomainError("speakers", _("speaks at another event"))
    session = session or Session(event=event)
    with audited(session, actor=actor, source=source):
        session.title, session.starts_at, session.ends_at = (
            _required("title", title)[:200],
            starts_at,
            ends_at,
        )
        session.room, session.track = room.strip()[:100], track.strip()[:100]
        session.module = module.strip()[:100]
        session.save()
        session.speakers.set(speakers)
    return session


def session_remove(*, actor: AnyUser, session: Session, source: str = "web") -> None:
    """Removes a session at which no attendance was taken (attendance decides certificates)."""
    _part_remove(
        actor=actor, part=session, blocked=session.attendees.exists, field="session",
        refusal=_("attendance was taken at it"), source=source,
    )  # fmt: skip


def ticket_type_save(
    *, actor: AnyUser, event: Event, name: str, price_eur: Decimal = Decimal(0),
    capacity: int | None = None, member_price_eur: Decimal | None = None,
    sales_end: datetime | None = None, approval: bool = False, ticket: TicketType | None = None,
    source: str = "web",
) -> TicketType:  # fmt: skip
    """Adds or changes a kind of ticket of the event (its organisers): once it has one,
    registering asks for one. A change of price holds for those who register after it (each
    registration keeps the price it was given); seats added go to the waiting list."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _part_of(event, ticket)
    if price_eur < 0:
        raise DomainError("price_eur", _("must not be negative"))
    if member_price_eur is not None and member_price_eur < 0:
        raise DomainError("member_price_eur", _("must not be negative"))
    if capacity is not None and capacity < 1:
        raise DomainError("capacity", _("must be at least 1"))
    if sales_end is not None and timezone.is_naive(sales_end):
        raise DomainError("sales_end", _("needs a time zone"))
    with transaction.atomic():
        grown = False
        if ticket is not None:
            _locked(event)
            taken = selectors.confirmed_count(event, ticket=ticket)
            if capacity is not None and capacity < taken:
                raise DomainError(
                    "capacity",
                    _("%(count)s people have a seat: it cannot be fewer") % {"count": taken},
                )
            grown = ticket.capacity is not None and (capacity is None or capacity > ticket.capacity)
        ticket = ticket or TicketType(event=event)
        with audited(ticket, actor=actor, source=source):
            ticket.name, ticket.capacity = _required("name", name)[:100], capacity
            ticket.price_eur, ticket.member_price_eur = price_eur, member_price_eur
            ticket.sales_end, ticket.approval = sales_end, approval
            ticket.save()
        if grown:
            _promote_later(event)
    return ticket


def ticket_type_remove(*, actor: AnyUser, ticket: TicketType, source: str = "web") -> None:
    """Removes a ticket type nobody registered with; one with registrations is only closed
    (`ticket_type_close`), so their ticket and price stay on record."""
    _part_remove(
        actor=actor, part=ticket, blocked=ticket.registrations.exists, field="ticket",
        refusal=_("people registered with it: close its sale instead"), source=source,
    )  # fmt: skip


def ticket_type_close(
    *, actor: AnyUser, ticket: TicketType, now: datetime | None = None, source: str = "web"
) -> TicketType:
    """Ends the ticket's sale now; those who have it keep it."""
    if not permissions.can_manage_event(actor, ticket.event):
        raise PermissionDenied
    with audited(ticket, actor=actor, source=source):
        ticket.sales_end = now or timezone.now()
        ticket.save(update_fields=["sales_end"])
    return ticket


def _answered(question: Question) -> set[str]:
    """The answers given to the question."""
    key = str(question.pk)
    return {
        str(answers[key])
        for answers in question.event.registrations.filter(answers__has_key=key).values_list(
            "answers", flat=True
        )
    }


def question_save(
    *, actor: AnyUser, event: Event, label: str, kind: str = Question.Kind.TEXT,
    choices: str = "", required: bool = False, question: Question | None = None,
    source: str = "web",
) -> Question:  # fmt: skip
    """Adds or changes a question of the event's registration form (its organisers). Once
    answered, a question keeps its kind and every choice someone chose, so that no answer on
    record stops making sense."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _part_of(event, question)
    if kind not in Question.Kind.values:
        raise DomainError("kind", _("is not a known kind of answer"))
    lines = [line.strip()[:200] for line in choices.splitlines() if line.strip()]
    if kind == Question.Kind.CHOICE and len(lines) < 2:
        raise DomainError("choices", _("give at least two choices, one a line"))
    answered = _answered(question) if question is not None else set()
    if answered and question is not None:
        if kind != question.kind:
            raise DomainError("kind", _("it was answered already: its kind stays"))
        dropped = sorted(answered - set(lines)) if kind == Question.Kind.CHOICE else []
        if dropped:
            raise DomainError(
                "choices", _("“%(choice)s” was chosen already: keep it") % {"choice": dropped[0]}
            )
    question = question or Question(event=event)
    with audited(question, actor=actor, source=source):
        question.label, question.kind = _required("label", label)[:300], kind
        question.choices = "\n".join(lines) if kind == Question.Kind.CHOICE else ""
        question.required = required
        question.save()
    return question


def question_remove(*, actor: AnyUser, question: Question, source: str = "web") -> None:
    """Removes a question nobody has answered (the answers are exported with the
    registrations)."""
    _part_remove(
        actor=actor, part=question, blocked=lambda: bool(_answered(question)),
        field="question", refusal=_("it was answered already"), source=source,
    )  # fmt: skip


YES_NO = ("yes", "no")


def answer_checked(question: Question, value: str) -> str:
    """One answer to a question of the registration form, checked as the form checks it: given
    if required, a choice among its choices, yes or no, at most 1,000 characters; "" when not
    answered. A refusal names the field `question_<id>`."""
    value = str(value).strip()
    field = f"question_{question.pk}"
    if not value:
        if question.required:
            raise DomainError(field, _("is required"))
        return ""
    if len(value) > 1000:
        raise DomainError(field, _("is longer than 1,000 characters"))
    if question.kind == Question.Kind.CHOICE and value not in question.choice_list():
        raise DomainError(field, _("is not one of the choices"))
    if question.kind == Question.Kind.YES_NO and value not in YES_NO:
        raise DomainError(field, _("answer yes or no"))
    return value


def _answers(event: Event, given: Mapping[str, str]) -> dict[str, str]:
    """The answers to the event's questions, each checked (`answer_checked`); no answer to
    another question."""
    questions = {str(q.pk): q for q in event.questions.all()}
    unknown = [key for key in given if key not in questions]
    if unknown:
        raise DomainError(f"question_{unknown[0]}", _("is not a question of this event"))
    answers = {}
    for key, question in questions.items():
        value = answer_checked(question, given.get(key, ""))
        if value:
            answers[key] = value
    return answers


def _ticket(event: Event, ticket: TicketType | None, now: datetime) -> TicketType | None:
    if ticket is None:
        if event.ticket_types.exists():
            raise DomainError("ticket", _("choose a ticket"))
        return None
    if ticket.event_id != event.pk:
        raise DomainError("ticket", _("is a ticket of another event"))
    if ticket.sales_end is not None and now > ticket.sales_end:
        raise DomainError("ticket", _("is no longer on sale"))
    return ticket


def _represents(
    actor: AnyUser, event: Event, user: User, organisation: Organisation | None
) -> None:
    """A participant speaks for an organisation they represent in the registry; the organisers
    (and the command line) record whom a participant comes for as they were told."""
    if organisation is None or permissions.can_manage_event(actor, event):
        return
    if not organisation.representatives.filter(pk=user.pk).exists():
        raise DomainError("organisation", _("you do not represent this organisation"))


def _locked(event: Event) -> Event:
    """The event's row locked: registrations and cancellations of one event are serialised, so
    two people never take the last seat."""
    return Event.objects.select_for_update().get(pk=event.pk)


def registration_create(
    *, actor: AnyUser, event: Event, user: User, organisation: Organisation | None = None,
    ticket: TicketType | None = None, answers: Mapping[str, str] | None = None,
    now: datetime | None = None, source: str = "web",
) -> Registration:  # fmt: skip
    """Registers `user` (themselves; the organisers and the command line anyone): a seat while
    there is one — of the event and of the ticket type chosen — else a place on the waiting list
    (events/rules.py). With ticket types a ticket is required, on sale; its price is the member
    price for who comes for a member of one of the agency's clusters. The answers to the event's
    questions are checked (`answers`: {question id: answer})."""
    if not permissions.can_manage_event(actor, event) and (
        actor is None
        or actor.pk != user.pk
        or not permissions.visible_events(user).filter(pk=event.pk).exists()
    ):
        raise PermissionDenied
    if not event.registration_open:
        raise DomainError("event", _("registration is closed"))
    _represents(actor, event, user, organisation)
    now = now or timezone.now()
    ticket = _ticket(event, ticket, now)
    checked = _answers(event, answers or {})
    with transaction.atomic():
        event = _locked(event)
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            raise DomainError("user", _("is already registered"))
        if (
            ticket is not None
            and ticket.approval
            and not permissions.can_manage_event(actor, event)
        ):
            status: str = Registration.Status.PENDING
        else:
            status = _seat_or_wait(event, ticket)
        registration = registration or Registration(
            event=event, user=user, badge_code=_badge_code()
        )
        with audited(registration, actor=actor, source=source):
            registration.organisation = organisation
            registration.status = status
            registration.registered_at = now
            registration.ticket, registration.answers = ticket, checked
            registration.price_eur = (
                rules.price(
                    price=ticket.price_eur,
                    member_price=ticket.member_price_eur,
                    member=selectors.is_member(event, organisation, on=now.date()),
                )
                if ticket is not None
                else event.price_eur
            )
            registration.save()
        _registration_email(registration)
    return registration


def _seat_or_wait(event: Event, ticket: TicketType | None) -> str:
    """A seat while the event — and the ticket type, when it has seats of its own — has one
    that nobody waits for; else the waiting list, at its end (events/rules.py). A seat freed is
    given to the first waiting by a background job, so a newcomer in between does not take it.
    The event's row is locked by the caller."""
    waiting = list(
        event.registrations.filter(status=Registration.Status.WAITING)
        .order_by("registered_at", "pk")
        .values_list("pk", "ticket_id")
    )
    newcomer = 0  # no registration's key
    chosen = rules.promotions(
        capacity=event.capacity,
        confirmed=selectors.confirmed_count(event),
        waiting=[key for key, _ticket in waiting] + [newcomer],
        ticket_of={**dict(waiting), newcomer: ticket.pk if ticket else None},
        ticket_free=_ticket_free(event),
    )
    return Registration.Status.CONFIRMED if newcomer in chosen else Registration.Status.WAITING


def _ticket_free(event: Event) -> dict[int, int]:
    return {
        ticket.pk: ticket.capacity - selectors.confirmed_count(event, ticket=ticket)
        for ticket in event.ticket_types.filter(capacity__isnull=False)
        if ticket.capacity is not None
    }


def registration_approve(
    *, actor: AnyUser, registration: Registration, accept: bool, source: str = "web"
) -> Registration:
    """The organisers approve a registration awaiting approval — it then takes a seat or joins
    the waiting list, in the order it was asked — or decline it (cancelled); the person is
    emailed."""
    if not permissions.can_manage_event(actor, registration.event):
        raise PermissionDenied
    if registration.status != Registration.Status.PENDING:
        raise DomainError("status", _("is not awaiting approval"))
    with transaction.atomic():
        event = _locked(registration.event)
        with audited(registration, actor=actor, source=source):
            registration.status = (
                _seat_or_wait(event, registration.ticket)
                if accept
                else Registration.Status.CANCELLED
            )
            registration.save(update_fields=["status"])
        _registration_email(registration)
    return registration


def registration_payment_record(
    *, actor: AnyUser, registration: Registration, payment: str, now: datetime | None = None,
    source: str = "web",
) -> Registration:  # fmt: skip
    """The organisers record whether a registration's price (the member price when it applied)
    was paid, or refunded: the platform takes no payment (no gateway) and issues no invoice. A
    free registration has nothing to pay; only a paid one is refunded."""
    if not permissions.can_manage_event(actor, registration.event):
        raise PermissionDenied
    if payment not in Registration.Payment.values:
        raise DomainError("payment", _("is not a known payment status"))
    if not registration.price_eur:
        raise DomainError("payment", _("nothing to pay: the registration is free"))
    if payment == Registration.Payment.REFUNDED and registration.payment != "paid":
        raise DomainError("payment", _("only a paid registration is refunded"))
    with audited(registration, actor=actor, source=source):
        registration.payment = payment
        registration.payment_recorded_at = (
            None if payment == Registration.Payment.UNPAID else now or timezone.now()
        )
        registration.save(update_fields=["payment", "payment_recorded_at"])
    return registration


BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed


def _badge_code() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(10))


def check_in(*, actor: AnyUser, event: Event, code: str, source: str = "web") -> Registration:
    """Lets the holder of the badge in: a confirmed registration of this event, once."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    cleaned = "".join(code.split()).upper()
    registration = (
        event.registrations.select_related("user", "organisation")
        .filter(badge_code=cleaned)
        .first()
    )
    if registration is None:
        raise DomainError("code", _("no badge of this event has this code"))
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError("code", _("%(who)s has no confirmed seat") % {"who": registration.user})
    if registration.checked_in_at is not None:
        raise DomainError(
            "code",
            _("%(who)s checked in already, at %(when)s")
            % {
                "who": registration.user,
                "when": f"{registration.checked_in_at.astimezone(ZoneInfo(event.timezone)):%H:%M}",
            },
        )
    with audited(registration, actor=actor, source=source):
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration


def _registration_email(registration: Registration) -> None:
    """Confirms the registration: a seat, or a place on the waiting list."""
    user = registration.user
    if not user.email:
        return
    event = registration.event
    with translation.override(user_language(user)):
        values = {
            "event": event.title,
            "when": _when(event.starts_at, event.timezone),
            "place": event.place or event.online_link,
            "link": _link("events_event", event.pk),
        }
        if registration.status == Registration.Status.CONFIRMED:
            subject = _("Registered: %(event)s") % values
            body = _("You have a seat at %(event)s, %(when)s, %(place)s.\n\n%(link)s\n")
        elif registration.status == Registration.Status.PENDING:
            subject = _("Awaiting approval: %(event)s") % values
            body = _(
                "Your registration for %(event)s awaits the organisers' approval; you will be "
                "told by email.\n\n%(link)s\n"
            )
        elif registration.status == Registration.Status.CANCELLED:
            subject = _("Registration declined: %(event)s") % values
            body = _("The organisers declined your registration for %(event)s.\n\n%(link)s\n")
        else:
            subject = _("Waiting list: %(event)s") % values
            body = _(
                "%(event)s is full: you are on the waiting list. A seat freed goes to the first "
                "waiting; you will be told by email.\n\n%(link)s\n"
            )
        email_queue(message=EmailMessage(subject=subject, body=body % values, to=[user.email]))


def _promote_later(event: Event) -> None:
    """Seats were freed or added: the background job gives them to the first waiting once this
    write is committed."""
    from atclusters.events import tasks

    transaction.on_commit(lambda: tasks.waiting_list_promote.enqueue(event_id=event.pk))


def waiting_list_promote(
    *, event: Event, actor: AnyUser = None, source: str = "job"
) -> list[Registration]:
    """Gives the event's free seats to the first waiting, in the order they asked (a ticket
    with seats of its own only while it has one left: events/rules.py), and emails each of
    them; the background job after a cancellation or added seats. Returns those promoted."""
    with transaction.atomic():
        event = _locked(event)
        waiting = list(
            event.registrations.filter(status=Registration.Status.WAITING)
            .select_related("user", "event")
            .order_by("registered_at", "pk")
        )
        chosen = set(
            rules.promotions(
                capacity=event.capacity,
                confirmed=selectors.confirmed_count(event),
                waiting=[registration.pk for registration in waiting],
                ticket_of={registration.pk: registration.ticket_id for registration in waiting},
                ticket_free=_ticket_free(event),
            )
        )
        promoted = []
        for registration in waiting:
            if registration.pk in chosen:
                with audited(registration, actor=actor, source=source):
                    registration.status = Registration.Status.CONFIRMED
                    registration.save(update_fields=["status"])
                promoted.append(registration)
                _promotion_email(registration)
    return promoted


def _when(moment: datetime, zone: str) -> str:
    """A start as the recipient's language writes a date and a time, in the event's zone."""
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} ({zone})"


def _link(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _promotion_email(registration: Registration) -> None:
    """Tells the person promoted from the waiting list that they have a seat."""
    user = registration.user
    if not user.email:
        return
    with translation.override(user_language(user)):
        values = {
            "event": registration.event.title,
            "link": _link("events_event", registration.event_id),
        }
        email_queue(
            message=EmailMessage(
                subject=_("You have a seat: %(event)s") % values,
                body=_("A seat was freed and it is yours: %(event)s.\n\n%(link)s\n") % values,
                to=[user.email],
            )
        )


def registration_cancel(
    *, actor: AnyUser, registration: Registration, source: str = "web"
) -> Registration:
    """Cancels the registration; a seat freed goes to the first on the waiting list, by a
    background job (`waiting_list_promote`) once the cancellation is committed."""
    if not permissions.can_see_registration(actor, registration):
        raise PermissionDenied
    if registration.status == Registration.Status.CANCELLED:
        raise DomainError("status", _("is already cancelled"))
    with transaction.atomic():
        freed = registration.status == Registration.Status.CONFIRMED
        with audited(registration, actor=actor, source=source):
            registration.status = Registration.Status.CANCELLED
            registration.save(update_fields=["status"])
        if freed:
            _promote_later(registration.event)
    return registration


def attendance_record(
    *, actor: AnyUser, session: Session, present: Sequence[Registration], source: str = "web"
) -> None:
    """Who attended the session: exactly the confirmed registrations in `present`."""
    event = session.event
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    wrong = [r for r in present if r.event_id != event.pk or r.status != "confirmed"]
    if wrong:
        raise DomainError("present", _("%(who)s has no confirmed seat") % {"who": wrong[0].user})
    with audited(session, actor=actor, source=source):
        session.attendees.set(present)


def survey_question_save(
    *, actor: AnyUser, event: Event, kind: str, texts: Mapping[str, str],
    choices: Mapping[str, Sequence[str]] | None = None, required: bool = False,
    question: SurveyQuestion | None = None, source: str = "web",
) -> SurveyQuestion:  # fmt: skip
    """Adds or changes a question of the event's feedback survey (its organisers): its text in
    each of the event's languages and, for a choice, its choices (at least two, as many and in
    the same order in every language: an answer records a choice by its position). Once
    answered, a question keeps its kind and its number of choices; its words may be corrected."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _part_of(event, question)
    if kind not in SurveyQuestion.Kind.values:
        raise DomainError("kind", _("is not a known kind of answer"))
    languages = selectors.survey_languages(event)
    written = {code: str(texts.get(code, "")).strip()[:300] for code in languages}
    for code, text in written.items():
        if not text:
            raise DomainError(f"text_{code}", _("is required"))
    listed: dict[str, list[str]] = {}
    if kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
        for code in languages:
            lines = [str(c).strip()[:200] for c in (choices or {}).get(code, []) if str(c).strip()]
            if len(lines) < 2:
                raise DomainError(f"choices_{code}", _("give at least two choices, one a line"))
            if len({len(other) for other in listed.values()} | {len(lines)}) > 1:
                raise DomainError(
                    f"choices_{code}", _("give as many choices in each language, in the same order")
                )
            listed[code] = lines
    if question is not None and _survey_answered(question):
        if kind != question.kind:
            raise DomainError("kind", _("it was answered already: its kind stays"))
        if listed and len(next(iter(listed.values()))) != len(question.choices_in("")):
            raise DomainError(
                f"choices_{languages[0]}",
                _("it was answered already: keep as many choices, in the same order"),
            )
    question = question or SurveyQuestion(event=event)
    with audited(question, actor=actor, source=source):
        question.kind, question.texts, question.choices = kind, written, listed
        question.required = required
        question.save()
    return question


def _survey_answered(question: SurveyQuestion) -> bool:
    return Feedback.objects.filter(
        registration__event_id=question.event_id, answers__has_key=str(question.pk)
    ).exists()


def survey_question_remove(
    *, actor: AnyUser, question: SurveyQuestion, source: str = "web"
) -> None:
    """Removes a question of the survey nobody has answered."""
    _part_remove(
        actor=actor, part=question, blocked=lambda: _survey_answered(question),
        field="question", refusal=_("it was answered already"), source=source,
    )  # fmt: skip


def _position(value: object) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _survey_answers(event: Event, given: Mapping[str, object]) -> dict[str, object]:
    """The answers to the event's survey questions, checked: each required one answered, a
    rating from 1 to 5, a choice (or choices) by position among the question's, a text of at
    most 2,000 characters; no answer to another question. A refusal names `survey_<id>`."""
    questions = {str(q.pk): q for q in event.survey_questions.all()}
    unknown = [key for key in given if key not in questions]
    if unknown:
        raise DomainError(f"survey_{unknown[0]}", _("is not a question of this survey"))
    answers: dict[str, object] = {}
    for key, question in questions.items():
        field, value = f"survey_{key}", given.get(key)
        given_values = value if isinstance(value, list | tuple) else [value]
        values = [v for v in given_values if v is not None and str(v).strip()]
        if not values:
            if question.required:
                raise DomainError(field, _("is required"))
            continue
        if question.kind == SurveyQuestion.Kind.TEXT:
            answers[key] = str(values[0]).strip()[:2000]
            continue
        read = [_position(v) for v in values]
        positions = sorted({p for p in read if p is not None})
        if question.kind == SurveyQuestion.Kind.RATING:
            if None in read or len(positions) != 1 or not 1 <= positions[0] <= 5:
                raise DomainError(field, _("must be between 1 and 5"))
            answers[key] = positions[0]
            continue
        count = len(question.choices_in(""))
        if (
            None in read
            or positions[-1] >= count
            or (question.kind == SurveyQuestion.Kind.SINGLE and len(positions) != 1)
        ):
            raise DomainError(field, _("is not one of the choices"))
        answers[key] = positions[0] if question.kind == SurveyQuestion.Kind.SINGLE else positions
    return answers


def feedback_give(
    *, actor: User, registration: Registration, rating: int, comment: str = "",
    answers: Mapping[str, object] | None = None, now: datetime | None = None,
    source: str = "web",
) -> Feedback:  # fmt: skip
    """The participant answers the event's feedback survey once it has ended, once, if they
    attended it (selectors.was_present): the overall rating (1 to 5), the organisers' questions
    (`answers`: {survey question id: answer}) and a comment."""
    if actor.pk != registration.user_id:
        raise PermissionDenied
    if not selectors.was_present(registration):
        raise DomainError("registration", _("only those who attended answer the survey"))
    if (now or timezone.now()) < registration.event.ends_at:
        raise DomainError("rating", _("the event has not ended yet"))
    if not 1 <= rating <= 5:
        raise DomainError("rating", _("must be between 1 and 5"))
    checked = _survey_answers(registration.event, answers or {})
    if Feedback.objects.filter(registration=registration).exists():
        raise DomainError("rating", _("you already gave your feedback"))
    feedback = Feedback(
        registration=registration, rating=rating, answers=checked, comment=comment.strip()[:2000]
    )
    return audited_create(feedback, actor=actor, source=source)


def certificates_issue(
    *, actor: AnyUser, event: Event, now: datetime | None = None, source: str = "web"
) -> list[Certificate]:
    """A certificate with a unique code for each confirmed participant of the training who
    meets its completion rule and has none yet."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if event.kind != Event.Kind.TRAINING:
        raise DomainError("event", _("certificates are for trainings"))
    now = now or timezone.now()
    issued = []
    with transaction.atomic():
        for registration in selectors.completers(event):
            if Certificate.objects.filter(registration=registration).exists():
                continue
            certificate = Certificate(
                registration=registration, code=secrets.token_hex(8).upper(), issued_at=now
            )
            issued.append(audited_create(certificate, actor=actor, source=source))
    return issued


def certificate_revoke(
    *, actor: AnyUser, certificate: Certificate, reason: str, source: str = "web"
) -> Certificate:
    """A revoked certificate stops verifying at once; the reason is shown on its page."""
    if not permissions.can_manage_event(actor, certificate.registration.event):
        raise PermissionDenied
    if certificate.revoked_at is not None:
        raise DomainError("certificate", _("is already revoked"))
    with audited(certificate, actor=actor, source=source):
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = _required("reason", reason)[:300]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


# B2B matchmaking


def b2b_profile_save(
    *, actor: AnyUser, registration: Registration, organisation: Organisation, offers: str = "",
    seeks: str = "", available: Sequence[str] = (), source: str = "web",
) -> B2BProfile:  # fmt: skip
    """The participant's matchmaking profile for the conference, for an organisation they
    represent, with the slots when they are free."""
    event = registration.event
    if actor is not None and actor.pk != registration.user_id:
        raise PermissionDenied
    if event.kind != Event.Kind.CONFERENCE or not event.b2b_slots:
        raise DomainError("event", _("has no B2B matchmaking"))
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError("registration", _("has no confirmed seat"))
    _represents(actor, event, registration.user, organisation)
    unknown = [slot for slot in available if slot not in event.b2b_slots]
    if unknown:
        raise DomainError("available", _("unknown slot %(slot)s") % {"slot": unknown[0]})
    profile = B2BProfile.objects.filter(registration=registration).first() or B2BProfile(
        registration=registration
    )
    with audited(profile, actor=actor, source=source):
        profile.organisation = organisation
        profile.offers, profile.seeks = offers.strip()[:2000], seeks.strip()[:2000]
        profile.available = [slot for slot in event.b2b_slots if slot in set(available)]
        profile.save()
    return profile


def b2b_request_create(
    *, actor: AnyUser, requester: B2BProfile, recipient: B2BProfile, message: str = "",
    source: str = "web",
) -> B2BRequest:  # fmt: skip
    if actor is not None and actor.pk != requester.registration.user_id:
        raise PermissionDenied
    if requester.registration.event_id != recipient.registration.event_id:
        raise DomainError("recipient", _("is not at this event"))
    if requester.pk == recipient.pk:
        raise DomainError("recipient", _("you cannot meet yourself"))
    if B2BRequest.objects.filter(
        requester__in=[requester, recipient], recipient__in=[requester, recipient]
    ).exists():
        raise DomainError("recipient", _("a request between you already exists"))
    request = B2BRequest(
        event_id=requester.registration.event_id, requester=requester, recipient=recipient,
        message=message.strip()[:500],
    )  # fmt: skip
    return audited_create(request, actor=actor, source=source)


def b2b_request_answer(
    *, actor: AnyUser, request: B2BRequest, accept: bool, source: str = "web"
) -> B2BRequest:
    """The recipient accepts or declines; declining a scheduled meeting frees its place."""
    if actor is not None and actor.pk != request.recipient.registration.user_id:
        raise PermissionDenied
    with audited(request, actor=actor, source=source):
        request.status = B2BRequest.Status.ACCEPTED if accept else B2BRequest.Status.DECLINED
        if not accept:
            request.slot, request.table = "", None
        request.save(update_fields=["status", "slot", "table"])
    return request


def b2b_schedule(*, actor: AnyUser, event: Event, source: str = "web") -> scheduling.Result:
    """Schedules the accepted requests not yet scheduled into slots and tables, without moving
    those already scheduled (events/scheduling.py), and records each meeting's slot and table."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        event = _locked(event)
        instance, fixed, requests = selectors.b2b_instance(event)
        result = scheduling.schedule(instance, fixed=fixed)
        placed = {frozenset((m.a, m.b)): m for m in result.meetings}
        for request in requests:
            meeting = placed.get(frozenset((str(request.requester_id), str(request.recipient_id))))
            slot, table = (meeting.slot, meeting.table) if meeting else ("", None)
            if (request.slot, request.table) != (slot, table):
                with audited(request, actor=actor, source=source):
                    request.slot, request.table = slot, table
                    request.save(update_fields=["slot", "table"])
    return result


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Emails the people of each meeting that starts in the next 24 hours (its invited people
    and its group's members, but not those who said they will not attend) the agenda and the
    open action items they own; run daily
    (EventsConfig.periodic_jobs). Returns the number of emails queued."""
    now = now or timezone.now()
    queued = 0
    meetings = Meeting.objects.filter(
        starts_at__gte=now, starts_at__lt=now + timedelta(hours=24)
    ).select_related("group")
    for meeting in meetings:
        carried = list(selectors.carried_actions(meeting))
        declined = set(
            meeting.rsvps.filter(answer=Rsvp.Answer.NO).values_list("user_id", flat=True)
        )
        for person in selectors.meeting_people(meeting):
            if not person.email or person.pk in declined:
                continue
            owned = [action for action in carried if action.owner_id == person.pk]
            with translation.override(user_language(person)):
                values = {
                    "meeting": meeting.title,
                    "when": _when(meeting.starts_at, meeting.timezone),
                    "link": _link("events_meeting", meeting.pk),
                }
                lines = [_("%(meeting)s starts on %(when)s.") % values, ""]
                lines += [f"- {item}" for item in meeting.agenda_items()]
                if owned:
                    lines += ["", _("Your open action items:")]
                    lines += [
                        f"- {a.title} ({date_format(a.due, 'SHORT_DATE_FORMAT')})" for a in owned
                    ]
                lines += ["", values["link"]]
                email_queue(
                    message=EmailMessage(
                        subject=_("Reminder: %(meeting)s, %(when)s") % values,
                        body="\n".join(lines) + "\n",
                        to=[person.email],
                    )
                )
            queued += 1
    return queued


def calendar_feed_renew(*, actor: AnyUser, user: User, source: str = "web") -> CalendarFeed:
    """A new secret address for the user's calendar feed; the old one stops working."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied
    feed = CalendarFeed.objects.filter(user=user).first() or CalendarFeed(user=user)
    with audited(feed, actor=actor, source=source):
        feed.token = secrets.token_urlsafe(32)
        feed.save()
    return feed
