"""The control API of stand-in mode, `/_contactd/*`: ordinary operations (api/operations.py)
whose every request names its app by `appid` and `secret` and acts on that app alone, so
that tests sharing one server, each with an app of its own, never see each other.

Errors are those of the v3 admin endpoints: bad app credentials 401, a bad body 400.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from contactd.api.admin_base import AdminAnswer, AdminRequest
from contactd.api.operations import Operation, Services
from contactd.domain.errors import Invalid
from contactd.standin.control_faults import FAULT_OPERATIONS
from contactd.standin.control_group import CONTROL, EXAMPLE_CREDENTIALS, SUCCESS, stand_in_of
from contactd.standin.seeding import SeedAnswer, seed

__all__ = [
    "CONTROL_PREFIX",
    "STAND_IN_OPERATIONS",
    "ClockAnswer",
    "ClockRequest",
    "ResetAnswer",
    "ResetRequest",
]

CONTROL_PREFIX = "/_contactd/"
_LATEST_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_CENTURY_MS = 100 * 366 * 24 * 60 * 60 * 1000


class ResetRequest(AdminRequest, kw_only=True):
    pass


class ResetAnswer(AdminAnswer, kw_only=True):
    pass


async def reset(services: Services, request: ResetRequest) -> ResetAnswer:
    """Remove the app's data, its fault rules and its journal, keeping the app, its secret
    and its clock."""
    app = await services.apps.authenticate(request.appid, request.secret)
    await services.store.reset_app(app.app_id)
    stand_in_of(services).forget(app.app_id)
    return ResetAnswer(code=200, status=SUCCESS)


class ClockRequest(AdminRequest, kw_only=True):
    advance_ms: Annotated[int, Meta(ge=0, le=_CENTURY_MS)] | None = None
    set_ms: Annotated[int, Meta(ge=0, le=_LATEST_MS)] | None = None
    reset: bool = False


class ClockAnswer(AdminAnswer, kw_only=True):
    now_ms: int
    """The app's now after the change, in epoch ms."""
    offset_ms: int
    """How far the app's clock is from the server's, in ms."""


async def move_clock(services: Services, request: ClockRequest) -> ClockAnswer:
    """Move the app's "now": forward by `advance_ms`, to `set_ms`, or back to the server's."""
    chosen = [name for name in ("advance_ms", "set_ms") if getattr(request, name) is not None]
    chosen += ["reset"] if request.reset else []
    if len(chosen) != 1:
        given = f"; got {', '.join(chosen)}" if chosen else ""
        raise Invalid(f"clock takes exactly one of advance_ms, set_ms or reset: true{given}")
    app = await services.apps.authenticate(request.appid, request.secret)
    clocks = stand_in_of(services).clocks
    if request.advance_ms is not None:
        now = clocks.advance(app.app_id, request.advance_ms)
    elif request.set_ms is not None:
        now = clocks.set(app.app_id, request.set_ms)
    else:
        now = clocks.reset(app.app_id)
    return ClockAnswer(code=200, status=SUCCESS, now_ms=now, offset_ms=clocks.offset(app.app_id))


STAND_IN_OPERATIONS: tuple[Operation, ...] = (
    CONTROL(
        "/_contactd/reset",
        reset,
        ResetAnswer,
        "Remove the app's contacts, notes, principals, tokens, throttle state, faults and"
        " journal, keeping the app and its secret",
        EXAMPLE_CREDENTIALS,
    ),
    CONTROL(
        "/_contactd/clock",
        move_clock,
        ClockAnswer,
        "Move the app's now: token expiry, new contacts' time, the due list, login throttle",
        {**EXAMPLE_CREDENTIALS, "advance_ms": 31 * 24 * 60 * 60 * 1000},
    ),
    CONTROL(
        "/_contactd/seed",
        seed,
        SeedAnswer,
        "Add principals (any generation's admin add) and contacts (v3 or v1 shape) to the app,"
        " all or none",
        {
            **EXAMPLE_CREDENTIALS,
            "principals": [
                {
                    "extension": 1001,
                    "first_name": "Asha",
                    "last_name": "Rao",
                    "phone_number": "919800000001",
                    "password": "asha-password",
                },
                {
                    "generation": "v1",
                    "extension": 1002,
                    "name": "Vikram Shah",
                    "phone_number": "919800000002",
                    "password": "vikram-password",
                    "sms_alert": True,
                },
            ],
            "contacts": [
                {
                    "phone_no": "919812345678",
                    "first_name": "Ravi",
                    "last_name": "Kumar",
                    "company": "Acme",
                },
                {
                    "from": 919812345679,
                    "name": "Meena Iyer",
                    "tag": "lead",
                    "status": "call back",
                    "remindme": 1_900_000_000_000,
                    "agent": "1002_1111112",
                    "notes": [{"msg": "asked for a demo"}],
                },
            ],
        },
    ),
    *FAULT_OPERATIONS,
)

assert all(op.path.startswith(CONTROL_PREFIX) for op in STAND_IN_OPERATIONS)
