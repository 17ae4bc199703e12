"""Which reports copy each other, and whose words they share: the whole comparison in one call.

``compare_reports`` turns the corpus table into the three tables of notebook
02 (pairs, shared passages, top terms); ``write_tables`` writes them. The
steps live in ``similarity`` (vectors, pairs), ``passages`` (sentence
alignment), ``shared_wording`` (quotation, own prose or common wording) and
``term_contributions`` (why a pair is similar).
"""
from __future__ import annotations

import bisect
import gc
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.similarity import alignment_records, passages, shared_wording, term_contributions
from analysis import atomic
from analysis.similarity import neighbours, pair_tables, term_extraction, tfidf
# display helpers of notebook 02, in a module of their own; the notebook finds them here
from analysis.similarity.pair_display import pairs_for_display, side_by_side, top_terms_for_display  # noqa: F401
from analysis.labels import report_labels
from analysis.memory import release_free_memory
from analysis.progress import progress_bar

SIMILARITY_COLUMNS = [
    "report_a", "report_b", "cosine", "shared_passages", "near_duplicate", "shared_share", "shared_prose",
    "shared_quotation", "same_outlet",
]
#: Columns of the shared passages table: the alignment's, with each passage's ``kind`` after its ``match``.
SHARED_COLUMNS = [*passages.PASSAGE_COLUMNS[:6], "kind", *passages.PASSAGE_COLUMNS[6:]]


#: The files whose code computes the shared passages of a pair (the pair cache's key).
ALIGNMENT_FILES = tuple(f"similarity/{name}.py" for name in (
    "term_extraction", "tfidf", "neighbours", "minhash", "pair_tables", "passages", "sentence_arrays", "char_classes",
    "kernels/passage_kernels", "report_similarity", "alignment_records"))

_ALIGN = passages.AlignmentSettings()
_WORDING = shared_wording.WordingSettings()


@dataclass(frozen=True)
class SimilaritySettings:
    """Every knob of the comparison; notebook 02 exposes each in its parameters cell."""

    analyzer: str = "spacy"  # "spacy": lemmas + multi-word names; "regex": no parse, for huge corpora
    keep_names: bool = True  # multi-word names ("Khalifa Haftar") as single terms
    sublinear_tf: bool = True  # 1 + log(tf): ten mentions are not ten times one
    min_df: int | float = 1  # keep terms seen in a single report: small corpora need them
    max_df: int | float = 1.0  # keep terms seen in every report (idf already discounts them)
    all_pairs_max_reports: int = 300  # up to this many reports: every pair; beyond: top-k + MinHash LSH
    top_k: int = 10  # neighbours kept per report on large corpora
    lsh_threshold: float = 0.5  # MinHash LSH Jaccard threshold on word 5-gram shingles
    align_min_cosine: float = 0.2  # large corpora: align sentences only of pairs at least this similar
    min_sentence_words: int = 4
    # the sentence-alignment thresholds, flattened here so the notebook's parameters cell can set each one
    rewrite_threshold: float = _ALIGN.rewrite_threshold
    verbatim_threshold: float = _ALIGN.verbatim_threshold
    phrase_min_words: int = _ALIGN.phrase_min_words
    phrase_min_content: int = _ALIGN.phrase_min_content
    near_duplicate_share: float = _ALIGN.near_duplicate_share
    near_duplicate_min_words: int = _ALIGN.near_duplicate_min_words
    # what a shared passage is (``shared_wording``)
    quotation_share: float = _WORDING.quotation_share
    prose_min_common: int = _WORDING.prose_min_common
    stock_ngram_words: int = _WORDING.stock_ngram_words
    stock_min_share: float = _WORDING.stock_min_share
    stock_min_reports: int = _WORDING.stock_min_reports
    stock_min_outlets: int = _WORDING.stock_min_outlets
    stock_sample_reports: int = _WORDING.stock_sample_reports
    top_terms_per_pair: int = 10
    top_terms_max_pairs: int = 1000

    def alignment(self) -> passages.AlignmentSettings:
        """The sentence-alignment thresholds."""
        return passages.AlignmentSettings(**{f.name: getattr(self, f.name) for f in fields(passages.AlignmentSettings)})

    def wording(self) -> shared_wording.WordingSettings:
        """How shared passages are told apart (quotation, own prose, common wording)."""
        return shared_wording.WordingSettings(**{f.name: getattr(self, f.name)
                                                 for f in fields(shared_wording.WordingSettings)})


