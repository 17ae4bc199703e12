"""The NLP stage on a ``dask.distributed`` cluster: an ``Engine`` for :func:`analysis.nlp.run_nlp_stage`.

``DaskEngine`` sends batches of report texts to Dask workers; each worker
parses its batch with ``nlp.pipe`` (one process: the worker *is* the process)
and sends back one ``DocBin`` per report. The client, not the workers, writes
the cache, so workers need the project and the same spaCy model installed but
no shared filesystem.

Use an existing cluster (``DaskEngine("tcp://host:8786")``, workers started
with ``dask worker tcp://host:8786 --nthreads 1``) or let the engine start a
``LocalCluster`` of worker processes on this machine (``DaskEngine()``).
"""
from __future__ import annotations

import logging
import math
import os
from typing import Iterator

from analysis import config
from analysis.pipeline import nlp as nlp_module

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT = 10.0

#: Seconds to wait for a remote scheduler to have at least one worker.
WORKER_TIMEOUT = 60.0

#: Batches in flight per worker: one being parsed, one queued, so a worker never idles while a result travels.
TASKS_PER_WORKER = 2


class DaskEngineError(ValueError):
    """The cluster cannot parse for this client (no workers, project missing, other model version)."""


def _parse_batch(texts: list[str], model: str, batch_size: int) -> tuple[str, list[bytes]]:
    """Worker side: parse ``texts`` with the worker's cached pipeline.

    Returns ``(pipeline id, [DocBin bytes per text, in order])``; the id lets
    the client reject a worker that joined after the start-up check with
    another model version.
    """
    # load_nlp is lru_cached at module level, so each worker process loads the model once.
    pipeline = nlp_module.load_nlp(model)
    docs = pipeline.pipe(texts, batch_size=batch_size)  # n_process=1: the worker is already a process
    return nlp_module._pipeline_id(pipeline.meta), [nlp_module.doc_to_bytes(doc) for doc in docs]


def _warm(model: str) -> str:
    """Worker side: load the pipeline now (so start-up is not counted as parse time); returns its id."""
    return nlp_module._pipeline_id(nlp_module.load_nlp(model).meta)


