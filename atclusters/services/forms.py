"""Forms of the services pages: the catalogue import, and the editing of services, categories
and benefit programmes. They only parse; the writes and their rules are in services.py, whose
refusals come back onto the fields through core.forms.add_error. Labels are the models' own
(already in the five languages)."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from atclusters.core import forms as core_forms
from atclusters.core.languages import CODES as LANGUAGE_CODES
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, staff_agencies
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.registry.permissions import managed_cluster_ids, visible_clusters
from atclusters.services import permissions
from atclusters.services.models import (
    Programme,
    Service,
    ServiceCategory,
)

SIZE_CHOICES = [choice for choice in Organisation.SizeClass.choices if choice[0]]


class DateInput(forms.DateInput):
    input_type = "date"


def _label(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def _codes(text: str) -> list[str]:
    """Codes typed as a list: separated by commas, semicolons or spaces."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def _translated_fields(form: forms.Form, model: type[Model], field: str, *, long: bool) -> None:
    for code in LANGUAGE_CODES:
        name = f"{field}_{code}"
        form.fields[name] = forms.CharField(
            label=_label(model, name),
            required=code == "en" and not long,  # the English name; descriptions are optional
            max_length=None if long else model._meta.get_field(name).max_length,  # type: ignore[union-attr]
            widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput,
        )


class ImportForm(core_forms.ImportForm):
    kind = forms.ChoiceField(choices=[("services", _("services"))], label=_("what to import"))
    provider = forms.CharField(
        required=False,
        max_length=100,
        label=_("provider of rows that name none (an agency's or a cluster's identifier)"),
    )


class CategoryForm(forms.Form):
    slug = forms.SlugField(label=_label(ServiceCategory, "slug"), max_length=60)

    def __init__(self, *args, category: ServiceCategory | None = None, **kwargs):
        if category is not None:
            kwargs.setdefault("initial", {}).update(
                {"slug": category.slug}
                | {f"name_{c}": getattr(category, f"name_{c}") for c in LANGUAGE_CODES}
            )
        super().__init__(*args, **kwargs)
        _translated_fields(self, ServiceCategory, "name", long=False)
        if category is not None:
            self.fields["slug"].disabled = True

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"name_{code}"] for code in LANGUAGE_CODES}


def provider_choices(user: AnyUser) -> list[tuple[str, str]]:
    """The providers the user may offer services for: their agencies (and those agencies'
    clusters), and the clusters they manage. `agency:<slug>` or `cluster:<slug>`."""
    agencies = list(staff_agencies(user))
    clusters = ClusterOrganisation.objects.filter(agency__in=agencies) | (
        ClusterOrganisation.objects.filter(pk__in=managed_cluster_ids(user))
    )
    return [(f"agency:{a.slug}", str(a.name)) for a in agencies] + [
        (f"cluster:{c.slug}", str(c.name)) for c in clusters.distinct().order_by("name")
    ]


