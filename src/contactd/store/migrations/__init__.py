"""Numbered SQL migrations, one folder per backend, applied in order on start.

A store never runs a migration twice, so a released file keeps its meaning for the
stores that ran it. A step that a later migration undoes may still be dropped for new
stores, once the later migration copes with stores that ran it and stores that did not
(0003 and 0007). `tests/integration/test_migrations.py` upgrades a store of every
earlier version (made from the files as they were) and holds its schema to a new one's.
"""
