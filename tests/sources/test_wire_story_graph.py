"""The citation graph figure keeps the outlets behind the reports (issue 27 item 6).

Fixture: ``fixtures/wire_story``, 25 short invented wire reports of one story with a manifest: the agency
"Norpress" put out 9 of them and the other outlets' reports also cite it ("…, Norpress reported"), which
used to draw it among the cited sources instead of the outlets; "Associated Bulletin" 8, "Metro News
Service" 5, "Eastgate Times" 2 and "Pell Daily" 1. Reproduced by ``wire_story/manifest.csv``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.pipeline import nlp
from analysis.sources import citation_graph as cg
from analysis.sources import citations

FIXTURE = Path(__file__).parent / "fixtures" / "wire_story"
BY_REPORTS = {"Norpress": 9, "Associated Bulletin": 8, "Metro News Service": 5, "Eastgate Times": 2, "Pell Daily": 1}


@pytest.fixture(scope="module")
def graph():
    reports = load_corpus(FIXTURE).reports
    pipeline = nlp.load_nlp()
    docs = {r: pipeline(t) for r, t in zip(reports["report_id"], reports["text"])}
    return cg.build_graph(citations.extract_citations(reports, docs), reports)


def test_fixture_reproduces_the_story(graph):
    manifest = pd.read_csv(FIXTURE / "manifest.csv")
    assert len(manifest) == 25 and manifest["outlet"].value_counts().to_dict() == BY_REPORTS
    assert cg.outlet_report_counts(graph) == BY_REPORTS
    assert graph.nodes["Norpress"]["kind"] == "outlet+source"  # published 9, cited by others
    assert any(d["relation"] == "cites" for _, _, d in graph.in_edges("Norpress", data=True))


def test_every_publishing_outlet_is_in_the_outlets_column_ranked_by_reports(graph):
    pos = cg.layered_positions(graph)
    column = sorted((n for n in graph if pos[n][0] == 0.0), key=lambda n: -pos[n][1])
    assert column == list(BY_REPORTS)  # top to bottom: most reports first
    # the reports follow their outlet: Norpress's 9 on top
    reports = sorted((n for n in graph if pos[n][0] == 1.0), key=lambda n: -pos[n][1])
    assert all(graph.has_edge("Norpress", r) for r in reports[:9])


@pytest.mark.parametrize("max_nodes", [120, 40, 30, 20])
def test_drawn_subgraph_keeps_every_outlet_of_two_reports_or_more(graph, max_nodes):
    assert graph.number_of_nodes() > 40  # the cut happens at 40 nodes and below
    shown = cg.drawable_subgraph(graph, max_nodes=max_nodes)
    assert shown.number_of_nodes() <= max_nodes
    for outlet, n in BY_REPORTS.items():
        if n >= 2:
            assert outlet in shown, (max_nodes, outlet)
            assert any(d["relation"] == "published" for _, _, d in shown.out_edges(outlet, data=True))
    if shown is not graph:
        assert shown.graph["outlet_reports"]["Norpress"] == 9  # labelled with the corpus count


def test_a_tight_budget_keeps_the_top_outlets_by_reports(graph):
    shown = cg.drawable_subgraph(graph, max_nodes=12)
    kept = [o for o in BY_REPORTS if o in shown]
    assert kept == ["Norpress", "Associated Bulletin", "Metro News Service"]  # a quarter of 12
    assert shown.graph["outlets_shown"] == 3


def test_figure_labels_outlets_with_their_reports(graph, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    fig = cg.draw_graph(cg.drawable_subgraph(graph, max_nodes=40))
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"Norpress (9)", "Associated Bulletin (8)", "Eastgate Times (2)", "outlets (reports)"} <= texts
    fig.savefig(tmp_path / "graph.png")
    assert fig.get_size_inches()[1] < 12  # 25 reports stay on one readable page
