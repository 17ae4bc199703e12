"""TF-IDF vectors of reports and the cosine similarity between them.

Terms are spaCy lemmas with multi-word names ("Khalifa Haftar", "House of
Representatives") kept whole, stop words and punctuation dropped. Weights use
sublinear term frequency and no document-frequency pruning by default, so a
corpus of two reports still has a vocabulary (tools that drop terms seen in
fewer than three documents return nothing on five reports).

Two ways to get the pairs, chosen by corpus size:

* small corpora: the dense n x n cosine matrix, one row per unordered pair;
* large corpora: the n x n matrix is never built. Rows of the sparse matrix are
  multiplied block by block and only each report's ``top_k`` neighbours are
  kept; near-duplicate candidates come from MinHash LSH (``datasketch``) over
  word shingles, so a copy is found even if it were outside the top k.

Both paths return the same table: ``report_a, report_b, cosine`` with
``report_a < report_b``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

#: Entity labels whose multi-word spans are kept as one term (names, not dates or amounts).
NAME_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")

PAIR_COLUMNS = ["report_a", "report_b", "cosine"]

_HAS_ALNUM = re.compile(r"\w", re.UNICODE)


def _keep_token(text: str, lemma: str) -> bool:
    """A content word: has a letter or digit, is longer than one character, is not a stop word."""
    return (
        len(text) > 1
        and _HAS_ALNUM.search(text) is not None
        and text.lower() not in STOP_WORDS
        and lemma not in STOP_WORDS
    )


def _name_tokens(ent) -> list:
    """The tokens of an entity that form the name: no leading article, stopped at punctuation.

    spaCy's small model returns spans such as "the House of Representatives (HoR"
    or "Muammar Gaddafi’s"; the name is "House of Representatives" / "Muammar Gaddafi".
    """
    tokens = list(ent)
    while tokens and (tokens[0].pos_ == "DET" or tokens[0].lower_ in STOP_WORDS):
        tokens.pop(0)
    kept = []
    for token in tokens:
        if token.is_punct or token.is_space or token.tag_ == "POS" or token.is_bracket:
            break
        kept.append(token)
    return kept


def doc_terms(doc: Doc, name_labels: Sequence[str] = NAME_LABELS, keep_names: bool = True) -> list[str]:
    """Terms of one parsed report, in text order.

    Accepts a spaCy ``Doc``; returns lower-cased lemmas of content words, with
    each multi-word name (entity of ``name_labels``) as one term whose words
    are joined by spaces ("khalifa haftar").
    """
    name_at: dict[int, tuple[int, str]] = {}
    if keep_names:
        labels = set(name_labels)
        for ent in doc.ents:
            if ent.label_ not in labels:
                continue
            tokens = _name_tokens(ent)
            if len(tokens) >= 2:
                name_at[tokens[0].i] = (tokens[-1].i, " ".join(t.lower_ for t in tokens))
    terms: list[str] = []
    i = 0
    while i < len(doc):
        if i in name_at:
            end, name = name_at[i]
            terms.append(name)
            i = end + 1
            continue
        token = doc[i]
        lemma = token.lemma_.lower().strip()
        if not (token.is_punct or token.is_space) and _keep_token(token.text, lemma):
            terms.append(lemma or token.lower_)
        i += 1
    return terms


# A run of capitalised words, optionally joined by "of", "the", "for", "de", "al", "bin"...
_REGEX_NAME = re.compile(
    r"\b[A-Z][\w’'-]*(?:\s+(?:(?:of|the|for|de|al|el|bin|ibn)\s+)*[A-Z][\w’'-]*)+"
)
_REGEX_WORD = re.compile(r"\w[\w’'-]*\w|\w", re.UNICODE)


def regex_terms(text: str, keep_names: bool = True) -> list[str]:
    """Terms of a raw text without spaCy: the fast path for very large corpora.

    Lower-cased words (no lemmas), stop words dropped, runs of capitalised
    words ("Khalifa Haftar", "House of Representatives") kept as one term.
    Sentence-initial capitals can glue a common word to a name; that is the
    price of not parsing.
    """
    terms: list[str] = []
    pos = 0
    spans = []
    if keep_names:
        for m in _REGEX_NAME.finditer(text):
            words = m.group(0).split()
            # A leading capitalised stop word ("The", "In") is not part of the name.
            while words and words[0].lower() in STOP_WORDS:
                words.pop(0)
            words = [re.sub(r"[’']s$", "", w) for w in words]
            if len(words) >= 2:
                spans.append((m.start(), m.end(), " ".join(w.lower() for w in words)))
    for start, end, name in spans:
        terms.extend(_regex_words(text[pos:start]))
        terms.append(name)
        pos = end
    terms.extend(_regex_words(text[pos:]))
    return terms


def _regex_words(text: str) -> list[str]:
    words = (w.lower() for w in _REGEX_WORD.findall(text))
    return [re.sub(r"[’']s$", "", w) for w in words if _keep_token(w, w)]


def _identity(terms):
    return terms


@dataclass
class TfidfVectors:
    """TF-IDF matrix of a corpus: rows follow ``report_ids``, columns ``vocabulary``."""

    report_ids: list[str]
    matrix: sparse.csr_matrix
    vocabulary: np.ndarray
    settings: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        assert self.matrix.shape == (len(self.report_ids), len(self.vocabulary))
        assert len(set(self.report_ids)) == len(self.report_ids), "report ids must be unique"

    def row(self, report_id: str) -> int:
        """Row index of ``report_id``."""
        return self.report_ids.index(report_id)


def tfidf_vectors(
    report_ids: Sequence[str],
    term_lists: Sequence[list[str]],
    sublinear_tf: bool = True,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    smooth_idf: bool = True,
    norm: str = "l2",
) -> TfidfVectors:
    """Fit scikit-learn's ``TfidfVectorizer`` on pre-extracted terms.

    Accepts the report ids and one term list per report (from ``doc_terms`` or
    ``regex_terms``). Returns ``TfidfVectors`` with L2-normalised rows, so the
    dot product of two rows is their cosine. A report with no terms gets an
    all-zero row (cosine 0 with everything). If the corpus has no term at all
    the vocabulary is empty.
    """
    report_ids = list(report_ids)
    settings = dict(sublinear_tf=sublinear_tf, min_df=min_df, max_df=max_df, smooth_idf=smooth_idf, norm=norm)
    if not any(term_lists):
        return TfidfVectors(report_ids, sparse.csr_matrix((len(report_ids), 0)), np.array([], dtype=object), settings)
    vectorizer = TfidfVectorizer(analyzer=_identity, lowercase=False, **settings)
    try:
        matrix = vectorizer.fit_transform(list(term_lists))
    except ValueError:
        # min_df/max_df pruned every term: say so with an empty vocabulary rather than crash.
        return TfidfVectors(report_ids, sparse.csr_matrix((len(report_ids), 0)), np.array([], dtype=object), settings)
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    matrix.sort_indices()
    return TfidfVectors(report_ids, matrix, vectorizer.get_feature_names_out(), settings)


def report_terms(
    reports: pd.DataFrame,
    analyzer: str = "spacy",
    docs: dict[str, Doc] | None = None,
    keep_names: bool = True,
) -> list[list[str]]:
    """One term list per row of ``reports`` (columns ``report_id``, ``text``).

    ``analyzer="spacy"`` uses the shared cached parse (``analysis.nlp.parse_reports``,
    or the ``docs`` passed in); ``analyzer="regex"`` skips spaCy entirely.
    """
    if analyzer == "regex":
        return [regex_terms(t, keep_names=keep_names) for t in reports["text"]]
    if analyzer != "spacy":
        raise ValueError(f"analyzer must be 'spacy' or 'regex', not {analyzer!r}")
    if docs is None:
        from . import nlp

        docs = nlp.parse_reports(reports)
    return [doc_terms(docs[rid], keep_names=keep_names) for rid in reports["report_id"]]


def cosine_matrix(vectors: TfidfVectors) -> np.ndarray:
    """Dense n x n cosine matrix (rows are L2-normalised), diagonal 1 for non-empty reports."""
    sims = (vectors.matrix @ vectors.matrix.T).toarray()
    np.clip(sims, 0.0, 1.0, out=sims)
    return sims


def all_pairs(vectors: TfidfVectors) -> pd.DataFrame:
    """Every unordered pair with its cosine: the dense path for small corpora."""
    ids = vectors.report_ids
    n = len(ids)
    if n < 2:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "cosine" else "str") for c in PAIR_COLUMNS})
    sims = cosine_matrix(vectors)
    ia, ib = np.triu_indices(n, k=1)
    return _pairs_frame(ids, ia, ib, sims[ia, ib])


def _pairs_frame(ids: Sequence[str], ia: np.ndarray, ib: np.ndarray, cos: np.ndarray) -> pd.DataFrame:
    """Pairs table with ``report_a < report_b``, duplicates removed, sorted by cosine then ids."""
    a = np.asarray(ids, dtype=object)[ia]
    b = np.asarray(ids, dtype=object)[ib]
    lo = np.where(a < b, a, b)
    hi = np.where(a < b, b, a)
    frame = pd.DataFrame({"report_a": lo.astype(str), "report_b": hi.astype(str), "cosine": np.round(cos.astype(float), 6)})
    frame = frame.drop_duplicates(["report_a", "report_b"])
    return sort_pairs(frame)


def sort_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort a pairs table by descending cosine, then ``report_a``, ``report_b``."""
    return frame.sort_values(["cosine", "report_a", "report_b"], ascending=[False, True, True], kind="mergesort").reset_index(drop=True)


