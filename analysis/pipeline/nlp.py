"""The one spaCy pass every notebook shares, cached on disk.

Each report's ``Doc`` is stored as a spaCy ``DocBin`` (no pickle) under
``.cache/nlp/``, keyed by the report text's SHA-256, the pipeline's name and
version, and ``EXTRACTION_VERSION``: a rerun on an unchanged corpus parses
nothing, and adding ten reports parses ten.

:func:`run_nlp_stage` is the stage itself: it streams the texts that are not
cached through an engine (``LocalEngine``: ``nlp.pipe`` with one process per
core; ``analysis.dask_engine.DaskEngine``: a ``dask.distributed`` cluster)
and writes each ``Doc`` to the cache as soon as it arrives, so memory holds a
batch, never the corpus. :func:`iter_docs` then streams ``Doc`` objects back
from the cache one at a time.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Protocol

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from analysis import atomic, config
from analysis.progress import progress_bar

#: Bump when the pipeline's configuration changes what is stored in the cache.
EXTRACTION_VERSION = "1"

#: Below this many uncached texts, one process (starting workers would cost more than it saves).
PARALLEL_THRESHOLD = 200

#: Texts per ``nlp.pipe`` batch: spaCy's default for CPU pipelines of this size.
BATCH_SIZE = 64


@lru_cache(maxsize=4)
def load_nlp(model: str = config.SPACY_MODEL) -> Language:
    """Load the installed spaCy pipeline once per process (no download, ever).

    Every enabled component is used by the analysis (tagger and lemmatizer:
    terms and actions; parser: sentences, clauses and sources; NER: names,
    dates, actors); the model's disabled ``senter`` stays disabled.
    """
    return spacy.load(model)


@lru_cache(maxsize=4)
def pipeline_id(model: str = config.SPACY_MODEL) -> str:
    """``lang_name-version`` of an installed pipeline, read from its ``meta.json`` without loading it."""
    meta = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    return _pipeline_id(meta)


def _pipeline_id(meta: dict) -> str:
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


def cache_key(text: str, nlp: Language | str | None = None) -> str:
    """Cache key of ``text``: content hash + pipeline id + extraction version.

    ``nlp`` is a loaded pipeline, a pipeline id (:func:`pipeline_id`) or
    ``None`` for the shipped model.
    """
    ident = nlp if isinstance(nlp, str) else pipeline_id() if nlp is None else _pipeline_id(nlp.meta)
    meta = f"{ident}|{EXTRACTION_VERSION}"
    return hashlib.sha256((meta + "\0" + text).encode("utf-8")).hexdigest()


def _cache_dir(cache_dir: str | Path | None) -> Path:
    return Path(cache_dir or config.CACHE_DIR / "nlp")


def _cache_file(key: str, cache_dir: Path) -> Path:
    return cache_dir / key[:2] / f"{key}.spacy"


def doc_to_bytes(doc: Doc) -> bytes:
    """One ``Doc`` as ``DocBin`` bytes (every annotation the analysis reads; no user data, no pickle)."""
    return DocBin(docs=[doc], store_user_data=False).to_bytes()


def doc_from_bytes(data: bytes, vocab) -> Doc:
    """Inverse of :func:`doc_to_bytes`."""
    return next(iter(DocBin().from_bytes(data).get_docs(vocab)))


class Engine(Protocol):
    """Parses texts; yields ``(position, DocBin bytes)`` for each, in any order."""

    def parse(self, texts: list[str]) -> Iterator[tuple[int, bytes]]: ...


#: The pipeline of a ``LocalEngine`` worker process (set once per process by ``_init_worker``).
_WORKER_NLP: Language | None = None


def _init_worker(nlp: Language) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp


def _parse_batch(texts: list[str], batch_size: int) -> list[bytes]:
    """Worker process: parse ``texts``; returns their ``DocBin`` bytes, in order."""
    return [doc_to_bytes(doc) for doc in _WORKER_NLP.pipe(texts, batch_size=batch_size)]


class LocalEngine:
    """Parse on this machine: ``nlp.pipe`` in batches of at most ``batch_size``, over ``n_process`` processes.

    ``n_process=None`` means one per core once there are
    ``PARALLEL_THRESHOLD`` texts or more, else one. With several processes
    each worker returns ``DocBin`` bytes (what the cache stores) rather than
    whole ``Doc`` objects, and takes the next batch as soon as it is free.
    """

    name = "local"

    #: Batches per process at least, so that no process idles at the end while another finishes a long batch.
    BATCHES_PER_PROCESS = 4

    def __init__(self, nlp: Language | None = None, n_process: int | None = None, batch_size: int = BATCH_SIZE):
        self.nlp, self.n_process, self.batch_size = nlp, n_process, batch_size

    def parse(self, texts: list[str]) -> Iterator[tuple[int, bytes]]:
        """Yields ``(position in texts, DocBin bytes)``: in order with one process, as batches finish with several."""
        nlp = self.nlp or load_nlp()
        n_process = self.n_process
        if n_process is None:
            n_process = (os.cpu_count() or 1) if len(texts) >= PARALLEL_THRESHOLD else 1
        if n_process <= 1 or len(texts) <= 1:
            for i, doc in enumerate(nlp.pipe(texts, batch_size=self.batch_size)):
                yield i, doc_to_bytes(doc)
            return
        yield from self._parse_in_processes(nlp, texts, n_process)

    def _parse_in_processes(self, nlp: Language, texts: list[str], n_process: int) -> Iterator[tuple[int, bytes]]:
        # Not nlp.pipe(n_process=...): its workers send each Doc with its tensor (~30x the DocBin) for the
        # parent to decode and re-encode, and deal batches round-robin, so one process may idle at the end.
        import math
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        size = max(1, min(self.batch_size, math.ceil(len(texts) / (n_process * self.BATCHES_PER_PROCESS))))
        starts = iter(range(0, len(texts), size))
        # The platform's default start method, as nlp.pipe uses: with fork the loaded pipeline is inherited.
        with ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context(), initializer=_init_worker,
                                 initargs=(nlp,)) as pool:
            # Two batches per process in flight: one parsing, one queued; the rest wait here, not in memory twice.
            pending = {pool.submit(_parse_batch, texts[s:s + size], size): s
                       for _, s in zip(range(2 * n_process), starts)}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        start = pending.pop(future)
                        nxt = next(starts, None)
                        if nxt is not None:
                            pending[pool.submit(_parse_batch, texts[nxt:nxt + size], size)] = nxt
                        for offset, data in enumerate(future.result()):
                            yield start + offset, data
            finally:
                for future in pending:  # stopped early: drop the queued batches
                    future.cancel()


@dataclass
class StageStats:
    """What one run of the NLP stage did."""

    texts: int  # distinct texts asked for
    cached: int  # found in the cache
    parsed: int  # parsed now
    words: int  # whitespace-separated words parsed now
    seconds: float
    engine: str

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        rate = f", {self.words_per_second:,.0f} words/s" if self.parsed else ""
        return (f"NLP stage ({self.engine}): {self.texts} texts, {self.cached} cached, {self.parsed} parsed "
                f"in {self.seconds:.1f} s{rate}")


def run_nlp_stage(texts: Iterable[str], engine: Engine | None = None, cache_dir: str | Path | None = None,
                  nlp: Language | None = None, progress: bool = True) -> StageStats:
    """Make sure every text has a cached parse; parse only those that have none.

    Accepts texts, an engine (default ``LocalEngine``), the cache folder
    (default ``.cache/nlp``) and the pipeline (default the shipped model).
    Each parse is written to the cache as it arrives (atomically), so an
    interrupted stage keeps what it finished. Returns ``StageStats``.
    """
    start = time.perf_counter()
    cache = _cache_dir(cache_dir)
    ident = pipeline_id() if nlp is None else _pipeline_id(nlp.meta)
    by_key = {cache_key(t, ident): t for t in texts}
    missing = sorted(k for k in by_key if not _cache_file(k, cache).exists())
    engine = engine or LocalEngine(nlp)
    words = 0
    if missing:
        todo = [by_key[k] for k in missing]
        bar = progress_bar(total=len(todo), desc="spaCy", unit="report", disable=None if progress else True)
        for i, data in engine.parse(todo):
            atomic.write_bytes(_cache_file(missing[i], cache), data)
            words += len(todo[i].split())
            bar.update(1)
        bar.close()
    return StageStats(len(by_key), len(by_key) - len(missing), len(missing), words,
                      time.perf_counter() - start, getattr(engine, "name", type(engine).__name__))


def iter_docs(texts: Iterable[str], cache_dir: str | Path | None = None, nlp: Language | None = None,
              engine: Engine | None = None, progress: bool = True) -> Iterator[Doc]:
    """Stream one ``Doc`` per text, in order, from the cache (parsing what is missing first).

    Only one ``Doc`` is alive at a time unless the caller keeps them.
    """
    texts = list(texts)
    nlp = nlp or load_nlp()
    cache = _cache_dir(cache_dir)
    run_nlp_stage(texts, engine, cache, nlp, progress)
    ident = _pipeline_id(nlp.meta)
    for text in texts:
        yield doc_from_bytes(_cache_file(cache_key(text, ident), cache).read_bytes(), nlp.vocab)


def parse_texts(
    texts: Iterable[str],
    nlp: Language | None = None,
    cache_dir: str | Path | None | bool = None,
    batch_size: int = BATCH_SIZE,
    n_process: int | None = None,
) -> list[Doc]:
    """Parse ``texts`` with the shared pipeline, reusing cached ``Doc`` objects.

    Returns one ``Doc`` per text, in order (all in memory: for large corpora
    prefer :func:`iter_docs`). ``cache_dir=False`` parses without the cache.
    """
    nlp = nlp or load_nlp()
    texts = list(texts)
    engine = LocalEngine(nlp, n_process, batch_size)
    if cache_dir is False:
        return list(nlp.pipe(texts, batch_size=batch_size, n_process=n_process or 1))
    return list(iter_docs(texts, cache_dir, nlp, engine, progress=len(texts) >= PARALLEL_THRESHOLD))


def parse_reports(reports: pd.DataFrame, **kwargs) -> dict[str, Doc]:
    """Parse the ``text`` of each report; returns ``{report_id: Doc}``."""
    docs = parse_texts(reports["text"].tolist(), **kwargs)
    return dict(zip(reports["report_id"].tolist(), docs))
