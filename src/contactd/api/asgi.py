"""The application factory uvicorn imports: settings from `CONTACTD_*` variables."""

from __future__ import annotations

from starlette.applications import Starlette

from contactd.api.app import create_app
from contactd.config import settings_from_env

__all__ = ["app_from_env"]


def app_from_env() -> Starlette:
    return create_app(settings_from_env())
