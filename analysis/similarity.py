"""TF-IDF vectors of reports and the cosine similarity between them.

Terms are spaCy lemmas with multi-word names ("Khalifa Haftar", "House of
Representatives") kept whole, stop words and punctuation dropped. Weights use
sublinear term frequency and no document-frequency pruning by default, so a
corpus of two reports still has a vocabulary (tools that drop terms seen in
fewer than three documents return nothing on five reports).

Two ways to get the pairs, chosen by corpus size:

* small corpora: the dense n x n cosine matrix, one row per unordered pair;
* large corpora: the n x n matrix is never built. ``cosine_top_cells``
  computes each pair's cosine once, in blocks of rows on every core, and
  keeps only each report's best cells, so just each report's ``top_k``
  neighbours are kept (``top_k_sparse``: the same table as the
  single-process ``top_k_blocked``, ties included); near-duplicate candidates come from MinHash
  LSH over word 5-gram shingles (one-permutation MinHash, 128 bins, banded as
  ``datasketch.MinHashLSH`` would), so a copy is found even if it were outside
  the top k.

Both paths return the same table: ``report_a, report_b, cosine`` with
``report_a < report_b``.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass, field
from itertools import chain
from numbers import Integral
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from .progress import progress_bar

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
    if not keep_names:
        return _regex_words(text)
    terms: list[str] = []
    pos = 0
    cache = _NAME_TERMS
    if len(cache) > _MEMO_MAX:
        cache.clear()
    for m in _REGEX_NAME.finditer(text):
        run = m.group(0)
        name = cache.get(run, _MISSING)
        if name is _MISSING:
            name = cache[run] = _name_term(run)
        if name is None:
            continue
        terms += _regex_words(text[pos : m.start()])
        terms.append(name)
        pos = m.end()
    terms += _regex_words(text[pos:])
    return terms


_POSSESSIVE = re.compile(r"[’']s$")
_MISSING = object()
# Memo of the word -> term and capitalised run -> name mappings of ``regex_terms``: the
# same few hundred thousand strings recur across a corpus, so each is computed once and
# every occurrence of a term shares one ``str`` object (millions of terms in memory once).
_WORD_TERMS: dict[str, str | None] = {}
_NAME_TERMS: dict[str, str | None] = {}
_MEMO_MAX = 2_000_000


def _word_term(word: str) -> str | None:
    lower = word.lower()
    return _POSSESSIVE.sub("", lower) if _keep_token(lower, lower) else None


def _name_term(run: str) -> str | None:
    words = run.split()
    # A leading capitalised stop word ("The", "In") is not part of the name.
    while words and words[0].lower() in STOP_WORDS:
        words.pop(0)
    words = [_POSSESSIVE.sub("", w) for w in words]
    return " ".join(w.lower() for w in words) if len(words) >= 2 else None


def _regex_words(text: str) -> list[str]:
    cache = _WORD_TERMS
    if len(cache) > _MEMO_MAX:
        cache.clear()
    out = []
    for word in _REGEX_WORD.findall(text):
        term = cache.get(word, _MISSING)
        if term is _MISSING:
            term = cache[word] = _word_term(word)
        if term is not None:
            out.append(term)
    return out


class _Vocabulary(dict):
    """Term -> code in order of first lookup, the terms kept in that order too (known terms are looked up in C)."""

    def __init__(self):
        super().__init__()
        self.terms: list[str] = []

    def __missing__(self, term: str) -> int:
        code = self[term] = len(self.terms)
        self.terms.append(term)
        return code


# The term coder of a worker process of ``regex_term_codes``, by call.
_WORKER_CODER: dict = {}


def _regex_code_chunk(args: tuple[object, list[str], bool]) -> tuple[int, np.ndarray, np.ndarray, list[str]]:
    """``regex_terms`` of a chunk of texts, numbered with this worker's own vocabulary.

    Returns the process id, the codes and the number of terms of each text,
    and the terms this worker met first in this chunk, in order: sending
    numbers rather than every term saves pickling the term lists.
    """
    call, texts, keep_names = args
    if _WORKER_CODER.get("call") != call:
        _WORKER_CODER.update(call=call, coder=_TermCoder())
    coder = _WORKER_CODER["coder"]
    known = len(coder.vocabulary.terms)
    codes, lengths = coder.number([regex_terms(t, keep_names) for t in texts])
    return os.getpid(), codes, lengths, coder.vocabulary.terms[known:]


#: Corpora of at least this many reports extract regex terms in several processes.
PARALLEL_TERMS_MIN_REPORTS = 2000
#: Reports per task of those processes.
TERMS_CHUNK_REPORTS = 250
_CALLS = itertools.count()


def n_workers() -> int:
    """CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def regex_term_codes(texts: Sequence[str], keep_names: bool = True, workers: int | None = None) -> TermCodes:
    """``regex_terms`` of many texts as ``TermCodes``, in ``workers`` processes for large corpora.

    Each worker numbers its chunks' terms with its own vocabulary; the
    chunks are renumbered into one vocabulary as they arrive, in order, so
    the codes are those of one process. The term lists of the whole corpus
    are never held at once.
    """
    texts = list(texts)
    workers = n_workers() if workers is None else workers
    if workers <= 1 or len(texts) < PARALLEL_TERMS_MIN_REPORTS:
        return TermCodes.from_lists([regex_terms(t, keep_names) for t in texts])
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = TERMS_CHUNK_REPORTS
    call = (os.getpid(), next(_CALLS))
    jobs = [(call, texts[i : i + chunk], keep_names) for i in range(0, len(texts), chunk)]
    coder = _TermCoder()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool, \
            progress_bar(len(texts), "terms") as bar:
        for worker, codes, lengths, new_terms in pool.map(_regex_code_chunk, jobs):
            coder.add_coded(worker, codes, lengths, new_terms)
            bar.update(len(lengths))
    return coder.codes()


