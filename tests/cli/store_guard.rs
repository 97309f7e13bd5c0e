//! The file is ours: what is not a sitrep database is refused and left as it was.
//! (The record's own guards, append-only and hash-chained, are tested in `reliability`.)

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
        "was written by a newer sitrep (schema 99; this sitrep knows up to 2)",
    );
}
