"""Event actors who are people (issue 27): two first names never join, a shared bare surname is not
guessed, and "he" is resolved only when the text leaves one candidate."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline.nlp import parse_reports
from analysis.timeline import events

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def found():
    reports = pd.read_csv(FIXTURES / "reports_people.csv", dtype=str, keep_default_na=False)
    frame = events.extract_events(reports, parse_reports(reports, cache_dir=False), None)
    return {(r.report_id, r.date_text): r.actors.split("; ") for r in frame.itertuples()}


def test_two_clintons_stay_two(found):
    assert "Bill Clinton" in found["p1", "Aug. 10"] and "Hillary Rodham Clinton" not in found["p1", "Aug. 10"]
    assert "Hillary Rodham Clinton" in found["p1", "Aug. 11"]
    assert "Clinton" in found["p1", "Aug. 12"]  # the report names both: which one is not guessed
    assert "Clinton" in found["p4", "Aug. 9"]  # nor across the corpus, where both are named


def test_son_and_father_gonzalez_stay_apart(found):
    assert "Elián González" in found["p2", "Aug. 12"]
    assert "Juan Miguel González" in found["p2", "Aug. 13"]
    assert "Lazaro González" in found["p2", "Aug. 14"] and "Juan Miguel González" not in found["p2", "Aug. 14"]


def test_he_is_resolved_only_with_one_candidate(found):
    assert not {"Bob Livingston", "Dick Armey"} & set(found["p3", "Aug. 4"])  # two men named: left unresolved
    assert "Newt Gingrich" in found["p3", "Aug. 6"]  # one man named in the paragraph


def test_registry_settles_a_shared_surname_by_the_report():
    registry = events.ActorRegistry(forms=[{"Bill Clinton": 1}, {"Hillary Rodham Clinton": 1}])
    assert registry.canonical("Clinton", "PERSON").canonical == "Clinton"
    local = events.report_people({"Hillary Rodham Clinton": 1, "Clinton": 2})
    assert registry.canonical("Clinton", "PERSON", local).canonical == "Hillary Rodham Clinton"
    assert registry.canonical("President Bill Clinton", "PERSON").canonical == "Bill Clinton"
