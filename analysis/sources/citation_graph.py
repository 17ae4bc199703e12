"""How claims travel: relay chains, root sources and the citation graph.

A citation with a ``via`` reached the report second-hand: report -> via ->
source ("Al-Jarida said, quoting Al-Araby Al-Jadeed"). Inside one sentence a
source that is itself quoting another ("X said, quoting Y") passes its claim
on, so X's statement there rests on Y. The *root* of a citation is the end of
that chain; a report's root sources are the distinct roots of its
citations. Two reports whose claims end at the same root are not
independent of each other.

An anonymous source ("informed sources") cannot be identified across
reports: what can be traced is the outlet that heard it. The root of a claim
resting on anonymous sources is therefore its *custodian*, typed
``anonymous``: the outlet it was revealed to or relayed by ("Libyan and
Egyptian sources have revealed to The New Arab" -> The New Arab), else the
report's original outlet, else its outlet, else ``report:<report_id>``. A
report that attributes nothing rests on its own publisher in the same way,
typed ``unattributed``. Unnamed documents ("amid reports that") are treated
like anonymous sources (custodian as root, type kept as ``document``).

The directed graph (:func:`build_graph`) has three kinds of node: reports
(``report:<id>``), outlets and sources (by canonical name; an outlet that is
also cited is one node). Edges: outlet -> report (``published``,
``original``, ``republished``), report -> source (``cites``), relayer ->
upstream source (``relays``). It is written as GraphML for Gephi.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import networkx as nx
import pandas as pd

from analysis import atomic
from analysis.sources.aliases import AliasTable, as_alias_table
from analysis.sources.publishers import UNKNOWN_OUTLET, publisher_roles

ROOT_COLUMNS = ["report_id", "root_source", "root_type"]
EDGE_COLUMNS = ["source_node", "target_node", "relation", "weight"]
UNATTRIBUTED = "unattributed"


def _roots_in_sentence(name: str, parent: str, relays: dict[str, set[str]],
                       seen: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    """(end, relayer of the end) of the chains starting at ``name`` through ``relays`` (relayer -> upstream)."""
    ups = {u for u in relays.get(name.casefold(), set()) if u.casefold() not in seen}
    if not ups:
        return {(name, parent)}
    out: set[tuple[str, str]] = set()
    for up in sorted(ups):
        out |= _roots_in_sentence(up, name, relays, seen | {name.casefold()})
    return out


def _custodians(reports: pd.DataFrame | None, aliases: AliasTable) -> dict[str, str]:
    """report_id -> the outlet answerable for its anonymous sources (original outlet, else outlet)."""
    if reports is None:
        return {}
    out = {}
    for rid, outlet, original in zip(reports["report_id"], reports["outlet"], reports["original_outlet"]):
        name = str(original or "").strip() or str(outlet or "").strip()
        out[rid] = aliases.canonical(name) if name else f"report:{rid}"
    return out


def citation_roots(citations: pd.DataFrame, reports: pd.DataFrame | None = None,
                   aliases: AliasTable | str | None = None) -> pd.DataFrame:
    """``citations`` with ``root_source`` and ``root_type`` added: where each cited claim ends.

    A citation relayed ``via`` a source ends at its own source; a source that,
    in the same sentence, relays another ("X said, quoting Y") ends at Y. An
    anonymous end is replaced by its custodian (the relaying outlet, else the
    report's original outlet or outlet from ``reports``, else
    ``report:<report_id>``), typed ``anonymous``. When a chain forks, the roots
    are joined with "; " (sorted). Row order is unchanged.
    """
    table = as_alias_table(aliases)
    custodian = _custodians(reports, table)
    out = citations.copy()
    if out.empty:
        out["root_source"] = pd.Series(dtype="object")
        out["root_type"] = pd.Series(dtype="object")
        return out
    type_of: dict[tuple[str, str], str] = {}
    for rid, name, typ in zip(out["report_id"], out["source_canonical"], out["source_type"]):
        type_of.setdefault((rid, name.casefold()), typ)
    roots, root_types = [], []
    relays_by_sentence: dict[tuple[str, int], dict[str, set[str]]] = {}
    for rid, sent, via, name in zip(out["report_id"], out["sent_start"], out["via"], out["source_canonical"]):
        if via:
            relays_by_sentence.setdefault((rid, int(sent)), {}).setdefault(via.casefold(), set()).add(name)
    for rid, sent, name, typ, via in zip(out["report_id"], out["sent_start"], out["source_canonical"],
                                         out["source_type"], out["via"]):
        relays = relays_by_sentence.get((rid, int(sent)), {})
        ends: dict[str, str] = {}
        for end, relayer in sorted(_roots_in_sentence(name, via, relays)):
            end_type = typ if end == name else type_of.get((rid, end.casefold()), "")
            # unnamed sources and unnamed documents ("reports") are only traceable to whoever heard them
            if end_type == "anonymous" or (end_type == "document" and end[:1].islower()):
                end = table.canonical(relayer) if relayer else custodian.get(rid, f"report:{rid}")
            ends.setdefault(end, end_type)
        roots.append("; ".join(ends))
        root_types.append("; ".join(ends.values()))
    out["root_source"] = roots
    out["root_type"] = root_types
    return out


def root_sources(citations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Distinct root sources of every report: ``report_id, root_source, root_type``.

    Accepts the citations table (:func:`analysis.citations.extract_citations`)
    and the corpus reports. Every report gets at least one row: a report
    without attributions rests on its own outlet (``root_type`` =
    ``"unattributed"``). Sorted by report_id, root_source.
    """
    rows: set[tuple[str, str, str]] = set()
    with_roots = citation_roots(citations, reports)
    for rid, root, rtype in zip(with_roots["report_id"], with_roots["root_source"], with_roots["root_type"]):
        for r, t in zip(root.split("; "), rtype.split("; ")):
            rows.add((rid, r, t))
    cited = {r for r, _, _ in rows}
    custodian = _custodians(reports, as_alias_table(None))
    for rid in reports["report_id"]:
        if rid not in cited:
            rows.add((rid, custodian[rid], UNATTRIBUTED))
    frame = pd.DataFrame(sorted(rows), columns=ROOT_COLUMNS)
    return frame


