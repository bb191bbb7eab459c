"""Forms of the events pages: they parse; the services decide."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atclusters.core.labels import fields_sorted
from atclusters.core.models import Agency
from atclusters.core.pickers import PickerSelectMultiple
from atclusters.events import selectors
from atclusters.events.models import (
    ActionItem,
    Event,
    Meeting,
    Question,
    Speaker,
    SurveyQuestion,
    Visibility,
    WorkingGroup,
)
from atclusters.registry.models import ClusterOrganisation

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people():
    return User.objects.filter(is_active=True).order_by("username")


class GroupForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Convening agency"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=_people())
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=_people(), required=False)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part"), queryset=Agency.objects.order_by("name"), required=False
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters taking part"),
        queryset=ClusterOrganisation.objects.filter(status="published").order_by("name"),
        required=False,
        to_field_name="slug",
        widget=PickerSelectMultiple("cluster"),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        fields_sorted(self, "agencies", "clusters")


class ZonedForm(forms.Form):
    """A form whose times are those of the time zone it is given (field `timezone`), not the
    visitor's."""

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise forms.ValidationError(_("is not a known time zone")) from error
        return value

    def in_zone(self, value: datetime) -> datetime:
        return timezone.make_aware(
            timezone.make_naive(value), ZoneInfo(self.cleaned_data["timezone"])
        )


