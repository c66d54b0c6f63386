-- The callbacks due counted per block of time (store/due_blocks.py): how many of an
-- app's reminders fall in each block of 2^20 ms (level 0), 2^25 (level 1) and 2^30
-- (level 2), and the same per agent (the contact's saved_by), so that a window's count
-- sums its whole blocks and reads the index entries of its two ends only, instead of
-- every entry of the window (0009's indexes). The shifts are due_blocks.level_bits.
-- Kept exact by the triggers below in the transaction of every contact write; a
-- contact without a reminder (every v3 add) fires none of them. A block whose
-- reminders all went keeps its row at 0: it adds nothing to a sum.
CREATE TABLE due_blocks (
    app_id INTEGER NOT NULL,
    level  INTEGER NOT NULL,
    block  INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (app_id, level, block)
) WITHOUT ROWID;

CREATE TABLE due_agent_blocks (
    app_id   INTEGER NOT NULL,
    saved_by TEXT    NOT NULL,
    level    INTEGER NOT NULL,
    block    INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (app_id, saved_by, level, block)
) WITHOUT ROWID;

INSERT INTO due_blocks (app_id, level, block, n)
    SELECT app_id, l.level, remindme >> (20 + 5 * l.level), count(*)
    FROM contacts CROSS JOIN (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2) l
    WHERE remindme IS NOT NULL
    GROUP BY app_id, l.level, remindme >> (20 + 5 * l.level);

INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
    SELECT app_id, saved_by, l.level, remindme >> (20 + 5 * l.level), count(*)
    FROM contacts CROSS JOIN (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2) l
    WHERE remindme IS NOT NULL
    GROUP BY app_id, saved_by, l.level, remindme >> (20 + 5 * l.level);

CREATE TRIGGER contacts_due_after_insert AFTER INSERT ON contacts
WHEN new.remindme IS NOT NULL BEGIN
    INSERT INTO due_blocks (app_id, level, block, n) VALUES
        (new.app_id, 0, new.remindme >> 20, 1),
        (new.app_id, 1, new.remindme >> 25, 1),
        (new.app_id, 2, new.remindme >> 30, 1)
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + 1;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n) VALUES
        (new.app_id, new.saved_by, 0, new.remindme >> 20, 1),
        (new.app_id, new.saved_by, 1, new.remindme >> 25, 1),
        (new.app_id, new.saved_by, 2, new.remindme >> 30, 1)
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + 1;
END;

-- The blocks of a reminder gone: every one has its row, written when it came.
CREATE TRIGGER contacts_due_after_delete AFTER DELETE ON contacts
WHEN old.remindme IS NOT NULL BEGIN
    UPDATE due_blocks SET n = n - 1 WHERE app_id = old.app_id AND (
        (level = 0 AND block = old.remindme >> 20)
        OR (level = 1 AND block = old.remindme >> 25)
        OR (level = 2 AND block = old.remindme >> 30));
    UPDATE due_agent_blocks SET n = n - 1 WHERE app_id = old.app_id
        AND saved_by = old.saved_by AND (
        (level = 0 AND block = old.remindme >> 20)
        OR (level = 1 AND block = old.remindme >> 25)
        OR (level = 2 AND block = old.remindme >> 30));
END;

-- A reminder moved (or set, or cleared), or the contact's agent changed: out of the old
-- blocks, into the new ones.
CREATE TRIGGER contacts_due_after_update AFTER UPDATE OF remindme, saved_by ON contacts
WHEN old.remindme IS NOT new.remindme OR old.saved_by IS NOT new.saved_by BEGIN
    UPDATE due_blocks SET n = n - 1 WHERE old.remindme IS NOT NULL AND app_id = old.app_id
        AND ((level = 0 AND block = old.remindme >> 20)
        OR (level = 1 AND block = old.remindme >> 25)
        OR (level = 2 AND block = old.remindme >> 30));
    UPDATE due_agent_blocks SET n = n - 1 WHERE old.remindme IS NOT NULL
        AND app_id = old.app_id AND saved_by = old.saved_by
        AND ((level = 0 AND block = old.remindme >> 20)
        OR (level = 1 AND block = old.remindme >> 25)
        OR (level = 2 AND block = old.remindme >> 30));
    INSERT INTO due_blocks (app_id, level, block, n)
        SELECT new.app_id, l.level, new.remindme >> (20 + 5 * l.level), 1
        FROM (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2) l
        WHERE new.remindme IS NOT NULL
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + 1;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT new.app_id, new.saved_by, l.level, new.remindme >> (20 + 5 * l.level), 1
        FROM (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2) l
        WHERE new.remindme IS NOT NULL
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + 1;
END;
