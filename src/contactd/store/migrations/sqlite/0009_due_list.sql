-- The callbacks due (`/x/contacts/due`, docs/api.md, "Extensions"): an app's contacts
-- whose remindme lies in a window, in (remindme, seq) order. A page seeks to the
-- cursor's (remindme, seq) and reads the next entries; the window's count reads only
-- the window's entries of the index. Partial: a contact without a reminder (every v3
-- add) is in neither index, so such writes pay nothing for them.
CREATE INDEX contacts_due ON contacts (app_id, remindme, seq) WHERE remindme IS NOT NULL;
-- The same list of one principal's contacts (`agent`: the contact's saved_by).
CREATE INDEX contacts_due_by_agent ON contacts (app_id, saved_by, remindme, seq)
    WHERE remindme IS NOT NULL;
