"""Regional specialisation, relatedness and complexity metrics (pure: NumPy/SciPy, no Django).

Every function takes a values matrix X with rows = regions (locations) and columns = industries
(products, technologies), as a 2-D numpy array, and returns numpy arrays. Conventions in which the
reference implementations differ are parameters; `CONVENTIONS` names the presets that reproduce
each engine (EconGeo in R, py-ecomplexity, Stata ecomplexity, R economiccomplexity). Formulas and
references: docs/methodology.md.
"""

import random
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from atclusters.mapping.conventions import CONVENTIONS, Convention

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]
Solver = Literal["auto", "lanczos", "dense"]


def is_sparse(values: object) -> bool:
    """A scipy.sparse matrix or array (tested without importing SciPy)."""
    return hasattr(values, "tocsr") and hasattr(values, "toarray")


def _csr(values: object) -> Any:  # a scipy.sparse CSR array
    """A float CSR copy of a sparse matrix, with explicit zeros dropped."""
    matrix = values.tocsr().astype(np.float64)  # type: ignore[attr-defined]  # checked by is_sparse
    matrix.eliminate_zeros()
    return matrix


def _csr_rows(matrix: object) -> NDArray[np.intp]:
    """The row of each stored value of a CSR matrix."""
    indptr = matrix.indptr  # type: ignore[attr-defined]
    return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))


def as_matrix(values: ArrayLike) -> Matrix:
    """A dense float matrix from a numpy array, a pandas DataFrame or a scipy.sparse matrix."""
    if hasattr(values, "toarray"):  # scipy.sparse: the metrics' outputs are dense anyway
        values = values.toarray()
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("expected a 2-D matrix (regions × industries)")
    return matrix


