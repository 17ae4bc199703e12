"""Media-analysis notebook toolkit: load reports, count sources, measure copying, date alleged events."""
from .corpus import Corpus, CorpusError, load_corpus, write_corpus_tables

__all__ = ["Corpus", "CorpusError", "load_corpus", "write_corpus_tables"]
__version__ = "0.1.0"
