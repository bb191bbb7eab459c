"""Pages of events (docs/events.md): working groups and their meetings with action items;
conferences and trainings with registration, attendance and certificates; B2B matchmaking;
iCalendar files; the public certificate check."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, keep_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import documents, icalendar, tables
from atclusters.core.errors import DomainError
from atclusters.core.forms import DocumentForm, ImportForm, add_error
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.models import Agency
from atclusters.core.pdf import pdf_from_html
from atclusters.events import forms, importers, permissions, qr, selectors, services
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
    Meeting,
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


def slot_label(slot: str, zone: str) -> str:
    """A B2B slot (ISO 8601) as its local day and time."""
    try:
        moment = datetime.fromisoformat(slot)
    except ValueError:
        return slot
    if timezone.is_aware(moment):
        moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M}"


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "events/home.html",
        {
            "events": selectors.upcoming_events(user),
            "groups": permissions.visible_groups(user),
            "meetings": selectors.upcoming_meetings(user)[:20],
            "can_convene": permissions.conveners(user).exists(),
        },
    )


# Working groups


def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(permissions.visible_groups(request.user), pk=group_id)
    decisions = list(selectors.decisions(request.user, group=group.pk)[:11])
    return render(
        request,
        "events/group_detail.html",
        {
            "group": group,
            "topics": group.topics.select_related("created_by").annotate(
                messages=Count("posts"), last=Max("posts__created_at")
            ),
            "topic_form": forms.TopicForm()
            if permissions.can_discuss(request.user, group)
            else None,
            "meetings": permissions.visible_meetings(request.user).filter(group=group),
            "documents": group.documents.prefetch_related("versions__uploaded_by"),
            "document_form": DocumentForm(documents=group.documents.all())
            if permissions.can_discuss(request.user, group)
            else None,
            "open_actions": ActionItem.objects.filter(
                meeting__group=group,
                meeting__in=permissions.visible_meetings(request.user),
                status=ActionItem.Status.OPEN,
            ).select_related("owner", "meeting"),
            "can_edit": permissions.can_edit_group(request.user, group),
            "decisions": decisions[:10],
            "more_decisions": len(decisions) > 10,
        },
    )


@login_required
def group_edit(request: AuthenticatedRequest, group_id: int | None = None) -> HttpResponse:
    group = None
    if group_id is not None:
        group = get_object_or_404(permissions.visible_groups(request.user), pk=group_id)
        if not permissions.can_edit_group(request.user, group):
            raise DjangoPermissionDenied
        agencies = permissions.conveners(request.user) | Agency.objects.filter(pk=group.agency_id)
        initial = {
            "agency": group.agency, "name": group.name, "goal": group.goal, "lead": group.lead,
            "members": group.members.all(), "agencies": group.agencies.all(),
            "clusters": group.clusters.all(), "visibility": group.visibility,
        }  # fmt: skip
    else:
        agencies = permissions.conveners(request.user)
        if not agencies.exists():
            raise DjangoPermissionDenied
        initial = {"lead": request.user}
    form = forms.GroupForm(request.POST or None, initial=initial, agencies=agencies.distinct())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_save(
                actor=request.user, group=group, agency=group.agency if group else data["agency"],
                name=data["name"], goal=data["goal"], lead=data["lead"], members=data["members"],
                agencies=data["agencies"], clusters=data["clusters"],
                visibility=data["visibility"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Working group saved."))
            return redirect("events_group", group.pk)
    return render(request, "events/form.html", {"form": form, "title": _("Working group")})


@login_required
@require_POST
def topic_new(request: AuthenticatedRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(permissions.visible_groups(request.user), pk=group_id)
    form = forms.TopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A topic needs a title and a message."))
        return redirect("events_group", group.pk)
    try:
        topic = services.topic_create(
            actor=request.user, group=group, title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("events_group", group.pk)
    return redirect("events_topic", topic.pk)


@login_required
@require_POST
def document_upload(request: AuthenticatedRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(permissions.visible_groups(request.user), pk=group_id)
    form = DocumentForm(request.POST, request.FILES, documents=group.documents.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                actor=request.user, group=group, upload=data["file"], title=data["title"],
                document=form.documents.get(data["document"]), note=data["note"],
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Document uploaded."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("events_group", group.pk)


@login_required
def document_download(request: AuthenticatedRequest, version_id: int) -> FileResponse:
    """A version of a group's document, to those who see the group."""
    groups = permissions.visible_groups(request.user)
    return documents.version_download(
        DocumentVersion.objects.filter(document__group__in=groups), version_id
    )


