"""Forms of the cooperation pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from atclusters.cooperation.models import Posting
from atclusters.core.labels import sorted_by_label
from atclusters.core.models import Agency, Country, NaceActivity, NutsRegion, Term
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Organisation


class InitiativeForm(forms.Form):
    """ "Save as initiative" on the meta-clusters page. Clusters that are not published and
    agreements the user may not see are left out rather than refused: the service then says
    when fewer than two clusters remain. An unknown agency makes the form invalid."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), to_field_name="slug")
    name = forms.CharField(required=False)
    goals = forms.CharField(required=False, strip=False)
    actions = forms.CharField(required=False, strip=False)
    members = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    agreements = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_members(self) -> list[ClusterOrganisation]:
        return list(
            ClusterOrganisation.objects.filter(
                slug__in=self.cleaned_data["members"] or [],
                status=ClusterOrganisation.Status.PUBLISHED,
            )
        )

    def clean_agreements(self) -> list[CooperationAgreement]:
        return list(
            registry_selectors.agreement_list(user=self.user).filter(
                slug__in=self.cleaned_data["agreements"] or []
            )
        )


class PostingForm(forms.Form):
    author = forms.ChoiceField(label=gettext_lazy("Posted by"))
    kind = forms.ChoiceField(label=gettext_lazy("Offer or request"), choices=Posting.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=5000, widget=forms.Textarea
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the text"), choices=settings.LANGUAGES
    )
    sectors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sectors (NACE divisions)"),
        queryset=NaceActivity.objects.filter(version=NaceActivity.Version.REV2, level=2),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "size": 8}),
    )
    terms = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Technology fields, ecosystems and S3 areas"),
        queryset=Term.objects.exclude(kind=Term.Kind.NETWORK).order_by("kind", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "size": 8}),
    )
    target_countries = forms.MultipleChoiceField(
        label=gettext_lazy("Target countries (none: any)"), required=False
    )
    target_regions = forms.MultipleChoiceField(
        label=gettext_lazy("Target regions (NUTS 1 or 2; with the countries, any of them)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "size": 8}),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    call = forms.CharField(
        label=gettext_lazy("Linked call or project"), max_length=200, required=False
    )

    def __init__(self, *args, authors: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = authors  # type: ignore[attr-defined]
        self.fields["target_countries"].choices = [  # type: ignore[attr-defined]
            (c.code, c.label) for c in sorted_by_label(Country.objects.all(), lambda c: c.label)
        ]
        self.fields["target_regions"].choices = [  # type: ignore[attr-defined]
            (code, f"{code} {name}")
            for code, name in NutsRegion.objects.filter(level__in=(1, 2), in_2024=True)
            .order_by("code")
            .values_list("code", "name")
        ]

    def clean_author(self) -> ClusterOrganisation | Organisation:
        """The cluster or organisation chosen (among the choices: those the user may post for)."""
        kind, slug = self.cleaned_data["author"].split(":", 1)
        model = ClusterOrganisation if kind == "cluster" else Organisation
        return model.objects.get(slug=slug)
