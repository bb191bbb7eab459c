"""Every write of events, audited (docs/events.md). `actor=None` is the trusted command line."""

import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atclusters.core import documents
from atclusters.core.audit import audited, audited_create
from atclusters.core.errors import DomainError
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied
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
    text = _required("text", text)
    if len(text) > 2000:
        raise DomainError("text", _("is longer than 2,000 characters"))
    with transaction.atomic():
        # The meeting's row locked: two decisions recorded at once never get the same number.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
        decision = Decision(
            meeting=meeting, number=number, text=text,
            recorded_by=actor if isinstance(actor, User) else None,
        )  # fmt: skip
        return audited_create(decision, actor=actor, source=source)


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
            with translation.override(settings.LANGUAGE_CODE):
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


def event_create(
    *, actor: AnyUser, agency: Agency, kind: str, title: str, starts_at: datetime,
    ends_at: datetime, capacity: int, tz: str = "Europe/Madrid", description: str = "",
    place: str = "", online_link: str = "", visibility: str = Visibility.PUBLIC,
    organisers: Sequence[User] = (), completion_percent: int = 80,
    b2b_slots: Sequence[str] = (), b2b_tables: int = 0, price_eur: Decimal = Decimal(0),
    languages: Sequence[str] = (), cluster: ClusterOrganisation | None = None,
    source: str = "web",
) -> Event:  # fmt: skip
    """A conference or a training of the agency; `cluster`: the agency's cluster that organises
    it with the agency (the event counts in its benchmarking indicators)."""
    if not permissions.can_convene(actor, agency):
        raise PermissionDenied
    if cluster is not None and cluster.agency_id != agency.pk:
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
    event = Event(
        agency=agency, kind=kind, title=_required("title", title)[:200],
        description=description.strip(), starts_at=starts_at, ends_at=ends_at, timezone=_zone(tz),
        place=place.strip()[:300], online_link=_web_address(online_link), capacity=capacity,
        visibility=_visibility(visibility), completion_percent=completion_percent,
        b2b_slots=list(b2b_slots), b2b_tables=b2b_tables, price_eur=price_eur,
        languages=list(languages), cluster=cluster,
    )  # fmt: skip
    with audited(event, actor=actor, source=source):
        event.save()
        event.organisers.set(organisers)
    return event


def speaker_add(
    *, actor: AnyUser, event: Event, name: str, affiliation: str = "", bio: str = "",
    source: str = "web",
) -> Speaker:  # fmt: skip
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    speaker = Speaker(
        event=event, name=_required("name", name)[:200], affiliation=affiliation.strip()[:200],
        bio=bio.strip()[:5000],
    )  # fmt: skip
    return audited_create(speaker, actor=actor, source=source)


def session_add(
    *, actor: AnyUser, event: Event, title: str, starts_at: datetime, ends_at: datetime,
    room: str = "", track: str = "", module: str = "", speakers: Sequence[Speaker] = (),
    source: str = "web",
) -> Session:  # fmt: skip
    """A session of the event's programme; it lies within the event, its speakers are the
    event's."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    _span(starts_at, ends_at)
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise DomainError("starts_at", _("lies outside the event's dates"))
    if any(speaker.event_id != event.pk for speaker in speakers):
        raise DomainError("speakers", _("speaks at another event"))
    session = Session(
        event=event, title=_required("title", title)[:200], starts_at=starts_at, ends_at=ends_at,
        room=room.strip()[:100], track=track.strip()[:100], module=module.strip()[:100],
    )  # fmt: skip
    with audited(session, actor=actor, source=source):
        session.save()
        session.speakers.set(speakers)
    return session


def ticket_type_add(
    *, actor: AnyUser, event: Event, name: str, price_eur: Decimal = Decimal(0),
    capacity: int | None = None, member_price_eur: Decimal | None = None,
    sales_end: datetime | None = None, approval: bool = False, source: str = "web",
) -> TicketType:  # fmt: skip
    """A kind of ticket of the event (its organisers): once it has one, registering asks for
    one."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if price_eur < 0:
        raise DomainError("price_eur", _("must not be negative"))
    if member_price_eur is not None and member_price_eur < 0:
        raise DomainError("member_price_eur", _("must not be negative"))
    if capacity is not None and capacity < 1:
        raise DomainError("capacity", _("must be at least 1"))
    if sales_end is not None and timezone.is_naive(sales_end):
        raise DomainError("sales_end", _("needs a time zone"))
    ticket = TicketType(
        event=event, name=_required("name", name)[:100], capacity=capacity, price_eur=price_eur,
        member_price_eur=member_price_eur, sales_end=sales_end, approval=approval,
    )  # fmt: skip
    return audited_create(ticket, actor=actor, source=source)


