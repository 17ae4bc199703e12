"""``sentence_arrays.split``: the words found on code points are those ``re.findall`` and ``str.lower`` give."""
from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings as hypothesis_settings, strategies as st

from analysis import passages, sentence_arrays

# letters of several scripts (some lower-casing into several code points or by context), digits, marks,
# the underscore, punctuation that ends sentences, quotes, spaces and line breaks
_ALPHABET = list("abcXYZ019_ .!?\n\t\"'“”’()-—") + ["é", "Ü", "ß", "Σ", "ς", "İ", "ǅ", "Ⅻ", "٣", "\u0301", "\u00ad", "ﬁ", "𝐀"]
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
