//! Deadlines as the duty officers and the regulations mean them, under the default rules: what
//! `escalate` shows after a bypass, what `check --at` looks back over, when `incomplete` ends,
//! a past day's digest, time-zone advice, and what a change of class says.

use serde_json::{Value, json};

use crate::env::TestEnv;

fn step<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == json!(id))
        .expect("step exists")
}

fn kinds(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_owned(),
                f["step"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// After the city is told before the leaders, the leaders are still owed: `escalate` lists them
/// (due in 5 minutes), and once past due `show` says overdue, not skipped.
#[test]
pub fn a_bypassed_level_stays_in_the_deadlines_until_it_is_told() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    let out = env.ok(&["escalate", &id, "--level", "city"]);
    assert!(out.contains("! leader-in-charge skipped"), "{out}");
    for step_id in ["leader-in-charge", "principal-leader"] {
        let row = out
            .lines()
            .find(|l| l.starts_with(&format!("| {step_id} ")))
            .unwrap_or_else(|| panic!("{step_id} is listed as owed:\n{out}"));
        assert!(
            row.contains("2026-03-10 14:25") && row.contains("due in 5m"),
            "{row}"
        );
    }
    env.at("2026-03-10T14:40:00+08:00");
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(step(&v, "leader-in-charge")["status"], json!("overdue"));
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 3);
    let k = kinds(&v);
    assert!(
        k.contains(&("skipped".into(), "leader-in-charge".into())),
        "{k:?}"
    );
    assert!(
        k.contains(&("overdue".into(), "leader-in-charge".into())),
        "{k:?}"
    );
    // Told now (late): it leaves the running deadlines.
    let out = env.ok(&["escalate", &id, "--level", "leader_in_charge"]);
    assert!(!out.contains("| leader-in-charge "), "{out}");
}

/// `check --at T --since 3d` looks back three days from T, not from now.
#[test]
pub fn since_counts_back_from_the_moment_asked_about() {
    let mut env = TestEnv::new();
    let id = env.file(&["--measures"]);
    env.at("2026-03-10T15:00:00+08:00");
    env.ok(&["close", &id, "--summary", "处置完毕", "--at", "14:50"]);
    env.at("2026-04-20T10:00:00+08:00");
    let at = "2026-03-12 14:00";
    let (_, v) = env.json(&["check", "--at", at]);
    assert!(kinds(&v).is_empty(), "closed more than a day before T");
    let (code, v) = env.json(&["check", "--at", at, "--since", "3d"]);
    assert_eq!(code, 3);
    assert!(
        kinds(&v).contains(&("incomplete".into(), "initial".into())),
        "{v}"
    );
}

/// Measures that follow in a follow-up end the initial report's `incomplete`; `show` says when.
#[test]
pub fn measures_in_a_follow_up_complete_the_initial_report() {
    let mut env = TestEnv::new();
    let id = env.file(&["--measures"]);
    for level in ["leader_in_charge", "principal_leader", "city"] {
        env.ok(&["escalate", &id, "--level", level]);
    }
    env.ok(&["escalate", &id, "--level", "city", "--via", "written"]);
    let (code, v) = env.json(&["check"]);
    assert_eq!(
        (code, kinds(&v)),
        (3, vec![("incomplete".into(), "initial".into())])
    );
    env.at("2026-03-10T14:50:00+08:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "现场处置中",
        "--measures",
        "已疏散周边群众",
    ]);
    let (code, v) = env.json(&["check"]);
    assert_eq!((code, kinds(&v)), (0, vec![]), "{v}");
    // A past moment before the measures came still sees the gap.
    let (code, _) = env.json(&["check", "--at", "14:45"]);
    assert_eq!(code, 3);
    let out = env.ok(&["show", &id]);
    assert!(
        out.contains("initial report (首报) (entry 1) lacked measures: supplied by entry 6 at 2026-03-10 14:50"),
        "{out}"
    );
}

