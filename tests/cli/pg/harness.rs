//! The cluster harness itself: it starts, hands out empty databases, runs SQL as a role,
//! restarts after a SIGKILL keeping what was committed, and leaves nothing running behind a
//! killed test run.

use std::io::BufRead;
use std::time::{Duration, Instant};

use sitrep::store::pg::conninfo::{self, PgEnv};

use super::cluster::{Cluster, Options, cluster, fault_cluster};

/// A session through sitrep's own connection layer.
fn connect(url: &str) -> Result<postgres::Client, postgres::Error> {
    assert!(conninfo::is_conninfo(url), "{url}");
    let conn = conninfo::parse(url, &PgEnv::default()).unwrap_or_else(|e| panic!("{url}: {e}"));
    conninfo::connect(&conn)
}

fn one(client: &mut postgres::Client, sql: &str) -> String {
    let row = client
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.get(0)
}

#[test]
fn the_cluster_starts_and_hands_out_new_empty_databases() {
    let Some(c) = cluster() else { return };
    let (a, b) = (c.fresh_db(), c.fresh_db());
    assert_ne!(a, b);
    let su = c.superuser();
    let tables = "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace";
    assert_eq!(c.psql_ok(&a, su, tables), "0\n");
    c.psql_ok(&a, su, "CREATE TABLE t (x int)");
    assert_eq!(c.psql_ok(&b, su, tables), "0\n", "each database is its own");
    if std::env::var_os("SITREP_TEST_PG").is_none() {
        let show = c.psql_ok(
            "postgres",
            su,
            "SELECT current_setting('fsync'), current_setting('synchronous_commit'), \
             current_setting('listen_addresses'), current_setting('max_connections')::int >= 100",
        );
        assert_eq!(show, "off|on||t\n");
        assert!(
            c.url(&a, su)
                .contains(&c.socket_dir().display().to_string())
        );
        assert_eq!(c.port(), 5432, "the socket is private, so the usual number");
    }
}

#[test]
fn psql_runs_as_a_role_held_to_what_the_role_may_do() {
    let Some(c) = cluster() else { return };
    let db = c.fresh_db();
    for name in ["值班员张三", "o\"'k"] {
        c.create_login(name);
        c.create_login(name);
        assert_eq!(
            c.psql_ok(&db, name, "SELECT current_user"),
            format!("{name}\n")
        );
    }
    let out = c.psql(
        &db,
        "值班员张三",
        "SELECT 1;\nCREATE TABLE t (x int);\nSELECT 2;",
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "ON_ERROR_STOP stops at the error"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1\n",
        "and runs nothing after it"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("permission denied for schema public"), "{err}");
}

#[test]
fn sitrep_connects_with_the_url_the_harness_gives() {
    let Some(c) = cluster() else { return };
    let db = c.fresh_db();
    c.create_login("值班员李四");
    let mut client = connect(&c.url(&db, "值班员李四")).expect("connects");
    assert_eq!(one(&mut client, "SELECT current_user::text"), "值班员李四");
    assert_eq!(one(&mut client, "SELECT current_database()::text"), db);
    assert_eq!(
        one(&mut client, "SELECT current_setting('application_name')"),
        "sitrep"
    );
}

#[test]
fn the_fault_cluster_restarts_after_kill9_with_what_was_committed() {
    let Some(f) = fault_cluster() else { return };
    let db = f.fresh_db();
    let su = f.superuser().to_owned();
    f.psql_ok(
        &db,
        &su,
        "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2);",
    );
    assert_eq!(f.psql_ok(&db, &su, "SHOW fsync"), "on\n");
    let mut open = connect(&f.url(&db, &su)).expect("connects");
    let before = f.postmaster_pid().expect("running");

    f.kill9();
    assert!(!f.accepts());
    assert!(connect(&f.url(&db, &su)).is_err());
    // What an open session sees of the server's death: the link is gone.
    let e = open
        .simple_query("SELECT 1")
        .expect_err("the server is gone");
    assert!(
        e.is_closed()
            || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
            || e.code().is_some_and(|c| c.code().starts_with("57P")),
        "{e:?}"
    );

    f.restart();
    assert_ne!(f.postmaster_pid(), Some(before));
    assert_eq!(f.psql_ok(&db, &su, "SELECT sum(x) FROM t"), "3\n");
    let mut again = connect(&f.url(&db, &su)).expect("connects after the restart");
    assert_eq!(one(&mut again, "SELECT sum(x)::text FROM t"), "3");
}

/// Run by [`a_killed_test_run_leaves_no_server_behind`] in a child process: starts a cluster of
/// its own, says where, and waits to be killed.
#[test]
#[ignore = "a helper the watchdog test runs in a child process"]
fn child_holds_a_cluster() {
    if std::env::var_os("SITREP_PG_CHILD").is_none() {
        return;
    }
    match Cluster::new(&Options::default()) {
        Ok(c) => {
            let pid = c.postmaster_pid().expect("running");
            println!("cluster {pid} {}", c.dir().display());
            std::thread::sleep(Duration::from_secs(120));
        }
        Err(why) => println!("none {why}"),
    }
}

#[test]
fn a_killed_test_run_leaves_no_server_behind() {
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "pg::harness::child_holds_a_cluster",
            "--ignored",
            "--nocapture",
        ])
        .env("SITREP_PG_CHILD", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs the child");
    let stdout = child.stdout.take().expect("its stdout");
    let said = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("cluster ") || l.starts_with("none "))
        .unwrap_or_default();
    let Some(rest) = said.strip_prefix("cluster ") else {
        let _ = child.kill();
        let _ = child.wait();
        crate::env::skip(
            said.strip_prefix("none ")
                .unwrap_or("the child started no cluster"),
        );
        return;
    };
    let (pid, dir) = rest.split_once(' ').expect("pid and directory");
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    assert!(proc.exists(), "the child's postmaster runs");

    child.kill().expect("SIGKILL the child");
    child.wait().expect("reaped");
    let deadline = Instant::now() + Duration::from_secs(20);
    while proc.exists() || std::path::Path::new(dir).exists() {
        let zombie = std::fs::read_to_string(proc.join("stat")).is_ok_and(|s| {
            s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        });
        if zombie && !std::path::Path::new(dir).exists() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "postmaster {pid} or {dir} outlived the killed test process"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
