"""Field types shared by the wire models of every generation, with their bounds.

The bounds live in the types so that decoding enforces them and the OpenAPI document
states them.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

__all__ = [
    "MAX_PAGE",
    "AgentId",
    "AppId",
    "Email",
    "Extension",
    "Hour",
    "LongText",
    "Name",
    "PageNumber",
    "Password",
    "PhoneText",
    "Secret",
    "ShortText",
    "Token",
]

Token = Annotated[str, Meta(max_length=256, description="Login token")]
Secret = Annotated[str, Meta(max_length=256, description="App secret")]
AppId = Annotated[int, Meta(ge=0, le=9_999_999_999, description="App id (inet_no)")]
Extension = Annotated[int, Meta(ge=100, le=9999, description="Extension, 100-9999")]
Name = Annotated[str, Meta(max_length=100)]
Email = Annotated[str, Meta(max_length=254)]
ShortText = Annotated[str, Meta(max_length=200)]
LongText = Annotated[str, Meta(max_length=2000)]
PhoneText = Annotated[str, Meta(max_length=32, description="Phone number, digits")]
Password = Annotated[str, Meta(min_length=1, max_length=256)]
Hour = Annotated[int, Meta(ge=0, le=24, description="Shift hour, 0-24")]
AgentId = Annotated[str, Meta(max_length=64, description="Principal id, {extension}_{appid}")]
MAX_PAGE = 1_000_000_000
"""Keeps `(page - 1) * limit` a 64-bit offset in either store."""
PageNumber = Annotated[int, Meta(ge=1, le=MAX_PAGE, description="Page number, from 1")]
