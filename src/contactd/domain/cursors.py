"""Signed keyset cursors for v3 `page_state`.

A cursor names the app and the last creation-order key a page returned, signed with
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

__all__ = ["CursorSigner"]

_PAYLOAD = struct.Struct(">QQ")  # app id, last seq
_MAC_BYTES = 16
_DOMAIN = b"contactd/page_state/v2"  # v1 cursors were HMAC-SHA256: none verifies now
INVALID_PAGE_STATE = "invalid page_state"
_RAW_BYTES = _PAYLOAD.size + _MAC_BYTES
_TEXT_LENGTH = -(-_RAW_BYTES * 4 // 3)  # unpadded URL-safe base64
_PADDING = "=" * (-_TEXT_LENGTH % 4)
_TO_URL_SAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URL_SAFE = str.maketrans("-_", "+/")


class CursorSigner:
    def __init__(self, secret: bytes) -> None:
        self._key = hmac.new(secret, _DOMAIN, hashlib.sha256).digest()

    def _mac(self, payload: bytes) -> bytes:
        # Keyed BLAKE2b is a MAC by design (RFC 7693) in one pass, cheaper than the
        # one-shot HMAC-SHA256 on every page that has a next one (bench/profile.md,
        # "the cursor's MAC").
        return hashlib.blake2b(payload, key=self._key, digest_size=_MAC_BYTES).digest()

    def encode(self, app_id: int, last_seq: int) -> str:
        payload = _PAYLOAD.pack(app_id, last_seq)
        return _text(payload + self._mac(payload))

    def decode(self, app_id: int, page_state: str) -> int:
        """Return the last seq of the previous page, or raise `Invalid`."""
        if len(page_state) != _TEXT_LENGTH or not page_state.isascii():
            raise Invalid(INVALID_PAGE_STATE)
        try:
            standard = (page_state + _PADDING).translate(_FROM_URL_SAFE)
            raw = binascii.a2b_base64(standard, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise Invalid(INVALID_PAGE_STATE) from exc
        # One spelling per cursor: "+" or "/" for "-" or "_", or spare bits set in the
        # last character, decode too, but do not encode back to what was sent.
        if len(raw) != _RAW_BYTES or _text(raw) != page_state:
            raise Invalid(INVALID_PAGE_STATE)
        payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise Invalid(INVALID_PAGE_STATE)
        cursor_app, last_seq = _PAYLOAD.unpack(payload)
        if cursor_app != app_id:
            raise Invalid(INVALID_PAGE_STATE)
        return int(last_seq)


def _text(raw: bytes) -> str:
    """URL-safe base64 without padding (binascii directly: the base64 module's
    wrappers cost more than the encoding)."""
    return binascii.b2a_base64(raw, newline=False).translate(_TO_URL_SAFE).rstrip(b"=").decode()
