CREATE TABLE login_failures (
    app_id    bigint NOT NULL,
    extension integer NOT NULL,
    failed_at bigint NOT NULL
);
CREATE INDEX login_failures_by_principal ON login_failures (app_id, extension, failed_at);
CREATE INDEX login_failures_by_app_time ON login_failures (app_id, failed_at);
