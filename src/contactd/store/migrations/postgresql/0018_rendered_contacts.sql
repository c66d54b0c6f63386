-- Each contact's renderings, computed once when the row is written (store/
-- postgres_renderings.py, which derives these statements from domain/card.py; a test
-- holds this file to it): the v3 card, as SQLite's 0005 keeps it, and the head of the v1
-- entry (every field but the notes, which a page appends as stored, so that the notes
-- are not kept twice). A page then joins one stored text per row, where rendering
-- them at read time cost PostgreSQL more than reading the rows (bench/profile.md,
-- "the card as JSON").
--
-- row_to_json of a composite type writes the object compact, its keys in the type's
-- order, the same bytes the read-time rendering wrote. It is STABLE only because some
-- types' output depends on settings (dates); uuid, text and bigint render the same
-- everywhere, so the functions that apply it to these columns are IMMUTABLE, as a
-- generated column requires. Each keeps the search path it was created with:
-- pg_restore loads a table with an empty one, where the type would not be found.
-- A STORED generated column is computed on every INSERT and UPDATE of the row, so no
-- write path can leave it out of step. Adding the two rewrites the table once. The
-- card's column is v3_card, not card: processes of an earlier release, still serving
-- while a newer one migrates, render the card from a subquery they call card.
CREATE TYPE contact_card AS (
    contact_id uuid, phone_no text, first_name text, last_name text, email_id text,
    company text, job_title text
);

CREATE FUNCTION contact_card(uuid, text, text, text, text, text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
    AS $$ SELECT row_to_json(ROW($1, $2, $3, $4, $5, $6, $7)::contact_card)::text
$$;

CREATE TYPE v1_entry_head AS (
    "agent" text, "inet_no" bigint, "name" text, "mobile" bigint, "tag" text,
    "time" bigint, "remindme" bigint, "status" text, "email" text, "info" text
);

CREATE FUNCTION v1_entry_head(text, bigint, text, text, text, text, bigint, bigint, text, text, text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
    AS $$ SELECT row_to_json(ROW(
        $1, $2, CASE WHEN $4 = '' THEN $3 WHEN $3 = '' THEN $4 ELSE $3 || ' ' || $4 END,
        $5::bigint, $6, $7, $8, $9, $10, $11)::v1_entry_head)::text
$$;

ALTER TABLE contacts
    ADD COLUMN v3_card text NOT NULL GENERATED ALWAYS AS (
        contact_card(contact_id, phone, first_name, last_name, email, company, job_title)) STORED,
    ADD COLUMN v1_head text NOT NULL GENERATED ALWAYS AS (
        v1_entry_head(saved_by, app_id, first_name, last_name, phone, tag, created_at, remindme,
            status, email, info)) STORED;
