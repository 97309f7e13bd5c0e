//! Nothing lost, nothing altered: load, crashes, tampering, full and read-only disks, bad input.
//!
//! Each test prints one line of figures. The short forms run by default; `SITREP_LONG_TESTS=1`
//! runs the long forms (more processes, more kills).

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::env::{TestEnv, count, mode};

fn long() -> bool {
    std::env::var_os("SITREP_LONG_TESTS").is_some()
}

/// A small deterministic random sequence (xorshift), seeded and printed for reproduction.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn seed() -> u64 {
    std::env::var("SITREP_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::UNIX_EPOCH
                .elapsed()
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        })
}

/// Runs a command to completion: (succeeded, first stdout line, stderr).
fn run(mut c: Command) -> (bool, String, String) {
    let out = c.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn file_cmd(env: &TestEnv, title: &str) -> Command {
    env.std_cmd(&[
        "file",
        "--title",
        title,
        "--kind",
        "gas",
        "--occurred",
        "14:00",
        "--location",
        "某路",
        "--unit",
        "某局",
        "--facts",
        "燃气泄漏",
        "--measures",
        "疏散",
    ])
}

struct Load {
    acked_files: Mutex<Vec<String>>,
    acked: Mutex<usize>,
    failures: Mutex<Vec<String>>,
}

/// Eight writers, each `per` commands: files of its own, escalations and updates on `shared`.
fn writers(env: &TestEnv, shared: &str, per: usize, load: &Load) {
    std::thread::scope(|s| {
        for t in 0..8 {
            s.spawn(move || {
                for i in 0..per {
                    let cmd = match i % 3 {
                        0 => file_cmd(env, &format!("并发{t}-{i}")),
                        1 => env.std_cmd(&["escalate", shared, "--level", "leader_in_charge"]),
                        _ => {
                            env.std_cmd(&["update", shared, "--progress", &format!("进展{t}-{i}")])
                        }
                    };
                    let (ok, first, err) = run(cmd);
                    if ok {
                        if i % 3 == 0 {
                            load.acked_files.lock().expect("lock").push(first);
                        }
                        *load.acked.lock().expect("lock") += 1;
                    } else {
                        load.failures.lock().expect("lock").push(err);
                    }
                }
            });
        }
    });
}

#[test]
fn concurrent_file_loses_nothing() {
    let env = TestEnv::new();
    let shared = env.file(&[]);
    let per = if long() { 150 } else { 51 };
    let load = Load {
        acked_files: Mutex::new(Vec::new()),
        acked: Mutex::new(0),
        failures: Mutex::new(Vec::new()),
    };
    let started = Instant::now();
    writers(&env, &shared, per, &load);
    let elapsed = started.elapsed();
    let failures = load.failures.lock().expect("lock");
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {}",
        failures.len(),
        failures[0]
    );
    let acked = *load.acked.lock().expect("lock");
    assert_eq!(acked, 8 * per);
    assert_eq!(
        env.entry_count() as usize,
        1 + acked,
        "every entry there exactly once"
    );
    let files = load.acked_files.lock().expect("lock");
    let unique: BTreeSet<&String> = files.iter().collect();
    assert_eq!(unique.len(), files.len(), "ids are unique");
    assert_eq!(env.incident_count() as usize, 1 + files.len());
    let v = env.run(&["verify"]);
    assert_eq!(v.code, 0, "{}", v.stdout);
    println!(
        "concurrent-file: 8 processes x {per} commands = {acked} entries in {:.1} s, 0 failures, verify ok",
        elapsed.as_secs_f64()
    );
}

