"""Fault rules of stand-in mode (`POST /_contactd/faults`, docs/stand-in.md): which of an
app's requests get an injected answer, a delay, a dropped connection or an expired
token, decided the same way run after run.

A rule names the paths it matches by a glob, when it fires (always, by chance, on every
n-th match, at most `times` in all) and one action. The rules are tried in order on each
request of the app; the first that fires wins and those after it are not tried (their
counts and the random draws stay as they were), so that the same seed and the same
requests give the same injections.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Annotated, NamedTuple

import msgspec
from msgspec import Meta

from contactd.domain.errors import Invalid

__all__ = [
    "DEFAULT_SEED",
    "INJECTED_STATUSES",
    "MAX_RULES",
    "Action",
    "FaultPlan",
    "FaultRule",
    "Fired",
    "InjectedFault",
    "plan_faults",
]

DEFAULT_SEED = 0
"""The seed of an app whose rules were set without one: runs repeat all the same."""
INJECTED_STATUSES = (429, 500, 503)
RETRY_STATUSES = (429, 503)
DEFAULT_RETRY_AFTER_SECONDS = 1
MAX_RULES = 100
MAX_DELAY_MS = 60_000
_MAX_COUNT = 1_000_000_000
_MAX_PATH = 256


class FaultRule(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One rule as sent (and answered back)."""

    path: Annotated[str, Meta(min_length=1, max_length=_MAX_PATH)]
    """The paths it matches: a glob (`fnmatch`; `*` matches `/` too), e.g. `/v3/contact/*`."""
    probability: float | None = None
    """Fires on a match with this chance, 0 < p <= 1 (the app's seeded draw)."""
    every_nth: Annotated[int, Meta(ge=1, le=_MAX_COUNT)] | None = None
    """Fires on the n-th, 2n-th, ... match."""
    times: Annotated[int, Meta(ge=1, le=_MAX_COUNT)] | None = None
    """Fires at most this many times in all; then it is spent."""
    status: int | None = None
    """Answer at once with this status (429, 500 or 503), the operation not run."""
    delay_ms: Annotated[int, Meta(ge=1, le=MAX_DELAY_MS)] | None = None
    """Wait this long, then serve the request."""
    drop_connection: bool = False
    """Close the connection after the answer's head, with no body; the operation not run."""
    expire_token: bool = False
    """Expire the request's token before the operation runs (matches token requests only)."""
    retry_after: Annotated[int, Meta(ge=0, le=86_400)] | None = None
    """The `Retry-After` of an injected 429 or 503, in seconds (1 if not given)."""


class Action(enum.Enum):
    STATUS = "status"
    DELAY = "delay_ms"
    DROP = "drop_connection"
    EXPIRE = "expire_token"


class InjectedFault(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What a fault rule did to a request (docs/stand-in.md, "Faults")."""

    rule: int
    """The rule's index in the list last set."""
    action: str
    """`status`, `delay_ms`, `drop_connection` or `expire_token`."""
    status: int | None = None
    delay_ms: int | None = None


class Fired(NamedTuple):
    """A rule that fired on a request."""

    rule_index: int
    rule: FaultRule
    action: Action

    def injected(self) -> InjectedFault:
        """What the journal notes of it."""
        rule = self.rule
        return InjectedFault(
            rule=self.rule_index,
            action=self.action.value,
            status=rule.status,
            delay_ms=rule.delay_ms,
        )


@dataclass(slots=True)
class FaultPlan:
    """An app's rules with their random draw and counts, as last set."""

    rules: tuple[FaultRule, ...]
    actions: tuple[Action, ...]
    seed: int
    random: random.Random = field(init=False)
    matched: list[int] = field(init=False)
    """Per rule: the matches it has been tried on (what `every_nth` counts)."""
    fired: list[int] = field(init=False)
    """Per rule: how many times it has fired (what `times` bounds)."""

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.matched = [0] * len(self.rules)
        self.fired = [0] * len(self.rules)

    def pick(self, path: str, *, has_token: bool) -> Fired | None:
        """The first rule that fires on a request to `path`, counted; None if none does.
        `has_token`: the request carries a principal token of the app."""
        for index, rule in enumerate(self.rules):
            action = self.actions[index]
            if not fnmatchcase(path, rule.path) or (action is Action.EXPIRE and not has_token):
                continue
            if rule.times is not None and self.fired[index] >= rule.times:
                continue  # spent: no longer counts matches nor draws
            self.matched[index] += 1
            if rule.every_nth is not None:
                fires = self.matched[index] % rule.every_nth == 0
            elif rule.probability is not None:
                fires = self.random.random() < rule.probability
            else:
                fires = True
            if fires:
                self.fired[index] += 1
                return Fired(index, rule, action)
        return None


def plan_faults(rules: Sequence[FaultRule], seed: int | None) -> FaultPlan:
    """The plan of `rules`, each checked; `Invalid` naming the first rule and field
    that breaks a rule of its own."""
    actions = tuple(_checked(f"rules[{i}]", rule) for i, rule in enumerate(rules))
    return FaultPlan(tuple(rules), actions, DEFAULT_SEED if seed is None else seed)


def _checked(name: str, rule: FaultRule) -> Action:
    if not rule.path.startswith(("/", "*")):
        raise Invalid(f"{name}.path must be a glob of paths starting with / or * (e.g. /v3/*)")
    if rule.probability is not None and not 0 < rule.probability <= 1:
        raise Invalid(f"{name}.probability must be > 0 and <= 1")
    if rule.probability is not None and rule.every_nth is not None:
        raise Invalid(f"{name} takes at most one of probability or every_nth")
    chosen = [
        action
        for action, given in (
            (Action.STATUS, rule.status is not None),
            (Action.DELAY, rule.delay_ms is not None),
            (Action.DROP, rule.drop_connection),
            (Action.EXPIRE, rule.expire_token),
        )
        if given
    ]
    if len(chosen) != 1:
        got = f"; got {', '.join(a.value for a in chosen)}" if chosen else ""
        raise Invalid(
            f"{name} takes exactly one action of status, delay_ms, drop_connection: true"
            f" or expire_token: true{got}"
        )
    if rule.status is not None and rule.status not in INJECTED_STATUSES:
        raise Invalid(f"{name}.status must be one of {', '.join(map(str, INJECTED_STATUSES))}")
    if rule.retry_after is not None and rule.status not in RETRY_STATUSES:
        raise Invalid(f"{name}.retry_after applies only to status 429 or 503")
    return chosen[0]
