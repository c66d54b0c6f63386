"""Summarize a py-spy raw (collapsed stacks) profile of the server.

    python -m bench.profile bench/data/profile-sqlite-v3_first.txt [--top 25]

`python -m bench.run --cases CASE --profile` writes such a file (the server runs under
`py-spy record`). Samples of the set-up (logins: argon2; migrations) are left out, so
the shares are those of the case's requests. Prints the functions where the CPU is spent
themselves (self) and the functions under which it is spent (inclusive), each with its
share of the counted samples.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

__all__ = ["summarize"]

SETUP = ("login", "argon2", "_migrate", "startup", "open_store")
_LINE = re.compile(r":\d+\)$")


def _frame(frame: str, *, lines: bool = False) -> str:
    """`get (src/contactd/store/sqlite.py:123)` -> `get (contactd/store/sqlite.py)`."""
    frame = frame.strip() if lines else _LINE.sub(")", frame.strip())
    for marker in ("site-packages/", "lib/python3.11/", "src/"):
        at = frame.find(marker)
        if at >= 0:
            name = frame[: frame.index("(") + 1]
            frame = name + frame[at + len(marker) :]
    return frame


AREAS = (
    ("RequestResponseCycle.send", "socket writes (the kernel's loopback TCP, as the floor's)"),
    ("Runner.run", "event loop (uvloop: epoll, callbacks)"),
    ("asyncio/", "event loop (uvloop: epoll, callbacks)"),
    ("contactd/store/", "store: SQL execution in C (sqlite3/psycopg) and row building"),
    ("psycopg", "psycopg (PostgreSQL driver)"),
    ("contactd/api/", "contactd api: decode, dispatch, encode"),
    ("contactd/domain/", "contactd domain: rules, cursors, tokens"),
    ("hmac", "hmac/hashlib (cursors, tokens)"),
    ("hashlib", "hmac/hashlib (cursors, tokens)"),
    ("uvicorn/", "uvicorn HTTP protocol (Python)"),
    ("starlette/", "starlette"),
    ("msgspec", "msgspec"),
    ("phonenumbers", "phonenumbers"),
    ("importlib", "imports (first requests)"),
)


def _area(frame: str) -> str:
    for marker, area in AREAS:
        if marker in frame:
            return area
    return "other"


def summarize(path: Path, top: int = 25, *, lines: bool = False) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    total = skipped = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        if any(word in stack for word in SETUP):
            skipped += count
            continue
        frames = [
            _frame(f, lines=lines)
            for f in stack.split(";")
            if not f.startswith(("thread ", "process "))
        ]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        areas[_area(frames[-1])] += count
        for frame in set(frames):
            if "contactd/" in frame or "starlette/" in frame:
                inclusive[frame] += count
    if not total:
        return f"{path}: no samples"
    out = [f"{path.name}: {total} samples counted ({skipped} of set-up left out)", "", "by area:"]
    out += [f"  {n / total:6.1%}  {area}" for area, n in areas.most_common()]
    out += ["", "self:"]
    out += [f"  {n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    out += ["", "inclusive (contactd and starlette frames):"]
    out += [f"  {n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="summarize a py-spy raw profile")
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--lines", action="store_true", help="tell lines apart")
    args = parser.parse_args()
    print(summarize(args.path, args.top, lines=args.lines))


if __name__ == "__main__":
    main()
