"""What shared passages are: quotation of a third party, the reports' own prose, common wording (issue 27, item 7)."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.similarity import report_similarity as rs, shared_wording as sw

matplotlib.use("Agg")

FIXTURES = Path(__file__).parent / "fixtures" / "wording"
#: Invented outlets: w01 and w03 are one outlet's reports of two stories (its house formula for the port),
#: w01 and w02 two outlets' reports of one strike, quoting the same union leader.
OUTLETS = {"w01_strike_union": "Harbour Herald", "w02_strike_envoys": "Coast Daily", "w03_cranes": "Harbour Herald",
           "w04_shipping_lines": "Desert Wire", "w05_football": "Desert Wire", "w06_bread": "Coast Daily",
           "w07_elections": "harbour  herald"}  # spelled otherwise: the same outlet
#: The stock phrase is in four reports of three outlets: stock once four reports make it common.
SETTINGS = rs.SimilaritySettings(analyzer="regex", stock_min_reports=4)


def wording_reports(names: list[str] | None = None) -> pd.DataFrame:
    rows = []
    for path in sorted(FIXTURES.glob("*.txt")):
        if names is not None and path.stem not in names:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        rows.append({"report_id": path.stem, "title": lines[0], "outlet": OUTLETS[path.stem],
                     "text": "\n".join(lines[1:]).strip()})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def comparison() -> rs.Comparison:
    return rs.compare_reports(wording_reports(), SETTINGS)


def pair(comparison: rs.Comparison, a: str, b: str) -> tuple[pd.Series, pd.DataFrame]:
    rows = comparison.pairs[(comparison.pairs["report_a"] == a) & (comparison.pairs["report_b"] == b)]
    assert len(rows) == 1
    shared = comparison.passages
    return rows.iloc[0], shared[(shared["report_a"] == a) & (shared["report_b"] == b)]


# ---------------------------------------------------------------- quotation marks


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in sw.quotation_spans(text)]


def test_curly_and_straight_quotations_are_found_and_apostrophes_are_not():
    text = "He said: “We will win.” She said \"we won't\" and the dockworkers’ union's 'own' view."
    assert quoted(text) == ["“We will win.”", "\"we won't\"", "'own'"]


def test_a_quotation_runs_over_sentences_until_its_closing_mark():
    text = "“We have waited four months. We will not unload a ship,” he said. Then he left."
    spans = sw.quotation_spans(text)
    assert quoted(text) == ["“We have waited four months. We will not unload a ship,”"]
    inside = text.index("We will not")  # a sentence whose quotation opened in the sentence before
    assert spans[0, 0] < inside < spans[0, 1]


def test_a_quotation_reopened_at_each_paragraph_goes_on_and_an_unclosed_one_stops_at_the_paragraph():
    text = "“The government promised twice.\n\n“This time we want the money,” he added.\n\n\"Unclosed at the end\nNext line."
    assert quoted(text) == ["“The government promised twice.\n\n“This time we want the money,”", "\"Unclosed at the end"]
    # reopened, then never closed: it ends with the paragraph that reopened it
    assert quoted("“One.\n\n“Two.\nThree.") == ["“One.\n\n“Two."]


def test_attributed_speech_content_and_frames():
    def spans(text):
        content, frames = sw.attribution_spans(text)
        return [text[a:b] for a, b in content], [text[a:b] for a, b in frames]

    assert spans("The minister said on Monday that the port would reopen.") == (
        ["the port would reopen."], ["The minister said on Monday that "])
    assert spans("The port will reopen next week, officials said on Tuesday.") == (
        ["The port will reopen next week"], [", officials said on Tuesday."])
    assert spans("According to the ministry, the port will reopen.")[0] == ["the port will reopen."]
    assert spans("“It is over,” Senator Ali Salem of Misrata, the majority leader, said in a statement.")[1] == [
        "” Senator Ali Salem of Misrata, the majority leader, said in a statement."]
    # a reporting verb followed by a place or time is no reported speech; nor a "that" after the trailing verb
    assert spans("Ms. Pelosi said at a news conference with the leader.") == ([], [])
    assert spans("The port is closed, the director told reporters that it would reopen soon.")[0] == []


# ---------------------------------------------------------------- stock wording, from document frequency


def test_stock_ngrams_are_common_across_reports_and_outlets():
    texts = [f"Report {i} on topic {i}: an official spoke on condition of anonymity about it." for i in range(6)]
    settings = sw.WordingSettings(stock_min_reports=4, stock_min_share=0.0)
    phrase = sw._Words("spoke on condition of anonymity").ngrams(4)
    found = sw.stock_ngrams(texts, settings, ["A", "B", "A", "B", "A", "B"])
    assert np.isin(phrase, found).all()
    assert not np.isin(sw._Words("report 1 on topic").ngrams(4), found).any()  # in one report only
    # one outlet's formula in every report is its house style, not stock; fewer reports than the threshold: none
    assert not np.isin(phrase, sw.stock_ngrams(texts, settings, ["A"] * 6)).any()
    assert len(sw.stock_ngrams(texts[:3], settings)) == 0
    # counted on a sample of evenly spaced reports, the threshold scaled to it: the same n-grams here
    sampled = sw.stock_ngrams(texts, sw.WordingSettings(stock_min_reports=4, stock_min_share=0.0, stock_sample_reports=3))
    assert np.isin(phrase, sampled).all()


# ---------------------------------------------------------------- the pairs


def test_two_outlets_quoting_the_same_speaker_share_a_quotation_not_prose(comparison):
    row, shared = pair(comparison, "w01_strike_union", "w02_strike_envoys")
    assert row["shared_quotation"] and not row["shared_prose"] and not row["near_duplicate"]
    assert row["same_outlet"] is False or row["same_outlet"] == False  # noqa: E712 (pandas boolean)
    assert set(shared["kind"]) == {"quotation"} and len(shared) == 2
    texts = " ".join(shared["sentence_a"])
    # curly marks in w01, straight in w02; the first sits in the second sentence of a quotation opened before it,
    # the second in a quotation reopened at a new paragraph
    assert "We will not unload a single ship" in texts and "This time we want the money" in texts
    assert not shared["sentence_a"].str.startswith("“We will not").any()


def test_one_outlets_own_formula_in_two_stories_is_shared_prose_of_one_outlet(comparison):
    row, shared = pair(comparison, "w01_strike_union", "w03_cranes")
    assert row["shared_prose"] and not row["shared_quotation"] and row["same_outlet"] == True  # noqa: E712
    assert shared["kind"].tolist() == ["prose"]
    assert "largest commercial port in western Libya" in shared["sentence_a"].iloc[0]


def test_a_sentence_copied_by_another_outlet_is_shared_prose_of_two_outlets(comparison):
    row, shared = pair(comparison, "w03_cranes", "w04_shipping_lines")
    assert row["shared_prose"] and row["same_outlet"] == False  # noqa: E712
    assert shared["kind"].tolist() == ["prose"] and shared["match"].tolist() == ["verbatim"]


def test_a_stock_phrase_does_not_count_as_shared_prose(comparison):
    row, shared = pair(comparison, "w05_football", "w06_bread")
    assert shared["kind"].tolist() == ["common"] and "on condition of anonymity" in shared["sentence_a"].iloc[0]
    assert row["shared_passages"] == 1 and not row["shared_prose"] and not row["shared_quotation"]
    # the same phrase in only these two reports is no longer common: then it is their shared prose
    two = rs.compare_reports(wording_reports(["w05_football", "w06_bread"]), SETTINGS)
    assert two.passages["kind"].tolist() == ["prose"] and two.pairs["shared_prose"].tolist() == [True]


def test_outlets_compare_ignoring_case_and_spacing_and_unknown_outlets_are_missing(comparison):
    assert pair(comparison, "w03_cranes", "w07_elections")[0]["same_outlet"] == True  # noqa: E712
    flags = sw.pair_flags(pd.DataFrame({"report_a": ["a"], "report_b": ["b"], "near_duplicate": [False]}),
                          pd.DataFrame(columns=["report_a", "report_b", "kind"]), {"a": "Herald", "b": ""})
    assert pd.isna(flags["same_outlet"].iloc[0]) and not flags["shared_prose"].iloc[0]


def test_attributed_speech_is_a_quotation_unless_the_attribution_is_copied_too():
    reports = pd.DataFrame({
        "report_id": ["a", "b", "c", "d"], "outlet": ["One", "Two", "Three", "Four"], "title": ["t"] * 4,
        "text": ["Police said the gunman opened fire on worshippers outside the old mosque at dawn.",
                 "Police said the gunman opened fire on worshippers outside the old mosque at dawn.",
                 "The gunman opened fire on worshippers outside the old mosque at dawn, a police spokesman told us.",
                 "According to the interior ministry, the gunman opened fire on worshippers outside the old mosque."]})
    comparison = rs.compare_reports(reports, rs.SimilaritySettings(analyzer="regex"))
    kinds = {(r.report_a, r.report_b): r.kind for r in comparison.passages.itertuples()}
    assert kinds[("a", "b")] == "prose"  # the whole sentence copied, "Police said" and all: the reporter's words
    assert kinds[("c", "d")] == "quotation"  # each attributes the same words in its own way


def kinds_of(*texts: str) -> dict[tuple[str, str], str]:
    reports = pd.DataFrame({"report_id": [chr(97 + i) for i in range(len(texts))], "title": ["t"] * len(texts),
                            "outlet": [f"Outlet {i}" for i in range(len(texts))], "text": list(texts)})
    comparison = rs.compare_reports(reports, rs.SimilaritySettings(analyzer="regex"))
    return {(r.report_a, r.report_b): r.kind for r in comparison.passages.itertuples()}


def test_names_and_titles_alone_are_common_wording_not_prose():
    kinds = kinds_of("The brothers appeared before U.S. District Judge Robert L. Wilkins in Washington on Monday.",
                     "Lawyers for the company argued before U.S. District Judge Robert L. Wilkins in Washington last year.")
    assert kinds == {("a", "b"): "common"}


def test_words_one_report_quotes_and_the_other_prints_as_a_block_are_a_quotation():
    kinds = kinds_of('She wrote: "Act like being in the White House matters to you, and dress like you deserve respect."',
                     "Read the letter:\n\nAct like being in the White House matters to you, and dress like you deserve respect.")
    assert kinds == {("a", "b"): "quotation"}


def test_reports_flagged_together_or_one_at_a_time_give_the_same_kinds(comparison, monkeypatch):
    texts = dict(zip(wording_reports()["report_id"], wording_reports()["text"]))
    stock = sw.stock_ngrams(list(texts.values()), SETTINGS.wording(), [OUTLETS[r] for r in texts])
    together = sw.passage_kinds(comparison.passages, texts, stock, SETTINGS.wording())
    assert together.tolist() == comparison.passages["kind"].tolist()
    monkeypatch.setattr(sw, "CHUNK_REPORTS", 1)
    assert sw.passage_kinds(comparison.passages, texts, stock, SETTINGS.wording()).tolist() == together.tolist()


def test_passage_kinds_of_no_passages_and_the_columns_written(comparison, tmp_path):
    assert sw.passage_kinds(comparison.passages.iloc[:0], {}, np.empty(0, np.uint64)).empty
    assert list(comparison.passages.columns) == rs.SHARED_COLUMNS
    assert set(comparison.passages["kind"]) <= set(sw.PASSAGE_KINDS)
    assert list(comparison.pairs.columns) == rs.SIMILARITY_COLUMNS
    summary = comparison.summary().iloc[0]
    assert summary["shared_prose_same_outlet"] >= 1 and summary["shared_quotation_only"] >= 1


def test_longest_true_run_of_each_segment():
    mask = np.array([1, 1, 0, 1, 1, 1, 0, 0, 1], dtype=bool)
    assert sw._longest_true(mask, np.array([0, 2, 2, 6, 9])).tolist() == [2, 0, 3, 1]
    assert sw._longest_true(np.zeros(0, dtype=bool), np.array([0, 0])).tolist() == [0]


# ---------------------------------------------------------------- the heatmap's labels


@pytest.mark.parametrize("n", [2, 12, 40])
def test_heatmap_labels_are_whole_and_inside_the_figure(n):
    from analysis.similarity import similarity_figures

    rng = np.random.default_rng(n)
    words = [f"w{i}" for i in range(200)]
    reports = pd.DataFrame({
        "report_id": [f"r{i:02d}" for i in range(n)],
        "outlet": ["Agence France-Presse International Wire Service"] * n,
        "title": [f"Officials say talks on the disputed port of Misrata resume {i}" for i in range(n)],
        "text": [" ".join(rng.choice(words, 60)) + "." for _ in range(n)]})
    comparison = rs.compare_reports(reports, rs.SimilaritySettings(analyzer="regex"))
    fig, _ = similarity_figures.similarity_heatmap(comparison)
    fig.canvas.draw()
    heat = fig.axes[1]
    figure_box = fig.bbox
    for ticks in (heat.get_xticklabels(), heat.get_yticklabels()):
        assert sorted(t.get_text() for t in ticks) == sorted(comparison.labels.values())  # whole labels, both axes
        for tick in ticks:
            box = tick.get_window_extent()
            assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1
            assert box.y0 >= figure_box.y0 - 1 and box.y1 <= figure_box.y1 + 1
    import matplotlib.pyplot as plt

    plt.close("all")