def shared_roots(roots: pd.DataFrame) -> pd.DataFrame:
    """Roots reached by two reports or more: ``root_source, root_types, n_reports, report_ids`` (sorted).

    ``root_types`` joins the types under which the root was reached (a custodian
    outlet can be reached as ``media`` in one report and ``anonymous`` in another).
    """
    cols = ["root_source", "root_types", "n_reports", "report_ids"]
    if roots.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_reports" else "object") for c in cols})
    grp = roots.groupby("root_source", sort=True)
    frame = pd.DataFrame({
        "root_types": grp["root_type"].agg(lambda s: ";".join(sorted(set(s)))),
        "n_reports": grp["report_id"].nunique(),
        "report_ids": grp["report_id"].agg(lambda s: ";".join(sorted(set(s)))),
    }).reset_index()
    frame = frame[frame["n_reports"] >= 2]
    return frame[cols].sort_values(["n_reports", "root_source"], ascending=[False, True],
                                   kind="mergesort").reset_index(drop=True)


def build_graph(citations: pd.DataFrame, reports: pd.DataFrame,
                aliases: AliasTable | str | None = None) -> nx.DiGraph:
    """The directed citation graph of a corpus (see the module docstring for nodes and edges).

    Node attributes: ``kind`` (report/outlet/source/outlet+source), ``label``,
    ``source_type``. Edge attributes: ``relation`` and ``weight`` (number of
    citations or reports behind the edge). Nodes and edges are added in
    sorted order so the GraphML file is identical across runs.
    """
    table = as_alias_table(aliases)
    nodes: dict[str, dict[str, str]] = {}
    edges: dict[tuple[str, str, str], int] = {}

    def add_node(node: str, kind: str, label: str, source_type: str = "") -> None:
        attrs = nodes.setdefault(node, {"kind": kind, "label": label, "source_type": source_type})
        if attrs["kind"] != kind and "report" not in (kind, attrs["kind"]):
            attrs["kind"] = "outlet+source"
        if source_type and not attrs["source_type"]:
            attrs["source_type"] = source_type

    def add_edge(a: str, b: str, relation: str) -> None:
        if a != b:
            edges[(a, b, relation)] = edges.get((a, b, relation), 0) + 1

    titles = dict(zip(reports["report_id"], reports["title"])) if "title" in reports else {}
    own_outlet: dict[str, str] = {}
    for row in publisher_roles(reports, table).itertuples(index=False):
        rnode = f"report:{row.report_id}"
        add_node(rnode, "report", titles.get(row.report_id, "") or row.report_id)
        if row.outlet == UNKNOWN_OUTLET:
            continue
        add_node(row.outlet_canonical, "outlet", row.outlet_canonical, "media")
        relation = {"publisher": "published", "republisher": "republished", "original": "original"}[row.role]
        add_edge(row.outlet_canonical, rnode, relation)
        if row.role in ("publisher", "republisher"):
            own_outlet[row.report_id] = row.outlet_canonical.casefold()
    for row in citations.itertuples(index=False):
        rnode = f"report:{row.report_id}"
        add_node(row.source_canonical, "source", row.source_canonical, row.source_type)
        via = row.via
        if via and via.casefold() != own_outlet.get(row.report_id):
            hit = table.lookup(via)
            add_node(via, "source", via, hit.type if hit else "media")
            add_edge(rnode, via, "cites")
            add_edge(via, row.source_canonical, "relays")
        else:
            add_edge(rnode, row.source_canonical, "cites")
    graph = nx.DiGraph()
    for node in sorted(nodes):
        graph.add_node(node, **nodes[node])
    for (a, b, relation) in sorted(edges):
        graph.add_edge(a, b, relation=relation, weight=edges[(a, b, relation)])
    return graph


