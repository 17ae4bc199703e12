"""A report's sentences as arrays: offsets, word counts and word hashes, with each ``Sentence`` made on first use.

Alignment splits tens of thousands of reports into sentences and words but
compares the words of only a few sentence pairs: most pairs are ruled out by
hash tables (``passages._Prepared``). Making every word a Python string took
most of the alignment of a large corpus, so ``split`` finds the words of a
text with numpy on its code points, hashes them there, and makes a sentence's
words (``Sentence.words``) only when they are read.

A word's hash is a function of the code points of its lower-cased form,
whichever way it was found: ``word_hashes`` gives the same hash to the same
word given as a string.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from analysis.similarity.char_classes import CAPITAL, CLOSE, END, NEWLINE, OPEN, SPACE

WORD = re.compile(r"\w+", re.UNICODE)


class Sentence(NamedTuple):
    """One sentence of a report: character offsets into ``text`` and its lower-cased words.

    A named tuple rather than a frozen dataclass, which is several times slower
    to make: alignment makes one for each sentence it compares.
    """

    start: int
    end: int
    text: str
    words: tuple[str, ...]


def sentence_words(text: str, start: int, end: int) -> tuple[str, ...]:
    """The lower-cased ``\\w+`` words of ``text[start:end]``."""
    found = WORD.findall(text, start, end)
    # one lower() per sentence instead of per word: the same words, since a space stops the only context
    # lower() looks at (Greek final sigma) as the ends of a lone word do
    return tuple(" ".join(found).lower().split(" ")) if found else ()


_U64 = np.uint64
_BASE = 0xD6E8FEB86659FD93  # odd: invertible modulo 2**64
_POWERS = np.ones(1, dtype=np.uint64)  # _BASE ** k modulo 2**64, grown on demand
_INVERSE_POWERS = np.ones(1, dtype=np.uint64)  # _BASE ** -k
_LENGTH_KEY = _U64(0x9E3779B97F4A7C15)  # a word's length, mixed into its hash


def _power_table(base: int, size: int) -> np.ndarray:
    """``base ** k`` modulo 2**64 for ``k < size``."""
    values = np.full(size, base, dtype=np.uint64)
    values[0] = 1
    return np.cumprod(values, dtype=np.uint64)  # wraps modulo 2**64


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(_BASE ** k, _BASE ** -k)`` modulo 2**64 for ``k < n`` (at least)."""
    global _POWERS, _INVERSE_POWERS
    if len(_POWERS) < n:
        size = max(n, 2 * len(_POWERS), 1 << 16)
        _POWERS, _INVERSE_POWERS = _power_table(_BASE, size), _power_table(pow(_BASE, -1, 1 << 64), size)
    return _POWERS, _INVERSE_POWERS


