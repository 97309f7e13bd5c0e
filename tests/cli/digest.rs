//! `digest`: a multi-day scenario with the default rules, window boundaries, formats.

use serde_json::{Value, json};

use crate::env::TestEnv;

/// Two duty days of a county office (08:00 to 08:00).
fn scenario() -> TestEnv {
    let mut env = TestEnv::new();
    // Day 1: A is filed exactly at 08:00, the start of the duty day.
    env.at("2026-03-10T08:00:00+08:00");
    env.file(&["--occurred", "07:50", "--known", "07:55", "--injuries", "2"]);
    env.ok(&[
        "escalate",
        "20260310-001",
        "--level",
        "leader_in_charge",
        "--at",
        "08:00",
    ]);
    env.at("2026-03-10T09:30:00+08:00");
    env.ok(&[
        "escalate",
        "20260310-001",
        "--level",
        "principal_leader",
        "--at",
        "08:06",
    ]);
    env.ok(&[
        "escalate",
        "20260310-001",
        "--level",
        "city",
        "--at",
        "08:20",
        "--contact",
        "市总值班室",
    ]);
    env.ok(&[
        "escalate",
        "20260310-001",
        "--level",
        "city",
        "--via",
        "written",
    ]);
    // C: a title a spreadsheet would run, no measures, the city told first.
    env.at("2026-03-10T10:05:00+08:00");
    env.file(&[
        "--title",
        "=HYPERLINK(\"http://x\")",
        "--kind",
        "fire",
        "--occurred",
        "09:50",
        "--known",
        "10:00",
        "--at",
        "10:00",
        "--measures",
    ]);
    env.ok(&["escalate", "20260310-002", "--level", "city"]);
    env.at("2026-03-10T20:00:00+08:00");
    env.ok(&[
        "update",
        "20260310-001",
        "--progress",
        "一名伤者医治无效死亡，另有两人死亡",
        "--deaths",
        "3",
    ]);
    // Day 2: B is filed exactly at 08:00 the next morning: out of day 1, in day 2.
    env.at("2026-03-11T08:00:00+08:00");
    env.file(&[
        "--title",
        "燃气泄漏, \"紧急\"",
        "--kind",
        "gas",
        "--occurred",
        "07:40",
        "--known",
        "07:45",
    ]);
    env.at("2026-03-11T09:00:00+08:00");
    env.ok(&[
        "correct",
        "20260310-002",
        "--entry",
        "1",
        "--measures",
        "已设置警戒区",
        "--reason",
        "首报漏填措施",
    ]);
    env.at("2026-03-11T12:00:00+08:00");
    env.ok(&["close", "20260310-001", "--summary", "处置完毕"]);
    env.at("2026-03-14T09:00:00+08:00");
    env
}

#[test]
pub fn one_days_digest_in_full() {
    let env = scenario();
    let (code, v) = env.json(&["digest", "--date", "2026-03-10"]);
    assert_eq!(code, 0);
    insta::assert_json_snapshot!("digest_0310", v);
}