class MeetingForm(ZonedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    group = forms.ModelChoiceField(
        label=_("Working group"), queryset=WorkingGroup.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("End"), widget=LOCAL)
    timezone = forms.CharField(
        label=_("Time zone"), max_length=64, initial="Europe/Madrid",
        help_text=_("The start and end are times in this zone, e.g. Europe/Lisbon."),
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=_("One item a line."),
    )  # fmt: skip
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    invitees = forms.ModelMultipleChoiceField(
        label=_("Invited people"), queryset=_people(), required=False
    )
    invite_clusters = forms.ModelMultipleChoiceField(
        label=_("Invite clusters"), required=False,
        queryset=ClusterOrganisation.objects.filter(status="published").order_by("name"),
        to_field_name="slug", widget=PickerSelectMultiple("cluster"),
        help_text=_("Their managers are invited."),
    )  # fmt: skip
    invite_groups = forms.ModelMultipleChoiceField(
        label=_("Invite working groups"), queryset=WorkingGroup.objects.none(), required=False,
        help_text=_("Their leads and members are invited."),
    )  # fmt: skip

    def __init__(self, *args, agencies, groups, visible_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["invite_groups"].queryset = visible_groups  # type: ignore[attr-defined]
        fields_sorted(self, "invite_clusters", "invite_groups")


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
        help_text=_("Paragraphs, lists, bold, italics and links are kept."),
    )  # fmt: skip


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_people())
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class EventForm(ZonedForm):
    agency = forms.ModelChoiceField(label=_("Organising agency"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    starts_at = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("End"), widget=LOCAL)
    timezone = forms.CharField(
        label=_("Time zone"), max_length=64, initial="Europe/Madrid",
        help_text=_("The times of the event are times in this zone, e.g. Europe/Lisbon."),
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1)
    price_eur = forms.DecimalField(
        label=_("Price (EUR)"), min_value=0, max_digits=9, decimal_places=2, initial=0,
        help_text=_("0 for free. Ticket types, added on the event's page, have their own."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organisers"), queryset=_people(), required=False
    )
    cluster = forms.ModelChoiceField(
        label=_("Organising cluster"), required=False,
        queryset=ClusterOrganisation.objects.filter(status="published").order_by("name"),
        help_text=_("A cluster of the agency that organises it: it counts in its benchmarking."),
    )  # fmt: skip
    completion_percent = forms.IntegerField(
        label=_("Sessions to attend for a certificate (%)"), min_value=1, max_value=100,
        initial=80,
    )  # fmt: skip
    b2b_slots = forms.CharField(
        label=_("B2B slots"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Conferences with B2B meetings: the start of each slot, one a line "
                    "(YYYY-MM-DD HH:MM, in the event's time zone)."),
    )  # fmt: skip
    b2b_tables = forms.IntegerField(label=_("B2B tables"), min_value=0, initial=0)
    registration_open = forms.BooleanField(
        label=_("Registration open"), required=False, initial=True,
        help_text=_("Untick to stop new registrations; those made stay."),
    )  # fmt: skip

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        fields_sorted(self, "cluster")

    def clean(self) -> dict:
        data = super().clean() or {}
        slots = []
        for number, line in enumerate(data.get("b2b_slots", "").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                moment = datetime.strptime(line.strip(), "%Y-%m-%d %H:%M")
            except ValueError:
                self.add_error(
                    "b2b_slots",
                    _("line %(line)s is not a time YYYY-MM-DD HH:MM") % {"line": number},
                )
                return data
            if "timezone" in data:
                slots.append(moment.replace(tzinfo=ZoneInfo(data["timezone"])).isoformat())
        data["slots"] = slots
        return data


class EventPartForm(forms.Form):
    """A form for what organisers add to an event and change (ticket types, sessions, speakers,
    questions): its fields are the service's arguments, its times those of the event's zone (not
    the visitor's)."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(event.timezone)

    @classmethod
    def initial_of(cls, part: object, zone: str) -> dict:
        """The values of a stored part, as the form shows them: times in the event's zone,
        related records as lists."""
        values = {}
        for name in cls.base_fields:
            value = getattr(part, name)
            if isinstance(value, datetime):
                value = timezone.make_naive(value, ZoneInfo(zone))
            elif hasattr(value, "all"):
                value = list(value.all())
            values[name] = value
        return values

    def clean(self) -> dict:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, datetime):
                data[name] = timezone.make_aware(timezone.make_naive(value), self.zone)
        return data


class TicketTypeForm(EventPartForm):
    name = forms.CharField(label=_("Ticket"), max_length=100, help_text=_("e.g. Full pass"))
    price_eur = forms.DecimalField(
        label=_("Price (EUR)"), min_value=0, max_digits=9, decimal_places=2, initial=0
    )
    member_price_eur = forms.DecimalField(
        label=_("Member price (EUR)"), min_value=0, max_digits=9, decimal_places=2,
        required=False,
        help_text=_("For who comes for a member of a cluster of the organising agency."),
    )  # fmt: skip
    capacity = forms.IntegerField(
        label=_("Seats of this ticket"), min_value=1, required=False,
        help_text=_("Empty: only the event's capacity bounds it."),
    )  # fmt: skip
    sales_end = forms.DateTimeField(label=_("On sale until"), widget=LOCAL, required=False)
    approval = forms.BooleanField(
        label=_("Needs the organisers' approval"), required=False,
        help_text=_("A registration with this ticket waits until an organiser approves it."),
    )  # fmt: skip


class SessionForm(EventPartForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("End"), widget=LOCAL)
    module = forms.CharField(
        label=_("Module"), max_length=100, required=False,
        help_text=_("A course made of modules: the completion rule holds in each module."),
    )  # fmt: skip
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    track = forms.CharField(label=_("Track"), max_length=100, required=False)
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers or trainers"), queryset=Speaker.objects.none(), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["speakers"].queryset = event.speakers.all()  # type: ignore[attr-defined]
        fields_sorted(self, "speakers")


class SpeakerForm(EventPartForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    bio = forms.CharField(
        label=_("Biography"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class QuestionForm(EventPartForm):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One a line, for “one of a list”."),
    )  # fmt: skip
    required = forms.BooleanField(label=_("Answer required"), required=False)


class SurveyQuestionForm(EventPartForm):
    """A question of the feedback survey: its text, and its choices (one a line), in each of
    the event's languages; the service receives them as `texts` and `choices` by language."""

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=SurveyQuestion.Kind.choices)
    required = forms.BooleanField(label=_("Answer required"), required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        names = dict(settings.LANGUAGES)
        self.languages = selectors.survey_languages(event)
        for code in self.languages:
            language = names.get(code, code)
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question in %(language)s") % {"language": language}, max_length=300
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices in %(language)s") % {"language": language}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One a line, in the same order in every language, for a choice."),
            )  # fmt: skip

    @classmethod
    def initial_of(cls, part: object, zone: str) -> dict:
        assert isinstance(part, SurveyQuestion)
        return {
            "kind": part.kind,
            "required": part.required,
            **{f"text_{code}": text for code, text in part.texts.items()},
            **{f"choices_{code}": "\n".join(lines) for code, lines in part.choices.items()},
        }

    def clean(self) -> dict:
        data = super().clean()
        return {
            "kind": data.get("kind"),
            "required": data.get("required", False),
            "texts": {code: data.get(f"text_{code}", "") for code in self.languages},
            "choices": {
                code: data.get(f"choices_{code}", "").splitlines() for code in self.languages
            },
        }


class FeedbackForm(forms.Form):
    """The feedback survey a participant answers: the overall rating, the organisers'
    questions in the reader's language (fields `survey_<id>`, as the service names them; a
    choice is sent by its position) and a comment."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        ratings = [(str(value), str(value)) for value in range(1, 6)]
        self.fields["rating"] = forms.TypedChoiceField(
            label=_("How was it? (1 poor, 5 excellent)"), choices=ratings, coerce=int,
            widget=forms.RadioSelect,
        )  # fmt: skip
        language = get_language() or settings.LANGUAGE_CODE
        for question in questions:
            label = question.text_in(language)
            options = list(enumerate(question.choices_in(language)))
            field: forms.Field
            if question.kind == SurveyQuestion.Kind.RATING:
                field = forms.ChoiceField(
                    label=label, choices=ratings, widget=forms.RadioSelect,
                    help_text=_("1 poor, 5 excellent"),
                )  # fmt: skip
            elif question.kind == SurveyQuestion.Kind.SINGLE:
                field = forms.ChoiceField(label=label, choices=options, widget=forms.RadioSelect)
            elif question.kind == SurveyQuestion.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, choices=options, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.CharField(
                    label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )
            field.required = question.required
            self.fields[f"survey_{question.pk}"] = field
        self.fields["comment"] = forms.CharField(
            label=_("Comment"), max_length=2000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )  # fmt: skip

    def answers(self) -> dict[str, object]:
        return {
            name.removeprefix("survey_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("survey_") and value not in ("", [], None)
        }


class RegistrationForm(forms.Form):
    """Registering for an event: for whom, which ticket, the answers to its questions (fields
    `question_<id>`, as the service names them)."""

    def __init__(self, *args, organisations, tickets, questions, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if self.organisations:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("On behalf of"), required=False,
                choices=[("", _("myself")), *((k, o.name) for k, o in self.organisations.items())],
            )  # fmt: skip
        self.tickets = {str(row["ticket"].pk): row["ticket"] for row in tickets if row["on_sale"]}
        if tickets:
            self.fields["ticket"] = forms.ChoiceField(
                label=_("Ticket"), widget=forms.RadioSelect,
                choices=[(str(row["ticket"].pk), _ticket_label(row, zone)) for row in tickets
                         if row["on_sale"]],
            )  # fmt: skip
        for question in questions:
            name, label = f"question_{question.pk}", question.label
            field: forms.Field
            if question.kind == Question.Kind.CHOICE:
                empty = [] if question.required else [("", "—")]
                field = forms.ChoiceField(
                    label=label, choices=[*empty, *((c, c) for c in question.choice_list())]
                )
            elif question.kind == Question.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=label, widget=forms.RadioSelect,
                    choices=[("yes", _("yes")), ("no", _("no"))],
                )  # fmt: skip
            else:
                field = forms.CharField(
                    label=label, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
                )
            field.required = question.required
            self.fields[name] = field

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("question_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("question_") and value
        }


def _ticket_label(row, zone: str) -> str:
    ticket = row["ticket"]
    parts = [ticket.name, f"EUR {ticket.price_eur}" if ticket.price_eur else str(_("free"))]
    if ticket.member_price_eur is not None:
        parts.append(str(_("members EUR %(price)s") % {"price": ticket.member_price_eur}))
    if row["left"] is not None:
        parts.append(str(_("%(left)s seats left") % {"left": row["left"]}))
    if ticket.sales_end is not None:
        until = ticket.sales_end.astimezone(ZoneInfo(zone))
        parts.append(str(_("on sale until %(when)s") % {"when": f"{until:%Y-%m-%d %H:%M}"}))
    return " · ".join(parts)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class B2BProfileForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    offers = forms.CharField(
        label=_("What we offer"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=2000,
    )  # fmt: skip
    seeks = forms.CharField(
        label=_("What we look for"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=2000,
    )  # fmt: skip
    available = forms.MultipleChoiceField(
        label=_("When I am free to meet"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, organisations, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(k, str(o)) for k, o in self.organisations.items()]  # type: ignore[attr-defined]
        self.fields["available"].choices = slots  # type: ignore[attr-defined]


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000,
        help_text=_("Paragraphs, lists, bold, italics and links are kept; @username tells a member by email."),
    )  # fmt: skip


class TopicForm(PostForm):
    title = forms.CharField(label=_("Topic"), max_length=200)
    field_order = ["title", "body"]


class RepeatForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Every (days)"), min_value=1, max_value=366, initial=28,
        help_text=_("7 for weekly, 14 for fortnightly, 28 for every four weeks."),
    )  # fmt: skip
    count = forms.IntegerField(
        label=_("How many more meetings"), min_value=1, max_value=24, initial=3
    )