@dataclass
class Comparison:
    """Result of ``compare_reports``: vectors, the pairs table, passages and top terms."""

    vectors: tfidf.TfidfVectors
    pairs: pd.DataFrame
    passages: pd.DataFrame
    top_terms: pd.DataFrame
    path: str  # "all pairs", "top-k" or "nothing to compare"
    labels: dict[str, str] = field(default_factory=dict)
    settings: SimilaritySettings = field(default_factory=SimilaritySettings)

    @property
    def nothing_to_compare(self) -> bool:
        """True when the corpus has fewer than two reports."""
        return len(self.vectors.report_ids) < 2

    @property
    def note(self) -> str:
        """One sentence on what was compared, for the notebook's output."""
        n = len(self.vectors.report_ids)
        if n < 2:
            return f"The corpus has {n} report{'s' if n != 1 else ''}: nothing to compare."
        if n == 2:
            return "2 reports: one pair compared."
        if self.path == "all pairs":
            return f"{n} reports: every one of the {len(self.pairs)} pairs compared."
        return (f"{n} reports: each report's {self.settings.top_k} nearest neighbours plus MinHash LSH "
                f"near-duplicate candidates ({len(self.pairs)} pairs).")

    def summary(self) -> pd.DataFrame:
        """One-row overview: reports, vocabulary size, pairs, flagged pairs, path taken.

        ``shared_prose_same_outlet``: pairs of one outlet sharing prose (its
        house style); ``shared_quotation_only``: pairs sharing quotations and
        no prose.
        """
        pairs = self.pairs
        prose = pairs["shared_prose"]
        return pd.DataFrame(
            [
                {
                    "reports": len(self.vectors.report_ids),
                    "terms": len(self.vectors.vocabulary),
                    "pairs": len(pairs),
                    "pairs_with_shared_passages": int((pairs["shared_passages"] > 0).sum()),
                    "near_duplicates": int(pairs["near_duplicate"].sum()),
                    "shared_prose": int(prose.sum()),
                    "shared_prose_same_outlet": int((prose & pairs["same_outlet"].fillna(False)).sum()),
                    "shared_quotation_only": int((pairs["shared_quotation"] & ~prose).sum()),
                    "path": self.path,
                }
            ]
        )


class TextsByID(Mapping):
    """Report texts by report id, each made a Python string only when it is read.

    pandas stores a text column in one Arrow buffer; a dict of its values
    held a second copy of every text as Python strings (409 MiB more for the
    37,554 allsides reports), which forked alignment workers then partly
    copied again by touching them. Accepts the ids and the column, in the
    same order.
    """

    def __init__(self, report_ids: Sequence[str], column: pd.Series):
        self._row = {rid: i for i, rid in enumerate(report_ids)}
        assert len(self._row) == len(column), "report ids must be unique and match the texts"
        self._values = column.array

    def __getitem__(self, report_id: str) -> str:
        return str(self._values[self._row[report_id]])

    def __iter__(self):
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


def _empty_pairs() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in ["report_a", "report_b"]})
    frame["cosine"] = pd.Series(dtype="float64")
    frame["shared_passages"] = pd.Series(dtype="int64")
    frame["near_duplicate"] = pd.Series(dtype="bool")
    frame["shared_share"] = pd.Series(dtype="float64")
    frame["shared_prose"] = pd.Series(dtype="bool")
    frame["shared_quotation"] = pd.Series(dtype="bool")
    frame["same_outlet"] = pd.Series(dtype="boolean")
    return frame[SIMILARITY_COLUMNS]


