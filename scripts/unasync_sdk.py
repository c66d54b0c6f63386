"""Writes the SDK's synchronous client from the asynchronous one.

`AsyncClient` and `AsyncPage` are the source (src/contactd/client/_async_client.py);
`Client` and `Page` (`_client.py`) are generated from them, as httpcore does, with the
`unasync` package: `async` and `await` are dropped and the names of the table below
replaced, token by token. Then what a token rule cannot say: `Awaitable[X]` becomes `X`,
docstrings and comments get the same renames, and ruff sorts the imports and formats
the result, so that a generated file passes `make lint` as it is.

    python scripts/unasync_sdk.py          # write the generated file
    python scripts/unasync_sdk.py --check  # exit 1 naming it if it is not current
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import unasync

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "contactd" / "client"
RUFF_CONFIG = REPO / "pyproject.toml"
"""The project's ruff settings, named: the output must not depend on where it is written."""
SOURCES = {"_async_client.py": "_client.py"}
"""Each asynchronous source and the synchronous module generated from it."""

RENAMES = {
    "_async_client": "_client",
    "AsyncClient": "Client",
    "AsyncPage": "Page",
    "AsyncBaseTransport": "BaseTransport",
    "aclose": "close",
    "anyio": "time",
}
"""Names beyond unasync's own (`__aenter__`, `AsyncIterator`, ...)."""

_AWAITABLE = re.compile(r"\bAwaitable\[")
_KEYWORDS = re.compile(r"\b(?:await|async(?= (?:with|for|def) )) ")
_NAMES = re.compile(r"\b(" + "|".join(map(re.escape, RENAMES)) + r")\b")
_LEFT_OVER = re.compile(r"\b(async|await|Async\w*|Sync\w*|Awaitable|anyio)\b")


def header(source: str) -> str:
    return (
        f"# Generated from {source} by scripts/unasync_sdk.py: do not edit. Change the\n"
        "# asynchronous source and run `make sdk-sync` (`make lint` checks it is current).\n"
    )


def _unwrap_awaitable(text: str) -> str:
    """`Awaitable[X]` -> `X`, brackets inside X included."""
    while match := _AWAITABLE.search(text):
        depth, end = 1, match.end()
        while depth:
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            end += 1
        text = text[: match.start()] + text[match.end() : end - 1] + text[end:]
    return text


def _prose(text: str) -> str:
    """Docstrings and comments, which unasync leaves as they are: the same changes."""
    return _NAMES.sub(lambda m: RENAMES[m.group(1)], _KEYWORDS.sub("", text))


def _ruff(args: list[str], text: str, target: Path) -> str:
    command = [sys.executable, "-m", "ruff", *args, "--config", str(RUFF_CONFIG)]
    command += ["--stdin-filename", str(target), "-"]
    # The command is this interpreter's ruff on generated text: nothing untrusted.
    result = subprocess.run(command, input=text, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"ruff {' '.join(args)} failed on {target.name}:\n{result.stderr}")
    return result.stdout


def generate(source: Path, target: Path) -> str:
    """The text `target` should have, made from `source`."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "_async" / target.name
        copy.parent.mkdir()
        copy.write_text(source.read_text())
        rule = unasync.Rule("/_async/", "/_sync/", additional_replacements=RENAMES)
        unasync.unasync_files([str(copy)], rules=[rule])
        text = (Path(scratch) / "_sync" / target.name).read_text()
    text = header(source.name) + _prose(_unwrap_awaitable(text))
    # Imports sorted, unused ones dropped; `for x in xs: yield x` (the async spelling)
    # becomes `yield from xs`.
    fixes = ["check", "--fix-only", "--unsafe-fixes", "--select", "I,F401,UP028"]
    text = _ruff(fixes, text, target)
    text = _ruff(["format"], text, target)
    if left := sorted(set(_LEFT_OVER.findall(text))):
        raise SystemExit(f"{target.name}: no rule for {', '.join(left)} (add it to RENAMES)")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    check = parser.parse_args(argv).check
    stale = []
    for source_name, target_name in SOURCES.items():
        source, target = PACKAGE / source_name, PACKAGE / target_name
        text = generate(source, target)
        if target.exists() and target.read_text() == text:
            continue
        stale.append(target)
        if not check:
            target.write_text(text)
    for target in stale:
        verb = "is not current: run `make sdk-sync`" if check else "written"
        print(f"{target.relative_to(REPO)} {verb}", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