#[test]
pub fn window_boundaries_are_half_open() {
    let env = scenario();
    let (_, d1) = env.json(&["digest", "--date", "2026-03-10"]);
    let (_, d2) = env.json(&["digest", "--date", "2026-03-11"]);
    let ids = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        ids(&d1, "new"),
        ["20260310-001", "20260310-002"],
        "filed exactly at from: in"
    );
    assert_eq!(
        ids(&d2, "new"),
        ["20260311-001"],
        "filed exactly at the previous day's to: in the next"
    );
    assert_eq!(ids(&d1, "open"), ["20260310-001", "20260310-002"]);
    assert_eq!(ids(&d2, "closed"), ["20260310-001"]);
    let updates: Vec<(String, String)> = d2["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| {
            (
                u["incident"].as_str().unwrap_or("").to_owned(),
                u["type"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        updates,
        [
            ("20260310-002".to_owned(), "correction".to_owned()),
            ("20260310-001".to_owned(), "final".to_owned())
        ]
    );
    assert_eq!(d2["updates"][0]["corrects"], json!(1));
    // The same day by --from/--to, and an hour that ends exactly at B's filing.
    let (_, w) = env.json(&[
        "digest",
        "--from",
        "2026-03-10 08:00",
        "--to",
        "2026-03-11 08:00",
    ]);
    assert_eq!(w, d1);
    let (_, h) = env.json(&[
        "digest",
        "--from",
        "2026-03-11 07:00",
        "--to",
        "2026-03-11 08:00",
    ]);
    assert_eq!(h["totals"]["new"], json!(0));
}

#[test]
pub fn an_empty_day_is_a_complete_digest() {
    let env = scenario();
    let (code, v) = env.json(&["digest", "--date", "2026-03-13"]);
    assert_eq!(code, 0);
    assert_eq!(
        v,
        json!({
            "from": "2026-03-13T08:00:00+08:00",
            "to": "2026-03-14T08:00:00+08:00",
            "new": [], "updates": [], "escalations": [], "closed": [],
            "open": v["open"].clone(),
            "findings": v["findings"].clone(),
            "totals": {
                "new": 0, "closed": 0, "open": 2, "figures": {},
                "by_severity": {"general": 0, "larger": 0, "major": 0, "especially_major": 0},
                "by_kind": {"fire": 0, "road_traffic": 0, "gas": 0, "geological": 0, "hazardous_chemicals": 0,
                            "mining": 0, "construction": 0, "industrial": 0, "other": 0},
                "by_finding": v["totals"]["by_finding"].clone(),
            },
            "chain_head": env.head(),
        })
    );
    // Nothing at all happened in a window before the first incident.
    let (_, none) = env.json(&["digest", "--date", "2026-03-01"]);
    assert_eq!(none["open"], json!([]));
    assert_eq!(none["findings"], json!([]));
    assert_eq!(none["totals"]["by_finding"]["overdue"], json!(0));
    let md = env.ok(&[
        "digest",
        "--date",
        "2026-03-01",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]);
    assert!(md.contains("0 new, 0 closed, 0 open"), "{md}");
}

#[test]
pub fn the_default_is_the_latest_complete_day() {
    let env = scenario();
    let (_, d) = env.json(&["digest"]);
    assert_eq!(
        d["from"],
        json!("2026-03-13T08:00:00+08:00"),
        "now is 03-14 09:00"
    );
}

#[test]
pub fn csv_is_one_row_per_incident_touched_and_safe() {
    let env = scenario();
    let csv = env.ok(&["digest", "--date", "2026-03-11", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("valid csv")).collect();
    let ids: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, ["20260310-001", "20260310-002", "20260311-001"]);
    assert_eq!(
        &records[1][1], "'=HYPERLINK(\"http://x\")",
        "no cell starts a formula"
    );
    assert_eq!(&records[2][1], "燃气泄漏, \"紧急\"");
    assert!(
        csv.contains("\"燃气泄漏, \"\"紧急\"\"\""),
        "RFC 4180 quoting: {csv}"
    );
    for r in &records {
        for cell in r.iter().filter(|c| c.parse::<i64>().is_err()) {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
    let bom = env.ok(&["digest", "--date", "2026-03-11", "--format", "csv", "--bom"]);
    assert!(bom.starts_with('\u{feff}'));
}

#[test]
pub fn markdown_names_every_incident_touched_in_chinese() {
    let env = scenario();
    let md = env.ok(&[
        "digest",
        "--date",
        "2026-03-10",
        "--format",
        "markdown",
        "--lang",
        "zh",
    ]);
    for part in [
        "# 值班日报（2026-03-10 08:00 至 2026-03-11 08:00）",
        "本期新增事件 2 起，终报 0 起，期末处置中 2 起",
        "| 20260310-001 | 化工厂储罐泄漏 |",
        "| 20260310-002 | =HYPERLINK(\"http://x\") |",
        "等级调整 一般 → 较大",
        "## 报送情况",
        "| 2026-03-10 09:30 | 20260310-001 | 市委市政府总值班室 | 书面 | - | 否 |",
        "## 期末处置中事件",
        "## 报送问题",
        "20260310-002 越级/漏报",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }
    let md2 = env.ok(&["digest", "--date", "2026-03-11", "--format", "markdown"]);
    for id in ["20260310-001", "20260310-002", "20260311-001"] {
        assert!(md2.contains(id), "{id} missing in\n{md2}");
    }
}

#[test]
pub fn the_table_is_for_a_terminal() {
    let env = scenario();
    let out = env.ok(&["digest", "--date", "2026-03-10"]);
    assert!(
        out.starts_with("Duty report 2026-03-10 08:00 to 2026-03-11 08:00"),
        "{out}"
    );
    assert!(out.contains("2 new, 0 closed, 2 open at the end"), "{out}");
}

#[test]
pub fn the_cron_example_writes_yesterdays_files() {
    let env = scenario();
    let out_dir = env.path("reports");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/daily-digest.sh");
    let bin = assert_cmd::cargo::cargo_bin("sitrep");
    let status = std::process::Command::new("sh")
        .arg(script)
        .arg(&out_dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("SITREP", &bin)
        .env("SITREP_DB", &env.db)
        .env("SITREP_NOW", "2026-03-11T08:15:00+08:00")
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Silent on success, so cron mails only when it fails.
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
    assert_eq!(String::from_utf8_lossy(&status.stderr), "");
    let md =
        std::fs::read_to_string(out_dir.join("值班日报-2026-03-10.md")).expect("markdown written");
    assert!(
        md.contains("# 值班日报（2026-03-10 08:00 至 2026-03-11 08:00）"),
        "{md}"
    );
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("值班日报-2026-03-10.json")).expect("json written"),
    )
    .expect("valid json");
    assert_eq!(json["from"], json!("2026-03-10T08:00:00+08:00"));
}

#[test]
pub fn the_cron_example_fails_loudly() {
    let env = TestEnv::new();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/daily-digest.sh");
    let bin = assert_cmd::cargo::cargo_bin("sitrep");
    let out_dir = env.path("reports");
    // A database that is not sitrep's: digest refuses it.
    std::fs::write(env.path("not-a-db"), "hello").expect("writes");
    let run = std::process::Command::new("sh")
        .arg(script)
        .arg(&out_dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("SITREP", &bin)
        .env("SITREP_DB", env.path("not-a-db"))
        .env("SITREP_NOW", "2026-03-11T08:15:00+08:00")
        .output()
        .expect("runs");
    assert!(!run.status.success());
    assert_eq!(String::from_utf8_lossy(&run.stdout), "");
    assert!(
        String::from_utf8_lossy(&run.stderr).starts_with("error: "),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&out_dir).expect("dir").collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Every digest ends with the chain head as of its end, which `verify --head` proves later.
#[test]
pub fn a_digest_anchors_the_record_with_the_chain_head() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    let head = env.head();
    env.at("2026-03-11T10:00:00+08:00");
    env.ok(&["escalate", &id, "--level", "city", "--at", "09:00"]);
    assert_ne!(env.head(), head);
    let (_, v) = env.json(&["digest", "--date", "2026-03-10"]);
    assert_eq!(
        v["chain_head"],
        json!(head),
        "the head at 03-11 08:00, not now"
    );
    let md = env.ok(&[
        "digest",
        "--date",
        "2026-03-10",
        "--format",
        "markdown",
        "--lang",
        "zh",
    ]);
    assert!(
        md.trim_end()
            .ends_with(&format!("日后可用 sitrep verify --head {head} 核验）")),
        "{md}"
    );
    let proof = env.ok(&["verify", "--head", &head]);
    assert!(
        proof.contains(&format!("the chain still contains {head}")),
        "{proof}"
    );
}

/// The CSV is for spreadsheets: in Chinese, Chinese headers and labels, a column per figure that
/// sums, and times a spreadsheet reads as dates — read back with Python's `csv` module.
#[test]
pub fn the_chinese_csv_opens_as_a_spreadsheet_would_read_it() {
    let mut env = TestEnv::new();
    env.file(&[
        "--deaths",
        "2",
        "--injuries",
        "5",
        "--evacuated",
        "30",
        "--kind",
        "gas",
    ]);
    env.file(&["--deaths", "1", "--loss", "1200万"]);
    env.at("2026-03-11T09:00:00+08:00");
    let csv = env.ok(&[
        "digest",
        "--date",
        "2026-03-10",
        "--format",
        "csv",
        "--lang",
        "zh",
        "--bom",
    ]);
    let path = env.path("日报.csv");
    std::fs::write(&path, &csv).expect("written");
    let script = r#"
import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
total = lambda col: sum(int(r[col]) for r in rows if r[col] != "")
print(json.dumps({
    "headers": list(rows[0].keys()),
    "kinds": [r["类型"] for r in rows],
    "deaths": total("死亡"), "injuries": total("受伤"), "loss": total("直接经济损失（元）"),
    "known": [r["获知时间"] for r in rows],
    "new": [r["本期新增"] for r in rows],
}, ensure_ascii=False))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["headers"][0], json!("编号"));
    assert!(
        v["headers"]
            .as_array()
            .expect("headers")
            .iter()
            .all(|h| !h.as_str().unwrap_or("").is_ascii()),
        "{v}"
    );
    assert_eq!(v["kinds"], json!(["燃气", "危险化学品"]));
    assert_eq!(
        (v["deaths"].clone(), v["injuries"].clone()),
        (json!(3), json!(5))
    );
    assert_eq!(v["loss"], json!(12_000_000));
    assert_eq!(v["known"], json!(["2026-03-10 14:10", "2026-03-10 14:10"]));
    assert_eq!(v["new"], json!(["是", "是"]));
}

/// A duty day not yet over is reported up to now, and says so: judged at its end (08:00 the
/// next morning) a step due in ten minutes would be called hours overdue.
#[test]
pub fn a_day_in_progress_is_reported_up_to_now() {
    let mut env = TestEnv::new();
    env.at("2026-03-10T14:12:00+08:00");
    let id = env.file(&["--occurred", "14:05", "--known", "14:10"]);
    let r = env.run(&["digest", "--date", "2026-03-10", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("is not over: this digest covers it up to now, 2026-03-10 14:12"),
        "{}",
        r.stderr
    );
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["to"], json!("2026-03-10T14:12:01+08:00"));
    assert_eq!(v["new"][0]["id"], json!(id));
    assert_eq!(v["findings"], json!([]), "nothing is overdue yet: {v}");
    assert_eq!(v["open"][0]["next_due"]["minutes"], json!(12), "{v}");
    // Once the day is over, the same day is judged at its end.
    env.at("2026-03-11T09:00:00+08:00");
    let r = env.run(&["digest", "--date", "2026-03-10", "--format", "json"]);
    assert!(!r.stderr.contains("is not over"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["to"], json!("2026-03-11T08:00:00+08:00"));
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == json!("overdue")),
        "{v}"
    );
    // A day that has not begun has nothing to report.
    env.at("2026-03-10T14:12:00+08:00");
    let r = env.run(&["digest", "--date", "2026-03-12"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("has not begun"), "{}", r.stderr);
}
