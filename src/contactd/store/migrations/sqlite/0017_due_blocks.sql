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

-- The reminders already stored, at each level (level, shift).
INSERT INTO due_blocks (app_id, level, block, n)
    SELECT app_id, l.column1, remindme >> l.column2, count(*)
    FROM contacts CROSS JOIN (VALUES (0, 20), (1, 25), (2, 30)) l
    WHERE remindme IS NOT NULL
    GROUP BY app_id, l.column1, remindme >> l.column2;

INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
    SELECT app_id, saved_by, l.column1, remindme >> l.column2, count(*)
    FROM contacts CROSS JOIN (VALUES (0, 20), (1, 25), (2, 30)) l
    WHERE remindme IS NOT NULL
    GROUP BY app_id, saved_by, l.column1, remindme >> l.column2;

-- Every trigger counts a row's reminder into (+1) or out of (-1) its block at each
-- level, (level, shift) listed in VALUES; a block counted out has its row, written when
-- the reminder came. WHERE: SQLite's parser needs one before an upsert's ON CONFLICT.
CREATE TRIGGER contacts_due_after_insert AFTER INSERT ON contacts
WHEN new.remindme IS NOT NULL BEGIN
    INSERT INTO due_blocks (app_id, level, block, n)
        SELECT new.app_id, l.column1, new.remindme >> l.column2, 1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE true
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + excluded.n;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT new.app_id, new.saved_by, l.column1, new.remindme >> l.column2, 1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE true
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER contacts_due_after_delete AFTER DELETE ON contacts
WHEN old.remindme IS NOT NULL BEGIN
    INSERT INTO due_blocks (app_id, level, block, n)
        SELECT old.app_id, l.column1, old.remindme >> l.column2, -1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE true
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + excluded.n;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT old.app_id, old.saved_by, l.column1, old.remindme >> l.column2, -1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE true
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + excluded.n;
END;

-- A reminder moved (or set, or cleared), or the contact's agent changed: out of the old
-- blocks, into the new ones.
CREATE TRIGGER contacts_due_after_update AFTER UPDATE OF remindme, saved_by ON contacts
WHEN old.remindme IS NOT new.remindme OR old.saved_by IS NOT new.saved_by BEGIN
    INSERT INTO due_blocks (app_id, level, block, n)
        SELECT old.app_id, l.column1, old.remindme >> l.column2, -1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE old.remindme IS NOT NULL
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + excluded.n;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT old.app_id, old.saved_by, l.column1, old.remindme >> l.column2, -1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE old.remindme IS NOT NULL
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + excluded.n;
    INSERT INTO due_blocks (app_id, level, block, n)
        SELECT new.app_id, l.column1, new.remindme >> l.column2, 1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE new.remindme IS NOT NULL
        ON CONFLICT (app_id, level, block) DO UPDATE SET n = n + excluded.n;
    INSERT INTO due_agent_blocks (app_id, saved_by, level, block, n)
        SELECT new.app_id, new.saved_by, l.column1, new.remindme >> l.column2, 1
        FROM (VALUES (0, 20), (1, 25), (2, 30)) l WHERE new.remindme IS NOT NULL
        ON CONFLICT (app_id, saved_by, level, block) DO UPDATE SET n = n + excluded.n;
END;
