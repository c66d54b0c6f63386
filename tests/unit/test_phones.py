"""Phone validation and identity (docs/api.md, "Phones") with `normalize_phone`."""

from __future__ import annotations

import pytest

from contactd.domain.errors import Invalid
from contactd.domain.phones import Phone, normalize_phone


@pytest.mark.parametrize("raw", ["9100000000", "919100000000", "+919100000000", "09100000000"])
def test_national_and_international_forms_share_one_key(raw: str) -> None:
    assert normalize_phone(raw, field="phone").key == "919100000000"


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("9100000000", "9100000000"),
        ("+919100000000", "919100000000"),
        ("+91 91000-00000", "919100000000"),
        ("(910) 000.0000", "9100000000"),
        ("  919200000000  ", "919200000000"),
    ],
)
def test_digits_are_kept_as_sent_without_plus_and_separators(raw: str, digits: str) -> None:
    assert normalize_phone(raw, field="phone").digits == digits


@pytest.mark.parametrize("raw", ["9100000000", "919200000000"])
def test_vendor_sample_numbers_are_possible(raw: str) -> None:
    assert isinstance(normalize_phone(raw, field="phone_no"), Phone)


def test_international_number_keeps_its_own_country() -> None:
    assert normalize_phone("+1 415 555 2671", field="p").key == "14155552671"


def test_national_number_takes_the_apps_country_code() -> None:
    assert normalize_phone("4155552671", field="p", country_code="1").key == "14155552671"
    assert normalize_phone("4155552671", field="p", country_code="91").key == "914155552671"


@pytest.mark.parametrize(
    "raw",
    [
        "91abc00000",
        "1-800-FLOWERS",
        "",
        "+",
        "91_9100000000",
        "\u096f\u0967" + "\u0966" * 8,
        "\uff19\uff11" + "\uff10" * 8,
    ],
)
def test_anything_but_digits_and_separators_is_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(Invalid, match=r"^contacts\[2\]\.phone_no must contain digits only$"):
        normalize_phone(raw, field="contacts[2].phone_no")


@pytest.mark.parametrize("raw", ["1", "123", "91123", "+9112"])
def test_too_short_is_refused(raw: str) -> None:
    with pytest.raises(Invalid, match=r"^phone_no is not a (possible )?phone number"):
        normalize_phone(raw, field="phone_no")


@pytest.mark.parametrize("raw", ["9" * 18, "91" + "9" * 16, "+91" + "9" * 16])
def test_too_long_is_refused(raw: str) -> None:
    with pytest.raises(Invalid, match=r"^phone_no is not a (possible )?phone number"):
        normalize_phone(raw, field="phone_no")
