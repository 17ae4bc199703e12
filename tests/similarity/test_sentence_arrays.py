"""``sentence_arrays.split``: the words found on code points are those ``re.findall`` and ``str.lower`` give."""
from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings as hypothesis_settings, strategies as st

from analysis.similarity import passages, sentence_arrays

# letters of several scripts (some lower-casing into several code points or by context), digits, marks,
# the underscore, punctuation that ends sentences, quotes, spaces and line breaks
_ALPHABET = list("abcXYZ019_ .!?\n\t\"'“”’()-—") + ["é", "Ü", "ß", "Σ", "ς", "İ", "ǅ", "Ⅻ", "٣", "\u0301", "\u00ad", "ﬁ", "𝐀",
                                                     "\ud800"]  # a lone surrogate, as a lenient decoder leaves
_TEXT = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=300)


def _by_words(text: str, spans, min_words: int) -> list[passages.Sentence]:
    """The reference: each sentence's words by ``re.findall`` and ``str.lower``."""
    out = []
    for start, end in spans:
        words = sentence_arrays.sentence_words(text, start, end)
        if len(words) >= min_words:
            out.append(passages.Sentence(start, end, text[start:end], words))
    return out


def _cut_spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Spans between sorted cut points: sentences that start and end inside words, as a parse's may."""
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [(a, b) for a, b in zip(points, points[1:]) if a < b]


@hypothesis_settings(max_examples=400, deadline=None)
@given(_TEXT, st.lists(st.integers(0, 300), max_size=8), st.integers(0, 4), st.booleans())
@example("ΟΔΟΣ aΣ. İSTANBUL ǅUKIĆ straße", [], 1, True)
def test_split_finds_the_words_findall_and_lower_find(text, cuts, min_words, by_rule):
    """The same sentences and words as word by word, the hashes of those words, and ``None`` only for texts with a
    character that lower-cases by context or into several."""
    spans = passages.sentence_spans(text) if by_rule else _cut_spans(text, cuts)
    expected = _by_words(text, spans, min_words)
    found = sentence_arrays.split(text, spans, min_words)
    if found is None:
        assert "Σ" in text or "İ" in text
    else:
        assert list(found) == expected
        assert found.lengths.tolist() == [len(s.words) for s in expected]
        assert found.starts.tolist() == [s.start for s in expected]
    sentences = passages.sentences(text, min_words=min_words, spans=spans)
    assert list(sentences) == expected
    words = [w for s in expected for w in s.words]
    assert sentences.word_hash.tolist() == sentence_arrays.word_hashes(words).tolist()
    assert sentences.sentence_hash.tolist() == sentence_arrays.SentenceList.of(text, expected).sentence_hash.tolist()


def test_hashes_tell_words_and_sentences_apart():
    words = ["a", "b", "ab", "ba", "aa", "", "é", "e", "libya", "lybia"] + [f"w{i}" for i in range(2000)]
    hashes = sentence_arrays.word_hashes(words)
    assert len(set(hashes.tolist())) == len(words)
    # the same words in another order, or cut into sentences elsewhere, hash differently
    word_hash = sentence_arrays.word_hashes(["x", "y", "z", "y", "x", "z"])
    sentences = sentence_arrays.sentence_hashes(word_hash, np.array([3, 3]))
    assert sentences[0] != sentences[1]
    again = sentence_arrays.sentence_hashes(word_hash[[0, 1, 2, 0, 1, 2]], np.array([3, 3]))
    assert again[0] == again[1] == sentences[0]
    assert len(set(sentence_arrays.sentence_hashes(word_hash, np.array([2, 4])).tolist()) | set(sentences.tolist())) == 4


def test_a_sentence_is_made_when_read_and_once():
    text = "One two three four. Five six seven eight nine."
    found = passages.sentences(text)
    assert len(found) == 2 and found._made == [None, None]
    assert found[1] is found[-1] and found[1].words == ("five", "six", "seven", "eight", "nine")
    assert found._made[0] is None
    assert found[0:2] == list(found) and found[::-1] == [found[1], found[0]]


# sentence ends, closing and opening quotes and brackets, capitals, digits, lower case, unicode spaces, line breaks
_PROSE = st.text(alphabet=st.sampled_from(list(".!?…\"'”’)]“‘([AZ09az \n\t\u00a0\u2003\r") + ["é", "Σ", "İ"]), max_size=200)


