//! `check`: one scenario with every finding kind, judged at three instants; scope; pinned rules.

use serde_json::{Value, json};

use crate::env::TestEnv;

/// Incident A: every finding kind by 14:55. Incident B: closed without its written report.
fn scenario() -> (TestEnv, String, String) {
    let mut env = TestEnv::new();
    // A: filed at 14:20 without measures (incomplete), known 14:10.
    let a = env.file(&["--measures"]);
    env.at("2026-03-10T14:30:00+08:00");
    // The city is told before either leader: both leader steps are bypassed.
    env.ok(&["escalate", &a, "--level", "city", "--via", "phone"]);
    env.at("2026-03-10T14:35:00+08:00");
    env.ok(&["escalate", &a, "--level", "leader_in_charge"]);
    env.at("2026-03-10T14:50:00+08:00");
    env.ok(&[
        "update",
        &a,
        "--progress",
        "泄漏已控制",
        "--cause",
        "违规动火作业",
        "--cause-status",
        "confirmed",
    ]);
    // B: a gas leak, every level told in order, closed before the written report to the city.
    let b = env.file(&[
        "--title",
        "燃气管道泄漏",
        "--kind",
        "gas",
        "--occurred",
        "14:40",
        "--known",
        "14:45",
        "--at",
        "14:46",
    ]);
    env.ok(&[
        "escalate",
        &b,
        "--level",
        "leader_in_charge",
        "--at",
        "14:47",
    ]);
    env.ok(&[
        "escalate",
        &b,
        "--level",
        "principal_leader",
        "--at",
        "14:48",
    ]);
    env.ok(&["escalate", &b, "--level", "city", "--at", "14:49"]);
    env.ok(&["close", &b, "--summary", "管道已修复", "--at", "14:50"]);
    (env, a, b)
}

fn check_at(env: &TestEnv, at: &str) -> (i32, Value) {
    env.json(&["check", "--at", at])
}

#[test]
pub fn every_finding_kind_at_three_instants() {
    let (mut env, _a, _b) = scenario();
    env.at("2026-03-12T12:00:00+08:00");

    let (code, v) = check_at(&env, "2026-03-10 14:21");
    assert_eq!(code, 3, "an incomplete initial report is a violation");
    insta::assert_json_snapshot!("check_1421", v);

    let (code, v) = check_at(&env, "2026-03-10 14:55");
    assert_eq!(code, 3);
    let kinds: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "due_soon",
            "incomplete",
            "late",
            "overdue",
            "premature_cause",
            "skipped"
        ]
    );
    insta::assert_json_snapshot!("check_1455", v);

    let (code, v) = check_at(&env, "2026-03-12T12:00:00+08:00");
    assert_eq!(code, 3);
    insta::assert_json_snapshot!("check_0312", v);
}

#[test]
pub fn the_table_groups_by_incident_and_quiet_is_silent_when_clean() {
    let (mut env, a, b) = scenario();
    env.at("2026-03-10T14:55:00+08:00");
    let r = env.run(&["check"]);
    assert_eq!(r.code, 3);
    insta::assert_snapshot!("check_table_1455", r.stdout);
    assert!(r.stdout.contains(&a) && r.stdout.contains(&b));

    let clean = TestEnv::new();
    clean.ok(&["init"]);
    let r = clean.run(&["check", "-q"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = clean.run(&["check"]);
    assert_eq!(r.stdout.trim(), "Nothing to report as of 2026-03-10 14:20.");
}

#[test]
pub fn due_soon_alone_is_not_a_violation() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    env.at("2026-03-10T14:21:00+08:00");
    env.ok(&["escalate", &id, "--level", "leader_in_charge"]);
    env.ok(&["escalate", &id, "--level", "principal_leader"]);
    env.ok(&["escalate", &id, "--level", "city"]);
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["due_soon"], json!(0));
    env.at("2026-03-10T14:56:00+08:00");
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["summary"]["due_soon"],
        json!(1),
        "city-written is due at 15:10"
    );
    assert_eq!(v["findings"][0]["minutes"], json!(14));
}

#[test]
pub fn scope_is_open_plus_closed_in_the_last_day() {
    let (mut env, a, b) = scenario();
    let ids = |v: &Value| -> Vec<String> {
        let mut ids: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["incident"].as_str().map(str::to_owned))
            .collect();
        ids.dedup();
        ids
    };
    env.at("2026-03-11T14:50:00+08:00");
    let (_, v) = env.json(&["check"]);
    assert_eq!(
        ids(&v),
        [a.clone(), b.clone()],
        "B closed exactly 24h ago is still in scope"
    );
    env.at("2026-03-11T14:51:00+08:00");
    let (_, v) = env.json(&["check"]);
    assert_eq!(
        ids(&v),
        std::slice::from_ref(&a),
        "B closed more than 24h ago"
    );
    let (_, v) = env.json(&["check", "--since", "3d"]);
    assert_eq!(ids(&v), [a.clone(), b.clone()]);
    let (_, v) = env.json(&["check", "--all"]);
    assert_eq!(ids(&v), [a, b]);
    // Before B was filed, it does not exist.
    let (_, v) = env.json(&["check", "--at", "2026-03-10 14:45"]);
    assert!(!ids(&v).contains(&"20260310-002".to_owned()));
}

#[test]
pub fn editing_the_rules_file_does_not_change_earlier_incidents() {
    let mut env = TestEnv::new();
    let default =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
            .expect("default rules");
    let local = env.path("reporting-rules.toml");
    std::fs::write(&local, &default).expect("written");
    let first = env.file(&[]);
    // The office tightens its rules: leaders within 5 minutes.
    std::fs::write(
        &local,
        default.replace("within = \"15m\"", "within = \"5m\""),
    )
    .expect("edited");
    let second = env.file(&[]);
    env.at("2026-03-10T14:30:00+08:00");
    let (_, v) = env.json(&["check"]);
    let due = |id: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["incident"] == json!(id) && f["step"] == json!("leader-in-charge"))
            .filter_map(|f| f["due"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        due(&first),
        ["2026-03-10T14:25:00+08:00"],
        "pinned to the rules it was filed under"
    );
    assert_eq!(
        due(&second),
        ["2026-03-10T14:15:00+08:00"],
        "a new incident uses the new rules"
    );
    let (_, s1) = env.json(&["show", &first]);
    let (_, s2) = env.json(&["show", &second]);
    assert_ne!(s1["rules"], s2["rules"]);
}