class DaskEngine:
    """Parse texts on a Dask cluster; implements the ``Engine`` protocol of :mod:`analysis.nlp`.

    Accepts ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``; ``None``
    starts a ``LocalCluster`` of ``n_workers`` single-threaded worker
    processes, default one per core), ``batch_size`` (texts per task, at most),
    ``tasks_per_worker`` (tasks in flight per worker) and the timeouts in
    seconds. On start it checks that every worker can import the project and
    has the client's spaCy pipeline (name and version), and loads it there.

    Raises ``OSError`` when the scheduler cannot be reached and
    ``DaskEngineError`` (a ``ValueError``) when the workers cannot parse for
    this client. Call :meth:`close` (or use ``with``) when done.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None, batch_size: int = nlp_module.BATCH_SIZE,
                 tasks_per_worker: int = TASKS_PER_WORKER, connect_timeout: float = CONNECT_TIMEOUT,
                 worker_timeout: float = WORKER_TIMEOUT, model: str = config.SPACY_MODEL):
        from dask.distributed import Client, LocalCluster

        self.batch_size, self.tasks_per_worker, self.model = max(1, batch_size), max(1, tasks_per_worker), model
        self.cluster = self.client = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=connect_timeout)
            except (OSError, TimeoutError) as exc:
                raise OSError(f"cannot connect to the Dask scheduler at {scheduler} "
                              f"within {connect_timeout:g} s ({exc})") from None
            wanted, timeout = 1, worker_timeout
        else:
            wanted, timeout = n_workers or os.cpu_count() or 1, worker_timeout
            # No dashboard: it needs bokeh and a free port, and nothing here reads it.
            try:
                self.cluster = LocalCluster(n_workers=wanted, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
            except RuntimeError as exc:
                # Workers are spawned processes: a script that starts one needs `if __name__ == "__main__":`.
                raise OSError(f"cannot start a local Dask cluster of {wanted} workers ({exc})") from exc
            self.client = Client(self.cluster)
        try:
            try:
                self.client.wait_for_workers(wanted, timeout=timeout)
            except (TimeoutError, OSError):
                raise DaskEngineError(f"the Dask scheduler {self.client.scheduler.address} has no worker "
                                      f"after {timeout:g} s (start some with `dask worker ADDRESS --nthreads 1`)") from None
            self.pipeline = self._check_workers()
        except BaseException:
            self.close()
            raise

    def _check_workers(self) -> str:
        """Check every worker's project and pipeline against the client's, then load the pipeline on each.

        Returns the pipeline id. Raises ``DaskEngineError`` naming the workers that differ.
        """
        expected, model = nlp_module.pipeline_id(self.model), self.model

        # A closure is shipped by value (cloudpickle), so it runs even where `analysis` is not installed.
        def probe():
            try:
                import importlib

                return importlib.import_module("analysis.pipeline.nlp").pipeline_id(model)
            except Exception as exc:  # any failure is reported back, not raised on the worker
                return f"error: {type(exc).__name__}: {exc}"

        found = self.client.run(probe)
        wrong = {addr: ident for addr, ident in found.items() if ident != expected}
        if wrong:
            detail = "; ".join(f"{addr}: {ident}" for addr, ident in sorted(wrong.items()))
            raise DaskEngineError(f"Dask workers must have the project and the pipeline {expected} installed "
                                  f"(pip install -e . or the same wheel and constraints); these differ: {detail}")
        # Load the model once per worker now, in the workers' task threads (not their event loops).
        futures = [self.client.submit(_warm, model, workers=[addr], allow_other_workers=False, pure=False)
                   for addr in found]
        for ident in self.client.gather(futures):
            if ident != expected:
                raise DaskEngineError(f"a Dask worker loaded {ident}, expected {expected}")
        return expected

    @property
    def n_workers(self) -> int:
        """Workers connected to the scheduler now."""
        return len(self.client.nthreads()) if self.client else 0

    def parse(self, texts: list[str]) -> Iterator[tuple[int, bytes]]:
        """Parse ``texts`` on the cluster; yields ``(position in texts, DocBin bytes)`` as batches finish.

        At most ``tasks_per_worker`` batches per worker are in flight, so the
        client never ships (or holds the results of) the whole corpus at once.
        Raises ``DaskEngineError`` if a worker used another pipeline.
        """
        from dask.distributed import as_completed

        if not texts:
            return
        workers = max(1, self.n_workers)
        # Small inputs: smaller batches so every worker gets some; large ones: batch_size per task.
        size = max(1, min(self.batch_size, math.ceil(len(texts) / (workers * self.tasks_per_worker))))
        starts = iter(range(0, len(texts), size))

        where: dict = {}  # future -> first position of its batch

        def submit(start: int):
            future = self.client.submit(_parse_batch, texts[start:start + size], self.model, size, pure=False)
            where[future] = start
            return future

        pending = as_completed([submit(s) for _, s in zip(range(workers * self.tasks_per_worker), starts)])
        try:
            for future in pending:
                ident, blobs = future.result()
                start = where.pop(future)
                future.release()  # the worker may drop the result now
                nxt = next(starts, None)
                if nxt is not None:
                    pending.add(submit(nxt))
                if ident != self.pipeline:
                    raise DaskEngineError(f"a Dask worker parsed with {ident}, expected {self.pipeline}")
                for offset, data in enumerate(blobs):
                    yield start + offset, data
        finally:
            # Stopped early (error, interrupt, consumer gone): drop the batches still queued or running.
            if where and self.client is not None:
                self.client.cancel(list(where))

    def close(self) -> None:
        """Disconnect from the scheduler; shut down the local cluster if this engine started one."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
