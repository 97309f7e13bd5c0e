//! Writers under load and faults on a shared store (DESIGN.md §12): many processes of many
//! offices at once, the server killed and restarted under them, a connection cut mid-write.
//! What was acknowledged is there; what was not says so and keeps a draft; nothing else shows.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::env::Shared;
use crate::env::Run;

/// One sitrep process a writer ran.
struct Attempt {
    args: Vec<String>,
    run: Run,
}

/// The note a test store prints on every command: not an error.
fn only_the_test_store_note(stderr: &str) -> bool {
    stderr
        .lines()
        .all(|l| l.starts_with("note: this shared store is a test store"))
}

fn count(s: &Shared<'_>, sql: &str) -> i64 {
    s.owner_sql(sql)
        .parse()
        .unwrap_or_else(|_| panic!("{sql}: not a count"))
}

fn verify_ok(s: &Shared<'_>) {
    let (code, v) = s.json_as(s.owner(), &["verify"]);
    assert_eq!((code, &v["ok"]), (0, &Value::Bool(true)), "{v}");
}

#[test]
fn thirty_two_processes_of_four_offices_file_and_escalate_at_once() {
    const WRITERS: usize = 32;
    const ROUNDS: usize = 4;
    let Some(s) = Shared::test_store() else {
        return;
    };
    let offices = ["ka", "kb", "kc", "kd"];
    for (i, o) in offices.iter().enumerate() {
        s.add_office(o, &format!("第{}县总值班室", i + 1), None);
        s.grant(o, &format!("值班员{o}"), false);
    }
    let started = Instant::now();
    let attempts: Vec<Attempt> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let s = &s;
                scope.spawn(move || {
                    let login = format!("值班员{}", offices[w % offices.len()]);
                    let mut mine = Vec::new();
                    for r in 0..ROUNDS {
                        let title = format!("并发测试{w}-{r}");
                        let args = crate::env::file_args(&["--title", &title]);
                        let run = s.run_as(&login, &args);
                        let id = run.stdout.lines().next().unwrap_or_default().to_owned();
                        mine.push(Attempt {
                            args: args.iter().map(|a| (*a).to_owned()).collect(),
                            run,
                        });
                        let args = ["escalate", &id, "--level", "leader_in_charge"];
                        let run = s.run_as(&login, &args);
                        mine.push(Attempt {
                            args: args.iter().map(|a| (*a).to_owned()).collect(),
                            run,
                        });
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a writer thread"))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "pg-concurrent-write: {} processes from {WRITERS} writers of {} offices in {seconds:.1} s ({:.0}/s)",
        attempts.len(),
        offices.len(),
        attempts.len() as f64 / seconds
    );
    // Nothing shown but the results: every conflict was retried unseen.
    for a in &attempts {
        assert!(
            a.run.code == 0 && only_the_test_store_note(&a.run.stderr),
            "sitrep {:?}: exit {}\n{}",
            a.args,
            a.run.code,
            a.run.stderr
        );
    }
    // Every filing is there with its escalation, numbered without gaps in each office.
    let per_office = (WRITERS / offices.len() * ROUNDS) as i64;
    for o in offices {
        let got = s.owner_sql(&format!(
            "SELECT count(*) || ' ' || max(number) FROM sitrep.incidents WHERE office = '{o}'"
        ));
        assert_eq!(got, format!("{per_office} {per_office}"), "office {o}");
    }
    let filed = (WRITERS * ROUNDS) as i64;
    assert_eq!(count(&s, "SELECT count(*) FROM sitrep.entries"), 2 * filed);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM sitrep.entries WHERE type = 'escalation'"
        ),
        filed
    );
    verify_ok(&s);
}

