"""Load a folder of reports into one table, accounting for every file.

``load_corpus`` walks the folder, reads every supported file (plain text,
Markdown, HTML, JSON, JSON lines, CSV/TSV, each optionally gzipped), settles
each report's outlet and publication date from the manifest, the page
metadata or the text itself (quoting its evidence), marks duplicates, and
lists every file or record it could not analyse with the reason. No input is
modified.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import atomic
from analysis.progress import progress_bar, progress_bar_over
from analysis.versions import code_version
from analysis.corpus.credits import same_outlet
from analysis.corpus.dates import DateError, parse_date
from analysis.corpus.formats import HTML_SUFFIXES, RECORD_SUFFIXES, SUPPORTED_SUFFIXES, TEXT_SUFFIXES, Draft, InputError, gunzip, read_html, read_records, read_text
from analysis.corpus.inference import infer_outlets
from analysis.corpus.manifest import MANIFEST_NAME, Manifest, read_manifest

REPORT_COLUMNS = [
    "report_id", "path", "record", "format", "encoding", "title",
    "outlet", "outlet_method", "outlet_evidence", "original_outlet", "original_outlet_evidence",
    "published", "published_precision", "published_method", "published_evidence",
    "banner_date", "banner_date_evidence", "url", "author",
    "n_words", "sha256", "text_sha256", "duplicate_of", "duplicate_kind", "warnings", "removed_lines", "text",
]
REJECTED_COLUMNS = ["path", "reason"]
INPUT_COLUMNS = ["path", "status", "detail"]


class CorpusError(Exception):
    """The corpus cannot be loaded as asked (missing folder, or rejections under ``strict``)."""


@dataclass
class Corpus:
    """A loaded corpus.

    ``reports``: the analysed reports (duplicates excluded), one row each,
    sorted by ``report_id``; ``all_reports`` adds the duplicate copies (with
    ``duplicate_of`` set); ``rejected``: ``path, reason`` for every file or
    record not analysed; ``inputs``: every file of the folder with its status;
    ``warnings``: ``path, warning`` for problems that did not stop a report.
    Unpacks as ``reports, rejected = load_corpus(...)``.
    """

    root: Path
    all_reports: pd.DataFrame
    rejected: pd.DataFrame
    inputs: pd.DataFrame
    warnings: pd.DataFrame

    @property
    def reports(self) -> pd.DataFrame:
        return self.all_reports[self.all_reports["duplicate_of"] == ""].reset_index(drop=True)

    @property
    def duplicates(self) -> pd.DataFrame:
        return self.all_reports[self.all_reports["duplicate_of"] != ""].reset_index(drop=True)

    def __iter__(self):
        yield self.reports
        yield self.rejected

    def summary(self) -> str:
        """One line a person reads: files, reports, duplicates, rejections, warnings."""
        files = len(self.inputs)
        return (f"{files} file{'s' * (files != 1)}: {len(self.reports)} reports analysed, "
                f"{len(self.duplicates)} duplicates, {len(self.rejected)} rejected, {len(self.warnings)} warnings")


def load_corpus(path: str | Path | None = None, strict: bool = False, today: date | None = None) -> Corpus:
    """Load every report under the folder ``path`` (default: the embedded seeds).

    Accepts a folder (searched recursively; an optional ``manifest.csv`` at its
    top) and returns a ``Corpus``. With ``strict=True`` any rejection raises
    ``CorpusError`` naming the files and reasons.
    """
    from analysis import config

    root = Path(path).expanduser() if path is not None else config.SEEDS_DIR
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    root = root.resolve()
    cache = config.CACHE_DIR / "corpus" / _fingerprint(root, today)
    if (cache / "complete").exists():
        corpus = Corpus(root, *(pd.read_parquet(cache / f"{name}.parquet") for name in _TABLES))
    else:
        corpus = _load_uncached(root, today)
        for name in _TABLES:
            atomic.write_parquet(cache / f"{name}.parquet", getattr(corpus, name))
        atomic.write_text(cache / "complete", "")
    assert corpus.all_reports["report_id"].is_unique, "report ids must be unique"
    if strict and len(corpus.rejected):
        listing = "; ".join(f"{p}: {r}" for p, r in corpus.rejected.itertuples(index=False))
        raise CorpusError(f"{len(corpus.rejected)} input(s) rejected (strict mode): {listing}")
    return corpus


_TABLES = ("all_reports", "rejected", "inputs", "warnings")
#: The modules whose code decides what a loaded corpus holds.
_LOADER_FILES = tuple(f"corpus/{name}.py" for name in ("loader", "formats", "cleaning", "credits", "inference", "decoding", "dates", "manifest"))


def _fingerprint(root: Path, today: date | None) -> str:
    """Key of a loaded corpus: every file's path and content, the loader's code, and the date that bounds "future"."""
    digest = hashlib.sha256(f"{code_version(*_LOADER_FILES)}|{today or date.today()}".encode())
    for file in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if file.is_file():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            try:
                digest.update(hashlib.sha256(file.read_bytes()).digest())
            except OSError as exc:  # unreadable now: the uncached load rejects it with the reason
                digest.update(repr(exc).encode())
    return digest.hexdigest()


def _load_uncached(root: Path, today: date | None) -> Corpus:
    """Read, clean and settle every file under ``root`` (no cache); returns the ``Corpus``."""
    rejected: list[tuple[str, str]] = []
    inputs: list[tuple[str, str, str]] = []
    warnings: list[tuple[str, str]] = []

    manifest = Manifest()
    manifest_path = root / MANIFEST_NAME
    if manifest_path.is_file():
        try:
            manifest = read_manifest(manifest_path, root, today)
            inputs.append((MANIFEST_NAME, "manifest", f"{len(manifest.entries)} entries"))
        except ValueError as exc:
            rejected.append((MANIFEST_NAME, str(exc)))
            inputs.append((MANIFEST_NAME, "rejected", str(exc)))
        rejected.extend(manifest.rejected)
        warnings.extend(manifest.warnings)

    rows: list[dict] = []
    files = sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix())
    file_bar = progress_bar(total=len(files), desc="loading files", unit="file")
    for file in files:
        file_bar.update(1)
        if not file.is_file() or file == manifest_path:
            continue
        rel = file.relative_to(root).as_posix()
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            rejected.append((rel, "hidden file or folder (name starts with '.'), not read"))
            inputs.append((rel, "rejected", "hidden"))
            continue
        try:
            data = file.read_bytes()
            drafts, problems = _read_file(rel, data)
        except InputError as exc:
            rejected.append((rel, str(exc)))
            inputs.append((rel, "rejected", str(exc)))
            continue
        except OSError as exc:
            rejected.append((rel, f"cannot read file: {exc.strerror or exc}"))
            inputs.append((rel, "rejected", "unreadable"))
            continue
        for where, reason in problems:
            rejected.append((f"{rel}#{where}", reason))
        file_rows = []
        file_sha = hashlib.sha256(data).hexdigest()  # once per file: a JSON-lines export holds thousands of reports
        file_warnings = [w for p, w in warnings if p == rel]
        for draft in progress_bar_over(drafts, desc=f"reading {rel}", unit="record"):
            if not draft.body.strip():
                reason = f"no article text left after removing boilerplate ({len(draft.removed)} lines removed)"
                rejected.append((_where(rel, draft.record), reason))
                continue
            row = _settle(rel, file_sha, draft, manifest, file_warnings, today)
            warnings.extend((_where(rel, draft.record), w) for w in row["_warnings"] if not w.startswith(MANIFEST_NAME))
            file_rows.append(row)
        rows.extend(file_rows)
        status = "analysed" if file_rows else "rejected"
        detail = f"{len(file_rows)} report{'s' * (len(file_rows) != 1)}"
        if problems:
            detail += f", {len(problems)} records rejected"
        inputs.append((rel, status, detail))

    file_bar.close()
    reports = _assign_ids(rows, manifest)
    reports = _mark_duplicates(reports, preferred=set(manifest.entries))
    dup_status = {r.path: r.duplicate_of for r in reports.itertuples() if r.duplicate_of and not r.record}
    inputs = [(p, "duplicate", f"duplicate of {dup_status[p]}") if p in dup_status else (p, s, d) for p, s, d in inputs]

    return Corpus(
        root=root,
        all_reports=reports,
        rejected=pd.DataFrame(sorted(set(rejected)), columns=REJECTED_COLUMNS),
        inputs=pd.DataFrame(sorted(inputs), columns=INPUT_COLUMNS),
        warnings=pd.DataFrame(sorted(set(warnings)), columns=["path", "warning"]),
    )


def _where(rel: str, record: str) -> str:
    return f"{rel}#{record}" if record else rel


def _read_file(rel: str, data: bytes) -> tuple[list[Draft], list[tuple[str, str]]]:
    suffixes = [s.lower() for s in Path(rel).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        data = gunzip(data)
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"unsupported file type '{suffix or '(no extension)'}' (supported: {kinds}, optionally .gz)")
    if not data.strip():
        raise InputError("empty file" if not data else "empty file (only whitespace)")
    if suffix in TEXT_SUFFIXES:
        return read_text(data, markdown=TEXT_SUFFIXES[suffix] == "markdown"), []
    if suffix in HTML_SUFFIXES:
        return read_html(data), []
    return read_records(data, RECORD_SUFFIXES[suffix])


def _settle(rel: str, file_sha: str, draft: Draft, manifest: Manifest, file_warnings: list[str],
            today: date | None) -> dict:
    """Decide outlet and date of one draft: manifest, then metadata, then the text itself.

    ``file_sha`` is the SHA-256 of the whole input file; ``file_warnings`` the warnings already raised about it.
    """
    entry = manifest.entries.get(rel)
    where = _where(rel, draft.record)
    row = {
        "path": rel, "record": draft.record, "format": draft.format, "encoding": draft.encoding,
        "title": draft.title, "text": draft.body, "url": "", "author": "",
        "outlet": "", "outlet_method": "", "outlet_evidence": "", "original_outlet": "", "original_outlet_evidence": "",
        "published": "", "published_precision": "", "published_method": "", "published_evidence": "",
        "banner_date": "", "banner_date_evidence": "",
        "sha256": file_sha,
        "removed_lines": json.dumps(draft.removed, ensure_ascii=False),
        "_warnings": list(file_warnings),
    }
    meta = draft.meta
    for name in ("url", "author"):
        if name in meta:
            row[name] = meta[name][0]
    publisher, original = infer_outlets(draft.raw_text)
    if entry and entry.outlet:
        row.update(outlet=entry.outlet, outlet_method="manifest", outlet_evidence=f"{MANIFEST_NAME} row {entry.row}")
    elif "outlet" in meta:
        row.update(outlet=meta["outlet"][0], outlet_method=meta["outlet"][1], outlet_evidence=meta["outlet"][2])
    elif publisher is not None:
        row.update(outlet=publisher.name, outlet_method=publisher.method, outlet_evidence=publisher.evidence)
    if original is not None and original.name.lower() != row["outlet"].lower():
        row.update(original_outlet=original.name, original_outlet_evidence=original.evidence)
    elif publisher is not None and row["outlet"] and publisher.name.lower() != row["outlet"].lower() and row["outlet_method"] == "manifest":
        row.update(original_outlet=publisher.name, original_outlet_evidence=publisher.evidence)

    _apply_credits(row, draft.credits)

    if entry and entry.url:
        row["url"] = entry.url
    if entry and entry.published is not None:
        _set_date(row, entry.published, "manifest", f"{MANIFEST_NAME} row {entry.row}: {entry.published_raw}")
    elif "published" in meta:
        value, method, evidence = meta["published"]
        try:
            _set_date(row, parse_date(_date_part(value), today), method, evidence)
        except DateError as exc:
            row["_warnings"].append(f"unusable date '{value}' in {method} ({exc}); left empty")
    if not row["published"] and draft.dateline is not None:
        parsed, line = draft.dateline
        _set_date(row, parsed, "dateline", line)
    if draft.banner_date is not None:
        parsed, line = draft.banner_date
        row.update(banner_date=parsed.iso, banner_date_evidence=f"site banner above the headline, not the article date: {line}")
    if entry:
        for column, value in entry.extra.items():
            row[column if column not in REPORT_COLUMNS else f"manifest_{column}"] = value
    return row


def _apply_credits(row: dict, credits: list) -> None:
    """Record a draft's wire credit lines: the byline's author (unless the metadata gave one) and
    the agency. The story's owner is the syndication credit, else the byline's or writer line's agency,
    else the dateline's: it becomes the outlet when nothing else named one, and the
    ``original_outlet`` when it is another outlet than the publisher (a syndicated story)."""
    byline = next((c for c in credits if c.rule == "byline"), None)
    if byline is not None and not row["author"]:
        row["author"] = byline.author
    order = ("syndication credit", "byline", "wire writer line", "dateline credit")
    agency = next((c for rule in order for c in credits if c.rule == rule and c.agency), None)
    if agency is None:
        return
    evidence = f"{agency.rule}: {agency.line}"
    if not row["outlet"]:
        row.update(outlet=agency.agency, outlet_method=agency.rule, outlet_evidence=evidence)
    elif not same_outlet(agency.agency, row["outlet"]) and not row["original_outlet"]:
        row.update(original_outlet=agency.agency, original_outlet_evidence=evidence)


def _date_part(value: str) -> str:
    # Timestamps keep the date as printed in their own time zone: "2019-12-07T23:30:00-05:00" is the 7th.
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", value.strip())
    return match.group(1) if match else value


def _set_date(row: dict, parsed, method: str, evidence: str) -> None:
    row.update(published=parsed.iso, published_precision=parsed.precision, published_method=method,
               published_evidence=evidence + (f" ({parsed.note})" if parsed.note else ""))


def report_stem(path: str) -> str:
    """The id stem of a file path: the path without its last suffix, and without ``.gz`` before that.

    ``APW20000814.0117.txt`` -> ``APW20000814.0117`` (a wire file's inner dot is part of its name),
    ``archive.jsonl.gz`` -> ``archive``; a name without a suffix is kept whole.
    """
    folder, _, name = path.rpartition("/")
    if name.lower().endswith(".gz") and len(name) > 3:
        name = name[:-3]
    if "." in name.lstrip("."):
        name = name[:name.rindex(".")]
    return f"{folder}/{name}" if folder else name


def _assign_ids(rows: list[dict], manifest: Manifest) -> pd.DataFrame:
    """Give each report a stable id: the file's path without its last suffix (:func:`report_stem`),
    plus ``#record`` for exports. Files whose stems collide (``a.txt``, ``a.html``) keep their whole path;
    the result depends only on the set of paths, so every run gives the same ids."""
    stems: dict[str, set[str]] = {}
    for row in rows:
        stems.setdefault(report_stem(row["path"]), set()).add(row["path"])
    # a whole path kept for a collision may equal another file's stem ("a.txt" vs "a.txt.md"): that one keeps its path too
    taken = {p for paths in stems.values() if len(paths) > 1 for p in paths}
    for row in rows:
        stem = report_stem(row["path"])
        base = stem if len(stems[stem]) == 1 and stem not in taken else row["path"]
        row["report_id"] = f"{base}#{row['record']}" if row["record"] else base
        row["n_words"] = len(row["text"].split())
        row["text_sha256"] = hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
        row["warnings"] = "; ".join(row.pop("_warnings"))
    extra = sorted({k for row in rows for k in row} - set(REPORT_COLUMNS))
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS[:-1] + extra + ["text"]) if rows else pd.DataFrame(columns=REPORT_COLUMNS)
    frame["duplicate_of"] = ""
    frame["duplicate_kind"] = ""
    for column in frame.columns:
        if column != "n_words":
            frame[column] = frame[column].fillna("").astype(str)
    frame["n_words"] = frame["n_words"].fillna(0).astype(int)
    return frame.sort_values("report_id", kind="stable").reset_index(drop=True)


def normalised_fingerprint(text: str) -> str:
    """Hash of ``text`` ignoring case, punctuation, quotes and spacing (a reformatted copy hashes the same)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[\W_]+", " ", folded).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _mark_duplicates(frame: pd.DataFrame, preferred: set[str] = frozenset()) -> pd.DataFrame:
    """Keep one report of each exact or normalised duplicate group and mark the copies.

    The kept one is a report the manifest describes if any, else the first by id.
    """
    first_exact: dict[str, str] = {}
    first_norm: dict[str, str] = {}
    paths, ids = frame["path"].tolist(), frame["report_id"].tolist()
    texts, shas = frame["text"].tolist(), frame["text_sha256"].tolist()
    duplicate_of, kind = frame["duplicate_of"].tolist(), frame["duplicate_kind"].tolist()
    for i in sorted(range(len(frame)), key=lambda i: (paths[i] not in preferred, ids[i])):
        norm = normalised_fingerprint(texts[i])
        if shas[i] in first_exact:
            duplicate_of[i], kind[i] = first_exact[shas[i]], "exact"
        elif norm in first_norm:
            duplicate_of[i], kind[i] = first_norm[norm], "normalised"
        else:
            first_exact[shas[i]] = ids[i]
            first_norm[norm] = ids[i]
    frame["duplicate_of"] = duplicate_of
    frame["duplicate_kind"] = kind
    return frame


def write_corpus_tables(corpus: Corpus, processed_dir: str | Path) -> dict[str, Path]:
    """Write ``reports.csv`` and ``reports.parquet`` (analysed reports and duplicate copies),
    ``rejected.csv``, ``inputs.csv`` and ``load_warnings.csv``; returns the paths."""
    processed_dir = Path(processed_dir)
    return {
        "reports.csv": atomic.write_csv(processed_dir / "reports.csv", corpus.all_reports),
        "reports.parquet": atomic.write_parquet(processed_dir / "reports.parquet", corpus.all_reports),
        "rejected.csv": atomic.write_csv(processed_dir / "rejected.csv", corpus.rejected),
        "inputs.csv": atomic.write_csv(processed_dir / "inputs.csv", corpus.inputs),
        "load_warnings.csv": atomic.write_csv(processed_dir / "load_warnings.csv", corpus.warnings),
    }
