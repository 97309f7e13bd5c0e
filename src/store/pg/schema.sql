-- sitrep's schema on PostgreSQL, migration 1. Run by the owner (`sitrep init`), in one
-- transaction with the version bump. `:users` is replaced by the store's group role, of which
-- every office role is a member.
--
-- Who may do what is PostgreSQL's to enforce, not the client's: office roles hold SELECT and
-- INSERT (entries only); everything derived (the incidents projection, the chain heads, the
-- day counters) is written by the trigger below, owned by the owner; row-level security lets
-- an officer read and append to its own office, a supervisor read its office's tree and append
-- reviews to it.

CREATE SCHEMA sitrep;
REVOKE ALL ON SCHEMA sitrep FROM PUBLIC;

CREATE TABLE sitrep.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE sitrep.rules (
    hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    text text NOT NULL,
    first_used bigint NOT NULL
);

CREATE TABLE sitrep.offices (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9]{0,15}$'),
    name text NOT NULL,
    parent text REFERENCES sitrep.offices (code),
    officer_role text NOT NULL UNIQUE,
    supervisor_role text NOT NULL UNIQUE,
    created bigint NOT NULL
);

-- Each office's rules, every version kept; the latest is in force.
CREATE TABLE sitrep.office_rules (
    office text NOT NULL REFERENCES sitrep.offices (code),
    version int NOT NULL,
    hash text NOT NULL REFERENCES sitrep.rules (hash),
    since bigint NOT NULL,
    PRIMARY KEY (office, version)
);

-- One hash chain per office: its last position and hash.
CREATE TABLE sitrep.heads (
    office text PRIMARY KEY REFERENCES sitrep.offices (code),
    seq bigint NOT NULL,
    hash text NOT NULL
);

-- The last number given to an incident of an office known on a day.
CREATE TABLE sitrep.counters (
    office text NOT NULL REFERENCES sitrep.offices (code),
    day text NOT NULL,
    last int NOT NULL,
    PRIMARY KEY (office, day)
);

CREATE TABLE sitrep.incidents (
    id text PRIMARY KEY,
    office text NOT NULL REFERENCES sitrep.offices (code),
    day text NOT NULL,
    number int NOT NULL,
    rules text NOT NULL REFERENCES sitrep.rules (hash),
    title text NOT NULL,
    kind text NOT NULL,
    severity text NOT NULL,
    occurred bigint NOT NULL,
    known bigint NOT NULL,
    filed bigint NOT NULL,
    closed bigint,
    location text NOT NULL,
    unit text NOT NULL,
    figures text NOT NULL,
    last_at bigint NOT NULL,
    UNIQUE (office, day, number)
);
CREATE INDEX incidents_open ON sitrep.incidents (filed) WHERE closed IS NULL;
CREATE INDEX incidents_closed ON sitrep.incidents (closed) WHERE closed IS NOT NULL;
CREATE INDEX incidents_office ON sitrep.incidents (office, filed);

CREATE TABLE sitrep.entries (
    office text NOT NULL REFERENCES sitrep.offices (code),
    seq bigint NOT NULL,
    incident text NOT NULL REFERENCES sitrep.incidents (id),
    n int NOT NULL,
    type text NOT NULL,
    at bigint NOT NULL,
    recorded bigint NOT NULL,
    by text NOT NULL,
    os_user text NOT NULL,
    imported boolean NOT NULL,
    simulated boolean NOT NULL,
    body text NOT NULL,
    prev text NOT NULL,
    hash text NOT NULL,
    -- The row the incident's entries make with this one, as the writer replayed them; applied
    -- to `incidents` by the trigger and then cleared.
    projection text,
    PRIMARY KEY (office, seq),
    UNIQUE (incident, n)
);
CREATE INDEX entries_at ON sitrep.entries (at);
CREATE INDEX entries_recorded ON sitrep.entries (office, recorded);

-- Whether the session's login is the owner (or a member of the owner role).
CREATE FUNCTION sitrep.is_owner() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT pg_has_role(session_user, n.nspowner, 'MEMBER')
    FROM pg_namespace n WHERE n.nspname = 'sitrep'
$$;

-- The offices whose officer role the login holds.
CREATE FUNCTION sitrep.member_offices() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT code FROM sitrep.offices WHERE pg_has_role(session_user, officer_role, 'MEMBER')
$$;

