"""Statistics imports: validated against NUTS and NACE, all or nothing, revised, audited."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.mapping import services
from atclusters.mapping.models import Dataset, Observation
from atclusters.mapping.statfiles import StatFileError

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "statfiles" / "nama_10r_3empers_sample_lines.tsv"
# Real figures (persons employed) from ../shared/data/stats/, Eurostat nama_10r_3empers.
TIDY = (
    "region,industry,year,employment\n"
    "ES11,TOTAL,2015,1033800\n"
    "ES11,A,2015,71400\n"
    "ES111,TOTAL,2015,442100\n"
)


def import_sample(**options):
    return services.dataset_import(
        actor=None,
        content=SAMPLE.read_bytes(),
        file_name=SAMPLE.name,
        fmt="eurostat-tsv",
        slug="empers",
        where={"wstatus": "EMP"},
        nuts_version=2016,
        **options,
    )


def test_eurostat_file_becomes_a_dataset_with_flags_and_missing_cells():
    dataset = import_sample(source="Eurostat nama_10r_3empers", licence="CC BY 4.0")
    assert dataset.revision == 1 and dataset.nuts_version == 2016
    cell = Observation.objects.get(dataset=dataset, region="ES64", industry="R-U", year=2022)
    assert cell.value == pytest.approx(1900) and cell.flag == "p"
    assert (
        Observation.objects.get(dataset=dataset, region="ITH43", industry="TOTAL", year=1995).value
        is None
    )
    assert dataset.observation_count == Observation.objects.filter(dataset=dataset).count() == 168
    assert AuditEntry.objects.filter(action="create", source="import").count() == 1


def test_reimport_replaces_the_observations_and_raises_the_revision():
    import_sample()
    dataset = services.dataset_import(
        actor=None, content=TIDY.encode(), file_name="t.csv", fmt="tidy-csv", slug="empers"
    )
    assert dataset.revision == 2 and dataset.observation_count == 3
    assert sorted(dataset.observations.values_list("region", flat=True)) == [
        "ES11",
        "ES11",
        "ES111",
    ]


def test_unknown_codes_are_all_reported_and_nothing_is_written():
    bad = TIDY + "XX99,TOTAL,2015,5\nES11,Z9,2015,5\nUKL,TOTAL,2015,5\n"
    with pytest.raises(StatFileError) as raised:
        services.dataset_import(
            actor=None, content=bad.encode(), file_name="t.csv", fmt="tidy-csv", slug="bad"
        )
    messages = [str(problem) for problem in raised.value.problems]
    assert "region: 'UKL' is not a NUTS 2021 code" in messages
    assert "region: 'XX99' is not a NUTS 2021 code" in messages
    assert "line 6, industry: 'Z9' is not a NACE code" in messages
    assert not Dataset.objects.exists() and not Observation.objects.exists()


def test_only_agency_staff_and_admins_import(world):
    for user in (world.manager, world.rep, world.nobody):
        with pytest.raises(PermissionDenied):
            services.dataset_import(
                actor=user, content=TIDY.encode(), file_name="t.csv", fmt="tidy-csv", slug="x"
            )
    dataset = services.dataset_import(
        actor=world.staff, content=TIDY.encode(), file_name="t.csv", fmt="tidy-csv", slug="x"
    )
    assert dataset.imported_by == world.staff


def test_command_line_import_and_its_errors(tmp_path, capsys):
    call_command(
        "mapping",
        "import",
        str(SAMPLE),
        "--format",
        "eurostat-tsv",
        "--dataset",
        "empers",
        "--where",
        "wstatus=EMP",
        "--nuts-version",
        "2016",
    )
    assert "dataset empers revision 1, 168 observations" in capsys.readouterr().out
    broken = tmp_path / "broken.csv"
    broken.write_text("region,industry,year,employment\nES11,TOTAL,20x5,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("mapping", "import", str(broken), "--format", "tidy-csv", "--dataset", "other")
    assert raised.value.returncode == 2
    assert "line 2, year: '20x5' is not a year" in str(raised.value)
    assert not Dataset.objects.filter(slug="other").exists()


def test_ratings_command_against_the_datasets_countries(capsys):
    services.dataset_import(
        actor=None,
        content=(
            b"region,industry,year,employment\n"
            b"ES,TOTAL,2015,1000\nES,A,2015,100\nPT,TOTAL,2015,1000\nPT,A,2015,300\n"
            b"ES11,TOTAL,2015,100\nES11,A,2015,50\nES12,TOTAL,2015,100\nES12,A,2015,10\n"
            b"PT11,TOTAL,2015,200\nPT11,A,2015,40\nESZZ,A,2015,1\n"
        ),
        file_name="t.csv",
        fmt="tidy-csv",
        slug="small",
    )
    call_command(
        "mapping", "ratings", "--dataset", "small", "--year", "2015", "--level", "2", "--json"
    )
    document = json.loads(capsys.readouterr().out)
    rows = {row["region"]: row for row in document["rows"]}
    assert set(rows) == {"ES11", "ES12", "PT11"}  # Extra-Regio ESZZ is not a region
    # Base share of A = (100 + 300) / 2000 = 0.2; ES11: 50/100 → LQ 2.5.
    assert rows["ES11"]["lq"] == pytest.approx(2.5) and rows["PT11"]["lq"] == pytest.approx(1.0)
    # Size: 90th percentile of (10, 40, 50) = 48; focus: of (0.1, 0.2, 0.5) = 0.44;
    # strong: LQ ≥ 1.75 (75th percentile) and employment > 25 (25th).
    assert rows["ES11"]["stars"] == 3 and rows["ES11"]["strong"] is True
    assert rows["ES12"]["stars"] == 0 and rows["PT11"]["strong"] is False
    assert document["thresholds"]["specialisation_lq"] == 2.0
    with pytest.raises(CommandError, match="has no level-3 figures for 2015"):
        call_command("mapping", "ratings", "--dataset", "small", "--year", "2015", "--level", "3")


def test_api_lists_datasets_observations_and_ratings(client):
    import_sample()
    assert [d["slug"] for d in client.get("/api/v1/datasets").json()] == ["empers"]
    page = client.get(
        "/api/v1/datasets/empers/observations", {"region": "ES64", "year": 2022}
    ).json()
    assert page["count"] == 1 and page["items"][0]["flag"] == "p"
    assert page["items"][0]["value"] == pytest.approx(1900)
    assert client.get("/api/v1/datasets/nope/ratings", {"year": 2015}).status_code == 404
    missing = client.get("/api/v1/datasets/empers/ratings", {"year": 1990, "level": 2})
    assert missing.status_code == 422 and "no level-2 figures for 1990" in str(missing.json())
    rated = client.get("/api/v1/datasets/empers/ratings", {"year": 2015, "level": 2}).json()
    assert {"region": "ES64", "category": "R-U"}.items() <= rated["rows"][0].items()
    assert rated["rows"][0]["employment"] == pytest.approx(2300)
    assert (
        client.get("/api/v1/datasets/empers/ratings", {"year": 2015, "level": 7}).status_code == 422
    )


def test_a_nul_character_stores_nothing_from_the_command_line(tmp_path):
    path = tmp_path / "figures.csv"
    # A flag is stored as printed: SQLite would keep the NUL, PostgreSQL fail on it.
    path.write_bytes(
        b"region,industry,year,employment,flag\nES11,TOTAL,2015,1033800,\nES11,A,2015,71400,p\x00\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("mapping", "import", str(path), "--format", "tidy-csv", "--dataset", "nul")
    assert refused.value.returncode == 2
    assert "line 3, file: contains the NUL character" in str(refused.value)
    assert not Dataset.objects.exists()
