//! Files written or read without a word of loss (issue cases 5, 6 and 12): a backup is a path,
//! private, and either complete or absent; `verify` changes nothing; a draft never touches a
//! file sitrep did not create.

use std::time::Duration;

use crate::env::{Mount, TestEnv, count, mode};

/// Case 5: `file:` names a file, for `backup` and for `--db`.
#[test]
fn backup_and_db_take_paths_never_uris() {
    let env = TestEnv::new();
    env.file(&[]);
    for dest in ["file:bk.db", "file:x?mode=memory"] {
        let out = env.ok(&["backup", dest]);
        assert_eq!(out.trim(), dest);
        let path = env.path(dest);
        assert_eq!(mode(&path), 0o600, "{dest}");
        let mut v = env.cmd(&["verify"]);
        v.env("SITREP_DB", &path);
        v.assert().success();
    }
    assert!(!env.path("bk.db").exists(), "nothing lands beside it");
    let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    names.sort();
    assert!(names.is_empty(), "no temporary file is left: {names:?}");

    // A database named `file:new.db` is written and read like any other.
    let mut other = TestEnv::new();
    other.env("SITREP_DB", "file:new.db");
    other.file(&[]);
    other.ok(&["escalate", "20260310-001", "--level", "city"]);
    assert_eq!(
        count(&other.path("file:new.db"), "SELECT COUNT(*) FROM entries"),
        2
    );
}

/// Case 5 and 6: errors name the path; a backup killed or failing leaves no partial file at the
/// destination.
#[test]
fn a_backup_is_complete_or_absent() {
    let env = TestEnv::new();
    env.file(&[]);
    let r = env.run(&["backup", "/no/such/dir/x.db"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the directory /no/such/dir does not exist"),
        "{}",
        r.stderr
    );
    std::os::unix::fs::symlink(env.path("nowhere"), env.path("dangling.db")).expect("link");
    let r = env.run(&["backup", "dangling.db"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("symbolic link to a file that does not exist"),
        "{}",
        r.stderr
    );

    // A database large enough that a backup takes a while, killed at many instants.
    let mut lines = String::new();
    let line = env.ok(&["export"]);
    for i in 1..=400 {
        let text = line.replacen("20260310-001", &format!("20260310-{i:03}"), 1);
        lines.push_str(&text);
    }
    let big = env.path("big.jsonl");
    std::fs::write(&big, lines).expect("written");
    let mut big_env = TestEnv::new();
    big_env.at("2026-03-20T09:00:00+08:00");
    big_env.ok(&["import", big.to_str().expect("utf-8")]);
    let mut outcomes = (0, 0);
    for k in 0..12 {
        let dest = big_env.path(&format!("killed-{k}.db"));
        let mut child = big_env
            .std_cmd(&["backup", dest.to_str().expect("utf-8")])
            .spawn()
            .expect("spawns");
        std::thread::sleep(Duration::from_millis(2 * k));
        let _ = child.kill();
        let _ = child.wait();
        if dest.exists() {
            outcomes.0 += 1;
            let mut v = big_env.cmd(&["verify"]);
            v.env("SITREP_DB", &dest);
            v.assert().success();
        } else {
            outcomes.1 += 1;
        }
    }
    println!(
        "backup-kill: {} complete, {} absent, none partial",
        outcomes.0, outcomes.1
    );

    // A full disk: the destination is absent.
    let Some(m) = Mount::new(&env.path("tiny"), "64k") else {
        return;
    };
    let dest = m.0.join("bk.db");
    let r = big_env.run(&["backup", dest.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&dest.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(!dest.exists(), "no partial backup");
    assert_eq!(
        std::fs::read_dir(&m.0).expect("dir").count(),
        0,
        "nothing left behind"
    );
}

/// Case 6: `verify` opens read-only: an empty sitrep file stays empty, byte for byte.
#[test]
fn verify_changes_nothing() {
    let env = TestEnv::new();
    let path = env.path("old.db");
    {
        let c = rusqlite::Connection::open(&path).expect("creates");
        c.pragma_update(None, "application_id", 0x5349_5452)
            .expect("id");
    }
    let before = std::fs::read(&path).expect("read");
    let mut v = env.cmd(&["verify"]);
    v.env("SITREP_DB", &path);
    v.assert().success();
    assert_eq!(std::fs::read(&path).expect("read"), before, "not migrated");
    let version: i64 = rusqlite::Connection::open(&path)
        .expect("opens")
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, 0);
}

/// Case 12: a draft whose name is taken is written under another name; the file there stays.
#[test]
fn a_draft_never_replaces_a_file_it_did_not_create() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    // The write will fail: SQLite cannot make its write-ahead log where a directory stands.
    std::fs::create_dir(env.path("sitrep.db-wal")).expect("dir");
    let drafts = env.dir.path().join("data/sitrep/drafts");
    std::fs::create_dir_all(&drafts).expect("drafts");
    for attempt in 0..5 {
        // Drafts are named by the pinned clock, the command and the process id; place a file
        // under the names of the next process ids.
        let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        // Wide: the tests beside this one start processes too (hundreds a second under load).
        let placed: Vec<_> = (last + 1..last + 4000)
            .map(|pid| drafts.join(format!("20260310T062000Z-file-{pid}.json")))
            .collect();
        for p in &placed {
            std::fs::write(p, "not sitrep's").expect("placed");
        }
        let r = env.run(&crate::env::file_args(&[]));
        assert_eq!(r.code, 1);
        for p in &placed {
            assert_eq!(std::fs::read_to_string(p).expect("kept"), "not sitrep's");
        }
        let path = r
            .stderr
            .split("what you typed is saved in ")
            .nth(1)
            .and_then(|s| s.split(": fix").next())
            .expect("a draft")
            .to_owned();
        assert!(
            std::fs::read_to_string(&path)
                .expect("draft")
                .contains("化工厂储罐泄漏")
        );
        if path.ends_with("-1.json") {
            println!("draft-collision: a taken name was left alone, the draft went to {path}");
            return;
        }
        for p in &placed {
            let _ = std::fs::remove_file(p);
        }
        assert!(
            attempt < 4,
            "the process id was never among the names placed"
        );
    }
}
