//! OSHA 29 CFR 1904.39 (`examples/us-osha-1904-39.toml`).

use serde_json::json;

use super::{f, findings, regime, step};

#[test]
pub fn osha_eight_hours_for_a_death_learned_later_and_24_for_a_hospitalization() {
    let mut env = regime("us-osha-1904-39.toml", "2026-03-10T08:00:00-04:00");
    let id = env.file(&[
        "--kind",
        "workplace",
        "--occurred",
        "07:30",
        "--known",
        "08:00",
        "--figure",
        "hospitalized=1",
        "--facts",
        "Worker caught in a press; admitted to hospital",
    ]);
    // 24 hours after learning of it, to the second: on time.
    env.at("2026-03-11T08:00:00-04:00");
    env.ok(&["escalate", &id, "--level", "osha", "--via", "phone"]);
    // The worker dies on day 10 (within 30 days): a fatality, learned of at 09:00 that day.
    env.at("2026-03-20T09:00:00-04:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "The worker died in hospital",
        "--deaths",
        "1",
    ]);
    env.at("2026-03-20T18:00:00-04:00");
    env.ok(&["escalate", &id, "--level", "osha", "--at", "17:01"]);
    assert_eq!(
        findings(&env, "2026-03-20 18:00"),
        [f("late", "report-fatality", Some(1))]
    );
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(step(&v, "report-serious")["status"], json!("done"));
    assert_eq!(
        step(&v, "report-fatality")["due"],
        json!("2026-03-20T17:00:00-04:00")
    );

    // A hospitalization learned of 30 hours after the incident is not reportable (1904.39(b)(6)).
    let later = env.file(&[
        "--kind",
        "workplace",
        "--occurred",
        "2026-03-19 12:00",
        "--known",
        "2026-03-19 12:05",
    ]);
    env.ok(&[
        "update",
        &later,
        "--progress",
        "Admitted overnight",
        "--figure",
        "hospitalized=1",
    ]);
    let (_, v) = env.json(&["show", &later]);
    assert_eq!(v["severity"], json!("recordable"));
    assert_eq!(
        step(&v, "report-serious")["status"],
        json!("not_applicable")
    );
}

/// 1904.39(b)(4): "If the motor vehicle accident occurs on a public street or highway, and does
/// not occur in a construction work zone, you do not have to report the fatality, in-patient
/// hospitalization, amputation, or loss of an eye to OSHA." The kind is declared; no step
/// applies to it, and a fatality there owes nothing.
#[test]
pub fn osha_a_motor_vehicle_accident_on_a_public_road_is_not_reported() {
    let env = regime("us-osha-1904-39.toml", "2026-03-10T08:00:00-04:00");
    let id = env.file(&[
        "--kind",
        "motor_vehicle",
        "--occurred",
        "07:30",
        "--known",
        "08:00",
        "--deaths",
        "1",
        "--facts",
        "Delivery driver killed in a collision on the interstate",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(v["severity"], json!("fatality"));
    for s in ["report-fatality", "report-serious"] {
        assert_eq!(step(&v, s)["status"], json!("not_applicable"), "{s}");
    }
    assert_eq!(findings(&env, "2026-03-11 08:00"), []);
    // The same fatality at work is due within 8 hours (1904.39(a)(1)) of learning of it.
    let work = env.file(&[
        "--kind",
        "workplace",
        "--occurred",
        "07:30",
        "--known",
        "08:00",
        "--deaths",
        "1",
    ]);
    let (_, v) = env.json(&["show", &work]);
    assert_eq!(
        step(&v, "report-fatality")["due"],
        json!("2026-03-10T16:00:00-04:00")
    );
}
