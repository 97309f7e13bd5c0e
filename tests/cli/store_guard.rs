//! The file is ours, the record is append-only, and tampering shows.

use rusqlite::Connection;

use crate::env::TestEnv;

/// The files beside the database (the data directory, where drafts go, is elsewhere in spirit).
fn files_in(env: &TestEnv) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(env.dir.path())
        .expect("lists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data")
        .collect();
    v.sort();
    v
}

/// A command on a file that is not ours: refused with `says`, the file unchanged, nothing new.
fn refuses_file(env: &TestEnv, content: Option<&[u8]>, says: &str) {
    let before_files = files_in(env);
    for args in [
        &["list"][..],
        &[
            "file",
            "--no-input",
            "--title",
            "t",
            "--kind",
            "gas",
            "--occurred",
            "14:00",
            "--location",
            "l",
            "--unit",
            "u",
            "--facts",
            "f",
        ][..],
    ] {
        let r = env.run(args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{args:?}: expected {says:?} in {}",
            r.stderr
        );
        if let Some(c) = content {
            assert_eq!(
                std::fs::read(&env.db).expect("still there"),
                c,
                "the file changed"
            );
        }
        assert_eq!(files_in(env), before_files, "files created beside it");
    }
}

#[test]
fn a_missing_file_is_refused_by_reading_commands() {
    let env = TestEnv::new();
    for args in [
        &["list"][..],
        &["show", "20260310-001"],
        &["check"],
        &["verify"],
    ] {
        let r = env.run(args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(r.stderr.contains("there is no database at"), "{}", r.stderr);
    }
    assert!(!env.db.exists(), "a reading command created the database");
}

#[test]
fn foreign_files_are_refused_and_left_untouched() {
    let env = TestEnv::new();
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&env.db, &random).expect("written");
    refuses_file(
        &env,
        Some(&random),
        "is not a sitrep database (it is not an SQLite file)",
    );

    std::fs::write(&env.db, b"").expect("written");
    refuses_file(&env, Some(b""), "is an empty file");

    std::fs::remove_file(&env.db).expect("removed");
    {
        let c = Connection::open(&env.db).expect("sqlite");
        c.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
            .expect("schema");
    }
    let bytes = std::fs::read(&env.db).expect("read");
    refuses_file(
        &env,
        Some(&bytes),
        "is an SQLite database of another program (application_id 0x00000000)",
    );
}

#[test]
fn a_directory_is_refused() {
    let env = TestEnv::new();
    std::fs::create_dir(&env.db).expect("dir");
    let r = env.run(&["list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("is a directory, not a database file"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_newer_version_is_refused_and_left_untouched() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    {
        let c = Connection::open(&env.db).expect("opens");
        c.pragma_update(None, "user_version", 99).expect("set");
    }
    let bytes = std::fs::read(&env.db).expect("read");
    refuses_file(
        &env,
        Some(&bytes),
        "was written by a newer sitrep (schema 99; this sitrep knows up to 1)",
    );
}

#[test]
fn raw_sql_cannot_change_or_remove_entries() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "city"]);
    let c = Connection::open(&env.db).expect("opens");
    c.pragma_update(None, "recursive_triggers", "ON")
        .expect("pragma");
    let snapshot = || -> Vec<String> {
        let mut s = c
            .prepare("SELECT seq || n || body || hash FROM entries ORDER BY seq")
            .expect("q");
        s.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    let before = snapshot();
    for sql in [
        "UPDATE entries SET body = '{}' WHERE n = 1",
        "DELETE FROM entries WHERE n = 2",
        "INSERT OR REPLACE INTO entries SELECT * FROM entries WHERE n = 1",
        "REPLACE INTO entries SELECT * FROM entries WHERE n = 1",
        "INSERT INTO entries SELECT * FROM entries WHERE n = 1 ON CONFLICT DO UPDATE SET body = 'x'",
        "DELETE FROM incidents",
        "UPDATE rules SET text = 'x'",
    ] {
        let r = c.execute_batch(sql);
        assert!(r.is_err(), "{sql} was allowed");
    }
    assert_eq!(snapshot(), before);
}

fn tampered(env: &TestEnv, sql: &str) -> String {
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch(
        "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_in_sequence;",
    )
    .expect("drop");
    c.execute_batch(sql).expect("tamper");
    drop(c);
    let r = env.run(&["verify"]);
    assert_eq!(r.code, 3, "{sql}: verify should find damage\n{}", r.stdout);
    r.stdout
}

fn three_entries() -> (TestEnv, String) {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "leader_in_charge"]);
    env.ok(&["escalate", &id, "--level", "city"]);
    (env, id)
}

#[test]
fn an_edited_entry_is_named() {
    let (env, id) = three_entries();
    let out = tampered(&env, "UPDATE entries SET by = '别人' WHERE n = 2");
    assert!(
        out.contains(&format!(
            "DAMAGED: entry 2 of {id} (position 2) does not match its hash"
        )),
        "{out}"
    );
}

#[test]
fn a_deleted_entry_is_named() {
    let (env, id) = three_entries();
    let out = tampered(&env, "DELETE FROM entries WHERE n = 2");
    assert!(
        out.contains(&format!(
            "DAMAGED: chain position 2 is missing before entry 3 of {id}"
        )),
        "{out}"
    );
}

#[test]
fn swapped_entries_are_named() {
    let (env, id) = three_entries();
    let out = tampered(&env, "UPDATE entries SET at = at + 60 WHERE n = 2");
    assert!(out.contains(&format!("entry 2 of {id}")), "{out}");
    let (env, id) = three_entries();
    let out = tampered(
        &env,
        "UPDATE entries SET seq = 99 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 99;",
    );
    assert!(
        out.contains(&format!(
            "DAMAGED: entry 3 of {id} (position 2) does not follow"
        )),
        "{out}"
    );
}

#[test]
fn removed_triggers_are_damage() {
    let env = TestEnv::new();
    env.file(&[]);
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch("DROP TRIGGER entries_no_delete")
        .expect("drop");
    drop(c);
    let r = env.run(&["verify"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout
            .contains("the guard trigger `entries_no_delete` is missing"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_truncated_tail_is_caught_by_an_earlier_head() {
    let (env, _id) = three_entries();
    let out = env.ok(&["verify"]);
    let head = out
        .lines()
        .find_map(|l| l.strip_prefix("head: "))
        .expect("head")
        .to_owned();
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 3;")
        .expect("truncate");
    c.execute_batch(include_str!("restore_delete_trigger.sql"))
        .expect("restore");
    drop(c);
    let plain = env.run(&["verify"]);
    assert_eq!(
        plain.code, 0,
        "a clean truncation passes the chain check alone:\n{}",
        plain.stdout
    );
    let r = env.run(&["verify", "--head", &head]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout
            .contains(&format!("the chain does NOT contain {head}")),
        "{}",
        r.stdout
    );
}