def regex_terms_many(texts: Sequence[str], keep_names: bool = True, workers: int | None = None) -> list[list[str]]:
    """``regex_terms`` of many texts, in ``workers`` processes for large corpora (same result, in order)."""
    return regex_term_codes(texts, keep_names, workers).lists()


class TermCodes:
    """The terms of many reports as numbers: a compact list of term lists.

    ``vocabulary[codes]`` are all the terms, report after report, and
    ``lengths[i]`` of them belong to report ``i``. Codes number the terms in
    order of first appearance, as scikit-learn's ``CountVectorizer`` does.
    Four bytes a term instead of a list slot and a string; on the 37,554
    allsides reports, 17.9 million terms. Indexing and iterating give term
    lists.
    """

    __slots__ = ("codes", "lengths", "vocabulary", "_starts")

    def __init__(self, codes: np.ndarray, lengths: np.ndarray, vocabulary: np.ndarray):
        assert len(codes) == int(lengths.sum()), "one code per term"
        assert len(codes) == 0 or (codes.min() >= 0 and codes.max() < len(vocabulary)), "codes index the vocabulary"
        self.codes, self.lengths, self.vocabulary = codes, lengths, vocabulary
        self._starts = np.concatenate(([0], np.cumsum(lengths)))

    @classmethod
    def from_lists(cls, term_lists: Iterable[list[str]]) -> TermCodes:
        """``TermCodes`` of term lists (strings)."""
        coder = _TermCoder()
        coder.add(term_lists)
        return coder.codes()

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, i: int) -> list[str]:
        return self.vocabulary[self.codes[self._starts[i] : self._starts[i + 1]]].tolist()

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def lists(self) -> list[list[str]]:
        """The term lists."""
        return list(self)


