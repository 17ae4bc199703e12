"""Figures of notebook 02: the clustered similarity heatmap and the terms behind the top pairs."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from analysis import figures
from analysis.labels import shorten as short_title
from analysis.similarity.report_similarity import Comparison


def heatmap_reports(comparison: Comparison, max_reports: int = 40) -> list[str]:
    """Reports to show in the heatmap: all of them, or on large corpora those of the most similar pairs.

    Walks the pairs table from the highest cosine and takes both reports of each
    pair until ``max_reports`` are chosen. Returns sorted report ids.
    """
    ids = comparison.vectors.report_ids
    if len(ids) <= max_reports:
        return sorted(ids)
    chosen: list[str] = []
    for a, b in zip(comparison.pairs["report_a"], comparison.pairs["report_b"]):
        for rid in (a, b):
            if rid not in chosen and len(chosen) < max_reports:
                chosen.append(rid)
        if len(chosen) >= max_reports:
            break
    return sorted(chosen)


def clustered_order(sims: np.ndarray) -> tuple[list[int], np.ndarray | None]:
    """Leaf order of average-linkage clustering on cosine distance, and the linkage matrix.

    Accepts a square cosine matrix; returns ``(order, linkage)``, with ``linkage``
    ``None`` when there are fewer than two reports.
    """
    n = sims.shape[0]
    if n < 2:
        return list(range(n)), None
    dist = np.clip(1.0 - sims, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    link = hierarchy.linkage(squareform(dist, checks=False), method="average", optimal_ordering=n > 2)
    return [int(i) for i in hierarchy.leaves_list(link)], link


def _text_width(text: str, fontsize: float) -> float:
    """Width in inches of ``text`` drawn in the figure style's font at ``fontsize`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(size=fontsize), ismath=False)
    return width / 72


def similarity_heatmap(comparison: Comparison, max_reports: int = 40) -> tuple[plt.Figure, pd.DataFrame]:
    """Heatmap of pairwise cosine, rows and columns ordered by clustering, dendrogram on top.

    Labels are "outlet — short title", whole on both axes at any number of
    reports (the figure grows with the longest). Returns the figure and the plotted table
    (``row, col, report_a, report_b, label_a, label_b, cosine``, long form).
    Needs at least two reports.
    """
    figures.apply_style()
    ids = heatmap_reports(comparison, max_reports)
    assert len(ids) >= 2, "a heatmap needs at least two reports"
    vectors = comparison.vectors
    rows = [vectors.row(r) for r in ids]
    sub = vectors.matrix[rows]
    sims = np.clip((sub @ sub.T).toarray(), 0.0, 1.0)
    order, link = clustered_order(sims)
    ordered_ids = [ids[i] for i in order]
    sims = sims[np.ix_(order, order)]
    labels = [comparison.labels.get(r, r) for r in ordered_ids]
    n = len(ids)

    # Every label is drawn whole, on both axes: the figure is sized from the measured width of the longest
    # label (the column labels stand on end below the map), and constrained layout keeps them inside it.
    fontsize = 8 if n <= 20 else 6 if n <= 40 else 5
    cell = max(0.42 if n <= 12 else 6.0 / n, 1.5 * fontsize / 72)  # inches: a row is never lower than its label
    side = max(2.5, cell * n)
    label_width = max(_text_width(label, fontsize) for label in labels)
    dendro_height = 1.0
    fig = plt.figure(figsize=(side + label_width + 1.2, side + label_width + dendro_height + 0.8), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=[dendro_height, side], width_ratios=[side, 0.25])
    ax_dendro = fig.add_subplot(grid[0, 0])
    ax_heat = fig.add_subplot(grid[1, 0])
    ax_bar = fig.add_subplot(grid[1, 1])
    hierarchy.dendrogram(link, ax=ax_dendro, no_labels=True, color_threshold=0, above_threshold_color="#555555")
    ax_dendro.set_axis_off()
    ax_dendro.set_title("Cosine similarity of TF-IDF vectors, reports ordered by clustering")
    image = ax_heat.imshow(sims, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    ax_heat.set_xticks(range(n))
    ax_heat.set_yticks(range(n))
    ax_heat.set_xticklabels(labels, rotation=90, fontsize=fontsize)
    ax_heat.set_yticklabels(labels, fontsize=fontsize)
    if n <= 12:
        for i in range(n):
            for j in range(n):
                ax_heat.text(j, i, f"{sims[i, j]:.2f}", ha="center", va="center", fontsize=7,
                             color="black" if sims[i, j] > 0.6 else "white")
    fig.colorbar(image, cax=ax_bar, label="cosine")
    ii, jj = np.meshgrid(range(n), range(n), indexing="ij")
    data = pd.DataFrame(
        {
            "row": ii.ravel(),
            "col": jj.ravel(),
            "report_a": [ordered_ids[i] for i in ii.ravel()],
            "report_b": [ordered_ids[j] for j in jj.ravel()],
            "label_a": [labels[i] for i in ii.ravel()],
            "label_b": [labels[j] for j in jj.ravel()],
            "cosine": np.round(sims.ravel(), 6),
        }
    )
    return fig, data


def top_terms_chart(comparison: Comparison, n_pairs: int = 3, n_terms: int = 8) -> tuple[plt.Figure, pd.DataFrame]:
    """Bar charts of the terms contributing most to the cosine of the ``n_pairs`` most similar pairs.

    Returns the figure and the plotted rows of ``top_terms`` (with readable labels).
    Needs at least one pair with shared terms.
    """
    figures.apply_style()
    terms = comparison.top_terms
    pairs = comparison.pairs[["report_a", "report_b", "cosine"]]
    keys = set(zip(terms["report_a"], terms["report_b"]))
    chosen = [(a, b, c) for a, b, c in pairs.itertuples(index=False) if (a, b) in keys][:n_pairs]
    assert chosen, "no pair shares a term"
    fig, axes = plt.subplots(1, len(chosen), figsize=(3.6 * len(chosen) + 0.6, 3.4), squeeze=False)
    plotted = []
    for ax, (a, b, cos) in zip(axes[0], chosen):
        rows = terms[(terms["report_a"] == a) & (terms["report_b"] == b)].head(n_terms)
        ax.barh(range(len(rows)), rows["contribution"], color="#1f77b4")
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(rows["term"])
        ax.invert_yaxis()
        ax.set_xlabel("contribution to cosine")
        la = short_title(comparison.labels.get(a, a), 36)
        lb = short_title(comparison.labels.get(b, b), 36)
        ax.set_title(f"{la}\n{lb}\ncosine {cos:.2f}", fontsize=8)
        plotted.append(rows.assign(label_a=comparison.labels.get(a, a), label_b=comparison.labels.get(b, b)))
    fig.tight_layout()
    return fig, pd.concat(plotted, ignore_index=True)
