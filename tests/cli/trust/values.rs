//! One set of rules for every value, wherever it comes from (issue cases 7–10, 13 and 15):
//! refused before anything is recorded, or recorded as what was meant — never differently by
//! the display language.

use crate::env::{TestEnv, count, file_args};

/// Runs a command that must be refused with `code`, saying `says`, and record nothing.
fn refused(env: &TestEnv, args: &[&str], code: i32, says: &str) {
    let (entries, incidents) = (env.entry_count(), env.incident_count());
    let r = env.run(args);
    assert_eq!(r.code, code, "{args:?}: {}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(says),
        "{args:?}: expected {says:?} in {}",
        r.stderr
    );
    assert_eq!(
        (env.entry_count(), env.incident_count()),
        (entries, incidents),
        "{args:?} recorded something"
    );
}

/// Cases 7 and 8: a figure given twice, and figures beyond any accident.
#[test]
fn figures_are_given_once_and_within_bounds() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    refused(
        &env,
        &file_args(&["--deaths", "5", "--figure", "deaths=2"]),
        1,
        "deaths is given twice",
    );
    refused(
        &env,
        &file_args(&["--deaths", "9223372036854775807"]),
        1,
        "more than 10000000 people",
    );
    refused(
        &env,
        &file_args(&["--loss", "2e15"]),
        1,
        "more than 1000000000000000",
    );
    // Two incidents at the bounds sum without overflow in the digest.
    env.file(&["--deaths", "10000000", "--loss", "1e15"]);
    env.file(&["--deaths", "10000000", "--loss", "1e15"]);
    let (_, v) = env.json(&[
        "digest",
        "--from",
        "2026-03-10 00:00",
        "--to",
        "2026-03-11 00:00",
    ]);
    assert_eq!(
        v["totals"]["figures"]["deaths"],
        serde_json::json!(20_000_000)
    );
    assert_eq!(
        v["totals"]["figures"]["direct_loss"],
        serde_json::json!(2_000_000_000_000_000_i64)
    );
}

/// Case 9: a writing command refuses a format it does not write before recording.
#[test]
fn an_unsupported_format_is_refused_before_anything_is_recorded() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let mut args = file_args(&[]);
    args.extend(["--format", "csv"]);
    refused(&env, &args, 2, "does not write --format csv");
    let id = env.file(&[]);
    refused(
        &env,
        &["escalate", &id, "--level", "city", "--format", "markdown"],
        2,
        "does not write --format markdown",
    );
}

/// Case 10: what is stored never depends on the display language.
#[test]
fn an_unknown_cause_is_stored_as_its_status() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let id = env.file(&["--cause-status", "unknown"]);
    let body: String = rusqlite::Connection::open(&env.db)
        .expect("opens")
        .query_row("SELECT body FROM entries WHERE n = 1", [], |r| r.get(0))
        .expect("body");
    assert!(body.contains(r#""cause":{"status":"unknown"}"#), "{body}");
    assert!(
        !body.contains("原因不明") && !body.contains("\"unknown\","),
        "{body}"
    );
    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("原因不明"), "{shown}");
    let (_, v) = {
        let mut en = TestEnv::new();
        en.db = env.db.clone();
        en.json(&["show", &id])
    };
    assert_eq!(
        v["entries"][0]["cause"],
        serde_json::json!({"text": null, "status": "unknown"})
    );
}

/// Cases 13 and 15: names, titles and times held to the rules of one-line text and sane years;
/// what is accepted survives `export | import`.
#[test]
fn names_titles_and_times_are_held_to_one_set_of_rules() {
    let mut env = TestEnv::new();
    env.ok(&["init"]);
    let big = "名".repeat(40_000);
    for (who, says) in [
        ("", "--as is empty"),
        ("\u{1b}[2J值班员", "control character U+001B"),
        (big.as_str(), "over the 1024 a one-line field holds"),
    ] {
        let mut args = vec!["--as", who];
        args.extend(file_args(&[]));
        refused(&env, &args, 1, says);
    }
    for title in [
        "燃气泄漏\n第二行",
        "燃气\u{2028}泄漏",
        "燃气\u{200B}泄漏",
        "燃气\u{200F}泄漏",
        "燃气\u{061C}泄漏",
    ] {
        refused(&env, &file_args(&["--title", title]), 1, "--title");
    }
    for t in ["1900-01-01 00:00", "0000-01-01 00:00"] {
        refused(&env, &file_args(&["--occurred", t]), 1, "outside 1970–2100");
    }
    // The OS user is recorded with its control characters escaped.
    env.env("USER", "\u{1b}[31mroot");
    env.env("SITREP_USER", "");
    let id = env.file(&[]);
    let os_user: String = rusqlite::Connection::open(&env.db)
        .expect("opens")
        .query_row("SELECT os_user FROM entries WHERE n = 1", [], |r| r.get(0))
        .expect("os_user");
    assert_eq!(os_user, "\\u{1b}[31mroot");
    let shown = env.ok(&["show", &id]);
    assert!(
        !shown.contains('\u{1b}'),
        "nothing raw reaches the terminal"
    );
    // What was accepted comes back through export and import.
    let export = env.ok(&["export"]);
    let file = env.path("all.jsonl");
    std::fs::write(&file, export).expect("written");
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    fresh.ok(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(count(&fresh.db, "SELECT COUNT(*) FROM entries"), 1);
}
