"""Field types shared by the wire models of every generation, with their bounds.

The bounds live in the types so that decoding enforces them and the OpenAPI document
states them.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from contactd.domain.principals import EXTENSION_MAX, EXTENSION_MIN
from contactd.domain.tokens import MAX_TOKEN_LENGTH

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_PAGE",
    "AgentId",
    "AppId",
    "Email",
    "Extension",
    "Hour",
    "LongText",
    "Name",
    "NewPassword",
    "PageLimit",
    "PageNumber",
    "Password",
    "PhoneText",
    "Secret",
    "ShortText",
    "Token",
    "stripped",
]

Token = Annotated[str, Meta(max_length=MAX_TOKEN_LENGTH, description="Login token")]
Secret = Annotated[str, Meta(max_length=256, description="App secret")]
AppId = Annotated[int, Meta(ge=0, le=9_999_999_999, description="App id (inet_no)")]
Extension = Annotated[
    int,
    Meta(
        ge=EXTENSION_MIN,
        le=EXTENSION_MAX,
        description=f"Extension, {EXTENSION_MIN}-{EXTENSION_MAX}",
    ),
]
Name = Annotated[str, Meta(max_length=100)]
Email = Annotated[str, Meta(max_length=254)]
ShortText = Annotated[str, Meta(max_length=200)]
LongText = Annotated[str, Meta(max_length=2000)]
PhoneText = Annotated[str, Meta(max_length=32, description="Phone number, digits")]
Password = Annotated[str, Meta(min_length=1, max_length=256)]
"""A password given to a login: any the admin may have set."""
NewPassword = Annotated[
    str,
    Meta(
        max_length=256,
        description="Password; at least the server's minimum (CONTACTD_MIN_PASSWORD_LENGTH,"
        " 8 unless set) characters",
    ),
]
"""A password an admin sets: its minimum is the server's setting, checked by the
principals' service (one rule for every generation), not a bound of the type."""
Hour = Annotated[int, Meta(ge=0, le=24, description="Shift hour, 0-24")]
AgentId = Annotated[str, Meta(max_length=64, description="Principal id, {extension}_{appid}")]
MAX_PAGE = 1_000_000_000
"""Keeps `(page - 1) * limit` a 64-bit offset in either store."""
PageNumber = Annotated[int, Meta(ge=1, le=MAX_PAGE, description="Page number, from 1")]
DEFAULT_LIMIT = 10
PageLimit = Annotated[int, Meta(ge=1, le=100, description="Contacts per page, 1-100")]
"""The page size of v3 and of the extensions."""
"""The size of a page when the request does not say (v1 and v3 contacts, v3 users)."""


def stripped(value: str | None) -> str | None:
    """An optional text field as kept: without surrounding blanks; None when not sent."""
    return value.strip() if value is not None else None
