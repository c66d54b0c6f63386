"""What a test holds: a running contactd, one app on it and that app's user, with the
stand-in control API (`/_contactd/...`, docs/stand-in.md) as methods.

Every control call carries the app's appid and secret, so it acts on that app alone:
tests that each hold their own app on one server never see each other's state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from contactd.testing import loopback

__all__ = ["DEFAULT_EXTENSION", "DEFAULT_PASSWORD", "ContactdServer", "ControlError"]

DEFAULT_PASSWORD = "contactd-test-password"  # noqa: S105 (a throwaway test user)
DEFAULT_EXTENSION = 1001
TIMEOUT_SECONDS = 30.0
_MS = {"days": 86_400_000, "hours": 3_600_000, "minutes": 60_000, "seconds": 1000, "ms": 1}


class ControlError(Exception):
    """A call of the helpers answered with a status other than 2xx."""

    def __init__(self, path: str, status: int, message: str) -> None:
        super().__init__(f"{path} answered {status}: {message}")
        self.path = path
        self.status = status
        self.message = message


def call(port: int, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST `body` to `path`; its JSON answer, or `ControlError` for a non-2xx one."""
    answer = loopback.post_json(port, path, body, timeout=TIMEOUT_SECONDS)
    try:
        parsed = answer.json()
    except ValueError:
        parsed = None
    if not 200 <= answer.status < 300:
        message = parsed.get("msg") if isinstance(parsed, dict) else None
        text = message if isinstance(message, str) else answer.body.decode(errors="replace")
        raise ControlError(path, answer.status, text)
    if not isinstance(parsed, dict):
        raise ControlError(path, answer.status, f"not a JSON object: {answer.body[:200]!r}")
    return parsed


def provision(port: int, appid: int, secret: str) -> tuple[str, str]:
    """The helpers' user in the app, logged in: (user_id, token)."""
    added = call(
        port,
        "/v3/user/add",
        {
            "appid": appid, "secret": secret, "extension": DEFAULT_EXTENSION,
            "first_name": "Test", "last_name": "User",
            "phone_number": "919800000000", "password": DEFAULT_PASSWORD,
        },
    )  # fmt: skip
    user_id = str(added["agent"]["agent_id"])
    login = call(port, "/v2/user/login", {"id": user_id, "password": DEFAULT_PASSWORD})
    return user_id, str(login["token"])


def _answer_fields(answer: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in ("code", "status")}


@dataclass(frozen=True, kw_only=True, eq=False)
class ContactdServer:
    """A running contactd: where it is, one app's credentials and its user's.

    The credentials are read-only; `.token` changes only when `reset()` provisions the
    user anew. None of them is in the repr: pytest prints a fixture's value on failure.
    """

    base_url: str
    appid: int
    secret: str = field(repr=False)
    user_id: str
    """The user's login id, `{extension}_{appid}`."""
    password: str = field(repr=False)
    token: str = field(repr=False)
    """The user's token (v2/v3); a new one after `reset()`."""
    _port: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_port", urlsplit(self.base_url).port or 80)

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- the control API of stand-in mode ------------------------------------------
    def control(self, operation: str, **fields: Any) -> dict[str, Any]:
        """POST `/_contactd/{operation}` with this app's credentials and `fields`; the
        answer without its `code` and `status`. `ControlError` for a non-2xx answer."""
        body = {"appid": self.appid, "secret": self.secret, **fields}
        return _answer_fields(call(self._port, f"/_contactd/{operation}", body))

    def reset(self, *, keep_user: bool = True) -> None:
        """Empty the app: its contacts, notes, users, tokens, throttle state, faults and
        journal go; the app, its secret and its clock stay (`reset_clock()` puts the
        clock back).

        With `keep_user` (the default) the helpers' user is added again with the same
        id and password and logged in, so `.token` is a new valid token; its two calls
        (`/v3/user/add`, `/v2/user/login`) are the first entries of the new journal.
        With `keep_user=False` the app has no user, and `.token` is no longer valid.
        """
        self.control("reset")
        if keep_user:
            user_id, token = provision(self._port, self.appid, self.secret)
            # The one change a handle makes to itself: frozen, its fields are read-only
            # to the tests holding it.
            object.__setattr__(self, "user_id", user_id)
            object.__setattr__(self, "token", token)

    def seed(
        self,
        *,
        principals: Sequence[Mapping[str, Any]] = (),
        contacts: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """Add users (as `/v3/user/add` takes them, without appid and secret) and contacts
        (v3 or v1 shape) in one call; the answer's new ids."""
        return self.control("seed", principals=list(principals), contacts=list(contacts))

    def faults(
        self, rules: Sequence[Mapping[str, Any]], *, seed: int | None = None
    ) -> dict[str, Any]:
        """Replace the app's fault rules (an empty list clears them); `seed` makes the
        probabilistic ones repeat run after run. The answer: `rules` and the `seed` used."""
        fields: dict[str, Any] = {"rules": list(rules)}
        if seed is not None:
            fields["seed"] = seed
        return self.control("faults", **fields)

    def requests(
        self, *, path: str | None = None, since: int | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The app's journal, oldest first: requests and their answers, credentials
        redacted; `path` a glob of the paths to keep."""
        wanted = {"path": path, "since": since, "limit": limit}
        answer = self.control("requests", **{k: v for k, v in wanted.items() if v is not None})
        return list(answer["requests"])

    def advance_clock(
        self,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
        ms: int = 0,
    ) -> dict[str, Any]:
        """Move the app's "now" forward (token expiry, the time of new contacts, the due
        list, throttle windows); the answer's fields."""
        amounts = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
        total = ms + sum(round(amount * _MS[unit]) for unit, amount in amounts.items())
        if total < 0:
            raise ValueError(f"advance_clock moves forward only; got {total} ms")
        return self.control("clock", advance_ms=total)

    def set_clock(self, ms: int) -> dict[str, Any]:
        """Set the app's "now" to `ms` (epoch milliseconds)."""
        return self.control("clock", set_ms=ms)

    def reset_clock(self) -> dict[str, Any]:
        """The app's "now" is the system's again."""
        return self.control("clock", reset=True)