def cached_terms_and_spans(reports: pd.DataFrame, keep_names: bool) -> tuple[list[list[str]], list[list]]:
    """TF-IDF terms and sentence spans of each report from the per-report cache (:mod:`analysis.features`)."""
    from analysis.pipeline import features
    from analysis.similarity import term_extraction

    def compute(report, doc):
        return {"terms": term_extraction.doc_terms(doc, keep_names=keep_names),
                "sentences": [list(span) for span in passages.sentence_spans(report.text, doc)]}

    shared: dict[str, str] = {}

    def keep(value):
        value["terms"] = term_extraction.shared_strings([value["terms"]], shared)[0]
        return value

    depends = features.code_version("similarity/term_extraction.py", "similarity/passages.py") + f"|keep_names={keep_names}"
    results = features.per_report(reports, "similarity_terms", depends, compute, desc="terms", keep=keep)
    return [r["terms"] for r in results], [r["sentences"] for r in results]


#: Large corpora with at least this many pairs to align split them over forked processes.
PARALLEL_ALIGN_MIN_PAIRS = 2000
# What forked alignment workers read: texts, parses, cached spans, settings, the tasks, the tasks that need
# each report, the task queue, and a cache of sentences.
_ALIGN_STATE: dict = {}
#: Reports a worker keeps split and indexed at most: about 140 KB each on allsides. Those no later task
#: needs go at once, then those needed furthest ahead, so the cache holds the reports it will reuse soonest.
ALIGN_CACHE_REPORTS = 1_000
#: Pairs a worker aligns per task.
ALIGN_CHUNK_PAIRS = 500
#: From this many pairs to align, candidates are filtered by the compiled kernels: loading numba takes about
#: a second, which 2,000 pairs repay (0.1 ms a pair less on allsides).
COMPILED_ALIGN_MIN_PAIRS = 2000


