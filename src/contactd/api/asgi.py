"""The application factory uvicorn imports: settings from `CONTACTD_*` variables."""

from __future__ import annotations

from contactd.api.app import ContactdApp, create_app
from contactd.config import configure_logging, settings_from_env

__all__ = ["app_from_env"]


def app_from_env() -> ContactdApp:
    settings = settings_from_env()
    # A worker of `serve --workers N` is a fresh interpreter: give it the CLI's logging.
    configure_logging(settings.log_level)
    return create_app(settings)
