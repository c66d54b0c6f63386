"""Importing a contacts CSV: every good row stored, every bad one reported by line."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from contactd import contacts_csv
from contactd.cli.failure import fail
from contactd.client import BadRequestError, Client, ConflictError, ContactCreate
from contactd.contacts_csv import BATCH_SIZE, Rejected

__all__ = ["Importer", "Rejected", "Row", "batches", "count_rows", "read_rows"]


@dataclass(frozen=True)
class Row:
    line: int
    contact: ContactCreate


_ITEM = re.compile(r"contacts\[(\d+)\]\.?")


class Importer:
    """Stores every good row of a batch; isolates and reports each bad one.

    The server refuses a whole batch for one bad row. A 400 names the item's index: that
    row is dropped and the rest re-sent. A 409 names phones: those rows are re-sent one by
    one (a lone 409 is definitive) and the others together. Anything unnamed is bisected.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self.stored = 0
        self.rejected: list[Rejected] = []

    def reject(self, row: Row, reason: str) -> None:
        self.rejected.append(Rejected(row.line, row.contact.phone_no, reason))

    def store(self, rows: list[Row]) -> None:
        if not rows:
            return
        try:
            self.client.v3.contacts.add([row.contact for row in rows])
        except ConflictError as exc:
            self._conflict(rows, exc)
        except BadRequestError as exc:
            self._invalid(rows, exc)
        else:
            self.stored += len(rows)

    def _conflict(self, rows: list[Row], exc: ConflictError) -> None:
        if len(rows) == 1:
            return self.reject(rows[0], "phone already stored")
        named = set(exc.duplicates)
        if not any(row.contact.phone_no in named for row in rows):
            return self._bisect(rows)
        run: list[Row] = []
        for row in rows:  # keep the file's order: runs of clean rows, suspects alone
            if row.contact.phone_no in named:
                self.store(run)
                self.store([row])
                run = []
            else:
                run.append(row)
        self.store(run)
        return None

    def _invalid(self, rows: list[Row], exc: BadRequestError) -> None:
        match = _ITEM.search(exc.msg)
        index = int(match.group(1)) if match else -1
        if len(rows) == 1 or 0 <= index < len(rows):
            bad = rows[index] if len(rows) > 1 else rows[0]
            self.reject(bad, _ITEM.sub("", exc.msg))
            return self.store([row for row in rows if row is not bad])
        return self._bisect(rows)

    def _bisect(self, rows: list[Row]) -> None:
        middle = len(rows) // 2
        self.store(rows[:middle])
        self.store(rows[middle:])


def read_rows(source: TextIO, name: str) -> Iterator[Row | Rejected]:
    """Rows of a contacts CSV (`contactd.contacts_csv`); a phone repeated in the file is
    rejected on the spot."""
    try:
        for item in contacts_csv.read_rows(source):
            if isinstance(item, Rejected):
                yield item
            else:
                yield Row(item.line, ContactCreate(**item.fields))
    except contacts_csv.NoPhoneColumn as exc:
        raise fail(f"{name}: {exc}") from exc


def batches(items: Iterator[Row | Rejected], importer: Importer) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for item in items:
        if isinstance(item, Rejected):
            importer.rejected.append(item)
            continue
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def count_rows(source: TextIO) -> int | None:
    """The rows of a CSV that can be read twice (a file), for the progress bar; `None`
    for a pipe, which can be read only once."""
    if not source.seekable():
        return None
    start = source.tell()
    rows = max(0, sum(1 for _ in csv.reader(source)) - 1)
    source.seek(start)
    return rows
