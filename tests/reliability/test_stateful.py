"""A model-based test of the contact APIs (hypothesis `RuleBasedStateMachine`).

Two apps; rules add, update, delete, get and walk (v3) and upsert, delete and list (v1),
with phones written in several forms (v1 national number, v3 with the country code,
with `+` and separators). A plain in-memory model predicts every answer; after each
step both apps' contacts (fields, count, order) must equal the model's. CI runs
`EXAMPLES` programs of up to `STEPS` steps, times `CONTACTD_RELIABILITY_SCALE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.helpers import Api, Tenant, scaled

EXAMPLES, STEPS = 25, 30
NATIONALS = [f"91000000{n:02d}" for n in range(6)]
apps = st.integers(0, 1)
phones = st.sampled_from(NATIONALS)
firsts = st.sampled_from(["Asha", "Zoë", "Li"])
lasts = st.sampled_from(["", "Rao", "J Ross"])
v3_forms = st.sampled_from(["91{}", "+91 {}", "{}", "+91-{}"])


@dataclass
class Entry:
    phone: str  # the digits as the client sent them
    first: str
    last: str
    email: str = ""
    company: str = ""
    contact_id: str | None = None


@dataclass
class Model:
    entries: dict[str, Entry] = field(default_factory=dict)  # national -> entry, in order


def _digits(form: str, national: str) -> str:
    return "".join(c for c in form.format(national) if c.isdigit())


def _national(phone: str) -> str:
    return phone[-10:]


def contact_machine(api: Api) -> type[RuleBasedStateMachine]:
    class ContactMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.tenants: list[Tenant] = [api.tenant("M0"), api.tenant("M1")]
            self.models = [Model(), Model()]
            self.deleted_ids: list[str] = []

        def _post(self, path: str, app: int, body: dict[str, Any]) -> tuple[int, Any]:
            status, answer = api.post(path, {"token": self.tenants[app].token, **body})
            assert status < 500, answer
            return status, answer

        @rule(
            app=apps,
            items=st.lists(st.tuples(phones, v3_forms, firsts, lasts), min_size=1, max_size=3),
        )
        def v3_add(self, app: int, items: list[tuple[str, str, str, str]]) -> None:
            model = self.models[app].entries
            body = [
                {"phone_no": form.format(nat), "first_name": f, "last_name": last}
                for nat, form, f, last in items
            ]
            nats = [nat for nat, *_ in items]
            status, answer = self._post("/v3/contact/add", app, {"contacts": body})
            if len(set(nats)) < len(nats) or any(n in model for n in nats):
                assert status == 409, answer
                return
            assert status == 200, answer
            for (nat, form, f, last), cid in zip(items, answer["contact_ids"], strict=True):
                model[nat] = Entry(_digits(form, nat), f, last, contact_id=cid)

        @rule(app=apps, nat=phones, first=firsts, last=lasts, company=st.sampled_from(["", "Acme"]))
        def v3_update(self, app: int, nat: str, first: str, last: str, company: str) -> None:
            entry = self.models[app].entries.get(nat)
            if entry is None or entry.contact_id is None:
                return
            change = {
                "contact_id": entry.contact_id,
                "first_name": first,
                "last_name": last,
                "company": company,
            }
            status, answer = self._post("/v3/contact/update", app, {"contacts": [change]})
            assert status == 200, answer
            entry.first, entry.last, entry.company = first, last, company

        @rule(app=apps, nat=phones, new=phones, form=v3_forms)
        def v3_change_phone(self, app: int, nat: str, new: str, form: str) -> None:
            model = self.models[app].entries
            entry = model.get(nat)
            if entry is None or entry.contact_id is None:
                return
            change = {"contact_id": entry.contact_id, "phone_no": form.format(new)}
            status, answer = self._post("/v3/contact/update", app, {"contacts": [change]})
            if new != nat and new in model:
                assert status == 409, answer
                return
            assert status == 200, answer
            entry.phone = _digits(form, new)
            # The entry keeps its place in the creation order under its new phone.
            self.models[app].entries = {(new if k == nat else k): v for k, v in model.items()}

        @rule(app=apps, nats=st.lists(phones, min_size=1, max_size=3), stale=st.booleans())
        def v3_delete(self, app: int, nats: list[str], stale: bool) -> None:
            model = self.models[app].entries
            ids = [model[n].contact_id for n in nats if n in model and model[n].contact_id]
            ids += self.deleted_ids[:1] if stale else []
            if not ids:
                return
            status, answer = self._post("/v3/contact/delete", app, {"contact_ids": ids})
            live = {cid for cid in ids if cid is not None and cid not in self.deleted_ids}
            assert (status, answer["deleted"]) == (200, len(live)), answer
            for n in [n for n, e in model.items() if e.contact_id in live]:
                del model[n]
            self.deleted_ids += list(live)

        @rule(
            app=apps,
            nat=phones,
            as_int=st.booleans(),
            first=firsts,
            last=lasts,
            email=st.sampled_from([None, "", "john.doe@example.com"]),
        )
        def v1_upsert(
            self, app: int, nat: str, as_int: bool, first: str, last: str, email: str | None
        ) -> None:
            sent: int | str = int(nat) if as_int else f"91{nat}"
            body: dict[str, Any] = {"from": sent, "name": f"{first} {last}".strip()}
            if email is not None:
                body["email"] = email
            status, answer = self._post("/v1/updateContact", app, body)
            assert (status, answer) == (200, {"code": 200, "msg": "Contact updated"})
            model = self.models[app].entries
            entry = model.setdefault(nat, Entry(str(sent), first, last))
            entry.first, entry.last = first, last
            if email is not None:
                entry.email = email

        @rule(app=apps, nat=phones, as_int=st.booleans())
        def v1_delete(self, app: int, nat: str, as_int: bool) -> None:
            status, answer = self._post(
                "/v1/deleteContact", app, {"mobile": int(nat) if as_int else f"+91 {nat}"}
            )
            model = self.models[app].entries
            if nat not in model:
                assert (status, answer["msg"]) == (400, "contact not found")
                return
            assert status == 200, answer
            if model[nat].contact_id:
                self.deleted_ids.append(model[nat].contact_id or "")
            del model[nat]

        @rule(app=apps, nat=phones)
        def v3_get_one(self, app: int, nat: str) -> None:
            entry = self.models[app].entries.get(nat)
            ids = [entry.contact_id] if entry and entry.contact_id else self.deleted_ids[-1:]
            for cid in ids:
                status, answer = self._post("/v3/contact/get", app, {"contact_id": cid})
                assert status == 200
                expected = [] if entry is None or entry.contact_id != cid else [self._v3(entry)]
                assert answer["contacts"] == expected
                assert answer["count"] == len(self.models[app].entries)
            # Another app never sees it.
            for cid in ids:
                status, answer = self._post("/v3/contact/get", 1 - app, {"contact_id": cid})
                assert answer["contacts"] == []

        def _v3(self, e: Entry) -> dict[str, Any]:
            return {
                "contact_id": e.contact_id,
                "phone_no": e.phone,
                "first_name": e.first,
                "last_name": e.last,
                "email_id": e.email,
                "company": e.company,
                "job_title": "",
            }

        @rule(app=apps, limit=st.integers(1, 4))
        def v3_walk(self, app: int, limit: int) -> None:
            self._check_walk(app, limit)

        def _check_walk(self, app: int, limit: int) -> None:
            seen: list[dict[str, Any]] = []
            state = None
            while True:
                status, answer = self._post(
                    "/v3/contact/get", app, {"limit": limit, "page_state": state}
                )
                assert status == 200, answer
                assert answer["count"] == len(self.models[app].entries)
                seen += answer["contacts"]
                state = answer["page_state"]
                if state is None:
                    break
            entries = list(self.models[app].entries.values())
            assert len(seen) == len(entries)
            for entry, got in zip(entries, seen, strict=True):
                if entry.contact_id is None:  # created through v1: learn its id
                    entry.contact_id = got["contact_id"]
                assert got == self._v3(entry)

        def _check_v1(self, app: int) -> None:
            status, answer = self._post("/v1/getContact", app, {"page": 1, "limit": 1000})
            assert status == 200
            entries = list(self.models[app].entries.values())
            assert answer["count"] == len(entries)
            got = [(c["mobile"], c["name"], c["email"]) for c in answer["contacts"]]
            assert got == [(int(e.phone), f"{e.first} {e.last}".strip(), e.email) for e in entries]

        @invariant()
        def api_agrees_with_model(self) -> None:
            for app in (0, 1):
                self._check_walk(app, 100)
                self._check_v1(app)

    return ContactMachine


def test_contact_apis_agree_with_a_model(api: Api) -> None:
    run_state_machine_as_test(
        contact_machine(api),
        settings=settings(
            max_examples=scaled(EXAMPLES),
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
