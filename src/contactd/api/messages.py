"""Why a body was refused, as the contract's "<field> <rule>" sentences.

msgspec raises at the first rule a body breaks, and its message is for people: it is
never read. When it raises, `explain` walks the body against the request type's
declared fields (`msgspec.inspect`) in the order msgspec reads them (an object's fields
in the body's order, then the required ones missing in their declared order; an array's
items before its length) and names the first rule broken, from the type alone. It runs
only for a refused body, so an accepted one never pays for it.
"""

from __future__ import annotations

import enum
import functools
from typing import Any, NamedTuple

import msgspec
import msgspec.inspect as mi

__all__ = [
    "BODY_NOT_AN_OBJECT",
    "MAX_INT_DIGITS",
    "NESTED_TOO_DEEPLY",
    "Broken",
    "Rule",
    "explain",
    "find_member",
    "first_broken",
    "members_of",
    "nullable",
    "type_info",
]

BODY_NOT_AN_OBJECT = "request body must be a JSON object"
NESTED_TOO_DEEPLY = "request body is nested too deeply"
BODY_REFUSED = "request body does not match the fields of the request"
"""Only for a body whose rule the walk does not find (a repeated key: msgspec reads
each occurrence, a JSON object keeps the last)."""
MAX_INT_DIGITS = 4300
"""The longest integer msgspec decodes (CPython's `int()` limit)."""

_TYPE_WORDS = {
    "bool": "a boolean",
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "object": "an object",
    "array": "an array",
}
"""In the order msgspec lists a union's types, so that a sentence reads the same
whatever the order the type was declared in."""
_TYPE_NAMES: dict[type, str] = {
    mi.BoolType: "bool",
    mi.IntType: "int",
    mi.FloatType: "float",
    mi.StrType: "str",
    mi.StructType: "object",
    mi.DictType: "object",
    mi.ListType: "array",
}
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1
_fields_of = msgspec.json.Decoder(dict[str, msgspec.Raw])
_items_of = msgspec.json.Decoder(list[msgspec.Raw])
_text = msgspec.json.Decoder(str)


class Rule(enum.Enum):
    """Which kind of rule a field broke, for what the sentence alone cannot say."""

    MISSING = "missing"
    TOO_LONG = "too_long"
    """A string or an array over its maximum length."""
    OTHER = "other"


class Broken(NamedTuple):
    path: str
    """The field, as the sentence names it (`contacts[3].phone_no`); "" for the body."""
    rule: Rule
    sentence: str


def first_broken(body: bytes, struct_type: type[msgspec.Struct]) -> Broken:
    """The first rule `body` breaks (a body msgspec refused), with its sentence."""
    try:
        found = _first_broken(body, type_info(struct_type), "")
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError, ValueError):
        found = None
    return found if found is not None else Broken("", Rule.OTHER, BODY_REFUSED)


def explain(body: bytes, struct_type: type[msgspec.Struct]) -> str:
    """The sentence of the first rule `body` breaks."""
    return first_broken(body, struct_type).sentence


@functools.cache
def type_info(struct_type: type[msgspec.Struct]) -> Any:
    """The request type's declared fields (also read by api/form.py)."""
    return mi.type_info(struct_type)


def _first_broken(raw: bytes, node: Any, path: str) -> Broken | None:
    members = members_of(node)
    if any(isinstance(m, (mi.AnyType, mi.RawType)) for m in members):
        return None
    read = _BY_FIRST_BYTE.get(raw.lstrip()[:1], _number)
    return read(raw, node, members, path)


