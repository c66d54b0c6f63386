"""What a login came to: its outcome, for the caller to answer (and to audit).

`PrincipalService.login` returns a `LoginResult` rather than raising, so that whoever
answers the login also knows which of the outcomes below it was: the client is told
less (a wrong password and an unknown id are answered alike) than an operator's audit
may record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from contactd.domain.errors import DomainError
from contactd.domain.models import Principal

__all__ = ["LoginOutcome", "LoginResult"]


class LoginOutcome(enum.Enum):
    OK = "ok"
    """The password matched; a token was issued."""
    BAD_PASSWORD = "bad_password"  # noqa: S105 (an outcome, not a password)
    """The principal exists; the password did not match (counted by the throttle)."""
    UNKNOWN_ID = "unknown_id"
    """A well-formed id that names no principal, checked against a decoy hash (counted)."""
    MALFORMED_ID = "malformed_id"
    """Not of the form `{extension}_{appid}`: refused without a password check."""
    THROTTLED = "throttled"
    """The id used up its failed logins in the window: refused without a check."""
    BUSY = "busy"
    """Every password hasher was taken for longer than a login may wait: no check ran."""


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    token: str | None = None
    principal: Principal | None = None
    refusal: DomainError | None = None
    """What the client is answered when the outcome is not OK."""

    def granted(self) -> tuple[str, Principal]:
        """The new token and its principal; raises the refusal when there is none."""
        if self.refusal is not None:
            raise self.refusal
        assert self.token is not None and self.principal is not None  # an OK result
        return self.token, self.principal
