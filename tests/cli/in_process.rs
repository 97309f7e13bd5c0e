//! `sitrep::run` takes the process as a value (arguments, environment, clock, terminals), so a
//! command runs in this test's own process, with a clock the test chooses and no environment
//! of its own: nothing is read from the real process.

use std::collections::HashMap;
use std::ffi::OsString;

use chrono::{DateTime, Utc};

use crate::env::{count, file_args};

fn two_pm() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-10T14:10:00+08:00")
        .expect("valid")
        .to_utc()
}

fn next_day() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T14:10:00+08:00")
        .expect("valid")
        .to_utc()
}

fn process(args: &[&str], home: &std::path::Path, clock: fn() -> DateTime<Utc>) -> sitrep::Process {
    let mut argv: Vec<OsString> = vec!["sitrep".into(), "--no-input".into()];
    argv.extend(args.iter().map(OsString::from));
    sitrep::Process {
        args: argv,
        env: HashMap::from([
            ("XDG_DATA_HOME".to_owned(), home.display().to_string()),
            ("LANG".to_owned(), "C".to_owned()),
            ("USER".to_owned(), "值班员".to_owned()),
        ]),
        clock,
        stdin_tty: false,
        stdout_tty: false,
        stderr_tty: false,
        temp_dir: home.join("tmp"),
        local_rules: None,
    }
}

#[test]
fn a_command_runs_on_the_process_it_is_given() {
    let home = tempfile::tempdir().expect("home");
    let args = file_args(&[]);
    assert_eq!(sitrep::run(process(&args, home.path(), two_pm)), 0);
    let db = home.path().join("sitrep/sitrep.db");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM entries"),
        1,
        "in the data directory given"
    );
    let recorded = count(&db, "SELECT recorded FROM entries");
    assert_eq!(
        recorded,
        two_pm().timestamp(),
        "recorded by the clock given"
    );
    // The same record a day later by the clock given: the city was never told, so check
    // finds violations (exit 3); as of the filing time nothing is late yet (exit 0).
    assert_eq!(
        sitrep::run(process(&["check", "-q"], home.path(), next_day)),
        3
    );
    assert_eq!(
        sitrep::run(process(
            &["check", "-q", "--at", "2026-03-10 14:10"],
            home.path(),
            next_day
        )),
        0
    );
    // A usage error is exit 2, whatever the process.
    assert_eq!(
        sitrep::run(process(&["check", "--nope"], home.path(), next_day)),
        2
    );
}