def _null(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    return None if nullable(node) else _wrong_type(path, members)


def _boolean(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    return None if find_member(members, mi.BoolType) else _wrong_type(path, members)


def _string(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    text = find_member(members, mi.StrType)
    if text is None:
        return _wrong_type(path, members)
    return _length(path, len(_text.decode(raw)), text, "character", "be")


def _object(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    struct = find_member(members, mi.StructType)
    return _wrong_type(path, members) if struct is None else _fields(raw, struct, path)


def _array(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    array = find_member(members, mi.ListType)
    return _wrong_type(path, members) if array is None else _items(raw, array, path)


def _fields(raw: bytes, struct: mi.StructType, path: str) -> Broken | None:
    sent = _fields_of.decode(raw)
    declared = {field.encode_name: field for field in struct.fields}
    for name, value in sent.items():
        field = declared.get(name)
        if field is not None:
            broken = _first_broken(bytes(value), field.type, _join(path, name))
            if broken is not None:
                return broken
    for field in struct.fields:
        if field.required and field.encode_name not in sent:
            name = _join(path, field.encode_name)
            return Broken(name, Rule.MISSING, f"{name} is required")
    return None


def _items(raw: bytes, array: mi.ListType, path: str) -> Broken | None:
    items = _items_of.decode(raw)
    for i, item in enumerate(items):
        broken = _first_broken(bytes(item), array.item_type, f"{path}[{i}]")
        if broken is not None:
            return broken
    return _length(path, len(items), array, "item", "hold")


def _number(raw: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    """msgspec reads an integer as one where the type takes integers, up to 4300
    digits; elsewhere as a 64-bit integer if it fits, else as a float."""
    text = raw.strip()
    integer = find_member(members, mi.IntType)
    takes_float = find_member(members, mi.FloatType) is not None
    if not any(c in text for c in b".eE"):
        digits = len(text.lstrip(b"-"))
        if integer is not None:
            if digits > MAX_INT_DIGITS:
                return _other(path, _too_many_digits(path, node))
            return _int_bound(path, int(text), integer, node)
        if takes_float or digits > MAX_INT_DIGITS or not _INT64_MIN <= int(text) <= _UINT64_MAX:
            return _as_float(text, node, members, path)
        return _wrong_type(path, members)
    return _as_float(text, node, members, path)


def _as_float(text: bytes, node: Any, members: list[Any], path: str) -> Broken | None:
    if float(text) in (float("inf"), float("-inf")):  # past what a float holds: `1e400`
        return _other(path, _declared(path, node))
    return None if find_member(members, mi.FloatType) else _wrong_type(path, members)


def _int_bound(path: str, value: int, integer: mi.IntType, node: Any) -> Broken | None:
    if integer.ge is not None and value < integer.ge:
        rule = f">= {integer.ge}"
    elif integer.le is not None and value > integer.le:
        rule = f"<= {integer.le}"
    elif (integer.gt is not None and value <= integer.gt) or (
        integer.lt is not None and value >= integer.lt
    ):
        return _other(path, _declared(path, node))
    else:
        return None
    low, high = _int_bounds(node)
    if low is not None and high is not None:
        return _other(path, f"{path} must be between {low} and {high}")
    return _other(path, f"{path} must be {rule}")


def _length(path: str, n: int, bounded: Any, unit: str, verb: str) -> Broken | None:
    if bounded.min_length is not None and n < bounded.min_length:
        rule, limit, bound = Rule.OTHER, "at least", bounded.min_length
    elif bounded.max_length is not None and n > bounded.max_length:
        rule, limit, bound = Rule.TOO_LONG, "at most", bounded.max_length
    else:
        return None
    return Broken(
        path, rule, f"{path} must {verb} {limit} {bound} {unit}{'' if bound == 1 else 's'}"
    )


def _wrong_type(path: str, members: list[Any]) -> Broken:
    if path == "":
        return _other(path, BODY_NOT_AN_OBJECT)
    names = {_TYPE_NAMES.get(type(m)) for m in members}
    words = [word for name, word in _TYPE_WORDS.items() if name in names]
    return _other(path, f"{path} must be {' or '.join(words) or 'null'}")


def _other(path: str, sentence: str) -> Broken:
    return Broken(path, Rule.OTHER, sentence)


def _too_many_digits(path: str, node: Any) -> str:
    if _int_bounds(node)[1] is not None:
        return _declared(path, node)
    return f"{path} must be {_words_of(node, too_long=True)}"


def _declared(path: str, node: Any) -> str:
    """The rule the field declares: its types, and an integer's bounds."""
    low, high = _int_bounds(node)
    if low is not None and high is not None and len(members_of(node)) == 1:
        return f"{path} must be between {low} and {high}"
    return f"{path} must be {_words_of(node)}"


def _words_of(node: Any, *, too_long: bool = False) -> str:
    """The field's types in words, as declared: "a string or an integer >= 0" (or, for
    an integer too long to decode, "... or an integer of at most 4300 digits")."""
    words = []
    for member in members_of(node):
        name = _TYPE_NAMES.get(type(member))
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


def _int_bounds(node: Any) -> tuple[int | None, int | None]:
    """The ge/le bounds an integer field declares, to state the whole range."""
    integer = find_member(members_of(node), mi.IntType)
    return (integer.ge, integer.le) if integer is not None else (None, None)


_BY_FIRST_BYTE = {
    b"n": _null,
    b"t": _boolean,
    b"f": _boolean,
    b'"': _string,
    b"{": _object,
    b"[": _array,
}


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def find_member(members: list[Any], kind: type) -> Any:
    return next((m for m in members if isinstance(m, kind)), None)


def nullable(node: Any) -> bool:
    node = _bare(node)
    members = node.types if isinstance(node, mi.UnionType) else (node,)
    return any(isinstance(_bare(m), mi.NoneType) for m in members)


def members_of(node: Any) -> list[Any]:
    """A type's alternatives, unwrapped (an Optional or a union has several), no null."""
    node = _bare(node)
    members = node.types if isinstance(node, mi.UnionType) else (node,)
    return [_bare(m) for m in members if not isinstance(_bare(m), mi.NoneType)]


def _bare(node: Any) -> Any:
    """A type with a description or bounds is wrapped: Metadata(type=IntType(...))."""
    while isinstance(node, mi.Metadata):
        node = node.type
    return node
