"""What the v1 and v3 admin endpoints share: the credentials every request carries, and
the views of a principal that their answers show."""

from __future__ import annotations

from typing import TypeVar

import msgspec

from contactd.api.fields import AppId, Secret
from contactd.domain.models import Principal

__all__ = ["AdminRequest", "V1AdminAnswer", "V3AdminAnswer", "principal_view"]


class AdminRequest(msgspec.Struct):
    """The app's credentials, the first fields of every admin request."""

    appid: AppId
    secret: Secret


class V1AdminAnswer(msgspec.Struct):
    """The first fields of every v1 admin answer: the vendor's `"cmi-200"` codes."""

    code: str
    status: str


class V3AdminAnswer(msgspec.Struct):
    """The first fields of every v3 admin answer."""

    code: int
    status: str


V = TypeVar("V", bound=msgspec.Struct)

# The wire names that are not the principal's own attribute names.
_ATTRIBUTE_OF = {"agent_id": "id", "email_id": "email"}


def principal_view(view: type[V], principal: Principal) -> V:
    """`view` with each field taken from the principal's attribute of that name."""
    return view(
        **{
            name: getattr(principal, _ATTRIBUTE_OF.get(name, name))
            for name in view.__struct_fields__
        }
    )
