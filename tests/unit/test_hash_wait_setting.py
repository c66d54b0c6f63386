"""`CONTACTD_MAX_HASH_WAIT_SECONDS`: read from the environment, never negative."""

from __future__ import annotations

import pytest

from contactd.config import Settings, settings_from_env


def test_default_is_one_second() -> None:
    assert Settings().max_hash_wait_seconds == 1.0
    assert settings_from_env({}).max_hash_wait_seconds == 1.0


@pytest.mark.parametrize("raw, seconds", [("0.25", 0.25), ("0", 0.0), ("3", 3.0)])
def test_read_from_the_environment(raw: str, seconds: float) -> None:
    settings = settings_from_env({"CONTACTD_MAX_HASH_WAIT_SECONDS": raw})
    assert settings.max_hash_wait_seconds == seconds


def test_a_negative_wait_is_refused_naming_the_setting() -> None:
    with pytest.raises(
        ValueError, match="CONTACTD_MAX_HASH_WAIT_SECONDS='-1': must be a number >= 0"
    ):
        settings_from_env({"CONTACTD_MAX_HASH_WAIT_SECONDS": "-1"})
