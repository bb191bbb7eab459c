"""Forms of the benchmarking pages."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atclusters.benchmarking.models import Framework, PolicyProgramme
from atclusters.core.labels import choices_sorted
from atclusters.core.models import Agency
from atclusters.core.pickers import PickerSelectMultiple
from atclusters.registry.models import ClusterOrganisation


class RoundForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Indicator framework"), queryset=Framework.objects.all()
    )
    year = forms.IntegerField(label=gettext_lazy("Year reported"), min_value=2000, max_value=2100)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    clusters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Clusters"),
        queryset=ClusterOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["clusters"].queryset = ClusterOrganisation.objects.filter(  # type: ignore[attr-defined]
            agency__in=agencies
        ).order_by("agency__name", "name")

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline has passed."))
        return deadline


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled template (.xlsx)"))


class PeerSetForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the group"), max_length=120)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Clusters"),
        queryset=ClusterOrganisation.objects.none(),
        to_field_name="slug",
        widget=PickerSelectMultiple("cluster", attrs={"size": 12}),
    )

    def __init__(self, *args, cluster: ClusterOrganisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
            .exclude(pk=cluster.pk)
            .order_by("name")
        )
        choices_sorted(self.fields["members"])


class PolicyForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    clusters_recognised = forms.IntegerField(
        label=gettext_lazy("Clusters recognised"), min_value=0, initial=0
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Programme"), max_length=200)
    instrument = forms.ChoiceField(
        label=gettext_lazy("Instrument"), choices=PolicyProgramme.Instrument.choices
    )
    budget_eur = forms.DecimalField(
        label=gettext_lazy("Budget (EUR)"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    clusters_supported = forms.IntegerField(
        label=gettext_lazy("Clusters supported"), min_value=0, initial=0
    )
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"), choices=PolicyProgramme.LegalBasis.choices
    )
    aid_programme = forms.CharField(
        label=gettext_lazy("Programme in the state-aid register"), max_length=200, required=False
    )
    eligibility = forms.CharField(
        label=gettext_lazy("Eligibility criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    results = forms.CharField(
        label=gettext_lazy("Results indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line: indicator = value"),
    )

    def clean_results(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for number, line in enumerate(self.cleaned_data["results"].splitlines(), start=1):
            if not line.strip():
                continue
            name, separator, value = line.partition("=")
            if not separator or not name.strip():
                raise forms.ValidationError(
                    _("Line %(line)s: write indicator = value.") % {"line": number}
                )
            try:
                results[name.strip()] = float(Decimal(value.strip().replace(",", ".")))
            except InvalidOperation:
                results[name.strip()] = value.strip()
        return results


ProgrammeFormSet = forms.formset_factory(ProgrammeForm, extra=2, can_delete=True)
