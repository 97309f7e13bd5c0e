//! The record made to lie with SQL on the file (issue cases 1–4 and 11): each is refused by the
//! guards, or named by `verify` — and by the reading commands for what they read.

use rusqlite::{Connection, params};
use serde_json::json;

use super::{around_triggers, damaged, refused_by_sqlite};
use crate::env::TestEnv;

/// Two incidents with the leaders overdue at 14:40.
fn two_open(env: &mut TestEnv) -> (String, String) {
    let a = env.file(&[]);
    let b = env.file(&["--title", "燃气泄漏", "--kind", "gas"]);
    env.at("2026-03-10T14:40:00+08:00");
    (a, b)
}

/// Case 1: a row changed to say closed, filed later, or another title and class.
#[test]
fn a_tampered_row_is_refused_or_named_and_never_shown() {
    let mut env = TestEnv::new();
    let (a, b) = two_open(&mut env);
    // Without touching a trigger, the rows cannot be changed.
    for sql in [
        "UPDATE incidents SET closed = 1",
        "UPDATE incidents SET filed = 4000000000",
        "UPDATE incidents SET title = '演练', severity = 'general'",
    ] {
        let e = refused_by_sqlite(&env, sql);
        assert!(e.contains("follows its entries"), "{sql}: {e}");
    }
    assert_eq!(env.run(&["check"]).code, 3, "check still sees both");

    // Dropping the guard and putting it back: verify names each row and the field.
    around_triggers(
        &env,
        &["incidents_follow_entries"],
        "UPDATE incidents SET closed = 1",
    );
    let r = env.run(&["verify"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    for id in [&a, &b] {
        assert!(
            r.stdout.contains(&format!(
                "the row of {id} differs from its entries in closed"
            )),
            "{}",
            r.stdout
        );
    }

    // A row with another title and class: `show` shows what the entries say, and names it.
    let mut env = TestEnv::new();
    let (a, _) = two_open(&mut env);
    env.ok(&["update", &a, "--progress", "搜救", "--deaths", "4"]);
    around_triggers(
        &env,
        &["incidents_follow_entries"],
        &format!("UPDATE incidents SET title = '消防演练', severity = 'general' WHERE id = '{a}'"),
    );
    let r = env.run(&["show", &a, "--format", "json"]);
    assert_eq!(r.code, 3);
    let row: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(row["title"], json!("化工厂储罐泄漏"));
    assert_eq!(row["severity"], json!("larger"));
    assert!(
        damaged(&r.stderr)
            .iter()
            .any(|d| d.contains(&a) && d.contains("title, severity")),
        "{}",
        r.stderr
    );
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 3);
    assert!(
        v["damaged"][0]["message"]
            .as_str()
            .expect("message")
            .contains(&a)
    );

    // A filing time moved out of the day: the digest still lists it as new, from its entries.
    let mut env = TestEnv::new();
    let (a, _) = two_open(&mut env);
    around_triggers(
        &env,
        &["incidents_follow_entries"],
        &format!("UPDATE incidents SET filed = filed + 864000 WHERE id = '{a}'"),
    );
    let r = env.run(&["digest", "--date", "2026-03-10", "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert!(
        v["new"]
            .as_array()
            .expect("new")
            .iter()
            .any(|i| i["id"] == json!(a))
    );
    assert!(
        damaged(&r.stderr).iter().any(|d| d.contains("filed")),
        "{}",
        r.stderr
    );
}

/// Case 1, last part: triggers added to make the tampering permanent for new filings.
#[test]
fn a_trigger_that_is_not_sitreps_is_named_by_every_command() {
    let mut env = TestEnv::new();
    two_open(&mut env);
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch(
        "CREATE TRIGGER hide AFTER INSERT ON entries BEGIN SELECT 1; END;
         CREATE VIEW quiet AS SELECT * FROM incidents;",
    )
    .expect("added");
    drop(c);
    for args in [&["verify"][..], &["check"][..], &["list"][..]] {
        let r = env.run(args);
        assert_eq!(r.code, 3, "{args:?}: {}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            all.contains("`trigger hide (entries)` is not part of sitrep's schema"),
            "{args:?}: {all}"
        );
        assert!(
            all.contains("`view quiet (quiet)` is not part of sitrep's schema"),
            "{args:?}: {all}"
        );
    }
}

/// Case 2: a lax copy of the rules under its own hash, and the row repointed to it. The incident
/// is still judged under the rules its hashed initial report names.
#[test]
fn rules_repointed_in_the_row_change_nothing_and_are_named() {
    let mut env = TestEnv::new();
    let (a, _) = two_open(&mut env);
    let lax = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
        .expect("rules")
        .replace("within = \"15m\"", "within = \"30d\"");
    let hash = sitrep::sha::sha256_hex(lax.as_bytes());
    let c = Connection::open(&env.db).expect("opens");
    c.execute(
        "INSERT INTO rules (hash, text, first_used) VALUES (?1, ?2, 0)",
        params![hash, lax],
    )
    .expect("inserted");
    drop(c);
    around_triggers(
        &env,
        &["incidents_identity", "incidents_follow_entries"],
        &format!("UPDATE incidents SET rules = '{hash}' WHERE id = '{a}'"),
    );
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 3);
    let overdue: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["incident"] == json!(a) && f["kind"] == json!("overdue"))
        .map(|f| f["step"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(overdue.contains(&"leader-in-charge".to_owned()), "{v}");
    let r = env.run(&["verify"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout
            .contains(&format!("{a}'s row names the rules {hash}")),
        "{}",
        r.stdout
    );
    let r = env.run(&["show", &a, "--format", "json"]);
    assert_eq!(r.code, 3);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_ne!(
        v["rules"],
        json!(hash),
        "shows the rules it was filed under"
    );
}

/// Case 3: a guard trigger recreated with an empty body is caught by its text.
#[test]
fn a_guard_emptied_under_its_name_is_caught() {
    let mut env = TestEnv::new();
    two_open(&mut env);
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch(
        "DROP TRIGGER entries_no_update;
         CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT 1; END;",
    )
    .expect("replaced");
    drop(c);
    for args in [&["verify"][..], &["check"][..]] {
        let r = env.run(args);
        assert_eq!(r.code, 3, "{args:?}");
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            all.contains("`entries_no_update` differs from sitrep's"),
            "{all}"
        );
    }
}

/// Case 4: an entry forged with correct links, recorded "5 minutes after known", before entries
/// already there: caught by the recorded times, which run backwards along the chain.
#[test]
fn a_forged_entry_with_a_recomputed_chain_is_caught_by_its_recorded_time() {
    let mut env = TestEnv::new();
    // The system clock, not a simulated one: recorded times are this machine's.
    env.env("SITREP_NOW", "");
    let out = env.ok(&crate::env::file_args(&[
        "--occurred",
        "3h ago",
        "--known",
        "2h ago",
    ]));
    let id = out.lines().next().expect("id").to_owned();
    env.ok(&["escalate", &id, "--level", "city"]);
    assert_eq!(env.run(&["verify"]).code, 0);
    let c = Connection::open(&env.db).expect("opens");
    let (seq, prev, known): (i64, String, i64) = c
        .query_row(
            "SELECT MAX(seq), (SELECT hash FROM entries ORDER BY seq DESC LIMIT 1), \
             (SELECT known FROM incidents) FROM entries",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("head");
    let body = r#"{"escalation":{"level":"leader_in_charge","channel":"phone"}}"#;
    let forged_at = known + 300;
    let link = sitrep::store::chain::Link {
        seq: seq + 1,
        incident: &id,
        n: 3,
        entry_type: "escalation",
        at: forged_at,
        recorded: forged_at,
        by: "值班员张三",
        os_user: "duty",
        imported: false,
        simulated: false,
        body,
    };
    let hash = sitrep::store::chain::entry_hash(&prev, &link);
    c.execute(
        "INSERT INTO entries (seq, incident, n, type, at, recorded, by, os_user, imported, \
         simulated, body, prev, hash) VALUES (?1, ?2, 3, 'escalation', ?3, ?3, '值班员张三', 'duty', 0, 0, ?4, ?5, ?6)",
        params![seq + 1, id, forged_at, body, prev, hash],
    )
    .expect("the forged entry passes the insert trigger");
    drop(c);
    let r = env.run(&["verify"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "entry 3 of {id} (position {}) was recorded at",
            seq + 1
        )),
        "{}",
        r.stdout
    );
}

/// Case 11: one incident whose record cannot be replayed does not blind `check`.
#[test]
fn one_unreplayable_incident_leaves_the_others_judged() {
    let mut env = TestEnv::new();
    let (a, b) = two_open(&mut env);
    // An entry with correct links that no replay accepts (a follow-up before the incident).
    let c = Connection::open(&env.db).expect("opens");
    let (seq, prev): (i64, String) = c
        .query_row(
            "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("head");
    let n: i64 = c
        .query_row(
            "SELECT MAX(n) FROM entries WHERE incident = ?1",
            [&a],
            |r| r.get(0),
        )
        .expect("n");
    let body = r#"{"report":{"text":"伪造"}}"#;
    let link = sitrep::store::chain::Link {
        seq: seq + 1,
        incident: &a,
        n: n + 1,
        entry_type: "followup",
        at: 0,
        recorded: 0,
        by: "x",
        os_user: "x",
        imported: false,
        simulated: true,
        body,
    };
    let hash = sitrep::store::chain::entry_hash(&prev, &link);
    c.execute(
        "INSERT INTO entries VALUES (?1, ?2, ?3, 'followup', 0, 0, 'x', 'x', 0, 1, ?4, ?5, ?6)",
        params![seq + 1, a, n + 1, body, prev, hash],
    )
    .expect("inserted");
    drop(c);
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 3);
    assert_eq!(v["damaged"][0]["incident"], json!(a), "{v}");
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["incident"] == json!(b) && f["kind"] == json!("overdue")),
        "the other incident is still judged: {v}"
    );
}
