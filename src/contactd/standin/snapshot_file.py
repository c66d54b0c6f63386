"""Snapshot files: the whole store in one portable JSON file (docs/stand-in.md).

`contactd snapshot save FILE` / `load FILE` and `serve --stand-in --snapshot FILE
[--save-on-exit]` all go through `save` and `load` here. A file reads

    {"format": "contactd-snapshot", "version": 1, "schema": 12, "saved_at": ...,
     "backend": "sqlite", "store": {"last_seq": ..., "meta": [...], "apps": [...], ...}}

with the rows of each table under `store` (`domain.snapshot.StoreSnapshot`; bytes in
base64), the same for both backends: a file saved from SQLite loads into PostgreSQL
and back. `schema` is the number of the latest migration of this contactd, whose
tables the rows are: a file of another schema is refused rather than guessed at.

A file is written under a temporary name in its directory, flushed to disk and only
then renamed over the old one: a crash leaves the old file or the new one, never half
of one. It holds the server secret and the hashes of every secret and password, so it
is made readable by its owner only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import msgspec

from contactd.domain.clock import now_ms
from contactd.domain.snapshot import SnapshotRowsRefused, StoreSnapshot
from contactd.domain.store import Store
from contactd.store.migrations.runner import migrations_for

__all__ = [
    "FORMAT",
    "SCHEMA",
    "VERSION",
    "SnapshotFile",
    "SnapshotRefused",
    "SnapshotSummary",
    "check_at_start",
    "load",
    "load_at_start",
    "read",
    "replace_with",
    "save",
    "save_on_exit",
    "write_atomically",
]

log = logging.getLogger("contactd.standin")

FORMAT: Final = "contactd-snapshot"
VERSION: Final = 1
SCHEMA = max(
    version for backend in ("sqlite", "postgresql") for version, *_ in migrations_for(backend)
)
"""The latest migration's number: both backends' tables, whose rows a file holds, are
those of this schema (a migration of one backend only keeps its number unused by the
other)."""


class SnapshotRefused(ValueError):
    """The file cannot be loaded (not a snapshot, another format, version or schema,
    corrupt, or rows the store refuses); the store is unchanged. The message names the
    file and what is wrong."""


class _Header(msgspec.Struct):
    """What is read first, to say what a file is before reading its rows."""

    format: Any = None
    version: Any = None
    schema: Any = None


class SnapshotFile(msgspec.Struct, kw_only=True):
    format: Literal["contactd-snapshot"]
    version: Literal[1]
    schema: int
    saved_at: int
    """When it was saved, in epoch ms."""
    backend: str
    """The backend it was saved from ("sqlite" or "postgresql"), for people reading it."""
    store: StoreSnapshot


@dataclass(frozen=True)
class SnapshotSummary:
    apps: int
    principals: int
    contacts: int

    @classmethod
    def of(cls, snapshot: StoreSnapshot) -> SnapshotSummary:
        return cls(len(snapshot.apps), len(snapshot.principals), len(snapshot.contacts))

    def __str__(self) -> str:
        return f"{self.apps} apps, {self.principals} agents and users, {self.contacts} contacts"


_encoder = msgspec.json.Encoder()
_header = msgspec.json.Decoder(_Header)
_file = msgspec.json.Decoder(SnapshotFile)


async def save(store: Store, path: str | os.PathLike[str]) -> SnapshotSummary:
    """Write the whole store to `path` (replaced whole if it exists); `OSError` if it
    cannot be written, the old file then left as it was."""
    snapshot = await store.dump_snapshot()
    document = SnapshotFile(
        format=FORMAT,
        version=VERSION,
        schema=SCHEMA,
        saved_at=now_ms(),
        backend=store.backend,
        store=snapshot,
    )
    write_atomically(Path(path), _encoder.encode(document))
    return SnapshotSummary.of(snapshot)


async def load(store: Store, path: str | os.PathLike[str]) -> SnapshotSummary:
    """Replace the whole store with the file's rows; `SnapshotRefused` naming what is
    wrong with it, the store then unchanged."""
    return await replace_with(store, read(Path(path)), path)


async def replace_with(
    store: Store, snapshot: StoreSnapshot, path: str | os.PathLike[str]
) -> SnapshotSummary:
    """Replace the whole store with the rows `read` from the file at `path`."""
    try:
        await store.load_snapshot(snapshot)
    except SnapshotRowsRefused as exc:
        raise SnapshotRefused(
            f"{path} was not loaded: its rows break a rule of the store ({exc});"
            " the store is unchanged"
        ) from exc
    return SnapshotSummary.of(snapshot)


def read(path: Path) -> StoreSnapshot:
    """The rows of the snapshot file at `path`, checked; `SnapshotRefused` otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotRefused(f"the snapshot {path} cannot be read: {exc.strerror}") from exc
    try:
        header = _header.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise SnapshotRefused(f"{path} is not a contactd snapshot, or is cut short: {exc}") from exc
    if header.format != FORMAT:
        raise SnapshotRefused(
            f"{path} is not a contactd snapshot: its format is {header.format!r}, not {FORMAT!r}"
        )
    if header.version != VERSION:
        raise SnapshotRefused(
            f"{path} is a contactd snapshot of version {header.version!r}; this contactd"
            f" reads version {VERSION}"
        )
    if header.schema != SCHEMA:
        raise SnapshotRefused(
            f"{path} holds the tables of schema {header.schema!r}; this contactd's are of"
            f" schema {SCHEMA}: load it with the contactd that saved it"
        )
    try:
        return _file.decode(data).store
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise SnapshotRefused(f"{path} is a corrupt snapshot: {exc}") from exc


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that `path` is always the old file or the new one:
    under a temporary name beside it (mode 0600), flushed to disk, renamed over it, and
    the rename itself flushed. On a failure the temporary file is removed."""
    directory = path.absolute().parent
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Flush the directory's entry of the renamed file (a crash then keeps the rename)."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- `contactd serve --stand-in --snapshot FILE [--save-on-exit]` -----------------------
def check_at_start(path: str, *, missing_ok: bool) -> StoreSnapshot | None:
    """The rows `load_at_start` will load, or None when there is no file and that is
    allowed; `SnapshotRefused` otherwise (`contactd serve` asks before it starts, to
    refuse a bad file in one line rather than out of the server's start-up)."""
    if missing_ok and not os.path.lexists(path):
        return None
    return read(Path(path))


async def load_at_start(store: Store, path: str, *, missing_ok: bool) -> None:
    """Load the snapshot before the server serves. A file not there yet is the first
    run of `--save-on-exit` (`missing_ok`): the store serves as it is and is saved there
    on exit; without `--save-on-exit` it is refused, as a mistyped path would be."""
    snapshot = check_at_start(path, missing_ok=missing_ok)
    if snapshot is None:
        log.info("no snapshot at %s yet: serving the store as it is, saved there on exit", path)
        return
    summary = await replace_with(store, snapshot, path)
    log.info("loaded the snapshot %s: %s", path, summary)


async def save_on_exit(store: Store, path: str) -> None:
    """Save the store as the server stops; a failure is logged (the old file stays)."""
    try:
        summary = await save(store, path)
    except Exception:
        log.exception("the store was not saved to %s as the server stopped", path)
        return
    log.info("saved the store to %s as the server stopped: %s", path, summary)
