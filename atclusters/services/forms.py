"""Forms of the services pages: the catalogue import, and the editing of services, categories
and benefit programmes. Their fields derive from the records' declarations (models.SERVICE,
CATEGORY, PROGRAMME: labels, types, lengths and choices from the model fields, in the five
languages); only lists typed in one box and the service's provider are the forms' own. They only
parse: the writes and their rules are in services.py, whose refusals come back onto the fields
through core.forms.add_error."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from atclusters.core import forms as core_forms
from atclusters.core.entities import Entity
from atclusters.core.labels import fields_sorted
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, staff_agencies
from atclusters.core.pickers import PickerInput
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.registry.permissions import managed_cluster_ids, visible_clusters
from atclusters.services import permissions
from atclusters.services.models import CATEGORY, PROGRAMME, SERVICE, Service, ServiceCategory

SIZE_CHOICES = [choice for choice in Organisation.SizeClass.choices if choice[0]]


class DateInput(forms.DateInput):
    input_type = "date"


def _label(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def _codes(text: str) -> list[str]:
    """Codes typed as a list: separated by commas, semicolons or spaces."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def _codes_field(
    model: type[Model], name: str, help_text: Any = "", picker: str = ""
) -> forms.CharField:
    """Codes separated by commas; with a `picker` kind they are picked by name as well."""
    return forms.CharField(
        label=_label(model, name), required=False, max_length=1000, help_text=help_text,
        widget=PickerInput(picker, multiple=True) if picker else None,
    )  # fmt: skip


