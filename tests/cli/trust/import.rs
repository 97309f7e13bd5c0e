//! Accepted here, refused there (issue case 14): `import` refuses what the typed commands refuse,
//! by line number, and writes nothing.

use serde_json::{Value, json};

use crate::env::TestEnv;

/// An export of one ordinary incident, as a JSON value to alter.
fn exported() -> (TestEnv, Value) {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "city"]);
    let line = env.ok(&["export"]);
    (env, serde_json::from_str(line.trim()).expect("json"))
}

fn refused_on_import(env: &TestEnv, lines: &[String], says: &str) {
    let file = env.path("in.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("written");
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{says}: {}", r.stderr);
    assert!(r.stderr.contains(says), "expected {says:?} in {}", r.stderr);
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert_eq!(fresh.entry_count(), 0);
}

#[test]
fn import_refuses_what_typed_commands_refuse() {
    let (env, good) = exported();
    let good_line = good.to_string();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        v["id"] = json!("20260310-002");
        f(&mut v);
        vec![good_line.clone(), v.to_string()]
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            edit(&|v| v["entries"][1]["at"] = json!("2099-03-10T14:30:00+08:00")),
            "line 2: 20260310-002 entry 2: `at` 2099-03-10T14:30:00+08:00 is in the future",
        ),
        (
            edit(&|v| {
                v["entries"][1]["at"] = json!("2026-03-10T15:40:00+08:00");
                v["entries"][1]["recorded"] = json!("2026-03-10T14:30:00+08:00");
            }),
            "line 2: 20260310-002 entry 2: recorded 2026-03-10T06:30:00Z, more than 5 minutes before the time it claims",
        ),
        (
            edit(&|v| {
                v["entries"][0]["occurred"] = json!("2029-01-01T10:00:00+08:00");
                v["entries"][0]["known"] = json!("2029-01-01T10:00:00+08:00");
            }),
            "line 2: 20260310-002 entry 1: `occurred` 2029-01-01T10:00:00+08:00 is in the future",
        ),
        (
            edit(&|v| v["comment"] = json!("x".repeat(1000))),
            "line 2: not an incident as `sitrep export` writes it (unknown field `comment`",
        ),
        (
            edit(&|v| v["entries"][1]["extra"] = json!(1)),
            "line 2: not an incident as `sitrep export` writes it (unknown field `extra`",
        ),
        (
            vec![
                good_line.clone(),
                good_line.replacen(
                    "\"id\":\"20260310-001\"",
                    "\"id\":\"20260310-002\",\"id\":\"20260310-003\"",
                    1,
                ),
            ],
            "line 2: not an incident as `sitrep export` writes it (duplicate field `id`",
        ),
        (
            vec![good_line.replacen(
                "\"measures\":\"疏散周边群众\",\"figures\":{}",
                "\"measures\":\"疏散周边群众\",\"figures\":{\"deaths\":1,\"deaths\":2}",
                1,
            )],
            "line 1: not an incident as `sitrep export` writes it (figure `deaths` is given twice",
        ),
        (
            edit(&|v| v["entries"][0]["title"] = json!("燃气\n泄漏")),
            "`title` must be one line",
        ),
    ];
    for (lines, says) in &cases {
        refused_on_import(&env, lines, says);
    }
    println!(
        "import-refusals: {} kinds refused by line number, nothing written",
        cases.len()
    );
}
