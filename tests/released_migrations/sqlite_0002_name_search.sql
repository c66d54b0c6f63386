-- Name search for v1 getContact (docs/api.md, "v1 contacts"): a case-insensitive
-- substring match on first_name || ' ' || last_name, answered from an index. See
-- store/sqlite_search.py for how each query uses these structures.

-- The name as searched, case-folded by contactd (Python str.casefold + NFC): SQLite's
-- lower() folds ASCII only. Every statement of the store that writes a name writes it
-- too, through contactd_search_key(), which the store defines on its connections.
ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE contacts SET name_key = contactd_search_key(first_name, last_name);

-- Queries of 3 characters or more: a trigram index over name_key. case_sensitive 1
-- because name_key is folded already (one folding rule, Python's, for every query).
-- External content: the text lives once, in contacts, and rowid = contacts.seq.
CREATE VIRTUAL TABLE contacts_name USING fts5 (
    name_key,
    content = 'contacts',
    content_rowid = 'seq',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO contacts_name (contacts_name) VALUES ('rebuild');

-- Bumped whenever a row leaves a listing or moves within a filtered one (a delete, a
-- rename): the remembered page boundaries of a listing hold only while it is unchanged.
-- Inserts take a seq above every existing one, so they move no boundary.
ALTER TABLE apps ADD COLUMN list_version INTEGER NOT NULL DEFAULT 0;

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

-- Queries of 1-2 characters (below a trigram): a scan of the app's slice of this
-- covering index, in seq order, testing instr(name_key, ?) on each entry without reading
-- the rows. It also serves every (app_id, seq) query, so it replaces that index.
CREATE INDEX contacts_by_app_seq_name ON contacts (app_id, seq, name_key);
DROP INDEX contacts_by_app_seq;

-- Each trigram match must be checked against the app (the FTS index spans all apps):
-- this narrow index answers that check faster than the wide table rows
-- (bench/profile.md, "SQLite v1 name search").
CREATE INDEX contacts_by_seq_app ON contacts (seq, app_id);