def _sizes_field(model: type[Model]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_label(model, "eligible_sizes"),
        choices=SIZE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class EntityForm(forms.Form):
    """A form of `entity`'s fields after the form's own `first` fields; `overrides` replace the
    model's form field where one box does not fit the model's (a list typed as text)."""

    entity: Entity
    lists: tuple[str, ...] = ()  # typed as codes separated by commas
    references: tuple[str, ...] = ()  # other records

    def __init__(self, *args, instance: Model | None = None, **kwargs):
        if instance is not None:
            initial = forms.model_to_dict(instance, fields=self.entity.form_fields())
            initial |= {name: ", ".join(initial[name]) for name in self.lists}
            initial["slug"] = instance.slug  # type: ignore[attr-defined]
            kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        own = self.fields
        generated = forms.fields_for_model(self.entity.model, fields=self.entity.form_fields())
        self.fields = own | {name: field for name, field in generated.items() if name not in own}
        self.fields |= self.overrides()
        if instance is not None:
            self.fields["slug"].disabled = True
        fields_sorted(self, *(name for name in self.references if name in self.fields))

    def overrides(self) -> dict[str, forms.Field]:
        return {}

    def clean_slug(self) -> str:
        """A new record's identifier is free: the services layer saves by identifier, so a
        taken one would change the record that has it."""
        slug = self.cleaned_data["slug"]
        model = self.entity.model
        if not self.fields["slug"].disabled and model._default_manager.filter(slug=slug).exists():
            field = model._meta.get_field("slug")
            raise forms.ValidationError(
                field.error_messages["unique"],  # type: ignore[union-attr]
                code="unique",
                params={
                    "model_name": capfirst(model._meta.verbose_name),
                    "field_label": field.verbose_name,  # type: ignore[union-attr]
                },
            )
        return slug

    def values(self) -> dict[str, Any]:
        """What the services layer takes: every field of the declaration but the references
        (given to it as arguments of their own), lists as lists."""
        data = self.cleaned_data
        names = [name for name in self.entity.form_fields() if name not in self.references]
        return {name: data[name] for name in names} | {
            name: _codes(data[name]) for name in self.lists
        }


class ImportForm(core_forms.ImportForm):
    kind = forms.ChoiceField(choices=[("services", _("services"))], label=_("what to import"))
    provider = forms.CharField(
        required=False,
        max_length=100,
        label=_("provider of rows that name none (an agency's or a cluster's identifier)"),
    )


class CategoryForm(EntityForm):
    entity = CATEGORY
    slug = forms.SlugField(label=_label(ServiceCategory, "slug"), max_length=60)

    def names(self) -> dict[str, str]:
        return {name.removeprefix("name_"): value for name, value in self.values().items()}


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


def _provider_key(service: Service) -> str:
    if service.cluster is not None:
        return f"cluster:{service.cluster.slug}"
    return f"agency:{service.agency.slug}"


class ServiceForm(EntityForm):
    entity = SERVICE
    lists = ("eligible_countries",)  # upper-cased by the services layer
    references = ("category", "eligible_clusters")
    slug = forms.SlugField(label=_label(Service, "slug"), max_length=100)
    provider = forms.ChoiceField(label=_label(Service, "provider_kind"))

    def __init__(self, *args, user: AnyUser, service: Service | None = None, **kwargs):
        self.user = user
        if service is not None:
            kwargs["initial"] = {"provider": _provider_key(service)}
        super().__init__(*args, instance=service, **kwargs)
        choices = provider_choices(user)
        if service is not None and _provider_key(service) not in dict(choices):
            choices.insert(0, (_provider_key(service), service.provider_name))
        self.fields["provider"].choices = choices  # type: ignore[attr-defined]

    def overrides(self) -> dict[str, forms.Field]:
        return {
            "provider_kind": forms.ChoiceField(
                label=_("kind of provider"), choices=Service.ProviderKind.choices
            ),
            "languages": forms.MultipleChoiceField(
                label=_label(Service, "languages"),
                choices=settings.LANGUAGES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
            "eligible_clusters": forms.ModelMultipleChoiceField(
                visible_clusters(self.user).order_by("name"),
                label=_label(Service, "eligible_clusters"),
                required=False,
                help_text=_("Empty: members of any cluster, and non-members."),
            ),
            "eligible_sizes": _sizes_field(Service),
            "eligible_countries": _codes_field(
                Service,
                "eligible_countries",
                _("ISO codes separated by commas, e.g. ES, PT; empty: every country."),
                picker="country",
            ),
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
            # The rule is the services layer's (permissions.can_offer); checked here as well so
            # that a cluster manager choosing de minimis is told on the field, not refused.
            if not permissions.can_offer(
                self.user, agency=agency, cluster=cluster, aid_treatment=data["aid_treatment"]
            ):
                self.add_error(
                    "aid_treatment",
                    _("Only the agency's staff offer a service as de minimis aid."),
                )
        return data


class ProgrammeForm(EntityForm):
    entity = PROGRAMME
    lists = ("eligible_countries", "eligible_sectors", "eligible_regions", "documents_required")
    references = ("agency", "eligible_clusters")
    slug = forms.SlugField(label=_label(PROGRAMME.model, "slug"), max_length=100)

    def __init__(self, *args, user: AnyUser, programme: Model | None = None, **kwargs):
        self.user = user
        super().__init__(*args, instance=programme, **kwargs)
        for name in ("opens_on", "closes_on"):
            self.fields[name].widget = DateInput()
        self.fields["rate"].help_text = _("From 0 to 1: 0.5 pays half of the claimed costs.")

    def overrides(self) -> dict[str, forms.Field]:
        model = PROGRAMME.model
        return {
            "agency": forms.ModelChoiceField(staff_agencies(self.user), label=_("agency")),
            "eligible_clusters": forms.ModelMultipleChoiceField(
                visible_clusters(self.user).order_by("name"),
                label=_label(model, "eligible_clusters"),
                required=False,
            ),
            "eligible_sizes": _sizes_field(model),
            "eligible_countries": _codes_field(model, "eligible_countries", picker="country"),
            "eligible_sectors": _codes_field(
                model,
                "eligible_sectors",
                _("NACE codes or their beginnings, e.g. C10, C11; empty: every sector."),
            ),
            "eligible_regions": _codes_field(
                model,
                "eligible_regions",
                _("NUTS codes or their beginnings, e.g. ES11, PT11; empty: every region."),
                picker="region",
            ),
            "documents_required": _codes_field(
                model,
                "documents_required",
                _("Short names separated by commas, e.g. invoice, stand-contract."),
            ),
        }

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["eligible_countries"] = [code.upper() for code in values["eligible_countries"]]
        return values
