"""The CSV files `contacts import` reads and `contacts export` writes; `-` is stdin/stdout."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, TextIO

from contactd.cli.failure import fail

__all__ = ["STDIO", "open_csv"]

STDIO = "-"
"""The file name that means standard input (import) or standard output (export)."""


@contextlib.contextmanager
def open_csv(name: str, mode: Literal["r", "w"]) -> Iterator[TextIO]:
    """The named CSV, opened as the csv module wants (`newline=""`); a byte-order mark
    that a spreadsheet put at the start of a file is skipped."""
    if name == STDIO:
        yield sys.stdin if mode == "r" else sys.stdout
        return
    path = Path(name)
    try:
        source = path.open(mode, newline="", encoding="utf-8-sig" if mode == "r" else "utf-8")
    except OSError as exc:
        raise fail(f"{path.absolute()}: {exc.strerror or exc}") from exc
    with source:
        yield source
