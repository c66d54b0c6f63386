"""Login tokens: random, opaque to clients, stored only as SHA-256 hashes.

A token reads `{appid}.{random}`: the app id lets every lookup lead with the app
(the sharding key) and the 256 random bits make it unguessable. SHA-256 is enough for
a secret of that entropy; a slow hash is for passwords.
"""

from __future__ import annotations

import hashlib
import secrets

from contactd.domain.errors import AuthFailed

__all__ = [
    "MAX_TOKEN_LENGTH",
    "TOKEN_INVALID",
    "TOKEN_TTL_MS",
    "TokenRefused",
    "cache_key",
    "hash_token",
    "new_token",
    "split_token",
]

TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000  # 30 days (docs/api.md, "Principals and tokens")
MAX_TOKEN_LENGTH = 256
"""Longer than any token issued (`{appid}.` and 43 characters), so that a token may grow
without a change of rule; a longer one is refused as an unknown one (docs/api.md)."""
TOKEN_INVALID = "Authenticated user record not found"  # noqa: S105 (a message)


class TokenRefused(AuthFailed):
    """No live principal holds the token: unknown, expired, malformed, or absent (a body
    without one is answered as one with a wrong token)."""

    def __init__(self) -> None:
        super().__init__(TOKEN_INVALID)


def new_token(app_id: int) -> str:
    return f"{app_id}.{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> bytes:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def cache_key(token: str) -> bytes:
    """What the token cache keeps of a token: a BLAKE2s digest, so that a cache hit,
    which every authenticated request hopes for, does not go through OpenSSL. hashlib's
    SHA-256 is OpenSSL's, and on the server its per-call set-up cost 5-8 us more per v3
    page than CPython's own BLAKE2s (bench/profile.md), though in a tight loop the two
    differ by 0.1 us. A digest rather than the token itself, so that the cache's memory
    holds nothing a client could present."""
    return hashlib.blake2s(token.encode("utf-8")).digest()


def split_token(token: str) -> int | None:
    """Return the app id a well-formed token names, or None for a malformed one."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    prefix, dot, rest = token.partition(".")
    if not dot or not rest or not prefix.isascii() or not prefix.isdigit():
        return None
    return int(prefix) if len(prefix) <= 10 else None
