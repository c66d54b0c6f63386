-- The folded name the user list's filter compares, kept with the principal as on
-- PostgreSQL (its 0001), so that both backends read principals with one text of each
-- query: domain.names.name_search_key(first_name, last_name), written by every
-- statement of the store that writes a name.
ALTER TABLE principals ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE principals SET name_key = contactd_search_key(first_name, last_name);