def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    groups = permissions.visible_groups(request.user)
    topic = get_object_or_404(
        Topic.objects.filter(group__in=groups).select_related("group"), pk=topic_id
    )
    can_post = permissions.can_discuss(request.user, topic.group)
    form = forms.PostForm(request.POST or None) if can_post else None
    if request.method == "POST":
        user = request.user
        if form is None or not isinstance(user, User):
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                services.post_add(actor=user, topic=topic, body=form.cleaned_data["body"])
            except DomainError as error:
                add_error(form, error)
            else:
                return redirect("events_topic", topic.pk)
    return render(
        request,
        "events/topic.html",
        {"topic": topic, "posts": topic.posts.select_related("author"), "form": form},
    )


# Meetings


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    can_edit = permissions.can_edit_meeting(request.user, meeting)
    actions = meeting.actions.select_related("owner")
    carried = list(
        selectors.carried_actions(meeting, among=permissions.visible_meetings(request.user))
    )
    rsvps = {r.user_id: r for r in meeting.rsvps.all()}
    present = set(meeting.attended.values_list("pk", flat=True))
    return render(
        request,
        "events/meeting_detail.html",
        {
            "meeting": meeting,
            "actions": actions,
            "carried": carried,
            "can_edit": can_edit,
            "updatable": {
                a.pk for a in [*actions, *carried] if permissions.can_update_action(request.user, a)
            },
            "statuses": ActionItem.Status.choices,
            "asked": permissions.is_asked(request.user, meeting),
            "my_answer": meeting.rsvps.filter(user_id=request.user.pk or 0)
            .values_list("answer", flat=True)
            .first(),
            "answers": Rsvp.Answer.choices,
            "people": [
                (person, rsvps.get(person.pk), person.pk in present)
                for person in selectors.meeting_people(meeting)
            ],
            "decisions": meeting.decisions.all(),
            "decision_form": forms.DecisionForm() if can_edit else None,
            "action_form": forms.ActionForm() if can_edit else None,
            "repeat_form": forms.RepeatForm() if can_edit else None,
            "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes})
            if can_edit
            else None,
        },
    )


