"""Reading and writing matrices for `atclusters metrics`: the fast paths give what the careful
ones give, byte for byte."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from atclusters.core import tables
from atclusters.core.cells import plain_number
from atclusters.mapping.matrix_io import LabelledMatrix, MatrixError, csv_bytes, read_matrix
from atclusters.mapping.plain_numbers import number_rows


def exported(table: LabelledMatrix) -> bytes:
    """The platform's export writer on the same table."""
    columns = [table.name, *table.columns]
    rows = [
        dict(zip(columns, [label, *values], strict=True))
        for label, values in zip(table.rows, table.values.tolist(), strict=True)
    ]
    return tables.write_table(columns, rows, "csv")


doubles = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=300, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 7)), elements=doubles))
def test_numbers_are_written_as_plain_number_writes_them(values):
    expected = [",".join(plain_number(x) for x in row).encode() for row in values.tolist()]
    assert list(number_rows(values)) == expected


@pytest.mark.parametrize(
    "values",
    [
        # rounding ties at the 15th digit, carries into a new digit, powers of ten
        [[0.5, 2.5, 1e15, 1e14, 999999999999999.5, 9999999999999995.0, 1e-30, 1e30]],
        [[2.0**k + 0.5 for k in range(1, 53)]],
        [[2.0**-k for k in range(1, 60)]],
        [[0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1e-31, -1e31, 5e-324, 1e308]],
        [[0.1 + 0.2, 1 / 3, -2 / 3, 123456.789, 1e-5, 1.5e-7]],
    ],
)
def test_edge_numbers_match_plain_number(values):
    array = np.array(values)
    assert list(number_rows(array)) == [
        ",".join(plain_number(x) for x in row).encode() for row in values
    ]


def test_random_doubles_of_every_magnitude_match_plain_number():
    rng = np.random.default_rng(2)
    bits = rng.integers(0, 2**63, 30_000, dtype=np.int64).view(np.float64).reshape(300, 100)
    scaled = rng.random((300, 100)) * 10.0 ** rng.integers(-32, 33, (300, 100))
    for values in (bits, scaled * rng.choice([-1, 1], (300, 100))):
        assert list(number_rows(values)) == [
            ",".join(plain_number(x) for x in row).encode() for row in values.tolist()
        ]


def test_csv_is_byte_for_byte_the_platform_export():
    rng = np.random.default_rng(3)
    values = rng.lognormal(0, 3, (40, 6)) * (rng.random((40, 6)) > 0.3)
    values[2, 3], values[5, 1] = np.nan, -0.0
    table = LabelledMatrix(
        values,
        [f"R{i}" for i in range(38)] + ["=SUM(A1)", 'Quoted, "with" comma'],
        ["a", "-b", "c,d", "e", "f", "g"],
        "nuts",
    )
    assert csv_bytes(table) == exported(table)


def test_a_label_with_a_form_feed_stays_one_row(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("nuts,A\r\nR\x0c1,1\r\nR2,2\r\n", encoding="utf-8")
    table = read_matrix(path)
    assert table.rows == ["R\x0c1", "R2"]
    np.testing.assert_array_equal(table.values, [[1], [2]])


def test_clean_and_messy_csv_read_alike(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("\ufeffnuts,A, B\nR1,1,2.5\n R2 ,0,1e3\n\nR3,4,5\n", encoding="utf-8")
    messy = tmp_path / "messy.csv"
    messy.write_text('nuts,A, B\nR1,1,"2.5"\n R2 ,,1e3\n\nR3,4,5\n', encoding="utf-8")
    a, b = read_matrix(clean), read_matrix(messy)
    assert a.rows == b.rows == ["R1", "R2", "R3"]
    assert a.columns == b.columns == ["A", "B"] and a.name == b.name == "nuts"
    np.testing.assert_array_equal(a.values, [[1, 2.5], [0, 1000], [4, 5]])
    np.testing.assert_array_equal(b.values, [[1, 2.5], [0, 1000], [4, 5]])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (",a,b\nr1,1,nan\n", "row r1, column b: 'nan' is not a number"),
        (",a,b\nr1,1,2\nr2,1,2,3\n", "not a readable CSV"),
        (",a,b\nr1,1\n", None),  # a short row: the missing cell is 0, as before
    ],
)
def test_odd_files_take_the_careful_reader(tmp_path, content, message):
    path = tmp_path / "odd.csv"
    path.write_text(content)
    if message is None:
        np.testing.assert_array_equal(read_matrix(path).values, [[1, 0]])
    else:
        with pytest.raises(MatrixError, match=message):
            read_matrix(path)


def test_parquet_round_trip_and_errors(tmp_path):
    import polars as pl

    from atclusters.mapping.matrix_io import write_parquet

    values = np.array([[1.0, np.nan], [0.25, 3.0]])
    path = tmp_path / "m.parquet"
    write_parquet(LabelledMatrix(values, ["R1", "R2"], ["A", "B"], "nuts"), path)
    frame = pl.read_parquet(path)
    assert frame.columns == ["nuts", "A", "B"] and frame["B"].to_list() == [None, 3.0]
    back = read_matrix(path)  # a null reads as 0, as an empty CSV cell does
    assert back.rows == ["R1", "R2"] and back.name == "nuts"
    np.testing.assert_array_equal(back.values, [[1, 0], [0.25, 3]])
    pl.DataFrame({"region": ["R1"], "A": [-2.0]}).write_parquet(path)
    with pytest.raises(MatrixError, match="row R1, column A: negative value"):
        read_matrix(path)
    pl.DataFrame({"region": ["R1"], "A": ["x"]}).write_parquet(path)
    with pytest.raises(MatrixError, match="column A: String values, not numbers"):
        read_matrix(path)
