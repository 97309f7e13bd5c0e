//! Every error a user can hit: the exit code, the message, and nothing written.

use crate::env::{TestEnv, file_args};

/// Runs a refused command: asserts its exit code, that stderr says `says`, that there is no
/// backtrace, and that the database holds as many entries and incidents as before.
fn refused(env: &TestEnv, args: &[&str], code: i32, says: &str) -> String {
    let (entries, incidents) = (env.entry_count(), env.incident_count());
    let r = env.run(args);
    assert_eq!(r.code, code, "sitrep {args:?}\nstderr: {}", r.stderr);
    assert!(
        r.stderr.contains(says),
        "sitrep {args:?}: expected {says:?} in\n{}",
        r.stderr
    );
    assert!(!r.stderr.contains("backtrace"), "{}", r.stderr);
    assert!(
        r.stdout.is_empty(),
        "a refusal prints no data: {}",
        r.stdout
    );
    assert_eq!(
        env.entry_count(),
        entries,
        "entries written by a refused command"
    );
    assert_eq!(
        env.incident_count(),
        incidents,
        "incidents written by a refused command"
    );
    r.stderr
}

#[test]
fn bad_time_forms_are_refused_with_examples() {
    let env = TestEnv::new();
    for bad in [
        "soon",
        "25:00",
        "2026-02-30 10:00",
        "14:05 tomorrow",
        "2026-03-10",
    ] {
        let args = file_args(&["--occurred", bad]);
        refused(&env, &args, 1, "");
        let r = env.run(&args);
        assert!(
            r.stderr.contains("not a time sitrep reads") || r.stderr.contains("no time of day"),
            "{bad}: {}",
            r.stderr
        );
    }
}

#[test]
fn a_future_time_is_refused() {
    let env = TestEnv::new();
    let e = refused(
        &env,
        &file_args(&["--at", "2026-03-10 14:26"]),
        1,
        "is in the future",
    );
    assert!(e.contains("now is 2026-03-10 14:20"), "{e}");
    // Five minutes ahead is allowed (clocks differ).
    env.ok(&file_args(&["--at", "2026-03-10 14:25"]));
}

#[test]
fn an_entry_before_the_incident_is_refused() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    refused(
        &env,
        &["escalate", &id, "--level", "city", "--at", "14:00"],
        1,
        "is before 20260310-001's known time 2026-03-10 14:10",
    );
    // Between the occurrence and the known time, and the command that fixes it if the office
    // really knew earlier.
    let err = refused(
        &env,
        &["escalate", &id, "--level", "city", "--at", "14:09"],
        1,
        "sitrep correct 20260310-001 --entry 1 --known '2026-03-10 14:09' --reason",
    );
    assert!(
        err.contains("nothing is reported before the office knew"),
        "{err}"
    );
    env.ok(&["escalate", &id, "--level", "city", "--at", "14:10"]);
}

#[test]
fn a_known_time_before_the_occurred_time_is_refused() {
    let env = TestEnv::new();
    refused(
        &env,
        &file_args(&["--occurred", "14:10", "--known", "14:05"]),
        1,
        "the known time 2026-03-10 14:05 is before the occurred time 2026-03-10 14:10",
    );
}

fn berlin(env: &mut TestEnv) -> String {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
            .expect("default rules")
            .replace(
                "time_zone = \"Asia/Shanghai\"",
                "time_zone = \"Europe/Berlin\"",
            );
    let path = env.path("berlin.toml");
    std::fs::write(&path, text).expect("written");
    env.at("2026-11-01T12:00:00+01:00");
    path.to_string_lossy().into_owned()
}

#[test]
fn dst_gap_and_fold_are_refused_in_a_zone_with_dst() {
    let mut env = TestEnv::new();
    let rules = berlin(&mut env);
    let mut args = file_args(&[
        "--occurred",
        "2026-03-29 02:30",
        "--known",
        "2026-03-29 04:00",
    ]);
    args.extend(["--rules", &rules]);
    refused(&env, &args, 1, "does not exist in Europe/Berlin");
    let mut args = file_args(&[
        "--occurred",
        "2026-10-25 02:30",
        "--known",
        "2026-10-25 04:00",
    ]);
    args.extend(["--rules", &rules]);
    refused(&env, &args, 1, "happens twice in Europe/Berlin");
    let mut args = file_args(&[
        "--occurred",
        "2026-10-25T02:30:00+01:00",
        "--known",
        "2026-10-25 04:00",
    ]);
    args.extend(["--rules", &rules]);
    env.ok(&args);
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let env = TestEnv::new();
    let e = refused(
        &env,
        &file_args(&["--kind", "volcano"]),
        1,
        "unknown kind `volcano`",
    );
    assert!(e.contains("fire (火灾), road_traffic (道路交通)"), "{e}");
    let e = refused(
        &env,
        &file_args(&["--severity", "huge"]),
        1,
        "unknown severity `huge`",
    );
    assert!(
        e.contains("general (一般), larger (较大), major (重大), especially_major (特别重大)"),
        "{e}"
    );
    let id = env.file(&[]);
    let e = refused(
        &env,
        &["escalate", &id, "--level", "province"],
        1,
        "unknown level `province`",
    );
    assert!(
        e.contains(
            "leader_in_charge (分管领导), principal_leader (主要领导), city (市委市政府总值班室)"
        ),
        "{e}"
    );
    refused(
        &env,
        &["escalate", &id, "--level", "city", "--via", "pigeon"],
        1,
        "unknown channel `pigeon`",
    );
    refused(
        &env,
        &["update", &id, "--progress", "x", "--figure", "goats=3"],
        1,
        "unknown figure `goats`",
    );
    refused(
        &env,
        &["update", &id, "--progress", "x", "--loss", "12.5"],
        1,
        "fraction of a yuan",
    );
}

