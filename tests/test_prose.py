"""Plain-English counts, lists, dates and intervals of the findings (analysis/prose.py)."""
from __future__ import annotations

import pytest

from analysis import prose


@pytest.mark.parametrize("n, text", [(0, "no reports"), (1, "one report"), (5, "five reports"), (11, "11 reports"),
                                     (1204, "1,204 reports")])
def test_count(n, text):
    assert prose.count(n, "report").replace("zero", "no") == text


def test_join_and_escape():
    assert prose.join([]) == "" and prose.join(["A"]) == "A" and prose.join(["A", "B", "C"]) == "A, B and C"
    assert prose.name("*EXCLUSIVE*: [leak]") == r"*\*EXCLUSIVE\*: \[leak\]*"


@pytest.mark.parametrize("start, end, text", [
    ("2015-01-01", "2016-12-31", "2015–2016"),
    ("2015-01-01", "2015-12-31", "2015"),
    ("2018-06-01", "2018-08-31", "June–August 2018"),
    ("2018-06-01", "2018-06-30", "June 2018"),
    ("2018-11-01", "2019-02-28", "November 2018 – February 2019"),
    ("2019-12-03", "2019-12-03", "3 December 2019"),
    ("2018-12-17", "2018-12-23", "17–23 December 2018"),
    ("2018-11-17", "2018-12-23", "17 November – 23 December 2018"),
    ("", "2016-12-31", "before 31 December 2016"),
    ("2016-01-01", "", "after 1 January 2016"),
    ("", "", ""),
])
def test_interval(start, end, text):
    assert prose.interval(start, end) == text


def test_human_date_and_article():
    assert prose.human_date("2019-12-07") == "7 December 2019"
    assert prose.human_date("2019-12-07", "month") == "December 2019"
    assert prose.human_date("2019", "year") == "2019"
    assert [prose.article(n) for n in (8, 10, 11, 14, 18, 80, 800)] == ["an", "a", "an", "a", "an", "an", "an"]
