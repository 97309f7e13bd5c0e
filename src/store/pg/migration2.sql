-- Migration 2. Run by the owner (`sitrep admin migrate`, or `init` after migration 1), in one
-- transaction with the version bump.
--
-- A shared store holds Chinese text and its chain is defined on UTF-8 bytes: the database's
-- encoding must be UTF-8 (`init` says so before it starts; this guards a store made before).
DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'sitrep: a shared store needs a database in UTF-8, not %',
            current_setting('server_encoding');
    END IF;
END
$$;

-- Each entry belongs to an incident of its own office: one foreign key says both what the two
-- it replaces said (the incident exists; the office exists, as every incident's does) and that
-- the entry's office is its incident's, and an import checks one key a row instead of two.
ALTER TABLE sitrep.incidents ADD CONSTRAINT incidents_id_office UNIQUE (id, office);
ALTER TABLE sitrep.entries ADD CONSTRAINT entries_incident_office_fkey
    FOREIGN KEY (incident, office) REFERENCES sitrep.incidents (id, office);
ALTER TABLE sitrep.entries DROP CONSTRAINT entries_incident_fkey,
    DROP CONSTRAINT entries_office_fkey;

-- In a UTF-8 database a text's length in bytes is its UTF-8 length: the same encoding as
-- before, without converting every field (a third of the cost of hashing an entry).
CREATE OR REPLACE FUNCTION sitrep.chain_field(name text, value text) RETURNS text
LANGUAGE sql STABLE
RETURN name || '=' || octet_length(value) || ':' || value || E'\n';
