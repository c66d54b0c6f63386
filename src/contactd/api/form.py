"""Form-encoded bodies (`application/x-www-form-urlencoded`), read as the JSON object
they stand for.

jQuery's `$.ajax({data: {...}})` posts its data this way. A form carries only text, so
each field is given the type the endpoint's request Struct declares for it; the object
is then encoded as JSON and decoded by the JSON path (api/decode.py), so that a form is
held to the same rules and refused with the same "<field> <rule>" messages as JSON.

The form syntax (`&`, `=`, `+`, percent escapes) is the standard library's
(`urllib.parse.parse_qsl`). The keys follow jQuery's `$.param` (docs/api.md, "Every
endpoint"):

- `limit=5`: a field; sent more than once, the last value counts, as for a JSON
  object's repeated key;
- `contact_ids=a&contact_ids=b` or `contact_ids[]=a&contact_ids[]=b`: a list field;
- `contacts[0][phone_no]=...&contacts[0][first_name]=...`: a list of objects, its
  items in the order of their indices (jQuery numbers them from 0);
- `o[k]=v`: an object (nothing in the API takes one but a list's items).

A value becomes, by what its field declares: a boolean for `true`/`false` where the
field takes a boolean; text where it takes text; null for an empty value where it takes
null (jQuery sends `null` as an empty value); a number where it takes a number and the
value is written as one; otherwise it stays text, and the JSON rules name what the
field must be (`limit=abc` is `limit must be an integer`, as `"limit": "abc"` is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

import msgspec
import msgspec.inspect as mi

from contactd.api.messages import NESTED_TOO_DEEPLY, find_member, members_of, nullable, type_info
from contactd.domain.errors import Invalid

__all__ = ["FORM_MEDIA_TYPE", "NOT_FORM_DATA", "form_as_json", "is_form"]

FORM_MEDIA_TYPE = b"application/x-www-form-urlencoded"
NOT_FORM_DATA = "request body is not valid form data (UTF-8, percent-encoded)"
MAX_KEY_DEPTH = 32
"""Brackets in one key; the API's deepest field has three (`contacts[0][phone_no]`)."""

_BRACKETS = re.compile(r"(?:\[[^\[\]]*\])+")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
# A JSON number, its integer part allowed leading zeros (dropped: JSON has none).
_NUMBER = re.compile(r"(-?)0*([0-9]+)((?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)")
_encoder = msgspec.json.Encoder()


def is_form(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether the request's Content-Type is a form's (any parameters, any case)."""
    for name, value in headers:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == FORM_MEDIA_TYPE
    return False


class _Node:
    """A key's values (`a=1&a=2`, `a[]=1`) and its bracketed children (`a[x]=1`)."""

    __slots__ = ("children", "values")

    def __init__(self) -> None:
        self.values: list[str] = []
        self.children: dict[str, _Node] = {}


def form_as_json(body: bytes, struct_type: type[msgspec.Struct]) -> bytes:
    """The JSON object a form body stands for, its fields typed as `struct_type`
    declares them."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise Invalid(NOT_FORM_DATA) from exc
    root = _Node()
    for key, value in pairs:
        segments = _segments(key)
        if len(segments) > MAX_KEY_DEPTH:
            raise Invalid(NESTED_TOO_DEEPLY)
        if len(segments) > 1 and segments[-1] == "":
            segments.pop()  # `a[]=1` is `a=1`: the list is made by the repetition
        node = root
        for segment in segments:
            node = node.children.setdefault(segment, _Node())
        node.values.append(value)
    return _encoder.encode(_object(root, type_info(struct_type)))


def _segments(key: str) -> list[str]:
    """`contacts[0][phone_no]` → `["contacts", "0", "phone_no"]`; a key that is not of
    that form (`a[b`, `[0]`) is one name, as written."""
    head, bracket, rest = key.partition("[")
    if not bracket or not head or _BRACKETS.fullmatch(bracket + rest) is None:
        return [key]
    return [head, *_SEGMENT.findall(bracket + rest)]


def _object(node: _Node, struct: mi.StructType) -> dict[str, Any]:
    declared = {field.encode_name: field.type for field in struct.fields}
    # A field the Struct does not know keeps its text: ignored, as in JSON.
    return {name: _value(child, declared.get(name)) for name, child in node.children.items()}


def _value(node: _Node, declared: Any) -> Any:
    members = members_of(declared) if declared is not None else []
    array = find_member(members, mi.ListType)
    if node.children:
        struct = find_member(members, mi.StructType)
        if struct is not None:
            return _object(node, struct)
        indices = node.children.keys()
        if array is not None and all(i.isascii() and i.isdigit() for i in indices):
            ordered = sorted(indices, key=int)
            return [_value(node.children[i], array.item_type) for i in ordered]
        # Brackets where the field takes none: an object, which the JSON rules refuse
        # in the field's own words (`limit[a]=1` is `limit must be an integer`).
        return {name: _value(child, None) for name, child in node.children.items()}
    if array is not None:
        return [_scalar(text, array.item_type) for text in node.values]
    return _scalar(node.values[-1], declared)


def _scalar(text: str, declared: Any) -> Any:
    if declared is None:
        return text
    members = members_of(declared)
    if text in ("true", "false") and find_member(members, mi.BoolType) is not None:
        return text == "true"
    if find_member(members, mi.StrType) is not None:
        return text
    if text == "" and nullable(declared):
        return None
    if find_member(members, mi.IntType) is not None or find_member(members, mi.FloatType):
        number = _NUMBER.fullmatch(text)
        if number is not None:
            # Raw: the digits go to the JSON decoder as written, so its bounds and its
            # limit on digits apply (no int() here).
            return msgspec.Raw("".join(number.groups()).encode("ascii"))
    return text
