//! SEC Form 8-K Item 1.05 (`examples/us-sec-8k.toml`).

use serde_json::json;

use super::{f, findings, regime, step};

#[test]
pub fn sec_8k_four_business_days_skipping_a_holiday_until_1730() {
    let mut env = regime("us-sec-8k.toml", "2026-06-29T10:00:00-04:00");
    let id = env.file(&[
        "--kind",
        "cybersecurity",
        "--occurred",
        "09:00",
        "--known",
        "10:00",
        "--facts",
        "Ransomware on ERP systems",
    ]);
    // Determined material on Tuesday 30 June at 16:00. Business days: Wed 1, Thu 2, (Fri 3 July
    // is the observed Independence Day), Mon 6, Tue 7 July; EDGAR's day ends at 17:30.
    env.at("2026-06-30T16:00:00-04:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "Board determined the incident material",
        "--severity",
        "material",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "form-8k")["due"],
        json!("2026-07-07T17:30:00-04:00")
    );
    assert_eq!(
        findings(&env, "2026-07-06 17:31"),
        [f("due_soon", "form-8k", Some(1439))]
    );

    env.at("2026-07-08T09:00:00-04:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "sec",
        "--at",
        "2026-07-07 17:31",
    ]);
    assert_eq!(
        findings(&env, "2026-07-08 09:00"),
        [f("late", "form-8k", Some(1))]
    );
}

#[test]
pub fn sec_8k_filed_at_1730_exactly_is_on_time_and_a_determination_cannot_be_lowered() {
    let mut env = regime("us-sec-8k.toml", "2026-06-30T16:00:00-04:00");
    let id = env.file(&[
        "--kind",
        "cybersecurity",
        "--occurred",
        "09:00",
        "--known",
        "10:00",
        "--severity",
        "material",
        "--facts",
        "Ransomware",
    ]);
    env.at("2026-07-08T09:00:00-04:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "sec",
        "--at",
        "2026-07-07 17:30",
    ]);
    assert_eq!(findings(&env, "2026-07-08 09:00"), []);
    let r = env.run(&[
        "update",
        &id,
        "--progress",
        "reconsidered",
        "--severity",
        "incident",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("severity never falls by a report"),
        "{}",
        r.stderr
    );
}
