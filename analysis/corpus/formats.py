"""Readers for the formats people collect reports in.

Each reader takes a file's bytes and returns ``Draft`` reports (one for a page,
one per record for exports) or raises ``InputError`` with a reason a person
understands. Nothing here decides between sources of metadata; the corpus
loader does that.
"""
from __future__ import annotations

import csv
import sys
import gzip
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import trafilatura

from analysis.corpus.cleaning import clean_capture
from analysis.corpus.decoding import DecodeError, decode_bytes, normalise_text

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html"}
RECORD_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **RECORD_SUFFIXES}

# Usual field names of exports (Media Cloud, NewsAPI, GDELT, scrapers, spreadsheets), compared lower-cased without punctuation.
FIELD_NAMES = {
    "text": ["text", "body", "content", "contentoriginal", "maintext", "fulltext", "articletext", "articlebody",
             "bodyparagraphs", "article", "story", "storytext", "textcontent"],
    "title": ["title", "headline", "heading", "name", "articletitle"],
    "outlet": ["outlet", "source", "sourcename", "publisher", "publication", "sitename", "site", "media", "medianame",
               "mediaoutlet", "newspaper", "domain", "sourcedomain"],
    "published": ["published", "publishdate", "publisheddate", "publishedat", "datepublished", "pubdate",
                  "publicationdate", "datepublish", "date", "datetime", "publishdatetime", "createdat", "timestamp"],
    "url": ["url", "link", "articleurl", "canonicalurl", "permalink", "href", "uri"],
    "id": ["id", "reportid", "docid", "articleid", "storiesid", "uuid", "guid"],
    "author": ["author", "authors", "byline", "creator"],
}


csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article bodies exceed the 128 KiB default


class InputError(ValueError):
    """A file or record that cannot be analysed; the message says why."""


@dataclass
class Draft:
    """One report read from a file, before the loader settles its metadata.

    ``meta`` maps a field ("outlet", "published", "url", "author") to
    ``(value, method, evidence)`` found in the page metadata or record fields.
    """

    record: str
    format: str
    encoding: str
    title: str
    body: str
    raw_text: str
    removed: list[dict] = field(default_factory=list)
    meta: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    dateline: tuple[Any, str] | None = None
    banner_date: tuple[Any, str] | None = None
    credits: list = field(default_factory=list)  # analysis.corpus.credits.Credit of the header's credit lines


def read_text(data: bytes, markdown: bool = False) -> list[Draft]:
    """Read a plain-text or Markdown web capture (title = first non-empty line)."""
    text, encoding = _decode(data)
    if markdown:
        text = strip_markdown(text)
    capture = clean_capture(text)
    return [Draft("", "markdown" if markdown else "text", encoding, capture.title, capture.body, text,
                  capture.removed, {}, capture.dateline, capture.banner_date, capture.credits)]


