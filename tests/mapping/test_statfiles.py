"""Reading statistics files as Eurostat and national offices publish them."""

from pathlib import Path

import pytest

from atclusters.mapping.statfiles import StatFileError, normalise_industry, read

SAMPLE = (Path(__file__).parent / "statfiles" / "nama_10r_3empers_sample_lines.tsv").read_text(
    encoding="utf-8"
)


def by_key(observations):
    return {(o.region, o.industry, o.year): o for o in observations}


def test_eurostat_bulk_tsv_keeps_missing_cells_flags_and_scales_thousands():
    observations = by_key(read(SAMPLE, "eurostat-tsv", where={"wstatus": "EMP"}))
    assert observations["PT16I", "TOTAL", 1995].value == pytest.approx(117_400)
    assert observations["ES64", "R-U", 2022].value == pytest.approx(1_900)
    assert observations["ES64", "R-U", 2022].flag == "p"
    assert observations["ITH43", "TOTAL", 1995].value is None  # ":" in the file
    assert ("DE234", "F", 2000) not in observations  # wstatus SAL, filtered out
    assert {o.region for o in observations.values()} == {
        "ITH43",
        "ITH59",
        "FRF3",
        "DE264",
        "ES64",
        "PT16I",
    }
    salaried = by_key(read(SAMPLE, "eurostat-tsv", where={"wstatus": "SAL"}))
    assert salaried["PL416", "K", 2003].flag == "b"
    assert salaried["PL416", "K", 2003].value == pytest.approx(2_300)


def test_a_cell_twice_asks_for_a_filter():
    with pytest.raises(StatFileError) as raised:
        read(SAMPLE.replace("A,THS,SAL,F,DE234", "A,THS,EMP,TOTAL,ITH43"), "eurostat-tsv")
    assert "ITH43 TOTAL 1995 appears twice: choose one value" in str(raised.value)


def test_every_bad_cell_is_named_by_line_and_column():
    broken = SAMPLE.replace("3.06 \t", "3,06 \t").replace("A,THS,EMP,J,FRF3", "A,THS,EMP,X9,FRF3")
    with pytest.raises(StatFileError) as raised:
        read(broken, "eurostat-tsv")
    problems = {(p.line, p.column) for p in raised.value.problems}
    assert (2, "2000") in problems and (5, "nace_r2") in problems


def test_sdmx_csv_with_flags_and_confidential_cells():
    text = (
        "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:NAMA_10R_3EMPERS(1.0),11/03/24 23:00:00,A,THS,C,ES11,2019,121.5,\n"
        "ESTAT:NAMA_10R_3EMPERS(1.0),11/03/24 23:00:00,A,THS,C10,ES11,2019,,c\n"
    )
    observations = by_key(read(text, "sdmx-csv"))
    assert observations["ES11", "C", 2019].value == pytest.approx(121_500)
    assert observations["ES11", "10", 2019].value is None
    assert observations["ES11", "10", 2019].flag == "c"


def test_tidy_csv_reads_every_measure_column():
    text = "region,industry,year,employment,establishments,wages\nES11,10.11,2020,5400,312,\n"
    observations = read(text, "tidy-csv")
    assert {(o.measure, o.value) for o in observations} == {
        ("employment", 5400.0),
        ("establishments", 312.0),
    }
    with pytest.raises(StatFileError, match="needs region, industry, year and a measure"):
        read("region,sector,year,employment\nES11,10,2020,1\n", "tidy-csv")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C10", "10"),
        ("C101", "10.1"),
        ("C1011", "10.11"),
        ("10.11", "10.11"),
        ("B-E", "B-E"),
        ("M_N", "M_N"),
        ("TOTAL", "TOTAL"),
        ("C10-C12", "C10-C12"),
        ("X1", None),
        ("1011", None),
    ],
)
def test_nace_codes_as_eurostat_writes_them(code, expected):
    assert normalise_industry(code) == expected


# Hostile files (issue 16).


@pytest.mark.parametrize("fmt", ["tidy-csv", "sdmx-csv", "eurostat-tsv"])
def test_a_nul_character_is_refused_naming_its_line(fmt):
    text = "region,industry,year,employment\nES11,A,2015,10\nES\x0012,A,2015,20\n"
    with pytest.raises(StatFileError) as refused:
        read(text, fmt)
    assert [(p.line, p.column) for p in refused.value.problems] == [(3, "file")]
    assert "NUL character" in str(refused.value)


@pytest.mark.parametrize(
    ("fmt", "text", "repeated"),
    [
        (
            "tidy-csv",
            "region,industry,year,employment,Employment\nES11,A,2015,10,99\n",
            "employment",
        ),
        ("sdmx-csv", "geo,nace_r2,TIME_PERIOD,OBS_VALUE,OBS_VALUE\nES11,A,2015,1,2\n", "obs_value"),
        ("eurostat-tsv", "unit,geo,geo\\TIME_PERIOD\t2015\nPS,ES11,ES12\t5\n", "geo"),
    ],
)
def test_a_column_named_twice_is_refused_naming_it(fmt, text, repeated):
    with pytest.raises(StatFileError) as refused:
        read(text, fmt)
    assert [(p.line, p.column) for p in refused.value.problems] == [(1, "header")]
    assert refused.value.problems[0].message.startswith(f"{repeated}: more than once")
