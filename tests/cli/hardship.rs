//! A full disk, a read-only disk, a shared store out of reach, and every kind of bad input: the
//! failing command says the entry was NOT recorded, what was typed is kept (never a password),
//! and nothing already recorded is harmed.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::env::{Mount, TestEnv, count, draft_of, file_args};

#[test]
fn a_full_disk_records_nothing_and_keeps_the_draft() {
    let mut env = TestEnv::new();
    let Some(mount) = Mount::new(&env.path("small"), "600k") else {
        return;
    };
    env.db = mount.0.join("sitrep.db");
    env.ok(&["init"]);
    let big = "现场情况".repeat(5_000);
    let mut filed = 0;
    let failure = loop {
        let title = format!("第{filed}起");
        let args = file_args(&["--facts", &big, "--title", &title]);
        let r = env.run(&args);
        if r.code != 0 {
            break r;
        }
        filed += 1;
        assert!(filed < 200, "the disk never filled");
    };
    assert_eq!(failure.code, 1);
    assert!(
        failure.stderr.contains("the entry was NOT recorded"),
        "{}",
        failure.stderr
    );
    assert!(failure.stderr.contains("Caused by:"), "{}", failure.stderr);
    let draft = draft_of(&failure.stderr);
    assert!(draft.contains(&big), "the draft holds what was typed");
    assert!(draft.contains(&format!("第{filed}起")));
    let v = env.run(&["verify"]);
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert_eq!(env.incident_count(), filed as i64);
    println!(
        "disk-full: {filed} incidents filed before the 600 KiB disk filled; the next was refused, drafted, and the database verifies"
    );
}

#[test]
fn a_read_only_disk_records_nothing_and_keeps_the_draft() {
    let mut env = TestEnv::new();
    let Some(mount) = Mount::new(&env.path("ro"), "4m") else {
        return;
    };
    env.db = mount.0.join("sitrep.db");
    let id = env.file(&[]);
    assert!(mount.read_only(), "remount read-only");
    let r = env.run(&[
        "escalate",
        &id,
        "--level",
        "city",
        "--contact",
        "市总值班室李四",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the entry was NOT recorded"),
        "{}",
        r.stderr
    );
    assert!(draft_of(&r.stderr).contains("市总值班室李四"));
    let v = env.run(&["verify"]);
    assert_eq!(
        v.code, 0,
        "a read-only database still verifies: {}{}",
        v.stdout, v.stderr
    );
    assert!(v.stdout.contains("chain: 1 entries"), "{}", v.stdout);
    println!("read-only: the escalation was refused and drafted; the database verifies read-only");
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    let huge = "长".repeat(40_000);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            file_args(&["--occurred", "soon"]),
            1,
            "is not a time sitrep reads",
        ),
        (
            file_args(&["--at", "2026-03-10 14:26"]),
            1,
            "is in the future",
        ),
        (
            file_args(&["--occurred", "14:15", "--known", "14:12"]),
            1,
            "is before the occurred time",
        ),
        (file_args(&["--kind", "meteor"]), 1, "unknown kind `meteor`"),
        (
            file_args(&["--severity", "tiny"]),
            1,
            "unknown severity `tiny`",
        ),
        (
            file_args(&["--severity", "general", "--deaths", "10"]),
            1,
            "lower than the figures imply",
        ),
        (
            file_args(&["--loss", "12.5万元整"]),
            1,
            "is not an amount of yuan",
        ),
        (
            file_args(&["--title", "a\u{1}b"]),
            1,
            "control character U+0001",
        ),
        (
            file_args(&["--facts", "正常\u{202E}倒序"]),
            1,
            "bidirectional control U+202E",
        ),
        (
            file_args(&["--facts", "\u{2067}隔离"]),
            1,
            "bidirectional control U+2067",
        ),
        (file_args(&["--measures", "  "]), 1, "--measures is empty"),
        (
            file_args(&["--facts", &huge]),
            1,
            "over the 64 KiB a field holds",
        ),
        (
            vec!["escalate", &id, "--level", "city", "--at", "13:00"],
            1,
            "known time",
        ),
        (
            vec!["escalate", &id, "--level", "县长"],
            1,
            "unknown level `县长`",
        ),
        (
            vec!["update", &id, "--progress", "x", "--deaths", "-1"],
            2,
            "unexpected argument",
        ),
        (
            vec!["file", "--no-input"],
            2,
            "missing --title, --kind, --occurred, --location, --unit, --facts",
        ),
        (vec!["show", "20260310-1"], 1, "is not an incident id"),
    ];
    let (entries, incidents) = (env.entry_count(), env.incident_count());
    for (args, code, says) in &cases {
        let r = env.run(args);
        assert_eq!(r.code, *code, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{args:?}: expected {says:?} in {}",
            r.stderr
        );
        assert_eq!(
            (env.entry_count(), env.incident_count()),
            (entries, incidents),
            "{args:?} wrote"
        );
    }

    // Bytes that are not UTF-8 are a usage error.
    let mut raw = env.std_cmd(&["update", &id, "--progress"]);
    raw.arg(OsString::from_vec(vec![0x66, 0xff, 0xfe]));
    let out = raw.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A NUL and a 1 MiB text cannot pass through a command line; they come in by import.
    for (facts, says) in [
        ("有\u{0}空字符".to_owned(), "control character U+0000"),
        ("长".repeat(400_000), "over the 64 KiB"),
    ] {
        let line = serde_json::json!({"id": "20260301-001", "entries": [{"n": 1, "type": "initial",
            "at": "2026-03-01T10:00:00+08:00", "title": "t", "kind": "gas", "occurred": "2026-03-01T09:00:00+08:00",
            "known": "2026-03-01T09:30:00+08:00", "location": "l", "unit": "u", "facts": facts}]});
        let r = env
            .cmd(&["import", "-"])
            .write_stdin(line.to_string())
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1));
        assert!(err.contains("line 1") && err.contains(says), "{err}");
    }
    assert_eq!(
        (env.entry_count(), env.incident_count()),
        (entries, incidents)
    );

    // SQL-looking names are data: stored as typed, nothing else touched.
    let sly = "'); DROP TABLE entries; --";
    let sly_id = env.file(&[
        "--title",
        sly,
        "--unit",
        "Robert'); DELETE FROM incidents;--",
    ]);
    let (_, v) = env.json(&["show", &sly_id]);
    assert_eq!(v["title"], serde_json::json!(sly));
    assert_eq!(env.entry_count(), entries + 1);
    assert_eq!(
        count(&env.db, "SELECT COUNT(*) FROM incidents"),
        incidents + 1
    );
    println!(
        "input-validation: {} refusals with their exit codes and messages, non-UTF-8, NUL and 1 MiB by import; rows unchanged; SQL-looking text stored as typed",
        cases.len()
    );
}

