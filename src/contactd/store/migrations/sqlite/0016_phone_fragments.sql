-- The console's search by digits (/x/contacts/search) counts from per-app counts of the
-- digit runs of 3 and 4 the numbers hold, as the name search counts from name_fragments
-- (0015): a 4-digit query is in thousands of the file's numbers, and counting its
-- matches through contacts_phone (0010) read each of them. The text is the one
-- contacts_phone indexes (the number sent, and the phone key when it does not hold it).
-- Triggers append each change here; the store's fragment fold takes them with the name
-- changes (store/sqlite_fragment_fold.py), and a count adds those not folded yet.
CREATE TABLE phone_fragments (
    app_id   INTEGER NOT NULL,
    fragment TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (app_id, fragment)
) WITHOUT ROWID;

CREATE TABLE phone_pending (
    id     INTEGER PRIMARY KEY,
    app_id INTEGER NOT NULL,
    digits TEXT    NOT NULL,
    delta  INTEGER NOT NULL
);
-- What a count reads of its app's pending changes, without the rows.
CREATE INDEX phone_pending_by_app ON phone_pending (app_id, digits, delta);

CREATE TRIGGER contacts_phone_pending_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO phone_pending (app_id, digits, delta)
        VALUES (new.app_id, CASE WHEN instr(new.phone_key, new.phone) > 0
            THEN new.phone_key ELSE new.phone || ' ' || new.phone_key END, 1);
END;

CREATE TRIGGER contacts_phone_pending_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO phone_pending (app_id, digits, delta)
        VALUES (old.app_id, CASE WHEN instr(old.phone_key, old.phone) > 0
            THEN old.phone_key ELSE old.phone || ' ' || old.phone_key END, -1);
END;

CREATE TRIGGER contacts_phone_pending_after_update AFTER UPDATE OF phone, phone_key ON contacts
WHEN old.phone IS NOT new.phone OR old.phone_key IS NOT new.phone_key BEGIN
    INSERT INTO phone_pending (app_id, digits, delta)
        VALUES (old.app_id, CASE WHEN instr(old.phone_key, old.phone) > 0
            THEN old.phone_key ELSE old.phone || ' ' || old.phone_key END, -1),
        (new.app_id, CASE WHEN instr(new.phone_key, new.phone) > 0
            THEN new.phone_key ELSE new.phone || ' ' || new.phone_key END, 1);
END;

-- The numbers already stored, counted by the fold after the upgrade.
INSERT INTO phone_pending (app_id, digits, delta)
    SELECT app_id, CASE WHEN instr(phone_key, phone) > 0
        THEN phone_key ELSE phone || ' ' || phone_key END, 1
    FROM contacts ORDER BY seq;
