"""Media-analysis notebook toolkit: load reports, count sources, measure copying, date alleged events.

Capabilities, one subpackage each: ``corpus`` (reading a folder of reports), ``sources`` (whom each report cites),
``similarity`` (who copies whom), ``timeline`` (dated events and claims), on the shared ``pipeline`` (NLP stage,
caches, engines, notebook runner); each capability's ``findings`` module writes its notebook's opening statement
from the tables. ``config``, ``atomic``, ``figures``, ``labels``, ``prose`` and ``progress`` are the shared bits:
paths, atomic writes, figure style and export, report labels, plain-English counts and dates, progress bars.
"""
from analysis.corpus import Corpus, CorpusError, load_corpus, write_corpus_tables

__all__ = ["Corpus", "CorpusError", "load_corpus", "write_corpus_tables"]
__version__ = "0.1.0"
