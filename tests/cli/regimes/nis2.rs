//! NIS2 Article 23 with GDPR Article 33 (`examples/eu-nis2-gdpr.toml`).

use serde_json::json;

use super::{f, findings, regime, step};

#[test]
pub fn nis2_and_gdpr_stages_and_a_month_that_ends_early() {
    let mut env = regime("eu-nis2-gdpr.toml", "2026-01-29T09:00:00+01:00");
    let id = env.file(&[
        "--kind",
        "personal_data_breach",
        "--severity",
        "significant",
        "--occurred",
        "08:30",
        "--known",
        "09:00",
        "--facts",
        "Customer database exfiltrated",
    ]);
    env.at("2026-03-01T12:00:00+01:00");
    // Exactly 24 hours after awareness: on time.
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "csirt",
        "--via",
        "early-warning",
        "--at",
        "2026-01-30 09:00",
    ]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "csirt",
        "--via",
        "notification",
        "--at",
        "2026-01-31 09:00",
    ]);
    // GDPR: 72 hours and a minute.
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "dpa",
        "--via",
        "breach-notification",
        "--at",
        "2026-02-01 09:01",
    ]);
    let (_, v) = env.json(&["show", &id]);
    // One month after 31 January is the last day of February.
    assert_eq!(
        step(&v, "final-report")["due"],
        json!("2026-02-28T09:00:00+01:00")
    );
    assert_eq!(step(&v, "early-warning")["status"], json!("done"));
    assert_eq!(
        findings(&env, "2026-02-28 09:00"),
        [
            f("late", "gdpr-breach", Some(1)),
            f("due_soon", "final-report", Some(0))
        ]
    );
    assert_eq!(
        findings(&env, "2026-02-28T09:00:01+01:00"),
        [
            f("late", "gdpr-breach", Some(1)),
            f("overdue", "final-report", Some(1))
        ]
    );
    // An incident without personal data has no GDPR step.
    let other = env.file(&[
        "--kind",
        "ransomware",
        "--severity",
        "significant",
        "--occurred",
        "2026-03-01 08:00",
        "--known",
        "2026-03-01 09:00",
        "--facts",
        "Encrypted file servers",
    ]);
    let (_, v) = env.json(&["show", &other]);
    assert_eq!(step(&v, "gdpr-breach")["status"], json!("not_applicable"));
    assert_eq!(step(&v, "early-warning")["status"], json!("pending"));
}
