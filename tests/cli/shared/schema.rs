//! The shared store's schema across versions: a store made at schema 1 is read as it is,
//! refused for writing until its owner migrates it, and goes on after `admin migrate` with its
//! chains whole; a store is made only in a UTF-8 database.

use super::env::Shared;
use crate::pg::cluster::{cluster, ident};

const A: &str = "甲县值班员";

/// What migrations 3 and 2 changed, put back: the store as schema 1 left it.
const BACK_TO_1: &str = "
    DROP TRIGGER entries_allowed ON sitrep.entries;
    DROP FUNCTION sitrep.entries_allowed();
    ALTER TABLE sitrep.entries DROP CONSTRAINT entries_incident_office_fkey;
    ALTER TABLE sitrep.incidents DROP CONSTRAINT incidents_id_office;
    ALTER TABLE sitrep.entries
        ADD CONSTRAINT entries_office_fkey FOREIGN KEY (office) REFERENCES sitrep.offices (code),
        ADD CONSTRAINT entries_incident_fkey FOREIGN KEY (incident) REFERENCES sitrep.incidents (id);
    CREATE OR REPLACE FUNCTION sitrep.chain_field(name text, value text) RETURNS text
    LANGUAGE sql STABLE
    RETURN name || '=' || octet_length(convert_to(value, 'UTF8')) || ':' || value || E'\\n';
    UPDATE sitrep.meta SET value = '1' WHERE key = 'version';";

fn constraints(s: &Shared<'_>) -> String {
    s.owner_sql(
        "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint \
         WHERE conrelid = 'sitrep.entries'::regclass AND contype = 'f'",
    )
}

#[test]
fn a_store_at_schema_1_is_read_as_it_is_and_written_again_once_its_owner_migrates_it() {
    let Some(s) = Shared::city() else {
        return;
    };
    s.grant("ca", A, false);
    let first = s.file_as(A, &["--title", "化工园区储罐泄漏"]);
    s.ok_as(A, &["update", &first, "--progress", "已控制泄漏点"]);
    s.owner_sql(BACK_TO_1);
    assert_eq!(constraints(&s), "entries_incident_fkey entries_office_fkey");

    // Readers read it; a writer is told who migrates it, and nothing is written.
    let listed = s.ok_as(A, &["list"]);
    assert!(listed.contains(&first), "{listed}");
    let r = s.run_as(A, &["update", &first, "--progress", "续报"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("schema 1") && r.stderr.contains("admin migrate"),
        "{}",
        r.stderr
    );
    assert_eq!(
        s.owner_sql(&format!(
            "SELECT count(*) FROM sitrep.entries WHERE incident = '{first}'"
        )),
        "2"
    );
    // Only the owner migrates.
    let r = s.run_as(A, &["admin", "migrate"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("owner"), "{}", r.stderr);

    s.owner_ok(&["admin", "migrate"]);
    assert_eq!(
        s.owner_sql("SELECT value FROM sitrep.meta WHERE key = 'version'"),
        "3"
    );
    assert_eq!(
        s.owner_sql("SELECT count(*) FROM pg_trigger WHERE tgname = 'entries_allowed'"),
        "1"
    );
    assert_eq!(constraints(&s), "entries_incident_office_fkey");
    // The chain goes on from where schema 1 left it, and holds.
    s.ok_as(A, &["update", &first, "--progress", "续报"]);
    let second = s.file_as(A, &["--title", "国道塌方"]);
    assert!(second.ends_with("-002"), "{second}");
    let verified = s.owner_ok(&["verify"]);
    assert!(verified.contains("office ca: 4 entries"), "{verified}");
}

/// The one foreign key of migration 2 holds where no trigger looks: an owner's imported row
/// (which passes the triggers under `sitrep.bulk`) cannot name another office's incident.
#[test]
fn an_entry_cannot_belong_to_another_offices_incident_even_past_the_triggers() {
    let Some(s) = Shared::city() else {
        return;
    };
    s.grant("ca", A, false);
    let id = s.file_as(A, &[]);
    let mut e = s.entry(&id, 1);
    e.office = "cb".to_owned();
    e.seq = 1;
    e.n = 2;
    e.entry_type = "update".to_owned();
    e.imported = true;
    let sql = format!(
        "BEGIN; SELECT set_config('sitrep.bulk', 'on', true); {}; COMMIT;",
        e.insert()
    );
    let out = s.psql(s.owner(), &sql);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("entries_incident_office_fkey"),
        "the row went in: {err}"
    );
    assert_eq!(
        s.owner_sql("SELECT count(*) FROM sitrep.entries WHERE office = 'cb'"),
        "0"
    );
}

#[test]
fn a_store_is_made_only_in_a_utf8_database() {
    let Some(c) = cluster() else {
        return;
    };
    let db = format!("sitrep_ascii_{}", std::process::id());
    c.psql_ok(
        "postgres",
        c.superuser(),
        &format!(
            "CREATE DATABASE {} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0",
            ident(&db)
        ),
    );
    let s = Shared {
        env: crate::env::TestEnv::new(),
        cluster: c,
        db: db.clone(),
        test_clock: true,
    };
    let r = s.run_as(s.owner(), &["init", "--test-clock"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("SQL_ASCII") && r.stderr.contains("createdb -E UTF8"),
        "{}",
        r.stderr
    );
    assert_eq!(
        c.psql_ok(
            &db,
            c.superuser(),
            "SELECT to_regnamespace('sitrep') IS NULL"
        )
        .trim(),
        "t",
        "a schema was made"
    );
}
