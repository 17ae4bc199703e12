"""What two reports share: a quotation of a third party, their own prose, or common wording.

Sentence alignment (``passages``) finds the passages two reports share; it
cannot say whose words they are. Two reports of one event by different
outlets share mostly what the people in the story said, which both quote; two
reports of one outlet share its house phrasing; any two reports share stock
phrases ("said in a statement", "spoke on condition of anonymity") and names
with their titles. Each shared passage gets a ``kind``:

* ``quotation``: at least ``quotation_share`` of the shared words (of the
  sentence, or of the longest run the two share) are a third party's: inside
  quotation marks in either report (straight or curly, single or double,
  guillemets; a quotation that opens in an earlier sentence or paragraph
  counts, as does the convention of reopening a quotation at each new
  paragraph without closing the last; the other report may print the same
  words as a block, from a letter or a release), or the content of attributed
  speech in both ("X said (that) ...", "..., X said", "According to X, ...")
  when the attribution itself is not among the shared words: a sentence copied
  whole, "Police said" included, is the reporter's sentence, not the police's;
* ``common``: once speech and stock wording (word ``n``-grams found in a
  large share of the corpus's reports, of several outlets: their document
  frequency, not a list) are set aside, too little is left to be anyone's
  wording: a phrase no longer has ``phrase_min_words`` words in a row with
  ``phrase_min_content`` content words, ``prose_min_common`` of them not
  capitalised (a run of names and titles is nobody's prose); a sentence holds
  fewer such words, or is mostly stock;
* ``prose``: the rest: the reports' own sentences or phrasing.

All of it is computed report by report with numpy (word tables on code points,
quotation marks found by a regular expression, attributions read only in the
sentences that need them), then passage by passage with prefix sums: linear
in reports and passages.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

from analysis.similarity import sentence_arrays
from analysis.similarity.pair_tables import _ranks
from analysis.similarity.sentence_arrays import word_hashes

PASSAGE_KINDS = ("quotation", "prose", "common")


@dataclass(frozen=True)
class WordingSettings:
    """How shared passages are told apart (each is a setting of notebook 02)."""

    quotation_share: float = 0.5  # share of a passage's words in quotation marks (either report) or speech (both)
    stock_ngram_words: int = 4  # stock wording is found as word n-grams of this length ...
    stock_min_share: float = 0.01  # ... in at least this share of the corpus's reports
    stock_min_reports: int = 10  # ... and at least this many (a quotation spreads through one story's reports)
    stock_min_outlets: int = 2  # ... of at least this many outlets (one outlet's own formula is its house style)
    stock_sample_reports: int = 2000  # document frequencies counted on at most this many reports, evenly spaced
    phrase_min_words: int = 8  # what is left of a phrase must still be this long ...
    phrase_min_content: int = 3  # ... with this many words that are not stop words
    prose_min_common: int = 2  # ... of which this many are not capitalised (names and titles alone are no prose)


# ---------------------------------------------------------------- words of a report

_MIX = np.uint64(0x9E3779B97F4A7C15)
_STOP_HASHES = np.unique(word_hashes(sorted(STOP_WORDS)))


class _Words:
    """The ``\\w+`` words of a text: character offsets, hashes of the lower-cased words, and flags."""

    __slots__ = ("starts", "ends", "hashes", "content", "common")

    def __init__(self, text: str):
        codes = sentence_arrays._code_points(text)
        low = sentence_arrays._lowered(codes) if len(codes) else np.zeros(0, dtype=np.uint32)
        if low is None:  # a character that lower-cases by context: found and hashed as Python strings
            found = [(m.start(), m.end(), m.group().lower()) for m in sentence_arrays.WORD.finditer(text)]
            self.starts = np.array([f[0] for f in found], dtype=np.int64)
            self.ends = np.array([f[1] for f in found], dtype=np.int64)
            self.hashes = word_hashes([f[2] for f in found])
            digits = np.array([f[2].isdigit() for f in found], dtype=bool)
            capital = np.array([text[f[0]].isupper() for f in found], dtype=bool)
        else:
            word = low != 0
            edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
            self.starts, self.ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            self.hashes = sentence_arrays._piece_hashes(low, self.starts, self.ends)
            is_digit = (low >= ord("0")) & (low <= ord("9"))
            digits = is_digit[self.starts] & is_digit[np.maximum(self.ends - 1, 0)] if len(self.starts) else \
                np.zeros(0, dtype=bool)
            capital = codes[self.starts] != low[self.starts]  # its first letter lower-cases to another
        at = np.minimum(np.searchsorted(_STOP_HASHES, self.hashes), len(_STOP_HASHES) - 1)
        self.content = (_STOP_HASHES[at] != self.hashes) & ~digits
        # content words that are no names: a run of names and titles ("U.S. District Judge Robert L. Wilkins",
        # "the Port Authority of New York and New Jersey") is nobody's own wording
        self.common = self.content & ~capital

    def __len__(self) -> int:
        return len(self.starts)

    def ngrams(self, n: int) -> np.ndarray:
        """Hashes (``uint64``) of every run of ``n`` consecutive words."""
        count = len(self.hashes) - n + 1
        if count <= 0:
            return np.empty(0, dtype=np.uint64)
        value = self.hashes[:count].copy()
        for j in range(1, n):
            value = value * _MIX + self.hashes[j : j + count]
        return value

    def inside(self, spans: np.ndarray) -> np.ndarray:
        """Whether each word starts inside one of ``spans`` (``(k, 2)`` character offsets)."""
        if len(spans) == 0 or len(self) == 0:
            return np.zeros(len(self), dtype=bool)
        # the words of a span are a range of word numbers: found for the spans (few), not for the words (many)
        first = np.searchsorted(self.starts, spans[:, 0], "left")
        end = np.searchsorted(self.starts, spans[:, 1], "left")
        depth = np.bincount(first, minlength=len(self) + 1) - np.bincount(end, minlength=len(self) + 1)
        return np.cumsum(depth[: len(self)]) > 0


# ---------------------------------------------------------------- quotations

#: Quotation marks, but not an apostrophe inside a word (don’t, Haftar’s): most of the marks of news text.
_MARK = re.compile("[\"“”„‟«»‘‹›]|(?<!\\w)['’]|['’](?!\\w)")
_OPENERS, _CLOSERS = "“„‟«‹", "”»›"
_BEFORE_OPEN = set(" \t\n([{—–-/\u00a0") | set(_OPENERS) | {"‘", "'", '"'}


def _role(text: str, i: int, mark: str) -> str | None:
    """``"open"``, ``"close"`` or ``None`` (an apostrophe, or a mark it cannot tell) for the mark at ``i``."""
    if mark in _OPENERS:
        return "open"
    if mark in _CLOSERS:
        return "close"
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = before in _BEFORE_OPEN and not after.isspace()
    closes = not before.isspace() and (after.isspace() or not after.isalnum())
    if mark in "’'":  # an apostrophe unless it stands at a word's edge: don’t, Haftar’s, ’90s
        if before.isalnum() and after.isalnum():
            return None
        if mark == "’" and not opens:
            return "close" if closes and not before.isalnum() or after in ".,;:!?)" or after.isspace() else None
    if mark == "‘":
        return "open"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return None


def quotation_spans(text: str) -> np.ndarray:
    """Character spans ``(start, end)`` of ``text`` inside quotation marks (marks included), sorted, ``(k, 2)``.

    Double marks (``"``, ``“ ”``, ``„``, ``« »``) and single ones (``‘ ’``,
    ``'``; an apostrophe inside or at the end of a word is none) open and close
    quotations, a straight mark by what stands either side of it. A quotation
    runs over sentences until its closing mark; at a paragraph break it goes on
    only if the next paragraph opens with a mark (the convention for a
    quotation of several paragraphs), else it ends there. Single marks inside
    a double quotation are nested quotations, inside it already.
    """
    spans: list[tuple[int, int]] = []
    double_at = single_at = -1  # where the open double / single quotation began
    double_from = 0  # where to look for a paragraph break in the open double quotation (past its last reopening)
    for found in _MARK.finditer(text):
        i, mark = found.start(), found.group()
        role = _role(text, i, mark)
        if double_at >= 0:  # a paragraph break since: the quotation ends there, unless this mark reopens it
            br = text.find("\n", double_from, i)
            if br >= 0:
                if role == "open" and not text[br:i].strip():
                    double_from = i
                    continue  # the same quotation goes on in the new paragraph
                spans.append((double_at, br))
                double_at = -1
        if single_at >= 0:
            br = text.find("\n", single_at, i)
            if br >= 0:
                spans.append((single_at, br))
                single_at = -1
        if role is None:
            continue
        if mark not in "‘’'‹›":
            if role == "open" and double_at < 0:
                double_at = double_from = i
            elif role == "close" and double_at >= 0:
                spans.append((double_at, i + 1))
                double_at = -1
            elif role == "open":  # a mark opening while one is open: the last was never closed
                spans.append((double_at, i))
                double_at = double_from = i
        elif double_at < 0:  # single marks inside a double quotation are nested: already quoted
            if role == "open" and single_at < 0:
                single_at = i
            elif role == "close" and single_at >= 0:
                spans.append((single_at, i + 1))
                single_at = -1
    for start, scan in ((double_at, double_from), (single_at, single_at)):
        if start >= 0:
            line_end = text.find("\n", scan)
            spans.append((start, len(text) if line_end < 0 else line_end))
    return np.array(sorted(spans), dtype=np.int64).reshape(-1, 2)


# ---------------------------------------------------------------- attributed speech

#: Inflected reporting verbs that take the reported words as their complement (the cue lexicon's
#: ``SPEECH_VERBS``, limited to those that need nothing else to report speech).
_CUE = (r"(?:said|says|say|told|tells|added|adds|wrote|writes|stated|states|tweeted|tweets|declared|declares|"
        r"insisted|insists|argued|argues|explained|explains|warned|warns|noted|notes|claimed|claims|continued|"
        r"announced|announces|replied|responded|testified|acknowledged|admitted|asserted|posted|according to)")
_NO_QUOTE = "\"“”„«»"
_NOT_END = rf"[^,;:!?{_NO_QUOTE}]"  # within one sentence a period ends an abbreviation ("Mr.")
#: "..., X said (on Monday).", "“...,” X, the Y, said.", "..., said Jim Manley, a top adviser.": the content comes
#: first. The speaker is named between the comma (or closing quotation mark) and the end; a "that" after the verb makes it a frame of its own ("..., X said
#: that ...") and is refused below.
_TRAILING = re.compile(rf"[,”\"’']\s+(?:{_NOT_END}{{1,80}}(?:,\s{_NOT_END}{{1,60}},)?\s{_CUE}|{_CUE}\s{_NOT_END}{{1,60}})\b"
                       rf"(?:\s{_NOT_END}{{1,50}})?(?:,{_NOT_END}{{1,60}})?[.!?]?[\"”’']?\s*$")
#: "X said (reporters) (on Monday) (that|,|:) ...", "According to X, ...": the content follows. Content that opens
#: with a preposition is no reported speech ("Ms. Pelosi said at a news conference with ...").
_LEADING = re.compile(
    rf"^(?:According to [^,{_NO_QUOTE}]{{1,80}},|{_NOT_END}{{1,80}}?\s{_CUE}\b"
    rf"(?:(?:(?<=told)|(?<=tells))\s+(?:reporters|him|her|them|us|me|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}))?"
    rf"(?:(?:\s+(?:on|in|at|during|last|this|after|before)\s[^,;:{_NO_QUOTE}]{{1,40}}?)?\s+that\b|,|:)?)\s+"
    r"(?!(?:at|after|before|in|on|with|during|for|to|by|from|of|about|as|while|when|into|over|under|outside)\b)")
#: Sentence ends (punctuation rule, line breaks), not after a title or an initial ("Mr. Trump", "Adam B. Schiff").
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSen\.)(?<!\bRep\.)"
                           r"(?<!\bGov\.)(?<!\bGen\.)(?<!\bSt\.)(?<!\bJr\.)(?<!\bSr\.)(?<!\b[A-Z]\.)"
                           r"[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


def sentence_attribution(text: str, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """``(content, frame)`` spans of the sentence ``text[start:end]`` if it reports speech, else ``None``.

    Its attribution comes last ("..., the minister said on Monday.") or first
    ("The minister said (that) ...", "According to the ministry, ..."), as the
    patterns above find it; offsets are into ``text``.
    """
    sentence = text[start:end]
    # the frame of a trailing attribution is short: searched for in the sentence's last characters only
    trailing = _TRAILING.search(sentence, max(0, len(sentence) - 300))
    if trailing and trailing.start() > 0 and not re.search(r"\bthat\b", trailing.group()):
        return (start, start + trailing.start()), (start + trailing.start(), end)
    leading = _LEADING.match(sentence)
    if leading and leading.end() < len(sentence):
        return (start + leading.end(), end), (start, start + leading.end())
    return None


def attribution_spans(text: str, sentences=None) -> tuple[np.ndarray, np.ndarray]:
    """``(content, frames)``: character spans of the content of attributed speech and of its attribution.

    ``sentences``: the ``(start, end)`` spans to read (sorted, not
    overlapping); by default every sentence of ``text`` (punctuation rule,
    not after a title or an initial; line breaks). Each result is a ``(k, 2)``
    array, sorted.
    """
    if sentences is None:
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        ends = [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        sentences = [(a, b) for a, b in zip(starts, ends) if text[a:b].strip()]
    found = [f for f in (sentence_attribution(text, a, b) for a, b in sentences) if f is not None]
    shape = lambda spans: np.array(spans, dtype=np.int64).reshape(-1, 2)
    return shape([f[0] for f in found]), shape([f[1] for f in found])


# ---------------------------------------------------------------- stock wording

def stock_ngrams(texts, settings: WordingSettings = WordingSettings(), outlets=None) -> np.ndarray:
    """Sorted hashes of the word ``n``-grams found in a large share of ``texts`` (the whole corpus, any order).

    Accepts the texts (any sequence indexed by position) and, optionally, each
    text's outlet. An ``n``-gram is stock wording when its document frequency
    reaches ``max(stock_min_reports, stock_min_share * len(texts))`` and, when
    outlets are given, it is found in reports of at least
    ``stock_min_outlets`` outlets (a report of unknown outlet counts as one of
    its own): a formula only one outlet uses in many reports is its house
    style, not stock. On more than ``stock_sample_reports`` texts the counts are
    made on that many, evenly spaced, and the threshold scaled to them.
    """
    n_all = len(texts)
    if n_all == 0:
        return np.empty(0, dtype=np.uint64)
    take = np.unique(np.linspace(0, n_all - 1, min(n_all, settings.stock_sample_reports)).astype(np.int64))
    needed = max(settings.stock_min_reports, settings.stock_min_share * n_all) * len(take) / n_all
    grams = [np.unique(_Words(str(texts[i])).ngrams(settings.stock_ngram_words)) for i in take.tolist()]
    values, counts = np.unique(np.concatenate(grams), return_counts=True)
    stock = values[counts >= math.ceil(needed - 1e-9)]
    if outlets is None or settings.stock_min_outlets <= 1 or len(stock) == 0:
        return stock
    keys = [_outlet_key(outlets[i]) or f"\0{i}" for i in take.tolist()]
    codes = pd.factorize(pd.Series(keys, dtype=object))[0]
    found = np.concatenate(grams)
    of = np.repeat(codes, [len(g) for g in grams])
    keep = np.isin(found, stock)
    pairs = np.unique(np.stack([found[keep].view(np.int64), of[keep]]), axis=1)  # distinct (n-gram, outlet)
    grams_seen, outlets_seen = np.unique(pairs[0], return_counts=True)
    return np.sort(grams_seen[outlets_seen >= settings.stock_min_outlets].view(np.uint64))


def _stock_words(words: _Words, stock: np.ndarray, n: int, report: np.ndarray | None = None) -> np.ndarray:
    """Whether each word is part of a stock ``n``-gram (``report``: each word's text, when several are joined)."""
    grams = words.ngrams(n)
    if len(grams) == 0 or len(stock) == 0:
        return np.zeros(len(words), dtype=bool)
    at = np.minimum(np.searchsorted(stock, grams), len(stock) - 1)
    hit = stock[at] == grams
    if report is not None:
        hit &= report[: len(grams)] == report[n - 1 :]  # an n-gram never runs from one report into the next
    hit = hit.astype(np.int64)
    # word i is covered by the n-grams starting at i - n + 1 .. i
    covered = np.convolve(hit, np.ones(n, dtype=np.int64))[: len(words)]
    return covered > 0


# ---------------------------------------------------------------- passages

#: Reports whose words are flagged together, joined into one text: the per-call cost of numpy, paid per report,
#: was most of the classification (3,278 reports of 10,000 allsides: 4.4 s one at a time).
CHUNK_REPORTS = 500


class _ChunkFlags:
    """Prefix sums of the word flags of several reports, to count them over any run of words in O(1).

    The texts are joined by line breaks (no word crosses one) into one text;
    ``bases`` holds where each begins in it, so a report's offset ``x`` is
    ``bases[i] + x`` here.
    """

    __slots__ = ("words", "quoted", "attributed", "stock", "sums", "bases")

    def __init__(self, texts: list[str], stock: np.ndarray, n: int, sentences: list[list[tuple[int, int]]]):
        """``sentences``: for each text, the ``(start, end)`` spans whose attributions are read (only they need it)."""
        lengths = np.array([len(t) + 1 for t in texts], dtype=np.int64)
        self.bases = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self.words = _Words("\n".join(texts))
        shifted = lambda spans, base: spans + base
        quotes = [shifted(quotation_spans(t), base) for t, base in zip(texts, self.bases.tolist())]
        said = [attribution_spans(t, read) for t, read in zip(texts, sentences)]
        content = [shifted(c, base) for (c, _), base in zip(said, self.bases.tolist())]
        frames = [shifted(f, base) for (_, f), base in zip(said, self.bases.tolist())]
        join = lambda parts: np.concatenate(parts) if parts else np.empty((0, 2), dtype=np.int64)
        self.quoted = self.words.inside(join(quotes))
        self.attributed = self.words.inside(join(content)) & ~self.quoted
        frame = self.words.inside(join(frames)) & ~self.quoted
        per_text = np.diff(np.append(np.searchsorted(self.words.starts, self.bases), len(self.words)))
        report = np.repeat(np.arange(len(texts)), per_text)
        self.stock = _stock_words(self.words, stock, n, report)
        # words of the report's own wording that are not stop words: with attributed speech set aside, or not
        own = self.words.content & ~self.quoted & ~self.stock
        common = own & self.words.common
        flags = np.stack([self.quoted, self.attributed, frame, self.stock, own & ~self.attributed, own,
                          common & ~self.attributed, common])
        self.sums = np.concatenate([np.zeros((len(flags), 1), dtype=np.int64),
                                    np.cumsum(flags.astype(np.int64), axis=1)], axis=1)

    def word_at(self, offsets: np.ndarray) -> np.ndarray:
        """Index of the first word starting at or after each character offset (of the joined text)."""
        return np.searchsorted(self.words.starts, offsets, "left")


def _longest_true(mask: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The longest run of ``True`` in each segment ``mask[bounds[i]:bounds[i + 1]]``."""
    n = len(bounds) - 1
    if len(mask) == 0:
        return np.zeros(n, dtype=np.int64)
    # length of the run of True ending at each position, restarted at each segment
    idx = np.arange(len(mask))
    reset = np.where(~mask, idx, -1)
    starts = bounds[:-1][bounds[:-1] < len(mask)]
    reset[starts] = np.maximum(reset[starts], starts - 1)  # a run never reaches back into the segment before
    last_reset = np.maximum.accumulate(reset)
    length = np.where(mask, idx - last_reset, 0)
    out = np.zeros(n, dtype=np.int64)
    nonempty = bounds[1:] > bounds[:-1]
    out[nonempty] = np.maximum.reduceat(length, bounds[:-1][nonempty])
    return out


def _segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The sum of each segment ``values[bounds[i]:bounds[i + 1]]`` (0 for an empty one)."""
    sums = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return sums[bounds[1:]] - sums[bounds[:-1]]


def passage_kinds(shared: pd.DataFrame, texts: Mapping[str, str], stock: np.ndarray,
                  settings: WordingSettings = WordingSettings()) -> pd.Series:
    """The ``kind`` of each shared passage: ``quotation``, ``prose`` or ``common`` (see the module's docstring).

    Accepts the passages table of ``passages.shared_passages`` (with
    ``run_a, run_b, longest_run`` and the sentence offsets), the report texts
    by id and the stock ``n``-grams (``stock_ngrams``). Returns a string
    Series aligned with ``shared``. Each report's word flags are made once,
    for all its passages on either side, ``CHUNK_REPORTS`` reports at a time,
    and dropped after.
    """
    if len(shared) == 0:
        return pd.Series([], dtype=object, index=shared.index, name="kind")
    n, count = settings.stock_ngram_words, len(shared)
    is_phrase = (shared["match"] == "phrase").to_numpy()
    sizes = shared["longest_run"].to_numpy(np.int64)
    phrase_rows = np.flatnonzero(is_phrase)
    phrase_at = np.zeros(count, dtype=np.int64)  # where each phrase's run begins among the runs laid end to end
    bounds = np.concatenate(([0], np.cumsum(sizes[phrase_rows])))
    phrase_at[phrase_rows] = bounds[:-1]
    total = int(bounds[-1])
    # per side: sentence length in words; quoted, attributed, frame, stock words in the sentence and in the run;
    # and along the phrases' runs, word by word, whether quoted and whether attributed
    length = {side: np.zeros(count, np.int64) for side in "ab"}
    in_sentence = {side: np.zeros((8, count), np.int64) for side in "ab"}
    in_run = {side: np.zeros((8, count), np.int64) for side in "ab"}
    run_quoted = {side: np.zeros(total, bool) for side in "ab"}
    run_attributed = {side: np.zeros(total, bool) for side in "ab"}
    run_stock, run_content, run_common = np.zeros(total, bool), np.zeros(total, bool), np.zeros(total, bool)
    # reports numbered in id order; each side's rows sorted by their report's number
    ids, inverse = np.unique(np.concatenate([shared["report_a"].to_numpy(str), shared["report_b"].to_numpy(str)]),
                             return_inverse=True)
    number = {"a": inverse[:count], "b": inverse[count:]}
    order = {side: np.argsort(number[side], kind="stable") for side in "ab"}
    # attributed speech counts only in a sentence that is not a verbatim copy (see below): only those are read
    verbatim = (shared["match"] == "verbatim").to_numpy()
    column = {f"{c}_{side}": shared[f"{c}_{side}"].to_numpy(np.int64) for c in ("start", "end", "run") for side in "ab"}
    for first_report in range(0, len(ids), CHUNK_REPORTS):
        chunk = np.arange(first_report, min(first_report + CHUNK_REPORTS, len(ids)))
        rows_in = {}
        for side in "ab":
            lo, hi = np.searchsorted(number[side][order[side]], [chunk[0], chunk[-1] + 1])
            rows_in[side] = order[side][lo:hi]
        read: list[set] = [set() for _ in chunk]
        for side, rows in rows_in.items():
            kept = rows[~verbatim[rows]]
            for at, start, end in zip((number[side][kept] - chunk[0]).tolist(), column[f"start_{side}"][kept].tolist(),
                                      column[f"end_{side}"][kept].tolist()):
                read[at].add((start, end))
        flags = _ChunkFlags([str(texts[rid]) for rid in ids[chunk].tolist()], stock, n, [sorted(r) for r in read])
        for side, rows in rows_in.items():
            base = flags.bases[number[side][rows] - chunk[0]]
            starts, ends = column[f"start_{side}"][rows] + base, column[f"end_{side}"][rows] + base
            runs = column[f"run_{side}"][rows]
            first, last = flags.word_at(starts), flags.word_at(ends)
            run_first = np.minimum(first + runs, last)
            run_last = np.minimum(run_first + sizes[rows], last)
            length[side][rows] = last - first
            in_sentence[side][:, rows] = flags.sums[:, last] - flags.sums[:, first]
            in_run[side][:, rows] = flags.sums[:, run_last] - flags.sums[:, run_first]
            phrased = is_phrase[rows]
            if phrased.any():
                got = (run_last - run_first)[phrased]
                offsets = _ranks(got)
                local = np.repeat(run_first[phrased], got) + offsets
                target = np.repeat(phrase_at[rows[phrased]], got) + offsets
                run_quoted[side][target] = flags.quoted[local]
                run_attributed[side][target] = flags.attributed[local]
                run_stock[target] |= flags.stock[local]
                if side == "a":
                    run_content[target] = flags.words.content[local]
                    run_common[target] = flags.words.common[local]
        del flags
    # Attributed (unquoted) speech is the speaker's only when the attribution is not itself shared: a verbatim
    # copy of "Police said ..." is the reporter's sentence; a phrase or rewrite whose run holds no word of
    # either attribution is the speaker's wording, attributed by each report in its own words.
    frame_shared = (shared["match"] == "verbatim").to_numpy() | (in_run["a"][2] > 0) | (in_run["b"][2] > 0)
    share = settings.quotation_share

    def mostly_speech(counts: dict, words: dict) -> np.ndarray:
        marked = [counts[s][0] >= share * np.maximum(words[s], 1) for s in "ab"]
        spoken = [counts[s][0] + np.where(frame_shared, 0, counts[s][1]) >= share * np.maximum(words[s], 1)
                  for s in "ab"]
        return marked[0] | marked[1] | (spoken[0] & spoken[1])

    # a copied or rewritten sentence is a quotation when its words, or the longest run the two share, are mostly
    # in quotation marks in either report, or speech in both ("“…,” said Jim Manley, a top adviser to Mr. Reid"
    # / "“…,” Manley said"; a letter one report quotes and the other prints as a block)
    quoted = mostly_speech(in_sentence, length) | mostly_speech(in_run, {s: np.minimum(sizes, length[s]) for s in "ab"})
    # stock: mostly stock words, or too few words of its own in the run it shares (not stop words, not speech,
    # not stock) to be anyone's wording ("he wrote on Twitter" / "the president wrote on Twitter")
    # (own words of either report: words one report quotes and the other writes as its own are the latter's)
    own_content = np.maximum(*(np.where(frame_shared, in_run[s][5], in_run[s][4]) for s in "ab"))
    own_common = np.maximum(*(np.where(frame_shared, in_run[s][7], in_run[s][6]) for s in "ab"))
    mostly_stock = ((in_sentence["a"][3] >= 0.5 * np.maximum(length["a"], 1))
                    | (own_content < settings.phrase_min_content) | (own_common < settings.prose_min_common))
    kinds = np.where(quoted, "quotation", np.where(mostly_stock, "common", "prose")).astype(object)
    if len(phrase_rows):  # a phrase: word by word along its run, the same words on both sides
        counted = ~np.repeat(frame_shared[phrase_rows], np.diff(bounds))
        both = (run_quoted["a"] | run_quoted["b"]
                | (run_attributed["a"] & counted) & (run_attributed["b"] & counted))
        own = ~both & ~run_stock
        prose = ((_longest_true(own, bounds) >= settings.phrase_min_words)
                 & (_segment_sums(own & run_content, bounds) >= settings.phrase_min_content)
                 & (_segment_sums(own & run_common, bounds) >= settings.prose_min_common))
        speech_words = _segment_sums(both, bounds)
        quotation = ~prose & (speech_words > 0) & (speech_words >= _segment_sums(run_stock & ~both, bounds))
        kinds[phrase_rows] = np.where(prose, "prose", np.where(quotation, "quotation", "common"))
    return pd.Series(kinds, index=shared.index, name="kind")


def _outlet_key(outlet: object) -> str:
    """An outlet's name as compared: case and spacing ignored; empty when unknown."""
    if outlet is None or (isinstance(outlet, float) and math.isnan(outlet)):
        return ""
    return " ".join(str(outlet).casefold().split())


def pair_flags(pairs: pd.DataFrame, shared: pd.DataFrame, outlets: Mapping[str, object]) -> pd.DataFrame:
    """``shared_quotation``, ``shared_prose`` and ``same_outlet`` for each row of ``pairs``.

    Accepts the pairs (``report_a, report_b, near_duplicate``), the passages
    with their ``kind`` and each report's outlet by id. A pair that is not a
    near-duplicate has ``shared_prose`` when it shares a passage of its own
    prose, ``shared_quotation`` when it shares a quotation (both may hold);
    ``same_outlet`` is ``True``/``False`` when both outlets are known, else
    missing (pandas ``boolean``). Returns the three columns, aligned with ``pairs``.
    """
    counts = pd.crosstab([shared["report_a"], shared["report_b"]], shared["kind"]) if len(shared) else None
    keys = pd.MultiIndex.from_arrays([pairs["report_a"], pairs["report_b"]])
    other = ~pairs["near_duplicate"].to_numpy(bool)

    def has(kind: str) -> np.ndarray:
        if counts is None or kind not in counts.columns:
            return np.zeros(len(pairs), dtype=bool)
        return counts[kind].reindex(keys, fill_value=0).to_numpy() > 0

    key_a = np.array([_outlet_key(outlets.get(r)) for r in pairs["report_a"]], dtype=object)
    key_b = np.array([_outlet_key(outlets.get(r)) for r in pairs["report_b"]], dtype=object)
    known = (key_a != "") & (key_b != "")
    same = pd.array(np.where(known, key_a == key_b, False), dtype="boolean")
    same[~known] = pd.NA
    return pd.DataFrame({"shared_quotation": has("quotation") & other, "shared_prose": has("prose") & other,
                         "same_outlet": same}, index=pairs.index)
