"""The console's import and export: `/x/contacts/import` and `/x/contacts/export`
(docs/api.md, "Extensions"), in the CSV format of `contactd contacts import` and
`export` (`contactd.contacts_csv`).

An import is sent in chunks (each under the request body limit, its header repeated,
`first_line` the file's line of that header), so every line it reports is the file's.
Each row is held to the v3 add's rules by the v3 add's own types and checks
(`v3.ContactCreate`, `v3.contact_input`): a refused row's reason is the message the v3
add gives for that field, without the `contacts[i].` the CLI importer takes off it too.
The export is streamed a store page at a time: the server never holds the whole book.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated

import msgspec
from msgspec import Meta

from contactd import contacts_csv
from contactd.api import v3
from contactd.api.decode import MAX_BODY_BYTES, decode_body
from contactd.api.fields import Token
from contactd.api.operations import Services, Streamed
from contactd.contacts_csv import Rejected, Row
from contactd.domain.contact_import import ImportRow, store_rows
from contactd.domain.errors import Invalid
from contactd.domain.models import Principal

__all__ = [
    "CsvExport",
    "ExportRequest",
    "ImportRequest",
    "ImportResponse",
    "RejectedRow",
    "export_contacts",
    "import_contacts",
]

# The largest line number: a file of a billion lines is far past anything imported.
MAX_LINE = 1_000_000_000


class ImportRequest(msgspec.Struct):
    token: Token
    csv: Annotated[
        str,
        Meta(
            max_length=MAX_BODY_BYTES,
            description="CSV text: a header row naming the columns (phone_no required;"
            " first_name, last_name, email_id, company, job_title), then a contact a row",
        ),
    ]
    first_line: Annotated[
        int, Meta(ge=1, le=MAX_LINE, description="The file's line of this chunk's header")
    ] = 1


class RejectedRow(msgspec.Struct):
    line: int
    """The row's line in the file (`first_line` is the header's)."""
    phone_no: str
    """The row's phone as written."""
    reason: str


class ImportResponse(msgspec.Struct):
    code: int
    stored: int
    rejected: list[RejectedRow]
    """In line order."""


class ExportRequest(msgspec.Struct):
    token: Token


class CsvExport(Streamed):
    media_type = "text/csv; charset=utf-8"
    description = (
        "Every contact in creation order, as `contactd contacts export` writes it:"
        " a header row, then a contact a row"
    )


_ATTACHMENT = (b"content-disposition", b'attachment; filename="contacts.csv"')
_encode_row = msgspec.json.Encoder().encode
_cards = msgspec.json.Decoder(list[v3.ContactCard])  # type: ignore[valid-type]


def _checked(caller: Principal, row: Row) -> ImportRow | Rejected:
    """The row as the v3 add takes a contact, or why the v3 add refuses it."""
    phone_no = row.fields[contacts_csv.PHONE_COLUMN]
    try:
        item = decode_body(_encode_row(row.fields), v3.ContactCreate)
        return ImportRow(row.line, phone_no, v3.contact_input(caller.country_code, item))
    except Invalid as exc:
        return Rejected(row.line, phone_no, exc.msg)


async def import_contacts(services: Services, request: ImportRequest) -> ImportResponse:
    caller = await services.principals.authenticate(request.token)
    rejected: list[Rejected] = []
    good: list[ImportRow] = []
    try:
        for item in contacts_csv.read_text(request.csv, first_line=request.first_line):
            checked = item if isinstance(item, Rejected) else _checked(caller, item)
            (rejected if isinstance(checked, Rejected) else good).append(checked)  # type: ignore[arg-type]
    except contacts_csv.NoPhoneColumn as exc:
        raise Invalid(f"csv has {exc}") from exc
    except csv.Error as exc:
        raise Invalid(f"csv is not readable as CSV: {exc}") from exc
    stored, taken = await store_rows(services.contacts, caller, good)
    report = sorted([*rejected, *taken], key=lambda r: r.line)
    return ImportResponse(
        code=200,
        stored=stored,
        rejected=[RejectedRow(r.line, r.phone_no, r.reason) for r in report],
    )


async def export_contacts(services: Services, request: ExportRequest) -> CsvExport:
    caller = await services.principals.authenticate(request.token)
    return CsvExport(_csv_pages(services.extensions.export_pages(caller)), (_ATTACHMENT,))


async def _csv_pages(pages: AsyncIterator[str]) -> AsyncIterator[bytes]:
    """The CSV of each page of cards, the header before the first."""
    header = True
    async for cards in pages:
        out = io.StringIO()
        contacts_csv.write_contacts(out, _cards.decode(cards), header=header)
        header = False
        yield out.getvalue().encode()
