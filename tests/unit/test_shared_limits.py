"""Limits that the stdlib-only modules (shared with the SDK-based CLI) repeat from the
server, held equal to the server's own."""

from __future__ import annotations

from contactd import contacts_csv
from contactd.api import v3


def test_an_import_batch_is_what_one_v3_add_takes() -> None:
    assert contacts_csv.BATCH_SIZE == v3.MAX_BATCH