-- The offices the login supervises: those whose supervisor role it holds, and all below them.
CREATE FUNCTION sitrep.supervised_offices() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    WITH RECURSIVE t(code) AS (
        SELECT code FROM sitrep.offices WHERE pg_has_role(session_user, supervisor_role, 'MEMBER')
        UNION
        SELECT o.code FROM sitrep.offices o JOIN t ON o.parent = t.code
    )
    SELECT code FROM t
$$;

-- The offices whose record the login may read.
CREATE FUNCTION sitrep.readable_offices() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT code FROM sitrep.offices WHERE sitrep.is_owner()
    UNION SELECT sitrep.member_offices()
    UNION SELECT sitrep.supervised_offices()
$$;

-- Takes an office's chain for this transaction (the writers of one office queue here; other
-- offices write at once). Only for an office the login may append to.
CREATE FUNCTION sitrep.lock_office(office_code text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF NOT (sitrep.is_owner()
            OR office_code IN (SELECT sitrep.member_offices())
            OR office_code IN (SELECT sitrep.supervised_offices())) THEN
        RAISE EXCEPTION 'sitrep: % may not write to office %', session_user, office_code
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM sitrep.heads WHERE office = office_code FOR UPDATE;
END
$$;

-- The next number of an incident of an office known on a day, held for this transaction:
-- numbers have no gaps (a rolled-back filing gives its number back) and no two writers get
-- the same one (the second waits for the first).
CREATE FUNCTION sitrep.next_number(office_code text, day_text text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    last_number int;
BEGIN
    IF NOT (sitrep.is_owner() OR office_code IN (SELECT sitrep.member_offices())) THEN
        RAISE EXCEPTION 'sitrep: % may not file under office %', session_user, office_code
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO sitrep.counters (office, day, last) VALUES (office_code, day_text, 0)
        ON CONFLICT DO NOTHING;
    SELECT last INTO last_number FROM sitrep.counters
        WHERE office = office_code AND day = day_text FOR UPDATE;
    RETURN last_number + 1;
END
$$;

-- One `name=length:value` line of the chain's encoding (lengths in UTF-8 bytes). Both
-- functions have SQL-standard bodies, bound when created (so no search_path applies when they
-- run) and inlined where they are called: a SET clause or a plain SQL body would be planned
-- again at every call, twelve times an entry (a 50× difference on an import).
CREATE FUNCTION sitrep.chain_field(name text, value text) RETURNS text
LANGUAGE sql STABLE
RETURN name || '=' || octet_length(convert_to(value, 'UTF8')) || ':' || value || E'\n';

-- The hash of an entry that follows `prev`: the encoding `store/chain.rs` computes.
CREATE FUNCTION sitrep.entry_hash(prev text, seq bigint, incident text, n int, type text,
                                  at bigint, recorded bigint, by text, os_user text,
                                  imported boolean, simulated boolean, body text)
RETURNS text LANGUAGE sql STABLE
RETURN encode(sha256(convert_to(
        'sitrep-entry-v1' || E'\n'
        || sitrep.chain_field('prev', prev)
        || sitrep.chain_field('seq', seq::text)
        || sitrep.chain_field('incident', incident)
        || sitrep.chain_field('n', n::text)
        || sitrep.chain_field('type', type)
        || sitrep.chain_field('at', at::text)
        || sitrep.chain_field('recorded', recorded::text)
        || sitrep.chain_field('by', by)
        || sitrep.chain_field('os_user', os_user)
        || sitrep.chain_field('imported', CASE WHEN imported THEN '1' ELSE '0' END)
        || sitrep.chain_field('simulated', CASE WHEN simulated THEN '1' ELSE '0' END)
        || sitrep.chain_field('body', body),
        'UTF8')), 'hex');

-- Every entry passes here: the office, the login, the server's clock, the numbering, the chain
-- and the projection are the database's, whatever the client sent.
CREATE FUNCTION sitrep.entries_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    owner boolean := sitrep.is_owner();
    test_clock boolean := EXISTS (SELECT 1 FROM sitrep.meta WHERE key = 'test_clock');
    head record;
    last_n int;
    last_number int;
    day_text text;
    number_value int;
    p jsonb;
    has_final boolean;
BEGIN
    IF NEW.incident NOT LIKE NEW.office || '-%' THEN
        RAISE EXCEPTION 'sitrep: incident % is not of office %', NEW.incident, NEW.office
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.imported AND NOT owner THEN
        RAISE EXCEPTION 'sitrep: only the store''s owner imports entries'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.simulated AND NOT test_clock THEN
        RAISE EXCEPTION 'sitrep: a simulated clock (SITREP_NOW) is refused on a shared store'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT NEW.imported THEN
        IF NEW."by" IS DISTINCT FROM session_user::text THEN
            RAISE EXCEPTION 'sitrep: entries are made in the name of the login %, not %',
                session_user, NEW."by" USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT test_clock THEN
            NEW.recorded := floor(extract(epoch FROM clock_timestamp()))::bigint;
        END IF;
        IF NEW.at > NEW.recorded + 300 THEN
            RAISE EXCEPTION 'sitrep: entry % of % is claimed after the server''s clock',
                NEW.n, NEW.incident USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- A new incident: the next number of its office and day (counters before the chain, as
    -- next_number takes them).
    IF NEW.n = 1 THEN
        IF NEW.type <> 'initial' THEN
            RAISE EXCEPTION 'sitrep: the first entry of % must be its initial report', NEW.incident
                USING ERRCODE = 'check_violation';
        END IF;
        day_text := split_part(NEW.incident, '-', 2);
        number_value := split_part(NEW.incident, '-', 3)::int;
        INSERT INTO sitrep.counters (office, day, last) VALUES (NEW.office, day_text, 0)
            ON CONFLICT DO NOTHING;
        SELECT last INTO last_number FROM sitrep.counters
            WHERE office = NEW.office AND day = day_text FOR UPDATE;
        IF (NEW.imported AND number_value <= last_number)
           OR (NOT NEW.imported AND number_value <> last_number + 1) THEN
            RAISE EXCEPTION 'sitrep: % is not the next number of office % on %',
                NEW.incident, NEW.office, day_text USING ERRCODE = 'serialization_failure';
        END IF;
        UPDATE sitrep.counters SET last = number_value
            WHERE office = NEW.office AND day = day_text;
    ELSIF NEW.type = 'initial' THEN
        RAISE EXCEPTION 'sitrep: % has an initial report already', NEW.incident
            USING ERRCODE = 'check_violation';
    END IF;

    -- The office's chain is taken (its heads row locked, never updated here: a row rewritten
    -- at every entry of a long import grows a chain of versions each lookup then walks) and
    -- continued from its last entry; `heads` is brought up to date once, at commit.
    PERFORM 1 FROM sitrep.heads WHERE office = NEW.office FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sitrep: there is no office %', NEW.office
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT seq, hash INTO head FROM sitrep.entries WHERE office = NEW.office
        ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT 0::bigint AS seq, h.hash INTO head FROM sitrep.heads h WHERE h.office = NEW.office
            AND h.seq = 0;
    END IF;
    SELECT coalesce(max(n), 0) INTO last_n FROM sitrep.entries WHERE incident = NEW.incident;
    IF NEW.n <> last_n + 1 THEN
        RAISE EXCEPTION 'sitrep: entry % of % does not follow entry %', NEW.n, NEW.incident, last_n
            USING ERRCODE = 'serialization_failure';
    END IF;

    p := NEW.projection::jsonb;
    IF p IS NULL THEN
        RAISE EXCEPTION 'sitrep: entry % of % comes without the row it makes', NEW.n, NEW.incident
            USING ERRCODE = 'not_null_violation';
    END IF;
    has_final := NEW.type = 'final'
        OR EXISTS (SELECT 1 FROM sitrep.entries WHERE incident = NEW.incident AND type = 'final');
    IF (p->>'closed' IS NULL) = has_final THEN
        RAISE EXCEPTION 'sitrep: the row of % says closed exactly when a final report exists',
            NEW.incident USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.n = 1 THEN
        INSERT INTO sitrep.incidents (id, office, day, number, rules, title, kind, severity,
            occurred, known, filed, closed, location, unit, figures, last_at)
        VALUES (NEW.incident, NEW.office, day_text, number_value, p->>'rules', p->>'title',
            p->>'kind', p->>'severity', (p->>'occurred')::bigint, (p->>'known')::bigint,
            (p->>'filed')::bigint, (p->>'closed')::bigint, p->>'location', p->>'unit',
            p->>'figures', (p->>'last_at')::bigint);
    ELSE
        UPDATE sitrep.incidents SET title = p->>'title', kind = p->>'kind',
            severity = p->>'severity', occurred = (p->>'occurred')::bigint,
            known = (p->>'known')::bigint, filed = (p->>'filed')::bigint,
            closed = (p->>'closed')::bigint, location = p->>'location', unit = p->>'unit',
            figures = p->>'figures', last_at = (p->>'last_at')::bigint
        WHERE id = NEW.incident;
    END IF;

    NEW.seq := head.seq + 1;
    NEW.prev := head.hash;
    NEW.hash := sitrep.entry_hash(NEW.prev, NEW.seq, NEW.incident, NEW.n, NEW.type, NEW.at,
        NEW.recorded, NEW."by", NEW.os_user, NEW.imported, NEW.simulated, NEW.body);
    NEW.projection := NULL;
    RETURN NEW;
END
$$;
-- The owner's import (`store/pg/bulk.rs`) writes an office's incidents a batch at a time,
-- chained by the client and checked by the database before it commits: its imported rows,
-- under the transaction's `sitrep.bulk`, pass no trigger. Anyone may set that setting, but
-- only the owner may insert an imported row (the policy below; the owner is not held to it).
CREATE TRIGGER entries_insert BEFORE INSERT ON sitrep.entries
    FOR EACH ROW WHEN (NOT NEW.imported OR current_setting('sitrep.bulk', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION sitrep.entries_insert();

-- At commit, each office's head is its chain's last entry: the first entry of a transaction
-- to fire writes it, the rest find it current.
CREATE FUNCTION sitrep.entries_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    last record;
BEGIN
    SELECT seq, hash INTO last FROM sitrep.entries WHERE office = NEW.office
        ORDER BY seq DESC LIMIT 1;
    UPDATE sitrep.heads SET seq = last.seq, hash = last.hash
        WHERE office = NEW.office AND seq <> last.seq;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER entries_head AFTER INSERT ON sitrep.entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NOT NEW.imported OR current_setting('sitrep.bulk', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION sitrep.entries_head();

CREATE FUNCTION sitrep.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION 'sitrep: % is append-only; record a correction instead', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER entries_no_change BEFORE UPDATE OR DELETE ON sitrep.entries
    FOR EACH ROW EXECUTE FUNCTION sitrep.refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON sitrep.entries
    FOR EACH STATEMENT EXECUTE FUNCTION sitrep.refuse_change();
CREATE TRIGGER rules_no_change BEFORE UPDATE OR DELETE ON sitrep.rules
    FOR EACH ROW EXECUTE FUNCTION sitrep.refuse_change();
CREATE TRIGGER meta_no_change BEFORE UPDATE OR DELETE ON sitrep.meta
    FOR EACH ROW WHEN (OLD.key = 'test_clock') EXECUTE FUNCTION sitrep.refuse_change();

ALTER TABLE sitrep.incidents ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sitrep.incidents FOR SELECT
    USING (office IN (SELECT sitrep.readable_offices()));
ALTER TABLE sitrep.entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sitrep.entries FOR SELECT
    USING (office IN (SELECT sitrep.readable_offices()));
CREATE POLICY append ON sitrep.entries FOR INSERT
    WITH CHECK (NOT imported
                AND (office IN (SELECT sitrep.member_offices())
                     OR (type = 'review' AND office IN (SELECT sitrep.supervised_offices()))));

ALTER TABLE sitrep.heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sitrep.heads FOR SELECT
    USING (office IN (SELECT sitrep.readable_offices()));

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sitrep FROM PUBLIC;
GRANT USAGE ON SCHEMA sitrep TO :users;
GRANT SELECT ON sitrep.meta, sitrep.rules, sitrep.offices, sitrep.office_rules,
    sitrep.incidents, sitrep.entries, sitrep.heads TO :users;
GRANT INSERT ON sitrep.entries TO :users;
GRANT EXECUTE ON FUNCTION sitrep.is_owner(), sitrep.member_offices(),
    sitrep.supervised_offices(), sitrep.readable_offices(), sitrep.lock_office(text),
    sitrep.next_number(text, text), sitrep.chain_field(text, text),
    sitrep.entry_hash(text, bigint, text, int, text, bigint, bigint, text, text, boolean,
                      boolean, text) TO :users;
