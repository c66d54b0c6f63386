-- The fragment counts (name_fragments, 0011 and 0013) follow the names in transactions
-- of their own, over thousands of name changes at once, and count fragments of up to 5
-- characters (store/name_index.py; postgres_fragment_fold.py folds them), as SQLite's
-- 0015 does: counting the fragments of 4 and 5 characters was the cost of a longer
-- query's count (a recheck of every name holding its trigrams), and counting them in
-- the write's transaction would touch a dozen rows per contact of varied names.
--
-- The triggers append each statement's net name changes here; a count adds those of
-- the names holding its query to the fragment's row, in the same statement (one
-- snapshot), so it is exact before the fold as after it.
CREATE TABLE name_pending (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id   bigint NOT NULL,
    name_key text   NOT NULL,
    delta    bigint NOT NULL
);
-- What a count reads of its app's pending changes.
CREATE INDEX name_pending_by_app ON name_pending (app_id) INCLUDE (name_key, delta);

-- names_fold as in 0013, but for the fragments: the net changes are appended to
-- name_pending instead.
CREATE OR REPLACE FUNCTION names_fold(app_ids bigint[], keys text[], deltas bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    gone_apps bigint[];
    gone_keys text[];
BEGIN
    WITH net AS (
        SELECT app_id, name_key, sum(delta)::bigint AS delta
        FROM unnest(app_ids, keys, deltas) AS c (app_id, name_key, delta)
        GROUP BY app_id, name_key HAVING sum(delta) <> 0
    ),
    counted AS (
        INSERT INTO names (app_id, name_key, n)
            SELECT app_id, name_key, delta FROM net ORDER BY app_id, name_key
            ON CONFLICT (app_id, name_key) DO UPDATE SET n = names.n + excluded.n
            RETURNING app_id, name_key, n, xmax = 0 AS inserted
    ),
    grown AS (
        UPDATE apps SET distinct_names = distinct_names + g.k
            FROM (SELECT app_id, count(*) AS k FROM counted WHERE inserted GROUP BY app_id) g
            WHERE apps.app_id = g.app_id
    ),
    pending AS (
        INSERT INTO name_pending (app_id, name_key, delta)
            SELECT app_id, name_key, delta FROM net
    )
    SELECT array_agg(app_id), array_agg(name_key) INTO gone_apps, gone_keys
        FROM counted WHERE n = 0;
    IF gone_apps IS NOT NULL THEN
        DELETE FROM names d USING unnest(gone_apps, gone_keys) AS g (app_id, name_key)
            WHERE d.app_id = g.app_id AND d.name_key = g.name_key;
        UPDATE apps SET distinct_names = distinct_names - g.k
            FROM (SELECT a AS app_id, count(*) AS k FROM unnest(gone_apps) AS a GROUP BY a) g
            WHERE apps.app_id = g.app_id;
    END IF;
END;
$$;

-- The fragments of 4 and 5 characters of the names already stored, each counted once
-- per contact carrying it (those of 1 to 3 are counted since 0011 and 0013).
INSERT INTO name_fragments (app_id, fragment, n)
    SELECT names.app_id, f.fragment, sum(names.n) FROM names, LATERAL (
        SELECT DISTINCT substr(names.name_key, i, size) AS fragment
        FROM generate_series(4, 5) size,
            generate_series(1, length(names.name_key) - size + 1) i
    ) f
    GROUP BY names.app_id, f.fragment;
