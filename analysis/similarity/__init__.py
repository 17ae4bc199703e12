"""How much the reports copy each other.

TF-IDF vectors of each report's terms, the pairs worth comparing (every pair for small corpora; exact top-k
neighbours plus MinHash near-duplicate candidates for large ones), and the passages each pair shares, aligned
sentence by sentence. ``report_similarity.compare_reports`` runs the whole path; the compiled kernels that speed
up top-k and alignment live apart, in ``similarity.kernels``.
"""
from analysis.similarity.report_similarity import SIMILARITY_COLUMNS, SimilaritySettings, compare_reports

__all__ = ["SIMILARITY_COLUMNS", "SimilaritySettings", "compare_reports"]
