"""Import and export of registry tables (on the import framework of core/importing.py). Rows are
matched to existing records by stable keys (slug, identifiers), so importing the same file twice
changes nothing the second time."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from atclusters.core.importing import Importer, Row, RowInvalid, read_plain
from atclusters.core.models import Agency, Country, NaceActivity, NutsRegion, Term
from atclusters.registry import identifiers, permissions, services
from atclusters.registry.models import (
    CLUSTER,
    IDENTIFIER_FIELDS,
    ORGANISATION,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
    cluster_term_kinds,
    identifier_message,
)

KINDS = ("clusters", "organisations", "memberships", "agreements")
NACE_IMPORT_VERSION = NaceActivity.Version.REV2_1


def _by_code(queryset: QuerySet, *keys: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for item in queryset:
        for key in keys:
            value = getattr(item, key)
            if value:
                table.setdefault(str(value).lower(), item)
    return table


def _join(items: Iterable[Any], attribute: str) -> str:
    return ";".join(sorted(str(getattr(item, attribute)) for item in items))


class ClusterImporter(Importer):
    kind = "clusters"
    columns = CLUSTER.columns()
    required_columns = {"slug", "name", "country"}
    field_columns = CLUSTER.field_columns()

    def prepare(self) -> None:
        self.countries = _by_code(Country.objects.all(), "code")
        self.regions = _by_code(NutsRegion.objects.all(), "code")
        self.agencies = _by_code(Agency.objects.prefetch_related("regions"), "slug", "acronym")
        self.nace = _by_code(NaceActivity.objects.filter(version=NACE_IMPORT_VERSION), "code")
        self.terms = {
            kind: _by_code(Term.objects.filter(kind=kind), "slug", "name")
            for kind in Term.Kind.values
        }
        self.term_slugs = {
            kind: sorted(t.slug for t in Term.objects.filter(kind=kind))
            for kind in Term.Kind.values
        }

    def _agency_for(self, row: Row, region: NutsRegion | None) -> Agency | None:
        agency = row.lookup("agency", self.agencies, _("agency"))
        if agency or row.text("agency"):
            return agency
        if self.default_agency:
            return self.default_agency
        if region:
            for candidate in dict.fromkeys(self.agencies.values()):
                if any(region.code.startswith(r.code) for r in candidate.regions.all()):
                    return candidate
        row.error("agency", _("is required (no agency covers this NUTS region)"))
        return None

    def apply(self, row: Row) -> tuple[str, Model]:
        slug = row.text("slug", required=True, max_length=80)
        country = row.lookup("country", self.countries, _("country code"), required=True)
        region = row.lookup("nuts_code", self.regions, _("NUTS code"))
        if region and country and region.country_code != country.nuts_code:
            row.error(
                "nuts_code",
                _("%(region)s is not in %(country)s")
                % {"region": region.code, "country": country.code},
            )
        existing = ClusterOrganisation.objects.filter(slug=slug).first() if slug else None
        agency = (
            existing.agency
            if existing and not row.text("agency")
            else self._agency_for(row, region)
        )
        data: dict[str, Any] = {
            "slug": slug,
            **read_plain(row, CLUSTER, own={"slug", "year_established"}),
            "country": country,
            "nuts_region": region,
            # not in the future, which the model (and so the form) does not say
            "year_established": row.integer(
                "year_established", minimum=1800, maximum=date.today().year
            ),
            "sectors": row.many(
                "sectors", self.nace, _("NACE Rev. 2.1 code"), [_("codes such as 10, 10.1, 10.11")]
            ),
        }
        for column, kind in cluster_term_kinds().items():
            data[column] = row.many(
                column, self.terms[kind], str(Term.Kind(kind).label), self.term_slugs[kind]
            )
        if data["website"] and "://" not in data["website"]:
            data["website"] = "https://" + data["website"]
        self._check_row_rules(
            row,
            ClusterOrganisation(
                label=data["label"],
                label_date=data["label_date"],
                label_expiry=data["label_expiry"],
            ),
        )
        if row.failed or agency is None:
            raise RowInvalid
        if existing is not None:
            if row.text("agency"):
                data["agency"] = agency
            return self._upsert(
                existing,
                lambda: existing,
                lambda cluster: services.cluster_update(
                    actor=self.actor, cluster=cluster, data=data, source="import"
                ),  # type: ignore[arg-type]
            )
        return self._upsert(
            None,
            lambda: services.cluster_create(
                actor=self.actor, agency=agency, data=data, source="import"
            ),
            lambda cluster: cluster,
        )

    def export_queryset(self) -> QuerySet:
        return (
            permissions.visible_clusters(self.actor)
            .select_related(  # type: ignore[arg-type]
                "agency", "nuts_region"
            )
            .prefetch_related(*CLUSTER.many_to_many())
        )

    def export_row(self, cluster: ClusterOrganisation) -> dict[str, Any]:
        row = {column: getattr(cluster, column, None) for column in self.columns}
        row.update(
            agency=cluster.agency.slug,
            country=cluster.country_id,
            nuts_code=cluster.nuts_region_id or "",
            sectors=_join(cluster.sectors.all(), "code"),
            technology_fields=_join(cluster.technology_fields.all(), "slug"),
            ecosystems=_join(cluster.ecosystems.all(), "slug"),
            s3_areas=_join(cluster.s3_areas.all(), "slug"),
            networks=_join(cluster.networks.all(), "slug"),
        )
        return row

    def template_row(self) -> dict[str, str]:
        return {
            "slug": "galicia-food-cluster",
            "name": "Galicia Food Cluster",
            "acronym": "CLUSAGA",
            "agency": "igape",
            "country": "ES",
            "nuts_code": "ES11",
            "city": "Santiago de Compostela",
            "latitude": "42.88052",
            "longitude": "-8.54569",
            "year_established": "2010",
            "website": "https://clusteralimentariodegalicia.org",
            "sectors": "10;11",
            "technology_fields": "food-processing",
            "ecosystems": "agri-food",
            "s3_areas": "agro-food",
            "label": "bronze",
            "label_date": "2022-01-01",
            "status": "draft",
            "description_en": "The food industry cluster of Galicia.",
        }


class OrganisationImporter(Importer):
    kind = "organisations"
    columns = ORGANISATION.columns()
    required_columns = {"name", "type", "country"}
    field_columns = ORGANISATION.field_columns()

    def prepare(self) -> None:
        self.countries = _by_code(Country.objects.all(), "code")
        self.regions = _by_code(NutsRegion.objects.all(), "code")
        self.nace = _by_code(NaceActivity.objects.filter(version=NACE_IMPORT_VERSION), "code")

    def _normalised(
        self, row: Row, column: str, normalise: Callable[[str], str], country: Country | None
    ) -> str:
        value = row.text(column)
        if not value:
            return ""
        try:
            return normalise(value)
        except identifiers.IdentifierError as error:
            row.error(column, identifier_message(error, country))
            return value

    def apply(self, row: Row) -> tuple[str, Model]:
        country = row.lookup("country", self.countries, _("country code"), required=True)
        code = country.code if country else ""
        data: dict[str, Any] = {
            # the slug is optional here (the identifiers may name the organisation instead)
            **read_plain(row, ORGANISATION, own={"slug", *IDENTIFIER_FIELDS}),
            "country": country,
            "vat_number": self._normalised(
                row, "vat_number", lambda v: identifiers.normalise_vat(v, code), country
            ),
            "national_id": self._normalised(
                row, "national_id", lambda v: identifiers.normalise_national_id(v, code), country
            ),
            "pic": self._normalised(row, "pic", identifiers.normalise_pic, country),
            "lei": self._normalised(row, "lei", identifiers.normalise_lei, country),
            "nace": row.lookup("nace", self.nace, _("NACE Rev. 2.1 code")),
            "nuts_region": row.lookup("nuts_code", self.regions, _("NUTS code")),
        }
        slug = row.text("slug", max_length=100)
        keys = [data["vat_number"], data["national_id"], data["pic"], data["lei"], slug]
        if not any(keys):
            row.error(
                "slug",
                _("give a slug or at least one identifier (vat_number, national_id, pic, lei)"),
            )
        if row.failed:
            raise RowInvalid
        match = Q(pk__in=[])
        if data["vat_number"]:
            match |= Q(country=country, vat_number=data["vat_number"])
        if data["national_id"]:
            match |= Q(country=country, national_id=data["national_id"])
        if data["pic"]:
            match |= Q(pic=data["pic"])
        if data["lei"]:
            match |= Q(lei=data["lei"])
        if slug:
            match |= Q(slug=slug)
        found = list(Organisation.objects.filter(match)[:2])
        if len(found) > 1:
            row.error(
                "row",
                _("the identifiers match two organisations: %(first)s, %(second)s")
                % {"first": found[0].slug, "second": found[1].slug},
            )
            raise RowInvalid
        if slug:
            data["slug"] = slug
        existing = found[0] if found else None
        return self._upsert(
            existing,
            lambda: services.organisation_create(actor=self.actor, data=data, source="import"),
            lambda org: services.organisation_update(
                actor=self.actor, organisation=org, data=data, source="import"
            ),  # type: ignore[arg-type]
        )

    def export_queryset(self) -> QuerySet:
        organisations = permissions.visible_organisations(self.actor)  # type: ignore[arg-type]
        return organisations.select_related("nace")

    def export_row(self, org: Organisation) -> dict[str, Any]:
        row = {column: getattr(org, column, None) for column in self.columns}
        confidential = self.actor is None or permissions.can_see_organisation_confidential(
            self.actor, org
        )
        row.update(
            country=org.country_id,
            nace=org.nace.code if org.nace else "",
            nuts_code=org.nuts_region_id or "",
            is_fictitious="yes" if org.is_fictitious else "no",
        )
        if not confidential:
            row.update(vat_number="", national_id="", employees=None, turnover_eur=None)
        return row

    def template_row(self) -> dict[str, str]:
        return {
            "slug": "example-foods",
            "name": "Example Foods S.L.",
            "type": "sme",
            "country": "ES",
            "vat_number": "ESB12345674",
            "size_class": "small",
            "employees": "25",
            "turnover_eur": "3500000",
            "nace": "10.89",
            "nuts_code": "ES111",
            "website": "https://example.com",
            "is_fictitious": "yes",
        }


class MembershipImporter(Importer):
    kind = "memberships"
    columns = ["cluster", "organisation", "role", "since", "until", "listed"]
    required_columns = {"cluster", "organisation", "since"}

    def prepare(self) -> None:
        self.clusters = _by_code(ClusterOrganisation.objects.all(), "slug")
        self.organisations = _by_code(Organisation.objects.all(), "slug")

    def apply(self, row: Row) -> tuple[str, Model]:
        cluster = row.lookup("cluster", self.clusters, _("cluster slug"), required=True)
        organisation = row.lookup(
            "organisation", self.organisations, _("organisation slug"), required=True
        )
        role = row.choice("role", Membership.Role.choices) or Membership.Role.MEMBER
        since = row.date("since", required=True)
        until = row.date("until")
        # An empty or missing "listed" leaves a member's recorded consent as it is.
        listed = row.boolean("listed") if row.text("listed") else None
        if row.failed or since is None:
            raise RowInvalid
        existing = Membership.objects.filter(
            cluster=cluster, organisation=organisation, since=since
        ).first()
        return self._upsert(
            existing,
            lambda: services.membership_add(
                actor=self.actor,
                cluster=cluster,
                organisation=organisation,
                role=role,
                since=since,
                until=until,
                listed_publicly=bool(listed),
                source="import",
            ),
            lambda membership: services.membership_update(
                actor=self.actor,
                membership=membership,  # type: ignore[arg-type]
                data={
                    "role": role,
                    "until": until,
                    **({"listed_publicly": listed} if listed is not None else {}),
                },
                source="import",
            ),
        )

    def export_queryset(self) -> QuerySet:
        return (
            permissions.visible_memberships(self.actor)
            .select_related(  # type: ignore[arg-type]
                "cluster", "organisation"
            )
            .order_by("cluster__slug", "organisation__slug", "since")
        )

    def export_row(self, membership: Membership) -> dict[str, Any]:
        return {
            "cluster": membership.cluster.slug,
            "organisation": membership.organisation.slug,
            "role": membership.role,
            "since": membership.since,
            "until": membership.until,
            "listed": "yes" if membership.listed_publicly else "no",
        }

    def template_row(self) -> dict[str, str]:
        return {
            "cluster": "galicia-food-cluster",
            "organisation": "example-foods",
            "role": "member",
            "since": "2020-01-15",
            "until": "",
            "listed": "yes",
        }


class AgreementImporter(Importer):
    kind = "agreements"
    columns = [
        "slug",
        "title",
        "type",
        "owner",
        "party_a_type",
        "party_a",
        "party_b_type",
        "party_b",
        "sector",
        "start",
        "end",
        "description",
        "public",
    ]
    required_columns = {
        "slug",
        "title",
        "type",
        "owner",
        "party_a_type",
        "party_a",
        "party_b_type",
        "party_b",
        "start",
    }
    field_columns = {
        "agency_a": "party_a",
        "cluster_a": "party_a",
        "agency_b": "party_b",
        "cluster_b": "party_b",
    }
    party_types = [("agency", "agency"), ("cluster", "cluster")]

    def prepare(self) -> None:
        self.agencies = _by_code(Agency.objects.all(), "slug")
        self.clusters = _by_code(ClusterOrganisation.objects.all(), "slug")
        self.nace = _by_code(NaceActivity.objects.filter(version=NACE_IMPORT_VERSION), "code")

    def _party(self, row: Row, side: str) -> dict[str, Any]:
        kind = row.choice(f"party_{side}_type", self.party_types, required=True)
        table = self.agencies if kind == "agency" else self.clusters
        what = _("agency slug") if kind == "agency" else _("cluster slug")
        party = row.lookup(f"party_{side}", table, what, required=True)
        return {
            f"agency_{side}": party if kind == "agency" else None,
            f"cluster_{side}": party if kind == "cluster" else None,
        }

    def apply(self, row: Row) -> tuple[str, Model]:
        owner = row.lookup("owner", self.agencies, _("agency slug"), required=True)
        data: dict[str, Any] = {
            "slug": row.text("slug", required=True, max_length=100),
            "title": row.text("title", required=True, max_length=250),
            "type": row.choice("type", CooperationAgreement.Type.choices, required=True),
            **self._party(row, "a"),
            **self._party(row, "b"),
            "sector": row.lookup("sector", self.nace, _("NACE Rev. 2.1 code")),
            "start": row.date("start", required=True),
            "end": row.date("end"),
            "description": row.text("description"),
        }
        # An empty or missing "public" leaves an existing agreement's visibility as it is.
        if row.text("public"):
            data["is_public"] = row.boolean("public")
        if row.failed:
            raise RowInvalid
        existing = CooperationAgreement.objects.filter(slug=data["slug"]).first()
        return self._upsert(
            existing,
            lambda: services.agreement_create(
                actor=self.actor, owner=owner, data=data, source="import"
            ),
            lambda agreement: services.agreement_update(
                actor=self.actor, agreement=agreement, data=data, source="import"
            ),  # type: ignore[arg-type]
        )

    def export_queryset(self) -> QuerySet:
        return permissions.visible_agreements(self.actor).select_related(  # type: ignore[arg-type]
            "owner", "agency_a", "agency_b", "cluster_a", "cluster_b", "sector"
        )

    def export_row(self, agreement: CooperationAgreement) -> dict[str, Any]:
        return {
            "slug": agreement.slug,
            "title": agreement.title,
            "type": agreement.type,
            "owner": agreement.owner.slug,
            "party_a_type": "agency" if agreement.agency_a else "cluster",
            "party_a": agreement.party_a.slug,
            "party_b_type": "agency" if agreement.agency_b else "cluster",
            "party_b": agreement.party_b.slug,
            "sector": agreement.sector.code if agreement.sector else "",
            "start": agreement.start,
            "end": agreement.end,
            "description": agreement.description,
            "public": "yes" if agreement.is_public else "no",
        }

    def template_row(self) -> dict[str, str]:
        return {
            "slug": "igape-idepa-mou-2024",
            "title": "Cluster cooperation MoU",
            "type": "mou",
            "owner": "igape",
            "party_a_type": "agency",
            "party_a": "igape",
            "party_b_type": "agency",
            "party_b": "idepa",
            "start": "2024-03-01",
            "public": "yes",
        }


IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (ClusterImporter, OrganisationImporter, MembershipImporter, AgreementImporter)
}


def importer_for(kind: str, **kwargs: Any) -> Importer:
    if kind not in IMPORTERS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    return IMPORTERS[kind](**kwargs)
