"""A group of endpoints in a route table: the generation, audience, tag and error
statuses they share, and an `Operation` made from one path and handler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_type_hints

import msgspec

from contactd.api.errors import Audience, Generation
from contactd.api.operations import Handler, Operation, Streamed
from contactd.domain.idempotency import Render

__all__ = ["RouteGroup"]


@dataclass(frozen=True, slots=True)
class RouteGroup:
    generation: Generation
    audience: Audience
    tag: str
    errors: tuple[int, ...]
    """The error statuses a client can cause (413, 503 and 507 apply to every one)."""

    def __call__(
        self,
        path: str,
        handler: Handler,
        response: type[msgspec.Struct] | type[Streamed],
        summary: str,
        example: dict[str, Any],
        *,
        write: bool = False,
        answer: Render | None = None,
    ) -> Operation:
        return Operation(
            path=path,
            generation=self.generation,
            audience=self.audience,
            request=get_type_hints(handler)["request"],
            response=response,
            handler=handler,
            summary=summary,
            errors=self.errors,
            tag=self.tag,
            example=example,
            write=write or answer is not None,
            answer=answer,
        )