#[test]
fn a_shared_store_out_of_reach_keeps_the_draft_but_not_the_password() {
    let env = TestEnv::new();
    // Nothing listens on port 1: the connection is refused before anything is sent.
    for db in [
        vec![
            "--db",
            "postgresql://王磊:s3cret-pw@localhost:1/duty?sslmode=require",
        ],
        vec!["--db=host=localhost port=1 user=王磊 password=s3cret-pw dbname=duty sslmode=require"],
    ] {
        let mut args = db.clone();
        args.extend(["update", "--progress", "伤员已送医", "--", "--db=ca-1"]);
        let r = env.run(&args);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("NOT recorded"), "{}", r.stderr);
        assert!(!r.stderr.contains("s3cret-pw"), "{}", r.stderr);
        let draft = draft_of(&r.stderr);
        assert!(draft.contains("伤员已送医"), "{draft}");
        assert!(
            !draft.contains("s3cret-pw"),
            "a password in a draft: {draft}"
        );
        // The rest of the connection is kept, for the command to be run again as it was…
        let v: serde_json::Value = serde_json::from_str(&draft).expect("a draft is JSON");
        let argv: Vec<&str> = v["argv"]
            .as_array()
            .expect("argv")
            .iter()
            .map(|a| a.as_str().expect("text"))
            .collect();
        let kept = argv
            .iter()
            .find(|a| a.contains("localhost"))
            .unwrap_or_else(|| panic!("no store in {argv:?}"));
        for part in ["port=1", "user=王磊", "dbname=duty", "sslmode=require"] {
            assert!(kept.contains(part), "{part} lost: {kept}");
        }
        // …and what follows `--` is a value, not a flag.
        assert_eq!(argv.last(), Some(&"--db=ca-1"), "{argv:?}");
    }
}
