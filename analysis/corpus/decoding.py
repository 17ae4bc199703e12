"""Turn the bytes of a captured file into normalised text, or say why not.

Handles what web captures come in: UTF-8 (with or without BOM), UTF-16/32
with BOM, and legacy single-byte pages (Windows-1252 and friends, detected
with charset-normalizer). Binary files are refused rather than decoded into
mojibake.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Magic numbers of formats people drop into a folder by mistake.
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX/EPUB)",
    b"\xd0\xcf\x11\xe0": "a legacy Microsoft Office document",
    b"\x7fELF": "an executable",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text this toolkit can read; the message says why."""


def detect_binary(data: bytes) -> str | None:
    """Return what kind of binary ``data`` looks like, or ``None`` if it may be text."""
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (contains NUL bytes)"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)``; raise ``DecodeError`` when it is not text.

    The text is not normalised yet; see ``normalise_text``.
    """
    kind = detect_binary(data)
    if kind:
        raise DecodeError(f"binary file: {kind}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b > 0x7F)
    if high <= max(8, len(data) // 50):
        # Mostly-ASCII text with a few legacy bytes ("\xa315.8m") is Western: detectors guess wildly on so little.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    matches = list(from_bytes(data))
    if not matches:
        raise DecodeError("undecodable: not UTF-8 and no legacy encoding fits")
    best = matches[0]
    encoding = best.encoding
    # Several single-byte code pages decode Western text identically; the web's legacy default wins ties.
    tied = [m for m in matches if m.chaos <= best.chaos]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text, encoding = str(best), best.encoding
    if len(_CONTROL.findall(text)) > max(3, len(text) // 1000):
        raise DecodeError(f"undecodable: decoding as {encoding} gives control characters")
    return text, encoding


def normalise_text(text: str) -> str:
    """Unicode NFC, ``\\n`` newlines, no control characters or trailing spaces, no BOM."""
    text = text.replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")
