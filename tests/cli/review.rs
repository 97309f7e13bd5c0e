//! A supervisor's review (审核, DESIGN.md §14): a late call looked into stops cron's mail, a new
//! violation starts it again, refusals write nothing, and a review survives the round trip.

use serde_json::{Value, json};

use crate::env::TestEnv;

/// An incident whose leaders were told late (14:30 for 14:25) and the city on time, at 15:00.
fn late_call() -> (TestEnv, String) {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    env.at("2026-03-10T15:00:00+08:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "leader_in_charge",
        "--at",
        "14:30",
    ]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "principal_leader",
        "--at",
        "14:24",
    ]);
    env.ok(&["escalate", &id, "--level", "city", "--at", "14:35"]);
    env.ok(&[
        "escalate", &id, "--level", "city", "--via", "written", "--at", "14:50",
    ]);
    (env, id)
}

#[test]
pub fn a_reviewed_late_step_no_longer_mails_cron_and_a_new_violation_does() {
    let (mut env, id) = late_call();
    let r = env.run(&["check", "-q"]);
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("leader-in-charge"), "{}", r.stdout);
    env.at("2026-03-10T16:00:00+08:00");
    let out = env.ok(&[
        "--as",
        "带班领导李四",
        "review",
        &id,
        "--step",
        "leader-in-charge",
        "--note",
        "已核实：通信中断致迟报5分钟，已约谈",
    ]);
    assert!(out.contains("reviewed: leader-in-charge"), "{out}");
    let r = env.run(&["check", "-q"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // Still a finding, marked, with who, when and the note.
    let (code, v) = env.json(&["check"]);
    assert_eq!(code, 0);
    let f = &v["findings"][0];
    assert_eq!(
        (&f["kind"], &f["step"]),
        (&json!("late"), &json!("leader-in-charge"))
    );
    assert_eq!(
        f["reviewed"],
        json!({"by": "带班领导李四", "at": "2026-03-10T16:00:00+08:00", "note": "已核实：通信中断致迟报5分钟，已约谈"})
    );
    assert_eq!(v["summary"]["late"], json!(1));
    assert_eq!(v["summary"]["unreviewed"], json!(0));
    let table = env.ok(&["check"]);
    assert!(
        table.contains("late (reviewed)") && table.contains("reviewed by 带班领导李四"),
        "{table}"
    );
    let (_, v) = env.json(&["check", "--unreviewed"]);
    assert_eq!(v["findings"], json!([]));
    // A new violation on the same incident: exit 3 again, and -q prints only the new one.
    env.at("2026-03-11T15:00:00+08:00");
    let r = env.run(&["check", "-q"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout.contains("followup") && !r.stdout.contains("leader-in-charge"),
        "{}",
        r.stdout
    );
    // show labels the entry and the finding.
    env.lang("zh_CN.UTF-8");
    let shown = env.ok(&["show", &id]);
    assert!(
        shown.contains("| 审核 ") && shown.contains("带班领导李四 已于 2026-03-10 16:00 审核"),
        "{shown}"
    );
}

#[test]
pub fn refused_reviews_write_nothing() {
    let (env, id) = late_call();
    env.ok(&[
        "review",
        &id,
        "--step",
        "leader-in-charge",
        "--note",
        "已核实",
    ]);
    let (entries, head) = (env.entry_count(), env.head());
    for (args, code, says) in [
        (
            vec!["--step", "city-phone", "--note", "x"],
            1,
            "there is no violation of city-phone",
        ),
        (
            vec!["--step", "leader-in-charge", "--note", "再次"],
            1,
            "already reviewed by 值班员张三 (entry 6)",
        ),
        (
            vec!["--step", "principal-leader", "--note", "   "],
            1,
            "--note is empty",
        ),
        (vec!["--step", "principal-leader"], 2, "missing --note"),
        (vec!["--note", "x"], 2, "--step STEP, or --finding"),
        (
            vec!["--finding", "late", "--note", "x"],
            2,
            "unknown content finding `late`",
        ),
        (
            vec!["--step", "leader-in-charge", "--note", "x", "--at", "14:20"],
            1,
            "there is no violation",
        ),
    ] {
        let mut all = vec!["review", id.as_str()];
        all.extend(args.iter());
        let r = env.run(&all);
        assert_eq!(r.code, code, "{all:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{all:?}: expected {says:?} in {}",
            r.stderr
        );
        assert_eq!(
            (env.entry_count(), env.head()),
            (entries, head.clone()),
            "{all:?}"
        );
    }
    // The way to change a review is to correct it.
    let out = env.ok(&[
        "correct",
        &id,
        "--entry",
        "6",
        "--note",
        "已核实：通信中断",
        "--reason",
        "补充",
    ]);
    assert!(out.starts_with(&id), "{out}");
}

#[test]
pub fn a_content_finding_is_reviewed_and_the_review_survives_export_and_import() {
    let (mut env, id) = late_call();
    let other = env.file(&["--measures", "--at", "14:58"]);
    env.at("2026-03-10T16:00:00+08:00");
    env.ok(&[
        "review",
        &other,
        "--finding",
        "incomplete",
        "--note",
        "已责成补报措施",
    ]);
    env.ok(&[
        "review",
        &id,
        "--step",
        "leader-in-charge",
        "--note",
        "已约谈",
    ]);
    let (_, before) = env.json(&["check", "--all"]);
    let export = env.ok(&["export"]);
    let file = env.path("all.jsonl");
    std::fs::write(&file, &export).expect("written");
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-10T16:00:00+08:00");
    fresh.ok(&["import", file.to_str().expect("utf-8")]);
    let (_, after) = fresh.json(&["check", "--all"]);
    assert_eq!(before, after);
    let reviewed: Vec<&Value> = after["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| !f["reviewed"].is_null())
        .collect();
    assert_eq!(reviewed.len(), 2, "{after}");
    // The digest lists the reviews among the updates.
    let (_, d) = env.json(&["digest", "--date", "2026-03-10"]);
    let types: Vec<&str> = d["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .filter_map(|u| u["type"].as_str())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "review").count(),
        2,
        "{types:?}"
    );
}
