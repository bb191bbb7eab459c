"""Imports of EU funding (docs/funding.md, "Formats"): calls in the importer's columns (a table,
or the portal's search API answer turned into them by sedia.py), and CORDIS's project and
organisation files in their published columns. Every row is checked, every error names its row
and column, and nothing is written unless the whole file is valid."""

from typing import Any

from django.db.models import F, Model
from django.utils.translation import gettext as _

from atclusters.core.errors import DomainError
from atclusters.core.importing import Importer, ImportReport, Row, RowError, RowInvalid
from atclusters.funding import linking, services
from atclusters.funding.models import Call, Participation, Project
from atclusters.registry.models import Organisation

# Project ids per query when the new participants' projects are looked up: under SQLite's
# default limit of a statement's parameters (32,766 since 3.32) and PostgreSQL's (65,535).
PROJECTS_PER_QUERY = 10_000
# CORDIS writes Greece EL and the United Kingdom UK (the EU's own codes); ISO 3166 has GR, GB.
CORDIS_COUNTRIES = {"EL": "GR", "UK": "GB"}


def _raise_if_failed(row: Row) -> None:
    if row.failed:
        raise RowInvalid


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _FundingImporter(Importer):
    def __init__(self, *, actor: Any, source: str = "import"):
        super().__init__(actor=actor)
        self.source = source

    @staticmethod
    def file_error(message: str) -> RowError:
        return RowError(0, "file", message)

    def export_queryset(self):
        raise NotImplementedError

    def export_row(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError


class CallImporter(_FundingImporter):
    kind = "calls"
    columns = [
        "identifier", "call_identifier", "programme", "title", "description", "opening_date",
        "deadline_model", "deadlines", "budget_eur", "expected_grant_eur", "expected_grants",
        "type_of_action", "keywords", "eligible_countries", "url",
    ]  # fmt: skip
    required_columns = {"identifier", "programme", "title", "deadlines"}
    origin: str = Call.Source.HAND  # the portal's, when the file was its answer

    def template_row(self) -> dict[str, str]:
        return {
            "identifier": "HORIZON-CL6-2026-FARM2FORK-01-03",
            "call_identifier": "HORIZON-CL6-2026-FARM2FORK-01",
            "programme": "Horizon Europe",
            "title": "Innovative food processing for healthier diets",
            "opening_date": "2026-05-06",
            "deadline_model": "two-stage",
            "deadlines": "2026-09-17;2027-02-17",
            "budget_eur": "12000000",
            "expected_grant_eur": "6000000",
            "expected_grants": "2",
            "type_of_action": "HORIZON Innovation Actions",
            "keywords": "Food processing;Agri-food",
            "eligible_countries": "",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/",
        }

    def _read(self, row: Row, column: str, reader) -> Any:
        try:
            return reader(row.text(column))
        except DomainError as error:
            row.error(column, error.message)
            return None

    def apply(self, row: Row) -> tuple[str, Call]:
        identifier = row.text("identifier", required=True, max_length=120)
        title = row.text("title", required=True, max_length=400)
        programme = row.text("programme", required=True, max_length=100)
        opens_at = self._read(row, "opening_date", services.opening_read)
        deadlines = self._read(row, "deadlines", services.deadlines_read) or []
        if not deadlines and not row.failed:
            row.error("deadlines", _("is required"))
        data = services.CallData(
            identifier=identifier,
            programme=programme,
            title=title,
            deadlines=deadlines,
            deadline_model=row.text("deadline_model"),
            opens_at=opens_at,
            call_identifier=row.text("call_identifier", max_length=120),
            description=row.text("description"),
            budget_eur=row.decimal("budget_eur"),
            expected_grant_eur=row.decimal("expected_grant_eur"),
            expected_grants=row.integer("expected_grants", minimum=0),
            type_of_action=row.text("type_of_action", max_length=200),
            keywords=_list(row.text("keywords")),
            eligible_countries=_list(row.text("eligible_countries").replace(",", ";")),
            url=row.text("url", max_length=500),
            origin=self.origin,
        )
        _raise_if_failed(row)
        try:
            return services.call_save(actor=self.actor, data=data, source=self.source)
        except DomainError as error:
            row.error(error.field if error.field in self.columns else "row", error.message)
            raise RowInvalid from error


class _CordisImporter(_FundingImporter):
    """A CORDIS file checked whole before anything is written (`check`): every row read, linked
    and compared with what is stored, every error named by row and column. The service then
    writes both valid files together (`write`) in batched, audited bulk writes: a framework
    programme's files hold hundreds of thousands of rows, too many for a savepoint and a write
    each."""

    def __init__(self, *, actor: Any, source: str = "import"):
        super().__init__(actor=actor, source=source)
        self.new: list[dict[str, Any]] = []  # the values of each new row
        self.keys: list[str] = []  # and its key, named by the audit entry of its batch
        self.changed: list[tuple[Any, dict[str, Any]]] = []

    def check_row(self, row: Row) -> str | None:
        """ "created", "updated" or "unchanged" for a valid row (kept for `write`); None when
        the row has errors."""
        raise NotImplementedError

    def check(self, content: bytes, filename: str, *, dry_run: bool = False) -> ImportReport:
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        rows = self.read(content, filename, report)
        if rows is None:
            return report
        self.prepare()
        for index, values in enumerate(rows, start=2):
            row = Row(index, values, report.errors)
            self.refuse_nul(row)
            outcome = None if row.failed else self.check_row(row)
            if outcome is not None:
                setattr(report, outcome, getattr(report, outcome) + 1)
        return report

    @staticmethod
    def _outcome(stored: Model, values: dict[str, Any]) -> str:
        same = all(getattr(stored, name) == value for name, value in values.items())
        return "unchanged" if same else "updated"


class ProjectImporter(_CordisImporter):
    """CORDIS project.csv (Horizon Europe, H2020 and earlier exports share the columns)."""

    kind = "cordis-projects"
    columns = [
        "id", "acronym", "status", "title", "startdate", "enddate", "totalcost",
        "ecmaxcontribution", "legalbasis", "topics", "ecsignaturedate", "frameworkprogramme",
        "mastercall", "subcall", "fundingscheme", "nature", "objective", "contentupdatedate",
        "rcn", "grantdoi",
    ]  # fmt: skip
    required_columns = {"id", "title", "frameworkprogramme"}

    def __init__(self, *, actor: Any, source: str = "import", is_demo: bool = False):
        super().__init__(actor=actor, source=source)
        self.is_demo = is_demo
        self.seen: set[str] = set()
        self.existing: dict[str, Project] = {}  # read by `prepare` once the header is valid

    def template_row(self) -> dict[str, str]:
        return {"id": "101000001", "acronym": "DEMO", "title": "A project",
                "frameworkprogramme": "HORIZON", "startdate": "2023-01-01"}  # fmt: skip

    def prepare(self) -> None:
        self.existing = {p.project_id: p for p in Project.objects.all()}

    def known(self) -> set[str]:
        """The CORDIS ids of the projects stored or in the file."""
        return self.seen | set(self.existing)

    def check_row(self, row: Row) -> str | None:
        values: dict[str, Any] = {
            "project_id": row.text("id", required=True, max_length=20),
            "acronym": row.text("acronym", max_length=100),
            "title": row.text("title", required=True, max_length=600),
            "programme": row.text("frameworkprogramme", required=True, max_length=40),
            # CORDIS lists a project's topics separated by commas; the first is the one called.
            "topic": row.text("topics", max_length=1000).split(",")[0].strip()[:120],
            "start": row.date("startdate"),
            "end": row.date("enddate"),
            "ec_max_contribution": row.decimal("ecmaxcontribution"),
            "is_demo": self.is_demo,
        }
        if values["project_id"] in self.seen:
            row.error("id", _("appears twice in the file"))
        self.seen.add(values["project_id"])
        if row.failed:
            return None
        project = self.existing.get(values["project_id"])
        if project is None:
            self.new.append(values)
            self.keys.append(values["project_id"])
            return "created"
        outcome = self._outcome(project, values)
        if outcome == "updated":
            self.changed.append((project, values))
        return outcome

    def write(self) -> None:
        services.cordis_rows_write(
            actor=self.actor, model=Project, new=self.new, keys=self.keys, changed=self.changed,
            source=self.source,
        )  # fmt: skip


class ParticipantImporter(_CordisImporter):
    """CORDIS organization.csv: one row per participant of a project; `organisationid` is the
    PIC. Each is linked to a registry organisation (linking.py). `projects`: the CORDIS ids of
    the projects stored or in the projects file imported with it."""

    kind = "cordis-participants"
    columns = [
        "projectid", "projectacronym", "organisationid", "vatnumber", "name", "shortname", "sme",
        "activitytype", "street", "postcode", "city", "country", "nutscode", "geolocation",
        "organizationurl", "contactform", "contentupdatedate", "rcn", "order", "role",
        "eccontribution", "neteccontribution", "totalcost", "endofparticipation", "active",
    ]  # fmt: skip
    required_columns = {"projectid", "name", "country", "role"}

    def __init__(self, *, actor: Any, source: str = "import", projects: set[str]):
        super().__init__(actor=actor, source=source)
        self.projects = projects
        self.linked: dict[str, int] = {}
        self.review = 0
        self.new_projects: list[str] = []  # the CORDIS id of each new participant's project

    def template_row(self) -> dict[str, str]:
        return {"projectid": "101000001", "organisationid": "999999999", "name": "An SME",
                "country": "ES", "role": "coordinator"}  # fmt: skip

    def prepare(self) -> None:
        rows = Organisation.objects.values_list("pk", "country_id", "name", "pic", "vat_number")
        self.linker = linking.Linker(
            linking.Known(pk, country, linking.normal_name(name), pic.strip(),
                          linking.normal_vat(vat))
            for pk, country, name, pic, vat in rows
        )  # fmt: skip
        # A stored participant is the project's one with the PIC, or without a PIC the one of
        # that name; each is matched by one row at most.
        self.existing: dict[tuple[str, str, str], Participation] = {
            (p.cordis_id, p.pic, "" if p.pic else p.name): p
            for p in Participation.objects.annotate(cordis_id=F("project__project_id"))
        }
        self.roles = {value.lower(): value for value, _label in Participation.Role.choices}
        self.seen: set[tuple[str, str]] = set()

    def check_row(self, row: Row) -> str | None:
        project = row.text("projectid", required=True)
        if project and project not in self.projects:
            row.error("projectid", _("no such project in the projects file"))
        pic = row.text("organisationid")
        if pic and not linking.valid_pic(pic):
            row.error("organisationid", _("a PIC has nine digits"))
        role = self.roles.get(row.text("role", required=True).lower())
        if role is None and row.text("role"):
            row.error("role", _("unknown value %(value)r; allowed: %(allowed)s")
                      % {"value": row.text("role"), "allowed": ", ".join(self.roles.values())})  # fmt: skip
        country = row.text("country", required=True, max_length=2).upper()
        country = CORDIS_COUNTRIES.get(country, country)
        name = row.text("name", required=True, max_length=400)
        vat = row.text("vatnumber", max_length=30)
        contribution = row.decimal("eccontribution")
        if project and pic:
            if (project, pic) in self.seen:
                row.error("organisationid", _("appears twice for this project"))
            self.seen.add((project, pic))
        if row.failed:
            return None
        existing = self.existing.pop((project, pic, "" if pic else name), None)
        link = self.linker.link(pic=pic, vat=vat, name=name, country=country)
        values: dict[str, Any] = {
            "pic": pic, "name": name, "country": country, "vat": vat, "role": role,
            "ec_contribution": contribution,
        }  # fmt: skip
        reviewed = existing is not None and existing.review in (
            Participation.Review.CONFIRMED,
            Participation.Review.REJECTED,
        )
        if not reviewed:  # a decision of the review stands when the file comes again
            values |= {
                "organisation_id": link.key,
                "link_method": link.method,
                "link_score": link.score,
                "review": Participation.Review.PENDING if link.review else "",
            }
        if link.method:
            self.linked[link.method] = self.linked.get(link.method, 0) + 1
        self.review += bool(link.review and not reviewed)
        if existing is None:
            self.new.append(values)
            self.keys.append(f"{project}/{pic or name}")
            self.new_projects.append(project)
            return "created"
        outcome = self._outcome(existing, values)
        if outcome == "updated":
            self.changed.append((existing, values))
        return outcome

    def write(self) -> None:
        """After the projects' `write`: the new participants' projects have their keys."""
        wanted = sorted(set(self.new_projects))
        projects: dict[str, int] = {}
        for start in range(0, len(wanted), PROJECTS_PER_QUERY):
            chunk = wanted[start : start + PROJECTS_PER_QUERY]
            projects.update(
                Project.objects.filter(project_id__in=chunk).values_list("project_id", "pk")
            )
        for values, project in zip(self.new, self.new_projects, strict=True):
            values["project_id"] = projects[project]
        services.cordis_rows_write(
            actor=self.actor, model=Participation, new=self.new, keys=self.keys,
            changed=self.changed, source=self.source,
        )  # fmt: skip
