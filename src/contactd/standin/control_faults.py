"""The control calls of faults and the journal: `POST /_contactd/faults` sets an app's
fault rules (standin/faults.py), `POST /_contactd/requests` reads its journal
(standin/journal.py). Concatenated into `STAND_IN_OPERATIONS` by standin/control.py."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from contactd.api.admin_base import AdminAnswer, AdminRequest
from contactd.api.operations import Operation, Services
from contactd.standin.control_group import CONTROL, EXAMPLE_CREDENTIALS, SUCCESS, stand_in_of
from contactd.standin.faults import MAX_RULES, FaultRule, plan_faults
from contactd.standin.journal import JournalEntry

__all__ = [
    "FAULT_OPERATIONS",
    "FaultsAnswer",
    "FaultsRequest",
    "RequestsAnswer",
    "RequestsRequest",
]

MAX_READ = 10_000
DEFAULT_READ = 1000


# -- /_contactd/faults ----------------------------------------------------------------------
class FaultsRequest(AdminRequest, kw_only=True):
    rules: Annotated[list[FaultRule], Meta(max_length=MAX_RULES)]
    """The app's rules from now on, in the order they are tried; [] clears them."""
    seed: int | None = None
    """The seed of the app's random draw (probability rules); a fixed one if not given."""


class FaultsAnswer(AdminAnswer, kw_only=True):
    rules: list[FaultRule]
    seed: int


async def set_faults(services: Services, request: FaultsRequest) -> FaultsAnswer:
    """Replace the app's fault rules; their counts and random draw start again."""
    plan = plan_faults(request.rules, request.seed)  # a bad rule replaces nothing
    app = await services.apps.authenticate(request.appid, request.secret)
    faults = stand_in_of(services).faults
    if plan.rules:
        faults[app.app_id] = plan
    else:
        faults.pop(app.app_id, None)
    return FaultsAnswer(code=200, status=SUCCESS, rules=list(plan.rules), seed=plan.seed)


# -- /_contactd/requests --------------------------------------------------------------------
class RequestsRequest(AdminRequest, kw_only=True):
    path: Annotated[str, Meta(min_length=1, max_length=256)] | None = None
    """Only the requests to paths matching this glob (`fnmatch`, as a fault rule's)."""
    since: Annotated[int, Meta(ge=0)] | None = None
    """Only the entries numbered after this one (a `seq`, or an answer's `last_seq`)."""
    limit: Annotated[int, Meta(ge=1, le=MAX_READ)] = DEFAULT_READ


class RequestsAnswer(AdminAnswer, kw_only=True):
    requests: list[JournalEntry]
    """Oldest first."""
    dropped: int
    """How many entries the journal's bound has dropped (the oldest go first)."""
    last_seq: int
    """The number of the app's newest entry, matching or not (0 before the first)."""


async def read_requests(services: Services, request: RequestsRequest) -> RequestsAnswer:
    """The app's journal: its requests and their answers, credentials redacted."""
    app = await services.apps.authenticate(request.appid, request.secret)
    journal = stand_in_of(services).journal(app.app_id)
    entries = journal.read(path=request.path, since=request.since, limit=request.limit)
    return RequestsAnswer(
        code=200,
        status=SUCCESS,
        requests=entries,
        dropped=journal.dropped,
        last_seq=journal.last_seq,
    )


FAULT_OPERATIONS: tuple[Operation, ...] = (
    CONTROL(
        "/_contactd/faults",
        set_faults,
        FaultsAnswer,
        "Replace the app's fault rules: injected errors, delays, dropped connections,"
        " expired tokens",
        {
            **EXAMPLE_CREDENTIALS,
            "rules": [
                {"path": "/v3/contact/*", "probability": 0.2, "status": 503, "retry_after": 2},
                {"path": "/v2/user/contact/get", "every_nth": 3, "delay_ms": 1500},
                {"path": "/v3/contact/add", "times": 1, "drop_connection": True},
                {"path": "/v1/*", "times": 1, "expire_token": True},
            ],
            "seed": 7,
        },
    ),
    CONTROL(
        "/_contactd/requests",
        read_requests,
        RequestsAnswer,
        "The app's journal of requests and answers, oldest first, credentials redacted",
        {**EXAMPLE_CREDENTIALS, "path": "/v3/contact/*", "since": 0, "limit": 100},
    ),
)
