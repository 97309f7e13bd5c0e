//! The State Council's Decree No. 493 (`examples/cn-decree-493.toml`).

use serde_json::{Value, json};

use super::{f, findings, regime, step};
use crate::env::TestEnv;

/// Art. 10: 并通知公安机关、劳动保障行政部门、工会和人民检察院 … 同时报告本级人民政府.
fn notify_beside_the_chain(env: &TestEnv, id: &str, at: &str) {
    for level in [
        "government",
        "police",
        "labour",
        "trade_union",
        "procuratorate",
    ] {
        env.ok(&["escalate", id, "--level", level, "--at", at]);
    }
}

#[test]
pub fn decree_493_each_level_within_two_hours_of_its_own_receipt() {
    let mut env = regime("cn-decree-493.toml", "2026-03-10T10:00:00+08:00");
    let id = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "09:50",
        "--known",
        "10:00",
        "--deaths",
        "12",
        "--measures",
        "组织救援",
    ]);
    env.at("2026-03-10T17:30:00+08:00");
    env.ok(&["escalate", &id, "--level", "county", "--at", "10:50"]);
    notify_beside_the_chain(&env, &id, "11:00");
    // Exactly two hours after the county was told: on time.
    env.ok(&["escalate", &id, "--level", "city", "--at", "12:50"]);
    // Ten minutes past two hours after the city: late.
    env.ok(&["escalate", &id, "--level", "province", "--at", "15:00"]);
    assert_eq!(
        findings(&env, "2026-03-10 17:00"),
        [
            f("late", "province", Some(10)),
            f("due_soon", "state-council", Some(0))
        ]
    );
    assert_eq!(
        findings(&env, "2026-03-10T17:00:01+08:00"),
        [
            f("late", "province", Some(10)),
            f("overdue", "state-council", Some(1))
        ]
    );
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(step(&v, "city")["status"], json!("done"));
    assert_eq!(step(&v, "city")["due"], json!("2026-03-10T12:50:00+08:00"));
    assert_eq!(
        step(&v, "state-council")["due"],
        json!("2026-03-10T17:00:00+08:00")
    );

    // A general accident goes up to the city only; the top of the chain depends on the class.
    let general = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "17:00",
        "--known",
        "17:05",
        "--at",
        "17:10",
    ]);
    let (_, v) = env.json(&["show", &general]);
    assert_eq!(step(&v, "province")["status"], json!("not_applicable"));
    assert_eq!(step(&v, "city")["status"], json!("pending"));
    assert_eq!(
        step(&v, "city")["due"],
        Value::Null,
        "its clock waits for the county"
    );

    // 必要时可以越级上报: a bypass with a reason is excused under these rules.
    let urgent = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "17:00",
        "--known",
        "17:05",
        "--at",
        "17:10",
    ]);
    env.ok(&[
        "escalate",
        &urgent,
        "--level",
        "city",
        "--reason",
        "县局电话无人接听",
        "--at",
        "17:15",
    ]);
    let skipped: Vec<_> = findings(&env, "2026-03-10 17:20")
        .into_iter()
        .filter(|x| x.0 == "skipped")
        .collect();
    assert!(skipped.is_empty(), "{skipped:?}");
}

