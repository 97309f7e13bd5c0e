//! The duty officer's commands, from `init` to `close`, read back with `show` and `list`.

use serde_json::{Value, json};

use crate::env::{TestEnv, file_args, mode};

#[test]
pub fn init_creates_a_private_database_once() {
    let env = TestEnv::new();
    let out = env.ok(&["init"]);
    assert!(out.contains("created"), "{out}");
    assert_eq!(mode(&env.db), 0o600);
    let again = env.ok(&["init"]);
    assert!(again.contains("existed already"), "{again}");
    // No temporary files are left beside it.
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .expect("lists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
pub fn the_default_database_lives_in_the_data_directory() {
    let env = TestEnv::new();
    let mut cmd = env.cmd(&["init"]);
    cmd.env_remove("SITREP_DB");
    let out = cmd.output().expect("runs");
    assert!(out.status.success());
    assert!(env.path("data/sitrep/sitrep.db").exists());
}

#[test]
pub fn file_prints_the_id_then_the_deadlines_running() {
    let env = TestEnv::new();
    let out = env.ok(&file_args(&[]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("20260310-001"));
    assert!(out.contains("Deadlines now running:"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("| leader-in-charge (报分管领导)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("| leader_in_charge (分管领导) |")
            && row.contains("| 2026-03-10 14:25 | due in 5m"),
        "{row}"
    );
    assert!(out.contains("city-written"), "{out}");
    // A second incident the same day gets the next number.
    assert_eq!(env.file(&[]), "20260310-002");
}

#[test]
pub fn ids_count_within_the_day_of_the_known_time() {
    let mut env = TestEnv::new();
    env.at("2026-03-11T00:30:00+08:00");
    // Known before midnight: yesterday's number series.
    let a = env.file(&[
        "--occurred",
        "2026-03-10 23:40",
        "--known",
        "2026-03-10 23:50",
    ]);
    assert_eq!(a, "20260310-001");
    let b = env.file(&["--occurred", "00:10", "--known", "00:20"]);
    assert_eq!(b, "20260311-001");
}

fn full_incident(env: &TestEnv) -> String {
    let id = env.file(&[
        "--severity",
        "larger",
        "--deaths",
        "1",
        "--missing",
        "2",
        "--serious-injuries",
        "3",
        "--injuries",
        "4",
        "--trapped",
        "5",
        "--evacuated",
        "300",
        "--loss",
        "1200万",
        "--cause",
        "阀门老化",
        "--cause-status",
        "preliminary",
        "--at",
        "14:11",
    ]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "leader_in_charge",
        "--contact",
        "王副区长",
        "--at",
        "14:12",
    ]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "city",
        "--via",
        "written",
        "--contact",
        "市总值班室李四",
        "--reason",
        "主要领导在外地",
        "--at",
        "14:16",
    ]);
    env.ok(&[
        "update",
        &id,
        "--progress",
        "泄漏已封堵",
        "--measures",
        "持续监测",
        "--injuries",
        "6",
        "--at",
        "14:18",
    ]);
    id
}

#[test]
pub fn show_json_round_trips_every_field_a_command_accepted() {
    let env = TestEnv::new();
    let id = full_incident(&env);
    let (code, v) = env.json(&["show", &id]);
    assert_eq!(code, 0);
    assert_eq!(v["id"], json!(id));
    assert_eq!(v["title"], json!("化工厂储罐泄漏"));
    assert_eq!(v["kind"], json!("hazardous_chemicals"));
    assert_eq!(v["severity"], json!("larger"));
    assert_eq!(v["status"], json!("open"));
    assert_eq!(v["occurred"], json!("2026-03-10T14:05:00+08:00"));
    assert_eq!(v["known"], json!("2026-03-10T14:10:00+08:00"));
    assert_eq!(v["closed"], Value::Null);
    assert_eq!(v["location"], json!("开发区化工园"));
    assert_eq!(v["unit"], json!("区应急管理局"));
    assert_eq!(
        v["figures"],
        json!({"deaths": 1, "direct_loss": 12_000_000, "evacuated": 300, "injuries": 6,
               "missing": 2, "serious_injuries": 3, "trapped": 5})
    );
    assert_eq!(v["rules"].as_str().map(str::len), Some(64));
    let e = &v["entries"];
    assert_eq!(e[0]["n"], json!(1));
    assert_eq!(e[0]["type"], json!("initial"));
    assert_eq!(e[0]["at"], json!("2026-03-10T14:11:00+08:00"));
    assert_eq!(e[0]["recorded"], json!("2026-03-10T14:20:00+08:00"));
    assert_eq!(e[0]["by"], json!("值班员张三"));
    assert_eq!(e[0]["os_user"], json!("duty"));
    assert_eq!(e[0]["simulated_clock"], json!(true));
    assert_eq!(e[0]["backfilled"], json!(false));
    assert_eq!(e[0]["imported"], json!(false));
    assert_eq!(e[0]["facts"], json!("2号储罐阀门泄漏"));
    assert_eq!(e[0]["measures"], json!("疏散周边群众"));
    assert_eq!(e[0]["declared_severity"], json!("larger"));
    assert_eq!(
        e[0]["cause"],
        json!({"text": "阀门老化", "status": "preliminary"})
    );
    assert_eq!(e[0]["figures"]["direct_loss"], json!(12_000_000));
    assert_eq!(e[0]["hash"].as_str().map(str::len), Some(64));
    assert_eq!(e[1]["type"], json!("escalation"));
    assert_eq!(e[1]["level"], json!("leader_in_charge"));
    assert_eq!(e[1]["channel"], json!("phone"));
    assert_eq!(e[1]["contact"], json!("王副区长"));
    assert_eq!(e[1]["reason"], Value::Null);
    assert_eq!(e[1]["at"], json!("2026-03-10T14:12:00+08:00"));
    assert_eq!(e[2]["channel"], json!("written"));
    assert_eq!(e[2]["reason"], json!("主要领导在外地"));
    assert_eq!(e[3]["type"], json!("followup"));
    assert_eq!(e[3]["progress"], json!("泄漏已封堵"));
    assert_eq!(e[3]["measures"], json!("持续监测"));
    assert_eq!(e[3]["figures"], json!({"injuries": 6}));
    let steps = v["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 9);
    assert_eq!(
        steps[0],
        json!({"step": "leader-in-charge", "level": "leader_in_charge", "channel": null,
               "due": "2026-03-10T14:25:00+08:00", "done": "2026-03-10T14:12:00+08:00", "status": "done"})
    );
}

#[test]
pub fn rising_figures_reclassify_and_say_so() {
    let env = TestEnv::new();
    let id = env.file(&["--deaths", "1"]);
    let out = env.ok(&[
        "update",
        &id,
        "--progress",
        "搜救中发现遇难者",
        "--deaths",
        "3",
    ]);
    assert!(
        out.contains(
            "Severity raised: general (一般) → larger (较大); its deadlines count from 2026-03-10 14:20"
        ),
        "{out}"
    );
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(v["severity"], json!("larger"));
    let reclass = &v["entries"][2];
    assert_eq!(reclass["type"], json!("reclassification"));
    assert_eq!(reclass["from"], json!("general"));
    assert_eq!(reclass["to"], json!("larger"));
    assert_eq!(reclass["reported_in"], json!(2));
}

#[test]
pub fn figures_after_the_casualty_window_are_kept_but_do_not_reclassify() {
    let mut env = TestEnv::new();
    let id = env.file(&["--kind", "fire"]);
    env.at("2026-03-17T14:06:00+08:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "一名伤者医治无效死亡",
        "--deaths",
        "3",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        v["severity"],
        json!("general"),
        "fire counts casualties for 7 days"
    );
    assert_eq!(v["figures"]["deaths"], json!(3));
}

#[test]
pub fn backfilled_entries_are_marked() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    env.at("2026-03-10T16:00:00+08:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "leader_in_charge",
        "--at",
        "14:15",
    ]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "principal_leader",
        "--at",
        "15:00",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        v["entries"][1]["backfilled"],
        json!(true),
        "claimed 1h45m before recorded"
    );
    assert_eq!(
        v["entries"][2]["backfilled"],
        json!(false),
        "exactly one hour is not backfilled"
    );
    let table = env.ok(&["show", &id]);
    assert!(table.contains("escalation (backfilled)"), "{table}");
}

#[test]
pub fn close_then_nothing_but_corrections() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&[
        "close",
        &id,
        "--summary",
        "处置完毕",
        "--cause",
        "阀门老化",
        "--cause-status",
        "confirmed",
    ]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(v["status"], json!("closed"));
    assert_eq!(v["closed"], json!("2026-03-10T14:20:00+08:00"));
    assert_eq!(v["entries"][1]["summary"], json!("处置完毕"));
    let r = env.run(&["update", &id, "--progress", "补充"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("was closed at 2026-03-10 14:20"),
        "{}",
        r.stderr
    );
    let before = env.entry_count();
    let r = env.run(&["close", &id, "--summary", "again"]);
    assert_eq!(r.code, 1);
    assert_eq!(env.entry_count(), before);
    env.ok(&[
        "correct",
        &id,
        "--entry",
        "2",
        "--summary",
        "处置完毕，无次生灾害",
        "--reason",
        "补充",
    ]);
}

#[test]
pub fn a_correction_stays_beside_the_original() {
    let mut env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "leader_in_charge",
        "--at",
        "14:20",
    ]);
    env.at("2026-03-10T15:00:00+08:00");
    let out = env.ok(&[
        "correct",
        &id,
        "--entry",
        "2",
        "--at",
        "14:12",
        "--reason",
        "以通话记录为准",
    ]);
    assert!(out.starts_with(&id), "{out}");
    let (_, v) = env.json(&["show", &id]);
    let e = &v["entries"];
    assert_eq!(
        e[1]["at"],
        json!("2026-03-10T14:20:00+08:00"),
        "the original stays"
    );
    assert_eq!(e[1]["corrected_by"], json!([3]));
    assert_eq!(e[2]["type"], json!("correction"));
    assert_eq!(e[2]["corrects"], json!(2));
    assert_eq!(e[2]["reason"], json!("以通话记录为准"));
    assert_eq!(e[2]["changes"], json!({"at": "2026-03-10T14:12:00+08:00"}));
    assert_eq!(
        v["steps"][0]["done"],
        json!("2026-03-10T14:12:00+08:00"),
        "findings use the corrected time"
    );
    let table = env.ok(&["show", &id]);
    assert!(table.contains("→ corrected by #3"), "{table}");
    assert!(
        table.contains("corrects #2: at → 2026-03-10 14:12"),
        "{table}"
    );
    // The written report is the incident as it stood at the report: the 首报 (14:20) was
    // written before the correction (15:00); a follow-up after it shows the escalation corrected,
    // the reason beside it.
    let first = env.ok(&["show", &id, "--format", "markdown"]);
    assert!(
        first.contains("- 2026年3月10日14时20分已报分管领导（电话）\n"),
        "{first}"
    );
    assert!(!first.contains("以通话记录为准"), "{first}");
    env.ok(&["update", &id, "--progress", "泄漏已控制"]);
    let md = env.ok(&["show", &id, "--format", "markdown"]);
    assert!(
        md.contains("- 2026年3月10日14时12分已报分管领导（电话）（已更正：以通话记录为准）\n"),
        "{md}"
    );
    assert_eq!(
        env.ok(&["show", &id, "--format", "markdown", "--report", "1"]),
        first
    );
}

