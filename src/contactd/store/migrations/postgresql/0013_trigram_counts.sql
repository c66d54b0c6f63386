-- name_fragments (0011) counts 3-character fragments too (name_index.FRAGMENT_MAX; a
-- test holds the two equal): a query of 3 characters matches thousands of distinct
-- names in a book of varied names, and summing over them was the cost of its count.
-- names_fold as in 0011 but for the fragments' length.
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
    fragments AS (
        INSERT INTO name_fragments (app_id, fragment, n)
            SELECT net.app_id, f.fragment, sum(net.delta) FROM net, LATERAL (
                SELECT DISTINCT substr(net.name_key, i, size) AS fragment
                FROM generate_series(1, 3) size,
                    generate_series(1, length(net.name_key) - size + 1) i
            ) f
            GROUP BY net.app_id, f.fragment ORDER BY net.app_id, f.fragment
            ON CONFLICT (app_id, fragment) DO UPDATE SET n = name_fragments.n + excluded.n
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

-- The names already stored: each distinct trigram of a name counted once per contact
-- carrying it.
INSERT INTO name_fragments (app_id, fragment, n)
    SELECT names.app_id, f.fragment, sum(names.n) FROM names, LATERAL (
        SELECT DISTINCT substr(names.name_key, i, 3) AS fragment
        FROM generate_series(1, length(names.name_key) - 2) i
    ) f
    GROUP BY names.app_id, f.fragment;
