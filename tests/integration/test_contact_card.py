"""The v3 card as each store keeps or renders it is the wire type, decoded strictly.

A card is spliced into `/v3/contact/get` as the store produced it, never decoded by the
server: these tests decode what both backends produce, after every kind of write, with
`msgspec.json.decode(card, type=ContactCard)` (unknown keys refused, every key required,
every value of its type) and compare it with the contact it was rendered from.
"""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from contactd.api.v3 import ContactCard
from contactd.domain.card import CARD
from contactd.domain.models import App, ContactChanges, NewContact, PhoneUpsert
from contactd.domain.phones import Phone
from contactd.domain.store import Store
from contactd.store import open_store
from tests import records

APP = 7_777_001
# Values a renderer could get wrong: quotes, backslashes, control and non-ASCII
# characters, empty strings.
AWKWARD = [
    ("Zoë", 'O"Brien', 'Acme "West"', "a\\b"),
    ("Priyā", "", "नमस्ते Co", "tab\there"),
    ("", "Ross", "", "line\nbreak \u0001"),
]


def _expected(contact: NewContact) -> dict[str, str]:
    """The card of `contact` from the definition: each field's column, in order."""
    return {f.wire: getattr(contact, f.column) for f in CARD}


def _decoded(card: str) -> dict[str, object]:
    strict = msgspec.json.decode(card, type=ContactCard)
    as_dict = msgspec.structs.asdict(strict)
    plain: dict[str, object] = msgspec.json.decode(card)
    assert list(plain) == [f.wire for f in CARD]  # the keys in the definition's order
    assert plain == as_dict
    return as_dict


def test_stored_cards_decode_strictly_as_the_wire_type(database_url: str) -> None:
    async def scenario() -> None:
        store: Store = await open_store(database_url, wait_seconds=5)
        try:
            assert await store.add_app(App(APP, "Cards", b"hash", "91", 1))
            contacts = [
                msgspec.structs.replace(
                    records.new_contact(n, first, last), company=company, job_title=job
                )
                for n, (first, last, company, job) in enumerate(AWKWARD)
            ]
            await store.add_contacts(APP, contacts)
            await _check(store, contacts)

            # A v3 update and a v1 upsert change the card with the row.
            changed = msgspec.structs.replace(
                contacts[0], phone="919999999999", phone_key="919999999999", email="z@x.io"
            )
            await store.update_contacts(
                APP,
                [
                    ContactChanges(
                        changed.contact_id,
                        phone=Phone(changed.phone, changed.phone_key),
                        email=changed.email,
                    )
                ],
            )
            renamed = msgspec.structs.replace(contacts[1], first_name="Ånna", last_name="B\\")
            again = records.new_contact(1, "Ånna", "B\\")
            await store.upsert_by_phone(APP, PhoneUpsert(new=again))
            await _check(store, [changed, renamed, contacts[2]])
        finally:
            await store.close()

    asyncio.run(scenario())


async def _check(store: Store, contacts: list[NewContact]) -> None:
    page = await store.page_contacts(APP, after_seq=0, limit=10)
    cards = msgspec.json.decode(page.cards, type=list[ContactCard])
    assert [msgspec.structs.asdict(c) for c in cards] == [_expected(c) for c in contacts]
    for contact in contacts:
        count, card = await store.get_contact(APP, contact.contact_id)
        assert count == len(contacts)
        assert card is not None
        assert _decoded(card) == _expected(contact)


def test_a_card_with_an_unknown_or_missing_key_is_refused() -> None:
    """The strict decode above can fail: the wire type takes exactly the card's keys."""
    card = {f.wire: "x" for f in CARD}
    msgspec.json.decode(msgspec.json.encode(card), type=ContactCard)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(msgspec.json.encode({**card, "tag": "x"}), type=ContactCard)
    del card["job_title"]
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(msgspec.json.encode(card), type=ContactCard)