def _top_k_rows(sims: np.ndarray, row_offset: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k columns of each row of ``sims`` (self and zero similarity excluded).

    Ties (equal to 9 decimals) are broken by the lower column index, so the
    result does not depend on how rows are blocked. ``sims`` is left unchanged. Returns (rows, columns) index arrays of the kept cells,
    rows shifted by ``row_offset``.
    """
    n_rows, n_cols = sims.shape
    k = min(k, n_cols - 1)
    if k <= 0 or n_rows == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    diag = (np.arange(n_rows), np.arange(n_rows) + row_offset)
    saved = sims[diag].copy()
    sims[diag] = -np.inf
    # k-th largest value of each row in O(n); every cell within float noise of it is a
    # candidate, so ties are all seen and broken below the same way on every path.
    kth = np.partition(sims, n_cols - k, axis=1)[:, n_cols - k]
    rows, cols = np.nonzero((sims >= kth[:, None] - 1e-9) & (sims > 1e-12))
    vals = np.round(sims[rows, cols], 9)
    sims[diag] = saved
    order = np.lexsort((cols, -vals, rows))
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = rank < k
    return rows[keep] + row_offset, cols[keep]


def top_k_dense(vectors: TfidfVectors, k: int) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours taken from the full dense matrix (reference path)."""
    sims = cosine_matrix(vectors)
    rows, cols = _top_k_rows(sims, 0, k)
    return _pairs_frame(vectors.report_ids, rows, cols, sims[rows, cols])


def top_k_blocked(vectors: TfidfVectors, k: int, block_size: int = 1000) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours without building the n x n matrix.

    Multiplies ``block_size`` rows of the sparse matrix by its transpose at a
    time (memory ``block_size x n``, capped at 20 million cells), keeps the
    top ``k`` of each row (neighbours with cosine 0 are not neighbours) and
    returns the union as unordered pairs ``report_a, report_b, cosine``.
    """
    X = vectors.matrix
    n = X.shape[0]
    # Cap a block at ~20 million cells (160 MB of float64) whatever the corpus size.
    block_size = max(1, min(block_size, 20_000_000 // max(n, 1)))
    XT = X.T.tocsc()
    rows_all, cols_all, cos_all = [], [], []
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        block = (X[start:stop] @ XT).toarray()
        np.clip(block, 0.0, 1.0, out=block)
        rows, cols = _top_k_rows(block, start, k)
        rows_all.append(rows)
        cols_all.append(cols)
        cos_all.append(block[rows - start, cols])
    if not rows_all:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    return _pairs_frame(vectors.report_ids, np.concatenate(rows_all), np.concatenate(cols_all), np.concatenate(cos_all))


def pair_cosines(vectors: TfidfVectors, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Cosine of given pairs of report ids, as a pairs table."""
    index = {rid: i for i, rid in enumerate(vectors.report_ids)}
    pairs = list(pairs)
    if not pairs:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    ia = np.array([index[a] for a, _ in pairs])
    ib = np.array([index[b] for _, b in pairs])
    X = vectors.matrix
    cos = np.asarray(X[ia].multiply(X[ib]).sum(axis=1)).ravel()
    return _pairs_frame(vectors.report_ids, ia, ib, np.clip(cos, 0.0, 1.0))


# ---------------------------------------------------------------- MinHash LSH

_SHINGLE_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word ``size``-grams of a lower-cased text, as UTF-8 bytes (the text itself if shorter)."""
    words = _SHINGLE_WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def near_duplicate_candidates(
    report_ids: Sequence[str],
    texts: Sequence[str],
    threshold: float = 0.5,
    num_perm: int = 128,
    shingle_size: int = 5,
    seed: int = 1,
) -> list[tuple[str, str]]:
    """Pairs of reports whose word-shingle sets probably have Jaccard >= ``threshold``.

    Uses ``datasketch`` MinHash LSH (fixed seed, so the result is reproducible).
    Returns sorted ``(report_a, report_b)`` tuples with ``report_a < report_b``;
    they are candidates, to be confirmed by passage alignment.
    """
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = {}
    # Streamed: one report's shingles in memory at a time.
    stream = MinHash.generator((shingles(t, shingle_size) for t in texts), num_perm=num_perm, seed=seed)
    for rid, mh in zip(report_ids, stream):
        if mh.is_empty():
            continue
        lean = LeanMinHash(mh)
        hashes[rid] = lean
        lsh.insert(rid, lean)
    found = set()
    for rid, mh in hashes.items():
        for other in lsh.query(mh):
            if other != rid:
                found.add((min(rid, other), max(rid, other)))
    return sorted(found)


def neighbour_pairs(
    vectors: TfidfVectors,
    texts: Sequence[str] | None = None,
    all_pairs_max_reports: int = 300,
    top_k: int = 10,
    block_size: int = 1000,
    lsh_threshold: float = 0.5,
    num_perm: int = 128,
) -> tuple[pd.DataFrame, str, list[tuple[str, str]]]:
    """The pairs to report, chosen by corpus size.

    Up to ``all_pairs_max_reports`` reports: every unordered pair (dense matrix).
    Beyond: each report's ``top_k`` neighbours (blocked sparse product) plus the
    MinHash LSH near-duplicate candidates over ``texts``. Returns the pairs
    table, the name of the path taken (``"all pairs"`` or ``"top-k"``) and the
    LSH candidate pairs (empty on the all-pairs path, which needs none).
    """
    if len(vectors.report_ids) <= all_pairs_max_reports:
        return all_pairs(vectors), "all pairs", []
    pairs = top_k_blocked(vectors, top_k, block_size)
    candidates: list[tuple[str, str]] = []
    if texts is not None:
        candidates = near_duplicate_candidates(vectors.report_ids, texts, lsh_threshold, num_perm)
        extra = pair_cosines(vectors, candidates)
        pairs = sort_pairs(pd.concat([pairs, extra]).drop_duplicates(["report_a", "report_b"]))
    return pairs, "top-k", candidates
