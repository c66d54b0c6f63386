-- Phone digits for `/x/contacts/search` (docs/api.md, "Extensions"): a trigram index
-- over each contact's number as sent and its international form (`phone` and
-- `phone_key`, digits only, joined by a blank so that no match spans the two), so that
-- any 3 or more digits, such as a number's last four, find it through the index. Where
-- the number as sent lies within its international form (a national number, or one
-- sent with its country code: all but a trunk prefix's "0"), the international form
-- alone holds every match, and only it is indexed: half the terms for each write.
-- Contentless (content = ''): the digits are kept once, in contacts; rowid = seq. The
-- index spans all apps, as contacts_name does; a match is checked against the app.
-- columnsize 0: no per-row size table, which only ranking would read.
CREATE VIRTUAL TABLE contacts_phone USING fts5 (
    digits,
    content = '',
    columnsize = 0,
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO contacts_phone (rowid, digits)
    SELECT seq, CASE WHEN instr(phone_key, phone) > 0
            THEN phone_key ELSE phone || ' ' || phone_key END
    FROM contacts;

-- A contentless table forgets a row only when told its indexed text: each trigger
-- spells the text as the insert does, from the row being deleted or changed.
CREATE TRIGGER contacts_phone_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_phone (rowid, digits)
        VALUES (new.seq, CASE WHEN instr(new.phone_key, new.phone) > 0
            THEN new.phone_key ELSE new.phone || ' ' || new.phone_key END);
END;

CREATE TRIGGER contacts_phone_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_phone (contacts_phone, rowid, digits)
        VALUES ('delete', old.seq, CASE WHEN instr(old.phone_key, old.phone) > 0
            THEN old.phone_key ELSE old.phone || ' ' || old.phone_key END);
END;

CREATE TRIGGER contacts_phone_after_update AFTER UPDATE OF phone, phone_key ON contacts
WHEN old.phone IS NOT new.phone OR old.phone_key IS NOT new.phone_key BEGIN
    INSERT INTO contacts_phone (contacts_phone, rowid, digits)
        VALUES ('delete', old.seq, CASE WHEN instr(old.phone_key, old.phone) > 0
            THEN old.phone_key ELSE old.phone || ' ' || old.phone_key END);
    INSERT INTO contacts_phone (rowid, digits)
        VALUES (new.seq, CASE WHEN instr(new.phone_key, new.phone) > 0
            THEN new.phone_key ELSE new.phone || ' ' || new.phone_key END);
END;