def strip_markdown(text: str) -> str:
    """Drop Markdown syntax a reader does not see (headings marks, links, images, emphasis)."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return text


def read_html(data: bytes) -> list[Draft]:
    """Read a saved HTML page: main text via trafilatura, metadata from the page head.

    Truncated or malformed markup still loads (lxml recovers); a page with no
    extractable text raises ``InputError``.
    """
    html, encoding = _decode(data, normalise=False)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", recover=True))
    except Exception as exc:  # lxml raises ParserError on documents with no element at all
        raise InputError(f"HTML page could not be parsed: {exc}") from exc
    meta = html_metadata(tree)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    text = doc.text if doc is not None and doc.text else ""
    if not text.strip():
        doc_recall = trafilatura.bare_extraction(html, with_metadata=False, include_comments=False, favor_recall=True)
        text = doc_recall.text if doc_recall is not None and doc_recall.text else trafilatura.html2txt(html) or ""
    text = normalise_text(text)
    if not text.strip():
        raise InputError("HTML page has no readable text")
    title = meta.pop("title", ("", "", ""))[0] or (doc.title if doc is not None and doc.title else "")
    if doc is not None:
        if doc.sitename and "outlet" not in meta:
            meta["outlet"] = (doc.sitename, "page metadata (site name)", f"site name: {doc.sitename}")
        if doc.date and "published" not in meta:
            meta["published"] = (doc.date, "page metadata (htmldate)", f"date in page metadata: {doc.date}")
        if doc.url and "url" not in meta:
            meta["url"] = (doc.url, "page metadata", f"url: {doc.url}")
        if doc.author and "author" not in meta:
            meta["author"] = (doc.author, "page metadata", f"author: {doc.author}")
    capture = clean_capture(text, title=title or None)
    return [Draft("", "html", encoding, capture.title, capture.body, text, capture.removed, meta,
                  capture.dateline, capture.banner_date, capture.credits)]


_META_FIELDS = [
    ("title", ["og:title", "twitter:title"]),
    ("outlet", ["og:site_name", "application-name", "publisher", "dc.publisher"]),
    ("published", ["article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
                   "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date"]),
    ("url", ["og:url"]),
    ("author", ["author", "article:author", "dc.creator"]),
]


def html_metadata(tree) -> dict[str, tuple[str, str, str]]:
    """Title, outlet, publication date, URL and author from a page's head.

    Looks at Open Graph and other ``<meta>`` tags, JSON-LD (``datePublished``,
    ``publisher.name``, ``headline``), ``<link rel=canonical>``, ``<time
    datetime>`` and ``<title>``. Returns ``{field: (value, method, evidence)}``.
    """
    found: dict[str, tuple[str, str, str]] = {}
    metas = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    for name, keys in _META_FIELDS:
        for key in keys:
            if key in metas:
                found[name] = (metas[key], f"page metadata ({key})", f'<meta {key}="{metas[key]}">')
                break
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            payload = json.loads(script.text)
        except ValueError:
            continue
        for item in _jsonld_items(payload):
            if "published" not in found and isinstance(item.get("datePublished"), str):
                found["published"] = (item["datePublished"], "page metadata (JSON-LD datePublished)",
                                      f'JSON-LD "datePublished": "{item["datePublished"]}"')
            publisher = item.get("publisher")
            if "outlet" not in found and isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                found["outlet"] = (publisher["name"], "page metadata (JSON-LD publisher)", f'JSON-LD publisher "{publisher["name"]}"')
            if "title" not in found and isinstance(item.get("headline"), str):
                found["title"] = (item["headline"], "page metadata (JSON-LD headline)", item["headline"])
    if "published" not in found:
        for el in tree.iter("time"):
            value = (el.get("datetime") or "").strip()
            if value:
                found["published"] = (value, "page markup (<time datetime>)", f'<time datetime="{value}">')
                break
    if "url" not in found:
        for el in tree.iter("link"):
            if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
                found["url"] = (el.get("href"), "page metadata (canonical link)", f'<link rel="canonical" href="{el.get("href")}">')
                break
    if "title" not in found:
        titles = [t.text_content().strip() for t in tree.iter("title")]
        if titles and titles[0]:
            found["title"] = (titles[0], "page <title>", titles[0])
    return {k: (normalise_text(v).strip(), m, e) for k, (v, m, e) in found.items()}


def _jsonld_items(payload):
    if isinstance(payload, list):
        for item in payload:
            yield from _jsonld_items(item)
    elif isinstance(payload, dict):
        yield payload
        if isinstance(payload.get("@graph"), list):
            yield from _jsonld_items(payload["@graph"])


def read_records(data: bytes, kind: str) -> tuple[list[Draft], list[tuple[str, str]]]:
    """Read a JSON, JSON-lines, CSV or TSV export: one report per record.

    Returns the drafts and ``(record, reason)`` for records that cannot be
    analysed (no text, invalid JSON line). Raises ``InputError`` when the whole
    file is unreadable.
    """
    text, encoding = _decode(data, normalise=False)
    records: list[tuple[str, Any]] = []
    problems: list[tuple[str, str]] = []
    if kind == "jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((f"line {n}", json.loads(line)))
            except ValueError as exc:
                problems.append((f"line {n}", f"invalid JSON: {exc}"))
    elif kind == "json":
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise InputError(f"invalid JSON: {exc}") from exc
        if isinstance(payload, dict):
            lists = [v for v in payload.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
            payload = lists[0] if len(lists) == 1 and _field(payload, "text") is None else [payload]
        if not isinstance(payload, list):
            raise InputError("JSON file holds neither a record nor a list of records")
        records = [(f"record {n}", item) for n, item in enumerate(payload, start=1)]
    else:
        delimiter = "\t" if kind == "tsv" else _sniff_delimiter(text)
        try:
            rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise InputError(f"invalid CSV: {exc}") from exc
        if rows and _field(rows[0], "text") is None:
            raise InputError(f"no text column (looked for {', '.join(FIELD_NAMES['text'][:6])}, …); columns are {', '.join(map(str, rows[0]))}")
        records = [(f"row {n}", row) for n, row in enumerate(rows, start=1)]
    if not records and not problems:
        raise InputError("export holds no records")

    drafts: list[Draft] = []
    ids = [_field(r, "id") if isinstance(r, dict) else None for _, r in records]
    id_values = [str(v[1]) for v in ids if v is not None]
    use_ids = len(id_values) == len(records) and len(set(id_values)) == len(id_values)
    for number, ((where, record), rid) in enumerate(zip(records, ids), start=1):
        if not isinstance(record, dict):
            problems.append((where, "record is not an object with fields"))
            continue
        body = _field(record, "text")
        body_text = normalise_text(_flatten(body[1])) if body else ""
        if not body_text.strip():
            if _field(record, "text", allow_empty=True):
                problems.append((where, "record's text field is empty"))
            else:
                problems.append((where, f"record has no text field (looked for {', '.join(FIELD_NAMES['text'][:6])}, …)"))
            continue
        title = _field(record, "title")
        meta = {}
        for name in ("outlet", "published", "url", "author"):
            value = _field(record, name)
            if value is not None and _flatten(value[1]).strip():
                flat = normalise_text(_flatten(value[1])).strip()
                meta[name] = (flat, f"record field '{value[0]}'", f'{value[0]}: "{flat}"')
        capture = clean_capture(body_text, title=normalise_text(_flatten(title[1])).strip() if title else None)
        if not title:
            capture = clean_capture(body_text)
        record_key = str(rid[1]) if use_ids else str(number)
        drafts.append(Draft(record_key, kind, encoding, capture.title, capture.body, body_text, capture.removed, meta,
                            capture.dateline, None, capture.credits))
    return drafts, problems


def _field(record: dict, name: str, allow_empty: bool = False):
    """Return ``(key, value)`` of the first non-empty field of ``record`` known under ``name``."""
    keys = {re.sub(r"[^a-z0-9]", "", str(k).lower()): k for k in record}
    for candidate in FIELD_NAMES[name]:
        if candidate in keys:
            value = record[keys[candidate]]
            if isinstance(value, dict):  # NewsAPI-style {"source": {"id": ..., "name": ...}}
                value = value.get("name") or value.get("title") or value.get("url") or ""
            if (value is None or value == "") and not allow_empty:
                continue
            return keys[candidate], value
    return None


def _flatten(value) -> str:
    if isinstance(value, list):
        return "\n\n".join(_flatten(v) for v in value if v not in (None, ""))
    return "" if value is None else str(value)


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _decode(data: bytes, normalise: bool = True) -> tuple[str, str]:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise InputError(str(exc)) from exc
    if not text.strip():
        raise InputError("empty file (only whitespace)")
    return (normalise_text(text) if normalise else text), encoding


def gunzip(data: bytes) -> bytes:
    """Decompress a ``.gz`` file; raise ``InputError`` if it is not valid gzip."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise InputError(f"not a valid gzip file: {exc}") from exc
