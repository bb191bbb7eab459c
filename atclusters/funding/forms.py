"""Forms of EU funding: a call entered by hand, a call feed, CORDIS's two files."""

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Agency
from atclusters.core.pickers import PickerField, PickerInput
from atclusters.funding import calldates, services
from atclusters.funding.models import Call, Proposal, ProposalPartner
from atclusters.registry.models import ClusterOrganisation


class CallForm(forms.Form):
    identifier = forms.CharField(label=_("Identifier"), max_length=120)
    call_identifier = forms.CharField(label=_("Call"), max_length=120, required=False)
    programme = forms.CharField(label=_("Programme"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=400)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    opening_date = forms.CharField(
        label=_("Opening"), required=False,
        help_text=_("YYYY-MM-DD or YYYY-MM-DD HH:MM, Brussels time."),
    )  # fmt: skip
    deadline_model = forms.ChoiceField(
        label=_("Deadline model"), choices=Call.DeadlineModel.choices
    )
    deadlines = forms.CharField(
        label=_("Deadlines"),
        help_text=_("Brussels time, separated by semicolons; a day alone closes at 17:00."),
    )
    budget_eur = forms.DecimalField(label=_("Budget (EUR)"), required=False, min_value=0)
    expected_grant_eur = forms.DecimalField(
        label=_("Expected EU contribution per project (EUR)"), required=False, min_value=0
    )
    expected_grants = forms.IntegerField(label=_("Expected grants"), required=False, min_value=0)
    type_of_action = forms.CharField(label=_("Type of action"), max_length=200, required=False)
    keywords = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by semicolons.")
    )
    eligible_countries = forms.CharField(
        label=_("Eligible countries"), required=False,
        widget=PickerInput("country", multiple=True),
        help_text=_("ISO codes separated by commas; empty: any country the programme admits."),
    )  # fmt: skip
    url = forms.URLField(label=_("Link"), required=False, max_length=500)

    @staticmethod
    def initial_of(call: Call) -> dict:
        return {
            "identifier": call.identifier, "call_identifier": call.call_identifier,
            "programme": call.programme, "title": call.title, "description": call.description,
            "opening_date": call.opens_at.astimezone(calldates.BRUSSELS).strftime(
                "%Y-%m-%d %H:%M") if call.opens_at else "",
            "deadline_model": call.deadline_model,
            "deadlines": "; ".join(m.strftime("%Y-%m-%d %H:%M") for m in call.deadline_moments()),
            "budget_eur": call.budget_eur, "expected_grant_eur": call.expected_grant_eur,
            "expected_grants": call.expected_grants, "type_of_action": call.type_of_action,
            "keywords": "; ".join(call.keywords),
            "eligible_countries": ", ".join(call.eligible_countries), "url": call.url,
        }  # fmt: skip

    def data_of(self) -> services.CallData:
        """The call to save; raises DomainError naming the field of an unreadable date."""
        values = self.cleaned_data
        return services.CallData(
            identifier=values["identifier"],
            call_identifier=values["call_identifier"],
            programme=values["programme"],
            title=values["title"],
            description=values["description"],
            opens_at=services.opening_read(values["opening_date"]),
            deadline_model=values["deadline_model"],
            deadlines=services.deadlines_read(values["deadlines"]),
            budget_eur=values["budget_eur"],
            expected_grant_eur=values["expected_grant_eur"],
            expected_grants=values["expected_grants"],
            type_of_action=values["type_of_action"],
            keywords=[k.strip() for k in values["keywords"].split(";") if k.strip()],
            eligible_countries=[
                c.strip() for c in values["eligible_countries"].split(",") if c.strip()
            ],
            url=values["url"],
        )


class FeedForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(
        label=_("Address"), max_length=2000,
        help_text=_("A search API address of the Funding & Tenders portal (JSON answer)."),
    )  # fmt: skip

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


def _bounded(upload):
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    return upload


class CallImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("The portal's search API answer (JSON), or a table (.csv, .xlsx, .json)."),
    )
    dry_run = forms.BooleanField(required=False, initial=True, label=_("check only, write nothing"))

    def clean_file(self):
        return _bounded(self.cleaned_data["file"])


class CordisImportForm(forms.Form):
    projects = forms.FileField(label=_("Projects file (project.csv)"))
    participants = forms.FileField(label=_("Participants file (organization.csv)"))
    dry_run = forms.BooleanField(required=False, initial=True, label=_("check only, write nothing"))

    def clean_projects(self):
        return _bounded(self.cleaned_data["projects"])

    def clean_participants(self):
        return _bounded(self.cleaned_data["participants"])


class ProposalForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=ClusterOrganisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    """A partner outside the registry (registry organisations are added from the suggestions
    or by their identifier)."""

    organisation = PickerField(
        "organisation", label=_("Registry organisation"), required=False, max_length=250
    )
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    pic = forms.CharField(label=_("PIC"), max_length=9, required=False)
    vat_number = forms.CharField(label=_("VAT number"), max_length=30, required=False)
    country = PickerField("country", label=_("Country"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ProposalPartner.Role.choices)
    budget_eur = forms.DecimalField(label=_("Budget (EUR)"), required=False, min_value=0)
    eu_contribution_eur = forms.DecimalField(
        label=_("EU contribution (EUR)"), required=False, min_value=0
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Proposal.Stage.choices)
    score = forms.DecimalField(label=_("Evaluation score"), required=False, min_value=0)
    feedback = forms.CharField(
        label=_("Evaluation feedback"), widget=forms.Textarea, required=False
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    organisation = PickerField("organisation", label=_("Registry organisation"), max_length=250)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ProposalPartner.Role.choices,
        initial=ProposalPartner.Role.BENEFICIARY,
    )
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=2000,
    )  # fmt: skip


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