#[test]
fn the_server_killed_under_eight_writers_keeps_every_acknowledged_entry() {
    const WRITERS: usize = 8;
    let Some(fault) = crate::pg::cluster::fault_cluster() else {
        return;
    };
    let s = Shared::on(&fault, true);
    s.add_office("t", "测试单位", None);
    s.grant("t", "值班员", false);
    let stop = AtomicBool::new(false);
    let acknowledged = AtomicUsize::new(0);
    let attempts: Vec<Attempt> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (s, stop, acknowledged) = (&s, &stop, &acknowledged);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    let mut r = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let title = format!("断电测试{w}-{r}");
                        r += 1;
                        let args = crate::env::file_args(&["--title", &title]);
                        let run = s.run_as("值班员", &args);
                        let filed = run.code == 0;
                        let id = run.stdout.lines().next().unwrap_or_default().to_owned();
                        mine.push(Attempt {
                            args: args.iter().map(|a| (*a).to_owned()).collect(),
                            run,
                        });
                        if !filed {
                            // The server is down: try again a little later, as a person would.
                            std::thread::sleep(Duration::from_millis(100));
                            continue;
                        }
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                        let args = ["update", &id, "--progress", "现场已控制"];
                        let run = s.run_as("值班员", &args);
                        mine.push(Attempt {
                            args: args.iter().map(|a| (*a).to_owned()).collect(),
                            run,
                        });
                    }
                    mine
                })
            })
            .collect();
        let wait_for = |n: usize| {
            let deadline = Instant::now() + Duration::from_secs(120);
            while acknowledged.load(Ordering::SeqCst) < n {
                assert!(Instant::now() < deadline, "the writers made no progress");
                std::thread::sleep(Duration::from_millis(20));
            }
        };
        wait_for(WRITERS);
        fault.kill9();
        std::thread::sleep(Duration::from_millis(300));
        let before = acknowledged.load(Ordering::SeqCst);
        fault.restart();
        wait_for(before + WRITERS);
        stop.store(true, Ordering::SeqCst);
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a writer thread"))
            .collect()
    });

    let (mut ok, mut lost) = (0, 0);
    for a in &attempts {
        match a.run.code {
            0 => {
                ok += 1;
                assert!(only_the_test_store_note(&a.run.stderr), "{}", a.run.stderr);
                if a.args[0] == "file" {
                    let id = a.run.stdout.lines().next().unwrap_or_else(|| {
                        panic!(
                            "sitrep {:?}: exit 0 without an id\n{}",
                            a.args, a.run.stderr
                        )
                    });
                    let title =
                        &a.args[a.args.iter().position(|x| x == "--title").expect("title") + 1];
                    assert_eq!(
                        s.owner_sql(&format!(
                            "SELECT title FROM sitrep.incidents WHERE id = '{id}'"
                        )),
                        *title,
                        "acknowledged {id} is not in the store"
                    );
                }
            }
            1 => {
                lost += 1;
                // Said NOT recorded, with the draft saved where it says.
                let err = &a.run.stderr;
                assert!(err.contains("NOT recorded"), "sitrep {:?}:\n{err}", a.args);
                let draft = crate::env::draft_of(err);
                assert!(draft.contains(&a.args[1]), "{draft}");
            }
            code => panic!("sitrep {:?}: exit {code}\n{}", a.args, a.run.stderr),
        }
    }
    // Acknowledged follow-ups are there too; unacknowledged entries are absent or whole.
    let updates = attempts
        .iter()
        .filter(|a| a.args[0] == "update" && a.run.code == 0)
        .count() as i64;
    let stored = count(
        &s,
        "SELECT count(*) FROM sitrep.entries WHERE type = 'followup'",
    );
    assert!(
        stored >= updates,
        "{stored} follow-ups stored, {updates} acknowledged"
    );
    println!(
        "pg-kill9: {} attempts, {ok} acknowledged, {lost} said NOT recorded",
        attempts.len()
    );
    assert!(lost > 0, "the server's death was not seen by any writer");
    verify_ok(&s);
}

#[test]
fn a_connection_cut_mid_write_is_not_recorded_and_keeps_the_draft() {
    let Some(s) = Shared::test_store() else {
        return;
    };
    s.add_office("t", "测试单位", None);
    s.grant("t", "值班员", false);
    let id = s.file_as("值班员", &[]);
    // The owner holds the office's chain, so the follow-up waits inside its transaction…
    let mut holder = s.cluster.client(&s.db, s.owner());
    let mut tx = holder.transaction().expect("begins");
    tx.execute(
        "SELECT 1 FROM sitrep.heads WHERE office = 't' FOR UPDATE",
        &[],
    )
    .expect("locks");
    let child = s
        .env
        .std_cmd(&["update", &id, "--progress", "续报：伤员已送医"])
        .env("SITREP_DB", s.url("值班员"))
        .env("SITREP_USER", "值班员")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    // …and its backend is terminated there.
    let deadline = Instant::now() + Duration::from_secs(30);
    let pid = loop {
        let pid = s.owner_sql(
            "SELECT coalesce(max(pid), 0) FROM pg_stat_activity \
             WHERE usename = '值班员' AND wait_event_type = 'Lock'",
        );
        if pid != "0" {
            break pid;
        }
        assert!(
            Instant::now() < deadline,
            "the follow-up never waited for the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        s.owner_sql(&format!("SELECT pg_terminate_backend({pid})")),
        "t"
    );
    let out = child.wait_with_output().expect("ends");
    tx.rollback().expect("rolls back");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("NOT recorded"), "{err}");
    let draft = crate::env::draft_of(&err);
    assert!(draft.contains("续报：伤员已送医"), "{draft}");
    assert_eq!(count(&s, "SELECT count(*) FROM sitrep.entries"), 1);
    // Run again, it is recorded once.
    s.ok_as("值班员", &["update", &id, "--progress", "续报：伤员已送医"]);
    assert_eq!(count(&s, "SELECT count(*) FROM sitrep.entries"), 2);
    verify_ok(&s);
}