#[test]
fn a_severity_below_the_figures_is_concealment_and_uses_no_id() {
    let env = TestEnv::new();
    let e = refused(
        &env,
        &file_args(&["--severity", "general", "--deaths", "3"]),
        1,
        "severity general (一般) is lower than the figures imply: deaths 3 ≥ 3 makes it at least larger (较大)",
    );
    assert!(e.contains("Nothing was recorded"), "{e}");
    assert_eq!(
        env.file(&[]),
        "20260310-001",
        "the refused filing used no id"
    );
}

#[test]
fn missing_required_flags_are_all_named_without_prompting() {
    let env = TestEnv::new();
    let e = refused(
        &env,
        &["file", "--no-input", "--title", "x"],
        2,
        "missing --kind, --occurred, --location, --unit, --facts",
    );
    assert!(e.contains("run in a terminal"), "{e}");
    // stdin not a terminal is the same as --no-input.
    refused(&env, &["file", "--title", "x"], 2, "missing --kind");
    let id = env.file(&[]);
    refused(&env, &["update", &id], 2, "missing --progress");
    refused(&env, &["close", &id], 2, "missing --summary");
    refused(&env, &["escalate", &id], 2, "missing --level");
    refused(&env, &["correct", &id], 2, "missing --entry, --reason");
}

#[test]
fn unknown_and_malformed_ids() {
    let env = TestEnv::new();
    env.file(&[]);
    refused(
        &env,
        &["show", "20260310-009"],
        1,
        "there is no incident 20260310-009: `sitrep list` shows the ids",
    );
    refused(
        &env,
        &["update", "42", "--progress", "x"],
        1,
        "`42` is not an incident id",
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    refused(
        &env,
        &["show", &id, "--format", "csv"],
        2,
        "this command does not write --format csv; it writes: table, json, markdown",
    );
    refused(&env, &["frobnicate"], 2, "unrecognized subcommand");
    refused(
        &env,
        &["list", "--open", "--closed"],
        2,
        "cannot be used with",
    );
}

#[test]
fn no_backtrace_even_when_rust_backtrace_is_set() {
    let mut env = TestEnv::new();
    env.env("RUST_BACKTRACE", "full");
    let e = refused(
        &env,
        &["show", "20260310-001"],
        1,
        "there is no database at",
    );
    assert_eq!(e.lines().count(), 1, "one line: {e}");
}

#[test]
fn errors_speak_chinese_with_lang_zh() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let e = refused(
        &env,
        &file_args(&["--kind", "volcano"]),
        1,
        "错误：未知的事件类型“volcano”",
    );
    assert!(e.contains("火灾"), "{e}");
}

#[test]
fn text_that_a_reader_cannot_see_is_refused() {
    let env = TestEnv::new();
    refused(&env, &file_args(&["--facts", "   "]), 2, "missing --facts");
    refused(
        &env,
        &file_args(&["--measures", " "]),
        1,
        "--measures is empty",
    );
    refused(
        &env,
        &file_args(&["--facts", "a\u{202E}b"]),
        1,
        "bidirectional control U+202E",
    );
    refused(
        &env,
        &file_args(&["--title", "a\u{7}b"]),
        1,
        "control character U+0007",
    );
    let big = "字".repeat(30_000);
    refused(
        &env,
        &file_args(&["--facts", big.as_str()]),
        1,
        "over the 64 KiB a field holds",
    );
}

#[test]
fn a_bad_sitrep_now_is_refused() {
    let mut env = TestEnv::new();
    env.at("yesterday");
    refused(
        &env,
        &["list"],
        1,
        "SITREP_NOW is `yesterday`, not an RFC 3339 time",
    );
}
