"""SemEval-2015 Task 4 TimeLine harness: token mapping, entity matching, timeline files; corpus parts skip when absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from evaluation import semeval_timeline_eval as tl

CORPUS = tl.DEFAULT_CORPUS
SCORER = os.environ.get("TIMELINE_SCORER")  # the official timeline-evaluation folder (not shipped)
PYTHON2 = os.environ.get("TIMELINE_PYTHON2", "python2")


def _article() -> tl.Article:
    words = [(0, "Boeing"), (0, "unveils"), (0, "777"), (1, "February"), (1, "17"), (1, ","), (1, "2005"),
             (2, "Boeing"), (2, "has"), (2, "unveiled"), (2, "a"), (2, "``"), (2, "new"), (2, "''"), (2, "777"),
             (2, "."), (3, "It"), (3, "was"), (3, "announced"), (3, "in"), (3, "2000"), (3, ".")]
    return tl.Article("4764", "4764_Boeing_unveils", "2005-02-17", [tl.Token(s, w) for s, w in words])


def test_article_text_and_alignment_map_triggers_to_task_token_ids():
    article = _article()
    text = tl.article_text(article)
    assert text.splitlines()[0] == "Boeing unveils 777" and text.splitlines()[2] == "February 17, 2005"
    body = 'Boeing has unveiled a "new" 777. It was announced in 2000.'
    assert text.splitlines()[4] == body
    tl.align(article, body)  # the loader keeps only the body: title and date line are left unplaced
    assert all(t.start == -1 for t in article.tokens if t.sentence <= 1)
    assert all(body[t.start:t.end] == tl._surface(t.text) for t in article.tokens if t.sentence > 1)
    start = body.index("unveiled")
    assert tl.event_id(article, start, start + len("unveiled")) == "4764-2-unveiled"
    start = body.index("announced")
    assert tl.event_id(article, start, start + 3) == "4764-3-announced"
    assert tl.event_id(article, len(body) + 5, len(body) + 9) == ""


@pytest.mark.parametrize("entity, participant, expected", [
    ("Boeing", "Boeing", True), ("Boeing", "Boeing Co.", True), ("Boeing", "Boeing's", True),
    ("Boeing 787 Dreamliner", "Boeing", False), ("Boeing 787 Dreamliner", "Dreamliner", True),
    ("Boeing 787 Dreamliner", "787 Dreamliner", True), ("Louis Gallois", "Gallois", True),
    ("United States Air Force", "Air Force", True), ("Singapore Airlines", "Airlines", False),
    ("Airbus", "Airbus A380", False), ("Airbus A380", "A380", True), ("General Motors", "Motors", False),
])
def test_entity_matches(entity, participant, expected):
    assert tl.entity_matches(entity, participant) is expected


def test_timeline_file_orders_anchors_and_shares_order_for_equal_anchors(tmp_path):
    tl.write_timeline(tmp_path / "boeing.txt", "Boeing", [
        (("2005-02-17", "c2"), "2005-02-17", ["4764-2-unveiled", "8983-3-unveiled"]),
        (("2000-02-01", "c1"), "2000-02-XX", ["4764-6-announced"]),
        (("2005-02-17", "c3"), "2005-02-17", ["4764-5-break"]),
        (("9999", "c4"), "XXXX-XX-XX", []),
    ])
    lines = (tmp_path / "boeing.txt").read_text().splitlines()
    assert lines == ["Boeing", "1\t2000-02-XX\t4764-6-announced", "2\t2005-02-17\t4764-2-unveiled\t8983-3-unveiled",
                     "2\t2005-02-17\t4764-5-break"]
    assert tl._anchor("2005-02-01", "month") == "2005-02-XX" and tl._anchor("1994-01-01", "year") == "1994-XX-XX"
    assert tl._anchor("", "") == "XXXX-XX-XX"


@pytest.mark.skipif(not (CORPUS / "corpus_1").is_dir(), reason=f"SemEval-2015 Task 4 corpus not found at {CORPUS}")
def test_corpus_reports_load_and_every_body_token_is_placed(tmp_path):
    from analysis import load_corpus

    articles = tl.read_corpus(CORPUS / "corpus_1")
    assert len(articles) == 30 and all(len(a.dct) == 10 for a in articles)
    reports = load_corpus(tl.write_reports(articles, tmp_path / "reports")).reports
    assert sorted(reports["report_id"]) == sorted(a.doc_id for a in articles)
    assert set(reports["published"].astype(str).str[:10]) == {a.dct for a in articles}
    texts = dict(zip(reports["report_id"], reports["text"]))
    for article in articles:
        tl.align(article, texts[article.doc_id])
        body = [t for t in article.tokens if t.sentence > 1]
        assert all(t.start >= 0 for t in body), article.doc_id


@pytest.mark.skipif(not SCORER or not (CORPUS / "corpus_1").is_dir(),
                    reason="set TIMELINE_SCORER to the official timeline-evaluation folder (and TIMELINE_PYTHON2)")
def test_official_scorer_gives_gold_full_marks():
    gold = CORPUS / "corpus_1" / "TimeLines_Gold_Standard"
    result = tl.run_scorer(gold, gold, Path(SCORER), PYTHON2)
    assert result["f1"] == pytest.approx(100.0)
