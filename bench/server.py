"""Start the servers the bench drives: a real `contactd serve` process and the floor."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["Server", "free_port"]

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
SPY = ("record", "--format", "raw", "--rate", "200", "--nonblocking", "--threads")


def _port_flag(host: str, port: int) -> list[str]:
    del host  # every server started here binds loopback by default
    return ["--port", str(port)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A server process on loopback; `pid` is the process that serves (one worker)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        profile: Path | None = None,
        bind: Callable[[str, int], list[str]] | None = None,
    ) -> None:
        """`bind` gives the arguments that put the server on host and port (default
        `--port P`: the host is the default loopback)."""
        self.port = free_port()
        self.host = "127.0.0.1"
        # Under py-spy the server is py-spy's child (attaching with --pid is refused
        # in some containers; spawning works everywhere py-spy does).
        spy = (
            [str(Path(sys.executable).parent / "py-spy"), *SPY, "-o", str(profile), "--"]
            if profile is not None
            else []
        )
        # stderr goes to a file, never a pipe: a pipe nobody reads would stall the server.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [*spy, sys.executable, *argv, *(bind or _port_flag)(self.host, self.port)],
            env={**os.environ, **(env or {})},
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self._child() if spy else self.process.pid
        self._wait_ready()

    def _child(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            found = children.read_text().split()
            if found:
                return int(found[0])
            time.sleep(0.02)
        raise RuntimeError("py-spy did not start the server")

    @classmethod
    def contactd(cls, database_url: str, *, profile: Path | None = None) -> Server:
        # BENCH_LOG_LEVEL=info measures the request log too (written to a file).
        level = os.environ.get("BENCH_LOG_LEVEL", "warning")
        env = {"CONTACTD_DATABASE_URL": database_url, "CONTACTD_LOG_LEVEL": level}
        return cls(["-m", "contactd", "serve", "--workers", "1"], env=env, profile=profile)

    @classmethod
    def floor(cls, size: int) -> Server:
        return cls(["-m", "bench.floor", "--size", str(size)])

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self._output()
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{err}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not start in time")

    def stop(self) -> str:
        """Stop the server; return what it wrote to stderr (warnings, tracebacks)."""
        if self.pid != self.process.pid and self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)  # py-spy writes its profile once it exits
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        err = self._output()
        self._log.close()
        return err

    def _output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")
