//! Who may do what on a shared store (DESIGN.md §12), with raw SQL through each login's own
//! role as well as through sitrep: PostgreSQL enforces it, so `psql` can do no more than
//! sitrep. A city `cs` with counties `ca` and `cb`; an officer of each county, the city's
//! supervisor.

use serde_json::Value;

use super::env::{CITY_SUPERVISOR as CITY, COUNTY_A as A, COUNTY_B as B, Shared};

/// The city with an incident filed by each county's officer: (store, A's id, B's id).
fn two_counties() -> Option<(Shared<'static>, String, String)> {
    let s = Shared::staffed_city()?;
    let a = s.file_as(A, &[]);
    let b = s.file_as(B, &["--title", "乙县道路塌陷"]);
    assert_eq!(
        (a.as_str(), b.as_str()),
        ("ca-20260310-001", "cb-20260310-001")
    );
    Some((s, a, b))
}

fn count(s: &Shared<'_>, login: &str, sql: &str) -> i64 {
    let out = s.cluster.psql_ok(&s.db, login, sql);
    out.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{sql}: {out}"))
}

/// The ids of `list --format json`.
fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x["id"].as_str().expect("an id").to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn an_officer_reads_and_writes_only_its_own_office() {
    let Some((s, a, b)) = two_counties() else {
        return;
    };
    // What A's role can read: its office only, in every table that holds a record.
    for table in ["incidents", "entries", "heads"] {
        let sql = format!("SELECT count(*) FROM sitrep.{table} WHERE office <> 'ca'");
        assert_eq!(count(&s, A, &sql), 0, "{table}");
        let sql = format!("SELECT count(*) FROM sitrep.{table} WHERE office = 'ca'");
        assert!(count(&s, A, &sql) >= 1, "{table}");
    }
    // An entry for B's incident, correct in every field the database checks (the next n, a
    // row consistent with it): refused by the policy, and nothing of it is left.
    let mut e = s.entry(&b, 1);
    e.n = 2;
    e.entry_type = "update".to_owned();
    e.by = A.to_owned();
    let err = s.refused_sql(A, &e.insert());
    assert!(err.contains("row-level security"), "{err}");
    // Nor does a wrong one tell A anything of B's office: whether the incident exists, how
    // many entries it has (the chain's own checks never answer a login that may not write).
    for (incident, n) in [(b.as_str(), 9), ("cb-20260310-777", 5)] {
        let mut probe = e.clone();
        probe.incident = incident.to_owned();
        probe.n = n;
        let err = s.refused_sql(A, &probe.insert());
        assert!(err.contains("row-level security"), "{err}");
        assert!(!err.contains("follow") && !err.contains("entry 1"), "{err}");
    }
    // A's own office with B's incident; a new incident under B's code.
    e.office = "ca".to_owned();
    let err = s.refused_sql(A, &e.insert());
    assert!(err.contains("is not of office ca"), "{err}");
    let mut new = s.entry(&b, 1);
    new.incident = "cb-20260310-002".to_owned();
    new.by = A.to_owned();
    let err = s.refused_sql(A, &new.insert());
    assert!(err.contains("row-level security"), "{err}");
    // Numbering and the chain's lock of B's office.
    let err = s.refused_sql(A, "SELECT sitrep.next_number('cb', '20260310')");
    assert!(err.contains("may not file under office cb"), "{err}");
    let err = s.refused_sql(A, "SELECT sitrep.lock_office('cb')");
    assert!(err.contains("may not write to office cb"), "{err}");
    assert_eq!(
        count(
            &s,
            s.owner(),
            "SELECT count(*) FROM sitrep.entries WHERE office = 'cb'"
        ),
        1
    );
    assert_eq!(
        count(
            &s,
            s.owner(),
            "SELECT last FROM sitrep.counters WHERE office = 'cb'"
        ),
        1
    );

    // Through sitrep the same: B's incident is not there for A, nor B's office.
    let r = s.run_as(A, &["show", &b]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains(&b), "{}", r.stderr);
    let r = s.run_as(A, &["update", &b, "--progress", "越权续报"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = s.run_as(A, &["check", "--office", "cb"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cb"), "{}", r.stderr);
    let r = s.run_as(A, &crate::env::file_args(&["--office", "cb"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("cb"), "{}", r.stderr);
    let (_, v) = s.json_as(A, &["list"]);
    assert_eq!(ids(&v), std::slice::from_ref(&a));
    // The owner's verify: both chains whole.
    let (code, v) = s.json_as(s.owner(), &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");
    // B's head, asked of A: not damage, a record A cannot read.
    let chains = v["chains"].as_array().expect("chains");
    let cb = chains
        .iter()
        .find(|c| c["office"] == "cb")
        .and_then(|c| c["head"].as_str())
        .expect("cb's head");
    let r = s.run_as(A, &["verify", "--head", &format!("cb={cb}")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("cannot read office cb"), "{}", r.stderr);
    assert!(!r.stdout.contains("damaged"), "{}", r.stdout);
    s.ok_as(B, &["verify", "--head", &format!("cb={cb}")]);
}

#[test]
fn nobody_but_the_owner_changes_or_removes_what_was_stored() {
    let Some((s, a, _)) = two_counties() else {
        return;
    };
    s.ok_as(A, &["update", &a, "--progress", "泄漏已控制"]);
    let before = count(&s, s.owner(), "SELECT count(*) FROM sitrep.entries");
    for login in [A, CITY] {
        for sql in [
            "UPDATE sitrep.entries SET body = '{}'",
            "DELETE FROM sitrep.entries",
            "TRUNCATE sitrep.entries",
            "UPDATE sitrep.incidents SET closed = 1",
            "DELETE FROM sitrep.incidents",
            "UPDATE sitrep.heads SET hash = repeat('0', 64)",
            "UPDATE sitrep.counters SET last = 0",
            "DELETE FROM sitrep.rules",
            "UPDATE sitrep.office_rules SET hash = hash",
            "INSERT INTO sitrep.offices VALUES ('cz', 'x', NULL, 'r1', 'r2', 0)",
            "ALTER TABLE sitrep.entries DISABLE TRIGGER entries_no_change",
            "DROP TRIGGER entries_insert ON sitrep.entries",
            "CREATE TABLE sitrep.mine (x int)",
        ] {
            let err = s.refused_sql(login, sql);
            assert!(
                err.contains("permission denied") || err.contains("must be owner"),
                "{login}: {sql}: {err}"
            );
        }
    }
    assert_eq!(
        count(&s, s.owner(), "SELECT count(*) FROM sitrep.entries"),
        before
    );
    // The owner is stopped by the triggers too, unless it removes them (see the next test).
    let err = s.refused_sql(s.owner(), "UPDATE sitrep.entries SET body = '{}'");
    assert!(err.contains("append-only"), "{err}");
    let err = s.refused_sql(
        s.owner(),
        "DELETE FROM sitrep.meta WHERE key = 'test_clock'",
    );
    assert!(err.contains("append-only"), "{err}");
    let (code, v) = s.json_as(s.owner(), &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");
}

#[test]
fn the_chain_link_and_the_recorded_time_are_the_servers() {
    let Some(s) = Shared::real_store() else {
        return;
    };
    s.add_office("ca", "甲县总值班室", None);
    s.grant("ca", A, false);
    let id = s.file_as(A, &[]);
    s.ok_as(A, &["update", &id, "--progress", "泄漏已控制"]);
    // A copy of the follow-up as entry 3, sent with a forged link, position and hash and a
    // recorded time of 1970: stored with the database's.
    let mut e = s.entry(&id, 2);
    let (head_before, seq_before) = (e.hash.clone(), e.seq);
    e.n = 3;
    e.seq = 999;
    e.prev = "0".repeat(64);
    e.hash = "f".repeat(64);
    e.recorded = 0;
    let t0 = super::env::wall_clock().timestamp();
    let out = s.psql(A, &e.insert());
    let t1 = super::env::wall_clock().timestamp();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = s.entry(&id, 3);
    assert_eq!(
        (stored.seq, stored.prev.as_str()),
        (seq_before + 1, head_before.as_str())
    );
    assert_ne!(stored.hash, "f".repeat(64));
    assert!(
        (t0 - 1..=t1 + 1).contains(&stored.recorded),
        "recorded {} not the server's clock ({t0}..{t1})",
        stored.recorded
    );
    let (code, v) = s.json_as(s.owner(), &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");

    // What the database refuses outright: another name, a claim after its clock, an import or
    // a simulated clock from an officer.
    let fresh = |f: &dyn Fn(&mut super::env::Entry)| {
        let mut e = s.entry(&id, 3);
        e.n = 4;
        f(&mut e);
        s.refused_sql(A, &e.insert())
    };
    let err = fresh(&|e| e.by = "市长".to_owned());
    assert!(err.contains("in the name of the login"), "{err}");
    let err = fresh(&|e| e.at = super::env::wall_clock().timestamp() + 86_400);
    assert!(err.contains("after the server's clock"), "{err}");
    let err = fresh(&|e| e.imported = true);
    assert!(err.contains("only the store's owner imports"), "{err}");
    // Nor under the setting the owner's batch import passes the triggers with.
    let mut e = s.entry(&id, 3);
    e.n = 4;
    e.imported = true;
    let err = s.refused_sql(A, &format!("SET sitrep.bulk = 'on'; {}", e.insert()));
    assert!(err.contains("row-level security"), "{err}");
    let err = fresh(&|e| e.simulated = true);
    assert!(err.contains("simulated clock"), "{err}");
    let err = fresh(&|e| e.n = 7);
    assert!(err.contains("does not follow entry 3"), "{err}");

    // Through sitrep: a simulated clock is refused on a real store, before anything is written.
    let before = count(&s, s.owner(), "SELECT count(*) FROM sitrep.entries");
    let mut c = s.env.std_cmd(&["update", &id, "--progress", "x"]);
    c.env("SITREP_DB", s.url(A)).env("SITREP_USER", A);
    let o = c.output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("SITREP_NOW"), "{err}");
    assert_eq!(
        count(&s, s.owner(), "SELECT count(*) FROM sitrep.entries"),
        before
    );
    // Nor can a real store be made a test store afterwards.
    let r = s.run_as(s.owner(), &["init", "--test-clock"]);
    assert_ne!(r.code, 0, "{}", r.stdout);
}

#[test]
fn the_citys_supervisor_reads_its_tree_and_appends_only_reviews() {
    let Some((mut s, a, b)) = two_counties() else {
        return;
    };
    s.env.at("2026-03-10T15:00:00+08:00");
    s.ok_as(
        A,
        &[
            "escalate",
            &a,
            "--level",
            "leader_in_charge",
            "--at",
            "14:30",
        ],
    );
    // One check of the whole tree: both counties' findings.
    let (code, v) = s.json_as(CITY, &["check"]);
    assert_eq!(code, 3, "{v}");
    let found: Vec<String> = {
        let mut f: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["incident"].as_str().expect("incident").to_owned())
            .collect();
        f.sort();
        f.dedup();
        f
    };
    assert_eq!(found, [a.clone(), b.clone()]);
    assert_eq!(count(&s, CITY, "SELECT count(*) FROM sitrep.incidents"), 2);
    // Narrowed to one county.
    let (_, v) = s.json_as(CITY, &["list", "--office", "cb"]);
    assert_eq!(ids(&v), std::slice::from_ref(&b));

    // Not a follow-up of a county's incident, by sitrep or by SQL…
    let r = s.run_as(CITY, &["update", &a, "--progress", "市里代报"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    // A refusal of the login, not a failure of the store: no draft to run again in vain, and
    // the message says what a supervisor may append.
    assert!(!r.stderr.contains("NOT recorded"), "{}", r.stderr);
    assert!(r.stderr.contains("reviews only"), "{}", r.stderr);
    let mut e = s.entry(&a, 2);
    e.n = 3;
    e.by = CITY.to_owned();
    let err = s.refused_sql(CITY, &e.insert());
    assert!(err.contains("row-level security"), "{err}");
    // …nor a new incident under a county's code…
    let mut e = s.entry(&b, 1);
    e.incident = "cb-20260310-002".to_owned();
    e.by = CITY.to_owned();
    let err = s.refused_sql(CITY, &e.insert());
    assert!(err.contains("row-level security"), "{err}");
    // …but a review of the late call.
    let out = s.ok_as(
        CITY,
        &[
            "review",
            &a,
            "--step",
            "leader-in-charge",
            "--note",
            "已核实：通信中断致迟报5分钟，已约谈",
        ],
    );
    assert!(out.contains("reviewed: leader-in-charge"), "{out}");
    let by = s.owner_sql(&format!(
        "SELECT \"by\" FROM sitrep.entries WHERE incident = '{a}' AND type = 'review'"
    ));
    assert_eq!(by, CITY);

    // A county's officer sees neither the other county nor the city above.
    let (_, v) = s.json_as(B, &["check"]);
    let findings = v["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "{v}");
    assert!(
        findings
            .iter()
            .all(|f| f["incident"].as_str().is_some_and(|i| i.starts_with("cb-"))),
        "{v}"
    );
    // verify as the supervisor: one chain per office of its tree.
    let (code, v) = s.json_as(CITY, &["verify"]);
    assert_eq!(code, 0, "{v}");
    let offices: Vec<&str> = v["chains"]
        .as_array()
        .expect("chains")
        .iter()
        .map(|c| c["office"].as_str().expect("office"))
        .collect();
    assert_eq!(offices, ["ca", "cb", "cs"]);
    assert_eq!(v["test_store"], Value::Bool(true));
}

#[test]
fn verify_detects_what_the_owner_altered_behind_the_triggers() {
    let Some((s, a, _)) = two_counties() else {
        return;
    };
    let (_, v) = s.json_as(A, &["verify"]);
    let head = v["chains"][0]["head"].as_str().expect("a head").to_owned();
    s.ok_as(A, &["update", &a, "--progress", "泄漏已控制"]);
    let r = s.run_as(A, &["verify", "--head", &format!("ca={head}")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = s.run_as(A, &["verify", "--head", &format!("cb={head}")]);
    assert_eq!(
        r.code, 1,
        "another office's head is not A's to prove: {}",
        r.stdout
    );
    assert!(r.stderr.contains("cannot read office cb"), "{}", r.stderr);

    // The owner rewrites the facts of the initial report, with the guard off and back on.
    s.owner_sql(&format!(
        "ALTER TABLE sitrep.entries DISABLE TRIGGER entries_no_change; \
         UPDATE sitrep.entries SET body = replace(body, '2号储罐', '3号储罐') \
         WHERE incident = '{a}' AND n = 1; \
         ALTER TABLE sitrep.entries ENABLE TRIGGER entries_no_change;"
    ));
    let (code, v) = s.json_as(A, &["verify"]);
    assert_eq!(code, 3, "{v}");
    let damage = v["damage"].to_string();
    assert!(damage.contains(&a), "{damage}");
    // B's chain is untouched, and B's verify says so.
    let (code, _) = s.json_as(B, &["verify"]);
    assert_eq!(code, 0);

    // The owner closes an open incident in the projection: the row no longer follows.
    let Some((s, a, _)) = two_counties() else {
        return;
    };
    s.owner_sql(&format!(
        "UPDATE sitrep.incidents SET closed = 1 WHERE id = '{a}'"
    ));
    let (code, v) = s.json_as(A, &["verify"]);
    assert_eq!(code, 3, "{v}");
    assert!(v["damage"].to_string().contains("closed"), "{v}");
    // A trigger left disabled is named.
    s.owner_sql("ALTER TABLE sitrep.entries DISABLE TRIGGER entries_insert");
    let (code, v) = s.json_as(s.owner(), &["verify"]);
    assert_eq!(code, 3);
    assert!(v["damage"].to_string().contains("entries_insert"), "{v}");
}

#[test]
fn a_shared_store_refuses_what_would_misname_the_writer_or_pass_the_record_by() {
    let Some((s, a, _)) = two_counties() else {
        return;
    };
    let r = s.run_as(A, &["--as", "县长", "update", &a, "--progress", "x"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("县长") && r.stderr.contains(A),
        "{}",
        r.stderr
    );
    let r = s.run_as(A, &["backup", "copy.db"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("pg_dump"), "{}", r.stderr);
    let r = s.run_as(A, &["office", "add", "cz", "--name", "自设单位"]);
    assert_ne!(r.code, 0);
    let r = s.run_as(A, &["office", "grant", "cb", A]);
    assert_ne!(r.code, 0);
    // A rules file of one's own is refused for writing; the office's rules are the owner's.
    let lax = s.env.path("lax.toml");
    std::fs::write(&lax, sitrep::rules::DEFAULT_TEXT).expect("writes");
    let r = s.run_as(
        A,
        &[
            "--rules",
            lax.to_str().expect("utf-8"),
            "update",
            &a,
            "--progress",
            "x",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("office rules"), "{}", r.stderr);
    // Every list names who may do it: offices with their parents.
    let out = s.ok_as(A, &["office", "list"]);
    for code in ["cs", "ca", "cb"] {
        assert!(out.contains(code), "{out}");
    }
    assert_eq!(
        count(&s, s.owner(), "SELECT count(*) FROM sitrep.entries"),
        2
    );
}
