"""U.S. County Business Patterns: the Census Bureau's county file layout, imported and rated
with the U.S. benchmark categories in NAICS 2012."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.mapping import services
from atclusters.mapping.models import Dataset, Observation
from atclusters.mapping.statfiles import StatFileError, read

pytestmark = pytest.mark.django_db

HEADER = (
    "fipstate,fipscty,naics,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est,n<5,n5_9,n10_19,n20_49,"
    "n50_99,n100_249,n250_499,n500_999,n1000,n1000_1,n1000_2,n1000_3,n1000_4,censtate,cencty"
)
SIZES = ",0,0,0,0,0,0,0,0,0,0,0,0,0,63,1"


def row(state, county, naics, flag, emp, payroll, est):
    return (
        f'"{state}","{county}","{naics}","{flag}",{emp},"{flag}",0,"{flag}",{payroll},{est}{SIZES}'
    )


COUNTY_FILE = "\n".join(
    [
        HEADER,
        row("06", "001", "------", "G", 1000, 50000, 80),
        row("06", "001", "33----", "G", 300, 20000, 10),
        row("06", "001", "336411", "H", 120, 9000, 2),
        row("06", "001", "336412", "D", 0, 0, 1),
        row("06", "003", "------", "G", 1000, 40000, 90),
        row("06", "003", "336411", "G", 10, 500, 1),
        row("06", "999", "------", "G", 20, 900, 3),
    ]
)


def test_the_county_layout_reads_all_three_measures():
    observations = read(COUNTY_FILE, "cbp", year=2021)
    by_key = {(o.region, o.industry, o.measure): o for o in observations}
    assert by_key[("US06001", "TOTAL", "employment")].value == 1000
    assert by_key[("US06001", "33", "establishments")].value == 10
    # Annual payroll is published in $1,000.
    assert by_key[("US06001", "336411", "wages")].value == 9_000_000
    withheld = by_key[("US06001", "336412", "employment")]
    assert withheld.value is None and withheld.flag == "D"
    assert by_key[("US06001", "336412", "establishments")].value == 1
    assert not any(o.region == "US06999" for o in observations)


def test_the_year_comes_from_the_file_name_and_bad_codes_are_named(tmp_path):
    good = tmp_path / "cbp21co.txt"
    good.write_text(COUNTY_FILE, encoding="utf-8")
    call_command("mapping", "import", str(good), "--format", "cbp", "--dataset", "cbp")
    dataset = Dataset.objects.get(slug="cbp")
    assert (dataset.geography, dataset.industries) == ("us-fips", "naics")
    assert set(Observation.objects.values_list("year", flat=True)) == {2021}
    bad = tmp_path / "counties.txt"
    bad.write_text(COUNTY_FILE.replace('"336411","H"', '"33641X","H"'), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("mapping", "import", str(bad), "--format", "cbp", "--dataset", "cbp")
    assert "year" in str(raised.value)
    with pytest.raises(CommandError, match=r"line 4, naics: '33641X' is not a NAICS code"):
        call_command(
            "mapping", "import", str(bad), "--format", "cbp", "--dataset", "cbp", "--year", "2021"
        )


def test_county_ratings_with_the_naics_benchmark_categories(capsys):
    from atclusters.mapping.demo import us_cmp_categories_load

    us_cmp_categories_load()
    services.dataset_import(
        actor=None,
        content=COUNTY_FILE.encode(),
        file_name="cbp21co.txt",
        fmt="cbp",
        slug="cbp",
        impute=True,
    )
    capsys.readouterr()
    call_command(
        "mapping", "ratings", "--dataset", "cbp", "--year", "2021", "--level", "3",
        "--categories", "us-cmp-naics2012", "--json",
    )  # fmt: skip
    rows = json.loads(capsys.readouterr().out)["rows"]
    aerospace = {r["region"]: r for r in rows if r["category"] == "aerospace-vehicles-and-defense"}
    # Imputed: 33 has 300, of which 336411 120; 336412 is the only missing child of 33 → 180.
    assert aerospace["US06001"]["employment"] == pytest.approx(300)
    assert aerospace["US06001"]["imputed"] is True
    # No national row: the counties together are the base, (300 + 10) / 2000.
    assert aerospace["US06003"]["lq"] == pytest.approx((10 / 1000) / (310 / 2000))
    with pytest.raises(CommandError, match="does not classify NAICS figures"):
        call_command(
            "mapping", "ratings", "--dataset", "cbp", "--year", "2021", "--level", "3",
            "--categories", "a10",
        )  # fmt: skip


def test_nuts_and_us_figures_do_not_mix_in_one_dataset():
    services.dataset_import(
        actor=None, content=COUNTY_FILE.encode(), file_name="cbp21co.txt", fmt="cbp", slug="mix"
    )
    with pytest.raises(StatFileError, match=r"mix holds U\.S\. states and counties"):
        services.dataset_import(
            actor=None,
            content=b"region,industry,year,employment\nES11,A,2020,5\n",
            file_name="t.csv",
            fmt="tidy-csv",
            slug="mix",
        )
