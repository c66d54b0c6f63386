"""Principals (v1 agents, v2/v3 users): provisioning, logins and token checks.

An admin names a principal by its id, `{extension}_{appid}`, and reaches only the
principals of the app it authenticated as: an id of another app is answered exactly as
an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Required, TypedDict, Unpack

import msgspec

from contactd.defaults import DEFAULT_MIN_PASSWORD_LENGTH
from contactd.domain.clock import AppClock, system_clock
from contactd.domain.errors import (
    Busy,
    Conflict,
    Invalid,
    LoginFailed,
    NotFound,
    TooManyAttempts,
)
from contactd.domain.logins import LoginOutcome, LoginResult
from contactd.domain.models import App, NewPrincipal, Principal, PrincipalChanges
from contactd.domain.passwords import PasswordHasher
from contactd.domain.phones import normalize_phone
from contactd.domain.store import ExtensionTaken, Store
from contactd.domain.throttle import Attempt, LoginThrottle
from contactd.domain.token_cache import TokenCache
from contactd.domain.tokens import (
    TOKEN_INVALID,
    TOKEN_TTL_MS,
    TokenRefused,
    cache_key,
    hash_token,
    new_token,
    split_token,
)

__all__ = [
    "ALL_PRINCIPALS",
    "EXTENSION_TAKEN",
    "LOGIN_FAILED",
    "LOGIN_ID_FORM",
    "TOKEN_INVALID",
    "PrincipalDetails",
    "PrincipalDraft",
    "PrincipalEdit",
    "PrincipalService",
    "check_extension",
    "clear_login_throttle",
    "parse_principal_id",
]

EXTENSION_MIN, EXTENSION_MAX = 100, 9999
ALL_PRINCIPALS = EXTENSION_MAX - EXTENSION_MIN + 1
"""A limit that lists every principal of an app in one page: one per extension."""
EXTENSION_TAKEN = "Extension Already Exists"
LOGIN_FAILED = "Invalid id or password"
# The form is public, so saying that an id breaks it reveals nothing.
LOGIN_ID_FORM = (
    f"Invalid id or password: id must be {{extension}}_{{appid}}"
    f" with an extension of {EXTENSION_MIN} to {EXTENSION_MAX}"
)


def parse_principal_id(principal_id: str) -> tuple[int, int] | None:
    """`"101_1111112"` -> (app id 1111112, extension 101); None if malformed."""
    extension, sep, app_id = principal_id.strip().partition("_")
    if not sep or not (extension.isascii() and extension.isdigit()):
        return None
    if not (app_id.isascii() and app_id.isdigit()) or len(app_id) > 10 or len(extension) > 4:
        return None
    return int(app_id), int(extension)


UNLOCK_ID_FORM = "id must be of the form {extension}_{appid}, e.g. 1001_1234567"


async def clear_login_throttle(store: Store, principal_id: str) -> tuple[str, int]:
    """Lift the login throttle of an id (`contactd users unlock`, `/x/admin/unlock`):
    forget its failed logins and the checks still running. The id as the vendor spells
    it, and how many attempts were forgotten."""
    ids = parse_principal_id(principal_id)
    if ids is None:
        raise Invalid(UNLOCK_ID_FORM)
    app_id, extension = ids
    return f"{extension}_{app_id}", await store.clear_login_failures(app_id, extension)


def check_extension(extension: int) -> int:
    if not EXTENSION_MIN <= extension <= EXTENSION_MAX:
        raise Invalid(f"extension must be between {EXTENSION_MIN} and {EXTENSION_MAX}")
    return extension


class PrincipalDetails(TypedDict, total=False):
    """`PrincipalService.add`'s keywords, for the adapters that pass them on; the first
    five are required."""

    extension: Required[int]
    first_name: Required[str]
    last_name: Required[str]
    phone_number: Required[str]
    password: Required[str]
    email: str
    start_time: int | None
    end_time: int | None
    notify: bool
    followme: bool


class PrincipalEdit(TypedDict, total=False):
    """`PrincipalService.update`'s keywords, for the adapters that pass them on: one not
    given (or None) leaves its field as it is."""

    first_name: str | None
    last_name: str | None
    phone_number: str | None
    password: str | None
    email: str | None
    start_time: int | None
    end_time: int | None
    notify: bool | None


@dataclass(frozen=True, slots=True)
class PrincipalDraft:
    """A principal an admin add would store, checked, before its password is hashed."""

    record: NewPrincipal
    """Its `password_hash` is empty until `PrincipalService.hashed`."""
    password: str = field(repr=False)


class PrincipalService:
    def __init__(
        self,
        store: Store,
        hasher: PasswordHasher,
        *,
        clock: AppClock = system_clock,
        throttle: LoginThrottle | None = None,
        token_cache: TokenCache | None = None,
        min_password_length: int = DEFAULT_MIN_PASSWORD_LENGTH,
    ) -> None:
        self._store = store
        self._min_password_length = min_password_length
        self._hasher = hasher
        self._clock = clock
        self._throttle = throttle or LoginThrottle(store, clock=clock)
        self._tokens = token_cache or TokenCache(ttl_ms=0)

    async def add(self, app: App, **details: Unpack[PrincipalDetails]) -> Principal:
        """Check the principal's rules, hash its password, store it."""
        return await self.add_new(await self.hashed(self.check_new(app, **details)))

    def check_new(
        self,
        app: App,
        *,
        extension: int,
        first_name: str,
        last_name: str,
        phone_number: str,
        password: str,
        email: str = "",
        start_time: int | None = None,
        end_time: int | None = None,
        notify: bool = False,
        followme: bool = False,
    ) -> PrincipalDraft:
        """The principal an add would store, its rules checked, its password not yet
        hashed: a seed (contactd.standin) checks every item before it spends a hash."""
        self._check_password(password)
        phone = normalize_phone(phone_number, field="phone_number", country_code=app.country_code)
        record = NewPrincipal(
            app_id=app.app_id,
            extension=check_extension(extension),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            phone=phone.digits,
            email=email,
            password_hash="",
            start_time=start_time,
            end_time=end_time,
            notify=notify,
            followme=followme,
            created_at=self._clock(app.app_id),
        )
        return PrincipalDraft(record, password)

    async def hashed(self, draft: PrincipalDraft) -> NewPrincipal:
        """The draft as it is stored: its password's hash in place of the password."""
        password_hash = await self._hasher.hash(draft.password)
        return msgspec.structs.replace(draft.record, password_hash=password_hash)

    async def add_new(self, new: NewPrincipal) -> Principal:
        """Store a principal made by `hashed`; `Conflict` when its extension is taken."""
        try:
            await self._store.add_principal(new)
        except ExtensionTaken as exc:
            raise Conflict(EXTENSION_TAKEN) from exc
        added = await self._store.get_principal(new.app_id, new.extension)
        assert added is not None  # just committed; principals are removed only by admins
        return added

    def _check_password(self, password: str) -> None:
        """The one password rule of every generation's admin add and update; a login
        checks only the password it is given, so that a shorter minimum set later, or
        a longer one, locks no one out."""
        if len(password) < self._min_password_length:
            raise Invalid(f"password must be at least {self._min_password_length} characters")

    async def login(self, principal_id: str, password: str) -> LoginResult:
        """Check the password; on success issue a new 30-day token.

        In order, each step refusing before any cost of the next: a malformed id
        (no hash, no store), hashers already taken past the bound (`Busy`, no store),
        the throttle's reservation (domain/throttle.py), then the password check.
        """
        ids = parse_principal_id(principal_id)
        if ids is None or not EXTENSION_MIN <= ids[1] <= EXTENSION_MAX:
            return LoginResult(LoginOutcome.MALFORMED_ID, refusal=LoginFailed(LOGIN_ID_FORM))
        try:
            self._hasher.check_queue()
            attempt = await self._throttle.reserve(*ids)
        except (TooManyAttempts, Busy) as exc:
            return _refused(exc)
        return await self._check(attempt, password)

    async def _check(self, attempt: Attempt, password: str) -> LoginResult:
        """Run the reserved check; one that succeeds, or never ran, clears its reservation."""
        principal = await self._store.get_principal(attempt.app_id, attempt.extension)
        stored_hash = principal.password_hash if principal else None
        try:
            matched = await self._hasher.verify(stored_hash, password)
        except Busy as exc:
            await self._throttle.clear(attempt)
            return _refused(exc)
        if principal is None:
            return LoginResult(LoginOutcome.UNKNOWN_ID, refusal=LoginFailed(LOGIN_FAILED))
        if not matched:
            return LoginResult(LoginOutcome.BAD_PASSWORD, refusal=LoginFailed(LOGIN_FAILED))
        await self._throttle.clear(attempt)
        return await self._issue_token(principal)

    async def _issue_token(self, principal: Principal) -> LoginResult:
        token = new_token(principal.app_id)
        kept = await self._store.add_token(
            principal.app_id,
            hash_token(token),
            principal.extension,
            self._clock(principal.app_id) + TOKEN_TTL_MS,
        )
        if not kept:  # removed while its password was being checked
            return LoginResult(LoginOutcome.UNKNOWN_ID, refusal=LoginFailed(LOGIN_FAILED))
        return LoginResult(LoginOutcome.OK, token=token, principal=principal)

    async def authenticate(self, token: str) -> Principal:
        """The principal holding a live token, or `TokenRefused`."""
        key = cache_key(token)
        cached = self._tokens.get(key)
        if cached is not None:  # only a well-formed, live token is ever cached
            return cached
        app_id = split_token(token)
        if app_id is None:
            raise TokenRefused()
        found = await self._store.principal_for_token(
            app_id, hash_token(token), self._clock(app_id)
        )
        if found is None:
            raise TokenRefused()
        principal, expires_at = found
        self._tokens.put(key, principal, expires_at)
        return principal

    # -- admin: one principal of the app, by id ------------------------------------------
    async def get(self, app: App, principal_id: str, *, field: str) -> Principal:
        """The app's principal with that id, or `NotFound` naming `field`."""
        extension = _extension_in(app, principal_id, field=field)
        found = await self._store.get_principal(app.app_id, extension)
        if found is None:
            raise _not_found(field, principal_id)
        return found

    async def list_page(
        self, app: App, *, page: int, limit: int, name: str = ""
    ) -> tuple[int, list[Principal]]:
        """Page `page` (from 1) in extension order, and how many match `name` (any case)."""
        return await self._store.list_principals(
            app.app_id, offset=(page - 1) * limit, limit=limit, name=name
        )

    async def update(
        self,
        app: App,
        principal_id: str,
        *,
        field: str,
        **edit: Unpack[PrincipalEdit],
    ) -> Principal:
        """Change the given fields (None leaves one as it is); return the principal after."""
        first_name, last_name = edit.get("first_name"), edit.get("last_name")
        phone_number, password = edit.get("phone_number"), edit.get("password")
        if password is not None:
            self._check_password(password)
        # Found first: an unknown id costs no password hash.
        extension = (await self.get(app, principal_id, field=field)).extension
        phone = (
            normalize_phone(phone_number, field="phone_number", country_code=app.country_code)
            if phone_number is not None
            else None
        )
        changes = PrincipalChanges(
            first_name=first_name.strip() if first_name is not None else None,
            last_name=last_name.strip() if last_name is not None else None,
            phone=phone.digits if phone else None,
            email=edit.get("email"),
            password_hash=await self._hasher.hash(password) if password is not None else None,
            start_time=edit.get("start_time"),
            end_time=edit.get("end_time"),
            notify=edit.get("notify"),
        )
        if not await self._store.update_principal(app.app_id, extension, changes):
            raise _not_found(field, principal_id)
        self._tokens.forget(app.app_id, extension)
        return await self.get(app, principal_id, field=field)

    async def remove(self, app: App, principal_id: str, *, field: str) -> None:
        """Remove the principal and its tokens: refused at once by this process, and by
        every other process sharing the store within the token cache's time to live."""
        await self._remove(app, _extension_in(app, principal_id, field=field), field, principal_id)

    async def remove_extension(self, app: App, extension: int, *, field: str) -> None:
        """`remove`, for a client that names the principal by its extension alone."""
        check_extension(extension)
        await self._remove(app, extension, field, str(extension))

    async def _remove(self, app: App, extension: int, field: str, named: str) -> None:
        removed = await self._store.remove_principal(app.app_id, extension)
        self._tokens.forget(app.app_id, extension)
        if not removed:
            raise _not_found(field, named)


def _refused(refusal: TooManyAttempts | Busy) -> LoginResult:
    """A login refused before its password was checked."""
    outcome = LoginOutcome.THROTTLED if isinstance(refusal, TooManyAttempts) else LoginOutcome.BUSY
    return LoginResult(outcome, refusal=refusal)


def _extension_in(app: App, principal_id: str, *, field: str) -> int:
    """The extension an id names within `app`.

    A malformed id is `Invalid`; a well-formed id of another app is `NotFound`, worded
    as for a missing principal, so that no app learns which ids another app holds.
    """
    ids = parse_principal_id(principal_id)
    if ids is None:
        raise Invalid(f"{field} must be of the form {{extension}}_{{appid}}")
    app_id, extension = ids
    if app_id != app.app_id:
        raise _not_found(field, principal_id)
    return extension


def _not_found(field: str, principal_id: str) -> NotFound:
    return NotFound(f"{field} {principal_id.strip()} not found")
