-- The PostgreSQL schema; it mirrors migrations/sqlite/0001_initial.sql.
--
-- Every table, key and index leads with app_id and every query filters on it: tenants
-- stay apart, and `create_distributed_table(..., 'app_id')` (Citus) can shard these
-- tables by app with no change here (see docs/deployment.md). `meta` is the one table
-- without an app: it holds server-wide values (a Citus reference table).
--
-- The extensions (pg_trgm, btree_gin) are created by the store before this file runs,
-- in a schema on the search path (see store/postgres_setup.py).

CREATE TABLE meta (
    key   text  PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE apps (
    app_id        bigint PRIMARY KEY,
    name          text   NOT NULL,
    secret_hash   bytea  NOT NULL,
    country_code  text   NOT NULL,
    -- Kept in the same transaction as every insert and delete: counts are O(1).
    contact_count bigint NOT NULL DEFAULT 0,
    created_at    bigint NOT NULL
);

CREATE TABLE principals (
    app_id        bigint  NOT NULL REFERENCES apps (app_id),
    extension     integer NOT NULL,
    first_name    text    NOT NULL,
    last_name     text    NOT NULL,
    phone         text    NOT NULL,
    email         text    NOT NULL,
    password_hash text    NOT NULL,
    start_time    bigint,
    end_time      bigint,
    notify        boolean NOT NULL,
    followme      boolean NOT NULL,
    created_at    bigint  NOT NULL,
    -- The folded name the user list's filter compares (see contacts.name_key).
    name_key      text    NOT NULL,
    PRIMARY KEY (app_id, extension)
);

CREATE TABLE tokens (
    app_id     bigint  NOT NULL,
    token_hash bytea   NOT NULL,
    extension  integer NOT NULL,
    expires_at bigint  NOT NULL,
    PRIMARY KEY (app_id, token_hash),
    FOREIGN KEY (app_id, extension)
        REFERENCES principals (app_id, extension) ON DELETE CASCADE
);
CREATE INDEX tokens_by_principal ON tokens (app_id, extension);

CREATE TABLE contacts (
    app_id     bigint NOT NULL REFERENCES apps (app_id),
    -- Creation order, never reused: the list order and the cursor key.
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    contact_id uuid   NOT NULL,
    phone      text   NOT NULL,
    phone_key  text   NOT NULL,
    first_name text   NOT NULL,
    last_name  text   NOT NULL,
    -- domain.names.name_search_key(first_name, last_name): folded by contactd (casefold,
    -- NFC) as on SQLite, not by lower(), which depends on the locale ("C" folds ASCII).
    name_key   text   NOT NULL,
    email      text   NOT NULL,
    company    text   NOT NULL,
    job_title  text   NOT NULL,
    tag        text   NOT NULL,
    status     text   NOT NULL,
    remindme   bigint,
    info       text   NOT NULL,
    notes      jsonb  NOT NULL,
    saved_by   text   NOT NULL,
    created_at bigint NOT NULL,
    -- name_key rides in the key's leaf pages: listing an app in order, skipping an
    -- offset and testing a 1-2 character query (below a trigram) read only this index.
    PRIMARY KEY (app_id, seq) INCLUDE (name_key)
);
CREATE UNIQUE INDEX contacts_by_app_phone ON contacts (app_id, phone_key);
CREATE UNIQUE INDEX contacts_by_app_id ON contacts (app_id, contact_id);
-- Substring name search: trigrams, with app_id in the same GIN index (btree_gin) so a
-- search can read only the app's posting lists. A pattern too short for a trigram is
-- answered from the primary key, which carries name_key.
CREATE INDEX contacts_by_app_name ON contacts USING gin (app_id, name_key gin_trgm_ops);