#[test]
fn backup_under_load_holds_what_was_acknowledged() {
    let env = TestEnv::new();
    let shared = env.file(&[]);
    let load = Load {
        acked_files: Mutex::new(Vec::new()),
        acked: Mutex::new(0),
        failures: Mutex::new(Vec::new()),
    };
    let copy = env.path("backup.db");
    let mut before: (Vec<String>, usize) = (Vec::new(), 0);
    std::thread::scope(|s| {
        s.spawn(|| writers(&env, &shared, if long() { 60 } else { 24 }, &load));
        // Let the writers get going, note what has been acknowledged, then back up.
        while *load.acked.lock().expect("lock") < 40 {
            std::thread::sleep(Duration::from_millis(5));
        }
        before = (
            load.acked_files.lock().expect("lock").clone(),
            *load.acked.lock().expect("lock"),
        );
        let r = env.run(&["backup", copy.to_str().expect("utf-8")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    });
    assert!(load.failures.lock().expect("lock").is_empty());
    let mut verify = env.cmd(&["verify"]);
    verify.env("SITREP_DB", &copy);
    verify.assert().success();
    let in_copy = count(&copy, "SELECT COUNT(*) FROM entries") as usize;
    assert!(
        in_copy > before.1,
        "the copy holds {in_copy} entries; {} were acknowledged before",
        before.1
    );
    let c = Connection::open(&copy).expect("opens");
    for id in &before.0 {
        let n: i64 = c
            .query_row("SELECT COUNT(*) FROM incidents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .expect("counts");
        assert_eq!(
            n, 1,
            "{id} acknowledged before the backup is missing from it"
        );
    }
    assert_eq!(mode(&copy), 0o600);
    println!(
        "backup-under-load: {} entries acknowledged before the backup, {in_copy} in the copy, verify ok, mode 0600",
        before.1 + 1
    );
}

/// Kills a spawned command after `delay`; returns whether it had finished successfully first,
/// and its first line of output.
fn kill_after(mut c: Command, delay: Duration) -> (bool, String) {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    std::thread::sleep(delay);
    let _ = child.kill();
    let out = child.wait_with_output().expect("reaped");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned(),
    )
}

#[test]
fn crash_kill_loop_keeps_every_acknowledged_entry() {
    let seed = seed();
    let mut rng = Rng::new(seed);
    let rounds = if long() { 600 } else { 120 };
    let env = TestEnv::new();
    let shared = env.file(&[]);
    let mut acked: Vec<String> = Vec::new();
    let mut acked_entries = 1usize;
    let (mut killed, mut inits, mut migrations) = (0, 0, 0);
    for round in 0..rounds {
        let delay = Duration::from_micros(rng.below(12_000));
        match round % 10 {
            // A new database, killed during `init` (the schema's one migration runs there).
            0 => {
                inits += 1;
                let path = env.path(&format!("init-{round}.db"));
                let mut c = env.std_cmd(&["init"]);
                c.env("SITREP_DB", &path);
                let (done, _) = kill_after(c, delay);
                killed += usize::from(!done);
                if done || path.exists() {
                    let mut v = env.cmd(&["verify"]);
                    v.env("SITREP_DB", &path);
                    v.assert().success();
                }
            }
            // An existing sitrep file at schema 0, migrated by the first writer to open it
            // (readers read a schema as it is and never migrate).
            5 => {
                migrations += 1;
                let path = env.path(&format!("old-{round}.db"));
                {
                    let c = Connection::open(&path).expect("creates");
                    c.pragma_update(None, "application_id", 0x5349_5452)
                        .expect("id");
                    c.pragma_update(None, "journal_mode", "WAL").expect("wal");
                }
                let mut c = env.std_cmd(&["init"]);
                c.env("SITREP_DB", &path);
                let (done, _) = kill_after(c, delay);
                killed += usize::from(!done);
                let version: i64 = Connection::open(&path)
                    .expect("opens")
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .expect("version");
                assert!(version == 0 || version == 2, "half a migration: {version}");
                let mut v = env.cmd(&["verify"]);
                v.env("SITREP_DB", &path);
                v.assert().success();
            }
            r => {
                let c = if r % 2 == 0 {
                    file_cmd(&env, &format!("崩溃测试{round}"))
                } else {
                    env.std_cmd(&["escalate", &shared, "--level", "city"])
                };
                let (done, first) = kill_after(c, delay);
                if done {
                    acked_entries += 1;
                    if r % 2 == 0 {
                        acked.push(first);
                    }
                } else {
                    killed += 1;
                }
                let v = env.run(&["verify"]);
                assert_eq!(v.code, 0, "round {round} (seed {seed}): {}", v.stdout);
            }
        }
    }
    let c = Connection::open(&env.db).expect("opens");
    let integrity: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("checks");
    assert_eq!(integrity, "ok");
    for id in &acked {
        let n: i64 = c
            .query_row("SELECT COUNT(*) FROM incidents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .expect("counts");
        assert_eq!(
            n, 1,
            "{id} was reported recorded but is missing (seed {seed})"
        );
    }
    let entries = env.entry_count() as usize;
    assert!(
        entries >= acked_entries,
        "{entries} entries, {acked_entries} acknowledged (seed {seed})"
    );
    println!(
        "crash-kill-loop: {rounds} rounds (seed {seed}), {killed} killed mid-command, {inits} during init, {migrations} during a migration; {acked_entries} acknowledged entries all present; integrity ok, verify ok"
    );
}

#[test]
fn append_only_guard_refuses_every_way_round() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "city"]);
    let c = Connection::open(&env.db).expect("opens");
    c.pragma_update(None, "recursive_triggers", "ON")
        .expect("pragma");
    let snapshot = || -> Vec<String> {
        let mut s = c
            .prepare(
                "SELECT seq || '|' || n || '|' || body || '|' || hash FROM entries ORDER BY seq",
            )
            .expect("q");
        s.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    let before = snapshot();
    let copy_of = |n: i64, seq: &str, num: &str| {
        format!(
            "INSERT INTO entries SELECT {seq}, incident, {num}, type, at, recorded, by, os_user, imported, \
             simulated, body, (SELECT hash FROM entries ORDER BY seq DESC LIMIT 1), hash FROM entries WHERE n = {n}"
        )
    };
    let cases = [
        ("update", "UPDATE entries SET body = '{}' WHERE n = 1".to_owned()),
        ("delete", "DELETE FROM entries WHERE n = 2".to_owned()),
        ("insert or replace", "INSERT OR REPLACE INTO entries SELECT * FROM entries WHERE n = 1".to_owned()),
        ("replace into", "REPLACE INTO entries SELECT * FROM entries WHERE n = 1".to_owned()),
        (
            "upsert",
            "INSERT INTO entries SELECT * FROM entries WHERE n = 1 ON CONFLICT DO UPDATE SET body = 'x'".to_owned(),
        ),
        ("a gap in entry numbers", copy_of(2, "3", "4")),
        ("a number used again", copy_of(2, "3", "2")),
    ];
    for (what, sql) in &cases {
        assert!(c.execute_batch(sql).is_err(), "{what} was allowed");
        assert_eq!(snapshot(), before, "{what} changed the table");
    }
    println!(
        "append-only-guard: {} ways refused, table unchanged",
        cases.len()
    );
}

/// The tampered chain passes `verify` alone, and fails against a head recorded before.
fn caught_only_by_the_earlier_head(env: &TestEnv, head: &str) {
    let plain = env.run(&["verify"]);
    assert_eq!(
        plain.code, 0,
        "the chain check alone cannot see it: {}",
        plain.stdout
    );
    let r = env.run(&["verify", "--head", head]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout
            .contains(&format!("the chain does NOT contain {head}")),
        "{}",
        r.stdout
    );
}

fn three(env: &TestEnv) -> String {
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "leader_in_charge"]);
    env.ok(&["escalate", &id, "--level", "principal_leader"]);
    env.ok(&["escalate", &id, "--level", "city"]);
    id
}

