-- Name search from the structure of the names (store/name_index.py says how each query
-- uses these tables; docs/architecture.md, "Name search"). Names repeat: a book of a
-- million contacts holds far fewer distinct names, so the search works on those.
--
-- The tables below are kept by the store, in the transaction of every contact write:
-- triggers log each change of a contact's name_key in name_changes, and the store folds
-- the log into the tables before it commits (store/name_index.py), so the log is empty
-- between transactions.

-- Each app's distinct folded names with how many of its contacts carry each. name_id is
-- (app_id << 32) + a number within the app (store/sqlite_names.py), so that one app's
-- names are one rowid range of the trigram index below.
CREATE TABLE names (
    name_id  INTEGER PRIMARY KEY,
    app_id   INTEGER NOT NULL,
    name_key TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    UNIQUE (app_id, name_key)
);

-- The candidates for a query of 3 characters or more: a trigram index over the distinct
-- names (external content: the text lives once, in names). A query reads the app's
-- rowid range only, so the names of the other apps in the file cost it nothing.
CREATE VIRTUAL TABLE names_fts USING fts5 (
    name_key,
    content = 'names',
    content_rowid = 'name_id',
    tokenize = 'trigram case_sensitive 1'
);

-- How many of an app's contacts have a name containing each fragment of 1 or 2
-- characters: the count of the shortest queries, which match the most names.
CREATE TABLE name_fragments (
    app_id   INTEGER NOT NULL,
    fragment TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (app_id, fragment)
) WITHOUT ROWID;

-- The changes of the current write transaction, folded before it commits.
CREATE TABLE name_changes (
    app_id   INTEGER NOT NULL,
    name_key TEXT    NOT NULL,
    delta    INTEGER NOT NULL
);

-- The contacts of one name in creation order: a page of a query matching few names.
-- It puts a write's contacts on a page per distinct name, which costs the write
-- (bench/profile.md, "the name dictionary"); led by the block instead, a lookup of
-- names each carried by a contact or two seeks every block for each of them.
CREATE INDEX contacts_by_app_name_seq ON contacts (app_id, name_key, seq);

-- The trigram index over every contact (0002) gives way to the one over the names.
DROP TRIGGER contacts_name_after_insert;
DROP TRIGGER contacts_name_after_delete;
DROP TRIGGER contacts_name_after_update;
DROP TABLE contacts_name;
DROP INDEX contacts_by_seq_app;

CREATE TRIGGER contacts_names_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO name_changes (app_id, name_key, delta) VALUES (new.app_id, new.name_key, 1);
END;

-- list_version (0002): a delete or a rename moves the remembered page boundaries.
CREATE TRIGGER contacts_names_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO name_changes (app_id, name_key, delta) VALUES (old.app_id, old.name_key, -1);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = old.app_id;
END;

CREATE TRIGGER contacts_names_after_update AFTER UPDATE OF name_key ON contacts
WHEN old.name_key IS NOT new.name_key BEGIN
    INSERT INTO name_changes (app_id, name_key, delta)
        VALUES (old.app_id, old.name_key, -1), (new.app_id, new.name_key, 1);
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = new.app_id;
END;

-- The contacts already stored, folded by the store in this migration's transaction.
INSERT INTO name_changes (app_id, name_key, delta)
    SELECT app_id, name_key, count(*) FROM contacts GROUP BY app_id, name_key;
