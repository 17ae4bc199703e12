"""The one spaCy pass every notebook shares, cached on disk.

Each report's ``Doc`` is stored as a spaCy ``DocBin`` (no pickle) under
``.cache/nlp/``, keyed by the report text's SHA-256, the pipeline's name and
version, and ``EXTRACTION_VERSION``: a rerun on an unchanged corpus parses
nothing, and adding ten reports parses ten.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm  # plain bars: tqdm.auto would need ipywidgets in the kernel

from . import atomic, config

#: Bump when the pipeline's configuration changes what is stored in the cache.
EXTRACTION_VERSION = "1"


@lru_cache(maxsize=4)
def load_nlp(model: str = config.SPACY_MODEL) -> Language:
    """Load the installed spaCy pipeline once per process (no download, ever)."""
    return spacy.load(model)


def cache_key(text: str, nlp: Language) -> str:
    """Cache key of ``text`` under pipeline ``nlp``: content hash + pipeline + extraction version."""
    meta = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}|{EXTRACTION_VERSION}"
    return hashlib.sha256((meta + "\0" + text).encode("utf-8")).hexdigest()


def _cache_file(key: str, cache_dir: Path) -> Path:
    return cache_dir / key[:2] / f"{key}.spacy"


#: Below this many uncached texts, one process and no progress bar (start-up would cost more than it saves).
PARALLEL_THRESHOLD = 200


def parse_texts(
    texts: Iterable[str],
    nlp: Language | None = None,
    cache_dir: str | Path | None = None,
    batch_size: int = 32,
    n_process: int | None = None,
) -> list[Doc]:
    """Parse ``texts`` with the shared pipeline, reusing cached ``Doc`` objects.

    Returns one ``Doc`` per text, in order. Set ``cache_dir=False`` to skip the
    cache. ``n_process`` defaults to one per core for large batches.
    """
    nlp = nlp or load_nlp()
    texts = list(texts)
    cache = None if cache_dir is False else Path(cache_dir or config.CACHE_DIR / "nlp")
    docs: list[Doc | None] = [None] * len(texts)
    missing: list[int] = []
    keys = [cache_key(t, nlp) for t in texts]
    for i, key in enumerate(keys):
        path = _cache_file(key, cache) if cache else None
        if path is not None and path.exists():
            docs[i] = next(iter(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab)))
        else:
            missing.append(i)
    if n_process is None:
        n_process = min(os.cpu_count() or 1, 4) if len(missing) >= PARALLEL_THRESHOLD else 1
    stream = nlp.pipe((texts[i] for i in missing), batch_size=batch_size, n_process=n_process)
    if len(missing) >= PARALLEL_THRESHOLD:
        stream = tqdm(stream, total=len(missing), desc="spaCy", unit="report")
    for i, doc in zip(missing, stream):
        docs[i] = doc
        if cache is not None:
            atomic.write_bytes(_cache_file(keys[i], cache), DocBin(docs=[doc], store_user_data=False).to_bytes())
    return docs  # type: ignore[return-value]


def parse_reports(reports: pd.DataFrame, **kwargs) -> dict[str, Doc]:
    """Parse the ``text`` of each report; returns ``{report_id: Doc}``."""
    docs = parse_texts(reports["text"].tolist(), **kwargs)
    return dict(zip(reports["report_id"].tolist(), docs))