/// Drops the entries' guard triggers, as someone tampering with the file would; returns the SQL
/// that puts them back.
fn drop_guards(c: &Connection) -> String {
    let sql: Vec<String> = c
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'",
        )
        .expect("q")
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .map(|(name, create)| {
            c.execute_batch(&format!("DROP TRIGGER {name}"))
                .expect("dropped");
            create
        })
        .collect();
    assert_eq!(sql.len(), 3, "three guard triggers on entries");
    sql.join(";\n") + ";"
}

#[test]
fn tamper_detect_names_the_first_bad_entry() {
    let cases: [(&str, &str, &str); 8] = [
        (
            "an edited text",
            "UPDATE entries SET body = replace(body, '疏散', '未疏散') WHERE n = 1",
            "entry 1 of {id} (position 1) does not match its hash",
        ),
        (
            "an edited time",
            "UPDATE entries SET at = at - 600 WHERE n = 2",
            "entry 2 of {id} (position 2) does not match its hash",
        ),
        (
            "an edited author",
            "UPDATE entries SET by = '别人' WHERE n = 3",
            "entry 3 of {id} (position 3) does not match its hash",
        ),
        (
            "a deleted entry",
            "DELETE FROM entries WHERE n = 2",
            "chain position 2 is missing before entry 3 of {id}",
        ),
        (
            "delete and renumber",
            "DELETE FROM entries WHERE n = 2; UPDATE entries SET seq = seq - 1, n = n - 1 WHERE n > 2",
            "entry 2 of {id} (position 2) does not follow",
        ),
        (
            "two entries swapped",
            "UPDATE entries SET seq = 99 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 99",
            "entry 3 of {id} (position 2) does not follow",
        ),
        (
            "a forged entry in the middle",
            "UPDATE entries SET seq = seq + 10, n = n + 10 WHERE seq >= 3; INSERT INTO entries SELECT 3, incident, 3, type, at, recorded, '伪造', os_user, imported, simulated, body, hash, hash FROM entries WHERE seq = 2; UPDATE entries SET seq = seq - 9, n = n - 9 WHERE seq >= 13",
            "entry 3 of {id} (position 3) does not match its hash",
        ),
        (
            "the triggers removed",
            "",
            "`entries_in_sequence` of sitrep's schema is missing",
        ),
    ];
    for (what, sql, says) in cases {
        let env = TestEnv::new();
        let id = three(&env);
        let c = Connection::open(&env.db).expect("opens");
        drop_guards(&c);
        c.execute_batch(sql).expect("tampered");
        drop(c);
        let r = env.run(&["verify"]);
        assert_eq!(r.code, 3, "{what}: {}", r.stdout);
        let first = r
            .stdout
            .lines()
            .find(|l| l.starts_with("DAMAGED: "))
            .expect("a damage line");
        assert!(
            first.contains(&says.replace("{id}", &id)),
            "{what}: {first}"
        );
    }
    println!(
        "tamper-detect: {} kinds of tampering, each named at its first bad entry",
        cases.len()
    );
}

