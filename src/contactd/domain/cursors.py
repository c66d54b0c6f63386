"""Signed keyset cursors: v3 `page_state` and the extensions' cursors.

A cursor names the app and the sort key of the last row a page returned, signed with
the server secret. A page therefore costs the same at any depth, a cursor survives
restarts and works on every process sharing the secret, and a forged, truncated or
foreign cursor fails the signature check. The encoding is checked for canonical form
as well, so no two strings decode to one cursor (base64 has spare bits).
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import struct

from contactd.domain.errors import Invalid

__all__ = ["CursorSigner", "KeysetSigner"]

_MAC_BYTES = 16
INVALID_PAGE_STATE = "invalid page_state"
_TO_URL_SAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URL_SAFE = str.maketrans("-_", "+/")


class KeysetSigner:
    """Signs and checks cursors that carry the app id and `keys` unsigned 64-bit keys
    (the last row's sort key), under `domain`: a cursor of one kind never verifies as
    another kind (the domain is mixed into the MAC key)."""

    def __init__(self, secret: bytes, *, domain: bytes, keys: int) -> None:
        self._key = hmac.new(secret, domain, hashlib.sha256).digest()
        self._payload = struct.Struct(">Q" + "Q" * keys)
        self._raw_bytes = self._payload.size + _MAC_BYTES
        self._text_length = -(-self._raw_bytes * 4 // 3)  # unpadded URL-safe base64
        self._padding = "=" * (-self._text_length % 4)

    def _mac(self, payload: bytes) -> bytes:
        # Keyed BLAKE2b is a MAC by design (RFC 7693) in one pass, cheaper than the
        # one-shot HMAC-SHA256 on every page that has a next one (bench/profile.md,
        # "the cursor's MAC").
        return hashlib.blake2b(payload, key=self._key, digest_size=_MAC_BYTES).digest()

    def encode_keys(self, app_id: int, *keys: int) -> str:
        payload = self._payload.pack(app_id, *keys)
        return _text(payload + self._mac(payload))

    def decode_keys(self, app_id: int, page_state: str) -> tuple[int, ...]:
        """Return the keys of the previous page's last row, or raise `Invalid`."""
        if len(page_state) != self._text_length or not page_state.isascii():
            raise Invalid(INVALID_PAGE_STATE)
        try:
            standard = (page_state + self._padding).translate(_FROM_URL_SAFE)
            raw = binascii.a2b_base64(standard, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise Invalid(INVALID_PAGE_STATE) from exc
        # One spelling per cursor: "+" or "/" for "-" or "_", or spare bits set in the
        # last character, decode too, but do not encode back to what was sent.
        if len(raw) != self._raw_bytes or _text(raw) != page_state:
            raise Invalid(INVALID_PAGE_STATE)
        payload, mac = raw[: self._payload.size], raw[self._payload.size :]
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise Invalid(INVALID_PAGE_STATE)
        cursor_app, *keys = self._payload.unpack(payload)
        if cursor_app != app_id:
            raise Invalid(INVALID_PAGE_STATE)
        return tuple(keys)


class CursorSigner(KeysetSigner):
    """The v3 `page_state`: the app id and the last seq."""

    def __init__(self, secret: bytes) -> None:
        # v1 cursors were HMAC-SHA256 under another domain: none verifies now.
        super().__init__(secret, domain=b"contactd/page_state/v2", keys=1)

    def encode(self, app_id: int, last_seq: int) -> str:
        return self.encode_keys(app_id, last_seq)

    def decode(self, app_id: int, page_state: str) -> int:
        """Return the last seq of the previous page, or raise `Invalid`."""
        return self.decode_keys(app_id, page_state)[0]


def _text(raw: bytes) -> str:
    """URL-safe base64 without padding (binascii directly: the base64 module's
    wrappers cost more than the encoding)."""
    return binascii.b2a_base64(raw, newline=False).translate(_TO_URL_SAFE).rstrip(b"=").decode()
