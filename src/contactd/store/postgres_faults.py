"""What PostgreSQL's errors mean to contactd: a full disk, or a store that cannot write;
and an error's text as one line for a message.

PostgreSQL reports them by SQLSTATE, and aborts the statement's transaction, so none of
a write that meets one was stored. None of them needs a new connection either: the
same pool writes again once the operator has freed space or made the database
writable.
"""

from __future__ import annotations

from psycopg import errors

from contactd.domain.errors import Outcome
from contactd.domain.store import StoreError, StoreFault, StoreFull

__all__ = ["STORAGE_ERRORS", "one_line", "store_fault"]

STORAGE_ERRORS: tuple[type[errors.Error], ...] = (
    errors.DiskFull,  # 53100: "could not extend file ...: No space left on device"
    errors.ReadOnlySqlTransaction,  # 25006: a hot standby, default_transaction_read_only
    errors.IoError,  # 58030: the disk failed a read or a write
)
"""The errors `store_fault` translates, for an `except` clause."""


def store_fault(exc: errors.Error) -> StoreError:
    """The store condition one of `STORAGE_ERRORS` means."""
    detail = f"PostgreSQL {exc.sqlstate}: {one_line(exc)}"
    if isinstance(exc, errors.DiskFull):
        return StoreFull(detail)
    # The server answered: it aborted the transaction, so nothing of it was applied.
    return StoreFault(detail, outcome=Outcome.NOT_APPLIED)


def one_line(exc: BaseException) -> str:
    """The error's message on one line (libpq's span several; they name host and port,
    never a password)."""
    return " ".join(str(exc).split()) or repr(exc)
