"""Relay chains, root sources, publishers and the citation graph (issue 3)."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import networkx as nx
import pandas as pd

from analysis.sources import citation_graph as cg, publishers
from analysis.sources import citations

matplotlib.use("Agg")
FIXTURES = Path(__file__).parent / "fixtures"


def reports() -> pd.DataFrame:
    relay = (FIXTURES / "relay_report.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    quiet = (FIXTURES / "no_attribution.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    return pd.DataFrame([
        {"report_id": "r1", "title": "relay", "outlet": "Global Research", "original_outlet": "MintPress News",
         "text": relay},
        {"report_id": "r2", "title": "quiet", "outlet": "", "original_outlet": "", "text": quiet},
        {"report_id": "r3", "title": "copy", "outlet": "The New Arab", "original_outlet": "",
         "text": "Libyan sources revealed to The New Arab that the training took place in August."},
    ])


def citation_row(rid, source, typ, via="", sent=0):
    return {"report_id": rid, "source": source, "source_canonical": source, "source_type": typ, "cue": "said",
            "via": via, "sentence": "", "start_char": 0, "end_char": 1, "sent_start": sent, "sent_end": 9}


def test_relay_chain_ends_upstream_within_a_sentence():
    table = pd.DataFrame([
        citation_row("r", "A", "media"),             # A said, quoting B, who cited C
        citation_row("r", "B", "media", via="A"),
        citation_row("r", "C", "official", via="B"),
        citation_row("r", "A", "media", sent=20),    # A again, in another sentence: its own claim
    ])
    roots = cg.citation_roots(table)
    assert list(roots["root_source"]) == ["C", "C", "C", "A"]
    assert list(roots["root_type"]) == ["official", "official", "official", "media"]


def test_anonymous_roots_are_their_custodians():
    table = citations.extract_citations(reports())
    roots = cg.root_sources(table, reports())
    r3 = roots[roots.report_id == "r3"]
    assert list(r3.itertuples(index=False, name=None)) == [("r3", "The New Arab", "anonymous")]
    r1 = set(roots[roots.report_id == "r1"]["root_source"])
    # Al-Jarida quoted Al-Araby Al-Jadeed (The New Arab's Arabic service): the chain ends there
    assert {"The New Arab", "Amnesty International"} <= r1
    # a report citing nobody rests on itself
    assert list(roots[roots.report_id == "r2"]["root_type"]) == ["unattributed"]
    shared = cg.shared_roots(roots)
    assert shared.loc[0, "root_source"] == "The New Arab" and shared.loc[0, "report_ids"] == "r1;r3"


def test_root_sources_of_a_corpus_without_citations():
    empty = citations.extract_citations(reports().iloc[[1]])
    roots = cg.root_sources(empty, reports().iloc[[1]])
    assert list(roots.itertuples(index=False, name=None)) == [("r2", "report:r2", "unattributed")]
    assert cg.shared_roots(roots).empty


def test_graph_nodes_edges_and_graphml(tmp_path):
    table = citations.extract_citations(reports())
    graph = cg.build_graph(table, reports())
    assert graph.nodes["report:r1"]["kind"] == "report"
    assert graph.edges["MintPress News", "report:r1"]["relation"] == "original"
    assert graph.edges["Global Research", "report:r1"]["relation"] == "republished"
    assert graph.edges["report:r1", "Al-Jarida"]["relation"] == "cites"
    assert graph.edges["Al-Jarida", "The New Arab"]["relation"] == "relays"
    # r3's sources were revealed to its own outlet: no self-relay
    assert graph.has_edge("report:r3", "Libyan sources")
    assert graph.nodes["The New Arab"]["kind"] == "outlet+source"
    path = cg.write_graphml(graph, tmp_path / "g.graphml")
    again = nx.read_graphml(path)
    assert sorted(again.nodes) == sorted(graph.nodes) and again.number_of_edges() == graph.number_of_edges()
    first = path.read_bytes()
    cg.write_graphml(cg.build_graph(table, reports()), path)
    assert path.read_bytes() == first
    fig = cg.draw_graph(graph)
    assert fig.axes


def test_publishers_count_original_and_republisher_roles():
    table = publishers.publishers(reports())
    rows = {r.outlet: r for r in table.itertuples()}
    assert (rows["MintPress News"].n_original, rows["MintPress News"].n_republished) == (1, 0)
    assert (rows["Global Research"].n_republished, rows["Global Research"].n_original) == (1, 0)
    assert rows["The New Arab"].n_published == 1
    assert rows[publishers.UNKNOWN_OUTLET].report_ids == "r2"
    assert list(table.columns) == publishers.PUBLISHER_COLUMNS
    assert publishers.publishers(reports().iloc[0:0]).empty


def test_large_graphs_are_drawn_as_their_most_connected_part():
    import networkx as nx

    from analysis.sources.citation_graph import drawable_subgraph

    graph = nx.DiGraph()
    for i in range(400):
        graph.add_node(f"report:r{i}", kind="report", label=f"r{i}", source_type="")
        graph.add_edge(f"report:r{i}", "Hub", relation="cites", weight=1)
        graph.add_edge(f"report:r{i}", f"src{i}", relation="cites", weight=1)
    graph.nodes["Hub"].update(kind="source", label="Hub", source_type="media")
    shown = drawable_subgraph(graph, max_nodes=50)
    assert 1 < shown.number_of_nodes() <= 50 and "Hub" in shown
    assert shown.graph["shown_of"] == graph.number_of_nodes()
    assert drawable_subgraph(shown, max_nodes=50) is shown
