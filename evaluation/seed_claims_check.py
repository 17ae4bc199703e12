"""Seeds guard for claims: the 2015-2016 Mossad talks stay one claim of reports 001 and 002.

Report 001 says Haftar "held talks with Mossad agents in Jordan in 2015 and
2016"; report 002 says that "in 2015 ... Haftar planned to meet Israeli
officials during a visit to the capital of Jordan". Both tell the same
alleged happening, and the toolkit has grouped them as one claim since the
seeds were labelled. The check passes when one claim holds a mention of each
of those two sentences.

Also runs :mod:`evaluation.seed_events_eval` (seed events against the
hand-labelled gold), so one command gives both guards.

Usage::

    .venv/bin/python -m evaluation.seed_claims_check
"""
from __future__ import annotations

import argparse
import re

import pandas as pd

from analysis import config

#: (report id prefix, words of its sentence): the two tellings of the 2015-2016 talks.
TELLINGS = [("001_", "held talks with Mossad agents"), ("002_", "planned to meet Israeli officials")]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def mossad_talks(reports: pd.DataFrame, mentions: pd.DataFrame) -> dict:
    """Which claims hold each telling; ``ok`` when one claim holds both.

    Accepts the seed reports and :func:`evaluation.claim_mentions.claim_mentions`.
    Returns ``{"ok", "claim_id", "claim_reports", "claims_by_telling"}``.
    """
    texts = dict(zip(reports["report_id"], reports["text"]))
    reports_of = mentions.groupby("claim_id")["report_id"].agg(lambda r: sorted(set(r))).to_dict()
    holders = []
    for prefix, words in TELLINGS:
        found = set()
        for m in mentions[mentions["report_id"].str.startswith(prefix)].itertuples(index=False):
            sentence = texts[m.report_id][m.sent_start:m.sent_end]
            if _norm(words) in _norm(sentence):
                found.add(m.claim_id)
        holders.append(sorted(found))
    common = sorted(set(holders[0]) & set(holders[1]))
    claim = common[0] if common else ""
    return {"ok": bool(common), "claim_id": claim, "claim_reports": reports_of.get(claim, []),
            "claims_by_telling": holders}


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    import analysis
    from analysis.sources.citations import extract_citations
    from evaluation import seed_events_eval
    from evaluation.claim_mentions import claim_mentions, code_kind

    reports = analysis.load_corpus(config.SEEDS_DIR).reports
    mentions = claim_mentions(reports, extract_citations(reports))
    result = mossad_talks(reports, mentions)
    print(f"claim code: {code_kind()}; {len(mentions)} mentions, {mentions['claim_id'].nunique()} claims")
    print(f"2015-2016 Mossad talks: {'ONE CLAIM' if result['ok'] else 'SPLIT'} {result['claim_id']} "
          f"of {'; '.join(r[:3] for r in result['claim_reports'])} (claims per telling: {result['claims_by_telling']})")
    seed_events_eval.main([])
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
