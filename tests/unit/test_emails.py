"""`check_email` answers as `email-validator`'s `validate_email` does, for every input.

The fast path splits a plain ASCII address at its one "@" and caches the domain's
verdict; these tests hold it to the library's own answer and message.
"""

from __future__ import annotations

import string

import pytest
from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import split_email
from hypothesis import given, settings
from hypothesis import strategies as st

from contactd.domain.emails import check_email
from contactd.domain.errors import Invalid

_ASCII = st.text(alphabet=string.printable, max_size=20)
_PARTS = st.text(alphabet=string.ascii_letters + string.digits + ".-_+@!#%", max_size=12)


def _library(email: str) -> str | None:
    """None for a valid address, else the message `check_email` must give."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"email_id is not a valid email address: {exc}"
    return None


def _ours(email: str) -> str | None:
    try:
        assert check_email(email, field="email_id") == email
    except Invalid as exc:
        return exc.msg
    return None


@settings(max_examples=3000)
@given(_PARTS, _PARTS)
def test_local_and_domain_pairs_get_the_library_verdict(local: str, domain: str) -> None:
    email = f"{local}@{domain}".strip()
    if email:
        assert _ours(email) == _library(email), email


@settings(max_examples=3000)
@given(_ASCII)
def test_any_ascii_text_gets_the_library_verdict(text: str) -> None:
    email = text.strip()
    if email:
        assert _ours(email) == _library(email), email


@pytest.mark.parametrize(
    "email",
    [
        "a@example.in",
        "Postmaster@example.com",
        "x@localhost",
        "x@-bad.com",
        "x@exa_mple.com",
        "x..y@example.com",
        "x@example",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "x@münchen.de",
        "ü@example.com",
        '"quoted"@example.com',
        "Name <x@example.com>",
        "x@[127.0.0.1]",
        "x@@example.com",
        "x@example.com@",
    ],
)
def test_edge_addresses_get_the_library_verdict(email: str) -> None:
    assert _ours(email) == _library(email)
    assert _ours(email) == _library(email)  # again, from the domain cache


@settings(max_examples=3000)
@given(_PARTS.filter(lambda s: "@" not in s), _PARTS.filter(lambda s: "@" not in s))
def test_one_at_sign_splits_as_split_email_does(local: str, domain: str) -> None:
    try:
        parts = split_email(f"{local}@{domain}")
    except EmailNotValidError:
        pytest.fail("split_email refused a plain address")
    assert parts == (None, local, local, False, domain)
