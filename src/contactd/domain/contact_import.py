"""Storing the rows of an import (`/x/contacts/import`; docs/api.md, "Extensions"):
every good row stored, every bad one reported with its line and the reason the CLI
importer gives for it (cli/importer.py, which reaches the same rules over HTTP).

The rows come validated by the adapter (the v3 add's rules, field by field) and are
added through `ContactService.add`, `BATCH_SIZE` at a time, each batch all or none. A
phone that one of the rows before it holds already (the same number, however written)
is "phone already stored": the earlier row is stored first. A batch refused because
the app holds some of its phones (a 409 of the v3 add) has those rows reported and the
others sent again; a refusal that names no row of it is resolved one row at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from contactd.contacts_csv import BATCH_SIZE, Rejected
from contactd.domain.contacts import ContactInput, ContactService
from contactd.domain.errors import DuplicateContacts
from contactd.domain.models import Principal

__all__ = ["PHONE_STORED", "ImportRow", "store_rows"]

PHONE_STORED = "phone already stored"


class ImportRow(msgspec.Struct, frozen=True):
    """A row that passed the v3 add's field rules: its line and phone as written."""

    line: int
    phone_no: str
    contact: ContactInput


async def store_rows(
    contacts: ContactService, caller: Principal, rows: Sequence[ImportRow]
) -> tuple[int, list[Rejected]]:
    """Store every row whose phone the app does not hold; how many were stored, and the
    rows refused for their phone, in the order found."""
    rejected: list[Rejected] = []
    seen: set[str] = set()
    fresh: list[ImportRow] = []
    for row in rows:
        if row.contact.phone.key in seen:
            rejected.append(Rejected(row.line, row.phone_no, PHONE_STORED))
        else:
            seen.add(row.contact.phone.key)
            fresh.append(row)
    stored = 0
    for start in range(0, len(fresh), BATCH_SIZE):
        stored += await _add(contacts, caller, fresh[start : start + BATCH_SIZE], rejected)
    return stored, rejected


async def _add(
    contacts: ContactService, caller: Principal, batch: list[ImportRow], rejected: list[Rejected]
) -> int:
    """Add the batch, less the rows whose phones the app holds (reported); how many
    were stored. Each retry has at least one row fewer, or is one row alone."""
    while batch:
        try:
            await contacts.add(caller, [row.contact for row in batch])
        except DuplicateContacts as exc:
            named = set(exc.duplicates or ())  # the stored phones, as this batch has them
            taken = [row for row in batch if row.contact.phone.digits in named]
            if not taken:
                if len(batch) == 1:
                    taken = batch
                else:
                    return sum([await _add(contacts, caller, [row], rejected) for row in batch])
            rejected.extend(Rejected(row.line, row.phone_no, PHONE_STORED) for row in taken)
            gone = {id(row) for row in taken}
            batch = [row for row in batch if id(row) not in gone]
        else:
            return len(batch)
    return 0
