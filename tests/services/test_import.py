"""The catalogue's import (CSV/XLSX/JSON), all or nothing: on the page, the command line and
the API, with the permission rules of the services layer."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core.audit import AuditEntry
from atclusters.core.tables import write_table
from atclusters.services import importers, services
from atclusters.services.models import Service

pytestmark = pytest.mark.django_db

HEADER = (
    "slug,provider,category,name_en,name_es,name_gl,name_pt,name_fr,description_en,"
    "description_fr,list_price,member_price,unit,capacity_per_month,languages,"
    "eligible_clusters,eligible_sizes,eligible_countries,aid_treatment,is_active\n"
)
GOOD = (
    HEADER + "export-coaching,galicia,consulting,Export coaching,Asesoría exportadora,Asesoría "
    "exportadora,Apoio à exportação,Accompagnement export,Plans reviewed,Plans revus,90,35,"
    "hour,100,es;gl,food,micro;small,ES;PT,de-minimis,yes\n"
    "food-workshop,food,consulting,Food workshop,,,,,,,200,120,participant,,en,,,,gber-27,\n"
)


@pytest.fixture
def category(world):
    return services.category_save(actor=None, slug="consulting", names={"en": "Consulting"})


def run_import(world_user, content: str, **options):
    importer = importers.ServiceImporter(actor=world_user, provider=options.pop("provider", ""))
    return importer.run(content.encode(), "services.csv", **options)


def test_a_valid_file_creates_services_in_five_languages_and_again_changes_nothing(world, category):
    report = run_import(world.staff, GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    coaching = Service.objects.get(slug="export-coaching")
    assert coaching.agency == world.agency and coaching.cluster is None
    assert (coaching.name_pt, coaching.description_fr) == ("Apoio à exportação", "Plans revus")
    assert coaching.aid_per_unit() == 55
    assert coaching.languages == ["es", "gl"] and coaching.eligible_countries == ["ES", "PT"]
    assert list(coaching.eligible_clusters.values_list("slug", flat=True)) == ["food"]
    assert coaching.capacity_per_month == 100 and coaching.eligible_sizes == ["micro", "small"]
    workshop = Service.objects.get(slug="food-workshop")
    assert workshop.cluster == world.cluster and workshop.provider_kind == "cluster"
    assert workshop.is_active and workshop.unit == "participant"  # an empty cell: the default
    assert AuditEntry.objects.filter(source="import").count() >= 2
    again = run_import(world.staff, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_every_error_names_its_row_and_column_and_nothing_is_saved(world, category):
    bad = (
        HEADER + "ok-service,galicia,consulting,Fine,,,,,,,10,5,hour,,,,,,none,\n"
        "priced,galicia,consulting,Priced,,,,,,,10,12,hour,,,,,,none,\n"
        ",nowhere,cooking,,,,,,,,ten,5,week,-1,xx,,giant,,gift,maybe\n"
    )
    report = run_import(world.staff, bad)
    assert not report.ok
    found = {(error.row, error.column) for error in report.errors}
    assert (3, "member_price") in found  # above the list price (the services layer's rule)
    for column in ("slug", "provider", "category", "name_en", "list_price", "unit",
                   "aid_treatment", "is_active", "capacity_per_month", "languages",
                   "eligible_sizes"):  # fmt: skip
        assert (4, column) in found, column
    assert not Service.objects.exists()
    assert str(report.errors[0]).startswith("row 3, column member_price")


def test_a_cluster_manager_imports_for_the_cluster_but_grants_no_de_minimis_aid(world, category):
    rows = HEADER + "mine,,consulting,Mine,,,,,,,100,50,hour,,,,,,de-minimis,\n"
    report = run_import(world.manager, rows, provider="food")
    assert [(e.row, e.column) for e in report.errors] == [(2, "row")]
    assert run_import(world.manager, rows.replace("de-minimis", "gber-27"), provider="food").ok
    assert Service.objects.get(slug="mine").cluster == world.cluster
    other = run_import(world.manager, rows.replace(",,consulting", ",sea,consulting"))
    assert [(e.row, e.column) for e in other.errors] == [(2, "row")]
    wrong = run_import(world.manager, rows.replace(",,consulting", ",galicia,consulting"),
                       provider="food")  # fmt: skip
    assert [(e.row, e.column) for e in wrong.errors] == [(2, "provider")]


def test_the_dry_run_writes_nothing_and_xlsx_reads_like_csv(world, category):
    assert run_import(world.staff, GOOD, dry_run=True).created == 2
    assert not Service.objects.exists()
    importer = importers.ServiceImporter(actor=world.staff)
    template = importer.template("xlsx")
    report = importer.run(template, "template.xlsx")
    # The template names IGAPE and a category the world lacks: both reported, by column.
    assert {e.column for e in report.errors} == {"provider", "category"}


def test_import_page_permissions_and_csrf(world, category, login):
    for user, status in ((world.rep, 403), (world.nobody, 403), (world.other_staff, 200),
                         (world.staff, 200), (world.admin, 200), (world.manager, 200)):  # fmt: skip
        assert login(user).get("/en/services/import/").status_code == status, user
    assert login(None).get("/en/services/import/").status_code == 302
    client = login(world.staff)
    upload = SimpleUploadedFile("services.csv", GOOD.encode(), content_type="text/csv")
    page = client.post("/en/services/import/", {"kind": "services", "file": upload})
    assert "Imported." in page.content.decode()
    assert Service.objects.count() == 2
    export = client.get("/en/services/import/export.csv").content.decode()
    assert export.splitlines()[0].startswith("slug,provider,provider_kind,category,name_en")
    assert "export-coaching" in export
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.staff)
    upload = SimpleUploadedFile("services.csv", GOOD.encode(), content_type="text/csv")
    assert (
        strict.post("/en/services/import/", {"kind": "services", "file": upload}).status_code == 403
    )


def test_cli_import_json_and_exit_codes(world, category, tmp_path):
    path = tmp_path / "services.csv"
    path.write_text(GOOD)
    out = StringIO()
    call_command("services", "import", str(path), "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 2 and not Service.objects.exists()
    call_command("services", "import", str(path), "--as", "staff", stdout=StringIO())
    assert Service.objects.count() == 2
    path.write_text(GOOD.replace(",90,35,", ",90,95,"))
    with pytest.raises(CommandError) as refused:
        call_command("services", "import", str(path), stdout=StringIO())
    assert refused.value.returncode == 2 and "row 2, column member_price" in str(refused.value)
    with pytest.raises(CommandError) as forbidden:
        call_command("services", "import", str(path), "--as", "rep", stdout=StringIO())
    assert forbidden.value.returncode == 3


def test_api_import(world, category, bearer, client):
    def post(role: str, content: str, **query):
        upload = SimpleUploadedFile("services.csv", content.encode(), content_type="text/csv")
        path = "/api/v1/services/imports" + ("?provider=food" if query else "")
        return client.post(path, {"file": upload}, headers=bearer(role))

    assert post("rep", GOOD).status_code == 403
    answer = post("staff", GOOD)
    assert answer.status_code == 200 and answer.json()["created"] == 2
    bad = post("staff", GOOD.replace(",90,35,", ",90,95,"))
    assert bad.json()["ok"] is False
    assert bad.json()["errors"][0]["row"] == 2
    assert bad.json()["errors"][0]["column"] == "member_price"
    assert client.post("/api/v1/services/imports").status_code in (401, 403)


def test_export_uses_the_formula_guard(world, category):
    services.service_save(
        actor=None, slug="formula", agency=world.agency, category=category,
        values={"name_en": "=HYPERLINK(1)", "list_price": "1", "member_price": "1"},
    )  # fmt: skip
    content = importers.ServiceImporter(actor=world.staff).export("csv").decode()
    assert "'=HYPERLINK(1)" in content
    assert write_table  # the kernel's writer, which guards every cell
