"""Canonical names of people and pronouns (issue 27): two first names never join; he/she resolved only
when the text leaves one candidate; lawyers and family spokesmen are persons, not officials."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline import nlp
from analysis.sources import attribution
from analysis.sources.person_names import PersonIndex, distinct_people, given_key, name_words, same_person, surname_key

FIXTURES = Path(__file__).parent / "fixtures"
CASES = pd.read_csv(FIXTURES / "person_cases.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def parse():
    pipeline = nlp.load_nlp()
    return lambda text: pipeline(text)


@pytest.mark.parametrize("case", CASES.to_dict("records"), ids=list(CASES["case"]))
def test_person_canonical_and_type(case, parse):
    found = attribution.extract_from_doc(parse(case["text"]))
    hits = [a for a in found if a.source == case["source"]]
    assert hits, f"{case['case']}: no attribution of {case['source']!r} in {[a.source for a in found]}"
    assert (hits[-1].canonical, hits[-1].type) == (case["source_canonical"], case["source_type"]), case["case"]


def test_name_parts():
    assert name_words("President Bill Clinton's") == ["Bill", "Clinton"]
    assert (surname_key("Elián González"), given_key("Elián González")) == ("gonzalez", "elian")
    assert given_key("Mr. Gingrich") == "" and name_words("Martin Luther King Jr.") == ["Martin", "Luther", "King"]


def test_same_person_never_joins_two_first_names():
    assert same_person("Bill Clinton", "Clinton") and same_person("Hillary Clinton", "Hillary Rodham Clinton")
    assert not same_person("Bill Clinton", "Hillary Rodham Clinton")
    assert not same_person("Elián González", "Juan Miguel González")
    assert distinct_people(["Newt Gingrich", "Gingrich", "Marianne Gingrich"]) == ["Newt Gingrich", "Marianne Gingrich"]


def test_person_index():
    index = PersonIndex({"Bill Clinton": 3, "Hillary Rodham Clinton": 2, "Hillary Clinton": 1, "Khalifa Haftar": 2,
                         "Haftar": 5, "Khalifa Belqasim Haftar": 1})
    assert index.resolve("President Bill Clinton") == "Bill Clinton"
    assert index.resolve("Hillary Clinton") == "Hillary Rodham Clinton"
    assert index.resolve("Clinton") is None  # two people bear it
    assert index.resolve("Haftar") == "Khalifa Belqasim Haftar"  # one person bears it
    assert index.resolve("B. Clinton") == "Bill Clinton"  # an initial fitting one first name only
    assert index.resolve("Chelsea Clinton") is None and index.resolve("Nobody") is None


def test_honorific_of_the_other_gender_does_not_join():
    index = PersonIndex({"Mr. Newt Gingrich": 1})
    assert index.resolve("Mr. Gingrich") == "Newt Gingrich" and index.resolve("Gingrich") == "Newt Gingrich"
    assert index.resolve("Mrs. Gingrich") is None
