"""The head of the token endpoints' answers (v1 and v3 contacts, logins): a status code
and a message. Each endpoint's answer is its own Struct, named in the API's document, that
starts with these fields and adds its own."""

from __future__ import annotations

import msgspec

__all__ = ["MessageAnswer"]


class MessageAnswer(msgspec.Struct):
    """`{code, msg}`: the whole answer of an update or a v1 delete, the first fields of
    the others."""

    code: int
    msg: str