#[test]
pub fn correct_refuses_what_the_entry_does_not_have() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "city"]);
    let before = env.entry_count();
    for (args, says) in [
        (
            vec!["--entry", "2", "--facts", "x", "--reason", "r"],
            "entry 2 (escalation) has no --facts",
        ),
        (
            vec!["--entry", "9", "--at", "14:12", "--reason", "r"],
            "has no entry 9",
        ),
        (vec!["--entry", "2", "--reason", "r"], "nothing to correct"),
        (
            vec!["--entry", "1", "--at", "14:00", "--reason", "r"],
            "before the known time",
        ),
    ] {
        let mut all = vec!["correct", id.as_str()];
        all.extend(args);
        let r = env.run(&all);
        assert_ne!(r.code, 0, "{all:?}");
        assert!(r.stderr.contains(says), "{all:?}: {}", r.stderr);
    }
    assert_eq!(
        env.entry_count(),
        before,
        "refused corrections write nothing"
    );
}

#[test]
pub fn the_written_report_has_its_six_parts() {
    let env = TestEnv::new();
    let id = full_incident(&env);
    let md = env.ok(&["show", &id, "--format", "markdown", "--lang", "zh"]);
    for part in [
        "# 关于化工厂储罐泄漏的续报（一）",
        // The reporting unit is not the unit where it happened, which was not given.
        "## 一、事故发生单位概况\n\n待核实",
        "## 二、事故发生的时间、地点",
        "发生时间：2026年3月10日14时05分",
        "## 三、事故简要经过\n\n- 2026年3月10日14时11分首报：2号储罐阀门泄漏\n- 2026年3月10日14时18分续报（一）：泄漏已封堵",
        "## 四、伤亡人数和初步估计的直接经济损失\n\n死亡1人，失踪2人，重伤3人，受伤6人，被困5人，疏散300人\n\n直接经济损失：约1200万元",
        "## 五、已经采取的措施\n\n- 2026年3月10日14时11分首报：疏散周边群众\n- 2026年3月10日14时18分续报（一）：持续监测",
        "## 六、其他应当报告的情况\n\n- 原因：阀门老化（初步判断）",
        "- 2026年3月10日14时12分已报分管领导（电话，接报人：王副区长）",
        "报送单位：区应急管理局  \n签发人：＿＿＿＿  \n值班员：值班员张三  \n报送时间：2026年3月10日14时18分\n",
    ] {
        assert!(md.contains(part), "missing {part:?} in:\n{md}");
    }
}

