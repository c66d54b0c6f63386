"""Email syntax checks with `email-validator` (no DNS: contactd may run offline).

The domain half of the check (IDNA/UTS46 per character) is most of its cost and does
not depend on the local part, so its verdict is cached per domain: a batch of
addresses at a few domains pays it a few times. Everything else runs through
email-validator's own functions in `validate_email`'s order; addresses with a display
name, quotes, a domain literal or non-ASCII text take `validate_email` itself.
"""

from __future__ import annotations

import functools

from email_validator import EmailNotValidError, EmailSyntaxError, ValidatedEmail, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from email_validator.syntax import (
    split_email,
    validate_email_domain_name,
    validate_email_length,
    validate_email_local_part,
)

from contactd.domain.errors import Invalid

__all__ = ["DOMAIN_CACHE_SIZE", "check_email"]

DOMAIN_CACHE_SIZE = 4096
"""Domains whose verdict is remembered (a few hundred bytes each)."""
_SLOW_PATH = frozenset('"<>[]\\')


def check_email(raw: str, *, field: str) -> str:
    """Return the email as sent (trimmed), `""` for none, or raise `Invalid`."""
    email = raw.strip()
    if not email:
        return ""
    try:
        if email.isascii() and _SLOW_PATH.isdisjoint(email):
            _validate_ascii(email)
        else:
            validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(f"{field} is not a valid email address: {exc}") from exc
    return email


def _validate_ascii(email: str) -> None:
    """`validate_email(email, check_deliverability=False)` for a plain ASCII address."""
    if email.count("@") == 1:
        # What split_email gives for such an address (tests/unit/test_emails.py checks
        # it), without its character-by-character scan (bench/profile.md, "email split").
        local, _, domain = email.partition("@")
        original_local = local
    else:
        _, original_local, local, _, domain = split_email(email)
    if not domain:
        validate_email(email, check_deliverability=False)
        return
    info = validate_email_local_part(
        local, allow_smtputf8=True, allow_empty_local=False, quoted_local_part=False, strict=False
    )
    ret = ValidatedEmail()
    ret.original = original_local + "@" + domain
    ret.local_part = info["local_part"]
    ret.ascii_local_part = info["ascii_local_part"]
    if ret.ascii_local_part is not None and ret.ascii_local_part.lower() in (
        CASE_INSENSITIVE_MAILBOX_NAMES
    ):
        ret.ascii_local_part = ret.ascii_local_part.lower()
        ret.local_part = ret.local_part.lower()
    verdict = _domain_verdict(domain)
    if isinstance(verdict, str):
        raise EmailSyntaxError(verdict)
    ret.domain, ret.ascii_domain = verdict
    ret.normalized = ret.local_part + "@" + ret.domain
    validate_email_length(ret)


@functools.lru_cache(maxsize=DOMAIN_CACHE_SIZE)
def _domain_verdict(domain: str) -> tuple[str, str] | str:
    """The (domain, ASCII domain) email-validator derives, or its error message."""
    try:
        info = validate_email_domain_name(domain, test_environment=False, globally_deliverable=True)
    except EmailSyntaxError as exc:
        return str(exc)
    return str(info["domain"]), str(info["ascii_domain"])