class _TermCoder:
    """Numbers term lists as they come, in order of first appearance; ``codes()`` gives the ``TermCodes``."""

    def __init__(self):
        self.vocabulary = _Vocabulary()
        self._codes: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self._maps: dict[int, np.ndarray] = {}  # a source's own code -> this coder's

    def number(self, term_lists: Iterable[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The codes of ``term_lists``' terms (new terms get the next codes) and the number of terms of each list."""
        term_lists = list(term_lists)
        lengths = np.fromiter(map(len, term_lists), dtype=np.int64, count=len(term_lists))
        codes = np.fromiter(map(self.vocabulary.__getitem__, chain.from_iterable(term_lists)), dtype=np.int32,
                            count=int(lengths.sum()))
        return codes, lengths

    def add(self, term_lists: Iterable[list[str]]) -> None:
        codes, lengths = self.number(term_lists)
        self._codes.append(codes)
        self._lengths.append(lengths)

    def add_coded(self, source: int, codes: np.ndarray, lengths: np.ndarray, new_terms: list[str]) -> None:
        """A chunk numbered with ``source``'s own vocabulary, whose terms first met in this chunk are ``new_terms``.

        Chunks come in order and a source's earlier chunks came before, so every
        term new to this coder is among ``new_terms``, which are in order of first
        appearance: numbered in that order, the codes are those ``add`` gives.
        """
        fresh = np.fromiter(map(self.vocabulary.__getitem__, new_terms), dtype=np.int64, count=len(new_terms))
        self._maps[source] = mapping = np.concatenate((self._maps.get(source, fresh[:0]), fresh))
        self._codes.append(mapping[codes].astype(np.int32))
        self._lengths.append(lengths)

    def codes(self) -> TermCodes:
        vocabulary = np.empty(len(self.vocabulary.terms), dtype=object)
        vocabulary[:] = self.vocabulary.terms
        return TermCodes(np.concatenate(self._codes) if self._codes else np.array([], dtype=np.int32),
                         np.concatenate(self._lengths) if self._lengths else np.array([], dtype=np.int64),
                         vocabulary)


def shared_strings(term_lists: Iterable[list[str]], shared: dict[str, str]) -> list[list[str]]:
    """``term_lists`` with each distinct term one string object, the one first stored in ``shared`` (updated).

    Every chunk of results from a worker (or report read from the cache)
    arrives with its own copies of the same words. Kept, the copies took
    hundreds of megabytes on a large corpus; dropped as they arrive, their
    memory is reused by the next chunk, so the strings that stay (the
    vocabulary) sit together rather than pinning, among freed copies, memory
    the process can then never give back.
    """
    get = shared.setdefault
    return [[get(term, term) for term in terms] for terms in term_lists]


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


def _term_counts(terms: TermCodes, block_terms: int = 1 << 22) -> sparse.csr_matrix:
    """Count matrix of ``terms``: a row per report, a column per code.

    Counts are float64 and indices sorted within rows: with codes in order
    of first appearance, the matrix scikit-learn's ``CountVectorizer`` counts
    inside ``TfidfVectorizer``, made with sorts instead of a Python loop over
    every term. Reports are counted about ``block_terms`` terms at a time, so
    what a sort needs beside the matrix stays small on a large corpus.
    """
    n_reports, width, starts = len(terms), max(len(terms.vocabulary), 1), terms._starts
    row_sizes, columns, counts = np.zeros(n_reports, dtype=np.int64), [], []
    first = 0
    while first < n_reports:
        last = max(first + 1, int(np.searchsorted(starts, starts[first] + block_terms, "right")) - 1)
        rows = np.repeat(np.arange(last - first, dtype=np.int64), terms.lengths[first:last])
        keys, count = np.unique(rows * width + terms.codes[starts[first] : starts[last]], return_counts=True)
        row, column = np.divmod(keys, width)
        row_sizes[first:last] = np.bincount(row, minlength=last - first)
        columns.append(column.astype(np.int32 if width <= np.iinfo(np.int32).max else np.int64))
        counts.append(count.astype(np.float64))
        first = last
    nnz = int(row_sizes.sum())
    index = np.int32 if nnz <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n_reports + 1, dtype=index)
    np.cumsum(row_sizes, out=indptr[1:])
    empty = np.zeros(0)
    return sparse.csr_matrix((np.concatenate(counts) if counts else empty,
                              np.concatenate(columns).astype(index, copy=False) if columns else empty.astype(index),
                              indptr), shape=(n_reports, len(terms.vocabulary)))


def tfidf_vectors(
    report_ids: Sequence[str],
    term_lists: TermCodes | Sequence[list[str]],
    sublinear_tf: bool = True,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    smooth_idf: bool = True,
    norm: str = "l2",
) -> TfidfVectors:
    """scikit-learn's ``TfidfVectorizer`` fitted on pre-extracted terms, bit for bit.

    Accepts the report ids and one term list per report (from ``doc_terms`` or
    ``regex_terms``), or their ``TermCodes``. Returns ``TfidfVectors`` with
    L2-normalised rows, so the dot product of two rows is their cosine. A
    report with no terms gets an all-zero row (cosine 0 with everything). If
    the corpus has no term at all, or ``min_df``/``max_df`` prune every term,
    the vocabulary is empty.

    The counts come from ``_term_counts``; pruning, ordering the vocabulary
    and weighting follow ``TfidfVectorizer.fit_transform`` step by step (its
    ``TfidfTransformer`` does the weighting), so the matrix is the same to the
    last bit: row norms are summed in the same order.
    """
    report_ids = list(report_ids)
    settings = dict(sublinear_tf=sublinear_tf, min_df=min_df, max_df=max_df, smooth_idf=smooth_idf, norm=norm)
    empty = TfidfVectors(report_ids, sparse.csr_matrix((len(report_ids), 0)), np.array([], dtype=object), settings)
    terms = term_lists if isinstance(term_lists, TermCodes) else TermCodes.from_lists(term_lists)
    assert len(terms) == len(report_ids), "one term list per report"
    if len(terms.codes) == 0:
        return empty
    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, Integral) and not isinstance(value, bool):
            ok = value >= 1
        else:
            ok = isinstance(value, float) and 0.0 <= value <= 1.0
        if not ok:
            raise ValueError(f"{name} must be a number of reports (an int, at least 1) or a share of them "
                             f"(a float from 0 to 1), not {value!r}")
    counts, vocabulary = _term_counts(terms), terms.vocabulary
    n_docs = counts.shape[0]
    most = max_df if isinstance(max_df, Integral) else max_df * n_docs
    least = min_df if isinstance(min_df, Integral) else min_df * n_docs
    frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    kept = (frequency <= most) & (frequency >= least)
    if not kept.any():  # also when max_df is below min_df; TfidfVectorizer raises
        return empty
    if not kept.all():
        kept = np.flatnonzero(kept)
        counts, vocabulary = counts[:, kept], vocabulary[kept]
    # columns in the order of the sorted terms, each row's entries left in place (as CountVectorizer does)
    order = np.argsort(vocabulary)
    rank = np.empty(len(order), dtype=counts.indices.dtype)
    rank[order] = np.arange(len(order))
    counts.indices = rank[counts.indices]
    transformer = TfidfTransformer(norm=norm, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf)
    matrix = transformer.fit(counts).transform(counts, copy=False)
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    matrix.sort_indices()
    return TfidfVectors(report_ids, matrix, vocabulary[order], settings)


