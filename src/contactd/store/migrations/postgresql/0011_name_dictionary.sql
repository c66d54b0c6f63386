-- Name search from the structure of the names (store/name_index.py says how each query
-- uses these tables). Names repeat: a book of a million contacts holds far fewer
-- distinct names, so the search works on those.
--
-- Kept by statement-level triggers on contacts, in the write's transaction (one
-- statement per write, however many rows; no log table, whose dead rows every fold
-- would read until a vacuum). Every contact write has taken the app's row
-- lock first (postgres_contacts.py), so these rows are written by one transaction of
-- an app at a time, and no new lock order arises.

-- Each app's distinct folded names with how many of its contacts carry each. Only `n`
-- changes in place: room on each page lets that update stay off the indexes.
CREATE TABLE names (
    app_id   bigint NOT NULL,
    name_key text   NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (app_id, name_key)
) WITH (fillfactor = 70);

-- The names holding a query of 3 characters or more. Written in place (no pending
-- list): a name is inserted once, and a pending list would be read by every query.
CREATE INDEX names_by_trigram ON names USING gin (name_key gin_trgm_ops)
    WITH (fastupdate = off);

-- How many distinct names each app has: a query of an app with few reads its slice of
-- the dictionary rather than the trigram index, whose postings span every app.
ALTER TABLE apps ADD COLUMN distinct_names bigint NOT NULL DEFAULT 0;

-- How many of an app's contacts have a name containing each fragment of 1 or 2
-- characters (name_index.FRAGMENT_MAX; a test holds the two equal): the count of the
-- shortest queries, which match the most names.
CREATE TABLE name_fragments (
    app_id   bigint NOT NULL,
    fragment text   NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (app_id, fragment)
) WITH (fillfactor = 70);

-- The contacts of one name in creation order: a page of a query matching few names.
CREATE INDEX contacts_by_app_name_seq ON contacts (app_id, name_key, seq);
-- The trigram index over every contact gives way to the one over the names.
DROP INDEX contacts_by_app_name;

-- Count each (app_ids[i], keys[i]) name `deltas[i]` contacts more (or fewer), and each
-- of its distinct fragments of 1 to 2 characters as many; a name no contact carries
-- any more leaves the dictionary. Rows are written in key order: one lock order for
-- every writer. The triggers below pass a statement's changes, netted per name.
--
-- No index may name `n` (not even a partial index's predicate), so that counting
-- updates a row in place (HOT) instead of adding entries to every index, the trigram
-- one included. JIT is off: the planner's guess at the fragments' rows would otherwise
-- compile this small statement on every write.
CREATE FUNCTION names_fold(app_ids bigint[], keys text[], deltas bigint[]) RETURNS void
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
                FROM generate_series(1, 2) size,
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

-- An insert counts its rows' names up, a delete down; both triggers call the table of
-- their rows `changed`. An INSERT ... ON CONFLICT DO UPDATE lists only the rows it
-- inserted here, and the rows it updated in the UPDATE trigger's tables.
CREATE FUNCTION names_after_insert_or_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM names_fold(array_agg(app_id), array_agg(name_key), array_agg(delta))
        FROM (SELECT app_id, name_key,
                  CASE TG_OP WHEN 'INSERT' THEN count(*) ELSE -count(*) END AS delta
              FROM changed GROUP BY app_id, name_key) c;
    RETURN NULL;
END;
$$;

CREATE TRIGGER names_after_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION names_after_insert_or_delete();

CREATE TRIGGER names_after_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION names_after_insert_or_delete();

-- Transition tables admit no column list: every update statement comes here, and only
-- the rows whose name changed are counted.
CREATE FUNCTION names_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM names_fold(array_agg(app_id), array_agg(name_key), array_agg(delta))
        FROM (
            SELECT o.app_id, o.name_key, -1::bigint AS delta
                FROM before_rows o JOIN after_rows a USING (seq)
                WHERE o.name_key IS DISTINCT FROM a.name_key
            UNION ALL
            SELECT a.app_id, a.name_key, 1::bigint
                FROM before_rows o JOIN after_rows a USING (seq)
                WHERE o.name_key IS DISTINCT FROM a.name_key
        ) c;
    RETURN NULL;
END;
$$;

CREATE TRIGGER names_after_update AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT
    EXECUTE FUNCTION names_after_update();

-- The contacts already stored.
SELECT names_fold(array_agg(app_id), array_agg(name_key), array_agg(delta))
    FROM (SELECT app_id, name_key, count(*) AS delta FROM contacts
          GROUP BY app_id, name_key) c;
