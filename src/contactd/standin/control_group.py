"""What every control call of stand-in mode shares: its route group, the answer's status,
the credentials of its examples, and the stand-in state it acts on."""

from __future__ import annotations

from contactd.api.errors import Audience, Generation
from contactd.api.operations import Services
from contactd.api.route_group import RouteGroup
from contactd.standin.state import StandIn

__all__ = ["CONTROL", "EXAMPLE_CREDENTIALS", "SUCCESS", "stand_in_of"]

CONTROL = RouteGroup(Generation.V3, Audience.ADMIN, "stand-in", (400, 401))
"""The control API answers errors as the v3 admin endpoints do: a bad body 400, bad app
credentials 401."""
SUCCESS = "success"
EXAMPLE_CREDENTIALS = {"appid": 1111112, "secret": "your-app-secret"}
"""The credentials of every control call's example body (replaced by a real app's)."""


def stand_in_of(services: Services) -> StandIn:
    """The stand-in state: the control operations are installed only in stand-in mode."""
    assert services.stand_in is not None, "a control operation outside stand-in mode"
    return services.stand_in