def report_terms(
    reports: pd.DataFrame,
    analyzer: str = "spacy",
    docs: dict[str, Doc] | None = None,
    keep_names: bool = True,
) -> TermCodes:
    """One term list per row of ``reports`` (columns ``report_id``, ``text``), as ``TermCodes``.

    ``analyzer="spacy"`` uses the shared cached parse (``analysis.nlp.parse_reports``,
    or the ``docs`` passed in); ``analyzer="regex"`` skips spaCy entirely.
    """
    if analyzer == "regex":
        return regex_term_codes(reports["text"].tolist(), keep_names=keep_names)
    if analyzer != "spacy":
        raise ValueError(f"analyzer must be 'spacy' or 'regex', not {analyzer!r}")
    if docs is None:
        from . import nlp

        docs = nlp.parse_reports(reports)
    return TermCodes.from_lists(doc_terms(docs[rid], keep_names=keep_names) for rid in reports["report_id"])


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
    keep = _ranks(np.diff(np.r_[starts, len(rows)])) < k
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


def _candidates(sims: np.ndarray, row_ids: np.ndarray, col_ids: np.ndarray, k: int):
    """Cells of ``sims`` that may be among their row's ``k`` best: a superset, every tie kept.

    ``row_ids`` / ``col_ids`` are the report indices of the rows and columns of
    ``sims`` (increasing). Cells at or below 1e-12 are never neighbours.
    Returns (rows, cols, values) with report indices.
    """
    n_rows, n_cols = sims.shape
    k = min(k, n_cols)
    if k <= 0 or n_rows == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])
    kth = np.partition(sims, n_cols - k, axis=1)[:, n_cols - k]
    rows, cols = np.nonzero((sims >= kth[:, None] - 1e-9) & (sims > 1e-12))
    return row_ids[rows], col_ids[cols], sims[rows, cols]


