"""The application factory for servers other than `contactd serve` (granian, hypercorn,
`uvicorn contactd.api.asgi:app_from_env --factory`): settings from `CONTACTD_*`."""

from __future__ import annotations

from contactd.api.app import ContactdApp, create_app
from contactd.config import settings_from_env
from contactd.logs import configure_logging
from contactd.serving import prepare_process

__all__ = ["app_from_env"]


def app_from_env() -> ContactdApp:
    prepare_process()  # this process serves (a server other than `contactd serve`)
    settings = settings_from_env()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