class ServiceForm(forms.Form):
    slug = forms.SlugField(label=_label(Service, "slug"), max_length=100)
    provider = forms.ChoiceField(label=_label(Service, "provider_kind"))
    provider_kind = forms.ChoiceField(
        label=_("kind of provider"), choices=Service.ProviderKind.choices
    )
    category = forms.ModelChoiceField(
        ServiceCategory.objects.all(), label=_label(Service, "category")
    )
    list_price = forms.DecimalField(
        label=_label(Service, "list_price"),
        help_text=Service._meta.get_field("list_price").help_text,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    member_price = forms.DecimalField(
        label=_label(Service, "member_price"), min_value=0, max_digits=12, decimal_places=2
    )
    unit = forms.ChoiceField(label=_label(Service, "unit"), choices=Service.Unit.choices)
    capacity_per_month = forms.IntegerField(
        label=_label(Service, "capacity_per_month"), required=False, min_value=1
    )
    languages = forms.MultipleChoiceField(
        label=_label(Service, "languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_clusters = forms.ModelMultipleChoiceField(
        ClusterOrganisation.objects.none(),
        label=_label(Service, "eligible_clusters"),
        required=False,
        help_text=_("Empty: members of any cluster, and non-members."),
    )
    eligible_sizes = forms.MultipleChoiceField(
        label=_label(Service, "eligible_sizes"),
        choices=SIZE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_countries = forms.CharField(
        label=_label(Service, "eligible_countries"),
        required=False,
        max_length=300,
        help_text=_("ISO codes separated by commas, e.g. ES, PT; empty: every country."),
    )
    aid_treatment = forms.ChoiceField(
        label=_label(Service, "aid_treatment"), choices=Service.AidTreatment.choices
    )
    is_active = forms.BooleanField(label=_label(Service, "is_active"), required=False)

    field_order = ["slug", "provider", "provider_kind", "category"]

    def __init__(self, *args, user: AnyUser, service: Service | None = None, **kwargs):
        self.user, self.service = user, service
        if service is not None:
            kwargs.setdefault("initial", {}).update(self._initial(service))
        else:
            kwargs.setdefault("initial", {}).setdefault("is_active", True)
        super().__init__(*args, **kwargs)
        _translated_fields(self, Service, "name", long=False)
        _translated_fields(self, Service, "description", long=True)
        choices = provider_choices(user)
        if service is not None and self._initial(service)["provider"] not in dict(choices):
            choices.insert(0, (self._initial(service)["provider"], service.provider_name))
        self.fields["provider"].choices = choices  # type: ignore[attr-defined]
        clusters = self.fields["eligible_clusters"]
        clusters.queryset = visible_clusters(user).order_by("name")  # type: ignore[attr-defined]
        if service is not None:
            self.fields["slug"].disabled = True

    @staticmethod
    def _initial(service: Service) -> dict[str, Any]:
        provider = (
            f"cluster:{service.cluster.slug}"
            if service.cluster
            else f"agency:{service.agency.slug}"
        )
        texts = {
            f"{field}_{code}": getattr(service, f"{field}_{code}")
            for field in ("name", "description")
            for code in LANGUAGE_CODES
        }
        return texts | {
            "slug": service.slug,
            "provider": provider,
            "provider_kind": service.provider_kind,
            "category": service.category_id,
            "list_price": service.list_price,
            "member_price": service.member_price,
            "unit": service.unit,
            "capacity_per_month": service.capacity_per_month,
            "languages": service.languages,
            "eligible_clusters": list(service.eligible_clusters.values_list("pk", flat=True)),
            "eligible_sizes": service.eligible_sizes,
            "eligible_countries": ", ".join(service.eligible_countries),
            "aid_treatment": service.aid_treatment,
            "is_active": service.is_active,
        }

    def provider_of(self) -> tuple[Any, ClusterOrganisation | None]:
        kind, _sep, slug = self.cleaned_data["provider"].partition(":")
        if kind == "cluster":
            cluster = ClusterOrganisation.objects.select_related("agency").get(slug=slug)
            return cluster.agency, cluster
        return Agency.objects.get(slug=slug), None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "provider" in data and "aid_treatment" in data:
            agency, cluster = self.provider_of()
            treatment = data["aid_treatment"]
            # The rule is the services layer's (permissions.can_offer); checked here as well so
            # that a cluster manager choosing de minimis is told on the field, not refused.
            if not permissions.can_offer(
                self.user, agency=agency, cluster=cluster, aid_treatment=treatment
            ):
                self.add_error(
                    "aid_treatment",
                    _("Only the agency's staff offer a service as de minimis aid."),
                )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [f"{f}_{c}" for f in ("name", "description") for c in LANGUAGE_CODES]
        keys = [
            *names, "provider_kind", "list_price", "member_price", "unit", "capacity_per_month",
            "languages", "eligible_sizes", "aid_treatment", "is_active",
        ]  # fmt: skip
        return {key: data[key] for key in keys} | {
            "eligible_countries": _codes(data["eligible_countries"])
        }


class ProgrammeForm(forms.Form):
    slug = forms.SlugField(label=_label(Programme, "slug"), max_length=100)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("agency"))
    department = forms.CharField(label=_label(Programme, "department"), max_length=120)
    opens_on = forms.DateField(label=_label(Programme, "opens_on"), widget=DateInput)
    closes_on = forms.DateField(label=_label(Programme, "closes_on"), widget=DateInput)
    budget_eur = forms.DecimalField(
        label=_label(Programme, "budget_eur"), min_value=0, max_digits=14, decimal_places=2
    )
    rate = forms.DecimalField(
        label=_label(Programme, "rate"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        help_text=_("From 0 to 1: 0.5 pays half of the claimed costs."),
    )
    max_aid_eur = forms.DecimalField(
        label=_label(Programme, "max_aid_eur"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    aid_treatment = forms.ChoiceField(
        label=_label(Programme, "aid_treatment"),
        choices=Programme._meta.get_field("aid_treatment").choices,  # type: ignore[union-attr,arg-type]
    )
    eligible_clusters = forms.ModelMultipleChoiceField(
        ClusterOrganisation.objects.none(),
        label=_label(Programme, "eligible_clusters"),
        required=False,
    )
    eligible_sizes = forms.MultipleChoiceField(
        label=_label(Programme, "eligible_sizes"),
        choices=SIZE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_countries = forms.CharField(
        label=_label(Programme, "eligible_countries"), required=False, max_length=300
    )
    eligible_sectors = forms.CharField(
        label=_label(Programme, "eligible_sectors"),
        required=False,
        max_length=500,
        help_text=_("NACE codes or their beginnings, e.g. C10, C11; empty: every sector."),
    )
    eligible_regions = forms.CharField(
        label=_label(Programme, "eligible_regions"),
        required=False,
        max_length=500,
        help_text=_("NUTS codes or their beginnings, e.g. ES11, PT11; empty: every region."),
    )
    documents_required = forms.CharField(
        label=_label(Programme, "documents_required"),
        required=False,
        max_length=1000,
        help_text=_("Short names separated by commas, e.g. invoice, stand-contract."),
    )

    field_order = ["slug", "agency", "department"]

    def __init__(self, *args, user: AnyUser, programme: Programme | None = None, **kwargs):
        if programme is not None:
            kwargs.setdefault("initial", {}).update(self._initial(programme))
        super().__init__(*args, **kwargs)
        _translated_fields(self, Programme, "name", long=False)
        _translated_fields(self, Programme, "how_to_claim", long=True)
        agency = self.fields["agency"]
        agency.queryset = staff_agencies(user)  # type: ignore[attr-defined]
        clusters = self.fields["eligible_clusters"]
        clusters.queryset = visible_clusters(user).order_by("name")  # type: ignore[attr-defined]
        if programme is not None:
            self.fields["slug"].disabled = True

    @staticmethod
    def _initial(programme: Programme) -> dict[str, Any]:
        texts = {
            f"{field}_{code}": getattr(programme, f"{field}_{code}")
            for field in ("name", "how_to_claim")
            for code in LANGUAGE_CODES
        }
        lists = {
            name: ", ".join(getattr(programme, name))
            for name in (
                "eligible_countries",
                "eligible_sectors",
                "eligible_regions",
                "documents_required",
            )
        }
        scalars = (
            "slug", "department", "opens_on", "closes_on", "budget_eur", "rate", "max_aid_eur",
            "aid_treatment", "eligible_sizes",
        )  # fmt: skip
        return (
            texts
            | lists
            | {name: getattr(programme, name) for name in scalars}
            | {
                "agency": programme.agency_id,
                "eligible_clusters": list(programme.eligible_clusters.values_list("pk", flat=True)),
            }
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        texts = [f"{f}_{c}" for f in ("name", "how_to_claim") for c in LANGUAGE_CODES]
        keys = [
            *texts, "department", "opens_on", "closes_on", "budget_eur", "rate", "max_aid_eur",
            "aid_treatment", "eligible_sizes",
        ]  # fmt: skip
        lists = ("eligible_countries", "eligible_sectors", "eligible_regions", "documents_required")
        values = {key: data[key] for key in keys} | {name: _codes(data[name]) for name in lists}
        values["eligible_countries"] = [code.upper() for code in values["eligible_countries"]]
        return values
