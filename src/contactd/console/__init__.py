"""The agent console: a static page and its scripts, served by `contactd serve` at `/`.

The page is a small app over the JSON API (docs/console.md): every action it offers is
a documented endpoint a script can call too. Nothing here reads the store.
"""

from contactd.console.routes import CONSOLE_ASSETS_PATH, console_routes

__all__ = ["CONSOLE_ASSETS_PATH", "console_routes"]
