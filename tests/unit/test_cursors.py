"""Signed keyset cursors for v3 `page_state` (docs/api.md, "v3 contacts")."""

from __future__ import annotations

import pytest

from contactd.domain.cursors import CursorSigner
from contactd.domain.errors import Invalid

SECRET = b"0123456789abcdef0123456789abcdef"
APP = 1_111_112


@pytest.fixture
def signer() -> CursorSigner:
    return CursorSigner(SECRET)


@pytest.mark.parametrize("seq", [0, 1, 10, 2**31, 2**63 - 1])
@pytest.mark.parametrize("app", [1_000_000, APP, 9_999_999])
def test_round_trip(signer: CursorSigner, app: int, seq: int) -> None:
    assert signer.decode(app, signer.encode(app, seq)) == seq


def test_cursor_is_url_safe_ascii(signer: CursorSigner) -> None:
    cursor = signer.encode(APP, 12345)
    assert cursor.isascii()
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_cursor_is_stable_for_one_secret(signer: CursorSigner) -> None:
    assert signer.encode(APP, 7) == CursorSigner(SECRET).encode(APP, 7)


def test_cursor_is_bound_to_its_app(signer: CursorSigner) -> None:
    cursor = signer.encode(APP, 7)
    with pytest.raises(Invalid, match=r"^invalid page_state$"):
        signer.decode(APP + 1, cursor)


def test_cursor_of_another_secret_is_refused(signer: CursorSigner) -> None:
    cursor = CursorSigner(b"another secret").encode(APP, 7)
    with pytest.raises(Invalid, match=r"^invalid page_state$"):
        signer.decode(APP, cursor)


def flip(text: str, bit: int) -> str:
    raw = bytearray(text.encode("ascii"))
    raw[bit // 8] ^= 1 << (bit % 8)
    return raw.decode("latin-1")


@pytest.mark.parametrize("seq", [0, 5, 2**40 + 3])
def test_every_single_bit_flip_is_refused(signer: CursorSigner, seq: int) -> None:
    cursor = signer.encode(APP, seq)
    accepted = []
    for bit in range(len(cursor) * 8):
        try:
            signer.decode(APP, flip(cursor, bit))
        except Invalid as exc:
            assert exc.msg == "invalid page_state"
        else:
            accepted.append(bit)
    assert accepted == []


def _cursor_every_forgery_changes(signer: CursorSigner) -> str:
    """A cursor with a lower-case letter and a URL-safe `-` or `_`, so that upper-casing
    and swapping in the standard alphabet both change it (the first such seq from 2**20)."""
    for seq in range(2**20, 2**20 + 1000):
        cursor = signer.encode(APP, seq)
        if any(c.islower() for c in cursor) and ("-" in cursor or "_" in cursor):
            return cursor
    raise AssertionError("no cursor in 1,000 has both")  # about 3 in 4 cursors have both


@pytest.mark.parametrize(
    "forge",
    [
        lambda c: c[:-1],
        lambda c: c[1:],
        lambda c: c + "A",
        lambda c: c + "=",
        lambda c: c + "==",
        lambda c: "",
        lambda c: c * 2,
        lambda c: c.upper(),
        lambda c: c.replace("-", "+").replace("_", "/"),
        lambda c: "é" * len(c),
        lambda c: "!" * len(c),
    ],
)
def test_truncated_extended_or_mangled_cursor_is_refused(
    signer: CursorSigner, forge: object
) -> None:
    cursor = _cursor_every_forgery_changes(signer)
    forged = forge(cursor)  # type: ignore[operator]
    assert forged != cursor
    with pytest.raises(Invalid, match=r"^invalid page_state$"):
        signer.decode(APP, forged)


def test_every_other_last_character_is_refused(signer: CursorSigner) -> None:
    """base64's spare bits: no second spelling of a cursor decodes."""
    cursor = signer.encode(APP, 99)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for char in alphabet:
        if char != cursor[-1]:
            with pytest.raises(Invalid):
                signer.decode(APP, cursor[:-1] + char)
