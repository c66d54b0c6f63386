"""msgspec's validation messages rewritten into the contract's "<field> <rule>" sentences.

msgspec says what failed in English and where by a JSON path (`Expected `int` <= 100 -
at `$.limit``). This module is the one place that reads that text, and it only ever
chooses a sentence, never a status: each kind of message is one pattern here (a
missing field, then the rows of `_RULES`). A message no pattern knows (msgspec's
"Number out of range" for `1e400`, or a kind added by a later msgspec) is explained
from the field's declared type instead, so msgspec's own words never reach a client.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import msgspec
import msgspec.inspect as mi

__all__ = ["BODY_NOT_AN_OBJECT", "explain"]

BODY_NOT_AN_OBJECT = "request body must be a JSON object"
MAX_INT_DIGITS = 4300
"""The longest integer msgspec decodes (CPython's `int()` limit); a longer one is
"Integer value out of range"."""

_TYPE_WORDS = {
    "int": "an integer",
    "str": "a string",
    "array": "an array",
    "object": "an object",
    "bool": "a boolean",
    "float": "a number",
    "null": "null",
}
_INSPECTED_WORDS: dict[type, str] = {
    mi.IntType: "int",
    mi.StrType: "str",
    mi.ListType: "array",
    mi.StructType: "object",
    mi.DictType: "object",
    mi.BoolType: "bool",
    mi.FloatType: "float",
}
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`$")
_PATH_STEP = re.compile(r"\[\d+\]|[^.\[]+")

Sentence = Callable[[str, "re.Match[str]", Any], str]
"""(path, the matched message, the field's inspected type or None) -> the sentence."""


def explain(message: str, struct_type: type[msgspec.Struct]) -> str:
    """Rewrite a msgspec validation message so that it names the field and the rule."""
    match = _AT.match(message)
    what = match["what"] if match else message
    path = (match["path"] or "").lstrip(".") if match else ""
    if missing := _MISSING.match(what):
        return f"{_join(path, missing['field'])} is required"
    if path == "":
        return BODY_NOT_AN_OBJECT
    field = _field_type(struct_type, re.sub(r"\[\d+\]", "[0]", path))
    for pattern, sentence in _RULES:
        if rule := pattern.match(what):
            return sentence(path, rule, field)
    return _declared(path, field)


def _wrong_type(path: str, rule: re.Match[str], field: Any) -> str:
    return f"{path} must be {_type_words(rule['expected'])}"


def _bound(path: str, rule: re.Match[str], field: Any) -> str:
    n = int(rule["n"])
    if rule["length"]:
        unit = ("character" if rule["type"] == "str" else "item") + ("" if n == 1 else "s")
        limit = "at most" if rule["op"] == "<=" else "at least"
        verb = "be" if rule["type"] == "str" else "hold"
        return f"{path} must {verb} {limit} {n} {unit}"
    low, high = _int_bounds(field)
    if low is not None and high is not None:
        return f"{path} must be between {low} and {high}"
    return f"{path} must be {rule['op']} {n}"


def _number_out_of_range(path: str, rule: re.Match[str], field: Any) -> str:
    return _declared(path, field)


def _too_many_digits(path: str, rule: re.Match[str], field: Any) -> str:
    if _int_bounds(field)[1] is not None:
        return _declared(path, field)
    return f"{path} must be {_words_of(field, too_long=True)}"


def _declared(path: str, field: Any) -> str:
    """The rule the field declares: its type, and an integer's bounds."""
    low, high = _int_bounds(field)
    if low is not None and high is not None and len(_members(field)) == 1:
        return f"{path} must be between {low} and {high}"
    return f"{path} must be {_words_of(field)}"


_RULES: tuple[tuple[re.Pattern[str], Sentence], ...] = (
    (re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`$"), _wrong_type),
    (
        re.compile(r"^Expected `(?P<type>[^`]+)`(?P<length> of length)? (?P<op>[<>]=) (?P<n>\d+)$"),
        _bound,
    ),
    # A number past what a float holds (`1e400`), whatever the field's type.
    (re.compile(r"^Number out of range$"), _number_out_of_range),
    (re.compile(r"^Integer value out of range$"), _too_many_digits),
)


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _type_words(expected: str) -> str:
    names = [t.strip() for t in expected.split("|") if t.strip() != "null"]
    return " or ".join(_TYPE_WORDS.get(n, n) for n in names) or "null"


def _words_of(field: Any, *, too_long: bool = False) -> str:
    """`field`'s type in words, as in "must be a string or an integer >= 0" (or, for an
    integer too long to decode, "... or an integer of at most 4300 digits")."""
    words = []
    for member in _members(field):
        name = _INSPECTED_WORDS.get(type(member))
        if name is None:
            continue
        word = _TYPE_WORDS[name]
        if isinstance(member, mi.IntType):
            word += (
                f" of at most {MAX_INT_DIGITS} digits"
                if too_long
                else _range_words(member.ge, member.le)
            )
        words.append(word)
    return " or ".join(words) or "a valid value"


def _range_words(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" between {low} and {high}"
    if low is not None:
        return f" >= {low}"
    return f" <= {high}" if high is not None else ""


def _int_bounds(field: Any) -> tuple[int | None, int | None]:
    """The ge/le bounds an integer field declares, to state the whole range."""
    for member in _members(field):
        if isinstance(member, mi.IntType):
            return member.ge, member.le
    return None, None


@functools.cache
def _field_type(struct_type: type[msgspec.Struct], path: str) -> Any:
    """The inspected type at a msgspec path (`contacts[0].phone_no`), or None."""
    node: Any = mi.type_info(struct_type)
    for step in _PATH_STEP.findall(path):
        node = _step(node, step)
        if node is None:
            return None
    return node


def _step(node: Any, step: str) -> Any:
    for member in _members(node):
        if step.startswith("[") and isinstance(member, mi.ListType):
            return member.item_type
        if isinstance(member, mi.StructType):
            for field in member.fields:
                if field.encode_name == step:
                    return field.type
    return None


def _members(node: Any) -> list[Any]:
    """A type's alternatives, unwrapped (an Optional or a union has several), no null."""
    node = _bare(node)
    members = node.types if isinstance(node, mi.UnionType) else (node,)
    return [_bare(m) for m in members if not isinstance(_bare(m), mi.NoneType)]


def _bare(node: Any) -> Any:
    """A type with a description or bounds is wrapped: Metadata(type=IntType(...))."""
    while isinstance(node, mi.Metadata):
        node = node.type
    return node
