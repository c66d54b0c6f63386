"""Small filesystems that fill up: a tmpfs a test mounts, fills and frees.

Mounting needs root (the tests run as root here); `tmpfs_problem()` says why a tmpfs
cannot be used, so that a test can fall back or skip with the reason.
"""

from __future__ import annotations

import errno
import functools
import os
import secrets
import subprocess
import time
from pathlib import Path

__all__ = ["Tmpfs", "tmpfs_problem"]

_CHUNKS = (1 << 20, 1 << 16, 1 << 12, 1)
"""Ballast is written in ever smaller pieces, so that it takes the very last byte."""


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@functools.cache
def tmpfs_problem() -> str | None:
    """Why this process cannot mount a tmpfs, or None when it can (tried once)."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    probe = Path(f"/tmp/contactd-probe-{secrets.token_hex(4)}")
    probe.mkdir()
    try:
        mounted = _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
        if mounted.returncode != 0:
            return f"mount -t tmpfs failed: {mounted.stderr.strip()}"
        _run("umount", str(probe))
        return None
    finally:
        probe.rmdir()


class Tmpfs:
    """A tmpfs of `size` (mount's syntax: "2m") at `mount_point`, which must exist."""

    def __init__(self, mount_point: Path, size: str, *, options: str = "") -> None:
        self.path = mount_point
        self._ballast = mount_point / "ballast"
        extra = f",{options}" if options else ""
        mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size}{extra}", "tmpfs", str(self.path))
        if mounted.returncode != 0:
            raise RuntimeError(f"mount tmpfs at {self.path}: {mounted.stderr.strip()}")

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def fill(self) -> int:
        """Write ballast until the filesystem has no byte left; return how much."""
        written = 0
        with self._ballast.open("ab", buffering=0) as ballast:
            for size in _CHUNKS:
                piece = b"\0" * size
                while True:
                    try:
                        written += ballast.write(piece) or 0
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        return written

    def free(self) -> None:
        """Delete the ballast: what an operator does who clears space on the disk."""
        self._ballast.unlink(missing_ok=True)

    def resize(self, size: str) -> None:
        """Grow (or shrink) the filesystem in place, with files open on it."""
        resized = _run("mount", "-o", f"remount,size={size}", str(self.path))
        if resized.returncode != 0:
            raise RuntimeError(f"remount {self.path}: {resized.stderr.strip()}")

    def unmount(self) -> None:
        # A process that just closed its last file here may not have let go yet.
        for _ in range(50):
            if _run("umount", str(self.path)).returncode == 0:
                return
            time.sleep(0.1)
        _run("umount", "-l", str(self.path))
