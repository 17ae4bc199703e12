"""The terms of a report for TF-IDF: lemmas and named entities from a parse, or a regex tokeniser coded to integers across processes."""
from __future__ import annotations

import itertools
import os
import re
from itertools import chain
from typing import Iterable, Sequence
import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc
from analysis.progress import progress_bar


#: Entity labels whose multi-word spans are kept as one term (names, not dates or amounts).
NAME_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")

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
