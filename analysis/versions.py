"""Fingerprints of the package's own code, for cache keys."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from analysis import config


@lru_cache(maxsize=None)
def code_version(*names: str) -> str:
    """SHA-256 over the named files of the package (``"citations.py"``, ``"data/aliases.csv"``).

    A cached result keyed by this changes exactly when one of the files that
    computed it changes.
    """
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode() + b"\0" + (config.PACKAGE_DIR / name).read_bytes() + b"\0")
    return digest.hexdigest()
