"""The contacts CSV: the file `contactd contacts export` writes and `contactd contacts
import` reads, and the text `/x/contacts/export` answers and `/x/contacts/import` takes
(docs/api.md, "Extensions"). One definition for the CLI and the server, so that a file
written by either is read alike by both.

A file is a header row naming the columns, then one contact a row. Reading takes the
columns by name (any order; a missing one is empty, an unknown one ignored), strips
each value, and refuses a phone already seen earlier in the same text. Writing is the
csv module's default dialect (`excel`: commas, `\\r\\n`, quotes where needed).

Only the standard library: the SDK-based CLI and the server both import it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = [
    "BATCH_SIZE",
    "CSV_COLUMNS",
    "NoPhoneColumn",
    "Rejected",
    "Row",
    "read_rows",
    "read_text",
    "write_contacts",
]

BATCH_SIZE = 100
"""Rows an import stores at a time, on either side: the most one `/v3/contact/add`
takes (`api.v3.MAX_BATCH`; tests/unit holds the two equal)."""

CSV_COLUMNS = ("phone_no", "first_name", "last_name", "email_id", "company", "job_title")
"""The columns, in the order written: the v3 contact card's fields but its id."""
PHONE_COLUMN = CSV_COLUMNS[0]
_BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class Row:
    """A row to store: its line in the file and its values by column."""

    line: int
    fields: dict[str, str]


@dataclass(frozen=True)
class Rejected:
    """A row refused, with its line, its phone as written and why."""

    line: int
    phone_no: str
    reason: str


class NoPhoneColumn(ValueError):
    """The header has no `phone_no` column: no row can be read."""

    def __init__(self) -> None:
        super().__init__(f"no {PHONE_COLUMN} column (expected: {', '.join(CSV_COLUMNS)})")


def read_rows(source: TextIO, *, first_line: int = 1) -> Iterator[Row | Rejected]:
    """The rows of a contacts CSV, in order; a phone repeated in the text is rejected on
    the spot. `first_line` is the line of the header in the whole file (a chunk of a
    file repeats the header), so the lines given are the file's. Raises `NoPhoneColumn`
    when the first row is read."""
    first_seen: dict[str, int] = {}
    reader = csv.DictReader(source)
    if PHONE_COLUMN not in (reader.fieldnames or []):
        raise NoPhoneColumn
    for record in reader:
        fields = {c: (record.get(c) or "").strip() for c in CSV_COLUMNS}
        phone, line = fields[PHONE_COLUMN], first_line - 1 + reader.line_num
        if phone in first_seen:
            yield Rejected(line, phone, f"phone repeated in the file (line {first_seen[phone]})")
            continue
        first_seen[phone] = line
        yield Row(line, fields)


def read_text(text: str, *, first_line: int = 1) -> Iterator[Row | Rejected]:
    """`read_rows` of CSV text held in memory; a leading byte-order mark (a spreadsheet's)
    is skipped, as the CLI skips it in a file."""
    return read_rows(
        io.StringIO(text.removeprefix(_BYTE_ORDER_MARK), newline=""), first_line=first_line
    )


def write_contacts(out: TextIO, contacts: Iterable[Any], *, header: bool) -> None:
    """Write a row per contact (any object with an attribute per column), after the
    header row when `header`."""
    writer = csv.writer(out)
    if header:
        writer.writerow(CSV_COLUMNS)
    writer.writerows([getattr(contact, column) for column in CSV_COLUMNS] for contact in contacts)
