"""Row operations on float32 CSR matrices that the similarity model is made of: norms, views of row ranges,
scaling in place, and scikit-learn's sublinear TF-IDF without its per-call validation."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer


def as_csr(matrix) -> sp.csr_matrix:
    return sp.csr_matrix(matrix, dtype=np.float32)


def row_norms(matrix: sp.csr_matrix) -> np.ndarray:
    squares = sp.csr_matrix((np.square(matrix.data), matrix.indices, matrix.indptr), shape=matrix.shape)
    return np.sqrt(squares @ np.ones(matrix.shape[1], dtype=np.float32)).astype(np.float64)


def row_slice(matrix: sp.csr_matrix, start: int, end: int) -> sp.csr_matrix:
    """Rows start..end-1 as views of ``matrix``'s arrays (scipy's slicing copies)."""
    a, b = matrix.indptr[start], matrix.indptr[end]
    return sp.csr_matrix(
        (matrix.data[a:b], matrix.indices[a:b], matrix.indptr[start : end + 1] - a),
        shape=(end - start, matrix.shape[1]),
    )


def scale_rows(matrix: sp.csr_matrix, factors: np.ndarray) -> sp.csr_matrix:
    """In place: row r times factors[r]."""
    matrix.data *= np.repeat(factors.astype(np.float32), np.diff(matrix.indptr))
    return matrix


def unit_rows(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """In place: rows scaled to length 1; also returns which rows were not empty."""
    norms = row_norms(matrix)
    present = norms > 0
    scale_rows(matrix, np.divide(1.0, norms, out=np.zeros_like(norms), where=present))
    return matrix, present


def fit_idf(counts: sp.csr_matrix) -> TfidfTransformer | None:
    """Sublinear tf times smoothed idf (scikit-learn), not normalised: channels are combined first."""
    if counts.shape[0] == 0 or counts.shape[1] == 0:
        return None
    return TfidfTransformer(sublinear_tf=True, norm=None).fit(counts)


def tfidf(idf: TfidfTransformer | None, counts: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF of a count matrix (a copy: counts may be a shared slice)."""
    matrix = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    if idf is None:
        return matrix
    # TfidfTransformer(sublinear_tf=True, norm=None).transform, the same operations without its input
    # validation (a quarter of the cost of a draft's vector; tests compare the two)
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    matrix.data *= idf.idf_[matrix.indices]
    return matrix
