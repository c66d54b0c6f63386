"""Login tokens: random, opaque to clients, stored only as SHA-256 hashes.

A token reads `{appid}.{random}`: the app id lets every lookup lead with the app
(the sharding key) and the 256 random bits make it unguessable. SHA-256 is enough for
a secret of that entropy; a slow hash is for passwords.
"""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["TOKEN_TTL_MS", "cache_key", "hash_token", "new_token", "split_token"]

TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000  # 30 days (docs/api.md, "Principals and tokens")
_MAX_TOKEN_LENGTH = 128


def new_token(app_id: int) -> str:
    return f"{app_id}.{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> bytes:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def cache_key(token: str) -> bytes:
    """What the token cache keeps of a token: a BLAKE2s digest, so that a cache hit,
    which every authenticated request hopes for, does not go through OpenSSL. hashlib's
    SHA-256 is OpenSSL's, whose per-call set-up costs far more on the server, between
    requests that cool the caches, than in a tight loop (bench/profile.md,
    "the token cache's hash"). A digest rather than the token itself, so that the
    cache's memory holds nothing a client could present."""
    return hashlib.blake2s(token.encode("utf-8")).digest()


def split_token(token: str) -> int | None:
    """Return the app id a well-formed token names, or None for a malformed one."""
    if len(token) > _MAX_TOKEN_LENGTH:
        return None
    prefix, dot, rest = token.partition(".")
    if not dot or not rest or not prefix.isascii() or not prefix.isdigit():
        return None
    return int(prefix) if len(prefix) <= 10 else None
