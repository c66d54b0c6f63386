"""The control channel: operator commands carried out by the running server.

While `contactd serve` holds a SQLite store (the writer lock, `store.sqlite_lock`), no
other process may write it, so `contactd app create`, `app rotate-secret`, `users
unlock` and the reads beside them are sent to the server over a Unix socket beside the
database (`<db>.sock`, mode 0600, peers of another uid refused): one JSON request, one
JSON reply. With no server running, the command takes the lock and runs the same code
(`commands.execute`) on the store itself.
"""
