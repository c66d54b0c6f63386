"""An integrator's tests of their TeleCMI code against contactd's stand-in: copy this
file next to your tests and run `pytest` (or `pytest -n auto`) with
`pip install 'contactd[server,testing]' pytest-xdist`.

`TeleCMIContacts` stands for your own code: a small client of the vendor's API, written
against its real URLs. contactd's test suite runs this file as it is.
"""

from __future__ import annotations

import time

import httpx
import pytest

from contactd.testing import ContactdServer, mock_telecmi

REST = "https://rest.telecmi.com"
PIOPIY = "https://piopiy.telecmi.com"


class TeleCMIContacts:
    """Your code: logs in once, adds contacts with v3, retries a 503 once, and logs in
    again when its token is refused."""

    def __init__(self, user_id: str, password: str, *, base_url: str | None = None) -> None:
        self._user_id, self._password = user_id, password
        self._rest = base_url or REST
        self._piopiy = base_url or PIOPIY
        self._http = httpx.Client(timeout=5)
        self._token = self._login()

    def _login(self) -> str:
        answer = self._http.post(
            f"{self._rest}/v2/user/login", json={"id": self._user_id, "password": self._password}
        )
        answer.raise_for_status()
        return str(answer.json()["token"])

    def add(self, phone: str, first_name: str, last_name: str) -> str:
        body = {"contacts": [{"phone_no": phone, "first_name": first_name, "last_name": last_name}]}
        for _attempt in range(3):
            answer = self._http.post(
                f"{self._rest}/v3/contact/add", json={"token": self._token, **body}
            )
            if answer.status_code == 503:  # busy: the vendor says when to come back
                time.sleep(float(answer.headers.get("Retry-After", "1")))
                continue
            if answer.status_code == 404:  # the token expired: log in again
                self._token = self._login()
                continue
            answer.raise_for_status()
            return str(answer.json()["contact_ids"][0])
        raise RuntimeError("TeleCMI did not take the contact")

    def names(self) -> list[str]:
        answer = self._http.post(
            f"{self._piopiy}/v1/getContact", json={"token": self._token, "page": 1}
        )
        answer.raise_for_status()
        return sorted(contact["name"] for contact in answer.json()["contacts"])


def contacts_of(app: ContactdServer) -> TeleCMIContacts:
    return TeleCMIContacts(app.user_id, app.password, base_url=app.base_url)


def test_a_contact_added_is_listed(contactd_app: ContactdServer) -> None:
    crm = contacts_of(contactd_app)
    crm.add("919200000001", "Asha", "Rao")
    assert crm.names() == ["Asha Rao"]
    # What the code sent, credentials redacted.
    [added] = contactd_app.requests(path="/v3/contact/add")
    assert added["request"]["token"] == "[redacted]"
    assert added["request"]["contacts"] == [
        {"phone_no": "919200000001", "first_name": "Asha", "last_name": "Rao"}
    ]


def test_a_503_is_retried_after_its_retry_after(contactd_app: ContactdServer) -> None:
    contactd_app.faults([{"path": "/v3/contact/add", "times": 1, "status": 503, "retry_after": 0}])
    crm = contacts_of(contactd_app)
    crm.add("919200000001", "Asha", "Rao")
    statuses = [entry["status"] for entry in contactd_app.requests(path="/v3/contact/add")]
    assert statuses == [503, 200]


def test_an_expired_token_is_renewed(contactd_app: ContactdServer) -> None:
    crm = contacts_of(contactd_app)
    contactd_app.advance_clock(days=31)  # the token's 30 days are over
    crm.add("919200000001", "Asha", "Rao")
    logins = contactd_app.requests(path="/v2/user/login")
    assert len(logins) >= 2 and logins[-1]["status"] == 200


def test_seeded_contacts_are_read(contactd_app: ContactdServer) -> None:
    contactd_app.seed(
        contacts=[
            {"phone_no": "919200000001", "first_name": "Asha", "last_name": "Rao"},
            {"from": "919200000002", "name": "Ravi Kumar", "tag": "lead"},
        ]
    )
    assert contacts_of(contactd_app).names() == ["Asha Rao", "Ravi Kumar"]


def test_a_dropped_connection_reaches_the_code_as_an_error(contactd_app: ContactdServer) -> None:
    crm = contacts_of(contactd_app)
    contactd_app.faults([{"path": "/v1/getContact", "times": 1, "drop_connection": True}])
    with pytest.raises(httpx.RemoteProtocolError):
        crm.names()
    assert crm.names() == []  # the rule is spent


def test_the_vendors_urls_unchanged() -> None:
    with mock_telecmi() as telecmi:
        crm = TeleCMIContacts(telecmi.user_id, telecmi.password)  # no base_url
        crm.add("919200000001", "Asha", "Rao")
        assert crm.names() == ["Asha Rao"]
