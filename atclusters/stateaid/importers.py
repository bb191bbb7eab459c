"""Imports into the de minimis register (CSV, XLSX, JSON): undertakings, the links between
them, and historical grants. Every row is checked, every error names its row and column, and
nothing is written unless the whole file is valid. Re-importing the same file changes nothing."""

from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from atclusters.core.errors import DomainError
from atclusters.core.importing import Importer, ImportReport, Row, RowInvalid
from atclusters.registry.models import ClusterOrganisation
from atclusters.stateaid import permissions, rules, selectors, services
from atclusters.stateaid.models import Grant, Undertaking, UndertakingLink

KINDS = ("undertakings", "links", "grants")

# What a file may write in the regulation column: our names, or the regulations' numbers.
REGULATION_ALIASES = {
    "general": (Grant.Basis.DE_MINIMIS, rules.GENERAL),
    "2023/2831": (Grant.Basis.DE_MINIMIS, rules.GENERAL),
    "1407/2013": (Grant.Basis.DE_MINIMIS, rules.GENERAL),
    "sgei": (Grant.Basis.DE_MINIMIS, rules.SGEI),
    "2023/2832": (Grant.Basis.DE_MINIMIS, rules.SGEI),
    "360/2012": (Grant.Basis.DE_MINIMIS, rules.SGEI),
    "agriculture": (Grant.Basis.DE_MINIMIS, rules.AGRICULTURE),
    "1408/2013": (Grant.Basis.DE_MINIMIS, rules.AGRICULTURE),
    "fishery": (Grant.Basis.DE_MINIMIS, rules.FISHERY),
    "717/2014": (Grant.Basis.DE_MINIMIS, rules.FISHERY),
    "gber": (Grant.Basis.GBER, ""),
    "651/2014": (Grant.Basis.GBER, ""),
    "notified": (Grant.Basis.NOTIFIED, ""),
}


def _raise_if_failed(row: Row) -> None:
    if row.failed:
        raise RowInvalid


