//! `sitrep rules check` and errors in rules files.

use serde_json::json;

use crate::env::TestEnv;

#[test]
fn the_default_rules_are_shown_as_tables() {
    let env = TestEnv::new();
    let out = env.ok(&["rules", "check"]);
    assert!(out.contains("县（区）、部门值班室向市报送"), "{out}");
    let row = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start:?} in {out}"))
            .to_owned()
    };
    assert!(
        row("| larger ").contains("| 较大 ")
            && row("| larger ")
                .contains("| deaths ≥ 3, direct_loss ≥ 10000000 yuan, serious_injuries ≥ 10"),
        "{out}"
    );
    let major = row("| city-written-major (重大以上书面报市总值班室)");
    assert!(
        major.contains("| tell city (市委市政府总值班室) via written (书面) | 40m after known"),
        "{major}"
    );
    assert!(row("| followup (续报) ").contains("| every 24h "), "{out}");
    // In Chinese: the words of the rules, not their keys.
    let mut zh = TestEnv::new();
    zh.lang("zh_CN.UTF-8");
    let out = zh.ok(&["rules", "check"]);
    for words in [
        "越级报送：禁止",
        "提前15分钟提醒",
        "获知后40分钟",
        "每24小时",
        "死亡 ≥ 3人",
        "直接经济损失 ≥ 1000万元",
        "书面报市委市政府总值班室",
    ] {
        assert!(out.contains(words), "{words} in {out}");
    }
}

#[test]
fn rules_json_lists_every_step() {
    let env = TestEnv::new();
    let (code, v) = env.json(&["rules", "check"]);
    assert_eq!(code, 0);
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "leader-in-charge",
            "principal-leader",
            "city-phone",
            "city-written",
            "city-phone-major",
            "city-written-major",
            "followup",
            "followup-major",
            "final"
        ]
    );
    assert_eq!(v["time_zone"], json!("Asia/Shanghai"));
    assert_eq!(v["bypass"], json!("forbidden"));
    assert_eq!(
        v["levels"][2],
        json!({"id": "city", "label": "市委市政府总值班室", "rank": 2})
    );
}

#[test]
fn the_embedded_rules_are_the_repositorys_file() {
    let env = TestEnv::new();
    let (_, builtin) = env.json(&["rules", "check"]);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml");
    let (_, file) = env.json(&["rules", "check", path]);
    assert_eq!(builtin["hash"], file["hash"]);
}

