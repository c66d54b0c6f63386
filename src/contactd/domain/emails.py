"""Email syntax checks with `email-validator` (no DNS: contactd may run offline)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from contactd.domain.errors import Invalid

__all__ = ["check_email"]


def check_email(raw: str, *, field: str) -> str:
    """Return the email as sent (trimmed), `""` for none, or raise `Invalid`."""
    email = raw.strip()
    if not email:
        return ""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(f"{field} is not a valid email address: {exc}") from exc
    return email