class _RegisterImporter(Importer):
    source: ClassVar[str] = "import"

    def _undertakings(self) -> dict[str, Undertaking]:
        return {u.identifier.lower(): u for u in permissions.visible_undertakings(self.actor)}

    def _call(self, row: Row, write) -> Any:
        try:
            return write()
        except (DomainError, permissions.NotYourMemberState) as error:
            row.error(error.field, str(error))
            raise RowInvalid from error

    def export_queryset(self):
        raise NotImplementedError

    def export_row(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError

    def template_row(self) -> dict[str, str]:
        raise NotImplementedError


class UndertakingImporter(_RegisterImporter):
    kind = "undertakings"
    columns = ["id", "name", "country", "vat"]
    required_columns = {"id", "name", "country"}

    def apply(self, row: Row) -> tuple[str, Any]:
        identifier = row.text("id", required=True, max_length=64)
        name = row.text("name", required=True, max_length=200)
        country = row.text("country", required=True)
        vat = row.text("vat", max_length=32)
        _raise_if_failed(row)
        return self._call(
            row,
            lambda: services.undertaking_save(
                actor=self.actor,
                identifier=identifier,
                name=name,
                country=country,
                vat=vat,
                source=self.source,
            ),
        )


class LinkImporter(_RegisterImporter):
    kind = "links"
    columns = ["parent_id", "child_id", "relation", "valid_from", "valid_to"]
    required_columns = {"parent_id", "child_id", "relation"}

    def prepare(self) -> None:
        self.undertakings = self._undertakings()

    def apply(self, row: Row) -> tuple[str, Any]:
        parent = row.lookup("parent_id", self.undertakings, _("undertaking"), required=True)
        child = row.lookup("child_id", self.undertakings, _("undertaking"), required=True)
        relation = row.choice("relation", UndertakingLink.Relation.choices, required=True)
        valid_from = row.date("valid_from")
        valid_to = row.date("valid_to")
        _raise_if_failed(row)
        return self._call(
            row,
            lambda: services.link_save(
                actor=self.actor,
                parent=parent,
                child=child,
                relation=relation,
                valid_from=valid_from,
                valid_to=valid_to,
                source=self.source,
            ),
        )


class GrantImporter(_RegisterImporter):
    """Historical grants, recorded as they were granted: the ceilings are not enforced (the aid
    exists), but `over_ceiling` lists the single undertakings that the file takes above one."""

    kind = "grants"
    columns = [
        "undertaking_id",
        "grant_date",
        "amount",
        "currency",
        "eur_rate",
        "regulation",
        "instrument",
        "member_state",
        "granting_authority",
        "reference",
        "gge_eur",
        "rate_source",
        "scheme",
        "purpose",
        "nace",
        "cluster",
        "programme",
        "reported_on",
    ]
    required_columns = {
        "undertaking_id",
        "grant_date",
        "amount",
        "regulation",
        "member_state",
        "granting_authority",
        "reference",
    }

    def prepare(self) -> None:
        self.undertakings = self._undertakings()
        self.clusters = {c.slug: c for c in ClusterOrganisation.objects.all()}
        self.recorded: list[Grant] = []

    def apply(self, row: Row) -> tuple[str, Any]:
        undertaking = row.lookup(
            "undertaking_id", self.undertakings, _("undertaking"), required=True
        )
        grant_date = row.date("grant_date", required=True)
        amount = row.decimal("amount")
        if amount is None and not row.failed:
            row.error("amount", _("is required"))
        currency = (row.text("currency") or "EUR").upper()
        if len(currency) != 3 or not currency.isalpha():
            row.error("currency", _("must be a three-letter ISO 4217 code"))
        eur_rate = row.decimal("eur_rate") or Decimal(1)
        regulation_text = row.text("regulation", required=True).lower()
        basis_and_kind = REGULATION_ALIASES.get(regulation_text)
        if regulation_text and basis_and_kind is None:
            row.error(
                "regulation",
                _("unknown value %(value)r; allowed: %(allowed)s")
                % {"value": regulation_text, "allowed": ", ".join(REGULATION_ALIASES)},
            )
        instrument = row.choice("instrument", Grant.Instrument.choices) or Grant.Instrument.GRANT
        member_state = row.text("member_state", required=True)
        try:
            member_state = rules.member_state_code(member_state) if member_state else ""
        except ValueError as error:
            row.error("member_state", str(error))
        authority = row.text("granting_authority", required=True, max_length=200)
        reference = row.text("reference", required=True, max_length=100)
        gge = row.decimal("gge_eur")
        cluster = row.lookup("cluster", self.clusters, _("cluster"))
        reported_on = row.date("reported_on")
        _raise_if_failed(row)
        assert undertaking and grant_date and amount is not None and basis_and_kind
        # Before reading the register: whether the reference exists is that Member State's.
        self._call(
            row,
            lambda: permissions.require_acting_for(
                self.actor, {member_state}, field="member_state"
            ),
        )
        existing = Grant.objects.filter(reference=reference, member_state=member_state)
        if existing.exists():
            return self._unchanged_or_error(row, existing, undertaking, grant_date, amount)
        basis, kind = basis_and_kind
        grant = self._call(
            row,
            lambda: services.grant_record(
                actor=self.actor,
                undertaking=undertaking,
                reference=reference,
                grant_date=grant_date,
                money=services.Money(amount, currency, eur_rate, row.text("rate_source")),
                member_state=member_state,
                granting_authority=authority,
                basis=basis,
                regulation=kind,
                instrument=instrument,
                gge_eur=gge,
                scheme=row.text("scheme", max_length=200),
                purpose=row.text("purpose"),
                nace=row.text("nace", max_length=8),
                cluster=cluster,
                programme=row.text("programme", max_length=200),
                reported_on=reported_on,
                enforce_ceiling=False,
                source=self.source,
            ),
        )
        self.recorded.append(grant)
        return "created", grant

    def _unchanged_or_error(self, row, existing, undertaking, grant_date, amount):
        first = existing.order_by("id").first()
        if (first.undertaking_id, first.grant_date, first.nominal_amount) == (
            undertaking.pk,
            grant_date,
            amount,
        ):
            return "unchanged", first
        row.error(
            "reference",
            _("%(reference)s is already in the register with other values; correct it instead")
            % {"reference": first.reference},
        )
        raise RowInvalid

    def over_ceiling(self) -> list[dict[str, Any]]:
        """The imported de minimis grants on whose date their single undertaking's aid is above
        a ceiling (a zero-euro check with more than a ceiling counted)."""
        grants = [grant for grant in self.recorded if grant.basis == Grant.Basis.DE_MINIMIS]
        results = selectors.zero_checks(
            user=self.actor,
            checks=[(g.undertaking, g.grant_date, g.regulation, g.member_state) for g in grants],
        )
        found = []
        for grant, result in zip(grants, results, strict=True):
            over = [cap for cap in result.caps if cap.counted > cap.ceiling]
            if over:
                found.append(
                    {
                        "reference": grant.reference,
                        "undertaking": grant.undertaking.identifier,
                        "grant_date": grant.grant_date.isoformat(),
                        "cap": over[0].name,
                        "ceiling_eur": float(over[0].ceiling),
                        "counted_eur": float(over[0].counted),
                    }
                )
        return found


IMPORTERS: dict[str, type[_RegisterImporter]] = {
    "undertakings": UndertakingImporter,
    "links": LinkImporter,
    "grants": GrantImporter,
}


def register_import(
    *, actor, kind: str, content: bytes, filename: str, dry_run: bool = False
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Runs the importer of `kind`; returns the report and, for grants, the ceilings exceeded."""
    importer = IMPORTERS[kind](actor=actor)
    report = importer.run(content, filename, dry_run=dry_run)
    if isinstance(importer, GrantImporter) and report.ok and not dry_run:
        return report, importer.over_ceiling()
    return report, []
