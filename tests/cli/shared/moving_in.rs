//! An office moves in (DESIGN.md §12): `sitrep export` of its SQLite file piped to `sitrep --db
//! URL import --office CODE -` by the store's owner. Its ids take the office's code, each entry
//! keeps its claimed and recorded times and is marked imported, and the office goes on filing
//! where its numbers left off.

use std::io::Write as _;
use std::process::Stdio;

use serde_json::Value;

use super::env::Shared;
use crate::env::TestEnv;

const A: &str = "甲县值班员";

/// Runs `args` as `login` with `input` on stdin.
fn with_stdin(s: &Shared<'_>, login: &str, args: &[&str], input: &str) -> (i32, String) {
    let mut c = s.env.std_cmd(args);
    c.env("SITREP_DB", s.url(login))
        .env("SITREP_USER", login)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writes");
    let o = child.wait_with_output().expect("ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), text)
}

#[test]
fn a_countys_file_moves_into_the_citys_store_and_goes_on_numbering() {
    let Some(mut s) = Shared::city() else {
        return;
    };
    s.grant("ca", A, false);
    s.grant("cb", "乙县值班员", false);
    // The county's own file: an incident escalated and followed up.
    let mut county = TestEnv::new();
    let id = county.file(&["--deaths", "1"]);
    county.at("2026-03-10T14:40:00+08:00");
    county.ok(&[
        "escalate",
        &id,
        "--level",
        "leader_in_charge",
        "--at",
        "14:22",
    ]);
    county.ok(&["update", &id, "--progress", "伤员已送医"]);
    let exported = county.ok(&["export"]);
    let (_, before) = county.json(&["show", &id]);
    s.env.at("2026-03-10T15:00:00+08:00");

    // Nobody but the owner brings records in.
    let (code, out) = with_stdin(&s, A, &["import", "--office", "ca", "-"], &exported);
    assert_ne!(code, 0, "{out}");
    let owner = s.owner().to_owned();
    let (code, out) = with_stdin(&s, &owner, &["import", "--office", "ca", "-"], &exported);
    assert_eq!(code, 0, "{out}");

    let moved = format!("ca-{id}");
    let (code, after) = s.json_as(A, &["show", &moved]);
    assert_eq!(code, 0);
    assert_eq!(after["office"], "ca");
    let (b, a) = (
        before["entries"].as_array().expect("entries"),
        after["entries"].as_array().expect("entries"),
    );
    assert_eq!(a.len(), 3);
    for (b, a) in b.iter().zip(a) {
        for k in ["type", "at", "recorded", "by"] {
            assert_eq!(a[k], b[k], "{k} of {a}");
        }
        assert_eq!(a["imported"], Value::Bool(true), "{a}");
    }
    assert_eq!(after["severity"], before["severity"]);

    // The same file twice is refused whole: nothing more is written.
    let entries = s.owner_sql("SELECT count(*) FROM sitrep.entries");
    let (code, out) = with_stdin(&s, &owner, &["import", "--office", "ca", "-"], &exported);
    assert_eq!(code, 1, "{out}");
    assert_eq!(s.owner_sql("SELECT count(*) FROM sitrep.entries"), entries);

    // The county goes on: a follow-up of the moved incident, a new incident numbered after it.
    s.ok_as(A, &["update", &moved, "--progress", "迁入后续报"]);
    let next = s.file_as(A, &["--title", "迁入后新报"]);
    assert_eq!(next, "ca-20260310-002");
    // The other county's numbers are its own.
    assert_eq!(s.file_as("乙县值班员", &[]), "cb-20260310-001");
    let (code, v) = s.json_as(&owner, &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");
    assert_eq!(v["imported"], serde_json::json!(3), "{v}");

    // Into an office that has filed already: its chain goes on after what it holds, and an
    // incident given twice in one file is refused with nothing written.
    let other = TestEnv::new();
    other.file(&[
        "--occurred",
        "2026-03-09 09:00",
        "--known",
        "2026-03-09 09:05",
    ]);
    let again = other.ok(&["export"]);
    let twice = format!("{again}{again}");
    let entries = s.owner_sql("SELECT count(*) FROM sitrep.entries");
    let (code, out) = with_stdin(&s, &owner, &["import", "--office", "cb", "-"], &twice);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cb-20260309-001"), "{out}");
    assert_eq!(s.owner_sql("SELECT count(*) FROM sitrep.entries"), entries);
    let (code, out) = with_stdin(&s, &owner, &["import", "--office", "cb", "-"], &again);
    assert_eq!(code, 0, "{out}");
    let (code, v) = s.json_as("乙县值班员", &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");
    assert_eq!(v["chains"][0]["entries"], serde_json::json!(2), "{v}");
}

#[test]
fn numbers_that_would_go_backwards_are_refused_with_what_to_do() {
    let Some(s) = Shared::city() else {
        return;
    };
    let county = TestEnv::new();
    county.file(&[]);
    let line = county.ok(&["export"]);
    let numbered = |n: &str| line.replace("\"20260310-001\"", &format!("\"20260310-{n}\""));
    let owner = s.owner().to_owned();
    let import = |text: &str| with_stdin(&s, &owner, &["import", "--office", "ca", "-"], text);
    // Out of order within one file.
    let (code, out) = import(&format!("{}{}", numbered("002"), numbered("001")));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("in the order of their ids"), "{out}");
    // Behind what the office holds already.
    let (code, out) = import(&numbered("005"));
    assert_eq!(code, 0, "{out}");
    let (code, out) = import(&numbered("003"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("numbers only go forward"), "{out}");
    assert_eq!(s.owner_sql("SELECT count(*) FROM sitrep.incidents"), "1");
}

#[test]
fn an_import_the_database_hashes_otherwise_is_refused_whole() {
    let Some(s) = Shared::city() else {
        return;
    };
    let county = TestEnv::new();
    county.file(&[]);
    let line = county.ok(&["export"]);
    // The owner's role alters the database's hash of an entry (as only tampering, or a fault in
    // sitrep, could make it differ from the client's): the batch is refused, nothing is kept.
    s.owner_sql(
        "CREATE OR REPLACE FUNCTION sitrep.entry_hash(prev text, seq bigint, incident text, \
         n int, type text, at bigint, recorded bigint, by text, os_user text, imported boolean, \
         simulated boolean, body text) RETURNS text LANGUAGE sql STABLE RETURN md5(body)",
    );
    let owner = s.owner().to_owned();
    let (code, out) = with_stdin(&s, &owner, &["import", "--office", "ca", "-"], &line);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("differs from sitrep's"), "{out}");
    assert!(out.contains("`\\sf sitrep.entry_hash`"), "{out}");
    assert!(out.contains("nothing was imported"), "{out}");
    let zh = ["--lang", "zh", "import", "--office", "ca", "-"];
    let (code, out) = with_stdin(&s, &owner, &zh, &line);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("哈希与 sitrep 的不同") && out.contains("未导入任何记录"),
        "{out}"
    );
    assert_eq!(s.owner_sql("SELECT count(*) FROM sitrep.entries"), "0");
    assert_eq!(s.owner_sql("SELECT count(*) FROM sitrep.incidents"), "0");
}
