-- Failed logins per principal id, for the login throttle (domain/throttle.py). A row is
-- kept for every id of the form {extension}_{appid}, whether or not such a principal
-- exists, so that the throttle answers alike for both. Rows older than the window are
-- swept, app by app, as new failures of that app are recorded.
CREATE TABLE login_failures (
    app_id    INTEGER NOT NULL,
    extension INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_principal ON login_failures (app_id, extension, failed_at);
CREATE INDEX login_failures_by_app_time ON login_failures (app_id, failed_at);
