-- The v2 tags (`/v2/user/tags/get`, docs/api.md, "v2 contacts"): the app's catalogue
-- of tags, set by its admin (`/x/admin/tags`), kept in the order the admin gave it.
CREATE TABLE tag_catalogue (
    app_id   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (app_id, position),
    UNIQUE (app_id, tag)
);
-- The tags in use: the distinct tags of an app's contacts, read by skipping from one
-- tag to the next (a lookup per distinct tag, never a scan of the contacts). Partial:
-- a contact without a tag (every v3 add) is not in it, so such writes pay nothing.
CREATE INDEX contacts_tags ON contacts (app_id, tag) WHERE tag <> '';