@hypothesis_settings(max_examples=500, deadline=None)
@given(_PROSE | _TEXT, st.integers(0, 4))
@example("He said. “Yes.” Then 3 left!\n  (A) b… \"C\"\u00a0D.  E", 1)
def test_compiled_split_is_the_numpy_split(text, min_words):
    """The numba kernels find the same sentences (the punctuation rule, line breaks, trimming) and hashes."""
    from analysis.similarity.kernels import passage_kernels

    codes = sentence_arrays._code_points(text)
    starts, ends = passage_kernels.sentence_bounds(sentence_arrays._classes(codes))
    assert list(zip(starts.tolist(), ends.tolist())) == passages.sentence_spans(text)
    expected = passages.sentences(text, min_words=min_words)
    for got in (passages.sentences(text, min_words=min_words, compiled=True),
                passages.sentences(text, min_words=min_words, spans=passages.sentence_spans(text), compiled=True)):
        assert list(got) == list(expected)
        for name in ("starts", "ends", "lengths", "word_hash", "sentence_hash"):
            assert getattr(got, name).tolist() == getattr(expected, name).tolist(), name


def _table(ids, rows):
    return sorted(zip(ids.tolist(), rows.tolist()))


_WORDS = st.lists(st.lists(st.sampled_from(["the", "of", "s", "said", "army", "house", "port", "libya"]),
                           min_size=0, max_size=30), max_size=8)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_WORDS, st.sampled_from([1, 2, 5, 8]), st.booleans())
def test_compiled_tables_are_the_numpy_tables(words, n, collide):
    """``_Prepared`` by the numba kernels: the same tables as by numpy, repeated sentences and words, empty
    sentences, and colliding token hashes included (entries of one id may then come in another order)."""
    sents = [passages.Sentence(0, 0, "", tuple(w)) for w in words] * 2
    mix = passages._MIX
    try:
        if collide:
            passages._MIX = np.uint64(0)
        numpy_way, compiled = passages._Prepared(sents), passages._Prepared(sents, compiled=True)
        assert compiled.single.tolist() == numpy_way.single.tolist()
        assert compiled.common_counts.tolist() == numpy_way.common_counts.tolist()
        assert compiled.ids.tolist() == numpy_way.ids.tolist() and compiled.rows.tolist() == numpy_way.rows.tolist()
        assert _table(compiled.token_ids, compiled.token_rows) == _table(numpy_way.token_ids, numpy_way.token_rows)
        assert compiled.token_ids.tolist() == sorted(compiled.token_ids.tolist())
        if not collide:
            assert compiled.token_rows.tolist() == numpy_way.token_rows.tolist()
        assert [x.tolist() for x in compiled.grams(n)] == [x.tolist() for x in numpy_way.grams(n)]
    finally:
        passages._MIX = mix


@hypothesis_settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, st.lists(st.integers(0, 300), max_size=6), st.lists(st.integers(0, 300), max_size=6),
       st.booleans())
@example("Ab, c d.", "  ab c  D", [], [], True)  # the same words, other punctuation and spaces
@example("ab cd", "abc d", [], [], True)  # the same letters cut into other words
@example("ab c", "ab c e", [], [], True)  # one a prefix of the other
def test_same_words_on_code_points_is_words_equality(text_a, text_b, cuts_a, cuts_b, compiled):
    from analysis.similarity.kernels import passage_kernels

    a = sentence_arrays.split(text_a, _cut_spans(text_a, cuts_a), 0, compiled)
    b = sentence_arrays.split(text_b, _cut_spans(text_b, cuts_b), 0, compiled)
    if a is None or b is None or not len(a) or not len(b):
        return
    keys = np.arange(len(a) * len(b), dtype=np.int64)
    same = passage_kernels.same_words(keys, len(b), a.starts, a.ends, a.low, b.starts, b.ends, b.low)
    assert same.tolist() == [a[int(k) // len(b)].words == b[int(k) % len(b)].words for k in keys]


def test_pieces_are_the_sentences_texts_and_offsets_without_making_them():
    text = "One two three four. Five six seven eight nine. Ten eleven twelve thirteen."
    found = passages.sentences(text)
    _ = found[1]  # one made already, the others not
    texts, starts, ends = found.pieces([2, 0, 1])
    assert (texts, starts, ends) == ([found[i].text for i in (2, 0, 1)], [found[i].start for i in (2, 0, 1)],
                                     [found[i].end for i in (2, 0, 1)])
    assert found.low is not None and len(found.low) == len(text)
