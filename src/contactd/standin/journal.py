"""Each app's journal in stand-in mode: the requests to the vendor's API and their
answers, newest last, in a ring buffer that drops the oldest past its bound
(`--journal-size`), read through `POST /_contactd/requests`.

What is kept is redacted as it is kept: every value under a key that names a token, a
secret or a password (at any depth, in the request and the answer: a login's answer
carries a token) is `"[redacted]"`, so the journal's memory never holds a credential a
reader could take. A body that is not JSON nor a form is kept as text, its
`key: value` and `key=value` pairs of such keys redacted alike.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from itertools import islice
from typing import Any

import msgspec

from contactd.api.form import form_as_json, is_form
from contactd.domain.errors import DomainError
from contactd.standin.faults import InjectedFault

__all__ = [
    "MAX_KEPT_BODY_BYTES",
    "REDACTED",
    "Exchange",
    "Journal",
    "JournalEntry",
    "body_object",
    "kept_body",
    "redact",
    "redact_text",
]

REDACTED = "[redacted]"
MAX_KEPT_BODY_BYTES = 64 * 1024
"""A longer body (a large import, an export) is kept as a note of its size: a full
journal of such bodies would hold gigabytes."""

_SECRET_KEY = re.compile(r"token|secret|password", re.IGNORECASE)
# `"admin_token": "..."`, `new_password=...`, `'secret': '...'` in text that did not decode.
_SECRET_PAIR = re.compile(
    r"""(?ix)
    (["']?[\w.\[\]-]*(?:token|secret|password)[\w.\[\]-]*["']?\s*[:=]\s*)
    ("(?:[^"\\]|\\.)*"?|'[^']*'?|[^&,;\s}\]]*)
    """
)
_plain = msgspec.json.Decoder()


class Exchange(msgspec.Struct, kw_only=True):
    """One request and its answer, as the journal keeps them."""

    at_ms: int
    """When the request arrived, by the app's clock (epoch ms)."""
    method: str
    path: str
    request: Any
    """The body as decoded (JSON, or a form read as the JSON it stands for), redacted;
    its text where it did not decode."""
    status: int | None
    """The answer's status; null when none was sent whole (a dropped connection)."""
    response: Any
    """The answer's body as decoded, redacted (an export's CSV as text); null if none."""
    duration_ms: float
    idempotency_key: str | None
    fault: InjectedFault | None
    """null, or what a fault rule injected."""


class JournalEntry(Exchange, kw_only=True):
    """An exchange with the number the app's journal gave it."""

    seq: int
    """The app's journal numbers its entries 1, 2, ... in the order they are made (an
    answer's end), never reusing one: `since` a number never skips an entry."""


def redact(value: Any) -> Any:
    """`value` with every value under a credential's key replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: REDACTED if _SECRET_KEY.search(key) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def redact_text(text: str) -> str:
    """`text` with the values of credential-named `key: value` / `key=value` pairs replaced."""
    return _SECRET_PAIR.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)


def body_object(
    body: bytes, headers: Sequence[tuple[bytes, bytes]], request_type: type[msgspec.Struct]
) -> Any:
    """A request body as the operation reads it (api/decode.py): JSON, or a form made the
    JSON object it stands for by the operation's request type; None if it is neither."""
    try:
        if body[:1] != b"{" and is_form(headers):
            return _plain.decode(form_as_json(body, request_type))
        return _plain.decode(body)
    except (msgspec.DecodeError, DomainError, UnicodeDecodeError, RecursionError, ValueError):
        return None


def kept_body(body: bytes, decoded: Any, *, size: int | None = None) -> Any:
    """What the journal keeps of a body: `decoded` redacted, else its text redacted;
    a note of its size when over `MAX_KEPT_BODY_BYTES` (`size`: its whole length when
    `body` is only its beginning)."""
    size = len(body) if size is None else size
    if size > MAX_KEPT_BODY_BYTES:
        return f"[{size} bytes: over the {MAX_KEPT_BODY_BYTES} the journal keeps of a body]"
    if decoded is not None:
        return redact(decoded)
    return redact_text(body.decode("utf-8", "replace")) if body else None


class Journal:
    """One app's ring buffer of entries."""

    def __init__(self, size: int) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._last_seq = 0
        self._dropped = 0

    @property
    def last_seq(self) -> int:
        """The number of the newest entry made (0 before the first)."""
        return self._last_seq

    @property
    def dropped(self) -> int:
        """How many entries the bound has dropped since the journal was last cleared."""
        return self._dropped

    def add(self, exchange: Exchange) -> JournalEntry:
        """Keep `exchange` as the next entry, dropping the oldest past the bound."""
        self._last_seq += 1
        if len(self._entries) == self._entries.maxlen:
            self._dropped += 1
        entry = JournalEntry(**msgspec.structs.asdict(exchange), seq=self._last_seq)
        self._entries.append(entry)
        return entry

    def clear(self) -> None:
        """Forget every entry; the numbers go on from the last one made, so that a
        reader's `since` from before never hides what comes after."""
        self._entries.clear()
        self._dropped = 0

    def read(self, *, path: str | None, since: int | None, limit: int) -> list[JournalEntry]:
        """Up to `limit` entries, oldest first: those numbered after `since`, of the
        paths that match the glob `path`."""
        return list(islice(self._matching(path, since), limit))

    def _matching(self, path: str | None, since: int | None) -> Iterator[JournalEntry]:
        entries: Iterator[JournalEntry] = iter(self._entries)
        if since is not None and self._entries:
            # The entries are numbered without gaps: skip to the first after `since`.
            first = self._entries[0].seq
            entries = islice(self._entries, max(0, since - first + 1), None)
        for entry in entries:
            if path is None or fnmatchcase(entry.path, path):
                yield entry