#[test]
pub fn list_filters_and_formats() {
    let mut env = TestEnv::new();
    let a = env.file(&[]);
    env.at("2026-03-10T15:00:00+08:00");
    let b = env.file(&[
        "--kind",
        "fire",
        "--title",
        "=HYPERLINK(\"x\"),\"引号\"",
        "--deaths",
        "3",
    ]);
    env.ok(&["close", &a, "--summary", "完毕"]);
    let (_, all) = env.json(&["list"]);
    let ids: Vec<&str> = all
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, [b.as_str(), a.as_str()], "newest first");
    let (_, open) = env.json(&["list", "--open"]);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    assert_eq!(open[0]["id"], json!(b));
    let (_, closed) = env.json(&["list", "--closed"]);
    assert_eq!(closed[0]["id"], json!(a));
    let (_, larger) = env.json(&["list", "--severity", "larger"]);
    assert_eq!(larger.as_array().map(Vec::len), Some(1));
    let (_, fire) = env.json(&["list", "--kind", "fire"]);
    assert_eq!(fire[0]["id"], json!(b));
    let (_, since) = env.json(&["list", "--since", "30m"]);
    assert_eq!(since.as_array().map(Vec::len), Some(1));
    let csv = env.ok(&["list", "--format", "csv"]);
    assert!(csv.starts_with("id,title,kind,severity,status"), "{csv}");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\"),\"\"引号\"\"\""),
        "{csv}"
    );
    let bom = env.ok(&["list", "--format", "csv", "--bom"]);
    assert!(bom.starts_with('\u{feff}'));
    let table = env.ok(&["list"]);
    assert!(table.contains("| 20260310-002 | larger (较大)"), "{table}");
}

