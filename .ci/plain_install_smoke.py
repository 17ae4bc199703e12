"""Smoke test of a plain install: ``pip install .`` from the package's own metadata, no ``constraints.txt``.

Run by ``.ci/plain-install`` with the fresh environment's Python, from outside the source tree (so ``analysis`` is
the installed copy): ``python plain_install_smoke.py CORPUS_DIR``, CORPUS_DIR being tests/corpus/fixtures/mixed
(text captures, two HTML pages, exports, files to reject). Imports every module of the package, reads the corpus
(trafilatura and its jusText fallback on the HTML pages), loads the spaCy model and runs the per-report stages.
Exits non-zero, naming the step, on the first failure.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path


def main(corpus_dir: str) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="plain-install-"))
    # the installed package's default cache and output root would be inside site-packages
    os.environ["ANALYSIS_CACHE"] = str(scratch / "cache")
    os.environ["ANALYSIS_OUT"] = str(scratch / "out")

    import analysis

    installed = Path(analysis.__file__).resolve()
    assert "site-packages" in installed.parts, f"analysis imported from {installed}, not from the installed package"
    names = sorted(m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis."))
    for name in names:
        importlib.import_module(name)
    print(f"imported analysis and its {len(names)} modules from {installed.parent}")

    # the import that failed when lxml.html.clean left lxml (jusText, trafilatura's fallback extractor)
    import justext
    import trafilatura

    page = (Path(corpus_dir) / "page.html").read_text(encoding="utf-8")
    paragraphs = [p.text for p in justext.justext(page.encode(), justext.get_stoplist("English"))]
    assert any("dawn raid" in p for p in paragraphs), paragraphs  # its cleaner (lxml.html.clean) ran on the page
    extracted = trafilatura.bare_extraction(page, fast=False)  # with the readability and jusText fallbacks
    assert extracted is not None and "dawn raid" in extracted.text, extracted
    print(f"jusText split page.html into {len(paragraphs)} paragraph(s); trafilatura with fallbacks read "
          f"{len(extracted.text.split())} words")

    corpus = analysis.load_corpus(Path(corpus_dir))
    reports = corpus.reports
    html = reports[reports["format"] == "html"]
    assert len(html) >= 1 and (html["outlet"] == "The Example Times").any(), html[["report_id", "outlet"]]
    print(f"corpus: {corpus.summary()}")

    from analysis.pipeline.nlp import LocalEngine, load_nlp
    from analysis.pipeline.runner import prepare
    from analysis.sources import citations
    from analysis.timeline import temporal

    nlp = load_nlp()
    print(f"spaCy model: {nlp.meta['name']} {nlp.meta['version']} ({', '.join(nlp.pipe_names)})")
    for line in prepare(reports, LocalEngine(n_process=1), progress=False):
        print(f"  {line}")
    cites = citations.extract_citations(reports)
    times = temporal.time_expressions(reports)
    assert len(cites) > 0 and len(times) > 0, (len(cites), len(times))
    print(f"{len(cites)} attributed statements, {len(times)} time expressions in {len(reports)} reports")
    print("plain install: OK")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
