//! Real regimes from `examples/`: each files a scenario and checks the findings at stated
//! instants, with at least one late step, one on time at the exact boundary, and a business-day
//! or month-end case.

use serde_json::{Value, json};

use crate::env::TestEnv;

pub mod decree_493;
pub mod dora;
pub mod nis2;
pub mod osha;
pub mod sec;

pub fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// An environment whose every command uses the example rules.
pub fn regime(name: &str, now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.env("SITREP_RULES", &example(name));
    env.at(now);
    env
}

/// (kind, step, minutes, reason) of every finding of `check --at`.
pub fn findings(env: &TestEnv, at: &str) -> Vec<(String, String, Option<i64>)> {
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

pub fn f(kind: &str, step: &str, minutes: Option<i64>) -> (String, String, Option<i64>) {
    (kind.to_owned(), step.to_owned(), minutes)
}

pub fn step<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == json!(id))
        .expect("step exists")
}

#[test]
pub fn every_example_is_accepted_and_prints_its_steps() {
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
pub fn misused_features_are_refused_with_file_line_and_key() {
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
