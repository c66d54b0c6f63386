-- The login throttle reserves a password check before it runs (domain/throttle.py):
-- a row per check reserved for a principal id within the window, whether or not such a
-- principal exists. A failed check keeps its row; a successful one deletes it, so the
-- rows are the failures and the checks still running. The reservation counts and
-- inserts in one write transaction, which the single writer connection serializes.
-- Rows older than the window are swept, app by app, as new attempts are reserved.
-- The failures a store made before 0007 kept (login_failures, 0003) carry over, each
-- with its rowid as its attempt id; a store made since has none, and an empty table
-- stands in for them.
CREATE TABLE login_attempts (
    app_id       INTEGER NOT NULL,
    extension    INTEGER NOT NULL,
    attempt_id   INTEGER NOT NULL,
    attempted_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, extension, attempt_id)
) WITHOUT ROWID;
CREATE INDEX login_attempts_by_principal ON login_attempts (app_id, extension, attempted_at);
CREATE INDEX login_attempts_by_app_time ON login_attempts (app_id, attempted_at);

CREATE TABLE IF NOT EXISTS login_failures (app_id INTEGER, extension INTEGER, failed_at INTEGER);
INSERT INTO login_attempts (app_id, extension, attempt_id, attempted_at)
    SELECT app_id, extension, rowid, failed_at FROM login_failures;
DROP TABLE login_failures;
