//! DORA Article 19 with Delegated Regulation (EU) 2025/301 (`examples/eu-dora.toml`).

use serde_json::json;

use super::{f, findings, regime, step};

#[test]
pub fn dora_four_hours_after_classification_but_no_later_than_24_after_awareness() {
    let mut env = regime("eu-dora.toml", "2026-03-02T09:00:00+01:00");
    let id = env.file(&[
        "--kind",
        "ict_incident",
        "--occurred",
        "08:45",
        "--known",
        "09:00",
        "--facts",
        "Payments platform down",
    ]);
    // Classified as major 23 hours after awareness: 4 hours later would be 12:00 the next day,
    // but 24 hours after awareness (09:00) comes first.
    env.at("2026-03-03T08:00:00+01:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "Classified as major",
        "--severity",
        "major",
    ]);
    env.at("2026-04-10T12:00:00+02:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "competent_authority",
        "--via",
        "initial-notification",
        "--at",
        "2026-03-03 09:30",
    ]);
    // 72 hours after the initial notification, to the minute: on time.
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "competent_authority",
        "--via",
        "intermediate-report",
        "--at",
        "2026-03-06 09:30",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "initial-notification")["due"],
        json!("2026-03-03T09:00:00+01:00")
    );
    assert_eq!(step(&v, "intermediate-report")["status"], json!("done"));
    // One calendar month later, across the change to summer time: the same wall-clock time.
    assert_eq!(
        step(&v, "final-report")["due"],
        json!("2026-04-06T09:30:00+02:00")
    );
    assert_eq!(
        findings(&env, "2026-04-06T09:31:00+02:00"),
        [
            f("late", "initial-notification", Some(30)),
            f("overdue", "final-report", Some(1))
        ]
    );
}

/// Delegated Regulation 2025/301 Art. 5(2): an incident classified as major more than 24 hours
/// after the entity became aware of it owes the initial notification within 4 hours of the
/// classification; the passed 24-hour limit does not make it late from birth.
#[test]
pub fn dora_classified_after_24_hours_owes_the_initial_notification_within_4_hours() {
    let mut env = regime("eu-dora.toml", "2026-03-02T09:00:00+01:00");
    let id = env.file(&[
        "--kind",
        "ict_incident",
        "--occurred",
        "08:45",
        "--known",
        "09:00",
        "--facts",
        "Card payments degraded",
    ]);
    env.at("2026-03-03T10:00:00+01:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "Classified as major",
        "--severity",
        "major",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "initial-notification")["due"],
        json!("2026-03-03T14:00:00+01:00"),
        "4 hours from the classification (Art. 5(2))"
    );
    assert_eq!(findings(&env, "2026-03-03 10:00"), []);
    assert_eq!(
        findings(&env, "2026-03-03T14:00:01+01:00"),
        [f("overdue", "initial-notification", Some(1))]
    );
}

/// Art. 5(1)(c): "the final report, no later than one month after the submission of the latest
/// updated intermediate report". An updated intermediate report moves the final report's due.
#[test]
pub fn dora_the_final_report_is_due_a_month_after_the_latest_intermediate_report() {
    let mut env = regime("eu-dora.toml", "2026-03-02T09:00:00+01:00");
    let id = env.file(&[
        "--kind",
        "ict_incident",
        "--occurred",
        "08:45",
        "--known",
        "09:00",
        "--severity",
        "major",
        "--facts",
        "Core banking outage",
    ]);
    env.at("2026-03-20T12:00:00+01:00");
    for (via, at) in [
        ("initial-notification", "2026-03-02 11:00"),
        ("intermediate-report", "2026-03-04 11:00"),
    ] {
        env.ok(&[
            "escalate",
            &id,
            "--level",
            "competent_authority",
            "--via",
            via,
            "--at",
            at,
        ]);
    }
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "final-report")["due"],
        json!("2026-04-04T11:00:00+02:00")
    );
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "competent_authority",
        "--via",
        "intermediate-report",
        "--at",
        "2026-03-18 16:00",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        step(&v, "final-report")["due"],
        json!("2026-04-18T16:00:00+02:00"),
        "one month after the latest updated intermediate report"
    );
}
