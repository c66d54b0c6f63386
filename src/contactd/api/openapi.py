"""`/openapi.json`, assembled from the route table and the wire Structs themselves."""

from __future__ import annotations

from typing import Any

import msgspec

from contactd import __version__
from contactd.api.errors import ErrorBody
from contactd.api.operations import Operation

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{name}"
_ALWAYS = {
    413: "Body over 1 MiB",
    503: "Store busy, unreachable or unable to write; retry",
    507: "Store full; nothing was written",
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
        types += [op.request, op.response]
    schemas, components = msgspec.json.schema_components(types, ref_template=_REF)
    refs = dict(zip(map(id, types), schemas, strict=True))
    error_ref = refs[id(ErrorBody)]
    paths: dict[str, Any] = {}
    for op in operations:
        responses: dict[str, Any] = {
            "200": _json("Success", refs[id(op.response)]),
        }
        for status in sorted({*op.errors, *_ALWAYS}):
            responses[str(status)] = _json(_ALWAYS.get(status, "Error"), error_ref)
        paths[op.path] = {
            "post": {
                "operationId": op.path.strip("/").replace("/", "_"),
                "summary": op.summary,
                "tags": [op.tag],
                "requestBody": {
                    "required": True,
                    "content": _content(refs[id(op.request)], example=op.example),
                },
                "responses": responses,
            }
        }
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
