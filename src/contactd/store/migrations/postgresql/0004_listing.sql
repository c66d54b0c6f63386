-- What the v1 listing needs to make deep and repeated pages cheap (postgres_contacts.py).
--
-- list_version: bumped whenever a contact leaves a listing or moves within a filtered
-- one (a delete, a rename). The page boundaries and filtered counts a server process
-- remembers (store/listing_memo.py) hold only while (list_version, contact_count) is
-- unchanged; an insert takes a seq above every existing one and raises contact_count.
--
-- contact_blocks: each app's contacts counted per block of 4,096 seq values
-- (block = seq >> 12), so that an unfiltered page at any offset is found by summing the
-- block counts before it (245 rows for a 1M app) and skipping within one block,
-- instead of an index scan over every entry before the offset. seq never changes; a
-- block whose contacts are all deleted keeps its row with n = 0.
--
-- Both are kept by statement-level triggers (one statement per write, however many
-- rows), in the write's transaction. Every contact write has taken the app's row lock
-- first (postgres_contacts.py), so writes of one app's rows here are serialized by
-- that lock and add no new lock order.
ALTER TABLE apps ADD COLUMN list_version bigint NOT NULL DEFAULT 0;

CREATE TABLE contact_blocks (
    app_id bigint NOT NULL,
    block  bigint NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (app_id, block)
);
INSERT INTO contact_blocks (app_id, block, n)
    SELECT app_id, seq >> 12, count(*) FROM contacts GROUP BY app_id, seq >> 12;

CREATE FUNCTION contacts_listing_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_blocks (app_id, block, n)
        SELECT app_id, seq >> 12, count(*) FROM added GROUP BY app_id, seq >> 12
        ON CONFLICT (app_id, block) DO UPDATE SET n = contact_blocks.n + excluded.n;
    RETURN NULL;
END;
$$;

-- An INSERT ... ON CONFLICT DO UPDATE lists only the rows it inserted in `added`.
CREATE TRIGGER contacts_listing_after_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION contacts_listing_after_insert();

CREATE FUNCTION contacts_listing_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_blocks b SET n = b.n - g.k
        FROM (SELECT app_id, seq >> 12 AS block, count(*) AS k FROM gone
              GROUP BY app_id, seq >> 12) g
        WHERE b.app_id = g.app_id AND b.block = g.block;
    UPDATE apps SET list_version = list_version + 1
        WHERE app_id IN (SELECT DISTINCT app_id FROM gone);
    RETURN NULL;
END;
$$;

CREATE TRIGGER contacts_listing_after_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
    EXECUTE FUNCTION contacts_listing_after_delete();

CREATE FUNCTION contacts_listing_after_rename() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE apps SET list_version = list_version + 1 WHERE app_id = NEW.app_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER contacts_listing_after_rename AFTER UPDATE OF name_key ON contacts
    FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key)
    EXECUTE FUNCTION contacts_listing_after_rename();
