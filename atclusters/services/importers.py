"""Import and export of the services catalogue (on the import framework of core/importing.py):
every row is checked, every error names its row and column, and nothing is written unless the
whole file is valid. Rows are matched to services by `slug`, so importing the same file twice
changes nothing the second time. Each row is saved through `services.service_save`, so the
permission rules (who may offer which aid treatment) are those of the pages and the API."""

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from atclusters.core.importing import Importer, Row, RowInvalid
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser
from atclusters.registry.models import ClusterOrganisation
from atclusters.services import permissions, services
from atclusters.services.models import SERVICE, Service, ServiceCategory

LISTS = ("languages", "eligible_sizes", "eligible_countries")
# Read by the importer itself: the key, references to other records, lists in one cell.
OWN = {"slug", "category", "eligible_clusters", *LISTS}
# What a new service cannot do without (the services layer refuses it otherwise).
REQUIRED = ("name_en", "list_price", "member_price")
ALLOWED = {"languages": services.LANGUAGES, "eligible_sizes": services.SIZES}


def _join(values: list[str]) -> str:
    return ";".join(values)


class ServiceImporter(Importer):
    kind = "services"
    columns = ["slug", "provider", *SERVICE.columns()[1:]]
    required_columns = {"slug"}
    # services.service_save names the cluster `cluster`; the file names the provider.
    field_columns = {"cluster": "provider"}

    def __init__(self, *, actor: AnyUser, provider: str = ""):
        super().__init__(actor=actor)
        self.provider = provider.strip().lower()

    def prepare(self) -> None:
        self.categories = {c.slug.lower(): c for c in ServiceCategory.objects.all()}
        self.clusters = {
            c.slug.lower(): c for c in ClusterOrganisation.objects.select_related("agency")
        }
        self.agencies = {a.slug.lower(): a for a in Agency.objects.all()}
        self.providers: dict[str, Agency | ClusterOrganisation] = {**self.agencies, **self.clusters}

    def _provider(self, row: Row, existing: Service | None):
        """The (agency, cluster) offering the row's service: the `provider` column (an agency's
        or a cluster's slug), else `--provider`, else the service's own."""
        named = row.text("provider").lower()
        if named and self.provider and named != self.provider:
            row.error(
                "provider",
                _("this file is imported for %(provider)s, not %(named)s")
                % {"provider": self.provider, "named": named},
            )
            return None, None
        key = named or self.provider
        if not key:
            if existing is not None:
                return existing.agency, existing.cluster
            row.error("provider", _("is required (an agency's or a cluster's identifier)"))
            return None, None
        found = self.providers.get(key)
        if found is None:
            row.error("provider", _("unknown agency or cluster %(value)r") % {"value": key})
            return None, None
        if isinstance(found, ClusterOrganisation):
            return found.agency, found
        return found, None

    def _codes(self, row: Row, column: str) -> list[str]:
        codes = [part.strip() for part in row.text(column).split(";") if part.strip()]
        allowed = ALLOWED.get(column)
        for code in codes:
            if allowed is not None and code not in allowed:
                row.error(
                    column,
                    _("unknown value %(value)r; allowed: %(allowed)s")
                    % {"value": code, "allowed": ", ".join(sorted(allowed))},
                )
        return codes

    def _plain(self, row: Row, *, new: bool) -> dict[str, Any]:
        """The cells holding a value of their own, each read as its model field says (choices,
        type, length, bounds). A column left out of the file, or an empty cell of a field with
        a default, keeps what is stored (a new service takes the default)."""
        values: dict[str, Any] = {}
        for attribute in SERVICE.attributes:
            column = attribute.name
            if column in OWN or (column not in row.values and not (new and column in REQUIRED)):
                continue
            field = SERVICE.model_field(attribute)
            if field.has_default() and not row.text(column):
                continue
            value = row.field(column, field)
            if value is None and new and column in REQUIRED:
                row.error(column, _("is required"))
            values[attribute.field] = value
        return values

    def apply(self, row: Row) -> tuple[str, Model]:
        slug = row.text("slug", required=True, max_length=100)
        existing = Service.objects.filter(slug=slug).first() if slug else None
        agency, cluster = self._provider(row, existing)
        category = row.lookup("category", self.categories, _("category"))
        if category is None and not row.text("category"):
            if existing is None:
                row.error("category", _("is required"))
            category = existing.category if existing is not None else None
        values = self._plain(row, new=existing is None)
        for column in LISTS:
            if column in row.values:
                values[column] = self._codes(row, column)
        eligible = (
            row.many("eligible_clusters", self.clusters, _("cluster"), [_("cluster identifiers")])
            if "eligible_clusters" in row.values
            else None
        )
        if row.failed or agency is None or category is None:
            raise RowInvalid
        try:
            return self._upsert(
                existing,
                lambda: self._save(slug, agency, cluster, category, values, eligible),
                lambda _service: self._save(slug, agency, cluster, category, values, eligible),
            )
        except services.ServiceError as error:
            row.error(self.field_columns.get(error.field, error.field), str(error))
            raise RowInvalid from error

    def _save(self, slug, agency, cluster, category, values, eligible) -> Service:
        return services.service_save(
            actor=self.actor,
            slug=slug,
            agency=agency,
            cluster=cluster,
            category=category,
            values=values,
            eligible_clusters=eligible,
            source="import",
        )

    def export_queryset(self) -> QuerySet:
        return (
            permissions.manageable_services(self.actor)
            .select_related("agency", "cluster", "category")
            .prefetch_related("eligible_clusters")
            .order_by("slug")
        )

    def export_row(self, service: Service) -> dict[str, Any]:
        row = {column: getattr(service, column, None) for column in self.columns}
        row.update(
            provider=service.provider_slug,
            category=service.category.slug,
            languages=_join(service.languages),
            eligible_clusters=_join(sorted(c.slug for c in service.eligible_clusters.all())),
            eligible_sizes=_join(service.eligible_sizes),
            eligible_countries=_join(service.eligible_countries),
            is_active="yes" if service.is_active else "no",
        )
        return row

    def template_row(self) -> dict[str, str]:
        return {
            "slug": "export-readiness-consultancy",
            "provider": "igape",
            "provider_kind": "agency",
            "category": "internationalisation",
            "name_en": "Export readiness consultancy",
            "name_es": "Consultoría de preparación para la exportación",
            "name_gl": "Consultoría de preparación para a exportación",
            "name_pt": "Consultoria de preparação para a exportação",
            "name_fr": "Conseil en préparation à l'export",
            "description_en": "An expert reviews your export plan with you.",
            "list_price": "90",
            "member_price": "35",
            "unit": "hour",
            "capacity_per_month": "120",
            "languages": "es;gl;en",
            "eligible_sizes": "micro;small;medium",
            "eligible_countries": "ES;PT",
            "aid_treatment": "de-minimis",
            "is_active": "yes",
        }
