"""Settings from `CONTACTD_*` and flags: each bad one named with its rule."""

from __future__ import annotations

import pytest

from contactd.config import settings_from_env, unknown_variables


def refusal(environ: dict[str, str], **flags: object) -> str:
    with pytest.raises(ValueError, match="invalid setting") as caught:
        settings_from_env(environ, **flags)
    return str(caught.value)


def test_every_bad_variable_is_named_with_its_value_and_rule() -> None:
    message = refusal(
        {"CONTACTD_PORT": "70000", "CONTACTD_WORKERS": "0", "CONTACTD_LOG_LEVEL": "verbose"}
    )
    assert "CONTACTD_PORT='70000': must be an integer <= 65535" in message
    assert "CONTACTD_WORKERS='0': must be an integer >= 1" in message
    assert (
        "CONTACTD_LOG_LEVEL='verbose': must be one of critical, error, warning, info, debug"
    ) in message


def test_a_flag_is_named_as_a_flag() -> None:
    assert "--port=-1: must be an integer >= 0" in refusal({"CONTACTD_PORT": "80"}, port=-1)


def test_flags_win_over_variables_and_levels_ignore_case() -> None:
    settings = settings_from_env({"CONTACTD_PORT": "81", "CONTACTD_LOG_LEVEL": "DEBUG"}, port=82)
    assert (settings.port, settings.log_level) == (82, "debug")


def test_unknown_variables_get_the_closest_known_name() -> None:
    environ = {
        "CONTACTD_DATABASE_ULR": "sqlite:///x.db",
        "CONTACTD_PORT": "80",
        "CONTACTD_TOKEN": "t",
        "CONTACTD_QQQQ": "1",
        "HOME": "/root",
    }
    assert unknown_variables(environ) == [
        "unknown variable CONTACTD_DATABASE_ULR is ignored (did you mean CONTACTD_DATABASE_URL?)",
        "unknown variable CONTACTD_QQQQ is ignored",
    ]
