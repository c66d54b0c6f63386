-- The fragment counts (name_fragments, 0011 and 0013) follow the names in transactions
-- of their own, over thousands of name changes at once, and count fragments of up to 5
-- characters (store/name_index.py; sqlite_fragment_fold.py folds them). The writer
-- appends each transaction's net name changes here; a count adds those of the names
-- holding its query to the fragment's row, so it is exact before the fold as after it.
CREATE TABLE name_pending (
    id       INTEGER PRIMARY KEY,
    app_id   INTEGER NOT NULL,
    name_key TEXT    NOT NULL,
    delta    INTEGER NOT NULL
);
-- What a count reads of its app's pending changes, without the rows.
CREATE INDEX name_pending_by_app ON name_pending (app_id, name_key, delta);

-- The counts are made again from the names, fragments of 4 and 5 characters with them:
-- every name of the dictionary is pending, and the fold after the upgrade counts them.
DELETE FROM name_fragments;
INSERT INTO name_pending (app_id, name_key, delta)
    SELECT app_id, name_key, n FROM names ORDER BY name_id;
