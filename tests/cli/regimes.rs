//! Real regimes from `examples/`: each files a scenario and checks the findings at stated
//! instants, with at least one late step, one on time at the exact boundary, and a business-day
//! or month-end case.

use serde_json::{Value, json};

use crate::env::TestEnv;

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// An environment whose every command uses the example rules.
fn regime(name: &str, now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.env("SITREP_RULES", &example(name));
    env.at(now);
    env
}

/// (kind, step, minutes, reason) of every finding of `check --at`.
fn findings(env: &TestEnv, at: &str) -> Vec<(String, String, Option<i64>)> {
    let (_, v) = env.json(&["check", "--at", at]);
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_owned(),
                f["step"].as_str().unwrap_or("").to_owned(),
                f["minutes"].as_i64(),
            )
        })
        .collect()
}

fn f(kind: &str, step: &str, minutes: Option<i64>) -> (String, String, Option<i64>) {
    (kind.to_owned(), step.to_owned(), minutes)
}

fn step<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == json!(id))
        .expect("step exists")
}

#[test]
fn every_example_is_accepted_and_prints_its_steps() {
    let env = TestEnv::new();
    for (file, step) in [
        ("cn-decree-493.toml", "state-council"),
        ("us-osha-1904-39.toml", "report-fatality"),
        ("eu-nis2-gdpr.toml", "gdpr-breach"),
        ("eu-dora.toml", "intermediate-report"),
        ("us-sec-8k.toml", "form-8k"),
    ] {
        let out = env.ok(&["rules", "check", &example(file)]);
        assert!(out.contains(step), "{file}: {out}");
    }
}

#[test]
fn decree_493_each_level_within_two_hours_of_its_own_receipt() {
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

#[test]
fn osha_eight_hours_for_a_death_learned_later_and_24_for_a_hospitalization() {
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

#[test]
fn nis2_and_gdpr_stages_and_a_month_that_ends_early() {
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

#[test]
fn dora_four_hours_after_classification_but_no_later_than_24_after_awareness() {
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

#[test]
fn sec_8k_four_business_days_skipping_a_holiday_until_1730() {
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
fn sec_8k_filed_at_1730_exactly_is_on_time_and_a_determination_cannot_be_lowered() {
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

#[test]
fn misused_features_are_refused_with_file_line_and_key() {
    let env = TestEnv::new();
    let base = std::fs::read_to_string(example("eu-dora.toml")).expect("example");
    let cases = [
        (
            base.replace(
                "from = \"step:initial-notification\"",
                "from = \"step:final-report\"",
            ),
            "form a cycle",
        ),
        (
            base.replace("within = \"72h\"", "within = \"3bd\""),
            "needs a [calendar] table",
        ),
        (
            base.replace(
                "from = \"step:initial-notification\"",
                "from = \"classified\"",
            ),
            "unknown clock start `classified`",
        ),
        (
            base.replace(
                "min_severity = \"major\"\n\n# Art. 5(1)(b)",
                "min_severity = \"major\"\nkinds = [\"cyber\"]\n\n# Art. 5(1)(b)",
            ),
            "unknown kind `cyber`",
        ),
    ];
    for (text, says) in cases {
        let path = env.path("bad-dora.toml");
        std::fs::write(&path, text).expect("written");
        let r = env.run(&["rules", "check", path.to_str().expect("utf-8")]);
        assert_eq!(r.code, 1, "{says}");
        assert!(
            r.stderr.contains("bad-dora.toml:") && r.stderr.contains("`steps["),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(says), "expected {says:?} in {}", r.stderr);
    }
}
