-- Migration 3. Run by the owner (`sitrep admin migrate`, or `init` after migration 2), in one
-- transaction with the version bump.
--
-- Row-level security checks an inserted row only after the BEFORE triggers, so the chain
-- trigger's refusals ("entry 9 of cb-… does not follow entry 1") answered a login that may not
-- write to the office at all, and told it what the office holds. This trigger runs first
-- (triggers fire in the order of their names) and refuses such a row before anything about
-- the office is read, with the policy's own rule: an office's officers append to it, its
-- supervisors and those above append reviews only; the owner is not held to it.
CREATE FUNCTION sitrep.entries_allowed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF NOT (sitrep.is_owner()
            OR NEW.office IN (SELECT sitrep.member_offices())
            OR (NEW.type = 'review' AND NEW.office IN (SELECT sitrep.supervised_offices()))) THEN
        RAISE EXCEPTION 'sitrep: row-level security: % may not append this entry to office %',
            session_user, NEW.office USING ERRCODE = 'insufficient_privilege',
            HINT = 'An office''s officers append to its incidents; its supervisors, and those above, append reviews only.';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION sitrep.entries_allowed() FROM PUBLIC;
CREATE TRIGGER entries_allowed BEFORE INSERT ON sitrep.entries
    FOR EACH ROW WHEN (NOT NEW.imported OR current_setting('sitrep.bulk', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION sitrep.entries_allowed();
