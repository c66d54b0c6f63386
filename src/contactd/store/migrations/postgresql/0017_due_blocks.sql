-- The callbacks due counted per block of time (store/due_blocks.py), as SQLite's 0017:
-- how many of an app's reminders fall in each block of 2^20 ms (level 0), 2^25
-- (level 1) and 2^30 (level 2), and the same per agent (the contact's saved_by), so
-- that a window's count sums its whole blocks and reads the index entries of its two
-- ends only, instead of every entry of the window (0009's indexes). The shifts are
-- due_blocks.level_bits. Kept by statement-level triggers in the write's transaction;
-- every contact write has taken the app's row lock first (postgres_contacts.py), so
-- the writes of one app's blocks are serialized by it. A block whose reminders all
-- went keeps its row at 0: it adds nothing to a sum.
CREATE TABLE due_blocks (
    app_id bigint NOT NULL,
    level  int    NOT NULL,
    block  bigint NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (app_id, level, block)
);

CREATE TABLE due_agent_blocks (
    app_id   bigint NOT NULL,
    saved_by text   NOT NULL,
    level    int    NOT NULL,
    block    bigint NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (app_id, saved_by, level, block)
);

-- Reminders counted in (delta > 0) or out (delta < 0) of their blocks at every level
-- (level, shift), each block's changes netted, its rows written in key order.
CREATE FUNCTION due_fold(app_ids bigint[], agents text[], reminders bigint[], deltas bigint[])
RETURNS void LANGUAGE sql AS $$
    WITH per_level AS (
        SELECT c.app_id, c.saved_by, l.level, c.remindme >> l.shift AS block, c.delta
        FROM unnest(app_ids, agents, reminders, deltas) AS c (app_id, saved_by, remindme, delta)
            CROSS JOIN (VALUES (0, 20), (1, 25), (2, 30)) AS l (level, shift)
    ),
    app_blocks AS (
        INSERT INTO due_blocks (app_id, level, block, n)
            SELECT app_id, level, block, sum(delta) FROM per_level
            GROUP BY app_id, level, block HAVING sum(delta) <> 0 ORDER BY app_id, level, block
            ON CONFLICT (app_id, level, block) DO UPDATE SET n = due_blocks.n + excluded.n
    )
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT app_id, saved_by, level, block, sum(delta) FROM per_level
        GROUP BY app_id, saved_by, level, block HAVING sum(delta) <> 0
        ORDER BY app_id, saved_by, level, block
        ON CONFLICT (app_id, saved_by, level, block)
        DO UPDATE SET n = due_agent_blocks.n + excluded.n;
$$;

-- An insert counts its rows' reminders in, a delete out; both triggers call the table
-- of their rows `changed` (as 0011's names triggers). A statement whose rows hold no
-- reminder (every v3 add) calls nothing.
CREATE FUNCTION due_after_insert_or_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM due_fold(array_agg(app_id), array_agg(saved_by), array_agg(remindme),
                     array_agg(CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END::bigint))
        FROM changed WHERE remindme IS NOT NULL HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER due_after_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION due_after_insert_or_delete();

CREATE TRIGGER due_after_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION due_after_insert_or_delete();

-- Transition tables admit no column list: every update statement comes here, and only
-- the rows whose reminder or agent changed are counted out of the old blocks and into
-- the new.
CREATE FUNCTION due_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM due_fold(array_agg(app_id), array_agg(saved_by), array_agg(remindme),
                     array_agg(delta))
        FROM (
            SELECT o.app_id, o.saved_by, o.remindme, -1::bigint AS delta
                FROM before_rows o JOIN after_rows a USING (seq)
                WHERE o.remindme IS NOT NULL AND (o.remindme IS DISTINCT FROM a.remindme
                    OR o.saved_by IS DISTINCT FROM a.saved_by)
            UNION ALL
            SELECT a.app_id, a.saved_by, a.remindme, 1::bigint
                FROM before_rows o JOIN after_rows a USING (seq)
                WHERE a.remindme IS NOT NULL AND (o.remindme IS DISTINCT FROM a.remindme
                    OR o.saved_by IS DISTINCT FROM a.saved_by)
        ) c HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER due_after_update AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT
    EXECUTE FUNCTION due_after_update();

-- The reminders already stored.
SELECT due_fold(array_agg(app_id), array_agg(saved_by), array_agg(remindme), array_agg(1::bigint))
    FROM contacts WHERE remindme IS NOT NULL;
