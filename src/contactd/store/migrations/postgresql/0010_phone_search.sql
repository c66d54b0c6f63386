-- Phone digits for `/x/contacts/search` (docs/api.md, "Extensions"): trigrams of each
-- contact's number as sent and its international form (`phone` and `phone_key`, digits
-- only, joined by a blank so that no match spans the two), with app_id in the same GIN
-- index (btree_gin) as for names, so that any 3 or more digits, such as a number's last
-- four, are found from the app's posting lists. An expression index: nothing more is
-- stored in the rows; the search spells the same expression
-- (store/postgres_extensions.py, PHONE_DIGITS).
CREATE INDEX contacts_by_app_phone_digits ON contacts
    USING gin (app_id, (phone || ' ' || phone_key) gin_trgm_ops);