#[test]
fn a_rewritten_chain_is_caught_by_an_earlier_head() {
    let env = TestEnv::new();
    three(&env);
    let head = env.head();
    // Edit an entry, then rehash everything after it, as an attacker who knows the scheme would.
    let c = Connection::open(&env.db).expect("opens");
    let guards = drop_guards(&c);
    c.execute_batch("UPDATE entries SET by = '别人' WHERE n = 2")
        .expect("edited");
    struct Row {
        seq: i64,
        incident: String,
        n: i64,
        ty: String,
        at: i64,
        recorded: i64,
        by: String,
        os_user: String,
        imported: bool,
        simulated: bool,
        body: String,
    }
    let rows: Vec<Row> = c
        .prepare(
            "SELECT seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body \
             FROM entries ORDER BY seq",
        )
        .expect("q")
        .query_map([], |r| {
            Ok(Row {
                seq: r.get(0)?,
                incident: r.get(1)?,
                n: r.get(2)?,
                ty: r.get(3)?,
                at: r.get(4)?,
                recorded: r.get(5)?,
                by: r.get(6)?,
                os_user: r.get(7)?,
                imported: r.get(8)?,
                simulated: r.get(9)?,
                body: r.get(10)?,
            })
        })
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    let mut prev = "0".repeat(64);
    for r in &rows {
        let link = sitrep::store::chain::Link {
            seq: r.seq,
            incident: &r.incident,
            n: r.n,
            entry_type: &r.ty,
            at: r.at,
            recorded: r.recorded,
            by: &r.by,
            os_user: &r.os_user,
            imported: r.imported,
            simulated: r.simulated,
            body: &r.body,
        };
        let hash = sitrep::store::chain::entry_hash(&prev, &link);
        c.execute(
            "UPDATE entries SET prev = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, r.seq],
        )
        .expect("rehashed");
        prev = hash;
    }
    c.execute_batch(&guards).expect("restored");
    drop(c);
    caught_only_by_the_earlier_head(&env, &head);
    println!(
        "tamper-detect (rehash): a rewritten chain verifies alone and fails against the earlier head"
    );
}

#[test]
fn a_truncated_tail_is_caught_by_an_earlier_head() {
    let env = TestEnv::new();
    three(&env);
    let head = env.head();
    let c = Connection::open(&env.db).expect("opens");
    let guards = drop_guards(&c);
    c.execute_batch("DELETE FROM entries WHERE seq = 4")
        .expect("truncated");
    c.execute_batch(&guards).expect("restored");
    drop(c);
    caught_only_by_the_earlier_head(&env, &head);
    println!(
        "tamper-detect (truncation): a chain cut at its tail verifies alone and fails against the earlier head"
    );
}
