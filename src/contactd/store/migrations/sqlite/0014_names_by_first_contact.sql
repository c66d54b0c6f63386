-- A name's id carries the seq of the first contact that carries it: name_id is
-- (app_id << 39) + that seq (store/sqlite_names.py). The trigram index over the names
-- (0011) is keyed by name_id, so it now holds an app's names in the order their first
-- contacts were created, and the first names matching a query, read in rowid order,
-- bound the first page of that query: no contact of another name comes before the last
-- of their first contacts (store/name_index.py, "page"). An app's names are still one
-- rowid range. App ids are 7 digits (domain.apps), under 2^24, and seqs stay under 2^39.

-- How many distinct names each app's contacts carry, kept by the writer's fold: the
-- ids no longer count the names handed out.
ALTER TABLE apps ADD COLUMN distinct_names INTEGER NOT NULL DEFAULT 0;

-- The log carries the contact's seq, so that the fold sees when a name's first contact
-- goes (a delete, a rename) or an older contact takes the name (a rename).
ALTER TABLE name_changes ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
-- A store upgraded from before 0011 has its contacts logged by 0011 (a row per name),
-- not folded yet: each row takes the seq of its name's first contact.
UPDATE name_changes SET seq = (SELECT min(c.seq) FROM contacts c
    WHERE c.app_id = name_changes.app_id AND c.name_key = name_changes.name_key);

DROP TRIGGER contacts_names_after_insert;
DROP TRIGGER contacts_names_after_delete;
DROP TRIGGER contacts_names_after_update;

CREATE TRIGGER contacts_names_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO name_changes (app_id, name_key, delta, seq)
        VALUES (new.app_id, new.name_key, 1, new.seq);
END;

-- list_version (0002): a delete or a rename moves the remembered page boundaries.
CREATE TRIGGER contacts_names_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO name_changes (app_id, name_key, delta, seq)
        VALUES (old.app_id, old.name_key, -1, old.seq);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = old.app_id;
END;

CREATE TRIGGER contacts_names_after_update AFTER UPDATE OF name_key ON contacts
WHEN old.name_key IS NOT new.name_key BEGIN
    INSERT INTO name_changes (app_id, name_key, delta, seq)
        VALUES (old.app_id, old.name_key, -1, old.seq), (new.app_id, new.name_key, 1, new.seq);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = new.app_id;
END;

-- The names already stored, under their new ids (a seek of (app_id, name_key, seq) each),
-- and both trigram indexes built again over them.
DROP TABLE names_fts;
DROP TABLE names_shared_fts;
CREATE TABLE names_by_first (
    name_id  INTEGER PRIMARY KEY,
    app_id   INTEGER NOT NULL,
    name_key TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    UNIQUE (app_id, name_key)
);
INSERT INTO names_by_first (name_id, app_id, name_key, n)
    SELECT (m.app_id << 39) + (SELECT min(c.seq) FROM contacts c INDEXED BY contacts_by_app_name_seq
        WHERE c.app_id = m.app_id AND c.name_key = m.name_key), m.app_id, m.name_key, m.n
    FROM names m ORDER BY 1;
DROP TABLE names;
ALTER TABLE names_by_first RENAME TO names;

CREATE VIRTUAL TABLE names_fts USING fts5 (
    name_key,
    content = 'names',
    content_rowid = 'name_id',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO names_fts (names_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE names_shared_fts USING fts5 (
    name_key,
    content = '',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO names_shared_fts (rowid, name_key) SELECT name_id, name_key FROM names WHERE n >= 2;

UPDATE apps SET distinct_names = (SELECT count(*) FROM names WHERE names.app_id = apps.app_id);

-- Each index as one segment: a rebuild leaves several, and a query reads every one
-- (bench/profile.md, "the names by first contact").
INSERT INTO names_fts (names_fts) VALUES ('optimize');
INSERT INTO names_shared_fts (names_shared_fts) VALUES ('optimize');
