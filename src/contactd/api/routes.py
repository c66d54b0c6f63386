"""The route table: every endpoint contactd serves, in one place.

The router, `/openapi.json` and the error-shape tests are all built from `OPERATIONS`.
Each group of endpoints shares its generation, audience and tag; the request type is
the handler's own (its `request` parameter), and writes take an `Idempotency-Key`.
"""

from __future__ import annotations

from contactd.api import (
    admin_v1,
    admin_v2,
    admin_v3,
    callbacks,
    examples,
    extensions,
    extensions_admin,
    extensions_csv,
    logins,
    v1,
    v2,
    v3,
)
from contactd.api.errors import Audience, ErrorBody, Generation
from contactd.api.operations import Operation
from contactd.api.route_group import RouteGroup

__all__ = ["OPERATIONS"]


_V1_LOGIN = RouteGroup(Generation.V1, Audience.PRINCIPAL, "logins", (400, 404, 429))
_V2_LOGIN = RouteGroup(Generation.V2, Audience.PRINCIPAL, "logins", (400, 404, 429))
_V1 = RouteGroup(Generation.V1, Audience.PRINCIPAL, "v1 contacts", (400,))
# v2: a refused token and a phone the app does not hold are 404s, as in v3.
_V2 = RouteGroup(Generation.V2, Audience.PRINCIPAL, "v2 contacts", (400, 404))
_V3 = RouteGroup(Generation.V3, Audience.PRINCIPAL, "v3 contacts", (400, 404))
# Adds and updates can meet a phone the app holds already: 409.
_V3_BATCH = RouteGroup(Generation.V3, Audience.PRINCIPAL, "v3 contacts", (400, 404, 409))
# contactd's own: either generation's token, v3's errors (a refused token is a 404).
_X = RouteGroup(Generation.V3, Audience.PRINCIPAL, "extensions", (400, 404))
# The console's admin calls: v3 admin's errors (bad app credentials 401, unknown id 404).
_X_ADMIN = RouteGroup(Generation.V3, Audience.ADMIN, "extensions", (400, 401, 404))
_V1_ADMIN = RouteGroup(Generation.V1, Audience.ADMIN, "v1 admin", (400,))
_V2_ADMIN = RouteGroup(Generation.V2, Audience.ADMIN, "v2 admin", (400, 401))
# These name a user by `id`: 404 when the app has none.
_V2_ADMIN_BY_ID = RouteGroup(Generation.V2, Audience.ADMIN, "v2 admin", (400, 401, 404))
# The admin token exchange answers wrong credentials 404, as the logins do.
_V2_TOKEN = RouteGroup(Generation.V2, Audience.ADMIN, "v2 admin", (400, 404))
# The call records: a bad token as its generation answers one, then 501 (not served).
_V1_CALLBACKS = RouteGroup(Generation.V1, Audience.PRINCIPAL, "callbacks", (400, 501))
_V2_CALLBACKS = RouteGroup(Generation.V2, Audience.PRINCIPAL, "callbacks", (400, 404, 501))
_V3_ADMIN = RouteGroup(Generation.V3, Audience.ADMIN, "v3 admin", (400, 401))
# These name a user by `agent_id`: 404 when the app has none.
_V3_ADMIN_BY_ID = RouteGroup(Generation.V3, Audience.ADMIN, "v3 admin", (400, 401, 404))