def question_add(
    *, actor: AnyUser, event: Event, label: str, kind: str = Question.Kind.TEXT,
    choices: str = "", required: bool = False, source: str = "web",
) -> Question:  # fmt: skip
    """A question of the event's registration form (its organisers)."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if kind not in Question.Kind.values:
        raise DomainError("kind", _("is not a known kind of answer"))
    lines = [line.strip()[:200] for line in choices.splitlines() if line.strip()]
    if kind == Question.Kind.CHOICE and len(lines) < 2:
        raise DomainError("choices", _("give at least two choices, one a line"))
    question = Question(
        event=event, label=_required("label", label)[:300], kind=kind,
        choices="\n".join(lines) if kind == Question.Kind.CHOICE else "", required=required,
    )  # fmt: skip
    return audited_create(question, actor=actor, source=source)


YES_NO = ("yes", "no")


def _answers(event: Event, given: Mapping[str, str]) -> dict[str, str]:
    """The answers to the event's questions, checked: each required one answered, a choice
    among its choices, yes or no, at most 1,000 characters; no answer to another question."""
    questions = {str(q.pk): q for q in event.questions.all()}
    unknown = [key for key in given if key not in questions]
    if unknown:
        raise DomainError(f"question_{unknown[0]}", _("is not a question of this event"))
    answers = {}
    for key, question in questions.items():
        value = str(given.get(key, "")).strip()
        field = f"question_{key}"
        if not value:
            if question.required:
                raise DomainError(field, _("is required"))
            continue
        if len(value) > 1000:
            raise DomainError(field, _("is longer than 1,000 characters"))
        if question.kind == Question.Kind.CHOICE and value not in question.choice_list():
            raise DomainError(field, _("is not one of the choices"))
        if question.kind == Question.Kind.YES_NO and value not in YES_NO:
            raise DomainError(field, _("answer yes or no"))
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
    """A seat while the event — and the ticket type, when it has seats of its own — has one;
    else the waiting list (events/rules.py). The event's row is locked by the caller."""
    seat = rules.seat_available(capacity=event.capacity, confirmed=selectors.confirmed_count(event))
    if ticket is not None and ticket.capacity is not None:
        seat = seat and rules.seat_available(
            capacity=ticket.capacity, confirmed=selectors.confirmed_count(event, ticket=ticket)
        )
    return Registration.Status.CONFIRMED if seat else Registration.Status.WAITING


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
    with translation.override(settings.LANGUAGE_CODE):
        zone = ZoneInfo(event.timezone)
        values = {
            "event": event.title,
            "when": f"{event.starts_at.astimezone(zone):%Y-%m-%d %H:%M} ({event.timezone})",
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


def _promote(*, actor: AnyUser, event: Event, source: str) -> list[Registration]:
    waiting = list(
        event.registrations.filter(status=Registration.Status.WAITING).order_by(
            "registered_at", "pk"
        )
    )
    chosen = set(
        rules.promotions(
            capacity=event.capacity,
            confirmed=selectors.confirmed_count(event),
            waiting=[registration.pk for registration in waiting],
            ticket_of={registration.pk: registration.ticket_id for registration in waiting},
            ticket_free={
                ticket.pk: ticket.capacity - selectors.confirmed_count(event, ticket=ticket)
                for ticket in event.ticket_types.filter(capacity__isnull=False)
                if ticket.capacity is not None
            },
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


def _link(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _promotion_email(registration: Registration) -> None:
    """Tells the person promoted from the waiting list that they have a seat."""
    user = registration.user
    if not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
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
) -> list[Registration]:
    """Cancels the registration; a seat freed goes to the first on the waiting list, in the
    same transaction. Returns the registrations promoted."""
    if not permissions.can_see_registration(actor, registration):
        raise PermissionDenied
    if registration.status == Registration.Status.CANCELLED:
        raise DomainError("status", _("is already cancelled"))
    with transaction.atomic():
        event = _locked(registration.event)
        with audited(registration, actor=actor, source=source):
            registration.status = Registration.Status.CANCELLED
            registration.save(update_fields=["status"])
        return _promote(actor=actor, event=event, source=source)


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


def feedback_give(
    *, actor: User, registration: Registration, rating: int, comment: str = "",
    now: datetime | None = None, source: str = "web",
) -> Feedback:  # fmt: skip
    """The participant rates the event (1 to 5) once it has ended, once."""
    if actor.pk != registration.user_id:
        raise PermissionDenied
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError("registration", _("has no confirmed seat"))
    if (now or timezone.now()) < registration.event.ends_at:
        raise DomainError("rating", _("the event has not ended yet"))
    if not 1 <= rating <= 5:
        raise DomainError("rating", _("must be between 1 and 5"))
    if Feedback.objects.filter(registration=registration).exists():
        raise DomainError("rating", _("you already gave your feedback"))
    feedback = Feedback(registration=registration, rating=rating, comment=comment.strip()[:2000])
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
            with translation.override(settings.LANGUAGE_CODE):
                when = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.timezone))
                values = {
                    "meeting": meeting.title,
                    "when": f"{when:%Y-%m-%d %H:%M} ({meeting.timezone})",
                    "link": _link("events_meeting", meeting.pk),
                }
                lines = [_("%(meeting)s starts on %(when)s.") % values, ""]
                lines += [f"- {item}" for item in meeting.agenda_items()]
                if owned:
                    lines += ["", _("Your open action items:")]
                    lines += [f"- {a.title} ({a.due:%Y-%m-%d})" for a in owned]
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
