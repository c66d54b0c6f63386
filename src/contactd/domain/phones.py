"""Phone validation and identity, with Google's libphonenumber rules (`phonenumbers`).

Identity (docs/api.md, "Phones"): a national number takes the app's default country
code, so `9100000000` and `919100000000` are one contact. Validity is *possible* length
only: range validity would refuse the vendor's own sample numbers.
"""

from __future__ import annotations

import functools

import msgspec
import phonenumbers

from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.errors import Invalid

__all__ = ["MIN_QUERY_DIGITS", "Phone", "normalize_phone", "query_digits"]

# Separators people type inside a number; anything else that is not a digit is refused
# (phonenumbers would otherwise read letters as a vanity number: 1-800-FLOWERS).
_SEPARATORS = str.maketrans("", "", " -().")
MIN_QUERY_DIGITS = 3
"""The fewest digits a search takes as part of a phone number (a trigram)."""


class Phone(msgspec.Struct, frozen=True):
    digits: str
    """What the client sent, digits only (a leading `+` dropped)."""
    key: str
    """E.164 digits without `+`: the identity of the number within an app."""


@functools.lru_cache(maxsize=64)
def _region_for(country_code: str) -> str:
    return phonenumbers.region_code_for_country_code(int(country_code))


def normalize_phone(raw: str, *, field: str, country_code: str = DEFAULT_COUNTRY_CODE) -> Phone:
    """Validate `raw` and return its digits and identity key, or raise `Invalid`."""
    compact = raw.strip().translate(_SEPARATORS)
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not digits.isascii() or not digits.isdigit():
        raise Invalid(f"{field} must contain digits only")
    try:
        parsed = phonenumbers.parse(
            "+" + digits if international else digits, _region_for(country_code)
        )
    except phonenumbers.NumberParseException as exc:
        raise Invalid(f"{field} is not a phone number") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise Invalid(f"{field} is not a possible phone number (wrong length)")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(digits=digits, key=e164[1:])


def query_digits(query: str) -> str | None:
    """The digits of a search query that reads as (part of) a phone number: digits and
    the separators people type, with a leading `+`, and at least `MIN_QUERY_DIGITS`
    digits; None for any other query ("Ravi 4432" is a name)."""
    compact = query.strip().translate(_SEPARATORS).removeprefix("+")
    if len(compact) < MIN_QUERY_DIGITS or not (compact.isascii() and compact.isdigit()):
        return None
    return compact
