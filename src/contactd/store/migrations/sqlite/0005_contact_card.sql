-- The v3 card of each contact, rendered once when the row is written: the JSON object
-- a v3 read answers with (docs/api.md, "v3 contacts"; the fields of domain/card.py, in
-- their order; a test holds this expression to the one derived from there). A v3 page then reads one column per row instead of seven (SQLite's
-- decoding of each record field is the cost; bench/profile.md, "the stored card"),
-- and the API splices the cards into the response without building and encoding a
-- struct per contact.
--
-- A STORED generated column: SQLite computes it on every INSERT and UPDATE of the row,
-- so no write path of the store can leave it out of step. ALTER TABLE cannot add a
-- STORED column, so the table is rebuilt: same columns, the card placed before the
-- free-text ones (tag ... notes) so that it stays on the row's first page however long
-- the notes grow. seq values are copied, so cursors, the name index (rowid = seq) and
-- contact_blocks stay valid; the AUTOINCREMENT high-water mark is carried over so that
-- a deleted contact's seq is never handed out again.
CREATE TABLE contacts_rebuilt (
    -- Creation order, never reused: the list order and the cursor key.
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id     INTEGER NOT NULL REFERENCES apps (app_id),
    contact_id TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    phone_key  TEXT    NOT NULL,
    first_name TEXT    NOT NULL,
    last_name  TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    company    TEXT    NOT NULL,
    job_title  TEXT    NOT NULL,
    card       TEXT    NOT NULL GENERATED ALWAYS AS (json_object(
        'contact_id', contact_id, 'phone_no', phone, 'first_name', first_name,
        'last_name', last_name, 'email_id', email, 'company', company,
        'job_title', job_title)) STORED,
    tag        TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    remindme   INTEGER,
    info       TEXT    NOT NULL,
    notes      TEXT    NOT NULL,
    saved_by   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    name_key   TEXT    NOT NULL DEFAULT ''
);

INSERT INTO contacts_rebuilt (seq, app_id, contact_id, phone, phone_key, first_name,
        last_name, email, company, job_title, tag, status, remindme, info, notes, saved_by,
        created_at, name_key)
    SELECT seq, app_id, contact_id, phone, phone_key, first_name, last_name, email,
        company, job_title, tag, status, remindme, info, notes, saved_by, created_at,
        name_key
    FROM contacts ORDER BY seq;

-- The copy set the new table's mark to its highest seq; the old mark may be higher
-- (contacts created last and deleted since), and is never lower: the old table's mark
-- becomes the new one's.
DELETE FROM sqlite_sequence WHERE name = 'contacts_rebuilt';
UPDATE sqlite_sequence SET name = 'contacts_rebuilt' WHERE name = 'contacts';

DROP TABLE contacts;
ALTER TABLE contacts_rebuilt RENAME TO contacts;

CREATE UNIQUE INDEX contacts_by_app_phone ON contacts (app_id, phone_key);
CREATE UNIQUE INDEX contacts_by_app_id ON contacts (app_id, contact_id);
CREATE INDEX contacts_by_app_seq_name ON contacts (app_id, seq, name_key);
CREATE INDEX contacts_by_seq_app ON contacts (seq, app_id);

-- The triggers that keep contacts_name and list_version (0002) and contact_blocks (0004)
-- in step with the table, for every store: DROP TABLE took those of a store made before
-- 0005 existed with the old table.
CREATE TRIGGER contacts_name_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_name (rowid, name_key) VALUES (new.seq, new.name_key);
END;

CREATE TRIGGER contacts_name_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_name (contacts_name, rowid, name_key)
        VALUES ('delete', old.seq, old.name_key);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = old.app_id;
END;

CREATE TRIGGER contacts_name_after_update AFTER UPDATE OF name_key ON contacts
WHEN old.name_key IS NOT new.name_key BEGIN
    INSERT INTO contacts_name (contacts_name, rowid, name_key)
        VALUES ('delete', old.seq, old.name_key);
    INSERT INTO contacts_name (rowid, name_key) VALUES (new.seq, new.name_key);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = new.app_id;
END;

CREATE TRIGGER contact_blocks_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_blocks (app_id, block, n) VALUES (new.app_id, new.seq >> 12, 1)
        ON CONFLICT (app_id, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contact_blocks_after_delete AFTER DELETE ON contacts BEGIN
    UPDATE contact_blocks SET n = n - 1 WHERE app_id = old.app_id AND block = old.seq >> 12;
END;
