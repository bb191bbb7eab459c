from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from atclusters.core import forms as core_forms
from atclusters.core.labels import choices_sorted, sorted_by_label
from atclusters.core.models import Agency, NaceActivity, NutsRegion, Term
from atclusters.core.pickers import PickerField, PickerSelect
from atclusters.registry.importers import KINDS
from atclusters.registry.models import (
    CLUSTER,
    DESCRIPTION_LANGUAGES,
    ORGANISATION,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)

SEARCHABLE = {"data-searchable": "true"}


class DateInput(forms.DateInput):
    input_type = "date"


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def _current_nace():
    return NaceActivity.objects.filter(version=NaceActivity.Version.REV2_1)


class ClusterFilterForm(forms.Form):
    """The directory's filters; they live in the URL, so a filtered list can be shared."""

    search = forms.CharField(required=False, label=_("Search"))
    country = PickerField("country", required=False, label=_("Country"))
    region = PickerField("region", required=False, label=_("NUTS region"))
    agency = forms.ChoiceField(required=False, label=_("Agency"))
    sector = forms.ChoiceField(required=False, label=_("Sector (NACE division)"))
    ecosystem = forms.ChoiceField(required=False, label=_("Industrial ecosystem"))
    technology = forms.ChoiceField(required=False, label=_("Technology field"))
    label = forms.ChoiceField(
        required=False,
        label=_("Excellence label"),
        choices=[("", "—")] + [c for c in ClusterOrganisation.Label.choices if c[0]],
    )
    min_members = forms.IntegerField(required=False, min_value=0, label=_("Members from"))
    max_members = forms.IntegerField(required=False, min_value=0, label=_("Members up to"))
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", "—"), *ClusterOrganisation.Status.choices]
    )
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            ("name", _("name")),
            ("members", _("most members")),
            ("-members", _("fewest members")),
            ("newest", _("newest")),
            ("oldest", _("oldest")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        empty = [("", "—")]
        self.fields["agency"].choices = empty + [(a.slug, str(a)) for a in Agency.objects.all()]  # type: ignore[attr-defined]
        self.fields["sector"].choices = empty + [  # type: ignore[attr-defined]
            (a.code, f"{a.code} {a.label}")
            for a in _current_nace().filter(level=NaceActivity.Level.DIVISION)
        ]
        for name, kind in (
            ("ecosystem", Term.Kind.ECOSYSTEM),
            ("technology", Term.Kind.TECHNOLOGY_FIELD),
        ):
            self.fields[name].choices = empty + [  # type: ignore[attr-defined]
                (t.slug, t.label)
                for t in sorted_by_label(Term.objects.filter(kind=kind), lambda t: t.label)
            ]


class ClusterForm(forms.ModelForm):
    class Meta:
        model = ClusterOrganisation
        fields = CLUSTER.form_fields()
        widgets = {
            "nuts_region": forms.Select(attrs=SEARCHABLE),
            "sectors": forms.SelectMultiple(attrs={**SEARCHABLE, "size": 8}),
            "technology_fields": forms.SelectMultiple(attrs={**SEARCHABLE, "size": 6}),
            "ecosystems": forms.CheckboxSelectMultiple,
            "s3_areas": forms.CheckboxSelectMultiple,
            "networks": forms.SelectMultiple(attrs={**SEARCHABLE, "size": 6}),
            "label_date": DateInput,
            "label_expiry": DateInput,
            **{
                f"description_{code}": forms.Textarea(attrs={"rows": 4})
                for code in DESCRIPTION_LANGUAGES
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "sectors").queryset = _current_nace()
        _choices(self, "nuts_region").queryset = NutsRegion.objects.filter(level__gte=1)
        for name, kind in (
            ("technology_fields", Term.Kind.TECHNOLOGY_FIELD),
            ("ecosystems", Term.Kind.ECOSYSTEM),
            ("s3_areas", Term.Kind.S3_AREA),
            ("networks", Term.Kind.NETWORK),
        ):
            _choices(self, name).queryset = Term.objects.filter(kind=kind)
            choices_sorted(_choices(self, name))
        choices_sorted(_choices(self, "country"))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > settings.LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(limit)s KB.")
                % {"limit": settings.LOGO_MAX_BYTES // 1024}
            )
        return logo


class ClusterCreateForm(ClusterForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("agency"))

    class Meta(ClusterForm.Meta):
        fields = ["agency", *ClusterForm.Meta.fields]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "agency").queryset = (
            agencies if agencies is not None else Agency.objects.all()
        )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION.form_fields()
        widgets = {
            "nace": forms.Select(attrs=SEARCHABLE),
            "nuts_region": forms.Select(attrs=SEARCHABLE),
            "country": forms.Select(attrs=SEARCHABLE),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "nace").queryset = _current_nace()
        _choices(self, "nuts_region").queryset = NutsRegion.objects.filter(level__gte=1)
        choices_sorted(_choices(self, "country"))


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("organisation"),
        to_field_name="slug",
        widget=PickerSelect("organisation"),
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, label=_("role"))
    since = forms.DateField(label=_("since"), widget=DateInput)
    listed_publicly = forms.BooleanField(
        required=False,
        label=_("The member agreed to appear on the public profile"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "organisation").queryset = (
            organisations if organisations is not None else Organisation.objects.all()
        )
        choices_sorted(_choices(self, "organisation"))


class AgreementForm(forms.ModelForm):
    owner = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("recorded by agency"))

    class Meta:
        model = CooperationAgreement
        fields = [
            "title",
            "type",
            "owner",
            "agency_a",
            "cluster_a",
            "agency_b",
            "cluster_b",
            "sector",
            "start",
            "end",
            "description",
            "is_public",
        ]
        widgets = {
            "start": DateInput,
            "end": DateInput,
            "sector": forms.Select(attrs=SEARCHABLE),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "owner").queryset = (
            agencies if agencies is not None else Agency.objects.all()
        )
        _choices(self, "sector").queryset = _current_nace()
        if self.instance.pk:
            del self.fields["owner"]


class AgreementDocumentForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("title"))
    file = forms.FileField(label=_("file"))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("email"))


KIND_LABELS = {
    "clusters": _("clusters"),
    "organisations": _("organisations"),
    "memberships": _("memberships"),
    "agreements": _("cooperation agreements"),
}


class ImportForm(core_forms.ImportForm):
    kind = forms.ChoiceField(
        choices=[(k, KIND_LABELS[k]) for k in KINDS], label=_("what to import")
    )
