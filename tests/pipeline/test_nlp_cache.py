"""The shared spaCy pass: cached per report text, reused on reruns, only new reports parsed."""
from __future__ import annotations

from analysis.pipeline import nlp


class CountingPipe:
    """Wrap a pipeline and count the texts it is asked to parse."""

    def __init__(self, inner):
        self.inner, self.texts = inner, 0
        self.vocab, self.meta = inner.vocab, inner.meta

    def pipe(self, texts, **kwargs):
        for text in texts:
            self.texts += 1
            yield self.inner(text)


def test_rerun_reuses_the_cache_and_new_texts_are_parsed_once(tmp_path):
    counting = CountingPipe(nlp.load_nlp())
    texts = [f"Report {i}: the ministry said on Monday that talks would resume in Cairo." for i in range(5)]
    first = nlp.parse_texts(texts, nlp=counting, cache_dir=tmp_path)
    assert counting.texts == 5
    again = nlp.parse_texts(texts, nlp=counting, cache_dir=tmp_path)
    assert counting.texts == 5  # nothing parsed on an unchanged corpus
    assert [d.to_json() for d in again] == [d.to_json() for d in first]
    nlp.parse_texts(texts + ["A new report about a convoy in Sirte, officials said."], nlp=counting, cache_dir=tmp_path)
    assert counting.texts == 6  # one new report, one parse


def test_cached_docs_keep_the_annotations_the_analysis_uses(tmp_path):
    text = "Khalifa Haftar met Israeli officials in Cairo in 2017, sources said."
    fresh = nlp.parse_texts([text], cache_dir=tmp_path)[0]
    cached = nlp.parse_texts([text], cache_dir=tmp_path)[0]
    assert [(t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in cached] == \
           [(t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in fresh]
    assert [(e.text, e.label_) for e in cached.ents] == [(e.text, e.label_) for e in fresh.ents]


def test_cache_key_depends_on_text_pipeline_and_extraction_version(monkeypatch):
    pipeline = nlp.load_nlp()
    key = nlp.cache_key("text", pipeline)
    assert key != nlp.cache_key("text ", pipeline)
    monkeypatch.setattr(nlp, "EXTRACTION_VERSION", "999")
    assert key != nlp.cache_key("text", pipeline)
