CREATE TABLE login_failures (
    app_id    INTEGER NOT NULL,
    extension INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_principal ON login_failures (app_id, extension, failed_at);
CREATE INDEX login_failures_by_app_time ON login_failures (app_id, failed_at);
