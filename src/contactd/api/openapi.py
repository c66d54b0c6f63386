"""`/openapi.json`, assembled from the route table and the wire Structs themselves."""

from __future__ import annotations

from typing import Any

import msgspec

from contactd import __version__
from contactd.api.errors import ErrorBody
from contactd.api.operations import Operation, Streamed

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{name}"
_ALWAYS = {
    413: "Body over 1 MiB",
    503: "Store busy, unreachable or unable to write, or password hashers busy; the"
    " X-Contactd-Outcome header says"
    " whether a write may have been applied (`unknown`) or certainly was not"
    " (`not-applied`)",
    507: "Store full; nothing was written",
}
_KEY_REUSED = "Idempotency-Key already used with another request"
_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1-255 visible ASCII characters. Within 24 hours, the same key with the"
    " same request replays the first successful answer without writing again"
    " (`Idempotent-Replayed: true`); with another request it is a 422. Scoped by app.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
_DESCRIPTION = """\
A self-hostable server for the TeleCMI contact APIs: v1 agent endpoints (page numbers)
and v3 user endpoints (cursors) over one contact store, with their logins and admin
provisioning. Every endpoint is POST with a JSON body; credentials travel in the body.
Every error is `{"code", "status": "error", "msg"}` with the HTTP status equal to `code`.
"""


def openapi_document(operations: tuple[Operation, ...]) -> dict[str, Any]:
    types: list[Any] = [ErrorBody]
    for op in operations:
        types += [op.request] if _streamed(op) else [op.request, op.response]
    schemas, components = msgspec.json.schema_components(types, ref_template=_REF)
    refs = dict(zip(map(id, types), schemas, strict=True))
    error_ref = refs[id(ErrorBody)]
    paths: dict[str, Any] = {}
    for op in operations:
        responses: dict[str, Any] = {
            "200": _streamed_success(op.response)
            if issubclass(op.response, Streamed)
            else _json("Success", refs[id(op.response)]),
        }
        described = {**_ALWAYS, 422: _KEY_REUSED} if op.write else _ALWAYS
        for status in sorted({*op.errors, *described}):
            responses[str(status)] = _json(described.get(status, "Error"), error_ref)
        post: dict[str, Any] = {
            "operationId": op.path.strip("/").replace("/", "_"),
            "summary": op.summary,
            "tags": [op.tag],
            "requestBody": {
                "required": True,
                "content": _content(refs[id(op.request)], example=op.example),
            },
            "responses": responses,
        }
        if op.write:
            post["parameters"] = [_KEY_PARAMETER]
        paths[op.path] = {"post": post}
    return {
        "openapi": "3.1.0",
        "info": {"title": "contactd", "version": __version__, "description": _DESCRIPTION},
        "paths": paths,
        "components": {"schemas": components},
    }


def _content(schema: dict[str, Any], *, example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": _content(schema)}


def _streamed(op: Operation) -> bool:
    return issubclass(op.response, Streamed)


def _streamed_success(answer: type[Streamed]) -> dict[str, Any]:
    """A success sent as text of its own media type, not JSON."""
    return {
        "description": answer.description,
        "content": {answer.media_type.split(";")[0]: {"schema": {"type": "string"}}},
    }
