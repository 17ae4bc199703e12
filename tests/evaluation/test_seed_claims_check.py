"""Seeds guard: the 2015-2016 Mossad talks are one claim of reports 001 and 002 (the seeds are embedded)."""
from __future__ import annotations

import pandas as pd

from analysis import config, load_corpus
from analysis.sources.citations import extract_citations
from evaluation import seed_claims_check
from evaluation.claim_mentions import COLUMNS, claim_mentions


def test_check_reads_which_claims_hold_each_telling():
    reports = pd.DataFrame({"report_id": ["001_x", "002_y"],
                            "text": ["It held talks with Mossad agents in Jordan.", "Haftar planned to meet Israeli officials."]})
    mentions = pd.DataFrame({"report_id": ["001_x", "002_y"], "claim_id": ["c1", "c1"], "sent_start": [0, 0],
                             "sent_end": [43, 41]})
    assert seed_claims_check.mossad_talks(reports, mentions)["ok"]
    split = mentions.assign(claim_id=["c1", "c2"])
    result = seed_claims_check.mossad_talks(reports, split)
    assert not result["ok"] and result["claims_by_telling"] == [["c1"], ["c2"]]


def test_seeds_keep_the_mossad_talks_in_one_claim_of_001_and_002():
    reports = load_corpus(config.SEEDS_DIR).reports
    mentions = claim_mentions(reports, extract_citations(reports))
    assert list(mentions.columns) == COLUMNS
    placed = mentions[mentions["trigger_start"] >= 0]
    texts = dict(zip(reports["report_id"], reports["text"]))
    assert all(texts[r][a:b] == t for r, a, b, t in
               zip(placed["report_id"], placed["trigger_start"], placed["trigger_end"], placed["trigger"]))
    result = seed_claims_check.mossad_talks(reports, mentions)
    assert result["ok"], result
    assert {r[:3] for r in result["claim_reports"]} >= {"001", "002"}