OPERATIONS: tuple[Operation, ...] = (
    _V1_LOGIN(
        "/v1/agentLogin",
        logins.agent_login,
        logins.AgentLoginResponse,
        "Agent login: issues a 30-day token",
        examples.AGENT_LOGIN,
    ),
    _V2_LOGIN(
        "/v2/user/login",
        logins.user_login,
        logins.UserLoginResponse,
        "User login: issues a 30-day token (used by v3)",
        examples.USER_LOGIN,
    ),
    _V1(
        "/v1/getContact",
        v1.get_contacts,
        v1.GetContactResponse,
        "One page of the app's contacts by page number, optionally by name",
        examples.V1_GET_CONTACT,
    ),
    _V1(
        "/v1/updateContact",
        v1.update_contact,
        v1.UpdateContactResponse,
        "Update the contact with a phone number, or create it",
        examples.V1_UPDATE_CONTACT,
        answer=v1.updated,
    ),
    _V1(
        "/v1/deleteContact",
        v1.delete_contact,
        v1.DeleteContactResponse,
        "Delete the contact with a phone number",
        examples.V1_DELETE_CONTACT,
        answer=v1.removed,
    ),
    _V2(
        "/v2/user/contact/get",
        v2.get_contacts,
        v1.GetContactResponse,
        "One page of up to 10 of the app's contacts, with their notes, optionally by name",
        examples.V2_CONTACT_GET,
    ),
    _V2(
        "/v2/user/contact/update",
        v2.update_contact,
        v1.UpdateContactResponse,
        "Update the contact with a phone number, or create it",
        examples.V2_CONTACT_UPDATE,
        answer=v1.updated,
    ),
    _V2(
        "/v2/user/contact/delete",
        v2.delete_contact,
        v1.DeleteContactResponse,
        "Delete the contact with a phone number",
        examples.V2_CONTACT_DELETE,
        answer=v1.removed,
    ),
    _V2(
        "/v2/user/notes/add",
        v2.add_note,
        v2.NoteAddResponse,
        "Add a note to the contact with a phone number (created if the app has none)",
        examples.V2_NOTES_ADD,
        answer=v2.note_added,
    ),
    _V2(
        "/v2/user/notes/get",
        v2.get_notes,
        v2.NotesGetResponse,
        "The notes of the contact with a phone number up to a date, oldest first",
        examples.V2_NOTES_GET,
    ),
    _V2(
        "/v2/user/tags/get",
        v2.get_tags,
        v2.TagsGetResponse,
        "The app's tags: the admin's catalogue, then the other tags its contacts carry",
        examples.V2_TAGS_GET,
    ),
    _V3(
        "/v3/contact/get",
        v3.get_contacts,
        v3.ContactGetResponse,
        "One contact by id, or one page of contacts (cursor)",
        examples.CONTACT_GET,
    ),
    _V3_BATCH(
        "/v3/contact/add",
        v3.add_contacts,
        v3.ContactAddResponse,
        "Add 1-100 contacts, all or none",
        examples.CONTACT_ADD,
        answer=v3.added,
    ),
    _V3_BATCH(
        "/v3/contact/update",
        v3.update_contacts,
        v3.ContactUpdateResponse,
        "Change fields of 1-100 contacts, all or none",
        examples.CONTACT_UPDATE,
        answer=v3.updated,
    ),
    _V3(
        "/v3/contact/delete",
        v3.delete_contacts,
        v3.ContactDeleteResponse,
        "Delete 1-100 contacts by id",
        examples.CONTACT_DELETE,
        answer=v3.deleted,
    ),
    _X(
        "/x/contacts/search",
        extensions.search,
        extensions.XContactsResponse,
        "Contacts by a name fragment or phone digits, in creation order (cursor)",
        examples.X_SEARCH,
    ),
    _X(
        "/x/contacts/due",
        extensions.due,
        extensions.XContactsResponse,
        "Contacts whose callback falls in a time window, soonest first (cursor)",
        examples.X_DUE,
    ),
    _X(
        "/x/contacts/get",
        extensions.get,
        extensions.XContactResponse,
        "One contact by id, with every field of both generations and its notes",
        examples.X_GET,
    ),
    _X(
        "/x/contacts/update",
        extensions.update,
        extensions.XContactResponse,
        "Change fields of one contact (v1 and v3 ones, a reminder, a new note)",
        examples.X_UPDATE,
        answer=extensions.updated,
    ),
    _X(
        "/x/contacts/import",
        extensions_csv.import_contacts,
        extensions_csv.ImportResponse,
        "Store the good rows of a CSV (a chunk of a file); report each bad one by line",
        examples.X_IMPORT,
        write=True,
    ),
    _X(
        "/x/contacts/export",
        extensions_csv.export_contacts,
        extensions_csv.CsvExport,
        "Every contact as CSV, in creation order (streamed)",
        examples.X_EXPORT,
    ),
    _X_ADMIN(
        "/x/admin/unlock",
        extensions_admin.unlock,
        extensions_admin.UnlockResponse,
        "Lift the login throttle of one of the app's agents or users (admin)",
        examples.X_UNLOCK,
        write=True,
    ),
    _X_ADMIN(
        "/x/admin/tags",
        extensions_admin.set_tags,
        extensions_admin.TagsResponse,
        "Set the app's tag catalogue, which v2 tags/get lists (admin)",
        examples.X_TAGS,
        write=True,
    ),
    _V1_ADMIN(
        "/v1/agent/add",
        admin_v1.add_agent,
        admin_v1.AgentAddResponse,
        "Add an agent (admin)",
        examples.AGENT_ADD,
        write=True,
    ),
    _V1_ADMIN(
        "/v1/agent/get",
        admin_v1.get_agent,
        admin_v1.AgentGetResponse,
        "One agent by id (admin)",
        examples.AGENT_GET,
    ),
    _V1_ADMIN(
        "/v1/agent/list",
        admin_v1.list_agents,
        admin_v1.AgentListResponse,
        "List agents, up to 10 a page (admin)",
        examples.AGENT_LIST,
    ),
    _V1_ADMIN(
        "/v1/agent/update",
        admin_v1.update_agent,
        admin_v1.AgentUpdateResponse,
        "Replace an agent's name, phone and password (admin)",
        examples.AGENT_UPDATE,
        write=True,
    ),
    _V1_ADMIN(
        "/v1/agent/remove",
        admin_v1.remove_agent,
        admin_v1.AgentRemoveResponse,
        "Remove an agent and revoke its tokens (admin)",
        examples.AGENT_REMOVE,
        write=True,
    ),
    _V2_TOKEN(
        "/v2/token",
        admin_v2.admin_token,
        admin_v2.AdminTokenResponse,
        "An admin token for the app's credentials, valid 30 days (admin)",
        examples.ADMIN_TOKEN,
    ),
    _V2_ADMIN(
        "/v2/user/add",
        admin_v2.add_user,
        admin_v2.UserAddResponse,
        "Add a user (admin)",
        examples.V2_USER_ADD,
        write=True,
    ),
    _V2_ADMIN(
        "/v2/user/list",
        admin_v2.list_users,
        admin_v2.UserListResponse,
        "List users, up to 10 a page (admin)",
        examples.V2_USER_LIST,
    ),
    _V2_ADMIN_BY_ID(
        "/v2/user/update",
        admin_v2.update_user,
        admin_v2.UserUpdateResponse,
        "Replace a user's name, phone and password (admin)",
        examples.V2_USER_UPDATE,
        write=True,
    ),
    _V2_ADMIN_BY_ID(
        "/v2/user/remove",
        admin_v2.remove_user,
        admin_v2.UserRemoveResponse,
        "Remove a user and revoke its tokens (admin)",
        examples.V2_USER_REMOVE,
        write=True,
    ),
    _V3_ADMIN(
        "/v3/user/add",
        admin_v3.add_user,
        admin_v3.UserAddResponse,
        "Add a user (admin)",
        examples.USER_ADD,
        write=True,
    ),
    _V3_ADMIN_BY_ID(
        "/v3/user/get",
        admin_v3.get_user,
        admin_v3.UserGetResponse,
        "One user by agent_id (admin)",
        examples.USER_GET,
    ),
    _V3_ADMIN(
        "/v3/user/list",
        admin_v3.list_users,
        admin_v3.UserListResponse,
        "List users by page, optionally by name (admin)",
        examples.USER_LIST,
    ),
    _V3_ADMIN(
        "/v3/user/all",
        admin_v3.all_users,
        admin_v3.UserListResponse,
        "Every user of the app, unpaged (admin)",
        examples.USER_ALL,
    ),
    _V3_ADMIN_BY_ID(
        "/v3/user/update",
        admin_v3.update_user,
        admin_v3.UserUpdateResponse,
        "Change the given fields of a user (admin)",
        examples.USER_UPDATE,
        write=True,
    ),
    _V3_ADMIN_BY_ID(
        "/v3/user/remove",
        admin_v3.remove_user,
        admin_v3.UserRemoveResponse,
        "Remove a user and revoke its tokens (admin)",
        examples.USER_REMOVE,
        write=True,
    ),
    _V1_CALLBACKS(
        "/v1/callback",
        callbacks.callbacks,
        ErrorBody,
        "Not served (501): contactd does not record calls",
        examples.V1_CALLBACK,
    ),
    _V1_CALLBACKS(
        "/v1/callbackAction",
        callbacks.callbacks,
        ErrorBody,
        "Not served (501): contactd does not record calls",
        examples.V1_CALLBACK_ACTION,
    ),
    _V2_CALLBACKS(
        "/v2/callback",
        callbacks.callbacks,
        ErrorBody,
        "Not served (501): contactd does not record calls",
        examples.V2_CALLBACK,
    ),
    _V2_CALLBACKS(
        "/v2/callback/action",
        callbacks.callbacks,
        ErrorBody,
        "Not served (501): contactd does not record calls",
        examples.V2_CALLBACK_ACTION,
    ),
)
