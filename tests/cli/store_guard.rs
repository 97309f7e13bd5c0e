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

/// A file of an older schema is read as it is by the reading commands and brought up to date
/// only by a writer: reading never writes.
#[test]
fn readers_read_an_older_schema_as_it_is_and_only_a_writer_migrates() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    let version = || -> i64 {
        Connection::open(&env.db)
            .expect("opens")
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version")
    };
    {
        // Schema 1: what the first migration made, before the projection's guard.
        let c = Connection::open(&env.db).expect("opens");
        c.execute_batch("DROP TRIGGER incidents_follow_entries; PRAGMA user_version = 1;")
            .expect("back to schema 1");
    }
    let bytes = std::fs::read(&env.db).expect("read");
    for args in [
        vec!["list"],
        vec!["show", id.as_str()],
        vec!["check"],
        vec!["digest", "--date", "2026-03-10"],
        vec!["export"],
    ] {
        let r = env.run(&args);
        assert!(r.code == 0 || r.code == 3, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("damaged"), "{args:?}: {}", r.stderr);
    }
    assert_eq!(version(), 1, "a reader migrated");
    assert_eq!(
        std::fs::read(&env.db).expect("read"),
        bytes,
        "a reader wrote"
    );
    env.ok(&["escalate", &id, "--level", "city"]);
    assert_eq!(version(), 2, "the writer migrates");
    env.ok(&["verify"]);
}

/// sitrep's file without any schema (its creation did not finish) is named as such by a
/// reader, which leaves it as it was; `init` finishes it.
#[test]
fn a_reader_says_an_unfinished_file_needs_init() {
    let env = TestEnv::new();
    {
        let c = Connection::open(&env.db).expect("creates");
        c.pragma_update(None, "application_id", 0x5349_5452)
            .expect("id");
    }
    let bytes = std::fs::read(&env.db).expect("read");
    let r = env.run(&["list"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("holds no record yet"), "{}", r.stderr);
    assert!(r.stderr.contains("sitrep init"), "{}", r.stderr);
    assert_eq!(std::fs::read(&env.db).expect("read"), bytes);
    env.ok(&["init"]);
    assert_eq!(env.ok(&["list", "--format", "json"]).trim(), "[]");
}