/// Art. 11, 每级上报的时间不得超过2小时, after a reclassification: a 补报 that makes a 一般 accident
/// 较大 on day 3, received by the county at 17:30 and by the city at 18:40, is due at the province
/// at 20:40 — two hours from the city's own receipt of the report of the new class, not from its
/// first receipt on day 1.
#[test]
pub fn decree_493_after_a_reclassification_each_level_counts_from_its_receipt_of_the_new_class() {
    let mut env = regime("cn-decree-493.toml", "2026-03-10T10:00:00+08:00");
    let id = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "09:40",
        "--known",
        "10:00",
        "--injuries",
        "4",
        "--measures",
        "组织救援",
    ]);
    env.at("2026-03-10T12:00:00+08:00");
    env.ok(&["escalate", &id, "--level", "county", "--at", "10:30"]);
    notify_beside_the_chain(&env, &id, "10:40");
    env.ok(&["escalate", &id, "--level", "city", "--at", "11:30"]);
    // Art. 13 补报: two of the injured die on day 3, a third already had: 3 deaths, 较大.
    env.at("2026-03-12T17:00:00+08:00");
    let out = env.ok(&[
        "update",
        &id,
        "--progress",
        "3人经抢救无效死亡",
        "--deaths",
        "3",
    ]);
    assert!(out.contains("larger"), "{out}");
    env.at("2026-03-12T19:00:00+08:00");
    env.ok(&["escalate", &id, "--level", "county", "--at", "17:30"]);
    env.ok(&["escalate", &id, "--level", "city", "--at", "18:40"]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "province")["due"],
        json!("2026-03-12T20:40:00+08:00"),
        "Art. 11: two hours from the city's own receipt of the 较大 report"
    );
    assert_eq!(
        findings(&env, "2026-03-12 20:40"),
        [f("due_soon", "province", Some(0))]
    );
    assert_eq!(
        findings(&env, "2026-03-12T20:40:01+08:00"),
        [f("overdue", "province", Some(1))]
    );
}

/// Art. 10: the police, labour department, trade union and procuratorate are notified and the
/// same-level government told beside the chain: telling them first is no bypass (越级), and
/// they are due with the report up, two hours from the office's receipt (Art. 11's limit, the
/// reading sitrep takes where Art. 10 sets none).
#[test]
pub fn decree_493_parties_beside_the_chain_are_due_but_never_bypassed() {
    let mut env = regime("cn-decree-493.toml", "2026-03-10T10:00:00+08:00");
    let id = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "09:40",
        "--known",
        "10:00",
        "--injuries",
        "1",
    ]);
    env.at("2026-03-10T12:30:00+08:00");
    env.ok(&["escalate", &id, "--level", "police", "--at", "10:05"]);
    env.ok(&["escalate", &id, "--level", "county", "--at", "10:30"]);
    env.ok(&["escalate", &id, "--level", "city", "--at", "11:00"]);
    for level in ["government", "labour", "trade_union"] {
        env.ok(&["escalate", &id, "--level", level, "--at", "12:30"]);
    }
    assert_eq!(
        findings(&env, "2026-03-10 12:30"),
        [f("due_soon", "procuratorate", Some(0))],
        "due at 12:30, two hours after the county's receipt; the police told first is no bypass"
    );
    assert_eq!(
        findings(&env, "2026-03-10T12:30:01+08:00"),
        [f("overdue", "procuratorate", Some(1))]
    );
}

/// 必要时可以越级上报 (Art. 10): after a bypass the officer still sees the county owed, due in
/// 45 minutes, in the deadlines `escalate` prints (it used to print "No deadlines running.").
#[test]
pub fn decree_493_after_a_bypass_the_county_is_still_owed() {
    let mut env = regime("cn-decree-493.toml", "2026-03-10T10:00:00+08:00");
    let id = env.file(&[
        "--kind",
        "production",
        "--occurred",
        "09:40",
        "--known",
        "10:00",
    ]);
    env.at("2026-03-10T10:15:00+08:00");
    let out = env.ok(&["escalate", &id, "--level", "city"]);
    assert!(
        out.contains("! county skipped"),
        "the bypass is said at once:\n{out}"
    );
    let county = out
        .lines()
        .find(|l| l.starts_with("| county") || l.contains("报县级"))
        .unwrap_or_else(|| panic!("the county is listed as owed:\n{out}"));
    assert!(
        county.contains("2026-03-10 11:00") && county.contains("due in 45m"),
        "{out}"
    );
    assert!(!out.contains("No deadlines running"), "{out}");
}
