"""The Store port: everything the service needs from a database, one Protocol, and the
conditions a store reports.

The domain speaks to the database only through this port; the store package implements it
(the `store` package: one backend per database, chosen by URL in `open_store`).

Every method is scoped by app id: no query crosses apps, which keeps tenants apart and
lets a distributed PostgreSQL route each query to one shard.

Writes are atomic: a method either applies all of its changes or none, and has
committed durably before it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from contactd.domain.errors import MAY_HAVE_BEEN_APPLIED, ErrorKind, Outcome, Refusal

if TYPE_CHECKING:
    from contactd.domain.idempotency import KeptAnswer
    from contactd.domain.snapshot import StoreSnapshot
from contactd.domain.models import (
    App,
    AppSummary,
    CardRows,
    Contact,
    ContactChanges,
    ContactSearch,
    DueWindow,
    EntryRows,
    NewContact,
    NewPrincipal,
    PhoneUpsert,
    Principal,
    PrincipalChanges,
)

__all__ = [
    "STORE_CANNOT_WRITE",
    "ExtensionTaken",
    "KeyTaken",
    "PhonesTaken",
    "Store",
    "StoreError",
    "StoreFault",
    "StoreFull",
    "StoreUnavailable",
    "UnknownContact",
]


class StoreError(Exception):
    """Base of the conditions a backend reports to the service."""


class PhonesTaken(StoreError):
    """A write would give two contacts of one app the same phone key."""

    def __init__(self, phone_keys: Sequence[str]) -> None:
        super().__init__(", ".join(phone_keys))
        self.phone_keys = list(phone_keys)


class UnknownContact(StoreError):
    """An update names a contact id the app does not have."""

    def __init__(self, contact_id: str) -> None:
        super().__init__(contact_id)
        self.contact_id = contact_id


class ExtensionTaken(StoreError):
    """A principal with that extension exists in the app."""


class KeyTaken(StoreError):
    """A live answer is kept under that idempotency key already (a request with the
    same key committed first); the write that tried to keep its own is rolled back."""


class StoreUnavailable(StoreError, Refusal, kind=ErrorKind.BUSY):
    """The database is locked past the busy timeout, or cannot be reached: a 503.

    `outcome` is `Outcome.UNKNOWN` unless the raiser knows that nothing was applied:
    claiming "no effect" where a commit may have landed would invite a client to apply
    its write twice, so the cautious answer is the default. The client is told `msg`;
    the store's own text (`str(exc)`) goes to the log."""

    def __init__(self, detail: str, *, outcome: Outcome = Outcome.UNKNOWN) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.msg = _UNAVAILABLE[outcome]


_UNAVAILABLE = {
    Outcome.NOT_APPLIED: "the store is busy; the request had no effect; retry shortly",
    Outcome.UNKNOWN: f"the store failed while committing; {MAY_HAVE_BEEN_APPLIED}",
}


class StoreFault(StoreUnavailable):
    """The store refuses to write: it is read-only, or its disk reports I/O errors.

    A kind of unavailability (a 503): the operator has to act, but the same server
    recovers by itself once the store writes again."""

    log_as = "the store cannot write"

    def __init__(self, detail: str, *, outcome: Outcome = Outcome.UNKNOWN) -> None:
        super().__init__(detail, outcome=outcome)
        self.msg = STORE_CANNOT_WRITE
        if outcome is Outcome.UNKNOWN:  # an I/O error may have struck the COMMIT
            self.msg = f"{STORE_CANNOT_WRITE}; {MAY_HAVE_BEEN_APPLIED}"


STORE_CANNOT_WRITE = "the store cannot write (read-only, or an I/O error); retry later"


class StoreFull(StoreError, Refusal, kind=ErrorKind.FULL):
    """The disk (or the database's size limit) is full: a 507. The transaction was
    rolled back whole, so nothing of the write was stored; writes succeed again, on the
    same server, once space is freed."""

    log_as = "the store is full"
    msg = "the store is full; nothing was written (retry once the operator has freed space)"