def _keep_top_k(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int):
    """The ``k`` best cells of each row: by value rounded to 9 decimals, ties by the lower column.

    The same order as ``_top_k_rows``, so the result does not depend on how the
    matrix was cut into blocks.
    """
    order = np.lexsort((cols, -np.round(vals, 9), rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    if len(rows) == 0:
        return rows, cols, vals
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    keep = _ranks(np.diff(np.r_[starts, len(rows)])) < k
    return rows[keep], cols[keep], vals[keep]


def top_k_sparse(vectors: TfidfVectors, k: int, threads: int | None = None, margin: int = 2,
                 dense_share: float | None = None) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours: ``top_k_blocked``'s table, computed on every core.

    ``cosine_top_cells.top_cells`` computes each pair's cosine once (dense
    BLAS blocks for the most frequent terms, the inverted index for the
    rest; ``dense_share`` overrides its split) in ``threads`` threads and
    keeps only the best ``k + 1 + margin`` cells of each row, so the n x n
    product never exists. The extra cells make room for ties: the kept cells
    are ranked the same way as ``top_k_blocked`` ranks them (value rounded to
    9 decimals, then the lower report index). When a row's last kept cell
    ties with its ``k``-th best, cells it dropped might tie too, so that row
    is recomputed exactly with scipy. Cosines agree with ``top_k_blocked``'s
    to the float rounding of a different summation order (1e-15), far below
    the 6 decimals of the pairs table. Returns the pairs table.
    """
    from .cosine_top_cells import DENSE_SHARE, top_cells

    X = sparse.csr_matrix(vectors.matrix, dtype=np.float64)
    n = X.shape[0]
    if k <= 0 or n < 2:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    keep = min(n, k + 1 + margin)
    threads = n_workers() if threads is None else max(1, threads)
    product = top_cells(X, keep, threads, DENSE_SHARE if dense_share is None else dense_share)
    counts = np.diff(product.indptr)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    cols = product.indices.astype(np.int64)
    vals = np.clip(product.data, 0.0, 1.0)
    # A full row whose smallest kept value is within float noise of its k-th best value may have dropped a
    # tied cell: recompute it exactly. (top_cells never keeps a report's own cell.)
    others = vals > 1e-12
    full = np.flatnonzero(counts == keep)
    suspect = np.zeros(n, dtype=bool)
    if len(full):
        last = vals[product.indptr[full + 1] - 1]
        kth = np.full(n, -np.inf)
        r, c, v = _keep_top_k(rows[others], cols[others], vals[others], k)
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.array([], int)
        ends = np.r_[starts[1:], len(r)] if len(r) else np.array([], int)
        has_k = (ends - starts) >= k
        kth[r[ends[has_k] - 1]] = np.round(v[ends[has_k] - 1], 9)
        suspect[full[np.round(last, 9) >= kth[full] - 1e-9]] = True
    keep_cell = others & ~suspect[rows]
    parts = [(rows[keep_cell], cols[keep_cell], vals[keep_cell])]
    redo = np.flatnonzero(suspect)
    XT = X.T.tocsr() if len(redo) else None  # as large as X: made only when a row needs it
    for start in range(0, len(redo), 256):
        chunk = redo[start : start + 256]
        sims = (X[chunk] @ XT).toarray()
        np.clip(sims, 0.0, 1.0, out=sims)
        sims[np.arange(len(chunk)), chunk] = 0.0  # a report is not its own neighbour
        parts.append(_candidates(sims, chunk, np.arange(n, dtype=np.int64), k))
    rows, cols, vals = _keep_top_k(*(np.concatenate(x) for x in zip(*parts)), k)
    return _pairs_frame(vectors.report_ids, rows, cols, vals)


#: From this many pairs, ``pair_cosines`` uses the compiled loop of the top-k kernel (numba loads in about a second).
COMPILED_COSINES_MIN_PAIRS = 20_000


def pair_cosines(vectors: TfidfVectors, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Cosine of given pairs of report ids, as a pairs table."""
    index = {rid: i for i, rid in enumerate(vectors.report_ids)}
    pairs = list(pairs)
    if not pairs:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    ia = np.array([index[a] for a, _ in pairs], dtype=np.int64)
    ib = np.array([index[b] for _, b in pairs], dtype=np.int64)
    X = vectors.matrix
    if len(pairs) < COMPILED_COSINES_MIN_PAIRS:
        cos = np.asarray(X[ia].multiply(X[ib]).sum(axis=1)).ravel()
    else:  # the same sums in the same order, without copying both reports' rows (2.6 s against 0.35 s, 111k pairs)
        from .cosine_top_cells import dot_products

        X = sparse.csr_matrix(X, dtype=np.float64)
        X.sort_indices()
        cos = dot_products(X, ia, ib)
    return _pairs_frame(vectors.report_ids, ia, ib, np.clip(cos, 0.0, 1.0))


# ---------------------------------------------------------------- MinHash LSH

_SHINGLE_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word ``size``-grams of a lower-cased text, as UTF-8 bytes (the text itself if shorter)."""
    words = _SHINGLE_WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_U64 = np.uint64
_MIX1, _MIX2 = _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB)
_SHINGLE_MULT = _U64(0x9E3779B97F4A7C15)


class _WordHashes(dict):
    """Memo of each word's 64-bit BLAKE2b hash, computed on first lookup.

    A ``dict`` whose misses compute the value: hashing a chunk of words is
    then one pass of lookups in C rather than a Python call per word.
    """

    def __missing__(self, word: str) -> int:
        value = self[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return value


_WORD_HASHES = _WordHashes()


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed bijection of uint64 that spreads every input bit (wraps modulo 2**64)."""
    h = h ^ (h >> _U64(30))
    h = h * _MIX1
    h = h ^ (h >> _U64(27))
    h = h * _MIX2
    return h ^ (h >> _U64(31))


def _word_hashes(words: Iterable[str], count: int) -> np.ndarray:
    """The hashes of ``count`` words, in order (``uint64``)."""
    if len(_WORD_HASHES) > _MEMO_MAX:
        _WORD_HASHES.clear()
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=_U64, count=count)


