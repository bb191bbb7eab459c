"""Forms of the cooperation pages."""

from django import forms

from atclusters.core.models import Agency
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement


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