class _TaskQueue:
    """Hands out task numbers ``0 .. n - 1`` to ``workers`` forked processes, each staying where it started.

    The tasks are cut into one run of consecutive tasks per worker. A worker
    takes the tasks of its own run front to back, then, when its run is
    done, those left in the longest run back to front, so that workers meet
    rather than cross. Tasks in ``locality_order`` share most of their reports
    with their neighbours, so a worker mostly finds a task's reports already
    split; a pool's own queue, alternating tasks between workers, sent each
    worker reports from everywhere. Built in the parent before it forks: the
    counters live in shared memory, behind a lock.
    """

    def __init__(self, n: int, workers: int, context):
        self._lock = context.Lock()
        cuts = [n * w // workers for w in range(workers + 1)]
        # [first, end) of each worker's run, then the number of workers that have joined
        self._shared = context.RawArray("q", [x for w in range(workers) for x in (cuts[w], cuts[w + 1])] + [0])
        self.workers = workers

    def join(self) -> int:
        """A worker's run (its number among the workers), once per worker process."""
        with self._lock:
            role = self._shared[-1]
            self._shared[-1] = role + 1
        return role % self.workers

    def take(self, role: int) -> tuple[int, int] | None:
        """``(task, direction)``: the next task of run ``role`` (direction 1), else the last left of the longest run
        (direction -1); ``None`` once every task is taken."""
        with self._lock:
            bounds = self._shared
            first, end = bounds[2 * role], bounds[2 * role + 1]
            if first < end:
                bounds[2 * role] = first + 1
                return first, 1
            longest = max(range(self.workers), key=lambda w: (bounds[2 * w + 1] - bounds[2 * w], -w))
            first, end = bounds[2 * longest], bounds[2 * longest + 1]
            if first >= end:
                return None
            bounds[2 * longest + 1] = end - 1
            return end - 1, -1


def _next_use(uses: list[int], number: int, direction: int) -> int | None:
    """How many tasks past ``number``, going in ``direction``, a report is next needed (``uses``: sorted task numbers)."""
    if direction > 0:
        at = bisect.bisect_right(uses, number)
        return uses[at] - number if at < len(uses) else None
    at = bisect.bisect_left(uses, number)
    return number - uses[at - 1] if at else None


def _align_task(number: int, direction: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Task ``number`` of ``_ALIGN_STATE``, in a worker going in ``direction``; the two tables of ``shared_passages``."""
    state = _ALIGN_STATE
    cache = state.setdefault("sentences", {})
    prepared = state.setdefault("prepared", {})
    settings, docs, texts, spans, uses = state["settings"], state["docs"], state["texts"], state["spans"], state["uses"]
    pairs, compiled = state["tasks"][number], state.get("compiled", False)
    needed = set(pairs["report_a"]) | set(pairs["report_b"])
    for rid in sorted(needed - cache.keys()):
        cache[rid] = passages.sentences(texts[rid], docs[rid] if docs else None,
                                        settings.min_sentence_words, spans=spans.get(rid), compiled=compiled)
    result = passages.shared_passages(pairs, cache, settings.alignment(), prepared, compiled=compiled)
    # Bound the worker's memory by what it will want again soonest (the furthest-next-use rule of
    # optimal caching; this worker's next tasks come in ``direction``). On the 37,554 allsides reports two
    # workers split reports 33,884 times (26,516 distinct), against 44,600 with tasks alternating between
    # them and the least recently used reports dropped.
    ahead = {rid: _next_use(uses[rid], number, direction) for rid in cache}
    keep = sorted((d, rid) for rid, d in ahead.items() if d is not None)[:ALIGN_CACHE_REPORTS]
    for rid in cache.keys() - {rid for _, rid in keep}:
        del cache[rid]
        prepared.pop(rid, None)
    return result


def _align_next(_: int) -> tuple[int, tuple[pd.DataFrame, pd.DataFrame]] | None:
    """In a forked worker: take the next task from the queue and align it; ``(task number, tables)``."""
    state = _ALIGN_STATE
    if "role" not in state:
        state["role"] = state["queue"].join()
    taken = state["queue"].take(state["role"])
    if taken is None:
        return None
    return taken[0], _align_task(*taken)


def locality_order(pairs: pd.DataFrame) -> np.ndarray:
    """Positions of ``pairs`` (columns ``report_a, report_b``) ordered so that pairs sharing reports come close.

    Reports are numbered by reverse Cuthill-McKee on the graph the pairs
    form, which keeps the two reports of a pair close in the numbering; pairs
    are then sorted by their lower and higher number. Aligning them in this
    order, a worker that keeps its last few thousand reports finds most of
    them already split and indexed (on the 37,554 allsides reports: 46,083
    preparations of 26,516 reports instead of 118,036 in report_a order).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    if len(pairs) == 0:
        return np.array([], dtype=np.int64)
    ids, codes = np.unique(np.concatenate([pairs["report_a"].to_numpy(str), pairs["report_b"].to_numpy(str)]),
                           return_inverse=True)
    a, b = codes[: len(pairs)], codes[len(pairs):]
    graph = sparse.coo_matrix((np.ones(len(pairs)), (a, b)), shape=(len(ids), len(ids))).tocsr()
    order = reverse_cuthill_mckee((graph + graph.T).tocsr(), symmetric_mode=True)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    low, high = np.minimum(rank[a], rank[b]), np.maximum(rank[a], rank[b])
    return np.lexsort((high, low))


def _align_in_processes(to_align: pd.DataFrame, texts: Mapping[str, str], docs, spans: dict, settings: SimilaritySettings,
                        compiled: bool = False):
    """``passages.shared_passages`` of many pairs in forked processes (needs ``fork``); the same two tables.

    Pairs are cut into tasks in ``locality_order``, and each worker takes
    tasks from its own run of them (``_TaskQueue``), so that it splits most
    reports into sentences once; the summary comes back in the order of
    ``to_align``. ``compiled``: the workers filter candidates with the numba
    kernels, loaded here before the fork.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ordered = to_align[["report_a", "report_b"]].reset_index(drop=True)
    local = ordered.iloc[locality_order(ordered)]
    size = ALIGN_CHUNK_PAIRS
    tasks = [local.iloc[i : i + size] for i in range(0, len(local), size)]
    uses: dict[str, list[int]] = {}
    for number, task in enumerate(tasks):
        for rid in set(task["report_a"]) | set(task["report_b"]):
            uses.setdefault(rid, []).append(number)
    context = multiprocessing.get_context("fork")
    workers = term_extraction.n_workers()
    if compiled:  # loaded once here, shared by the workers' forks
        passages.load_compiled()
    _ALIGN_STATE.clear()
    _ALIGN_STATE.update(settings=settings, docs=docs, texts=texts, spans=spans, tasks=tasks, uses=uses,
                        queue=_TaskQueue(len(tasks), workers, context), compiled=compiled)
    # Objects the workers inherit stay out of their garbage collections: a collection writes to every
    # object it visits, so each worker would copy every page of the parent's heap holding one.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool, \
                progress_bar(len(ordered), "aligning sentences", unit="pair") as bar:
            done = {}
            # one call per task; each call takes whichever task its worker should do next
            for taken in pool.map(_align_next, range(len(tasks))):
                assert taken is not None, "a call found every task taken"
                number, done[number] = taken
                bar.update(len(tasks[number]))
    finally:
        gc.unfreeze()
        _ALIGN_STATE.clear()
    assert sorted(done) == list(range(len(tasks))), "every task aligned once"
    results = [done[number] for number in range(len(tasks))]
    in_tasks = pd.concat([r[1] for r in results], ignore_index=True)
    task_of = np.repeat(np.arange(len(results)), [len(r[1]) for r in results])
    summary = ordered.merge(in_tasks, on=["report_a", "report_b"], how="left")[passages.SUMMARY_COLUMNS]
    found = [r[0] for r in results if len(r[0])]
    if not found:
        return results[0][0], summary
    shared = pd.concat(found, ignore_index=True)
    return shared.take(_pair_order(in_tasks, task_of, shared)).reset_index(drop=True), summary


def _pair_order(in_tasks: pd.DataFrame, task_of: np.ndarray, shared: pd.DataFrame) -> np.ndarray:
    """Positions of ``shared`` that sort it by ``report_a, report_b, start_a, start_b``.

    ``shared`` holds the tasks' passages one task after another, each task's
    sorted; ``in_tasks`` the tasks' summaries (their pairs, with how many
    passages each has), task ``task_of`` after task. Ordering the pairs orders
    the rows: integer sorts, where sorting 5 million rows by their report ids
    took 10.5 s (100k resampled reports).
    """
    codes = [pd.factorize(in_tasks[c], sort=True)[0] for c in ("report_a", "report_b")]
    rank = np.empty(len(in_tasks), dtype=np.int64)
    rank[np.lexsort((codes[1], codes[0]))] = np.arange(len(in_tasks))
    as_rows = np.lexsort((rank, task_of))  # the pairs in the order their passages come in
    row_rank = np.repeat(rank[as_rows], in_tasks["shared_passages"].to_numpy()[as_rows])
    assert len(row_rank) == len(shared), "every pair's passages counted"
    starts = shared[["start_a", "start_b"]].to_numpy()
    same = row_rank[1:] == row_rank[:-1]
    step = starts[1:] - starts[:-1]
    assert ((step[same, 0] > 0) | ((step[same, 0] == 0) & (step[same, 1] > 0))).all(), "passages in sentence order"
    return np.argsort(row_rank, kind="stable")


def _align(to_align: pd.DataFrame, texts: Mapping[str, str], docs, spans: dict, settings: SimilaritySettings, parallel: bool):
    """``passages.shared_passages`` of ``to_align``: in forked processes when there are many pairs."""
    import multiprocessing

    compiled = len(to_align) >= COMPILED_ALIGN_MIN_PAIRS

    if (parallel and len(to_align) >= PARALLEL_ALIGN_MIN_PAIRS and term_extraction.n_workers() > 1
            and "fork" in multiprocessing.get_all_start_methods()):
        return _align_in_processes(to_align, texts, docs, spans, settings, compiled)
    needed = sorted(set(to_align["report_a"]) | set(to_align["report_b"]))
    sentence_sets = {
        rid: passages.sentences(texts[rid], docs[rid] if docs else None, settings.min_sentence_words,
                                spans=spans.get(rid), compiled=compiled)
        for rid in needed
    }
    return passages.shared_passages(to_align, sentence_sets, settings.alignment(), compiled=compiled)


def _align_cached(to_align: pd.DataFrame, texts: Mapping[str, str], spans: dict, settings: SimilaritySettings, parallel: bool):
    """``_align`` with each pair's result cached in ``.cache/features/alignment.sqlite`` (``result_store``).

    A pair's key is the SHA-256 of both texts, the alignment settings, the
    pipeline and the code that splits and aligns sentences, so a warm rerun
    aligns only new or changed pairs; its value is the binary record of
    ``alignment_records``. Returns the same two tables as
    ``passages.shared_passages``.
    """
    import hashlib

    from analysis import config
    from analysis.pipeline import nlp, result_store
    from analysis.versions import code_version

    if len(to_align) == 0:  # a large corpus where no pair reaches align_min_cosine or the LSH threshold
        return pd.DataFrame(columns=passages.PASSAGE_COLUMNS), pd.DataFrame(columns=passages.SUMMARY_COLUMNS)
    depends = "|".join([code_version(*ALIGNMENT_FILES),
                        settings.analyzer,
                        nlp.pipeline_id() if settings.analyzer == "spacy" else "",
                        repr(settings.alignment()), str(settings.min_sentence_words)])
    digest = {rid: hashlib.sha256(texts[rid].encode("utf-8")).hexdigest()
              for rid in set(to_align["report_a"]) | set(to_align["report_b"])}
    pairs = list(zip(to_align["report_a"], to_align["report_b"]))
    keys = {pair: hashlib.sha256(f"{depends}\0{digest[pair[0]]}\0{digest[pair[1]]}".encode()).hexdigest()
            for pair in pairs}
    store = config.CACHE_DIR / "features" / "alignment.sqlite"
    stored = result_store.get_many(store, list(keys.values()))
    # a value this code cannot read (another layout, a damaged file) counts as missing: the pair is aligned again
    found = {pair: stored[keys[pair]] for pair in pairs if alignment_records.readable(stored.get(keys[pair]))}
    del stored
    missing = [i for i, pair in enumerate(pairs) if pair not in found]
    shared_parts, summary_parts = [], []
    if missing:
        shared, summary = _align(to_align.iloc[missing], texts, None, spans, settings, parallel)
        result_store.put_many(store, alignment_records.encode(keys, shared, summary))
        shared_parts.append(shared)
        summary_parts.append(summary)
    if found:
        shared, summary = alignment_records.decode(found, texts)
        shared_parts.append(shared)
        summary_parts.append(summary)
    del found
    if len(missing) == len(pairs):  # all freshly aligned: ``_align`` returned both tables in order
        shared, summary = shared_parts[0], summary_parts[0]
    else:
        summary = pd.DataFrame(pairs, columns=["report_a", "report_b"]).merge(
            pd.concat(summary_parts, ignore_index=True), on=["report_a", "report_b"], how="left", validate="one_to_one")
        shared = pd.concat([p for p in shared_parts if len(p)] or shared_parts[:1], ignore_index=True)
        shared = shared.sort_values(["report_a", "report_b", "start_a", "start_b"], kind="mergesort")
    return shared.reset_index(drop=True), summary


def compare_reports(reports: pd.DataFrame, settings: SimilaritySettings = SimilaritySettings(), docs=None) -> Comparison:
    """Compare every report with the others.

    Accepts the corpus table (``report_id``, ``text``, ``outlet``, ``title``)
    and the settings; ``docs`` (``{report_id: Doc}``) defaults to the shared
    cached parse when ``settings.analyzer == "spacy"``. Returns a
    ``Comparison`` whose ``pairs`` has ``SIMILARITY_COLUMNS``, sorted by
    descending cosine then ids.
    """
    release_free_memory()  # what the caller freed (loading and cleaning a large corpus): alignment forks this process
    if not reports["report_id"].is_monotonic_increasing:  # the loader's order; sorting copies every text
        reports = reports.sort_values("report_id", kind="mergesort")
    reports = reports.reset_index(drop=True)
    ids = reports["report_id"].astype(str).tolist()
    spans: dict[str, list] = {}
    if settings.analyzer == "spacy" and docs is None and len(reports):
        terms, cached_spans = cached_terms_and_spans(reports, settings.keep_names)
        spans = dict(zip(ids, cached_spans))
    else:
        terms = tfidf.report_terms(reports, settings.analyzer, docs, settings.keep_names)
    vectors = tfidf.tfidf_vectors(
        ids, terms, sublinear_tf=settings.sublinear_tf, min_df=settings.min_df, max_df=settings.max_df
    )
    del terms  # every word of every report: on a large corpus the biggest thing held past this point
    release_free_memory()
    labels = report_labels(reports)
    if len(ids) < 2:
        return Comparison(vectors, _empty_pairs(), pd.DataFrame(columns=SHARED_COLUMNS),
                          pd.DataFrame(columns=term_contributions.TERM_COLUMNS), "nothing to compare", labels, settings)
    pairs, path, candidates = neighbours.neighbour_pairs(
        vectors,
        reports["text"].tolist(),
        all_pairs_max_reports=settings.all_pairs_max_reports,
        top_k=settings.top_k,
        lsh_threshold=settings.lsh_threshold,
    )
    release_free_memory()  # what top-k and LSH freed, before alignment forks its workers
    if path == "all pairs":
        to_align = pairs
    else:
        candidates = set(candidates)
        keep = (pairs["cosine"] >= settings.align_min_cosine) | np.array(
            [(a, b) in candidates for a, b in zip(pairs["report_a"], pairs["report_b"])], dtype=bool
        )
        to_align = pairs[keep]
    texts = TextsByID(ids, reports["text"])
    align_docs = docs if settings.analyzer == "spacy" else None
    if docs is None:
        shared, summary = _align_cached(to_align, texts, spans, settings, parallel=path != "all pairs")
    else:
        shared, summary = _align(to_align, texts, align_docs, spans, settings, parallel=path != "all pairs")
    merged = pairs.merge(summary, on=["report_a", "report_b"], how="left")
    # Pairs not aligned (large corpora, cosine below align_min_cosine) share no passage by assumption.
    merged["shared_passages"] = merged["shared_passages"].fillna(0).astype("int64")
    merged["shared_share"] = merged["shared_share"].fillna(0.0).astype("float64")
    merged["near_duplicate"] = merged["near_duplicate"].fillna(False).astype(bool)
    wording = settings.wording()
    outlet_column = reports["outlet"].tolist() if "outlet" in reports else [""] * len(ids)
    stock = shared_wording.stock_ngrams(reports["text"].array, wording, outlet_column)
    shared = shared.assign(kind=shared_wording.passage_kinds(shared, texts, stock, wording))[SHARED_COLUMNS]
    outlets = dict(zip(ids, outlet_column))
    merged = merged.join(shared_wording.pair_flags(merged, shared, outlets))
    merged = pair_tables.sort_pairs(merged[SIMILARITY_COLUMNS])
    terms_table = term_contributions.top_terms(
        vectors, merged, settings.top_terms_per_pair, settings.top_terms_max_pairs
    )
    return Comparison(vectors, merged, shared, terms_table, path, labels, settings)


def write_tables(comparison: Comparison, paths) -> dict[str, Path]:
    """Write ``similarity.csv``, ``shared_passages.csv`` and ``top_terms.csv`` under ``paths.processed``.

    Accepts a ``Comparison`` and ``config.OutputPaths``; returns the written paths by table name.
    """
    written = {}
    for name, frame in (
        ("similarity.csv", comparison.pairs),
        ("shared_passages.csv", comparison.passages),
        ("top_terms.csv", comparison.top_terms),
    ):
        written[name] = atomic.write_csv(paths.table(name), frame)
    return written


def settings_table(settings: SimilaritySettings) -> pd.DataFrame:
    """The settings as a two-column table (``setting``, ``value``) for display."""
    return pd.DataFrame(sorted((k, str(v)) for k, v in asdict(settings).items()), columns=["setting", "value"])