#[test]
pub fn verify_prints_the_head_and_backup_copies_while_consistent() {
    let env = TestEnv::new();
    let id = full_incident(&env);
    let out = env.ok(&["verify"]);
    assert!(out.contains("integrity: ok"), "{out}");
    assert!(out.contains("chain: 4 entries in 1 incidents"), "{out}");
    let head = env.head();
    assert_eq!(head.len(), 64);
    let proved = env.ok(&["verify", "--head", &head]);
    assert!(proved.contains("the chain still contains"), "{proved}");

    let copy = env.path("copy.db");
    env.ok(&["backup", copy.to_str().expect("utf-8")]);
    assert_eq!(mode(&copy), 0o600);
    let mut on_copy = env.cmd(&["show", &id, "--format", "json"]);
    on_copy.env("SITREP_DB", &copy);
    let out = on_copy.output().expect("runs");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["entries"].as_array().map(Vec::len), Some(4));
    let again = env.run(&["backup", copy.to_str().expect("utf-8")]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
}

#[test]
pub fn who_acted_is_recorded_with_the_os_user() {
    let env = TestEnv::new();
    let id = env.file(&[]);
    env.ok(&["escalate", &id, "--level", "city", "--as", "李值班"]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(v["entries"][1]["by"], json!("李值班"));
    assert_eq!(v["entries"][1]["os_user"], json!("duty"));
}

#[test]
pub fn global_flags_work_before_or_after_the_command() {
    let env = TestEnv::new();
    env.file(&[]);
    let after = env.ok(&["check", "--format", "json", "--lang", "en"]);
    let before = env.ok(&["--format", "json", "--lang", "en", "check"]);
    assert_eq!(after, before);
    assert!(after.trim_start().starts_with('{'));
}

#[test]
pub fn writing_commands_speak_json_for_scripts() {
    let env = TestEnv::new();
    let (code, v) = env.json(&[
        "file",
        "--title",
        "燃气泄漏",
        "--kind",
        "gas",
        "--occurred",
        "14:05",
        "--location",
        "某路",
        "--unit",
        "某局",
        "--facts",
        "泄漏",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["incident"]["id"], json!("20260310-001"));
    assert_eq!(v["recorded"], json!([1]));
    assert_eq!(v["steps"][0]["step"], json!("leader-in-charge"));
    assert_eq!(v["findings"][0]["kind"], json!("incomplete"));
}

#[test]
pub fn edit_opens_the_editor_for_the_long_texts() {
    let mut env = TestEnv::new();
    let editor = env.path("fake-editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf '# ignored\\n## facts\\n储罐泄漏，\\n现场有异味\\n\\n## measures\\n已疏散\\n' > \"$1\"\n",
    )
    .expect("written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    env.env("EDITOR", editor.to_str().expect("utf-8"));
    let id = env.file(&["--facts", "--measures", "--edit"]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(v["entries"][0]["facts"], json!("储罐泄漏，\n现场有异味"));
    assert_eq!(v["entries"][0]["measures"], json!("已疏散"));
    let mut no_editor = env.cmd(&["update", &id, "--edit"]);
    no_editor.env_remove("EDITOR");
    let out = no_editor.output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--edit needs an editor"));
}
