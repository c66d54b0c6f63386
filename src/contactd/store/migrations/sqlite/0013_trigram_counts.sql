-- name_fragments (0011) counts 3-character fragments too (name_index.FRAGMENT_MAX): a
-- query of 3 characters matches thousands of distinct names in a book of varied names,
-- and summing over them was the cost of its count. The writer's fold keeps the new rows
-- from here on; this counts the names already stored, each of its distinct trigrams once
-- per contact carrying it.
WITH RECURSIVE runs (app_id, name_key, n, at) AS (
    SELECT app_id, name_key, n, 1 FROM names WHERE length(name_key) >= 3
    UNION ALL
    SELECT app_id, name_key, n, at + 1 FROM runs WHERE at + 3 <= length(name_key)
)
INSERT INTO name_fragments (app_id, fragment, n)
    SELECT app_id, fragment, sum(n) FROM (
        SELECT DISTINCT app_id, name_key, n, substr(name_key, at, 3) AS fragment FROM runs
    ) GROUP BY app_id, fragment;

-- The names carried by 2 contacts or more, in a trigram index of their own (contentless:
-- the text is in names). The count of a longer query reads the names holding it from
-- names_fts without their rows, each counting one contact, and adds the others of
-- these names only (store/sqlite_names.py): in a book of varied names most names are
-- carried by one contact. The writer's fold keeps it as a name's count crosses 2.
CREATE VIRTUAL TABLE names_shared_fts USING fts5 (
    name_key,
    content = '',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO names_shared_fts (rowid, name_key) SELECT name_id, name_key FROM names WHERE n >= 2;
