"""A request body for every operation, shown in `/openapi.json` and Swagger UI.

Each decodes into its operation's request Struct (a test checks it) and works once its
app id, secret, token and ids are replaced by the caller's own: the names below say
which value to replace. They go together: the user added by `USER_ADD` logs in with
`USER_LOGIN`, and its token reads and writes the contacts.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ADMIN_TOKEN",
    "AGENT_ADD",
    "AGENT_GET",
    "AGENT_LIST",
    "AGENT_LOGIN",
    "AGENT_REMOVE",
    "AGENT_UPDATE",
    "CONTACT_ADD",
    "CONTACT_DELETE",
    "CONTACT_GET",
    "CONTACT_UPDATE",
    "USER_ADD",
    "USER_ALL",
    "USER_GET",
    "USER_LIST",
    "USER_LOGIN",
    "USER_REMOVE",
    "USER_UPDATE",
    "V1_CALLBACK",
    "V1_CALLBACK_ACTION",
    "V1_DELETE_CONTACT",
    "V1_GET_CONTACT",
    "V1_UPDATE_CONTACT",
    "V2_CALLBACK",
    "V2_CALLBACK_ACTION",
    "V2_CONTACT_DELETE",
    "V2_CONTACT_GET",
    "V2_CONTACT_UPDATE",
    "V2_NOTES_ADD",
    "V2_NOTES_GET",
    "V2_PHONE",
    "V2_TAGS_GET",
    "V2_USER_ADD",
    "V2_USER_LIST",
    "V2_USER_REMOVE",
    "V2_USER_UPDATE",
    "X_DUE",
    "X_EXPORT",
    "X_GET",
    "X_IMPORT",
    "X_SEARCH",
    "X_TAGS",
    "X_UNLOCK",
    "X_UPDATE",
]

Example = dict[str, Any]

APPID = 1111112  # from `contactd app create`
SECRET = "APP-SECRET-FROM-contactd-app-create"  # noqa: S105 (a placeholder)
TOKEN = "TOKEN-FROM-A-LOGIN"  # noqa: S105 (a placeholder)
PASSWORD = "a-long-password"  # noqa: S105 (a placeholder)
CONTACT_ID = "0192f0c4-7c1e-7d4a-9b1e-3f5a6c7d8e9f"  # from /v3/contact/add
_ADMIN = {"appid": APPID, "secret": SECRET}

AGENT_LOGIN: Example = {"id": f"101_{APPID}", "password": PASSWORD}
USER_LOGIN: Example = {"id": f"1001_{APPID}", "password": PASSWORD}

V1_GET_CONTACT: Example = {"token": TOKEN, "page": 1, "limit": 10}
V1_UPDATE_CONTACT: Example = {
    "token": TOKEN,
    "name": "Ravi Kumar",
    "from": "919800000001",
    "email": "ravi@example.com",
    "status": "interested",
    "tag": "lead",
    "info": "Asked for a call back on Monday",
}
V1_DELETE_CONTACT: Example = {"token": TOKEN, "mobile": "919800000001"}

# v2 sends phones as JSON numbers, as the vendor's samples do.
V2_PHONE = 919800000004
V2_CONTACT_GET: Example = {"token": TOKEN, "page": 1, "limit": 10, "name": "Priya"}
V2_CONTACT_UPDATE: Example = {
    "token": TOKEN,
    "name": "Priya Nair",
    "phone_number": V2_PHONE,
    "remindme": 1767258000000,
    "email": "priya@example.com",
    "status": "Hot Lead",
    "tag": "Sales",
    "info": "Sales",
}
V2_CONTACT_DELETE: Example = {"token": TOKEN, "phone_number": V2_PHONE}
V2_NOTES_ADD: Example = {
    "token": TOKEN,
    "name": "Priya Nair",
    "from": V2_PHONE,
    "date": 1767258000000,
    "msg": "Wants the annual plan; send the quote",
}
V2_NOTES_GET: Example = {"token": TOKEN, "phone_number": V2_PHONE, "date": 1767312000000}
V2_TAGS_GET: Example = {"token": TOKEN}

CONTACT_GET: Example = {"token": TOKEN, "limit": 10}
CONTACT_ADD: Example = {
    "token": TOKEN,
    "contacts": [
        {
            "phone_no": "919800000002",
            "first_name": "Meera",
            "last_name": "Iyer",
            "email_id": "meera@example.com",
            "company": "Iyer Traders",
            "job_title": "Owner",
        }
    ],
}
CONTACT_UPDATE: Example = {
    "token": TOKEN,
    "contacts": [{"contact_id": CONTACT_ID, "job_title": "Director"}],
}
CONTACT_DELETE: Example = {"token": TOKEN, "contact_ids": [CONTACT_ID]}

AGENT_ADD: Example = {
    **_ADMIN,
    "extension": 101,
    "name": "Asha Rao",
    "phone_number": "919800000000",
    "password": PASSWORD,
}
AGENT_GET: Example = {**_ADMIN, "id": f"101_{APPID}"}
AGENT_LIST: Example = {**_ADMIN, "page": 1, "limit": 10}
AGENT_UPDATE: Example = {
    **_ADMIN,
    "id": f"101_{APPID}",
    "name": "Asha Rao",
    "phone_number": "919800000009",
    "password": PASSWORD,
}
AGENT_REMOVE: Example = {**_ADMIN, "id": f"101_{APPID}"}

USER_ADD: Example = {
    **_ADMIN,
    "extension": 1001,
    "first_name": "Asha",
    "last_name": "Rao",
    "phone_number": "919800000000",
    "password": PASSWORD,
    "email_id": "asha@example.com",
}
USER_GET: Example = {**_ADMIN, "agent_id": f"1001_{APPID}"}
USER_ALL: Example = {**_ADMIN}
USER_LIST: Example = {**_ADMIN, "page": 1, "limit": 10}
USER_UPDATE: Example = {**_ADMIN, "agent_id": f"1001_{APPID}", "last_name": "Rao-Menon"}
USER_REMOVE: Example = {**_ADMIN, "agent_id": f"1001_{APPID}"}

ADMIN_TOKEN: Example = {**_ADMIN}
V2_USER_ADD: Example = {
    **_ADMIN,
    "extension": 102,
    "name": "Kabir Shah",
    "phone_number": "919800000005",
    "password": PASSWORD,
    "start_time": 9,
    "end_time": 18,
    "sms_alert": True,
}
# v2's user administration takes v1's agent bodies.
V2_USER_LIST: Example = AGENT_LIST
V2_USER_UPDATE: Example = {**AGENT_UPDATE, "id": f"102_{APPID}", "name": "Kabir Shah"}
V2_USER_REMOVE: Example = {**_ADMIN, "id": f"102_{APPID}"}

# Answered 501 (contactd does not record calls) once the token is checked.
V1_CALLBACK: Example = {"token": TOKEN, "from": 1767225600000, "to": 1767312000000}
V1_CALLBACK_ACTION: Example = {"token": TOKEN, "phone_number": 919800000001}
V2_CALLBACK: Example = {"token": TOKEN, "from": 1767225600000, "to": 1767312000000, "page": 1}
V2_CALLBACK_ACTION: Example = {"token": TOKEN, "phone_number": 919800000001}

X_SEARCH: Example = {"token": TOKEN, "q": "4432", "limit": 20}
X_DUE: Example = {
    "token": TOKEN,
    "after": 1767225600000,
    "before": 1767312000000,
    "agent": f"101_{APPID}",
    "limit": 20,
}
X_GET: Example = {"token": TOKEN, "contact_id": CONTACT_ID}
X_UPDATE: Example = {
    "token": TOKEN,
    "contact_id": CONTACT_ID,
    "tag": "lead",
    "status": "interested",
    "remindme": 1767258000000,
    "note": "Asked for a call back on Monday",
}
X_IMPORT: Example = {
    "token": TOKEN,
    "csv": "phone_no,first_name,last_name,email_id,company,job_title\r\n"
    "919800000003,Kiran,Shah,kiran@example.com,Shah & Sons,Partner\r\n",
    "first_line": 1,
}
X_EXPORT: Example = {"token": TOKEN}
X_UNLOCK: Example = {**_ADMIN, "id": f"1001_{APPID}"}
X_TAGS: Example = {**_ADMIN, "tags": ["Sales", "Support", "Spam"]}