fn error_for(env: &TestEnv, text: &str) -> String {
    let path = env.path("bad.toml");
    std::fs::write(&path, text).expect("written");
    let r = env.run(&["rules", "check", path.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{text}");
    r.stderr.trim().to_owned()
}

#[test]
fn errors_name_file_line_column_and_key() {
    let env = TestEnv::new();
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
            .expect("rules");
    let cases = [
        (
            base.replace(
                "within = \"15m\"\n\n[[steps]]\nid = \"principal-leader\"",
                "withn = \"15m\"\n\n[[steps]]\nid = \"principal-leader\"",
            ),
            "bad.toml:",
            "unknown field `withn`",
        ),
        (
            base.replace(
                "escalate = \"city\"\nvia = \"phone\"\nfrom = \"known\"\nwithin = \"30m\"",
                "escalate = \"citi\"\nvia = \"phone\"\nfrom = \"known\"\nwithin = \"30m\"",
            ),
            "`steps[city-phone].escalate`",
            "unknown level `citi`; the levels are: leader_in_charge, principal_leader, city",
        ),
        (
            base.replace(
                "min_severity = \"major\"\n\n[[steps]]\nid = \"city-written-major\"",
                "min_severity = \"majr\"\n\n[[steps]]\nid = \"city-written-major\"",
            ),
            "`steps[city-phone-major].min_severity`",
            "unknown severity `majr`; the severities are: general, larger, major, especially_major",
        ),
        (
            base.replace("within = \"1h\"", "within = \"0h\""),
            "`steps[city-written].within`",
            "is zero",
        ),
        (
            base.replace("deaths = 10,", "deaths = 2,"),
            "`severities[major].at_least.deaths`",
            "does not rise above 3 of the lower severity `larger`",
        ),
        (
            base.replace("id = \"principal_leader\"", "id = \"leader_in_charge\""),
            "`levels.id`",
            "declared twice",
        ),
        (
            base.replace(
                "time_zone = \"Asia/Shanghai\"",
                "time_zone = \"Asia/Beijing\"",
            ),
            "`time_zone`",
            "not an IANA time zone",
        ),
        (
            base.replace(
                "via = \"written\"\nfrom = \"known\"\nwithin = \"1h\"",
                "via = \"email\"\nfrom = \"known\"\nwithin = \"1h\"",
            ),
            "`steps[city-written].via`",
            "unknown channel `email`",
        ),
        (
            base.replace(
                "from = \"known\"\nwithin = \"30d\"",
                "from = \"step:nowhere\"\nwithin = \"30d\"",
            ),
            "`steps[final].from`",
            "names no step",
        ),
        (
            base.replace(
                "from = \"known\"\nwithin = \"30d\"",
                "from = \"step:final\"\nwithin = \"30d\"",
            ),
            "`steps[final].from`",
            "form a cycle (final → final)",
        ),
        (
            base.replace("within = \"30d\"", "within = \"4bd\""),
            "`steps[final].within`",
            "needs a [calendar] table",
        ),
        (
            base.replace("name = \"县", "name = = \"县"),
            "bad.toml:16:8:",
            "",
        ),
    ];
    for (text, place, says) in cases {
        let e = error_for(&env, &text);
        assert!(e.starts_with("error: ") && e.contains("bad.toml:"), "{e}");
        assert!(e.contains(place), "expected {place:?} in {e}");
        assert!(e.contains(says), "expected {says:?} in {e}");
    }
}

#[test]
fn an_unknown_key_points_at_its_line() {
    let env = TestEnv::new();
    let e = error_for(&env, "time_zone = \"Asia/Shanghai\"\nwarnng = \"15m\"\n");
    assert!(
        e.contains("bad.toml:2:1: `warnng`: unknown field `warnng`"),
        "{e}"
    );
}

/// Every kind of error in a rules file, as the person editing it reads them.
#[test]
fn rules_file_errors_snapshot() {
    let env = TestEnv::new();
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/reporting-rules.toml"))
            .expect("rules");
    let edits: [(&str, &str, &str); 16] = [
        ("malformed TOML", "name = \"县", "name = = \"县"),
        ("unknown key", "warning = \"15m\"", "warnings = \"15m\""),
        (
            "unknown key in a step",
            "from = \"known\"\nwithin = \"15m\"",
            "from = \"known\"\nwithn = \"15m\"",
        ),
        ("wrong type", "rank = 2", "rank = \"two\""),
        ("time zone", "Asia/Shanghai", "Asia/Beijing"),
        ("duration", "warning = \"15m\"", "warning = \"15 minutes\""),
        ("zero duration", "within = \"1h\"", "within = \"0h\""),
        (
            "duplicate id",
            "id = \"principal_leader\"",
            "id = \"leader_in_charge\"",
        ),
        (
            "unknown level",
            "escalate = \"city\"\nvia = \"phone\"\nfrom = \"known\"\nwithin = \"30m\"",
            "escalate = \"citi\"\nvia = \"phone\"\nfrom = \"known\"\nwithin = \"30m\"",
        ),
        (
            "unknown channel",
            "via = \"written\"\nfrom = \"known\"\nwithin = \"1h\"",
            "via = \"email\"\nfrom = \"known\"\nwithin = \"1h\"",
        ),
        (
            "unknown severity",
            "min_severity = \"major\"\n\n[[steps]]\nid = \"city-written-major\"",
            "min_severity = \"majr\"\n\n[[steps]]\nid = \"city-written-major\"",
        ),
        ("thresholds that do not rise", "deaths = 10,", "deaths = 2,"),
        (
            "unknown figure",
            "serious_injuries = 10,",
            "seriously_hurt = 10,",
        ),
        (
            "anchor cycle",
            "from = \"known\"\nwithin = \"30d\"",
            "from = \"step:final\"\nwithin = \"30d\"",
        ),
        (
            "unknown anchor",
            "from = \"known\"\nwithin = \"30d\"",
            "from = \"awareness\"\nwithin = \"30d\"",
        ),
        (
            "business days without a calendar",
            "within = \"30d\"",
            "within = \"20bd\"",
        ),
    ];
    let mut report = String::new();
    for (what, from, to) in edits {
        assert!(base.contains(from), "{what}: the edit does not apply");
        let path = env.path("rules.toml");
        std::fs::write(&path, base.replacen(from, to, 1)).expect("written");
        let r = env.run(&["rules", "check", "rules.toml"]);
        assert_eq!(r.code, 1, "{what}");
        report.push_str(&format!("{what}:\n  {}\n", r.stderr.trim()));
    }
    insta::assert_snapshot!("rules_errors", report);
}
