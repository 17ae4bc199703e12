"""The BASIL sample written as a folder of reports the toolkit loads (skipped when ../shared/corpora is absent)."""
from __future__ import annotations

import pytest

from analysis import load_corpus
from evaluation import basil_eval, basil_folder


def test_a_basil_triplet_loads_with_outlets_and_dates(tmp_path):
    if not (basil_eval.DEFAULT_CORPUS / "articles").is_dir():
        pytest.skip(f"BASIL corpus absent ({basil_eval.DEFAULT_CORPUS}); skipped")
    written = basil_folder.write_folder(basil_eval.DEFAULT_CORPUS, tmp_path, triplets=1)
    assert [p.name for p in written][-1] == "manifest.csv" and len(written) == 4
    corpus = load_corpus(tmp_path)
    assert len(corpus.reports) == 3 and corpus.rejected.empty
    assert sorted(corpus.reports["outlet"]) == ["Fox News", "HuffPost", "New York Times"]
    assert (corpus.reports["published_method"] == "manifest").all()
