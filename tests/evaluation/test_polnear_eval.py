"""PolNeAR attribution evaluation (issue 3); skipped when the corpus is absent."""
from __future__ import annotations

import pytest

from evaluation import polnear_eval


def test_polnear_subset_beats_the_baseline():
    corpus = polnear_eval.DEFAULT_CORPUS
    if not (corpus / "test").is_dir():
        pytest.skip(f"PolNeAR not found at {corpus} (it lives in ../shared/corpora, absent from a fresh clone)")
    result = polnear_eval.evaluate(corpus, "test", limit=12)
    toolkit = result["systems"]["toolkit"]["source+cue overlap"]
    baseline = result["systems"]["baseline (say / according to)"]["source+cue overlap"]
    assert result["gold_with_source_and_cue"] > 100
    assert toolkit["F1"] > baseline["F1"]
    assert toolkit["P"] >= 60 and result["toolkit_recall_targeted"]["recall overlap"] >= 70


def test_ann_parser_reads_events_and_discontinuous_spans():
    ann = ("T1\tSource 0 5\tAlice\nT2\tCue 6 10\tsaid\nT3\tContent 11 20;25 30\tx\n"
           "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\nE2\tAttribution-no-source:T2 Cue:T2\n")
    events = polnear_eval.parse_ann(ann)
    assert len(events) == 2
    assert events[0].source.pieces == ((0, 5),) and events[1].source is None
