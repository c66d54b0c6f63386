-- Counts of each app's contacts per block of 4,096 seq values (block = seq >> 12), so
-- that an unfiltered v1 page at any offset is found by summing the counts of the blocks
-- before it (245 small rows for a 1M app) and skipping within one block,
-- instead of walking every index entry before the offset. See store/sqlite_search.py.
-- Kept exact by triggers (made by 0005), in the same transaction as every insert and delete
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

-- The triggers that keep the counts exact are made by 0005, which rebuilds the table
-- they belong to (a store that ran this file before 0005 existed had them made here).
