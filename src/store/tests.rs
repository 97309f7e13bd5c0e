//! Storage tests on temporary files: migrations, transactions, guards, query plans.

use chrono::DateTime;

use super::*;
use crate::domain::model::{Body, Instant};

fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).expect("valid").to_utc()
}

fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.db");
    (dir, path)
}

#[test]
fn migrations_run_once_and_twice_is_a_no_op() {
    let (_dir, path) = temp();
    let s = Store::open_or_create(&path).expect("created");
    let version: i64 = s
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, schema::MIGRATIONS.len() as i64);
    drop(s);
    let s = Store::open(&path).expect("opens again");
    let id: i32 = s
        .conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .expect("id");
    assert_eq!(id, schema::APPLICATION_ID);
}

#[test]
fn a_failed_write_rolls_back() {
    let (_dir, path) = temp();
    let mut s = Store::open_or_create(&path).expect("created");
    let r: Result<()> = s.write(|tx| {
        tx.store_rules("h", "text", t("2026-03-10T14:00:00+08:00"))?;
        anyhow::bail!("refused")
    });
    assert!(r.is_err());
    let n: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM rules", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0);
}

#[test]
fn a_stale_head_cannot_extend_the_chain() {
    let (_dir, path) = temp();
    let mut s = Store::open_or_create(&path).expect("created");
    let at = t("2026-03-10T14:00:00+08:00");
    let r = s.write(|tx| {
        tx.store_rules("h", "text", at)?;
        tx.conn().execute(
            "INSERT INTO incidents (id, day, number, rules, title, kind, severity, occurred, known, \
             filed, closed, location, unit, figures, last_at) VALUES ('20260310-001', '20260310', 1, \
             'h', 't', 'gas', 'general', 0, 0, 0, NULL, 'l', 'u', '{}', 0)",
            [],
        )?;
        let body = Body::Reclassification {
            from: "a".into(),
            to: "b".into(),
            reported_in: 1,
        };
        let e = NewEntry {
            incident: "20260310-001",
            n: 1,
            at,
            recorded: at,
            by: "a",
            os_user: "a",
            imported: false,
            simulated: false,
            body: &body,
        };
        tx.append(&e)?;
        // The same head again: the trigger refuses a second entry claiming position 1.
        let stale = (0, schema::GENESIS.to_owned());
        let again = NewEntry { n: 2, ..e };
        Ok(tx.append_after(&stale, &again).is_err())
    });
    assert!(r.expect("write"), "a stale head was accepted");
}

/// Every scope query reads by index: no full scan of incidents or entries, so its cost follows
/// the scope, not the history (the guard for DESIGN.md §10's "grows with open incidents").
#[test]
fn scope_queries_never_scan_the_history() {
    let (_dir, path) = temp();
    let s = Store::open_or_create(&path).expect("created");
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
        let (q1, _, _) = scope.incidents_sql();
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