def graph_edges(graph: nx.DiGraph) -> pd.DataFrame:
    """The graph's edges as a table: ``source_node, target_node, relation, weight`` (sorted)."""
    rows = [(a, b, d["relation"], int(d["weight"])) for a, b, d in graph.edges(data=True)]
    return pd.DataFrame(sorted(rows), columns=EDGE_COLUMNS)


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike) -> Path:
    """Write ``graph`` as GraphML (for Gephi, yEd, Cytoscape) atomically; returns the path."""
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return atomic.write_bytes(path, buffer.getvalue())


#: edges from an outlet to a report it put out
PUBLISH_RELATIONS = ("published", "republished", "original")


def outlet_report_counts(graph: nx.DiGraph) -> dict[str, int]:
    """Outlet node -> number of reports it published, republished or first published (its publish edges)."""
    counts: dict[str, int] = {}
    for a, _, d in graph.edges(data=True):
        if d.get("relation") in PUBLISH_RELATIONS:
            counts[a] = counts.get(a, 0) + 1
    return counts


def layered_positions(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Columns left to right: outlets, reports, cited sources, upstream sources (one column per relay step).

    Every outlet that published a report stands in the outlets column, even when reports also cite it
    (a news agency is both), ranked by its number of reports (most first; in the full graph when this is a
    :func:`drawable_subgraph`); reports follow the rank of their outlet, then their id; the other columns are
    ordered by the mean height of their neighbours in the previous column, so chains read left to right
    with few crossings. Deterministic.
    """
    depth: dict[str, int] = {}
    counts = outlet_report_counts(graph)
    whole = graph.graph.get("outlet_reports") or counts  # reports in the full graph when this is a part of it
    rank = {o: i for i, o in enumerate(sorted(counts, key=lambda o: (-whole.get(o, counts[o]), o)))}

    def outlet_rank(report: str) -> int:
        ranks = [rank[a] for a, _, d in graph.in_edges(report, data=True) if d.get("relation") in PUBLISH_RELATIONS]
        return min(ranks, default=len(rank))

    reports = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == "report"), key=lambda r: (outlet_rank(r), r))
    for r in reports:
        depth[r] = 1
    frontier = list(reports)
    while frontier:  # longest relay distance from a report, ignoring cycles
        nxt = []
        for node in frontier:
            for succ in sorted(graph.successors(node)):
                if graph.nodes[succ]["kind"] == "report":
                    continue
                d = depth[node] + 1
                if d > depth.get(succ, 0) and d <= graph.number_of_nodes() + 1:
                    depth[succ] = d
                    nxt.append(succ)
        frontier = nxt
    for node in graph.nodes:
        depth.setdefault(node, 0)  # outlets that only publish
    for node in counts:
        depth[node] = 0  # a publisher that is also cited keeps its place among the outlets
    columns: dict[int, list[str]] = {}
    for node, d in depth.items():
        columns.setdefault(d, []).append(node)
    y: dict[str, float] = {r: float(i) for i, r in enumerate(reports)}

    def place(col: list[str], neighbours) -> None:
        keyed = []
        for node in col:
            ys = [y[m] for m in neighbours(node) if m in y]
            keyed.append((sum(ys) / len(ys) if ys else float("inf"), node))
        for i, (_, node) in enumerate(sorted(keyed)):
            y[node] = float(i)

    if 0 in columns:  # outlets in the order of their reports: most reports first
        for i, node in enumerate(sorted(columns[0], key=lambda n: (rank.get(n, len(rank)), n))):
            y[node] = float(i)
    for d in sorted(k for k in columns if k >= 2):
        place(columns[d], graph.predecessors)
    pos = {}
    for d, col in columns.items():
        n = len(col)
        for node in col:
            pos[node] = (float(d), 1.0 - (y[node] + 0.5) / n if n else 0.5)
    return pos


def drawable_subgraph(graph: nx.DiGraph, max_nodes: int = 120, max_outlets: int | None = None) -> nx.DiGraph:
    """The graph itself if it has at most ``max_nodes`` nodes, else a part a person can read.

    The part keeps the outlets that published reports first, ranked by the number of reports they put out
    (ties by name; at most ``max_outlets``, by default a quarter of ``max_nodes``), each with its most
    connected report, so that no outlet behind many reports goes missing; the remaining places go to the
    most connected nodes (total weight of their edges, ties by name). Edges among the kept nodes are kept
    and isolated nodes dropped. ``graph.graph["shown_of"]`` records the full graph's size,
    ``["outlets_shown"]`` the number of outlets kept and ``["outlet_reports"]`` their reports in the full graph
    (what the figure labels them with); the full graph stays in the GraphML.
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph
    strength = {n: sum(d.get("weight", 1) for _, _, d in graph.in_edges(n, data=True))
                + sum(d.get("weight", 1) for _, _, d in graph.out_edges(n, data=True)) for n in graph}
    counts = outlet_report_counts(graph)
    cap = max(1, max_nodes // 4) if max_outlets is None else max_outlets
    outlets = sorted(counts, key=lambda o: (-counts[o], o))[:min(cap, max_nodes // 2)]
    keep: dict[str, None] = dict.fromkeys(outlets)
    for outlet in outlets:
        published = [b for _, b, d in graph.out_edges(outlet, data=True) if d.get("relation") in PUBLISH_RELATIONS]
        if not any(r in keep for r in published):
            keep[min(published, key=lambda r: (-strength[r], r))] = None
    for node in sorted(graph, key=lambda n: (-strength[n], n)):
        if len(keep) >= max_nodes:
            break
        keep.setdefault(node, None)
    sub = graph.subgraph(keep).copy()
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    sub.graph["shown_of"] = graph.number_of_nodes()
    sub.graph["outlets_shown"] = len([o for o in outlets if o in sub])
    sub.graph["outlet_reports"] = {o: counts[o] for o in sorted(counts) if o in sub}
    return sub


def draw_graph(graph: nx.DiGraph, ax=None, max_label: int = 32):
    """Draw the citation graph in columns (outlets, reports, sources, upstream sources); returns the figure.

    Reports are grey squares, outlets and sources circles coloured by source type.
    Pass large graphs through :func:`drawable_subgraph` first.
    """
    import matplotlib.pyplot as plt

    from analysis.figures import SOURCE_TYPE_COLORS, apply_style

    apply_style()
    pos = layered_positions(graph)
    tallest = max([sum(1 for p in pos.values() if p[0] == x) for x in {p[0] for p in pos.values()}] or [1])
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, max(3.5, 0.24 * tallest + 1.5)))
    else:
        fig = ax.figure
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no reports", ha="center", va="center")
        return fig
    reports = [n for n, d in graph.nodes(data=True) if d["kind"] == "report"]
    others = [n for n, d in graph.nodes(data=True) if d["kind"] != "report"]
    relation_style = {"cites": "solid", "relays": "dashed", "published": "dotted", "republished": "dotted",
                      "original": "dotted"}
    for relation, style in relation_style.items():
        elist = [(a, b) for a, b, d in graph.edges(data=True) if d["relation"] == relation]
        if elist:
            nx.draw_networkx_edges(graph, pos, edgelist=elist, ax=ax, style=style, edge_color="#777777",
                                   arrows=True, arrowsize=8, width=0.8, node_size=120)
    nx.draw_networkx_nodes(graph, pos, nodelist=reports, node_shape="s", node_color="#bbbbbb", node_size=140, ax=ax)
    colours = [SOURCE_TYPE_COLORS.get(graph.nodes[n]["source_type"], "#7f7f7f") for n in others]
    nx.draw_networkx_nodes(graph, pos, nodelist=others, node_color=colours, node_size=110, ax=ax)
    # reports per outlet in the whole corpus graph, not only among the reports drawn
    counts = graph.graph.get("outlet_reports") or outlet_report_counts(graph)
    for n, d in graph.nodes(data=True):
        text = d["label"] or n[len("report:"):] if d["kind"] == "report" else d["label"]
        text = text if len(text) <= max_label else text[:max_label - 1] + "…"
        x, yv = pos[n]
        if x == 0.0:  # outlets: name and reports on the left, clear of the edges leaving them to the right
            text += f" ({counts[n]})" if n in counts else ""
            ax.text(x - 0.06, yv, text, fontsize=6.5, va="center", ha="right")
        else:
            # over the edges (zorder 1), under the nodes (2) a long label reaches
            ax.text(x + 0.06, yv, text, fontsize=6.5, va="center", ha="left", zorder=1.5,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.3})
    xs = sorted({p[0] for p in pos.values()})
    names = {0.0: "outlets (reports)", 1.0: "reports", 2.0: "cited sources"}
    for x in xs:
        ax.text(x, 1.03, names.get(x, f"upstream ({int(x) - 2})"), ha="center", fontsize=8, fontweight="bold")
    ax.set_xlim(min(xs) - (0.75 if 0.0 in xs else 0.1), max(xs) + 0.9)
    ax.set_ylim(-0.03, 1.07)
    handles = [plt.Line2D([], [], marker="s", ls="", color="#bbbbbb", label="report")]
    types = sorted({graph.nodes[n]["source_type"] for n in others})
    handles += [plt.Line2D([], [], marker="o", ls="", color=SOURCE_TYPE_COLORS.get(t, "#7f7f7f"), label=t or "other")
                for t in types]
    handles += [plt.Line2D([], [], ls=s, color="#777777", label=r) for r, s in
                [("cites", "solid"), ("relays", "dashed"), ("publishes", "dotted")]]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    title = "Citation graph: outlets publish reports, reports cite sources, sources relay sources"
    if graph.graph.get("shown_of"):
        title += (f"\n({graph.number_of_nodes()} of {graph.graph['shown_of']:,} nodes: the outlets with most reports"
                  f" and the most connected nodes; all in the GraphML file)")
    ax.set_title(title, pad=18)
    return fig
