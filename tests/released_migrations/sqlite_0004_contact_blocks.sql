-- Counts of each app's contacts per block of 4,096 seq values (block = seq >> 12), so
-- that an unfiltered v1 page at any offset is found by summing the counts of the blocks
-- before it (245 small rows for a 1M app) and skipping within one block,
-- instead of walking every index entry before the offset. See store/sqlite_search.py.
-- Kept exact by the triggers below, in the same transaction as every insert and delete
-- (the v3 batch, the v1 upsert's insert, both deletes). A block whose contacts are all
-- deleted keeps its row with n = 0: it adds nothing to a sum. seq never changes.
CREATE TABLE contact_blocks (
    app_id INTEGER NOT NULL,
    block  INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (app_id, block)
) WITHOUT ROWID;

INSERT INTO contact_blocks (app_id, block, n)
    SELECT app_id, seq >> 12, count(*) FROM contacts GROUP BY app_id, seq >> 12;

CREATE TRIGGER contact_blocks_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_blocks (app_id, block, n) VALUES (new.app_id, new.seq >> 12, 1)
        ON CONFLICT (app_id, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contact_blocks_after_delete AFTER DELETE ON contacts BEGIN
    UPDATE contact_blocks SET n = n - 1 WHERE app_id = old.app_id AND block = old.seq >> 12;
END;
