-- Answers kept under idempotency keys (domain/idempotency.py): the same key with the
-- same request, within 24 hours, is answered from here without writing again. The key
-- is scoped by app; `digest` is a keyed digest of the request (never the body, which
-- holds credentials), `body` the answer (a write's answer holds none). The contact
-- writes insert their row in their own transaction. Rows older than 24 hours are dead
-- (lookups ignore them) and are deleted in small batches by the sweeper; the
-- created_at index serves that sweep alone, which is maintenance, not a request.
CREATE TABLE idempotency_keys (
    app_id     INTEGER NOT NULL,
    key        TEXT NOT NULL,
    digest     BLOB NOT NULL,
    status     INTEGER NOT NULL,
    body       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