def _zero_undefined(
    result: Matrix, rows: NDArray[np.bool_] | None = None, columns: NDArray[np.bool_] | None = None
) -> None:
    """In place, what `nan_to_num(result, nan=0, posinf=0, neginf=0)` does to a ratio whose
    denominator is 0 in the given rows and columns (and nowhere else, by construction): zero
    those, then look at every cell only when the sum says one is not finite."""
    if rows is not None:
        result[rows] = 0
    if columns is not None:
        result[:, columns] = 0
    if not np.isfinite(result.sum()):
        np.nan_to_num(result, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


def _safe_divide(numerator: ArrayLike, denominator: ArrayLike) -> Matrix:
    """numerator / denominator, with 0 where the denominator is 0 (R's `x[is.na(x)] <- 0`)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator
    return np.nan_to_num(result, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


# --- specialisation ---------------------------------------------------------------------------


def location_quotient(values: ArrayLike) -> Matrix:
    """LQ_ri = (x_ri / x_r.) / (x_.i / x..) — Balassa's revealed comparative advantage (RCA).
    A scipy.sparse input gives a sparse result (a zero value has LQ 0), with the dense one's
    divisions; only the totals are summed in another order (equal to ~1e-16 relative)."""
    if is_sparse(values):
        sparse_x = _csr(values)
        row_totals = np.asarray(sparse_x.sum(axis=1)).ravel()
        column_shares = np.asarray(sparse_x.sum(axis=0)).ravel() / sparse_x.sum()
        sparse_x.data = sparse_x.data / row_totals[_csr_rows(sparse_x)]
        sparse_x.data = sparse_x.data / column_shares[sparse_x.indices]
        return sparse_x
    x = as_matrix(values)
    share_of_total = x.sum(axis=0) / x.sum()
    # One zeroing at the end: a 0/0 share stays NaN through the second division.
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = x / x.sum(axis=1, keepdims=True) / share_of_total
    return np.nan_to_num(lq, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


rca = location_quotient


def presence(rca_matrix: ArrayLike, threshold: float = 1.0, strict: bool = False) -> Matrix:
    """M = 1[RCA > threshold] (strict, Stata) or 1[RCA >= threshold] (EconGeo, py-ecomplexity).
    Sparse in, sparse out, when a zero RCA cannot pass the threshold."""
    if is_sparse(rca_matrix) and (threshold > 0 or (strict and threshold == 0)):
        m = _csr(rca_matrix)
        m.data = ((m.data > threshold) if strict else (m.data >= threshold)).astype(np.float64)
        m.eliminate_zeros()
        return m
    r = as_matrix(rca_matrix)
    return ((r > threshold) if strict else (r >= threshold)).astype(np.float64)


def rpop(values: ArrayLike, population: ArrayLike) -> Matrix:
    """RPOP_ri = (x_ri / pop_r) / (x_.i / pop.) — production per inhabitant relative to the total."""
    x = as_matrix(values)
    pop = np.asarray(population, dtype=np.float64)
    return _safe_divide(_safe_divide(x, pop[:, None]), x.sum(axis=0) / pop.sum())


def shares(values: ArrayLike, axis: Literal["region", "industry"] = "region") -> Matrix:
    """Employment shares: of each industry in its region (rows sum to 1), or of each region in
    its industry (columns sum to 1)."""
    x = as_matrix(values)
    if axis == "region":
        return _safe_divide(x, x.sum(axis=1, keepdims=True))
    return _safe_divide(x, x.sum(axis=0, keepdims=True))


def diversity(binary: ArrayLike) -> Vector:
    return as_matrix(binary).sum(axis=1)


def ubiquity(binary: ArrayLike) -> Vector:
    return as_matrix(binary).sum(axis=0)


def krugman_index(values: ArrayLike) -> Vector:
    """K_r = Σ_i |x_ri/x_r. − x_.i/x..|  (Krugman 1991), per region."""
    x = as_matrix(values)
    return np.abs(shares(x) - x.sum(axis=0) / x.sum()).sum(axis=1)


def specialisation_coefficient(values: ArrayLike) -> Vector:
    """Half the Krugman index: 0 (same structure as the total) to 1."""
    return krugman_index(values) / 2


def hachman(values: ArrayLike) -> Vector:
    """HI_r = 1 / Σ_i LQ_ri · s_ri, with s_ri the industry's share of the region (Hachman 1995)."""
    return 1 / (location_quotient(values) * shares(values)).sum(axis=1)


def herfindahl(values: ArrayLike) -> Vector:
    """H_r = Σ_i s_ri², per region."""
    return (shares(values) ** 2).sum(axis=1)


def entropy(values: ArrayLike, epsilon: float = 1e-9) -> Vector:
    """E_r = −Σ_i s_ri log2(s_ri + ε); ε = 1e-9 as in EconGeo."""
    s = shares(values)
    return -(s * np.log2(s + epsilon)).sum(axis=1)


def _lorenz_areas(cumulative_values: Matrix, cumulative_weights: Matrix) -> Vector:
    """Per column, Σ v_{k+1} w_k − Σ v_k w_{k+1}: twice the area between the Lorenz curve and the
    diagonal. Products in double, sums in extended precision, as R's sum() does."""
    ahead = (cumulative_values[1:] * cumulative_weights[:-1]).astype(np.longdouble).sum(axis=0)
    behind = (cumulative_values[:-1] * cumulative_weights[1:]).astype(np.longdouble).sum(axis=0)
    return ahead.astype(np.float64) - behind.astype(np.float64)


def gini(values: ArrayLike) -> Vector:
    """Gini coefficient of each industry's distribution over regions (EconGeo's Gini)."""
    x = np.sort(as_matrix(values), axis=0, kind="stable")
    n = x.shape[0]
    weights = np.full(n, 1 / n)
    cumulative = np.cumsum(weights[:, None] * x, axis=0)
    shares_ = cumulative / cumulative[-1]
    return _lorenz_areas(shares_, np.broadcast_to(np.cumsum(weights)[:, None], x.shape))


def _ordered_ginis(industries: Matrix, reference: Vector) -> Vector:
    """Gini of each column against `reference`, rows ordered by column / reference."""
    order = np.argsort(_safe_divide(industries, reference[:, None]), axis=0, kind="stable")
    ordered = np.take_along_axis(industries, order, axis=0)
    cumulative = np.cumsum(ordered, axis=0)
    cumulative_reference = np.cumsum(reference[order], axis=0)
    return _lorenz_areas(
        cumulative / cumulative.max(axis=0), cumulative_reference / cumulative_reference.max(axis=0)
    )


def locational_gini(values: ArrayLike) -> Vector:
    """Locational Gini (Krugman 1991): concentration of an industry relative to the regions'
    total size; regions ordered by LQ; 0 to 0.5."""
    x = as_matrix(values)
    return _ordered_ginis(x, x.sum(axis=1) / x.sum()) / 2


def hoover_gini(values: ArrayLike, population: ArrayLike) -> Vector:
    """Hoover-Gini: Gini of each industry relative to population (EconGeo's Hoover.Gini, which
    starts both cumulative curves at 0)."""
    x = as_matrix(values)
    padded = np.vstack([np.zeros((1, x.shape[1])), x])
    return _ordered_ginis(padded, np.concatenate([[0.0], np.asarray(population, dtype=np.float64)]))


def hoover_index(values: ArrayLike, population: ArrayLike | None = None) -> Vector:
    """Hoover index × 100: half the sum over regions of |share of the industry − share of the
    population| (uniform population when none is given)."""
    x = as_matrix(values)
    pop = (
        np.full(x.shape[0], 1.0) if population is None else np.asarray(population, dtype=np.float64)
    )
    industry_share = x / x.sum(axis=0)
    return np.abs(industry_share - (pop / pop.sum())[:, None]).sum(axis=0) * 100 / 2


def cagr(start: ArrayLike, end: ArrayLike, years: float) -> Matrix:
    """Compound annual growth rate (end/start)^(1/years) − 1; NaN where start is 0."""
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (end / start) ** (1 / years) - 1
    return np.where(start > 0, rate, np.nan)


# --- relatedness --------------------------------------------------------------------------------


# Integers below 2**24 are exact in float32, and so is every partial sum of a product of 0/1
# matrices with fewer events than that: the float32 product is the float64 one, at half the cost.
FLOAT32_EXACT_EVENTS = 2**24


def _is_binary(a: Matrix) -> bool:
    return bool(((a == 0) | (a == 1)).all())


def _gram(a: Matrix) -> Matrix:
    """A·Aᵀ (items × items) of an items × events matrix: in float32 when A holds only 0 and 1,
    which gives the float64 product exactly (every count is an integer below 2**24)."""
    if a.shape[1] < FLOAT32_EXACT_EVENTS and _is_binary(a):
        single = a.astype(np.float32)
        return (single @ single.T).astype(np.float64)
    return a @ a.T


def co_occurrence(incidence: ArrayLike, diagonal: bool = False) -> Matrix:
    """C = A·Aᵀ for an items × events incidence matrix A; the diagonal is zeroed unless kept.
    A sparse A is multiplied sparse (C itself is dense: most pairs co-occur somewhere); a 0/1
    dense A in float32, exactly."""
    if is_sparse(incidence):
        a_sparse = _csr(incidence)
        c = np.asarray((a_sparse @ a_sparse.T).toarray())
    else:
        c = _gram(as_matrix(incidence))
    if not diagonal:
        np.fill_diagonal(c, 0)
    return c


def relatedness(
    co_occurrences: ArrayLike,
    method: Literal["prob", "association", "cosine", "jaccard"] = "prob",
) -> Matrix:
    """Normalised co-occurrence (van Eck & Waltman 2009; Steijn's probabilistic measure), as
    EconGeo's relatedness(): S_i = column sums of C (diagonal zeroed), T = ΣC; 0 where the ratio
    is undefined (R's `x[is.na(x)] <- 0`)."""
    c = as_matrix(co_occurrences)
    if np.diagonal(c).any():  # the input is left alone: zero the diagonal of a copy
        c = c.copy()
        np.fill_diagonal(c, 0)
    s = c.sum(axis=0)
    total = c.sum()
    if method == "prob":
        return _prob_relatedness(c, s, total)
    si = np.broadcast_to(s[None, :], c.shape)  # S_i varies along columns
    sj = np.broadcast_to(s[:, None], c.shape)  # S_j varies along rows
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "association":
            result = (c / total) / ((si / total) * (sj / total))
        elif method == "cosine":
            result = c / np.sqrt(si * sj)
        elif method == "jaccard":
            result = c / (si + sj - c)
        else:
            raise ValueError(f"unknown relatedness method {method!r}")
    result = np.nan_to_num(result, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    np.fill_diagonal(result, 0)
    return result


def _prob_relatedness(c: Matrix, s: Vector, total: float) -> Matrix:
    """EconGeo's ((S_i/T)(S_j/(T−S_i)) + (S_j/T)(S_i/(T−S_j)))·T/2, factored as
    S_i S_j (1/(T−S_i) + 1/(T−S_j)) / 2: outer products of vectors instead of a dozen passes
    over the matrix (the same to rounding). Halving 1/(T−S) before the sum instead of after the
    product is exact, and the passes run in place, in two matrices."""
    with np.errstate(divide="ignore", invalid="ignore"):
        halves = 0.5 / (total - s)
        result = np.add.outer(halves, halves)
        denominator = np.multiply.outer(s, s)
        denominator *= result
        np.divide(c, denominator, out=result)
    _zero_undefined(result, rows=s == 0, columns=s == 0)
    np.fill_diagonal(result, 0)
    return result


def proximity(
    binary: ArrayLike,
    kind: Literal["symmetric", "asymmetric", "continuous"] = "symmetric",
    diagonal: float = 0.0,
    rca_matrix: ArrayLike | None = None,
) -> Matrix:
    """Product space proximity (Hidalgo et al. 2007). symmetric: φ_pq = C_pq / max(k_p, k_q);
    asymmetric: φ_pq = C_pq / k_p (conditional probability of q given p), with C = MᵀM and
    k = ubiquity; continuous: (1 + corr(RCA_p, RCA_q)) / 2 over locations, as py-ecomplexity
    (needs `rca_matrix`). The diagonal is set to `diagonal`."""
    if kind == "continuous":
        if rca_matrix is None:
            raise ValueError("continuous proximity needs the RCA matrix")
        phi = as_matrix((1 + np.corrcoef(as_matrix(rca_matrix).T)) / 2)
        np.fill_diagonal(phi, diagonal)
        return phi
    if is_sparse(binary):
        c = co_occurrence(_csr(binary).T, diagonal=True)
        k = np.diag(c).copy()  # a 0/1 column's count of ones is its own co-occurrence
    else:
        m = as_matrix(binary)
        c = _gram(m.T)
        k = m.sum(axis=0)
    if kind == "asymmetric":
        phi = _safe_divide(c, k[:, None])
    else:
        phi = _safe_divide(c, np.maximum(k[:, None], k[None, :]))
    np.fill_diagonal(phi, diagonal)
    return phi


def density(
    binary: ArrayLike,
    proximity_matrix: ArrayLike,
    include_self: bool = False,
    knn: int | None = None,
) -> Matrix:
    """ω_cp = Σ_q M_cq φ_pq / Σ_q φ_pq (Hidalgo et al. 2007; for an asymmetric φ the row of p, as
    the Growth Lab engines). Without `include_self` the product's own proximity is left out
    (Stata); with it, φ_pp = 1 counts (py-ecomplexity). `binary` may also hold RCA values, for
    density on continuous proximity. With `knn`, only each product's k nearest products count:
    those whose proximity is at least the k-th largest of p's proximities, ties included
    (Stata ecomplexity's `knn()` option)."""
    m = as_matrix(binary)
    phi = as_matrix(proximity_matrix).copy()
    np.fill_diagonal(phi, 1.0 if include_self else 0.0)
    if knn is not None:
        if not 1 <= knn <= phi.shape[1]:
            raise ValueError(f"knn must be between 1 and the number of products ({phi.shape[1]})")
        kth_largest = -np.sort(-phi, axis=1)[:, knn - 1]
        phi = np.where(phi >= kth_largest[:, None], phi, 0.0)
    totals = phi.sum(axis=1)
    result = m @ phi.T
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(result, totals[None, :], out=result)
    _zero_undefined(result, columns=totals == 0)
    return result


def relatedness_density(
    binary: ArrayLike,
    relatedness_matrix: ArrayLike,
    part: Literal["all", "int", "ext"] = "all",
    decimals: int | None = None,
) -> Matrix:
    """RD_ri = 100 · Σ_j B_rj R_ji / Σ_j R_ji (Boschma et al.; EconGeo's relatedness.density).
    `int` keeps industries the region has (B = 1), `ext` those it lacks; others are NaN.
    `decimals` rounds half to even as R's round() (EconGeo: 2 for all, 0 for int/ext)."""
    r = as_matrix(relatedness_matrix)
    if is_sparse(binary):  # a sparse presence matrix times the dense relatedness
        sparse_b = _csr(binary)
        product = np.asarray(sparse_b @ r)
        b = sparse_b.toarray() if part != "all" else sparse_b
    else:
        b = as_matrix(binary)
        product = b @ r
    totals = r.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(product, totals[None, :], out=product)
    _zero_undefined(product, columns=totals == 0)
    product *= 100
    result = product
    if decimals is not None:
        result = round_half_even(result, decimals)
    if part == "int":
        result = np.where(b == 1, result, np.nan)
    elif part == "ext":
        result = np.where(b == 1, np.nan, result)
    return result


def round_half_even(values: ArrayLike, decimals: int) -> Matrix:
    """R's round() and Python's round(): the exact binary value, ties to even — unlike
    numpy.round, which scales first. numpy decides every value that is not within a hair of a
    tie; Python's correctly rounded round() decides the rest."""
    if decimals < 0:
        raise ValueError("decimals must be 0 or more")
    array = np.asarray(values, dtype=np.float64)
    scale = 10.0**decimals
    # numpy.round's own steps (scale, rint, unscale), keeping the scaled value's distance to
    # its rounding to find the near-ties.
    scaled = array * scale
    rounded = np.rint(scaled)
    with np.errstate(invalid="ignore"):  # inf − inf: not a tie
        np.subtract(scaled, rounded, out=scaled)
    np.abs(scaled, out=scaled)
    near_tie = scaled > 0.5 - 1e-6
    rounded /= scale
    for index in zip(*np.nonzero(near_tie), strict=True):
        rounded[index] = round(float(array[index]), decimals)
    return rounded


# --- dynamics -------------------------------------------------------------------------------------


def entry_matrix(before: ArrayLike, after: ArrayLike) -> Matrix:
    """1 where an industry absent before is present after, 0 where still absent, NaN where it
    was already present (EconGeo's entry.mat)."""
    b, a = as_matrix(before), as_matrix(after)
    return np.where(b == 1, np.nan, a - b)


def exit_matrix(before: ArrayLike, after: ArrayLike) -> Matrix:
    """1 where a present industry disappears, 0 where it stays, NaN where it was absent."""
    b, a = as_matrix(before), as_matrix(after)
    return np.where(b == 0, np.nan, np.where(a == 1, 0.0, 1.0))


# --- complexity ---------------------------------------------------------------------------------


# Below this size the dense solvers win: ARPACK's iterations cost more than LAPACK's O(n³).
LANCZOS_FROM = 200
# An eigenvalue closer than this (relative to the largest) to its neighbour leaves the second
# eigenvector ill-defined; the dense solver then decides, as it always did.
EIGEN_GAP = 1e-6
LANCZOS_MAX_STEPS = 300  # then the dense solver: slow convergence means close eigenvalues


def _start_vector(n: int) -> Vector:
    """The iterative solvers' start vector, fixed so that a run is repeatable; not constant,
    because a constant vector can be orthogonal to the wanted eigenvector (a matrix whose rows
    sum alike). Drawn with the standard library's generator: importing numpy.random would cost
    the command line more than the draw."""
    draw = random.Random(20090626)  # noqa: S311 - a fixed start vector, no secret
    return np.array([draw.uniform(0.5, 1.5) for _ in range(n)])


def _lanczos_wanted(n: int, solver: Solver) -> bool:
    if solver not in {"auto", "lanczos", "dense"}:
        raise ValueError(f"unknown eigensolver {solver!r}: auto, lanczos or dense")
    return n > 4 and (solver == "lanczos" or (solver == "auto" and n >= LANCZOS_FROM))


def _separated(values: NDArray) -> bool:
    """True when the three leading eigenvalues (by modulus, in order) are apart."""
    moduli = np.abs(values)
    return bool(min(moduli[0] - moduli[1], moduli[1] - moduli[2]) > EIGEN_GAP * moduli[0])


def _second_eigenvector(matrix: Matrix, solver: Solver = "auto") -> Vector:
    """The eigenvector of the second largest eigenvalue by modulus (R's eigen() order) of a
    general square matrix. Large matrices use ARPACK (implicitly restarted Arnoldi) for the three
    leading eigenpairs, falling back to the full decomposition when it does not converge or the
    eigenvalues are too close to tell the vector apart."""
    if _lanczos_wanted(matrix.shape[0], solver):
        from scipy.sparse.linalg import ArpackNoConvergence, eigs

        try:
            values, vectors = eigs(matrix, k=3, which="LM", v0=_start_vector(matrix.shape[0]))
        except ArpackNoConvergence:
            pass
        else:
            order = np.argsort(-np.abs(values), kind="stable")
            if _separated(values[order]):
                return np.real(vectors[:, order[1]])
    values, vectors = np.linalg.eig(matrix)
    order = np.argsort(-np.abs(values), kind="stable")
    return np.real(vectors[:, order[1]])


LANCZOS_TOLERANCE = 64 * np.finfo(np.float64).eps  # residual, relative to the largest eigenvalue


def _lanczos(
    matrix: Matrix, wanted: int, max_steps: int, known: Vector
) -> tuple[Vector, Matrix] | None:
    """The `wanted` largest eigenvalues of a symmetric matrix and their eigenvectors besides
    the `known` unit eigenvector (the search stays orthogonal to it), by the
    Lanczos iteration with full reorthogonalisation (Lanczos 1950; Golub & Van Loan, Matrix
    Computations, 4th ed., §10.1–10.3): the Krylov basis is kept orthogonal to working
    precision (Gram–Schmidt twice), so the Ritz pairs are as exact as LAPACK's once their
    residual β_j·|s_ji| is below LANCZOS_TOLERANCE. None when that is not reached in
    `max_steps`. Written here rather than taken from SciPy (ARPACK's eigsh does the same,
    restarted): importing scipy.sparse.linalg costs the command line more than the whole
    computation."""
    size = matrix.shape[0]
    basis = np.empty((max_steps, size))
    alpha, beta = np.empty(max_steps), np.empty(max_steps)
    vector = _start_vector(size)
    vector -= known * (known @ vector)
    vector /= np.linalg.norm(vector)
    for step in range(max_steps):
        basis[step] = vector
        image = matrix @ vector
        alpha[step] = vector @ image
        done = basis[: step + 1]
        for _ in range(2):
            image -= done.T @ (done @ image) + known * (known @ image)
        beta[step] = np.linalg.norm(image)
        count = step + 1
        exhausted = (
            count == max_steps or beta[step] <= LANCZOS_TOLERANCE * np.abs(alpha[:count]).max()
        )
        if count >= wanted and (exhausted or (count >= 2 * wanted + 10 and count % 8 == 0)):
            tridiagonal = np.diag(alpha[:count])
            tridiagonal += np.diag(beta[: count - 1], 1) + np.diag(beta[: count - 1], -1)
            ritz_values, ritz_vectors = np.linalg.eigh(tridiagonal)
            top = np.argsort(-ritz_values, kind="stable")[:wanted]
            residuals = beta[step] * np.abs(ritz_vectors[-1, top])
            if (residuals <= LANCZOS_TOLERANCE * np.abs(ritz_values).max()).all():
                return ritz_values[top], done.T @ ritz_vectors[:, top]
        if exhausted:
            return None
        vector = image / beta[step]
    return None


def _symmetric_second_eigenpair(
    matrix: Matrix, solver: Solver, leading: Vector
) -> tuple[float, Vector]:
    """The second largest eigenvalue of a symmetric positive semi-definite matrix whose largest
    eigenvalue is 1 with the eigenvector `leading`, and its eigenvector: Lanczos beside the
    leading pair on large matrices; LAPACK's eigh on small ones, and when Lanczos does not
    converge or finds another eigenvalue (close to) 1 or a third close to the second."""
    size = matrix.shape[0]
    if _lanczos_wanted(size, solver):
        found = _lanczos(
            matrix, 2, min(size - 1, LANCZOS_MAX_STEPS), leading / np.linalg.norm(leading)
        )
        if found is not None and _separated(np.concatenate([[1.0], found[0]])):
            return float(found[0][0]), found[1][:, 0]
    values, vectors = np.linalg.eigh(matrix)
    second = np.argsort(-values, kind="stable")[1]
    return float(values[second]), vectors[:, second]


def _markov_second_eigenvector(
    m: Matrix, row_totals: Vector, column_totals: Vector, solver: Solver = "auto"
) -> Vector:
    """kp: second eigenvector of the product–product Markov matrix D_p⁻¹ Mᵀ D_c⁻¹ M, scaled so
    that kc = D_c⁻¹ M kp. Solved on the similar symmetric matrix of the smaller side
    (D^-½ … D^-½ has real eigenvalues and a fast symmetric solver); the location–location
    matrix shares the nonzero eigenvalues, and kp = D_p⁻¹ Mᵀ kc / λ. The largest eigenvalue is
    1, with the eigenvector D^½·1 (√ubiquity, or √diversity on the location side)."""
    row_scale, column_scale = 1 / np.sqrt(row_totals), 1 / np.sqrt(column_totals)
    half = m * row_scale[:, None] * column_scale[None, :]
    if m.shape[0] < m.shape[1]:
        value, vector = _symmetric_second_eigenpair(half @ half.T, solver, np.sqrt(row_totals))
        kc = vector * row_scale
        return (m.T @ kc) / column_totals / value
    return (
        _symmetric_second_eigenpair(half.T @ half, solver, np.sqrt(column_totals))[1] * column_scale
    )


def _pearson(a: Vector, b: Vector) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def method_of_reflections(binary: ArrayLike, steps: int) -> tuple[Vector, Vector]:
    """Hidalgo & Hausmann (2009) reflections k_c,N and k_p,N as EconGeo's MORc/MORt compute them:
    orders from the third on are min–max rescaled to 0..100. Returns (countries, products)."""
    m = as_matrix(binary)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    kc0, kp0 = m.sum(axis=1), m.sum(axis=0)

    def rescale(v: Vector) -> Vector:
        return (v - np.nanmin(v)) / (np.nanmax(v) - np.nanmin(v)) * 100

    kc, kp = kc0, kp0
    for order in range(1, steps + 1):
        new_kc = (m @ kp) / kc0
        new_kp = (m.T @ kc) / kp0
        if order >= 3:
            new_kc, new_kp = rescale(new_kc), rescale(new_kp)
        kc, kp = new_kc, new_kp
    return kc, kp


def kci_econgeo(binary: ArrayLike, solver: Solver = "auto") -> Vector:
    """EconGeo's KCI: second eigenvector of the region–region matrix (rounded to 4 dp as in
    EconGeo), divided by its sum, signed to correlate positively with MORc(steps=20)."""
    m = as_matrix(binary)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    cc = round_half_even((m / m.sum(axis=1, keepdims=True)) @ (m / m.sum(axis=0)).T, 4)
    v = _second_eigenvector(cc, solver)
    kci = v / v.sum()
    if _pearson(kci, method_of_reflections(m, 20)[0]) < 0:
        kci = -kci
    return kci


def tci_econgeo(binary: ArrayLike, solver: Solver = "auto") -> Vector:
    """EconGeo's TCI: the same on the technology–technology matrix, signed to correlate
    negatively (Spearman) with ubiquity."""
    m = as_matrix(binary)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    tt = round_half_even((m.T / m.sum(axis=0)[:, None]) @ (m / m.sum(axis=1, keepdims=True)), 4)
    v = _second_eigenvector(tt, solver)
    tci = v / v.sum()
    if _spearman(tci, m.sum(axis=0)) > 0:
        tci = -tci
    return tci


def _nonempty(binary: ArrayLike) -> Matrix:
    m = as_matrix(binary)
    return m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]


def _even(iterations: int) -> int:
    if iterations < 2:
        raise ValueError("iterations must be at least 2")
    return iterations + iterations % 2


def fitness_complexity(
    binary: ArrayLike, iterations: int = 20, extremality: float = 1.0
) -> tuple[Vector, Vector]:
    """Fitness of locations and complexity of products (Tacchella et al. 2012), iterated as R's
    economiccomplexity: F ← M·Q, Q ← 1/(Mᵀ·(1/F)^γ)^(1/γ), each divided by its mean; both start
    at 1 and the updates use the previous step's values. Empty rows and columns are dropped."""
    m = _nonempty(binary)
    fitness, complexity_ = np.ones(m.shape[0]), np.ones(m.shape[1])
    for _ in range(1, _even(iterations)):
        new_fitness = m @ complexity_
        new_complexity = 1 / (m.T @ (1 / fitness) ** extremality) ** (1 / extremality)
        fitness = new_fitness / new_fitness.mean()
        complexity_ = new_complexity / new_complexity.mean()
    return fitness, complexity_


def complexity_reflections(binary: ArrayLike, iterations: int = 20) -> tuple[Vector, Vector]:
    """ECI/PCI by the method of reflections, standardised (sample SD), as R's economiccomplexity:
    the location index is the odd step before the last, the product index the last step."""
    m = _nonempty(binary)
    kc0, kp0 = m.sum(axis=1), m.sum(axis=0)
    kc, kp = [kc0], [kp0]
    for step in range(1, _even(iterations)):
        kc.append((m @ kp[step - 1]) / kc0)
        kp.append((m.T @ kc[step - 1]) / kp0)

    def z(v: Vector) -> Vector:
        return (v - v.mean()) / v.std(ddof=1)

    return z(kc[-2]), z(kp[-1])


def _spearman(a: Vector, b: Vector) -> float:
    def ranks(v: Vector) -> Vector:
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(1, len(v) + 1)
        for value in np.unique(v):  # average ranks for ties, as R does
            tied = v == value
            r[tied] = r[tied].mean()
        return r

    return _pearson(ranks(a), ranks(b))


@dataclass(frozen=True)
class Complexity:
    eci: Vector
    pci: Vector
    kc: Vector  # raw (sign-corrected) location complexity before standardising
    kp: Vector  # raw (sign-corrected) product complexity
    coi: Vector
    cog: Matrix
    density: Matrix
    proximity: Matrix


def _all_missing(shape: tuple[int, int]) -> Complexity:
    rows, cols = (np.full(n, np.nan) for n in shape)
    matrix = np.full(shape, np.nan)
    return Complexity(
        eci=rows,
        pci=cols,
        kc=rows.copy(),
        kp=cols.copy(),
        coi=rows.copy(),
        cog=matrix,
        density=matrix.copy(),
        proximity=np.full((shape[1], shape[1]), np.nan),
    )


def complexity(
    binary: ArrayLike,
    convention: Convention | str = "stata",
    proximity_kind: Literal["symmetric", "asymmetric", "continuous"] = "symmetric",
    rca_matrix: ArrayLike | None = None,
    knn: int | None = None,
    solver: Solver = "auto",
) -> Complexity:
    """ECI and PCI by the eigenvector method (Hidalgo & Hausmann 2009), with the complexity
    outlook index and gain (Hausmann et al. 2014), as Stata ecomplexity or py-ecomplexity.
    `proximity_kind` chooses the product space behind density, COI and COG; `continuous` uses
    the RCA values (`rca_matrix`) for both proximity and density, as both Growth Lab engines
    (their proximity diagonal and self-inclusion differ, as for the discrete spaces).
    Locations with diversity 0 and products with ubiquity 0 get NaN ECI/PCI/COI (py-ecomplexity);
    under the Stata convention they make every value of the period NaN, as Stata's do.
    `knn` restricts density (and so COI) to each product's k nearest products; COG keeps the
    whole product space, as Stata ecomplexity does. `solver` chooses the eigensolver: Lanczos
    (ARPACK) from 200 locations and products on the smaller side, LAPACK's full decomposition
    below (`auto`), or either always; both give the same vector to rounding."""
    found = _eigenvector_indices(binary, convention, solver)
    if found is None:
        return _all_missing(as_matrix(binary).shape)
    conv, m, kc, kp, sd = found.convention, found.m, found.kc, found.kp, found.sd
    absent = 1 - m
    if proximity_kind == "continuous":
        if rca_matrix is None:
            raise ValueError("continuous proximity needs the RCA matrix")
        rca_values = as_matrix(rca_matrix)[found.rows_ok][:, found.cols_ok]
        phi = proximity(m, "continuous", diagonal=conv.proximity_diagonal, rca_matrix=rca_values)
        dens = density(rca_values, phi, include_self=conv.density_includes_self, knn=knn)
    else:
        phi = proximity(m, proximity_kind, diagonal=conv.proximity_diagonal)
        dens = density(m, phi, include_self=conv.density_includes_self, knn=knn)
    weighted = dens * absent
    weighted *= kp[None, :]
    coi_raw = weighted.sum(axis=1)
    coi_mean, coi_sd = found.standardise(coi_raw)
    gain_weights = _safe_divide(phi, phi.sum(axis=1)[:, None])
    gain_weights *= kp[:, None]
    cog = absent @ gain_weights
    cog /= sd
    cog *= absent
    spread = found.spread
    return Complexity(
        eci=found.eci,
        pci=found.pci,
        kc=spread(kc, True, False),
        kp=spread(kp, False, True),
        coi=spread((coi_raw - coi_mean) / coi_sd, True, False),
        cog=spread(cog, True, True),
        density=spread(dens, True, True),
        proximity=phi,
    )


def complexity_indices(
    binary: ArrayLike, convention: Convention | str = "stata", solver: Solver = "auto"
) -> tuple[Vector, Vector]:
    """ECI and PCI alone: complexity()'s `eci` and `pci`, the same numbers, without the product
    space that COI, COG and density need (what `atclusters metrics eci` computes)."""
    found = _eigenvector_indices(binary, convention, solver)
    if found is None:
        rows, cols = as_matrix(binary).shape
        return np.full(rows, np.nan), np.full(cols, np.nan)
    return found.eci, found.pci


@dataclass(frozen=True)
class _Indices:
    """The eigenvector method on the presence matrix without its empty rows and columns."""

    convention: Convention
    m: Matrix
    rows_ok: NDArray[np.bool_]
    cols_ok: NDArray[np.bool_]
    kc: Vector
    kp: Vector
    mean: float
    sd: float

    def standardise(self, values: Vector) -> tuple[float, float]:
        """Mean and standard deviation by the convention: over locations, or over the
        location × product rows of the long table (each location's value repeated)."""
        rows = self.convention.eci_over == "rows"
        sample = np.repeat(values, self.m.shape[1]) if rows else values
        return float(sample.mean()), float(sample.std(ddof=self.convention.eci_ddof))

    def spread(self, values: NDArray, rows: bool, cols: bool) -> NDArray:
        """Values of the kept rows/columns put back in place, NaN in the empty ones."""
        if self.rows_ok.all() and self.cols_ok.all():
            return values
        rows_ok, cols_ok = self.rows_ok, self.cols_ok
        shape = (len(rows_ok) if rows else 1, len(cols_ok) if cols else 1)
        full = np.full(shape, np.nan)
        full[np.ix_(rows_ok if rows else [True], cols_ok if cols else [True])] = values.reshape(
            (self.m.shape[0] if rows else 1, self.m.shape[1] if cols else 1)
        )
        return full.ravel() if not (rows and cols) else full

    @property
    def eci(self) -> Vector:
        return self.spread((self.kc - self.mean) / self.sd, True, False)

    @property
    def pci(self) -> Vector:
        return self.spread((self.kp - self.mean) / self.sd, False, True)


def _eigenvector_indices(
    binary: ArrayLike, convention: Convention | str, solver: Solver
) -> _Indices | None:
    """kc and kp (sign-corrected) with the mean and SD that standardise them; None when an
    empty location or product makes the whole period missing (Stata's convention)."""
    conv = CONVENTIONS[convention] if isinstance(convention, str) else convention
    m_full = as_matrix(binary)
    rows_ok, cols_ok = m_full.sum(axis=1) > 0, m_full.sum(axis=0) > 0
    complete = bool(rows_ok.all() and cols_ok.all())
    if conv.empty_spreads and not complete:
        return None
    # Row-major either way, so that sums add up in one order whatever the input's layout.
    m = np.ascontiguousarray(m_full) if complete else m_full[rows_ok][:, cols_ok]
    kc0, kp0 = m.sum(axis=1), m.sum(axis=0)
    kp = _markov_second_eigenvector(m, kc0, kp0, solver)
    kc = (m / kc0[:, None]) @ kp
    if _pearson(kc0, kc) < 0:
        kc, kp = -kc, -kp
    unscaled = _Indices(conv, m, rows_ok, cols_ok, kc, kp, mean=0.0, sd=1.0)
    mean, sd = unscaled.standardise(kc)
    return replace(unscaled, mean=mean, sd=sd)
