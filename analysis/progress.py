"""Progress bars for the steps that can take more than a few seconds.

Plain ``tqdm`` text bars: they render in a terminal and as a line of text in
a notebook's output (``tqdm.auto`` would need ipywidgets in every kernel).
Small jobs get no bar, so the committed notebook outputs stay free of them.
"""
from __future__ import annotations

import sys
from typing import Iterator, Sequence, TypeVar

from tqdm import tqdm

#: Fewer items than this: no bar (the step is over before a bar would be read).
MIN_ITEMS = 200


def progress_bar(total: int, desc: str, unit: str = "report", disable: bool | None = None) -> tqdm:
    """A ``tqdm`` bar on stderr; disabled for fewer than ``MIN_ITEMS`` items unless ``disable`` says otherwise."""
    if disable is None:
        disable = total < MIN_ITEMS
    return tqdm(total=total, desc=desc, unit=unit, disable=disable, file=sys.stderr, dynamic_ncols=True,
                mininterval=0.5)


T = TypeVar("T")


def progress_bar_over(items: Sequence[T], desc: str, unit: str = "report") -> Iterator[T]:
    """Iterate over ``items`` with a bar (none for fewer than ``MIN_ITEMS``)."""
    bar = progress_bar(len(items), desc, unit)
    try:
        for item in items:
            yield item
            bar.update(1)
    finally:
        bar.close()
