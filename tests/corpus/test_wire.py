"""Wire reports (issue 27): ids keep the inner dot of wire file names; credit lines are recorded and removed."""
from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from analysis.corpus.credits import credit_line, inline_dateline, same_outlet
from analysis.corpus.loader import load_corpus, report_stem

WIRE = Path(__file__).parent / "fixtures" / "wire"
TODAY = date(2026, 1, 1)
CREDIT_RULES = {"byline", "wire writer line", "syndication credit", "dateline credit"}


@pytest.fixture(scope="module")
def wire():
    return load_corpus(WIRE, today=TODAY).all_reports.set_index("report_id")


def test_wire_ids_keep_the_name_without_its_last_suffix(wire):
    # before: APW20000814.0117.txt / .0120.txt (colliding stems kept whole), NYT20000815, XIE20000816
    assert sorted(wire.index) == ["APW20000814.0117", "APW20000814.0120", "NYT20000815.0212", "XIE20000816.0031"]


@pytest.mark.parametrize("path, stem", [
    ("APW20000814.0117.txt", "APW20000814.0117"),
    ("feeds/NYT20000815.0212.txt", "feeds/NYT20000815.0212"),
    ("archive.jsonl.gz", "archive"),
    ("story.txt.gz", "story"),
    ("v1.2/notes.md", "v1.2/notes"),
    ("README", "README"),
])
def test_report_stem(path, stem):
    assert report_stem(path) == stem


def test_ids_are_unique_and_the_same_every_run(tmp_path):
    for name in ("a.b.txt", "a.b.html", "a.b.txt.md", "c.d.txt"):
        text = f"Headline {name}\n\nBody of {name} with enough words to keep.\n"
        if name.endswith(".html"):
            text = f"<html><head><title>Headline</title></head><body><article><p>{text}</p></article></body></html>"
        (tmp_path / name).write_text(text, encoding="utf-8")
    with gzip.open(tmp_path / "e.f.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "x1", "title": "T", "text": "Record body words here."}) + "\n")
    ids = sorted(load_corpus(tmp_path, today=TODAY).all_reports["report_id"])
    # colliding stems ("a.b") keep their whole paths; so does "a.b.txt.md", whose stem is such a path
    assert ids == ["a.b.html", "a.b.txt", "a.b.txt.md", "c.d", "e.f#x1"]
    copy = tmp_path.parent / (tmp_path.name + "-copy")
    shutil.copytree(tmp_path, copy)
    assert sorted(load_corpus(copy, today=TODAY).all_reports["report_id"]) == ids


def test_byline_and_agency_writer_line(wire):
    row = wire.loc["APW20000814.0117"]
    assert row["author"] == "JANE MORROW"
    assert (row["outlet"], row["original_outlet"]) == ("Associated Press", "")  # AP's own story: not republished
    removed = {(r["rule"], r["text"]) for r in json.loads(row["removed_lines"])}
    assert {("byline", "By JANE MORROW"), ("wire writer line", "Associated Press Writer"),
            ("dateline credit", "HAVANA (AP) _")} <= removed
    assert "By JANE" not in row["text"] and "(AP)" not in row["text"]


def test_byline_with_agency_on_one_line_and_dateline_opening_the_text(wire):
    row = wire.loc["APW20000814.0120"]
    assert row["author"] == "Tom Reilly"
    assert row["text"].startswith("ATLANTA (AP) — Newt Gingrich")  # the paragraph is kept whole
    assert [r["rule"] for r in json.loads(row["removed_lines"])] == ["byline"]


def test_syndication_credit_marks_the_story_republished(wire):
    row = wire.loc["NYT20000815.0212"]
    assert (row["outlet"], row["original_outlet"]) == ("New York Times News Service", "Cox News Service")
    assert row["original_outlet_evidence"] == "syndication credit: c.2000 Cox News Service"
    assert row["author"] == "ROSA DELGADO"
    assert "Cox News Service" not in row["text"]


def test_dateline_credit_names_the_outlet_when_nothing_else_does(wire):
    row = wire.loc["XIE20000816.0031"]
    assert (row["outlet"], row["outlet_method"]) == ("Xinhua", "dateline credit")
    assert row["outlet_evidence"] == "dateline credit: BEIJING, August 16 (Xinhua) --"
    assert row["text"].startswith("China and Cuba signed")


@pytest.mark.parametrize("line, rule, author, agency", [
    ("By JOHN SMITH", "byline", "JOHN SMITH", ""),
    ("By Jane Doe, Associated Press Writer", "byline", "Jane Doe", "Associated Press"),
    ("By ANNA LEE Associated Press Writer", "byline", "ANNA LEE", "Associated Press"),
    ("By The Associated Press", "byline", "", "The Associated Press"),
    ("c.2000 Cox News Service", "syndication credit", "", "Cox News Service"),
    ("c. 1999 The Boston Globe", "syndication credit", "", "The Boston Globe"),
    ("Associated Press Writer", "wire writer line", "", "Associated Press"),
    ("BEIJING, March 3 (Xinhua) --", "dateline credit", "", "Xinhua"),
])
def test_credit_lines(line, rule, author, agency):
    credit = credit_line(line)
    assert credit is not None and (credit.rule, credit.author, credit.agency) == (rule, author, agency)


@pytest.mark.parametrize("line", ["By Sunday the talks had failed.", "By the river", "Staff writer", "WASHINGTON _",
                                  "AP Photos Planned", "(For release Sun., Sept. 13)"])
def test_not_credit_lines(line):
    assert credit_line(line) is None


def test_inline_dateline_and_outlet_spellings():
    credit = inline_dateline("WASHINGTON (AP) — The talks resumed.")
    assert credit is not None and (credit.agency, credit.line) == ("AP", "WASHINGTON (AP) —")
    assert same_outlet("AP", "Associated Press") and same_outlet("N.Y. Times News Service", "New York Times News Service")
    assert same_outlet("Xinhua", "Xinhua News Agency") and not same_outlet("Cox News Service", "New York Times News Service")
