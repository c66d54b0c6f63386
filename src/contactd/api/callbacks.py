"""The vendor's call-record endpoints, `/v1/callback`, `/v1/callbackAction`,
`/v2/callback` and `/v2/callback/action`: answered 501, since contactd keeps contacts,
not calls (docs/api.md, "Callbacks").

The token is checked first, as on every other endpoint of the generation, so that a
client learns about a bad token before it learns that the endpoint is not served.
"""

from __future__ import annotations

import msgspec

from contactd.api.errors import ErrorBody
from contactd.api.fields import Token
from contactd.api.operations import Services
from contactd.domain.errors import Unsupported

__all__ = ["NO_CALL_RECORDS", "CallbackRequest", "callbacks"]

NO_CALL_RECORDS = (
    "contactd does not record calls: the callback endpoints are not served"
    " (the call records are the telephony service's)"
)


class CallbackRequest(msgspec.Struct):
    """The token alone: the other fields (`from`, `to`, `phone_number`, ...) are ignored."""

    token: Token


async def callbacks(services: Services, request: CallbackRequest) -> ErrorBody:
    """Never answers a success: its declared answer is the error body it sends."""
    await services.principals.authenticate(request.token)
    raise Unsupported(NO_CALL_RECORDS)