/// A past day's digest uses one set of corrections: a follow-up corrected the next day (to
/// another time and figure) is listed in its day as it stood then, without the reclassification
/// only the correction caused, and `open` shows the class of that day; the correction's day lists
/// the correction with its reclassification.
#[test]
pub fn a_past_days_digest_is_consistent_in_itself() {
    let mut env = TestEnv::new();
    env.at("2026-03-10T10:00:00+08:00");
    let id = env.file(&["--occurred", "09:00", "--known", "09:10"]);
    env.at("2026-03-10T12:00:00+08:00");
    env.ok(&["update", &id, "--progress", "搜救中", "--deaths", "1"]);
    env.at("2026-03-11T10:00:00+08:00");
    env.ok(&[
        "correct",
        &id,
        "--entry",
        "2",
        "--deaths",
        "3",
        "--at",
        "2026-03-10 12:30",
        "--reason",
        "核实后死亡3人",
    ]);
    let (_, day) = env.json(&["digest", "--date", "2026-03-10"]);
    let updates = day["updates"].as_array().expect("updates");
    assert_eq!(updates.len(), 1, "{day}");
    assert_eq!(updates[0]["n"], json!(2));
    assert_eq!(updates[0]["figures"], json!({"deaths": 1}));
    assert!(
        updates[0].get("reclassification").is_none(),
        "{}",
        updates[0]
    );
    assert!(updates[0].get("corrected_by").is_none(), "{}", updates[0]);
    assert_eq!(day["open"][0]["severity"], json!("general"));
    let (_, next) = env.json(&["digest", "--date", "2026-03-11"]);
    let updates = next["updates"].as_array().expect("updates");
    assert_eq!(updates.len(), 1, "{next}");
    assert_eq!(updates[0]["type"], json!("correction"));
    assert_eq!(
        updates[0]["reclassification"],
        json!({"from": "general", "to": "larger"})
    );
    assert_eq!(next["open"][0]["severity"], json!("larger"));
}

/// The daylight-saving refusal suggests offsets of the rules' own zone.
#[test]
pub fn dst_advice_uses_the_rules_zone() {
    let mut env = TestEnv::new();
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
            .expect("rules")
            .replace("Asia/Shanghai", "America/New_York");
    let rules = env.path("ny.toml");
    std::fs::write(&rules, text).expect("write");
    env.env("SITREP_RULES", rules.to_str().expect("utf-8"));
    env.at("2026-12-01T12:00:00-05:00");
    let r = env.run(&crate::env::file_args(&[
        "--occurred",
        "2026-11-01 01:30",
        "--known",
        "2026-11-01 02:10",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("2026-11-01T01:30:00-04:00") && r.stderr.contains("-05:00"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("+02:00") && !r.stderr.contains("+01:00"),
        "{}",
        r.stderr
    );
}

/// A change of class says from when its deadlines count, and says "lowered" when a correction
/// lowers it.
#[test]
pub fn a_change_of_class_says_when_its_deadlines_start() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    // A backfilled report: the class holds from its claimed time, not from now.
    env.at("2026-03-10T18:00:00+08:00");
    let out = env.ok(&[
        "update",
        &id,
        "--progress",
        "搜救中",
        "--deaths",
        "10",
        "--at",
        "15:00",
    ]);
    assert!(
        out.contains("Severity raised: general (一般) → major (重大); its deadlines count from 2026-03-10 15:00"),
        "{out}"
    );
    // A correction that lowers the class says so.
    let out = env.ok(&[
        "correct",
        &id,
        "--entry",
        "2",
        "--deaths",
        "4",
        "--reason",
        "重复统计",
    ]);
    assert!(
        out.contains("Severity lowered by the correction: major (重大) → larger (较大)"),
        "{out}"
    );
    // A correction of the initial report's class holds from the known time.
    let other = env.file(&["--at", "17:00", "--known", "16:50", "--occurred", "16:40"]);
    let out = env.ok(&[
        "correct",
        &other,
        "--entry",
        "1",
        "--severity",
        "major",
        "--reason",
        "认定为重大",
    ]);
    assert!(
        out.contains("its deadlines count from 2026-03-10 16:50"),
        "{out}"
    );
}

/// A follow-up is owed again after each one: what `update` prints lists the next follow-up,
/// due a day after the one just made, not only the steps never done.
#[test]
pub fn after_a_follow_up_the_next_one_is_in_the_deadlines() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    env.at("2026-03-10T15:10:00+08:00");
    let (code, v) = env.json(&["update", &id, "--progress", "泄漏已封堵"]);
    assert_eq!(code, 0, "{v}");
    let next = step(&v, "followup");
    assert_eq!(next["due"], json!("2026-03-11T15:10:00+08:00"), "{v:#}");
    assert_eq!(next["status"], json!("pending"));
    let table = env.ok(&["update", &id, "--progress", "持续监测"]);
    let row = table
        .lines()
        .find(|l| l.starts_with("| followup "))
        .unwrap_or_else(|| panic!("the next follow-up is listed:\n{table}"));
    assert!(row.contains("2026-03-11 15:10"), "{row}");
}
