"""The contactd Python SDK: `Client` and `AsyncClient` for contactd and the TeleCMI APIs.

```python
from contactd.client import Client, ContactCreate

with Client(base_url="http://127.0.0.1:8080") as client:
    client.v2.login("1001_1234567", "correct-horse-battery")
    john = ContactCreate(phone_no="919200000000", first_name="John", last_name="Doe")
    client.v3.contacts.add([john])
    for contact in client.v3.contacts.list().auto_paging_iter():
        print(contact.contact_id, contact.phone_no)
```

The SDK needs only httpx: it imports nothing from the server (`contactd.api`,
`contactd.domain`, `contactd.store`), so `pip install contactd` without the `server`
extra is enough.
"""

from __future__ import annotations

from contactd.client._async_client import AsyncClient, AsyncPage
from contactd.client._client import Client, Page
from contactd.client._config import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    TELECMI_BASE_URL,
    TELECMI_V1_BASE_URL,
)
from contactd.client._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContactdError,
    InsufficientStorageError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from contactd.client._models import (
    AddedAgent,
    AddedUser,
    Agent,
    Contact,
    ContactCreate,
    ContactUpdate,
    Login,
    Note,
    UpdatedAgent,
    User,
    V1Contact,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "TELECMI_BASE_URL",
    "TELECMI_V1_BASE_URL",
    "APIConnectionError",
    "APIError",
    "AddedAgent",
    "AddedUser",
    "Agent",
    "AsyncClient",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "Contact",
    "ContactCreate",
    "ContactUpdate",
    "ContactdError",
    "InsufficientStorageError",
    "InternalServerError",
    "Login",
    "NotFoundError",
    "Note",
    "Page",
    "RateLimitError",
    "ServiceUnavailableError",
    "UpdatedAgent",
    "User",
    "V1Contact",
]