@login_required
def meeting_edit(request: AuthenticatedRequest, meeting_id: int | None = None) -> HttpResponse:
    user = request.user
    meeting = None
    groups = WorkingGroup.objects.filter(
        pk__in=[
            g.pk for g in permissions.visible_groups(user) if permissions.can_edit_group(user, g)
        ]
    )
    if meeting_id is not None:
        meeting = get_object_or_404(permissions.visible_meetings(user), pk=meeting_id)
        if not permissions.can_edit_meeting(user, meeting):
            raise DjangoPermissionDenied
        zone = ZoneInfo(meeting.timezone)
        initial = {
            "title": meeting.title, "kind": meeting.kind, "agency": meeting.agency,
            "group": meeting.group, "starts_at": meeting.starts_at.astimezone(zone),
            "ends_at": meeting.ends_at.astimezone(zone), "timezone": meeting.timezone,
            "place": meeting.place, "online_link": meeting.online_link,
            "agenda": meeting.agenda, "visibility": meeting.visibility,
            "invitees": meeting.invitees.all(),
        }  # fmt: skip
    else:
        initial = {"group": request.GET.get("group")}
    agencies = (
        permissions.conveners(user) | Agency.objects.filter(pk__in=groups.values("agency_id"))
    ).distinct()
    if not agencies.exists():
        raise DjangoPermissionDenied
    form = forms.MeetingForm(
        request.POST or None, initial=initial, agencies=agencies, groups=groups.order_by("name"),
        visible_groups=permissions.visible_groups(user).order_by("name"),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_save(
                actor=user, meeting=meeting, agency=data["agency"], group=data["group"],
                kind=data["kind"], title=data["title"], starts_at=form.in_zone(data["starts_at"]),
                ends_at=form.in_zone(data["ends_at"]), tz=data["timezone"], place=data["place"],
                online_link=data["online_link"], agenda=data["agenda"],
                visibility=data["visibility"], invitees=data["invitees"],
                invite_clusters=data["invite_clusters"], invite_groups=data["invite_groups"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("events_meeting", meeting.pk)
    return render(request, "events/form.html", {"form": form, "title": _("Meeting")})


@login_required
@require_POST
def meeting_rsvp(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    try:
        services.rsvp_answer(
            actor=request.user, meeting=meeting, answer=request.POST.get("answer", "")
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer recorded."))
    return redirect("events_meeting", meeting.pk)


@login_required
@require_POST
def meeting_attendance(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    keys = {int(k) for k in request.POST.getlist("present") if k.isdigit()}
    present = [person for person in selectors.meeting_people(meeting) if person.pk in keys]
    services.meeting_attendance_record(actor=request.user, meeting=meeting, present=present)
    messages.success(request, _("Attendance saved."))
    return redirect("events_meeting", meeting.pk)


@login_required
@require_POST
def meeting_repeat(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    form = forms.RepeatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give how often and how many times."))
        return redirect("events_meeting", meeting.pk)
    try:
        made = services.meeting_repeat(
            actor=request.user, meeting=meeting, every_days=form.cleaned_data["every_days"],
            count=form.cleaned_data["count"],
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("events_meeting", meeting.pk)
    messages.success(request, _("Meetings added: %(count)s.") % {"count": len(made)})
    return redirect("events_meeting", meeting.pk)


@login_required
@require_POST
def meeting_minutes(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        services.meeting_minutes_save(
            actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
        )
        messages.success(request, _("Minutes saved."))
    return redirect("events_meeting", meeting.pk)


@login_required
@require_POST
def action_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.action_add(
            actor=request.user, meeting=meeting, title=data["title"], owner=data["owner"],
            due=data["due"],
        )  # fmt: skip
        messages.success(request, _("Action item added."))
    else:
        messages.error(request, _("The action item needs a title, an owner and a due date."))
    return redirect("events_meeting", meeting.pk)


@login_required
@require_POST
def decision_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the decision."))
        return redirect("events_meeting", meeting.pk)
    try:
        services.decision_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("events_meeting", meeting.pk)


def _editable_decision(request: AuthenticatedRequest, decision_id: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.filter(
            meeting__in=permissions.visible_meetings(request.user)
        ).select_related("meeting"),
        pk=decision_id,
    )
    if not permissions.can_edit_meeting(request.user, decision.meeting):
        raise DjangoPermissionDenied
    return decision


@login_required
def decision_edit(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = _editable_decision(request, decision_id)
    form = forms.DecisionForm(request.POST or None, initial={"text": decision.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_change(
                actor=request.user, decision=decision, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("events_meeting", args=[decision.meeting_id])
                + f"#decision-{decision.number}"
            )
    title = _("Decision %(number)s") % {"number": decision.number}
    return render(
        request, "events/form.html", {"form": form, "title": f"{decision.meeting}: {title}"}
    )


@login_required
@require_POST
def decision_remove(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = _editable_decision(request, decision_id)
    services.decision_remove(actor=request.user, decision=decision)
    messages.success(request, _("Removed."))
    return redirect("events_meeting", decision.meeting_id)


def decisions(request: HttpRequest) -> HttpResponse:
    """The register of decisions: of the meetings the reader may see, by working group or
    series, searchable."""
    group_key, series = request.GET.get("group", ""), request.GET.get("series", "")[:32]
    query = request.GET.get("q", "")[:200]
    groups = permissions.visible_groups(request.user).order_by("name")
    group = groups.filter(pk=int(group_key)).first() if group_key.isdigit() else None
    found = selectors.decisions(
        request.user, group=group.pk if group else None, series=series, query=query
    )
    return render(
        request,
        "events/decisions.html",
        {
            "decisions": found[:500],
            "groups": groups,
            "group": group,
            "series": series,
            "query": query,
        },
    )


@login_required
@require_POST
def action_status(request: AuthenticatedRequest, action_id: int) -> HttpResponse:
    meetings = permissions.visible_meetings(request.user)
    action = get_object_or_404(ActionItem.objects.filter(meeting__in=meetings), pk=action_id)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_status_set(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Action item updated."))
    back = request.POST.get("meeting", "")
    return redirect("events_meeting", int(back) if back.isdigit() else action.meeting_id)


def _entry(request: HttpRequest, item: Meeting | Event | selectors.B2BMeeting) -> icalendar.Event:
    """A meeting, an event or a B2B meeting as an iCalendar entry."""
    if isinstance(item, Meeting):
        kind, description, url = "meeting", item.agenda, reverse("events_meeting", args=[item.pk])
        place = item.place or item.online_link
    elif isinstance(item, Event):
        kind, description, url = "event", item.description, reverse("events_event", args=[item.pk])
        place = item.place or item.online_link
    else:
        kind, url = "b2b", reverse("events_b2b", args=[item.event_id])
        description = _("Table %(table)s") % {"table": item.table}
        place = f"{item.place} · {description}" if item.place else description
    return icalendar.Event(
        uid=f"{kind}-{item.pk}@{request.get_host().split(':')[0]}",
        start=item.starts_at,
        end=item.ends_at,
        summary=item.title,
        location=place,
        description=description,
        url=request.build_absolute_uri(url),
    )


def _calendar(
    request: HttpRequest,
    items: Iterable[Meeting | Event | selectors.B2BMeeting],
    name: str,
    filename: str,
) -> HttpResponse:
    text = icalendar.calendar(
        [_entry(request, item) for item in items], name=name, stamp=timezone.now()
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=meeting_id)
    return _calendar(request, [meeting], meeting.title, f"meeting-{meeting.pk}.ics")


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(permissions.visible_events(request.user), pk=event_id)
    return _calendar(request, [event], event.title, f"event-{event.pk}.ics")


def public_calendar(request: HttpRequest) -> HttpResponse:
    """Every public event, for anyone's calendar application."""
    return _calendar(request, selectors.public_calendar(), _("Events"), "events.ics")


@login_required
def my_calendar(request: AuthenticatedRequest) -> HttpResponse:
    """The address of the user's calendar feed; a new one revokes the old."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        feed = services.calendar_feed_renew(actor=request.user, user=request.user)
        messages.success(request, _("New address made: the old one no longer works."))
        return redirect("events_my_calendar")
    url = request.build_absolute_uri(reverse("events_feed", args=[feed.token])) if feed else ""
    return render(request, "events/my_calendar.html", {"feed_url": url})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's events and meetings for a calendar application: the address is the secret."""
    found = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user")
    feed = found.first()
    if feed is None:
        raise Http404
    items = selectors.personal_calendar(feed.user)
    return _calendar(request, items, _("My events"), "my-events.ics")


# Conferences and trainings


@login_required
def event_edit(request: AuthenticatedRequest, event_id: int | None = None) -> HttpResponse:
    """A new conference or training (agency staff), or a change to one (them and its
    organisers); its sessions, speakers, tickets and questions are added on its page."""
    event, initial = None, {}
    if event_id is not None:
        event = _managed_event(request, event_id)
        agencies = Agency.objects.filter(pk=event.agency_id)
        zone = ZoneInfo(event.timezone)
        initial = {
            name: getattr(event, name)
            for name in forms.EventForm.base_fields
            if name not in {"starts_at", "ends_at", "b2b_slots", "organisers"}
        }
        initial |= {
            "starts_at": timezone.make_naive(event.starts_at, zone),
            "ends_at": timezone.make_naive(event.ends_at, zone),
            "organisers": event.organisers.all(),
            "b2b_slots": "\n".join(slot_label(slot, event.timezone) for slot in event.b2b_slots),
        }
    else:
        agencies = permissions.conveners(request.user)
        if not agencies.exists():
            raise DjangoPermissionDenied
    form = forms.EventForm(request.POST or None, initial=initial, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_save(
                actor=request.user, event=event, agency=data["agency"], kind=data["kind"],
                title=data["title"], description=data["description"],
                starts_at=form.in_zone(data["starts_at"]), ends_at=form.in_zone(data["ends_at"]),
                tz=data["timezone"], place=data["place"], online_link=data["online_link"],
                capacity=data["capacity"], price_eur=data["price_eur"],
                languages=data["languages"], visibility=data["visibility"],
                organisers=list(data["organisers"]), cluster=data["cluster"],
                completion_percent=data["completion_percent"], b2b_slots=data["slots"],
                b2b_tables=data["b2b_tables"], registration_open=data["registration_open"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("events_event", event.pk)
    title = event.title if event else _("New event")
    return render(request, "events/form.html", {"form": form, "title": title})


@login_required
@require_POST
def event_remove(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    try:
        services.event_remove(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("events_event", event.pk)
    messages.success(request, _("Removed."))
    return redirect("events_home")


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(permissions.visible_events(request.user), pk=event_id)
    return _event_page(request, event)


def _registration_form(
    request: HttpRequest, event: Event, tickets: list[dict], data: object = None
) -> forms.RegistrationForm:
    user = request.user
    return forms.RegistrationForm(
        data, organisations=user.represented_organisations.order_by("name")
        if user.is_authenticated else [],
        tickets=tickets, questions=event.questions.all(), zone=event.timezone,
    )  # fmt: skip


def _event_page(
    request: HttpRequest, event: Event, *, form: forms.RegistrationForm | None = None
) -> HttpResponse:
    user = request.user
    tickets = selectors.ticket_types(event)
    mine = (
        event.registrations.filter(user=user).select_related("certificate").first()
        if user.is_authenticated
        else None
    )
    manage = permissions.can_manage_event(user, event)
    registrations = None
    if manage:
        registrations = list(
            event.registrations.exclude(status=Registration.Status.CANCELLED)
            .select_related("user", "organisation", "ticket")
            .prefetch_related("attended")
        )
        modules = selectors.module_attendance(event)
        for registration in registrations:
            registration.modules = modules.get(registration.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "mine": mine if mine and mine.status != Registration.Status.CANCELLED else None,
            "position": selectors.waiting_position(mine) if mine else None,
            "confirmed": selectors.confirmed_count(event),
            "sessions": event.sessions.all(),
            "speakers": event.speakers.all(),
            "feedback_due": selectors.feedback_due(mine),
            "feedback_count": Feedback.objects.filter(registration__event=event).count()
            if manage
            else 0,
            "survey_questions": event.survey_questions.all(),
            "survey_form": forms.SurveyQuestionForm(event=event) if manage else None,
            "payments": selectors.payments(event) if manage else None,
            "payment_choices": Registration.Payment.choices,
            "event_languages": [
                str(name) for code, name in settings.LANGUAGES if code in event.languages
            ],
            "manage": manage,
            "registrations": registrations,
            "registration_form": form or _registration_form(request, event, tickets),
            "tickets": tickets,
            "questions": event.questions.all(),
            "ticket_form": forms.TicketTypeForm(event=event) if manage else None,
            "question_form": forms.QuestionForm(event=event) if manage else None,
            "session_form": forms.SessionForm(event=event) if manage else None,
            "speaker_form": forms.SpeakerForm(event=event) if manage else None,
            "removable": manage
            and permissions.can_convene(user, event.agency)
            and not event.registrations.exists(),
            "json_ld": selectors.event_json_ld(
                event, url=request.build_absolute_uri(reverse("events_event", args=[event.pk]))
            )
            if event.visibility == Visibility.PUBLIC
            else "",
            "certificates": Certificate.objects.filter(registration__event=event).select_related(
                "registration__user"
            )
            if manage
            else [],
        },
    )


def programme(request: HttpRequest, event_id: int) -> HttpResponse:
    """The timetable by day, time and room, and the speakers with their biographies."""
    event = get_object_or_404(permissions.visible_events(request.user), pk=event_id)
    return render(
        request,
        "events/programme.html",
        {"event": event, "days": selectors.programme(event), "speakers": event.speakers.all()},
    )


@login_required
def check_in(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The door: staff type or scan a badge's code; the answer says who it is, or why not."""
    event = _event_for(request, event_id)
    if not permissions.can_manage_event(request.user, event):
        raise DjangoPermissionDenied
    admitted, refusal = None, ""
    if request.method == "POST":
        try:
            admitted = services.check_in(
                actor=request.user, event=event, code=request.POST.get("code", "")
            )
        except DomainError as error:
            refusal = str(error)
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "admitted": admitted,
            "refusal": refusal,
            "count": event.registrations.filter(checked_in_at__isnull=False).count(),
        },
        status=422 if refusal else 200,
    )


@login_required
def badge(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "user", "organisation"), pk=registration_id
    )
    if not permissions.can_see_registration(request.user, registration):
        raise Http404
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    # The QR code holds the badge's code: a scanner at the check-in page types it in.
    code = qr.svg(registration.badge_code, title=_("QR code of the badge"))
    return render(
        request, "events/badge.html", {"registration": registration, "qr": mark_safe(code)}
    )


def _event_for(request: HttpRequest, event_id: int) -> Event:
    return get_object_or_404(permissions.visible_events(request.user), pk=event_id)


@login_required
@require_POST
def register(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    form = _registration_form(request, event, selectors.ticket_types(event), request.POST)
    if not form.is_valid():
        return _event_page(request, event, form=form)
    data = form.cleaned_data
    try:
        registration = services.registration_create(
            actor=request.user, event=event, user=request.user,
            organisation=form.organisations.get(data.get("organisation") or ""),
            ticket=form.tickets.get(data.get("ticket") or ""), answers=form.answers(),
        )  # fmt: skip
    except DomainError as error:
        add_error(form, error)
        return _event_page(request, event, form=form)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered."))
    else:
        messages.success(request, _("The event is full: you are on the waiting list."))
    return redirect("events_event", event.pk)


def _managed_event(request: AuthenticatedRequest, event_id: int) -> Event:
    event = _event_for(request, event_id)
    if not permissions.can_manage_event(request.user, event):
        raise DjangoPermissionDenied
    return event


@dataclass(frozen=True)
class Part:
    """What organisers add to an event's page, change and remove: one row each in PARTS, one
    set of views for all. The form's fields are the service's arguments; `key` is the
    service's argument naming the stored part (none: a new one)."""

    model: type[Speaker | Session | TicketType | Question | SurveyQuestion]
    form: type[forms.EventPartForm]
    key: str
    save: Callable[..., object]
    remove: Callable[..., None]
    title: Promise
    invalid: Promise
    added: Promise


PARTS = {
    "ticket": Part(
        TicketType, forms.TicketTypeForm, "ticket", services.ticket_type_save,
        services.ticket_type_remove, gettext_lazy("Ticket"),
        gettext_lazy("The ticket needs a name and a price."), gettext_lazy("Ticket added."),
    ),
    "question": Part(
        Question, forms.QuestionForm, "question", services.question_save,
        services.question_remove, gettext_lazy("Question"), gettext_lazy("Write the question."),
        gettext_lazy("Question added."),
    ),
    "survey": Part(
        SurveyQuestion, forms.SurveyQuestionForm, "question", services.survey_question_save,
        services.survey_question_remove, gettext_lazy("Survey question"),
        gettext_lazy("Write the question in each of the event's languages."),
        gettext_lazy("Question added."),
    ),
    "session": Part(
        Session, forms.SessionForm, "session", services.session_save, services.session_remove,
        gettext_lazy("Session"),
        gettext_lazy("The session needs a title, a start and an end."),
        gettext_lazy("Session added."),
    ),
    "speaker": Part(
        Speaker, forms.SpeakerForm, "speaker", services.speaker_save, services.speaker_remove,
        gettext_lazy("Speaker or trainer"), gettext_lazy("Give the speaker's name."),
        gettext_lazy("Speaker added."),
    ),
}  # fmt: skip


@login_required
@require_POST
def part_add(request: AuthenticatedRequest, event_id: int, kind: str) -> HttpResponse:
    """Adds a ticket type, a question, a session or a speaker (PARTS) from the event's page."""
    part, event = PARTS[kind], _managed_event(request, event_id)
    form = part.form(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, str(part.invalid))
        return redirect("events_event", event.pk)
    try:
        part.save(actor=request.user, event=event, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, str(part.added))
    return redirect("events_event", event.pk)


@login_required
def part_edit(
    request: AuthenticatedRequest, event_id: int, part_id: int, kind: str
) -> HttpResponse:
    """Changes a ticket type, a question, a session or a speaker of the event (PARTS)."""
    part, event = PARTS[kind], _managed_event(request, event_id)
    item = get_object_or_404(part.model.objects.filter(event=event), pk=part_id)
    form = part.form(
        request.POST or None, event=event, initial=part.form.initial_of(item, event.timezone)
    )
    if request.method == "POST" and form.is_valid():
        try:
            part.save(actor=request.user, event=event, **{part.key: item}, **form.cleaned_data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events_event", event.pk)
    return render(
        request,
        "events/form.html",
        {"form": form, "title": f"{part.title}: {item}", "back": event},
    )


@login_required
@require_POST
def part_remove(
    request: AuthenticatedRequest, event_id: int, part_id: int, kind: str
) -> HttpResponse:
    """Removes a ticket type, a question, a session or a speaker of the event (PARTS), when
    its service allows it."""
    part, event = PARTS[kind], _managed_event(request, event_id)
    item = get_object_or_404(part.model.objects.filter(event=event), pk=part_id)
    try:
        part.remove(actor=request.user, **{part.key: item})
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed."))
    return redirect("events_event", event.pk)


@login_required
@require_POST
def ticket_close(request: AuthenticatedRequest, event_id: int, part_id: int) -> HttpResponse:
    """Ends a ticket's sale now (a ticket people registered with is closed, not removed)."""
    event = _managed_event(request, event_id)
    ticket = get_object_or_404(event.ticket_types, pk=part_id)
    services.ticket_type_close(actor=request.user, ticket=ticket)
    messages.success(request, _("Saved."))
    return redirect("events_event", event.pk)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def registrations_export(request: AuthenticatedRequest, event_id: int, fmt: str) -> HttpResponse:
    """The registrations with tickets and answers (organisers), guarded against formulas."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    event = _managed_event(request, event_id)
    columns, rows = selectors.registrations_table(event)
    response = HttpResponse(tables.write_table(columns, rows, fmt), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.pk}.{fmt}"'
    return response


@login_required
def feedback(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The feedback survey, for a participant who attended, once the event has ended."""
    event = _event_for(request, event_id)
    registration = get_object_or_404(event.registrations, user=request.user)
    if not selectors.feedback_due(registration):
        messages.error(request, _("The survey is for those who attended, once, after the event."))
        return redirect("events_event", event.pk)
    form = forms.FeedbackForm(request.POST or None, questions=event.survey_questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(
                actor=request.user, registration=registration,
                rating=form.cleaned_data["rating"], answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events_event", event.pk)
    return render(
        request, "events/form.html",
        {"form": form, "title": _("Feedback: %(event)s") % {"event": event.title}, "back": event,
         "submit": _("Send my feedback")},
    )  # fmt: skip


@login_required
def feedback_results(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The survey's results (organisers), small breakdowns withheld."""
    event = _managed_event(request, event_id)
    return render(
        request, "events/feedback_results.html",
        {"event": event, **selectors.survey_results(event, language=get_language() or "")},
    )  # fmt: skip


@login_required
@require_POST
def registration_cancel(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id
    )
    if not permissions.can_see_registration(request.user, registration):
        raise Http404
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Registration cancelled."))
    return redirect("events_event", registration.event_id)


@login_required
@require_POST
def registration_approve(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "ticket"), pk=registration_id
    )
    if not permissions.can_see_registration(request.user, registration):
        raise Http404
    try:
        services.registration_approve(
            actor=request.user, registration=registration,
            accept=request.POST.get("accept") == "1",
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer recorded."))
    return redirect("events_event", registration.event_id)


@login_required
@require_POST
def registration_payment(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    """The organisers record a registration's payment: not paid, paid or refunded."""
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id
    )
    if not permissions.can_see_registration(request.user, registration):
        raise Http404
    try:
        services.registration_payment_record(
            actor=request.user, registration=registration,
            payment=request.POST.get("payment", ""),
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("events_event", args=[registration.event_id]) + "#participants")


@login_required
@require_POST
def attendance(request: AuthenticatedRequest, event_id: int, session_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    session = get_object_or_404(event.sessions, pk=session_id)
    keys = [int(k) for k in request.POST.getlist("present") if k.isdigit()]
    present = list(event.registrations.filter(pk__in=keys))
    try:
        services.attendance_record(actor=request.user, session=session, present=present)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("events_event", event.pk)


@keep_lazy(SafeString)
def _columns(kind: "str | Promise", columns: str) -> SafeString:
    # Column names are what the file must say, in any language: shown as code, not translated.
    return format_html("{} (<code>{}</code>)", kind, columns)


class ParticipantImportForm(ImportForm):
    kind = django_forms.ChoiceField(
        label=gettext_lazy("What to import"),
        choices=[
            (
                "participants",
                _columns(gettext_lazy("participants"), "username, organisation, ticket, …"),
            )
        ],
    )


@login_required
def participants_import(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """A list of participants from a file: all or nothing."""
    event = _event_for(request, event_id)
    if not permissions.can_manage_event(request.user, event):
        raise DjangoPermissionDenied
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    importer = importers.ParticipantImporter(actor=request.user, event=event)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importer.run(upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
    return render(
        request, "events/import.html",
        {"event": event, "form": form, "report": report, "questions": importer.questions,
         "tickets": event.ticket_types.all()},
    )  # fmt: skip


@login_required
@require_POST
def certificates_issue(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    try:
        issued = services.certificates_issue(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificates issued: %(count)s.") % {"count": len(issued)})
    return redirect("events_event", event.pk)


@login_required
@require_POST
def certificate_revoke(request: AuthenticatedRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__event"), code=code
    )
    try:
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("events_event", certificate.registration.event_id)


def _certificate(code: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("registration__event__agency", "registration__user"),
        code=code.upper(),
    )


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a certificate's code checks it here."""
    certificate = _certificate(code)
    return render(request, "events/verify.html", {"certificate": certificate})


@login_required
def certificate_pdf(request: AuthenticatedRequest, code: str) -> HttpResponse:
    certificate = _certificate(code)
    if not permissions.can_see_registration(request.user, certificate.registration):
        raise Http404
    if not certificate.valid:
        raise Http404
    verify = request.build_absolute_uri(reverse("events_verify", args=[certificate.code]))
    html = render_to_string(
        "events/certificate_pdf.html",
        {"certificate": certificate, "verify": verify, "qr": mark_safe(qr.svg(verify))},
        request,
    )
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


# B2B matchmaking


@login_required
def b2b(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    if event.kind != Event.Kind.CONFERENCE or not event.b2b_slots:
        raise Http404
    user = request.user
    registration = event.registrations.filter(
        user=user, status=Registration.Status.CONFIRMED
    ).first()
    manage = permissions.can_manage_event(user, event)
    if registration is None and not manage:
        raise DjangoPermissionDenied
    profile = B2BProfile.objects.filter(registration=registration).first() if registration else None
    slots = [(slot, slot_label(slot, event.timezone)) for slot in event.b2b_slots]
    form = None
    if registration is not None:
        initial = (
            {"organisation": str(profile.organisation_id), "offers": profile.offers,
             "seeks": profile.seeks, "available": profile.available}
            if profile else {"available": list(event.b2b_slots)}
        )  # fmt: skip
        form = forms.B2BProfileForm(
            request.POST or None, initial=initial,
            organisations=user.represented_organisations.order_by("name"), slots=slots,
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.b2b_profile_save(
                    actor=user, registration=registration,
                    organisation=form.organisations[data["organisation"]], offers=data["offers"],
                    seeks=data["seeks"], available=data["available"],
                )  # fmt: skip
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("events_b2b", event.pk)
    requests = permissions.visible_b2b_requests(user, event)
    labels = dict(slots)
    return render(
        request,
        "events/b2b.html",
        {
            "event": event,
            "profile": profile,
            "form": form,
            "manage": manage,
            "suggestions": selectors.b2b_suggestions(profile) if profile else [],
            "participants": selectors.b2b_profiles(event).exclude(pk=profile.pk if profile else 0),
            "requests": requests,
            "schedule": [
                (labels.get(r.slot, r.slot), r) for r in selectors.b2b_schedule_of(profile)
            ]
            if profile
            else [],
            "asked": {other for r in requests for other in (r.requester_id, r.recipient_id)},
        },
    )


@login_required
def b2b_ics(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The user's B2B agenda at the conference, for a calendar application."""
    event = _event_for(request, event_id)
    agenda = selectors.b2b_agenda(request.user, event=event)
    return _calendar(request, agenda, event.title, f"b2b-{event.pk}.ics")


@login_required
def b2b_pdf(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The user's B2B agenda at the conference, to print."""
    event = _event_for(request, event_id)
    agenda = selectors.b2b_agenda(request.user, event=event)
    html = render_to_string(
        "events/b2b_pdf.html", {"event": event, "agenda": agenda, "person": request.user}, request
    )
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="b2b-{event.pk}.pdf"'
    return response


@login_required
@require_POST
def b2b_request(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    mine = get_object_or_404(B2BProfile, registration__event=event, registration__user=request.user)
    key = request.POST.get("recipient", "")
    recipient = get_object_or_404(
        selectors.b2b_profiles(event), pk=int(key) if key.isdigit() else 0
    )
    try:
        services.b2b_request_create(
            actor=request.user, requester=mine, recipient=recipient,
            message=request.POST.get("message", ""),
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Meeting request sent."))
    return redirect("events_b2b", event.pk)


@login_required
@require_POST
def b2b_answer(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    found = get_object_or_404(
        B2BRequest.objects.select_related("recipient__registration", "event"), pk=request_id
    )
    if not permissions.visible_b2b_requests(request.user, found.event).filter(pk=found.pk):
        raise Http404
    services.b2b_request_answer(
        actor=request.user, request=found, accept=request.POST.get("accept") == "1"
    )
    messages.success(request, _("Answer recorded."))
    return redirect("events_b2b", found.event_id)


@login_required
@require_POST
def b2b_schedule(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    result = services.b2b_schedule(actor=request.user, event=event)
    messages.success(
        request,
        _(
            "Scheduled %(held)s of %(requested)s accepted meetings (first-fit would hold %(greedy)s)."
        )
        % {"held": result.held, "requested": result.requested, "greedy": result.greedy_held},
    )
    return redirect("events_b2b", event.pk)
