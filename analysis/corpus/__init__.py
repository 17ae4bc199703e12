"""Reading a folder of reports into one table.

Finds the files (plain text, HTML, JSON lines, CSV, gzipped), decodes and cleans each text, reads the optional
manifest, infers outlet and date where the files are silent, and keeps every file either as a report or as a
rejection with its reason. ``load_corpus(folder)`` returns a :class:`Corpus`.
"""
from analysis.corpus.loader import REPORT_COLUMNS, Corpus, CorpusError, load_corpus, write_corpus_tables

__all__ = ["REPORT_COLUMNS", "Corpus", "CorpusError", "load_corpus", "write_corpus_tables"]
