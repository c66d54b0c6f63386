"""What each candidate server does with hostile connections (bench/candidates.py).

    python -m bench.limits_probe [--servers contactd,granian,...]

Per server, configured with the limits it has: 8 concurrent 20 MiB headers (answer, and
the serving process's VmRSS and its peak, VmHWM, before and after), 10,000 headers, a
header trickled one byte every 0.5 s, a body that stalls after 10 of 100 bytes, 200
connections against a cap of 50 (how many are answered or closed within 1 s, and whether
`/healthz` answers on a fresh connection meanwhile), and a malformed request line.
Needs the SQLite data set.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import data
from bench.alt_server import serving_pid
from bench.candidates import CANDIDATES
from bench.driver import rss_kib
from bench.server import Server

MIB = 1024 * 1024
WAIT = 20.0
"""How long a slow client keeps going before the probe calls it held."""
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def _first_line(answer: bytes) -> str:
    line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    return line.removeprefix("HTTP/1.1 ") or "closed, no answer"


def _read(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return answer


def _huge_header(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(HEALTHZ + b"X-Huge: ")
        chunk = b"a" * (64 * 1024)
        try:
            for _ in range(20 * MIB // len(chunk)):
                sock.sendall(chunk)
            sock.sendall(b"\r\n\r\n")
        except OSError:
            pass
        return _read(sock, 30)


def _slow(port: int, head: bytes, trickle: bytes) -> str:
    """Send `head`, then `trickle` a byte every 0.5 s (or nothing more, if empty): when
    and how the server ends it."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        if not trickle:
            answer = _read(sock, WAIT)
            if time.monotonic() - started >= WAIT:
                return f"still open after {WAIT:.0f} s"
            return f"{_first_line(answer)} after {time.monotonic() - started:.1f} s"
        for byte in trickle:
            if time.monotonic() - started > WAIT:
                return f"still open after {WAIT:.0f} s"
            sock.settimeout(0.5)
            try:
                answer = sock.recv(65536)
            except TimeoutError:
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    answer = b""
                else:
                    continue
            except ConnectionResetError:
                answer = b""
            return f"{_first_line(answer)} after {time.monotonic() - started:.1f} s"
    return "trickle ended"


def _cap(port: int) -> tuple[str, str]:
    socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(200)]
    time.sleep(1.0)  # within the 2 s header timeouts, which would end them all
    ended = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            sock.recv(1)
            ended += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            ended += 1
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as fresh:
            fresh.sendall(HEALTHZ + b"Connection: close\r\n\r\n")
            healthz = _first_line(_read(fresh, 3))
    except OSError as exc:
        healthz = f"no answer ({type(exc).__name__})"
    for sock in socks:
        sock.close()
    return f"{ended} of 200 answered or closed within 1 s", healthz


def probe(server: Server) -> dict[str, str]:
    pid, port = serving_pid(server), server.port
    found: dict[str, str] = {}
    before, peak_before = rss_kib(pid), _peak_kib(pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(_huge_header, [port] * 8))
    after, peak_after = rss_kib(pid), _peak_kib(pid)
    found["8 x 20 MiB header"] = (
        ", ".join(sorted({_first_line(a) for a in answers}))
        + f"; VmRSS {before / 1024:.0f} → {after / 1024:.0f} MB,"
        + f" peak (VmHWM) {peak_before / 1024:.0f} → {peak_after / 1024:.0f} MB"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(HEALTHZ + b"".join(b"X-H%d: v\r\n" % n for n in range(10_000)) + b"\r\n")
        found["10,000 headers"] = _first_line(_read(sock, 30))
    body_head = (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    results: dict[str, str] = {}
    threads = [
        threading.Thread(
            target=lambda: results.update(header=_slow(port, HEALTHZ, b"X-Slow: " + b"a" * 99))
        ),
        threading.Thread(
            target=lambda: results.update(body=_slow(port, body_head + b'{"token":', b""))
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found["header, a byte every 0.5 s"] = results["header"]
    found["body stalled after 10 bytes"] = results["body"]
    found["200 connections, cap 50"], found["/healthz meanwhile"] = _cap(port)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"NOT AN HTTP REQUEST\r\n\r\n")
        answer = _read(sock, 10)
        ctype = next(
            (line for line in answer.split(b"\r\n") if line.lower().startswith(b"content-type")),
            b"",
        )
        found["malformed request line"] = f"{_first_line(answer)} {ctype.decode()}".strip()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default=",".join(CANDIDATES), help="keys of CANDIDATES")
    args = parser.parse_args()
    data.ensure("sqlite")
    table: dict[str, dict[str, str]] = {}
    for name in args.servers.split(","):
        candidate = CANDIDATES[name]
        print(f"probe: {candidate.name}...", flush=True)
        server = candidate.contactd()
        try:
            table[candidate.name] = probe(server)
        finally:
            server.stop()
    for name, found in table.items():
        print(f"\n### {name}")
        for what, result in found.items():
            print(f"- {what}: {result}")


if __name__ == "__main__":
    main()
