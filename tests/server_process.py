"""Run `contactd serve` as a real process, for the tiers that test what a client sees."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

# Cheap argon2 parameters: the process tiers exercise the wire, not the hash cost.
FAST_HASH_ENV = {"CONTACTD_ARGON2_TIME_COST": "1", "CONTACTD_ARGON2_MEMORY_KIB": "1024"}
START_TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def contactd_env(database_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **FAST_HASH_ENV, "CONTACTD_DATABASE_URL": database_url}
    env.update(extra or {})
    return env


def create_app(database_url: str, name: str = "Process tier") -> tuple[int, str]:
    """`contactd app create`; returns (appid, secret) from its one JSON line."""
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "app", "create", "--name", name],
        env=contactd_env(database_url),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    created = json.loads(result.stdout)
    return int(created["appid"]), str(created["secret"])


# `ulimit -n N` then exec the rest of argv: the limit is in force before contactd starts.
_WITH_OPEN_FILE_LIMIT = (
    "import os, resource, sys; soft = int(sys.argv[1]);"
    " resource.setrlimit(resource.RLIMIT_NOFILE,"
    " (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]));"
    " os.execv(sys.executable, [sys.executable, *sys.argv[2:]])"
)


class ServerProcess:
    """One `contactd serve` process on a free port; `stop()` ends it gracefully."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        *,
        extra_env: Mapping[str, str] | None = None,
        open_file_limit: int | None = None,
        args: Sequence[str] = (),
    ) -> None:
        """`args`: flags of `contactd serve` besides the port."""
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("ab")
        launcher = [sys.executable]
        if open_file_limit is not None:
            launcher += ["-c", _WITH_OPEN_FILE_LIMIT, str(open_file_limit)]
        self.process = subprocess.Popen(
            [*launcher, "-m", "contactd", "serve", "--port", str(self.port), *args],
            env=contactd_env(database_url, extra_env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"contactd serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("contactd serve did not become healthy in time")

    def post(self, path: str, body: Any, *, timeout: float = 10.0) -> tuple[int, Any]:
        response = httpx.post(f"{self.base_url}{path}", json=body, timeout=timeout)
        return response.status_code, response.json()

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of the process."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


USER_PASSWORD = "process-tier-password"


def provision_user(server: ServerProcess, appid: int, secret: str, extension: int = 1001) -> str:
    """Add a user to the app through the admin API, log it in, return its token."""
    status, body = server.post(
        "/v3/user/add",
        {
            "appid": appid,
            "secret": secret,
            "extension": extension,
            "first_name": "Process",
            "last_name": "Tier",
            "phone_number": "919800000000",
            "password": USER_PASSWORD,
        },
    )
    assert status == 200, body
    status, body = server.post(
        "/v2/user/login", {"id": f"{extension}_{appid}", "password": USER_PASSWORD}
    )
    assert status == 200, body
    return str(body["token"])


def run_contactd(
    *args: str,
    database_url: str,
    cwd: Path | None = None,
    unprivileged: bool = False,
    timeout: float = 60.0,
) -> subprocess.CompletedProcess[str]:
    """Run `contactd ARGS` (an operator command) to its end; its exit status unchecked.

    `unprivileged`: file modes bind it even when the tests run as root (it runs without
    the capabilities that let root write any file)."""
    command = [sys.executable, "-m", "contactd", *args]
    if unprivileged and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(
        command,
        env=contactd_env(database_url),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
