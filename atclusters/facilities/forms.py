"""The hub's forms: booking, a facility's settings, a closure, a contribution to the
investment costs. The rules are the services'; the forms read the input and name the fields."""

import re
from datetime import datetime

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atclusters.core.models import Agency
from atclusters.facilities import availability, permissions, selectors
from atclusters.facilities.models import Resource
from atclusters.registry.models import Organisation

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class BookingForm(forms.Form):
    start = forms.DateTimeField(
        label=gettext_lazy("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=gettext_lazy("End"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    party = forms.ChoiceField(label=gettext_lazy("For"), required=False)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300, required=False)
    recurrence = forms.CharField(
        label=gettext_lazy("Repeats (RFC 5545 RRULE, optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "E.g. FREQ=WEEKLY;COUNT=4 for four weeks. The whole series is booked or none of it."
        ),
    )
    unsubsidised = forms.BooleanField(
        label=gettext_lazy("Pay the list price, without de minimis aid"),
        required=False,
        help_text=gettext_lazy(
            "When your organisation has no de minimis headroom left for the member price."
        ),
    )

    def __init__(self, *args, user: User, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.organisations = {
            f"organisation:{o.pk}": o for o in permissions.organisations_for(user, resource)
        }
        self.clusters = {f"cluster:{c.pk}": c for c in permissions.clusters_for(user, resource)}
        choices = [("", _("myself (list price)"))]
        choices += [(key, str(o)) for key, o in self.organisations.items()]
        choices += [(key, str(c)) for key, c in self.clusters.items()]
        self.fields["party"].choices = choices  # type: ignore[attr-defined]

    def in_zone(self, value: datetime) -> datetime:
        """The form's local times are the resource's, not the visitor's."""
        zone = selectors.resource_rules(self.resource).zone
        return timezone.make_aware(timezone.make_naive(value), zone)


DAY_LABELS = {
    "mon": gettext_lazy("Monday"),
    "tue": gettext_lazy("Tuesday"),
    "wed": gettext_lazy("Wednesday"),
    "thu": gettext_lazy("Thursday"),
    "fri": gettext_lazy("Friday"),
    "sat": gettext_lazy("Saturday"),
    "sun": gettext_lazy("Sunday"),
}


def _windows_text(windows: list[list[str]]) -> str:
    return ", ".join(f"{opens}-{closes}" for opens, closes in windows)


HOUR = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _windows_read(text: str) -> list[list[str]]:
    windows = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        opens, _dash, closes = (value.strip() for value in part.partition("-"))
        if not (HOUR.fullmatch(opens) and HOUR.fullmatch(closes)):
            raise forms.ValidationError(_("write the hours as 09:00-14:00, 15:00-19:00"))
        if opens >= closes:
            raise forms.ValidationError(
                _("%(window)s closes before it opens") % {"window": f"{opens}-{closes}"}
            )
        windows.append([opens, closes])
    return windows


class ResourceForm(forms.ModelForm):
    """A facility's settings; its opening hours one field per weekday ("09:00-14:00,
    15:00-19:00", empty when closed)."""

    class Meta:
        model = Resource
        fields = [
            "hub", "name_en", "name_es", "name_gl", "name_pt", "name_fr", "kind", "capacity",
            "timezone", "holiday_subdivision", "list_price_eur", "member_price_eur",
            "aid_treatment", "cost_eur", "contributor_price_eur", "bookable_by", "approval",
            "min_minutes", "max_minutes", "buffer_minutes", "notice_hours", "managers", "active",
        ]  # fmt: skip

    features = forms.CharField(
        label=gettext_lazy("Features"), required=False,
        help_text=gettext_lazy("Separated by commas, e.g. projector, videoconference."),
    )  # fmt: skip

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        hours = self.instance.opening_hours if self.instance.pk else {}
        for key, label in DAY_LABELS.items():
            self.fields[f"hours_{key}"] = forms.CharField(
                label=label, required=False, initial=_windows_text(hours.get(key, [])),
                help_text=gettext_lazy("Opening hours, e.g. 09:00-14:00, 15:00-19:00; empty: closed."),
            )  # fmt: skip
        self.fields["features"].initial = ", ".join(self.instance.features or [])
        # A facility's managers: the agency's staff and the managers of its clusters.
        self.fields["managers"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .filter(Q(agencies=agency) | Q(managed_clusters__agency=agency))
            .distinct()
            .order_by("username")
        )

    def settings(self) -> dict:
        """The cleaned data as the services take it."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["managers"] = list(self.cleaned_data["managers"])
        data["features"] = [
            item.strip() for item in self.cleaned_data["features"].split(",") if item.strip()
        ]
        hours = {}
        for key in DAY_LABELS:
            try:
                windows = _windows_read(self.cleaned_data[f"hours_{key}"])
            except forms.ValidationError as error:
                self.add_error(f"hours_{key}", error)
                continue
            if windows:
                hours[key] = windows
        try:
            availability.opening_hours_read(hours)
        except ValueError as error:
            day = str(error).split(":", 1)[0]
            self.add_error(f"hours_{day}" if day in DAY_LABELS else None, str(error))
        data["opening_hours"] = hours
        return data

    def _post_clean(self) -> None:
        """The form never writes the facility it edits: the service does, after taking the
        audit's picture of it as it was, and checks the facility's rules itself."""


class ClosureForm(forms.Form):
    start = forms.DateTimeField(label=gettext_lazy("From"), widget=DATETIME)
    end = forms.DateTimeField(label=gettext_lazy("Until"), widget=DATETIME)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def in_zone(self, resource: Resource, value: datetime) -> datetime:
        zone = selectors.resource_rules(resource).zone
        return timezone.make_aware(timezone.make_naive(value), zone)


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    share_percent = forms.DecimalField(
        label=gettext_lazy("Share of the investment costs (%)"), max_digits=5, decimal_places=2
    )
