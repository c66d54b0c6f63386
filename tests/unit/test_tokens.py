"""Login tokens: `{appid}.{random}`, stored as SHA-256 (docs/api.md, "Principals and tokens")."""

from __future__ import annotations

import hashlib

import pytest

from contactd.domain.tokens import (
    MAX_TOKEN_LENGTH,
    TOKEN_TTL_MS,
    cache_key,
    hash_token,
    new_token,
    split_token,
)


def test_token_names_its_app() -> None:
    assert split_token(new_token(1_111_112)) == 1_111_112


def test_tokens_are_unique() -> None:
    assert len({new_token(1_111_112) for _ in range(100)}) == 100


def test_hash_is_sha256_of_the_token() -> None:
    assert hash_token("1.x") == hashlib.sha256(b"1.x").digest()
    assert hash_token("1.x") != hash_token("1.y")


def test_cache_key_is_a_digest_other_than_the_stored_hash() -> None:
    assert cache_key("1.x") == hashlib.blake2s(b"1.x").digest()
    assert cache_key("1.x") not in (hash_token("1.x"), cache_key("1.y"))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        ".x",
        "1.",
        "x.y",
        "\u0661.x",
        "1" * 11 + ".x",
        "1." + "x" * (MAX_TOKEN_LENGTH - 1),
    ],
)
def test_malformed_token_names_no_app(token: str) -> None:
    assert split_token(token) is None


def test_a_token_as_long_as_the_bound_names_its_app() -> None:
    """The bound the wire states (docs/api.md, "Bounds": 256); issued tokens are shorter."""
    assert MAX_TOKEN_LENGTH == 256
    assert split_token("1." + "x" * (MAX_TOKEN_LENGTH - 2)) == 1
    assert len(new_token(9_999_999_999)) < MAX_TOKEN_LENGTH


def test_ttl_is_thirty_days() -> None:
    assert TOKEN_TTL_MS == 30 * 24 * 60 * 60 * 1000
