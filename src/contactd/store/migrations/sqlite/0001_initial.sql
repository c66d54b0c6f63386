-- Every table leads with app_id: tenants stay apart and every query names one app.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE apps (
    app_id        INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    secret_hash   BLOB    NOT NULL,
    country_code  TEXT    NOT NULL,
    -- Kept in the same transaction as every insert and delete: counts are O(1).
    contact_count INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE principals (
    app_id        INTEGER NOT NULL REFERENCES apps (app_id),
    extension     INTEGER NOT NULL,
    first_name    TEXT    NOT NULL,
    last_name     TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    start_time    INTEGER,
    end_time      INTEGER,
    notify        INTEGER NOT NULL,
    followme      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (app_id, extension)
) WITHOUT ROWID;

CREATE TABLE tokens (
    app_id     INTEGER NOT NULL,
    token_hash BLOB    NOT NULL,
    extension  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, token_hash),
    FOREIGN KEY (app_id, extension)
        REFERENCES principals (app_id, extension) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX tokens_by_principal ON tokens (app_id, extension);

CREATE TABLE contacts (
    -- Creation order, never reused: the list order and the cursor key.
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id     INTEGER NOT NULL REFERENCES apps (app_id),
    contact_id TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    phone_key  TEXT    NOT NULL,
    first_name TEXT    NOT NULL,
    last_name  TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    company    TEXT    NOT NULL,
    job_title  TEXT    NOT NULL,
    tag        TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    remindme   INTEGER,
    info       TEXT    NOT NULL,
    notes      TEXT    NOT NULL,
    saved_by   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contacts_by_app_seq ON contacts (app_id, seq);
CREATE UNIQUE INDEX contacts_by_app_phone ON contacts (app_id, phone_key);
CREATE UNIQUE INDEX contacts_by_app_id ON contacts (app_id, contact_id);
