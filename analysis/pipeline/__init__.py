"""The shared machinery every notebook runs on.

One spaCy pass per report (``nlp.run_nlp_stage``, local processes or a Dask cluster), the per-report result cache
(``features.per_report``) and the corpus-wide memos keyed by code and data, and the runner that executes the
notebooks from fresh kernels (``runner.main_run``, behind ``python -m analysis run``), and the self-contained HTML
page of the executed notebooks (``report.write_report``, behind ``python -m analysis report``).
"""
