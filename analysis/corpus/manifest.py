"""The optional ``manifest.csv`` of a corpus folder: outlet, URL and date per file.

Columns ``file, outlet, url, published`` (extra columns are kept and carried
into the reports table). Manifest values win over anything inferred. Rows
that name a missing file or a path outside the corpus folder are rejected;
an invalid date is a warning and the date is inferred instead.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from analysis.corpus.dates import DateError, PublicationDate, parse_date
from analysis.corpus.decoding import DecodeError, decode_bytes, normalise_text

MANIFEST_NAME = "manifest.csv"
REQUIRED = ("file",)
KNOWN = ("file", "outlet", "url", "published")


@dataclass
class ManifestEntry:
    """What the manifest says of one file (empty strings where it is silent)."""

    file: str
    row: int
    outlet: str = ""
    url: str = ""
    published: PublicationDate | None = None
    published_raw: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """Parsed manifest: entries by corpus-relative path, rejected rows, warnings."""

    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, warning)
    extra_columns: list[str] = field(default_factory=list)


def read_manifest(path: Path, root: Path, today: date | None = None) -> Manifest:
    """Read and validate ``path`` against the corpus folder ``root``.

    Raises ``ValueError`` with a reason when the manifest itself is unusable
    (undecodable, or no ``file`` column).
    """
    manifest = Manifest()
    try:
        text, _ = decode_bytes(path.read_bytes())
    except DecodeError as exc:
        raise ValueError(f"manifest is not readable text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(normalise_text(text)))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if "file" not in columns:
        raise ValueError(f"manifest has no 'file' column (columns: {', '.join(columns) or 'none'})")
    manifest.extra_columns = [c for c in columns if c not in KNOWN and c]
    root = root.resolve()
    for n, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"{MANIFEST_NAME} row {n}"
        name = row.get("file", "")
        if not name:
            manifest.rejected.append((where, "manifest row has an empty 'file' field"))
            continue
        pure = PurePosixPath(name.replace("\\", "/"))
        target = (root / pure).resolve()
        if pure.is_absolute() or not target.is_relative_to(root):
            manifest.rejected.append((where, f"manifest path '{name}' points outside the corpus folder"))
            continue
        rel = target.relative_to(root).as_posix()
        if not target.is_file():
            manifest.rejected.append((where, f"manifest names a missing file '{name}'"))
            continue
        if rel in manifest.entries:
            manifest.warnings.append((rel, f"{where} repeats '{name}' (row {manifest.entries[rel].row} is used)"))
            continue
        entry = ManifestEntry(rel, n, outlet=row.get("outlet", ""), url=row.get("url", ""),
                              extra={c: row.get(c, "") for c in manifest.extra_columns})
        if row.get("published"):
            entry.published_raw = row["published"]
            try:
                entry.published = parse_date(row["published"], today)
            except DateError as exc:
                manifest.warnings.append((rel, f"{where}: invalid published date '{row['published']}' ({exc}); date inferred instead"))
        manifest.entries[rel] = entry
    return manifest
