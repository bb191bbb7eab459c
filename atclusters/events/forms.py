"""Forms of the events pages: they parse; the services decide."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Agency
from atclusters.events.models import ActionItem, Meeting, Visibility, WorkingGroup
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
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
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

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise forms.ValidationError(_("is not a known time zone")) from error
        return value

    def in_zone(self, value: datetime) -> datetime:
        """The form's times are the meeting's zone's, not the visitor's."""
        return timezone.make_aware(
            timezone.make_naive(value), ZoneInfo(self.cleaned_data["timezone"])
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
        help_text=_("Paragraphs, lists, bold, italics and links are kept."),
    )  # fmt: skip


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_people())
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


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