def _finish(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits (a bijection)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _piece_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash (``uint64``) of each ``codes[start:end]``: its polynomial in ``_BASE``, with its length, finished.

    The polynomials of every piece come from one running sum: ``sum(c[m] * B**-m)``
    between the piece's ends, times ``B**(end - 1)``.
    """
    if len(starts) == 0:
        return np.empty(0, dtype=np.uint64)
    power, inverse = _powers(len(codes) + 1)
    running = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * inverse[: len(codes)], out=running[1:])
    poly = (running[ends] - running[starts]) * power[ends - 1]
    return _finish(poly ^ ((ends - starts).astype(np.uint64) * _LENGTH_KEY))


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """The hash (``uint64``) of each of ``words`` (lower-cased already), as ``split`` hashes them."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths)
    return _piece_hashes(_code_points("".join(words)), ends - lengths, ends)


_POSITION_KEYS = np.empty(0, dtype=np.uint64)


def _position_keys(n: int) -> np.ndarray:
    """A 64-bit key for each position of a word in its sentence, ``0 .. n - 1`` at least."""
    global _POSITION_KEYS
    if len(_POSITION_KEYS) < n:
        _POSITION_KEYS = _finish(np.arange(1, max(n, 1024) + 1, dtype=np.uint64))
    return _POSITION_KEYS


def sentence_hashes(word_hash: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A hash (``int64``) of each sentence's sequence of words, from their hashes (``word_hash``, sentence after
    sentence) and the number of words of each sentence (``lengths``)."""
    ends = np.cumsum(lengths)
    starts = ends - lengths
    position = np.arange(len(word_hash), dtype=np.int64) - np.repeat(starts, lengths)
    mixed = _finish(word_hash ^ _position_keys(int(lengths.max(initial=0)))[position])
    running = np.zeros(len(word_hash) + 1, dtype=np.uint64)
    np.cumsum(mixed, out=running[1:])
    return _finish((running[ends] - running[starts]) ^ lengths.astype(np.uint64)).view(np.int64)


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (``uint32``), one per character, lone surrogates included."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_UNKNOWN, _BY_CONTEXT = np.uint32(0xFFFFFFFF), np.uint32(0xFFFFFFFE)
#: Each code point lower-cased if it is a word character (``\w``), else 0; filled as code points are met.
#: ``_BY_CONTEXT``: lower-cased differently inside a word (into several code points, or Greek capital sigma,
#: whose lower case depends on its neighbours).
_LOWER = np.empty(0, dtype=np.uint32)  # made on first use: 4.4 MB that most processes never need


def _lower_case(code: int) -> int:
    char = chr(code)
    if not WORD.fullmatch(char):
        return 0
    lower = char.lower()
    return int(_BY_CONTEXT) if code == 0x3A3 or len(lower) != 1 else ord(lower)


def _lowered(codes: np.ndarray) -> np.ndarray | None:
    """Each code point lower-cased if it is a word character, else 0; ``None`` if one lower-cases otherwise."""
    global _LOWER
    if not len(_LOWER):
        _LOWER = np.full(0x110000, _UNKNOWN, dtype=np.uint32)
    low = _LOWER[codes]
    if low.max(initial=0) >= _BY_CONTEXT:
        met = np.unique(codes[low == _UNKNOWN])
        if len(met):
            _LOWER[met] = [_lower_case(c) for c in met.tolist()]
            low = _LOWER[codes]
        if low.max(initial=0) == _BY_CONTEXT:
            return None
    return low


_UNMET = np.uint8(0x80)
#: The class bits of each code point, filled as code points are met.
_CLASSES = np.empty(0, dtype=np.uint8)  # made on first use


def _char_class(code: int) -> int:
    char = chr(code)
    return ((END if char in ".!?…" else 0) | (CLOSE if char in "\"'”’)]" else 0) | (OPEN if char in "\"'“‘([" else 0)
            | (CAPITAL if "A" <= char <= "Z" or "0" <= char <= "9" else 0) | (SPACE if char.isspace() else 0)
            | (NEWLINE if char == "\n" else 0))


def _classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of each code point (what ``passages._SENTENCE_END`` and line splitting look at)."""
    global _CLASSES
    if not len(_CLASSES):
        _CLASSES = np.full(0x110000, _UNMET, dtype=np.uint8)
    found = _CLASSES[codes]
    if len(found) and (found & _UNMET).any():
        met = np.unique(codes[(found & _UNMET) != 0])
        _CLASSES[met] = [_char_class(c) for c in met.tolist()]
        found = _CLASSES[codes]
    return found


class SentenceList(Sequence):
    """A report's sentences: ``Sentence`` objects made when first read, and the arrays alignment needs.

    * ``starts, ends``: each sentence's character offsets;
    * ``lengths``: its number of words;
    * ``word_hash``: the hash of every word (``uint64``), sentence after sentence;
    * ``sentence_hash``: a hash of each sentence's words (``int64``);
    * ``low``: the text's code points lower-cased, 0 where not a word
      character (``uint32``), when the words were found on them (else ``None``).
    """

    __slots__ = ("_text", "_bounds", "_made", "starts", "ends", "lengths", "word_hash", "sentence_hash", "low")

    def __init__(self, text: str, starts: np.ndarray, ends: np.ndarray, lengths: np.ndarray, word_hash: np.ndarray,
                 made: list[Sentence] | None = None, sentence_hash: np.ndarray | None = None,
                 low: np.ndarray | None = None):
        self._text = text
        self.low = low
        self.starts, self.ends, self.lengths, self.word_hash = starts, ends, lengths, word_hash
        self.sentence_hash = sentence_hashes(word_hash, lengths) if sentence_hash is None else sentence_hash
        self._bounds = list(zip(starts.tolist(), ends.tolist()))
        self._made: list[Sentence | None] = list(made) if made is not None else [None] * len(starts)

    @classmethod
    def of(cls, text: str, sentences: Sequence[Sentence]) -> "SentenceList":
        """Made of sentences already split (their words in hand)."""
        lengths = np.fromiter((len(s.words) for s in sentences), dtype=np.int64, count=len(sentences))
        words = [w for s in sentences for w in s.words]
        return cls(text, np.array([s.start for s in sentences], dtype=np.int64),
                   np.array([s.end for s in sentences], dtype=np.int64), lengths, word_hashes(words), sentences)

    def __len__(self) -> int:
        return len(self._bounds)

    def __getitem__(self, i: int) -> Sentence:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        made = self._made[i]  # raises IndexError past the end, as a list does
        if made is None:
            if i < 0:
                i += len(self._bounds)
            start, end = self._bounds[i]
            made = self._made[i] = Sentence(start, end, self._text[start:end], sentence_words(self._text, start, end))
        return made

    def pieces(self, indices: Sequence[int]) -> tuple[list[str], list[int], list[int]]:
        """The texts, starts and ends of sentences ``indices``, without making their ``Sentence`` (nor words)."""
        made, bounds, text = self._made, self._bounds, self._text
        starts = [bounds[i][0] for i in indices]
        ends = [bounds[i][1] for i in indices]
        texts = [made[i].text if made[i] is not None else text[a:b] for i, a, b in zip(indices, starts, ends)]
        return texts, starts, ends


def split(text: str, spans: Sequence[Sequence[int]], min_words: int, compiled: bool = False) -> SentenceList | None:
    """The sentences of ``text`` at ``spans`` (``(start, end)``, in order, not overlapping) with at least
    ``min_words`` words, their words found and hashed on the code points; ``None`` when the text holds a
    character that lower-cases into several, or Greek capital sigma (the caller splits it word by word).

    The words of a sentence are the ``\\w+`` runs inside its span, cut at its
    ends: what ``re.findall`` finds between the span's offsets. ``compiled``:
    the words are found and hashed by a numba kernel (the same arrays; worth
    its import only on many reports).
    """
    codes = _code_points(text)
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    starts, ends = bounds[:, 0], bounds[:, 1]
    n = len(codes)
    if len(starts) and (np.any(starts[1:] < ends[:-1]) or np.any(starts >= ends)):
        return None  # overlapping or empty spans: not what sentence_spans or a parse gives
    low = _lowered(codes)
    if low is None:
        return None
    if compiled:
        return _split_compiled(text, low, starts, ends, min_words)
    inside = np.cumsum(np.bincount(starts, minlength=n + 1)[:n] - np.bincount(ends, minlength=n + 1)[:n]) > 0
    word = (low != 0) & inside
    opens = np.zeros(n + 1, dtype=bool)
    opens[starts] = True  # a word never runs from one sentence into the next
    first = word.copy()
    first[1:] &= ~word[:-1] | opens[1:n]
    last = word.copy()
    last[:-1] &= ~word[1:] | opens[1:n]
    word_starts, word_ends = np.flatnonzero(first), np.flatnonzero(last) + 1
    of = np.searchsorted(starts, word_starts, "right") - 1
    counts = np.bincount(of, minlength=len(starts))
    kept = counts >= min_words
    if not kept.all():
        inside_kept = kept[of]
        word_starts, word_ends = word_starts[inside_kept], word_ends[inside_kept]
    return SentenceList(text, starts[kept], ends[kept], counts[kept], _piece_hashes(low, word_starts, word_ends), low=low)


def _split_compiled(text: str, low: np.ndarray, starts: np.ndarray, ends: np.ndarray, min_words: int) -> SentenceList:
    from analysis.similarity.kernels.passage_kernels import split_words

    kept, counts, word_hash, sentence_hash = split_words(low, starts, ends, min_words, _U64(_BASE), _LENGTH_KEY)
    return SentenceList(text, starts[kept], ends[kept], counts[kept], word_hash, sentence_hash=sentence_hash, low=low)


def split_text(text: str, min_words: int) -> SentenceList | None:
    """``split(text, passages.sentence_spans(text), min_words)`` (the punctuation rule, no parse) by the numba
    kernels, sentences found on the code points too; ``None`` as ``split``."""
    from analysis.similarity.kernels.passage_kernels import sentence_bounds

    codes = _code_points(text)
    low = _lowered(codes)
    if low is None:
        return None
    starts, ends = sentence_bounds(_classes(codes))
    return _split_compiled(text, low, starts, ends, min_words)
