-- The login throttle reserves a password check before it runs (domain/throttle.py):
-- a row per check reserved for a principal id within the window, whether or not such a
-- principal exists. A failed check keeps its row; a successful one deletes it, so the
-- rows are the failures and the checks still running. The failures a store made before
-- 0007 kept (login_failures, 0003) carry over, numbered as attempts; a store made since
-- has none, and an empty table stands in for them.
CREATE TABLE login_attempts (
    app_id       bigint  NOT NULL,
    extension    integer NOT NULL,
    attempt_id   bigint  NOT NULL,
    attempted_at bigint  NOT NULL,
    PRIMARY KEY (app_id, extension, attempt_id)
);
CREATE INDEX login_attempts_by_principal ON login_attempts (app_id, extension, attempted_at);
CREATE INDEX login_attempts_by_app_time ON login_attempts (app_id, attempted_at);

CREATE TABLE IF NOT EXISTS login_failures (app_id bigint, extension integer, failed_at bigint);
INSERT INTO login_attempts (app_id, extension, attempt_id, attempted_at)
    SELECT app_id, extension, row_number() OVER (), failed_at FROM login_failures;
DROP TABLE login_failures;

-- One row per principal id with a recent attempt: the lock that serializes the
-- reservations of one id, in every process sharing the database. A reservation upserts
-- it (which locks it until commit), then counts and inserts; so no two reservations of
-- one id count at once, and the window never holds more than its bound. A row whose
-- last attempt has left the window is swept; the next reservation makes it again.
CREATE TABLE login_ids (
    app_id          bigint  NOT NULL,
    extension       integer NOT NULL,
    last_attempt_at bigint  NOT NULL,
    PRIMARY KEY (app_id, extension)
);
CREATE INDEX login_ids_by_app_time ON login_ids (app_id, last_attempt_at);
