"""The metrics reproduce the reference implementations on their own outputs (tests/mapping/oracles,
copied from the project's shared oracles with their sources)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping import metrics

ORACLES = Path(__file__).parent / "oracles"
ECONGEO = ORACLES / "econgeo"
STATA = ORACLES / "stata_ecomplexity"
POPULATION = np.array([10, 20, 30, 25, 15.0])


def econgeo(name: str) -> pd.DataFrame:
    return pd.read_csv(ECONGEO / f"{name}.csv", index_col=0)


X = econgeo("input_lq_mat").to_numpy(dtype=float)
M_TOY = econgeo("input_hh2009_toy").to_numpy(dtype=float)
C = econgeo("input_cooccurrence").to_numpy(dtype=float)
B = econgeo("input_binary_rca").to_numpy(dtype=float)
B2 = econgeo("input_binary_rca_t2").to_numpy(dtype=float)
RB = econgeo("input_relatedness_binary").to_numpy(dtype=float)
INCIDENCE = econgeo("input_incidence").to_numpy(dtype=float)
r2 = metrics.round_half_even


def column(name: str, label: str | None = None) -> np.ndarray:
    frame = econgeo(name)
    return frame[label].to_numpy(dtype=float) if label else frame.iloc[:, -1].to_numpy(dtype=float)


CASES = [
    # (oracle file, our result, rtol; 0 means exact)
    ("location_quotient", lambda: metrics.location_quotient(X), 1e-12),
    ("location_quotient_binary", lambda: metrics.presence(metrics.location_quotient(X)), 0),
    ("RCA_rounded2", lambda: r2(metrics.rca(X), 2), 0),
    ("relatedness_prob", lambda: metrics.relatedness(C, "prob"), 1e-12),
    ("relatedness_association", lambda: metrics.relatedness(C, "association"), 1e-12),
    ("relatedness_cosine", lambda: metrics.relatedness(C, "cosine"), 1e-12),
    ("relatedness_jaccard", lambda: metrics.relatedness(C, "jaccard"), 1e-12),
    ("relatedness_density", lambda: metrics.relatedness_density(B, RB, decimals=2), 0),
    ("relatedness_density_int", lambda: metrics.relatedness_density(B, RB, "int", decimals=0), 0),
    ("relatedness_density_ext", lambda: metrics.relatedness_density(B, RB, "ext", decimals=0), 0),
    ("co_occurrence", lambda: metrics.co_occurrence(INCIDENCE), 0),
    ("co_occurrence_diag", lambda: metrics.co_occurrence(INCIDENCE, diagonal=True), 0),
    ("entry_mat", lambda: metrics.entry_matrix(B, B2), 0),
    ("exit_mat", lambda: metrics.exit_matrix(B, B2), 0),
]


@pytest.mark.parametrize(("name", "compute", "rtol"), CASES, ids=[c[0] for c in CASES])
def test_matrix_outputs_match_econgeo(name, compute, rtol):
    expected = econgeo(name).to_numpy(dtype=float)
    result = compute()
    assert result.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(result), np.isnan(expected))
    np.testing.assert_allclose(result, expected, rtol=rtol, atol=0, equal_nan=True)


VECTOR_CASES = [
    ("krugman_index", None, lambda: metrics.krugman_index(X), 1e-12),
    ("spec_coeff", None, lambda: metrics.specialisation_coefficient(X), 1e-12),
    ("herfindahl", None, lambda: metrics.herfindahl(X), 1e-12),
    ("entropy", None, lambda: r2(metrics.entropy(X), 3), 0),
    ("hachman", None, lambda: metrics.hachman(X), 1e-12),
    ("gini", "Gini", lambda: r2(metrics.gini(X), 3), 0),
    ("locational_gini", "Loc.Gini", lambda: metrics.locational_gini(X), 1e-12),
    ("hoover_index_pop", "Hoover.index", lambda: r2(metrics.hoover_index(X, POPULATION), 2), 0),
    ("hoover_gini_pop", "Hoover.Gini", lambda: r2(metrics.hoover_gini(X, POPULATION), 3), 0),
    ("kci_hh2009_toy", None, lambda: metrics.kci_econgeo(M_TOY), 1e-6),
    ("tci_hh2009_toy", None, lambda: metrics.tci_econgeo(M_TOY), 1e-6),
    ("diversity", None, lambda: metrics.diversity(B), 0),
    ("ubiquity", None, lambda: metrics.ubiquity(B), 0),
]


@pytest.mark.parametrize(
    ("name", "label", "compute", "rtol"), VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES]
)
def test_vector_outputs_match_econgeo(name, label, compute, rtol):
    np.testing.assert_allclose(compute(), column(name, label), rtol=rtol, atol=0)


def test_method_of_reflections_matches_econgeo():
    countries, _ = metrics.method_of_reflections(M_TOY, steps=20)
    _, products = metrics.method_of_reflections(M_TOY, steps=19)
    np.testing.assert_allclose(countries, column("morc_hh2009_toy"), rtol=0, atol=1e-9)
    np.testing.assert_allclose(products, column("mort_hh2009_toy"), rtol=0, atol=1e-9)


def stata_years():
    trade = pd.read_csv(STATA / "trade_data_sample.csv")
    truth = pd.read_csv(STATA / "stata_ground_truth.csv").set_index(["year", "origin", "hs92"])
    for year, rows in trade.groupby("year"):
        values = rows.pivot(index="origin", columns="hs92", values="export_val").fillna(0)
        yield year, values, truth.loc[year]


@pytest.mark.parametrize("solver", ["dense", "lanczos"])
@pytest.mark.parametrize(("year", "values", "truth"), list(stata_years()), ids=["1995", "1996"])
def test_complexity_matches_stata_ecomplexity(year, values, truth, solver):
    # Stata read export_val as single precision; so does this test's input.
    x = values.to_numpy().astype(np.float32).astype(np.float64)
    rca = metrics.rca(x)
    m = metrics.presence(rca, 1.0, strict=True)
    result = metrics.complexity(m, "stata", solver=solver)
    rows, cols = x.shape
    index = pd.MultiIndex.from_product([values.index, values.columns])
    expected = truth.loc[index]

    def long(matrix):
        return np.broadcast_to(matrix, (rows, cols)).ravel()

    np.testing.assert_allclose(long(rca), expected["rca"], rtol=1e-5)
    np.testing.assert_array_equal(long(m), expected["M"])
    np.testing.assert_array_equal(long(m.sum(axis=1)[:, None]), expected["diversity"])
    np.testing.assert_array_equal(long(m.sum(axis=0)[None, :]), expected["ubiquity"])
    np.testing.assert_allclose(long(result.eci[:, None]), expected["eci"], rtol=1e-5)
    np.testing.assert_allclose(long(result.pci[None, :]), expected["pci"], rtol=1e-5)
    np.testing.assert_allclose(long(result.density), expected["density"], rtol=1e-4, atol=1e-9)
    np.testing.assert_allclose(long(result.coi[:, None]), expected["coi"], rtol=1e-4, atol=1e-9)
    np.testing.assert_allclose(long(result.cog), expected["cog"], rtol=1e-4, atol=1e-9)
    # The fixtures' README says an exact implementation reaches ~1e-14; hold ourselves to 1e-11.
    np.testing.assert_allclose(long(result.eci[:, None]), expected["eci"], rtol=1e-11)
    np.testing.assert_allclose(long(result.cog), expected["cog"], rtol=1e-10, atol=1e-12)


def test_inputs_may_be_dataframes_or_sparse():
    from scipy import sparse

    frame = econgeo("input_lq_mat")
    expected = metrics.location_quotient(X)
    np.testing.assert_array_equal(metrics.location_quotient(frame), expected)
    sparse_lq = metrics.location_quotient(sparse.csr_matrix(X))
    assert sparse.issparse(sparse_lq)  # sparse in, sparse out
    np.testing.assert_array_equal(sparse_lq.toarray(), expected)


def stata_1995(population: bool = False):
    """The 1995 trade matrix as Stata read it (single precision), with population if asked."""
    trade = pd.read_csv(STATA / "trade_data_sample.csv")
    values = trade[trade.year == 1995].pivot(index="origin", columns="hs92", values="export_val")
    values = values.fillna(0)
    if not population:
        return values.to_numpy().astype(np.float32).astype(np.float64), values, None
    people = pd.read_csv(STATA / "population_data_sample.csv")
    people = people[people.year == 1995].set_index("origin")["population"]
    values = values.loc[[origin for origin in values.index if origin in people.index]]
    x = values.to_numpy().astype(np.float32).astype(np.float64)
    return x, values, people.loc[values.index].to_numpy().astype(np.float32).astype(np.float64)


def stata_variant(name: str) -> pd.DataFrame:
    """First rows of an upstream Stata variant fixture (see the folder's README)."""
    return pd.read_csv(STATA / f"stata_{name}_head.csv").set_index(["origin", "hs92"])


def cells(matrix, values, expected) -> np.ndarray:
    frame = pd.DataFrame(matrix, index=values.index, columns=values.columns)
    return np.array([frame.loc[origin, product] for origin, product in expected.index])


@pytest.mark.parametrize("kind", ["asymmetric", "continuous"])
def test_product_space_variants_match_stata(kind):
    x, values, _ = stata_1995()
    rca = metrics.rca(x)
    result = metrics.complexity(
        metrics.presence(rca, 1.0, strict=True), "stata", proximity_kind=kind, rca_matrix=rca
    )
    expected = stata_variant("discrete_asymmetric" if kind == "asymmetric" else "continuous")
    coi = result.coi[:, None] * np.ones_like(x)
    np.testing.assert_allclose(
        cells(result.density, values, expected), expected["density"], rtol=1e-10
    )
    np.testing.assert_allclose(cells(coi, values, expected), expected["coi"], rtol=1e-10)
    np.testing.assert_allclose(
        cells(result.cog, values, expected), expected["cog"], atol=1e-12, rtol=1e-10
    )


def test_rpop_presence_matches_stata():
    x, values, population = stata_1995(population=True)
    rpop = metrics.rpop(x, population)
    m = metrics.presence(rpop, 1.0, strict=True)
    result = metrics.complexity(m, "stata")
    expected = stata_variant("rpop_default")
    ones = np.ones_like(x)
    np.testing.assert_allclose(cells(rpop, values, expected), expected["rpop"], rtol=1e-10)
    np.testing.assert_array_equal(cells(m, values, expected), expected["M"])
    for column, matrix in [
        ("density", result.density),
        ("eci", result.eci[:, None] * ones),
        ("pci", result.pci[None, :] * ones),
        ("coi", result.coi[:, None] * ones),
        ("cog", result.cog),
    ]:
        np.testing.assert_allclose(
            cells(matrix, values, expected), expected[column], rtol=1e-10, atol=1e-12
        )


def test_an_empty_location_makes_the_whole_stata_period_missing():
    """RCA threshold 2 leaves deu and ita without any product: Stata reports no complexity."""
    x, values, _ = stata_1995()
    rca = metrics.rca(x)
    m = metrics.presence(rca, 2.0, strict=True)
    expected = stata_variant("rca_2")
    ones = np.ones_like(x)
    np.testing.assert_array_equal(cells(m, values, expected), expected["M"])
    np.testing.assert_array_equal(
        cells(m.sum(axis=1)[:, None] * ones, values, expected), expected["diversity"]
    )
    np.testing.assert_array_equal(
        cells(m.sum(axis=0)[None, :] * ones, values, expected), expected["ubiquity"]
    )
    stata = metrics.complexity(m, "stata")
    assert np.isnan(stata.eci).all() and np.isnan(stata.cog).all() and expected["eci"].isna().all()
    growth_lab = metrics.complexity(m, "ecomplexity")
    assert np.isnan(growth_lab.eci[list(values.index).index("deu")])
    assert np.isfinite(growth_lab.eci[list(values.index).index("aut")])


@pytest.mark.parametrize("kind", ["symmetric", "asymmetric"])
def test_proximity_matrices_match_stata_genproximity(kind):
    """Rows of `genproximity` output: φ[hs92_1, hs92_2], asymmetric = C / ubiquity of hs92_1."""
    x, values, _ = stata_1995()
    m = metrics.presence(metrics.rca(x), 1.0, strict=True)
    phi = pd.DataFrame(metrics.proximity(m, kind), index=values.columns, columns=values.columns)
    name = "sym" if kind == "symmetric" else "asym"
    expected = pd.read_csv(STATA / f"stata_proximity_discrete_{name}_head.csv")
    ours = [phi.loc[a, b] for a, b in zip(expected.hs92_1, expected.hs92_2, strict=True)]
    np.testing.assert_allclose(ours, expected.proximity, rtol=1e-12, atol=1e-15)