# Each word's BLAKE2b hash (``_WORD_HASHES``) by the 64-bit hash ``sentence_arrays`` makes of its code points.
_HASHES_BY_CODES: dict[int, int] = {}


def _text_word_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(counts, hashes)``: how many words each text has and each word's hash (``_WORD_HASHES``), text after text.

    The words are those ``_SHINGLE_WORD.findall(text.lower())`` finds, found on
    the texts' code points at once (``sentence_arrays``: no character changes
    whether it is a word character when lower-cased), with no string made per
    word: a word's BLAKE2b hash is looked up by the 64-bit hash of its code
    points, and computed from its string the first time only. (Two distinct
    words sharing that 64-bit hash, a chance of about 2**-64 per pair, would
    share a BLAKE2b hash.) A batch holding a character that lower-cases into
    several or by context (``İ``, ``Σ``) is done text by text, those texts by
    ``findall``. 10,000 allsides texts: 1.3 s by ``findall`` alone.
    """
    from .sentence_arrays import _code_points, _lowered, _piece_hashes

    joined = "\n".join(texts)  # a line break ends a word: no word runs from one text into the next
    low = _lowered(_code_points(joined))
    if low is None:
        if len(texts) == 1:
            words = _SHINGLE_WORD.findall(joined.lower())
            return np.array([len(words)], dtype=np.int64), _word_hashes(words, len(words))
        parts = [_text_word_hashes([t]) for t in texts]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    word = low != 0
    edges = np.flatnonzero(np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]
    text_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    counts = np.bincount(np.searchsorted(text_starts, starts, "right") - 1, minlength=len(texts)).astype(np.int64)
    if len(_HASHES_BY_CODES) > _MEMO_MAX:
        _HASHES_BY_CODES.clear()
    keys = _piece_hashes(low, starts, ends).tolist()
    # 0 stands for a word not met yet (a BLAKE2b hash of 0 would only be looked up again each time)
    found = np.fromiter(map(_HASHES_BY_CODES.get, keys, itertools.repeat(0)), dtype=_U64, count=len(keys))
    for i in np.flatnonzero(found == 0).tolist():
        found[i] = _HASHES_BY_CODES[keys[i]] = _WORD_HASHES[joined[starts[i]:ends[i]].lower()]
    return counts, found


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """64-bit hashes of the word ``size``-grams of ``text`` (the set ``shingles`` returns), unsorted, with repeats.

    Words are hashed once each (BLAKE2b, so the same on every run and machine);
    a shingle's hash mixes its words' hashes in order. A text of fewer than
    ``size`` words is one shingle; a text without words has none.
    """
    words = _SHINGLE_WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=_U64)
    with np.errstate(over="ignore"):
        w = _word_hashes(words, len(words))
        m = max(1, len(words) - size + 1)
        width = min(size, len(words))
        h = np.zeros(m, dtype=_U64)
        for j in range(width):
            h = h * _SHINGLE_MULT + w[j : j + m]
        return _mix64(h + _U64(width))


# Texts and settings of the running ``minhash_signatures``, read by forked worker processes.
_MINHASH_STATE: dict = {}
_EMPTY = np.iinfo(np.uint64).max


def _signature_chunk(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash signatures of ``texts[start:stop]`` (see ``minhash_signatures``), before densification."""
    start, stop = bounds
    state = _MINHASH_STATE
    texts, num_perm, size, salt = state["texts"], state["num_perm"], state["shingle_size"], state["salt"]
    lengths, w = _text_word_hashes(texts[start:stop])
    sigs = np.full((stop - start, num_perm), _EMPTY, dtype=_U64)
    if lengths.sum() == 0:
        return sigs, lengths > 0
    with np.errstate(over="ignore"):
        ends = np.cumsum(lengths)
        begins = ends - lengths
        m = len(w) - size + 1
        parts_h, parts_doc = [], []
        if m > 0:
            h = np.zeros(m, dtype=_U64)
            for j in range(size):
                h = h * _SHINGLE_MULT + w[j : j + m]
            doc_of = np.repeat(np.arange(stop - start), lengths)[:m]
            valid = np.arange(m) <= (ends[doc_of] - size)
            parts_h.append(_mix64(h[valid] + _U64(size)))
            parts_doc.append(doc_of[valid])
        for d in np.flatnonzero((lengths > 0) & (lengths < size)):  # a short text is one shingle
            h = _U64(0)
            for x in w[begins[d] : ends[d]]:
                h = h * _SHINGLE_MULT + x
            parts_h.append(_mix64(np.array([h + _U64(lengths[d])], dtype=_U64)))
            parts_doc.append(np.array([d]))
        h = _mix64(np.concatenate(parts_h) ^ salt)
        doc = np.concatenate(parts_doc)
        np.minimum.at(sigs, (doc, (h % _U64(num_perm)).astype(np.int64)), h // _U64(num_perm))
    return sigs, lengths > 0


def minhash_signatures(
    texts: Sequence[str], num_perm: int = 128, shingle_size: int = 5, seed: int = 1, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of the word-shingle sets of ``texts``: one permutation, ``num_perm`` bins.

    Each shingle hash (``shingle_hashes``, salted by ``seed``) goes to one of
    ``num_perm`` bins and each bin keeps its minimum (one-permutation hashing,
    Li, Owen & Zhang 2012); an empty bin borrows the value of the first
    non-empty bin on a seeded probe sequence ("optimal densification",
    Shrivastava 2017). Two signatures agree in a bin with probability about the
    Jaccard similarity of the two shingle sets, as with ``num_perm``
    independent permutations, but each shingle is hashed once, not
    ``num_perm`` times. Large corpora are split over ``workers`` forked
    processes (tokenising is Python code, which threads would serialise).
    Returns ``(signatures, has_shingles)``: ``uint64`` ``len(texts) x
    num_perm`` and a boolean mask of the texts with at least one shingle. The
    same on every run and machine.
    """
    import multiprocessing

    texts = list(texts)
    n = len(texts)
    salt = _mix64(np.array([seed], dtype=_U64))[0]
    probe_salt = _mix64(np.array([seed + 0x5BD1E995], dtype=_U64))[0]
    _MINHASH_STATE.update(texts=texts, num_perm=num_perm, shingle_size=shingle_size, salt=salt)
    chunk = 500
    bounds = [(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    workers = n_workers() if workers is None else max(1, workers)
    try:
        if workers > 1 and len(bounds) > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(workers, len(bounds)), mp_context=multiprocessing.get_context("fork")) as pool, \
                    progress_bar(n, "MinHash signatures") as bar:
                results = []
                for (start, stop), result in zip(bounds, pool.map(_signature_chunk, bounds)):
                    results.append(result)
                    bar.update(stop - start)
        else:
            results = [_signature_chunk(b) for b in bounds]
    finally:
        _MINHASH_STATE.clear()
    if not results:
        return np.zeros((0, num_perm), dtype=_U64), np.zeros(0, dtype=bool)
    sigs = np.concatenate([r[0] for r in results])
    nonempty = np.concatenate([r[1] for r in results])
    empty_bin = (sigs == _EMPTY) & nonempty[:, None]
    if empty_bin.any():
        dense = sigs.copy()
        rows, bins = np.nonzero(empty_bin)
        todo = np.ones(len(rows), dtype=bool)
        attempt = 0
        with np.errstate(over="ignore"):
            while todo.any():
                attempt += 1
                key = (bins[todo].astype(_U64) * _U64(0x100000001B3)) ^ (_U64(attempt) * probe_salt)
                other = (_mix64(key) % _U64(num_perm)).astype(np.int64)
                got = sigs[rows[todo], other]
                found = got != _EMPTY
                idx = np.flatnonzero(todo)[found]
                dense[rows[idx], bins[idx]] = got[found]
                todo[idx] = False
        sigs = dense
    return sigs, nonempty


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that ``datasketch.MinHashLSH`` picks for this threshold (equal weight to both errors)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def near_duplicate_candidates(
    report_ids: Sequence[str],
    texts: Sequence[str],
    threshold: float = 0.5,
    num_perm: int = 128,
    shingle_size: int = 5,
    seed: int = 1,
) -> list[tuple[str, str]]:
    """Pairs of reports whose word-shingle sets probably have Jaccard >= ``threshold``.

    MinHash LSH: ``minhash_signatures`` (fixed seed, so the result is
    reproducible) cut into the bands ``datasketch.MinHashLSH`` would use; two
    reports are candidates when all rows of at least one band agree.
    Returns sorted ``(report_a, report_b)`` tuples with ``report_a < report_b``;
    they are candidates, to be confirmed by passage alignment.
    """
    report_ids = list(report_ids)
    sigs, nonempty = minhash_signatures(texts, num_perm, shingle_size, seed)
    keep = np.flatnonzero(nonempty)
    if len(keep) < 2:
        return []
    sigs = sigs[keep]
    bands, rows = lsh_params(threshold, num_perm)
    found = np.unique(np.concatenate(
        [_equal_rows(sigs[:, band * rows : (band + 1) * rows]) for band in range(bands)]))
    first, second = np.divmod(found, len(keep))
    ids = np.asarray(report_ids, dtype=object)[keep]
    pairs = {(min(a, b), max(a, b)) for a, b in zip(ids[first].tolist(), ids[second].tolist())}
    return sorted(pairs)


def _equal_rows(values: np.ndarray) -> np.ndarray:
    """Every pair of rows of ``values`` (``uint64``) equal in all columns, as keys ``i * n + j`` (``i < j``).

    Rows are sorted by a hash of the row, so that equal ones are adjacent
    (by the values themselves if two different rows share a hash); each
    group of ``g`` equal rows gives its ``g (g - 1) / 2`` pairs at once.
    """
    n = len(values)
    key = np.zeros(n, dtype=_U64)
    with np.errstate(over="ignore"):
        for column in values.T:
            key = _mix64(key * _SHINGLE_MULT + column)
    order = np.argsort(key, kind="stable")
    ordered, ordered_key = values[order], key[order]
    same = (ordered[1:] == ordered[:-1]).all(axis=1)
    if (~same & (ordered_key[1:] == ordered_key[:-1])).any():  # a collision could split a group: sort by value
        order = np.lexsort(values.T)
        ordered = values[order]
        same = (ordered[1:] == ordered[:-1]).all(axis=1)
    new = np.ones(n, dtype=bool)
    new[1:] = ~same
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    starts, sizes = starts[sizes > 1], sizes[sizes > 1]
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    # the k-th member of a group (0-based) pairs with the members after it
    members = np.repeat(starts, sizes) + _ranks(sizes)
    after = np.repeat(sizes, sizes) - 1 - _ranks(sizes)
    left = np.repeat(members, after)
    right = left + 1 + _ranks(after)
    a, b = order[left], order[right]
    return np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., size - 1 for each of ``sizes``, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def neighbour_pairs(
    vectors: TfidfVectors,
    texts: Sequence[str] | None = None,
    all_pairs_max_reports: int = 300,
    top_k: int = 10,
    lsh_threshold: float = 0.5,
    num_perm: int = 128,
) -> tuple[pd.DataFrame, str, list[tuple[str, str]]]:
    """The pairs to report, chosen by corpus size.

    Up to ``all_pairs_max_reports`` reports: every unordered pair (dense matrix).
    Beyond: each report's ``top_k`` neighbours (``top_k_sparse``: the table of
    ``top_k_blocked``, on every CPU) plus the
    MinHash LSH near-duplicate candidates over ``texts``. Returns the pairs
    table, the name of the path taken (``"all pairs"`` or ``"top-k"``) and the
    LSH candidate pairs (empty on the all-pairs path, which needs none).
    """
    if len(vectors.report_ids) <= all_pairs_max_reports:
        return all_pairs(vectors), "all pairs", []
    pairs = top_k_sparse(vectors, top_k)
    candidates: list[tuple[str, str]] = []
    if texts is not None:
        candidates = near_duplicate_candidates(vectors.report_ids, texts, lsh_threshold, num_perm)
        extra = pair_cosines(vectors, candidates)
        pairs = sort_pairs(pd.concat([pairs, extra]).drop_duplicates(["report_a", "report_b"]))
    return pairs, "top-k", candidates
