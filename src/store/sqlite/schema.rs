//! The database schema, as numbered migrations under `PRAGMA user_version`.
//!
//! Rules: migrations are append-only (never edit one that has shipped; add the next); each runs
//! inside the caller's immediate transaction together with the `user_version` bump, so a crash
//! leaves the database at the old version or the new one, never between.
//!
//! The tables:
//! - `rules`: every rules text ever used, by SHA-256; incidents are pinned to one.
//! - `entries`: the record. Append-only (triggers refuse UPDATE and DELETE; with
//!   `recursive_triggers` on, the DELETE half of `INSERT OR REPLACE` is refused too), numbered
//!   1, 2, 3 … within an incident without gaps, and hash-chained in `seq` order.
//! - `incidents`: a projection of each incident's current state (title, severity, status,
//!   latest figures) kept in step with its entries inside the same transaction, for listing and
//!   for finding the incidents `check` must read. Rows cannot be deleted, their identity
//!   (id, day, number, rules) cannot change, and a row changes only with a new entry of its
//!   incident (migration 2).
//! - The schema is exactly what the migrations make ([`expected`]): every command compares it,
//!   trigger texts in full, so a guard dropped, emptied or joined by another trigger, view or
//!   table is seen.

/// sitrep's SQLite `application_id`: the bytes "SITR".
pub const APPLICATION_ID: i32 = 0x5349_5452;

/// One migration: SQL, or code for a change SQL alone cannot make (moving data between shapes).
/// Both run inside the migrating transaction, with the `user_version` bump.
#[derive(Clone, Copy)]
pub enum Migration {
    Sql(&'static str),
    #[allow(dead_code)] // none yet: the shape for the first data migration
    Code(fn(&rusqlite::Connection) -> rusqlite::Result<()>),
}

impl Migration {
    /// Runs the migration on `conn` (inside the caller's transaction).
    pub fn run(self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        match self {
            Migration::Sql(sql) => conn.execute_batch(sql),
            Migration::Code(f) => f(conn),
        }
    }
}

/// The migrations, in order; `user_version` is how many have run.
pub const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
        r#"
CREATE TABLE rules (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    first_used INTEGER NOT NULL
) STRICT;

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    rules TEXT NOT NULL REFERENCES rules (hash),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    occurred INTEGER NOT NULL,
    known INTEGER NOT NULL,
    filed INTEGER NOT NULL,
    closed INTEGER,
    location TEXT NOT NULL,
    unit TEXT NOT NULL,
    figures TEXT NOT NULL,
    last_at INTEGER NOT NULL,
    UNIQUE (day, number)
) STRICT;
CREATE INDEX incidents_open ON incidents (filed) WHERE closed IS NULL;
CREATE INDEX incidents_closed ON incidents (closed) WHERE closed IS NOT NULL;
CREATE INDEX incidents_filed ON incidents (filed);

CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,
    incident TEXT NOT NULL REFERENCES incidents (id),
    n INTEGER NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    recorded INTEGER NOT NULL,
    by TEXT NOT NULL,
    os_user TEXT NOT NULL,
    imported INTEGER NOT NULL,
    simulated INTEGER NOT NULL,
    body TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (incident, n)
) STRICT;
CREATE INDEX entries_at ON entries (at);

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN
    SELECT RAISE(ABORT, 'sitrep: entries are append-only; record a correction instead');
END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'sitrep: entries are append-only; nothing can be deleted');
END;
CREATE TRIGGER entries_in_sequence BEFORE INSERT ON entries
WHEN NEW.n IS NOT (SELECT COALESCE(MAX(n), 0) + 1 FROM entries WHERE incident = NEW.incident)
  OR NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
  OR NEW.prev IS NOT COALESCE((SELECT hash FROM entries ORDER BY seq DESC LIMIT 1),
                              '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'sitrep: an entry must follow the last one: next number, next position, previous hash');
END;

CREATE TRIGGER rules_no_update BEFORE UPDATE ON rules
BEGIN
    SELECT RAISE(ABORT, 'sitrep: stored rules texts cannot change');
END;
CREATE TRIGGER rules_no_delete BEFORE DELETE ON rules
BEGIN
    SELECT RAISE(ABORT, 'sitrep: stored rules texts cannot be deleted');
END;

CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN
    SELECT RAISE(ABORT, 'sitrep: incidents cannot be deleted');
END;
CREATE TRIGGER incidents_identity BEFORE UPDATE OF id, day, number, rules ON incidents
WHEN NEW.id IS NOT OLD.id OR NEW.day IS NOT OLD.day OR NEW.number IS NOT OLD.number
  OR NEW.rules IS NOT OLD.rules
BEGIN
    SELECT RAISE(ABORT, 'sitrep: an incident''s id and rules cannot change');
END;
"#,
    ),
    // 2: the projection follows the entries. A row changes only in the write that appends an
    // entry of its incident (that entry is the chain's last), and it says closed exactly when a
    // final report exists, so no UPDATE can hide an incident from `check` unless a trigger is
    // dropped or altered, which every command sees (the schema is compared in full).
    Migration::Sql(
        r#"
CREATE TRIGGER incidents_follow_entries BEFORE UPDATE ON incidents
WHEN (SELECT MAX(seq) FROM entries WHERE incident = NEW.id) IS NOT (SELECT MAX(seq) FROM entries)
  OR (NEW.closed IS NULL) = EXISTS (SELECT 1 FROM entries WHERE incident = NEW.id AND type = 'final')
BEGIN
    SELECT RAISE(ABORT, 'sitrep: an incident''s row follows its entries: it changes only with a new entry of that incident');
END;
"#,
    ),
];

/// The schema the first `version` migrations make, as `sqlite_master` holds it: (type, name,
/// table, SQL), sorted. Built by running them on an empty in-memory database, so the expected
/// text is exactly what SQLite stores, and no copy of it can drift from the migrations.
pub fn expected(version: usize) -> rusqlite::Result<Vec<SchemaObject>> {
    let conn = rusqlite::Connection::open_in_memory()?;
    for m in MIGRATIONS.iter().take(version) {
        m.run(&conn)?;
    }
    objects(&conn)
}

/// The digest of the schema all migrations make, so that opening a sound file costs one read of
/// `sqlite_master`; the unit test `the_current_digest_is_the_migrations` keeps it true.
pub const CURRENT_DIGEST: &str = "c933b4747713a5f2219f19b47dd842312280008d641373ae4073de199977e7cd";

/// SHA-256 over the objects, each field length-prefixed.
pub fn digest(objects: &[SchemaObject]) -> String {
    let mut text = String::new();
    for o in objects {
        for f in [&o.kind, &o.name, &o.table, o.sql.as_deref().unwrap_or("\0")] {
            text.push_str(&format!("{}:{f};", f.len()));
        }
    }
    crate::sha::sha256_hex(text.as_bytes())
}

/// One object of `sqlite_master`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaObject {
    pub kind: String,
    pub name: String,
    pub table: String,
    pub sql: Option<String>,
}

/// What `sqlite_master` of `conn` holds, sorted; SQLite's statistics tables (from `ANALYZE`)
/// are its own and left out.
pub fn objects(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SchemaObject {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub use crate::store::walk::GENESIS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_digest_is_the_migrations() {
        let objects = expected(MIGRATIONS.len()).expect("migrations run");
        assert_eq!(
            digest(&objects),
            CURRENT_DIGEST,
            "a migration was added: set CURRENT_DIGEST to this digest"
        );
    }
}
