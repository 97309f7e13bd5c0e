//! Storage tests on temporary files: migrations, transactions, guards, query plans.

use chrono::DateTime;

use super::*;
use crate::domain::model::{Body, Entry, Instant};

fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).expect("valid").to_utc()
}

fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.db");
    (dir, path)
}

fn entry(n: u32, at: Instant) -> Entry {
    Entry {
        n,
        at,
        recorded: at,
        by: "a".into(),
        os_user: "a".into(),
        imported: false,
        simulated: false,
        hash: String::new(),
        body: Body::Reclassification {
            from: "a".into(),
            to: "b".into(),
            reported_in: 1,
        },
    }
}

#[test]
fn migrations_run_once_and_twice_is_a_no_op() {
    let (_dir, path) = temp();
    let s = SqliteStore::open_or_create(&path).expect("created");
    assert_eq!(version(&s.conn).expect("version"), schema::MIGRATIONS.len());
    drop(s);
    let s = SqliteStore::open(&path).expect("opens again");
    let id: i32 = s
        .conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .expect("id");
    assert_eq!(id, schema::APPLICATION_ID);
    assert!(s.damage.is_empty(), "{:?}", s.damage);
}

#[test]
fn a_stale_head_cannot_extend_the_chain() {
    let (_dir, path) = temp();
    let mut s = SqliteStore::open_or_create(&path).expect("created");
    let at = t("2026-03-10T14:00:00+08:00");
    let tx = s
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .expect("tx");
    incidents::store_rules(&tx, "h", "text", at).expect("rules");
    tx.execute(
        "INSERT INTO incidents (id, day, number, rules, title, kind, severity, occurred, known, \
         filed, closed, location, unit, figures, last_at) VALUES ('20260310-001', '20260310', 1, \
         'h', 't', 'gas', 'general', 0, 0, 0, NULL, 'l', 'u', '{}', 0)",
        [],
    )
    .expect("row");
    let mut head = entries::head(&tx).expect("head");
    entries::append(&tx, &mut head, "20260310-001", &entry(1, at)).expect("first");
    // The same head again: the trigger refuses a second entry claiming position 1.
    let mut stale = (0, schema::GENESIS.to_owned());
    let again = entries::append(&tx, &mut stale, "20260310-001", &entry(2, at));
    assert!(again.is_err(), "a stale head was accepted");
}

/// Every scope query reads by index: no full scan of incidents or entries, so its cost follows
/// the scope, not the history (the guard for DESIGN.md §10's "grows with open incidents").
#[test]
fn scope_queries_never_scan_the_history() {
    let (_dir, path) = temp();
    let s = SqliteStore::open_or_create(&path).expect("created");
    let (a, b) = (
        t("2026-03-10T08:00:00+08:00"),
        t("2026-03-11T08:00:00+08:00"),
    );
    for scope in [
        Scope::Check {
            at: b,
            closed_after: a,
        },
        Scope::Window { from: a, to: b },
    ] {
        let (q1, _, _) = incidents::incidents_sql(scope);
        let (q2, _, _) = entries::scope_entries_sql(scope);
        for q in [q1, q2] {
            let mut stmt = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {q}"))
                .expect("plan");
            let plan: Vec<String> = stmt
                .query_map([a.timestamp(), b.timestamp()], |r| r.get::<_, String>(3))
                .expect("rows")
                .map(|r| r.expect("row"))
                .collect();
            // A scan of the partial index of open incidents reads the open incidents only.
            assert!(
                plan.iter()
                    .all(|p| !p.starts_with("SCAN") || p.ends_with("USING INDEX incidents_open")),
                "{scope:?} scans:\n{}",
                plan.join("\n")
            );
        }
    }
}
