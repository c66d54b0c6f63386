-- Answers kept under idempotency keys (domain/idempotency.py): the same key with the
-- same request, within 24 hours, is answered from here without writing again. The key
-- is scoped by app (the primary key leads with app_id, the distribution column);
-- `digest` is a keyed digest of the request (never the body, which holds credentials),
-- `body` the answer (a write's answer holds none). The contact writes insert their row
-- in their own transaction. Rows older than 24 hours are dead (lookups ignore them) and
-- are deleted in small batches by the sweeper; the created_at index serves that sweep
-- alone, which is maintenance, not a request (on Citus it runs on every shard).
CREATE TABLE idempotency_keys (
    app_id     bigint NOT NULL,
    key        text NOT NULL,
    digest     bytea NOT NULL,
    status     integer NOT NULL,
    body       bytea NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (app_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
