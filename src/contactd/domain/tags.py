"""The v2 tags (docs/api.md, "v2 contacts"): what `/v2/user/tags/get` lists, and the
catalogue an app's admin sets (`/x/admin/tags`).

A contact carries one free-text `tag` (v1 and v2 write it, the extensions too); the
vendor's tags/get lists an app-level set of tags. contactd's is the catalogue the admin
set, in its order, then the tags the app's contacts carry that it does not name, in
text order: a client offering tags to choose from shows the admin's first, and a tag
typed on a contact is never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from contactd.domain.errors import Invalid
from contactd.domain.models import App, Principal
from contactd.domain.store import Store

__all__ = ["MAX_CATALOGUE", "MAX_TAGS_IN_USE", "TagService"]

MAX_CATALOGUE = 100
"""Tags a catalogue holds at most (the wire type bounds the list)."""
MAX_TAGS_IN_USE = 1000
"""Tags in use a list shows at most: each costs one index lookup to find."""


class TagService:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def tags(self, caller: Principal) -> list[str]:
        """The catalogue, then the other tags in use (module docstring)."""
        catalogue = await self._store.tag_catalogue(caller.app_id)
        used = await self._store.tags_in_use(caller.app_id, limit=MAX_TAGS_IN_USE)
        named = set(catalogue)
        # Sorted here, not by the store: its text order is the database's collation.
        return catalogue + sorted(tag for tag in used if tag not in named)

    async def set_catalogue(self, app: App, tags: Sequence[str]) -> list[str]:
        """Replace the app's catalogue with `tags`, each stripped, a repeat dropped
        (the first one kept); return it as kept. An empty list clears it."""
        kept: dict[str, None] = {}
        for i, tag in enumerate(tags):
            text = tag.strip()
            if not text:
                raise Invalid(f"tags[{i}] must not be empty")
            kept.setdefault(text, None)
        catalogue = list(kept)
        await self._store.set_tag_catalogue(app.app_id, catalogue)
        return catalogue
