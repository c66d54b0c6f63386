"""The writer lock: one process at a time writes a SQLite store.

SQLite before 3.51.3 can corrupt a WAL database that several processes write at once,
so the process that opens a store for writing (a server, or an operator command while
no server runs) holds an exclusive `flock` on `<db>.lock` beside it, and writes its pid
and role into that file so that a refused process can say who holds the store. The
kernel releases the lock when the process ends, however it ends, so a killed server
leaves no stale lock behind (the file stays; only the lock counts).

Within one process the lock is counted, not taken twice: `serve` takes it before
uvicorn starts (so that a second server exits at once, with a message) and the store
the application opens takes it again; a test may open two stores on one file.
"""

from __future__ import annotations

import fcntl
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from contactd.store.sqlite_files import StoreLocationError, check_location, lock_path

__all__ = ["Holder", "StoreHeld", "WriterLock", "acquire"]


@dataclass(frozen=True)
class Holder:
    """The process holding a store, as it wrote itself into the lock file."""

    pid: int
    role: str
    """What it is doing: "serve", an operator command ("app create"), or "store"."""

    def __str__(self) -> str:
        return f"process {self.pid} (contactd {self.role})"


class StoreHeld(Exception):
    """Another process holds the store's writer lock."""

    def __init__(self, db: Path, holder: Holder | None) -> None:
        self.db = db
        self.holder = holder
        who = str(holder) if holder else "another process"
        super().__init__(f"the SQLite store {db} is in use by {who}")


@dataclass
class _Held:
    fd: int
    count: int


_held: dict[Path, _Held] = {}
_registry = threading.Lock()


class WriterLock:
    """A hold on a store's writer lock; `release()` (or leaving the `with`) gives it up."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _registry:
            held = _held[self.db]
            held.count -= 1
            if held.count == 0:
                del _held[self.db]
                os.close(held.fd)  # closing the last descriptor drops the flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def acquire(db: Path, *, role: str) -> WriterLock:
    """Take the writer lock of the store at `db` (an absolute path) without waiting.

    Raises `StoreHeld` naming the holder when another process has it, and
    `StoreLocationError` when the store's directory is missing or not writable.
    """
    check_location(db)
    with _registry:
        held = _held.get(db)
        if held is not None:
            held.count += 1
            return WriterLock(db)
        try:
            fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except PermissionError:
            raise StoreLocationError(
                f"the lock file {lock_path(db)} of the SQLite store {db} is not writable by"
                f" this user (uid {os.geteuid()}): run contactd as the user that owns the store"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise StoreHeld(db, holder) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {role}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, its holder goes unnamed
        _held[db] = _Held(fd, 1)
        return WriterLock(db)


def _read_holder(fd: int) -> Holder | None:
    """The holder's record; None while it has not written it yet (just locked)."""
    pid, _, role = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
    return Holder(int(pid), role or "?") if pid.isdigit() else None