class Store(Protocol):
    """What contactd needs from a database. See the module docstring for the rules."""

    backend: str
    """A short name for `/healthz` and the logs: "sqlite" or "postgresql"."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise `StoreUnavailable` unless a trivial query succeeds."""

    async def server_secret(self, candidate: bytes) -> bytes:
        """Keep `candidate` as the server secret unless one is kept already; return it."""

    # -- apps ---------------------------------------------------------------
    async def add_app(self, app: App) -> bool:
        """Store a new app; False if the app id is taken."""

    async def get_app(self, app_id: int) -> App | None: ...

    async def contact_count(self, app_id: int) -> int: ...

    # -- operator commands (`contactd app ...`, `contactd users ...`) ---------------
    async def list_apps(self) -> list[AppSummary]:
        """Every app in app id order, with its contact and principal counts."""

    async def set_app_secret(self, app_id: int, secret_hash: bytes) -> bool:
        """Replace the app's secret hash; False if there is no such app."""

    async def clear_login_failures(self, app_id: int, extension: int) -> int:
        """Forget the login attempts kept for the id `{extension}_{app_id}` (its failures
        and any check still running), lifting its login throttle; return how many."""

    # -- principals and tokens ---------------------------------------------------
    async def add_principal(self, principal: NewPrincipal) -> None:
        """Raise `ExtensionTaken` if the extension exists in the app."""

    async def get_principal(self, app_id: int, extension: int) -> Principal | None: ...

    async def list_principals(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[Principal]]:
        """Principals in extension order whose name contains `name` (any case), and how many."""

    async def update_principal(
        self, app_id: int, extension: int, changes: PrincipalChanges
    ) -> bool:
        """False if there is no such principal."""

    async def remove_principal(self, app_id: int, extension: int) -> bool:
        """Remove the principal and every token it holds; False if there was none."""

    async def add_token(
        self, app_id: int, token_hash: bytes, extension: int, expires_at: int
    ) -> bool:
        """Keep a token for a principal; False if the principal is gone (removed while
        it was logging in), in which case nothing is kept."""

    async def principal_for_token(
        self, app_id: int, token_hash: bytes, now: int
    ) -> tuple[Principal, int] | None:
        """The live principal holding an unexpired token and the token's expiry (ms),
        or None."""

    async def expire_token(self, app_id: int, token_hash: bytes) -> bool:
        """Expire the token now and under any clock, however far back an app's is moved
        (stand-in mode's `expire_token` fault); False if the app holds no such token."""

    # -- the login throttle (password checks reserved per principal id) -----------------
    async def reserve_login_attempt(
        self, app_id: int, extension: int, attempt_id: int, at: int, *, since: int, limit: int
    ) -> list[int]:
        """Reserve a password check for the id `{extension}_{app_id}` (the principal may
        not exist), atomically for every process sharing the store: keep the attempt
        unless `limit` attempts after `since` are kept already. Return the times (ms) of
        the attempts after `since` as found, oldest first, without this one; so the
        attempt was kept if and only if there are fewer than `limit`. Also drops the
        app's attempts from `since` or before."""

    async def clear_login_attempt(self, app_id: int, extension: int, attempt_id: int) -> None:
        """Forget a reserved attempt (its check succeeded, or never ran)."""

    async def recent_login_attempts(self, app_id: int, extension: int, since: int) -> list[int]:
        """The times (ms) of the id's kept attempts after `since`, oldest first."""

    # -- contacts -------------------------------------------------------------
    async def add_contacts(self, app_id: int, contacts: Sequence[NewContact]) -> None:
        """Insert all, in order, or none; raise `PhonesTaken` naming stored phones."""

    async def update_contacts(self, app_id: int, changes: Sequence[ContactChanges]) -> None:
        """Apply all or none; raise `UnknownContact` or `PhonesTaken`."""

    async def delete_contacts(self, app_id: int, contact_ids: Sequence[str]) -> int:
        """Delete those that exist; return how many were deleted."""

    async def get_contact(self, app_id: int, contact_id: str) -> tuple[int, str | None]:
        """The app's contact count and the card (`CardRows`) of the contact with that id
        (None if there is none), read together (one statement where the backend can)."""

    async def page_contacts(self, app_id: int, *, after_seq: int, limit: int) -> CardRows:
        """The cards of up to `limit` contacts with seq > `after_seq`, in seq order, with
        the app's contact count, read together (one statement where the backend can)."""

    # -- v1: contacts by phone and by page number ------------------------------------
    async def upsert_by_phone(self, app_id: int, upsert: PhoneUpsert) -> None:
        """Apply `upsert` atomically, race-free (the app's count follows a creation)."""

    async def delete_by_phone(self, app_id: int, phone_key: str) -> bool:
        """Delete the contact with that phone key; False if there was none."""

    async def page_entries(self, app_id: int, *, offset: int, limit: int) -> EntryRows:
        """The v1 entries of the app's contacts at `offset`, `limit` of them, in seq order,
        with the app's contact count, read together: `list_contacts` with no name, as
        the JSON a v1 page answers."""

    async def list_contacts(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[Contact]]:
        """A slice of the app's contacts in seq order whose `first_name + " " + last_name`
        contains `name` in any case ("" matches all), and how many match in all. The name
        match goes through an index (FTS5 trigram / pg_trgm), also for 1-2 characters."""

    # -- extensions: the console's search and the callbacks due (/x/contacts/...) ------
    async def search_contacts(
        self, app_id: int, search: ContactSearch
    ) -> tuple[int, list[Contact]]:
        """Up to `limit` contacts with seq > `after_seq`, in seq order, whose folded name
        (`domain.names.name_search_key`) contains `name_key` (as `list_contacts` matches
        `name`), or, when `digits` is given (3 or more ASCII digits), whose `phone` or
        `phone_key` contains `digits`; and how many contacts match in all (the union),
        read together in one snapshot. Both matches go through an index."""

    async def due_contacts(self, app_id: int, window: DueWindow) -> tuple[int, list[Contact]]:
        """Up to `limit` contacts whose `remindme` is in [`after`, `before`) (and, when
        `saved_by` is given, whose `saved_by` is it), in (remindme, seq) order, after
        the position `past` (a previous page's last (remindme, seq)); and how many
        contacts the window holds in all, read together in one snapshot. Both read an
        index of (remindme, seq) only: a page costs the same at any depth."""

    async def find_contact(self, app_id: int, contact_id: str) -> Contact | None:
        """The app's contact with that id (a canonical UUID), or None."""

    async def change_contact(self, app_id: int, change: ContactChanges) -> Contact:
        """Apply `change` as `update_contacts` applies each of its changes (the same
        statements: the folded name follows a rename) and return the contact as it is
        after it, read in the same transaction; raise `UnknownContact`."""

    # -- v2: a contact's notes by phone, the app's tags (domain/notes.py, tags.py) -------
    async def find_by_phone(self, app_id: int, phone_key: str) -> Contact | None:
        """The app's contact with that phone key, or None."""

    async def tag_catalogue(self, app_id: int) -> list[str]:
        """The app's tag catalogue, in the order it was set."""

    async def set_tag_catalogue(self, app_id: int, tags: Sequence[str]) -> None:
        """Replace the app's tag catalogue with `tags` (distinct, in their order)."""

    async def tags_in_use(self, app_id: int, *, limit: int) -> list[str]:
        """Up to `limit` of the distinct tags the app's contacts carry (not empty), in
        the store's order of text; a lookup per tag, never a scan of the contacts."""

    # -- idempotency keys (domain/idempotency.py) -------------------------------------
    # The contact writes above also keep the answer of the request's pending key
    # (`PENDING_ANSWER`) in their own transaction, and raise `KeyTaken` (rolled back)
    # when a live answer is kept under that key already.
    async def find_answer(self, app_id: int, key: str, *, since: int) -> KeptAnswer | None:
        """The answer kept under the app's key at or after `since` (ms), if any."""

    async def keep_answer(
        self, app_id: int, key: str, answer: KeptAnswer, *, expired_before: int
    ) -> bool:
        """Keep an answer under the app's key, taking over a key kept before
        `expired_before`; False if a live answer is kept under it."""

    async def sweep_answers(self, *, before: int, limit: int) -> int:
        """Delete up to `limit` keys kept before `before`; return how many."""

    # -- stand-in mode (docs/stand-in.md) ------------------------------------------------
    async def reset_app(self, app_id: int) -> None:
        """Remove everything of the app but its `apps` row (so its secret still works), in
        one transaction: its contacts with everything derived from them (the name
        dictionary, the search indexes, the block counts), its tag catalogue, its
        principals and their tokens, its login attempts and its idempotency keys. What
        this process remembers of the app's listings is dropped too; no other app's row
        changes."""

    async def dump_snapshot(self) -> StoreSnapshot:
        """Every row of the store that is not derived from others, read in one snapshot."""

    async def load_snapshot(self, snapshot: StoreSnapshot) -> None:
        """Replace the whole store with `snapshot`'s rows in one transaction, rebuilding
        what is derived from them; on any failure nothing changed. Raise
        `domain.snapshot.SnapshotRowsRefused` when the rows break a rule of the schema
        (a key taken twice, a row of an app the snapshot lacks)."""
