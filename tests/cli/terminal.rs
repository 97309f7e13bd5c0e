//! At home in a terminal: prompts on a real pseudo-terminal (`pty.rs`), table widths, colour, pipes,
//! completions, help, and the Chinese output of the commands officers use most.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use crate::env::{TestEnv, file_args, mode};
use crate::pty::{self, Step};

/// Typing `text` and Enter.
fn answer(text: &str) -> String {
    format!("{text}\r")
}

/// Backspaces enough to clear `text` (one per character).
fn clear(text: &str) -> String {
    "\u{7f}".repeat(text.chars().count())
}

#[test]
fn a_gas_explosion_is_filed_entirely_through_the_prompts_in_chinese_on_a_terminal() {
    let env = TestEnv::new();
    let typed = [
        ("标题", answer("某餐馆燃气爆炸")),
        ("事件类型", answer("燃汽")),
        // Refused with the nearest kind, and asked again.
        ("是否想用“燃气”？", clear("燃汽") + &answer("燃气")),
        (
            "发生时间（如 14:05、昨天 14:05、30分钟前）",
            answer("下午两点"),
        ),
        (
            "无法识别的时间“下午两点”",
            clear("下午两点") + &answer("13:40"),
        ),
        (
            "接报时间（回车即为现在，如 14:05、30分钟前）",
            answer("13:50"),
        ),
        ("地点", answer("城关镇东街某餐馆")),
        ("报告单位", answer("城关镇人民政府")),
        ("信息来源", answer("群众电话报告，联系人张某 138xxxx")),
        ("事故发生单位概况", answer("")),
        (
            "基本情况",
            answer("13时40分许，某餐馆后厨燃气爆炸，造成2人死亡、5人受伤"),
        ),
        ("已采取的措施", answer("已疏散周边群众30人，消防到场处置")),
        ("死亡人数", answer("2")),
        ("失踪人数", answer("")),
        ("重伤人数", answer("")),
        ("受伤人数", answer("5")),
        ("被困人数", answer("")),
        ("疏散人数", answer("30")),
        ("直接经济损失", answer("")),
    ];
    let steps: Vec<Step<'_>> = typed
        .iter()
        .flat_map(|(shown, send)| [Step::Expect(shown), Step::Send(send)])
        .collect();
    let Some(s) = pty::run(&env, &["--lang", "zh", "file"], &steps) else {
        return;
    };
    assert_eq!(s.code, 0, "{}", s.shown);
    assert!(s.stdout.starts_with("20260310-001\n"), "{}", s.stdout);
    assert!(!s.stdout.contains("标题"), "prompts never go to stdout");
    // The refusals were shown with their reasons at the question, before the next one.
    assert!(
        s.shown.contains("未知的事件类型“燃汽”：是否想用“燃气”？"),
        "{}",
        s.shown
    );
    assert!(
        s.shown.contains("无法识别的时间“下午两点”：可写作"),
        "{}",
        s.shown
    );
    // Each time is shown as it was read.
    assert!(s.shown.contains("2026-03-10 13:40"), "{}", s.shown);
    assert!(s.shown.contains("（未填）"), "{}", s.shown);
    let (_, v) = env.json(&["show", "20260310-001"]);
    assert_eq!(v["title"], json!("某餐馆燃气爆炸"));
    assert_eq!(v["kind"], json!("gas"));
    assert_eq!(v["occurred"], json!("2026-03-10T13:40:00+08:00"));
    assert_eq!(v["known"], json!("2026-03-10T13:50:00+08:00"));
    assert_eq!(v["location"], json!("城关镇东街某餐馆"));
    assert_eq!(v["unit"], json!("城关镇人民政府"));
    let figures = json!({"deaths": 2, "injuries": 5, "evacuated": 30});
    assert_eq!(v["figures"], figures);
    // The built-in rules: 较大 (larger) takes 3 deaths, 10 serious injuries or 10,000,000 yuan;
    // 2 deaths and 5 injuries are 一般 (general).
    let (_, r) = env.json(&["rules", "check"]);
    let larger = &r["severities"][1];
    assert_eq!(larger["id"], json!("larger"), "{r}");
    assert_eq!(larger["at_least"]["deaths"], json!(3), "{r}");
    assert_eq!(v["severity"], json!("general"));
    let first = &v["entries"][0];
    assert_eq!(first["source"], json!("群众电话报告，联系人张某 138xxxx"));
    assert_eq!(first["accident_unit"], json!(null), "Enter left it out");
    assert_eq!(first["measures"], json!("已疏散周边群众30人，消防到场处置"));
    assert_eq!(first["figures"], figures);
    assert_eq!(first["at"], json!("2026-03-10T14:20:00+08:00"));
    assert!(
        !env.path("data/sitrep/drafts").exists(),
        "no draft when filed"
    );
}

#[test]
fn prompts_skip_the_flags_given_and_ask_again_for_one_refused() {
    let env = TestEnv::new();
    let args = [
        "--lang",
        "en",
        "file",
        "--occurred",
        "下午两点",
        "--unit",
        "区应急管理局",
        "--facts",
        "2号储罐阀门泄漏",
        "--measures",
        "已疏散周边群众",
        "--deaths",
        "0",
        "--figure",
        "injuries=1",
    ];
    let steps = [
        Step::Expect("Title"),
        Step::Send("化工厂储罐泄漏\r"),
        Step::Expect("Kind"),
        Step::Expect("type a name or id to filter"),
        // Tab completes to the one kind offered.
        Step::Send("危险"),
        Step::Expect("hazardous_chemicals (危险化学品)"),
        Step::Send("\t"),
        Step::Send("\r"),
        // The flag's value is refused with its reason and offered again to be corrected.
        Step::Expect("--occurred: `下午两点` is not a time sitrep reads"),
        Step::Expect("Occurred"),
        Step::Send("\u{7f}\u{7f}\u{7f}\u{7f}14:05\r"),
        // Enter keeps now.
        Step::Expect("Known: when the office learned of it (Enter for now"),
        Step::Send("\r"),
        Step::Expect("Location"),
        Step::Send("开发区化工园\r"),
        Step::Expect("Source of the information"),
        Step::Send("\r"),
        Step::Expect("The unit where it happened"),
        Step::Send("某化工有限公司\r"),
        Step::Expect("Missing"),
        Step::Send("\r"),
        Step::Expect("Serious injuries"),
        Step::Send("两个\r"),
        Step::Expect("`两个` is not a whole number"),
        Step::Send("\u{7f}\u{7f}1\r"),
        Step::Expect("Trapped"),
        Step::Send("\r"),
        Step::Expect("Evacuated"),
        Step::Send("300\r"),
        Step::Expect("Direct loss in yuan"),
        Step::Send("很多\r"),
        Step::Expect("is not an amount of yuan"),
        Step::Send("\u{7f}\u{7f}1200万\r"),
    ];
    let Some(s) = pty::run(&env, &args, &steps) else {
        return;
    };
    assert_eq!(s.code, 0, "{}", s.shown);
    for given in ["Reporting unit", "Facts", "Measures", "Deaths", "Injuries"] {
        assert!(!s.shown.contains(given), "{given} was given: {}", s.shown);
    }
    let (_, v) = env.json(&["show", "20260310-001"]);
    assert_eq!(v["kind"], json!("hazardous_chemicals"));
    assert_eq!(v["occurred"], json!("2026-03-10T14:05:00+08:00"));
    assert_eq!(
        v["known"],
        json!("2026-03-10T14:20:00+08:00"),
        "Enter is now"
    );
    let first = &v["entries"][0];
    assert_eq!(first["source"], json!(null));
    assert_eq!(first["accident_unit"], json!("某化工有限公司"));
    assert_eq!(first["measures"], json!("已疏散周边群众"));
    assert_eq!(
        v["figures"],
        json!({"deaths": 0, "injuries": 1, "serious_injuries": 1, "evacuated": 300,
               "direct_loss": 12_000_000})
    );
    // 12,000,000 yuan is at least 较大 under the built-in rules.
    assert_eq!(v["severity"], json!("larger"));
}

#[test]
fn cancelling_half_way_on_a_terminal_keeps_what_was_typed_in_a_draft() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let steps = [
        Step::Expect("标题"),
        Step::Send("某餐馆燃气爆炸\r"),
        Step::Expect("事件类型"),
        Step::Send("燃气\r"),
        Step::Expect("发生时间"),
        Step::Send("13:40\r"),
        Step::Expect("接报时间"),
        Step::Send("下午\r"),
        Step::Expect("无法识别的时间“下午”"),
        Step::Send("\u{1b}"),
        Step::Expect("已取消：未作任何记录；已录入的内容存于 "),
    ];
    let Some(s) = pty::run(&env, &["--lang", "zh", "file"], &steps) else {
        return;
    };
    assert_eq!(s.code, 1, "{}", s.shown);
    assert_eq!(s.stdout, "", "nothing on stdout");
    assert!(s.shown.contains("（已取消）"), "{}", s.shown);
    let line = s
        .shown
        .lines()
        .find_map(|l| l.split_once("已录入的内容存于 ").map(|(_, p)| p.trim()))
        .expect("the draft's path");
    let path = std::path::Path::new(line);
    assert!(path.starts_with(env.path("data/sitrep/drafts")), "{line}");
    assert_eq!(mode(path), 0o600);
    let draft: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the draft")).expect("JSON");
    assert_eq!(draft["command"], json!("file"));
    assert_eq!(draft["error"], json!("cancelled at the prompts"));
    let f = &draft["fields"];
    assert_eq!(f["title"], json!("某餐馆燃气爆炸"));
    assert_eq!(f["kind"], json!("燃气"));
    assert_eq!(f["occurred"], json!("13:40"));
    assert_eq!(f["known"], json!(null));
    // The answer refused when Esc was pressed is kept too.
    assert_eq!(f["unaccepted"], json!({"flag": "--known", "text": "下午"}));
    let (code, list) = env.json(&["list"]);
    assert_eq!((code, list), (0, json!([])), "nothing was recorded");
    assert_eq!(env.entry_count(), 0);

    // Ctrl-C before anything was typed: nothing recorded, no draft.
    let steps = [Step::Expect("标题"), Step::Send("\u{3}")];
    let Some(s) = pty::run(&env, &["--lang", "zh", "file"], &steps) else {
        return;
    };
    assert_eq!(s.code, 1, "{}", s.shown);
    assert!(
        s.shown.contains("错误：已取消：未作任何记录"),
        "{}",
        s.shown
    );
    assert!(!s.shown.contains("存于"), "{}", s.shown);
    let drafts = std::fs::read_dir(env.path("data/sitrep/drafts")).expect("drafts");
    assert_eq!(drafts.count(), 1, "only the first session's draft");
}

#[test]
fn a_refusal_after_the_last_prompt_keeps_the_answers_in_a_draft() {
    let env = TestEnv::new();
    // 3 deaths make it 较大 (larger): filing it as 一般 (general) is refused at the write.
    let args = [
        "--lang",
        "en",
        "file",
        "--severity",
        "general",
        "--title",
        "某餐馆燃气爆炸",
        "--kind",
        "gas",
        "--occurred",
        "13:40",
        "--location",
        "城关镇东街某餐馆",
        "--unit",
        "城关镇人民政府",
        "--facts",
        "后厨燃气爆炸",
    ];
    let mut steps = vec![Step::Expect("Known"), Step::Send("13:50\r")];
    for (prompt, typed) in [
        ("Source", "\r"),
        ("The unit where it happened", "\r"),
        ("Measures", "\r"),
        ("Deaths", "3\r"),
        ("Missing", "\r"),
        ("Serious injuries", "\r"),
        ("Injuries", "\r"),
        ("Trapped", "\r"),
        ("Evacuated", "\r"),
        ("Direct loss", "\r"),
        (
            "the entry was NOT recorded; what you typed is saved in ",
            "",
        ),
    ] {
        steps.extend([Step::Expect(prompt), Step::Send(typed)]);
    }
    let Some(s) = pty::run(&env, &args, &steps) else {
        return;
    };
    assert_eq!(s.code, 1, "{}", s.shown);
    assert!(
        s.shown.contains("larger"),
        "the reason is said: {}",
        s.shown
    );
    let path = s
        .shown
        .lines()
        .find_map(|l| l.split_once("what you typed is saved in ").map(|(_, p)| p))
        .and_then(|p| p.split_once(": fix the cause"))
        .map(|(p, _)| std::path::PathBuf::from(p))
        .expect("the draft's path");
    assert_eq!(mode(&path), 0o600);
    let draft: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the draft")).expect("JSON");
    assert_eq!(draft["fields"]["known"], json!("13:50"));
    assert_eq!(draft["fields"]["report"]["deaths"], json!(3));
    assert_eq!(env.entry_count(), 0, "nothing was recorded");
}

fn busy(env: &TestEnv) -> String {
    let id = env.file(&["--measures", "--title", "化工园区储罐泄漏引发周边群众疏散"]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "city",
        "--contact",
        "市总值班室张科长",
    ]);
    id
}

#[test]
fn tables_fit_the_width_and_every_line_is_as_wide() {
    let mut env = TestEnv::new();
    let id = busy(&env);
    env.at("2026-03-10T15:30:00+08:00");
    for width in ["40", "80", "120"] {
        for args in [&["check"][..], &["show", &id][..], &["list"][..]] {
            let mut cmd = env.cmd(args);
            cmd.env("COLUMNS", width);
            let out = String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8");
            let table: Vec<&str> = out.lines().filter(|l| l.starts_with(['+', '|'])).collect();
            assert!(!table.is_empty(), "{args:?}: {out}");
            // Each table's lines are equally wide; show prints several tables.
            let mut widths: Vec<usize> = Vec::new();
            for block in out.split("\n\n") {
                let lines: Vec<usize> = block
                    .lines()
                    .filter(|l| l.starts_with(['+', '|']))
                    .map(UnicodeWidthStr::width)
                    .collect();
                if let Some(first) = lines.first() {
                    assert!(
                        lines.iter().all(|w| w == first),
                        "{args:?} at {width}:\n{block}"
                    );
                    widths.push(*first);
                }
            }
            let max: usize = width.parse().expect("number");
            assert!(
                widths.iter().all(|w| *w <= max.max(40)),
                "{args:?} at {width}: {widths:?}\n{out}"
            );
        }
    }
}

#[test]
fn no_wrapping_when_the_width_is_unknown_or_tiny() {
    let env = TestEnv::new();
    busy(&env);
    let mut wide = env.cmd(&["list"]);
    wide.env_remove("COLUMNS");
    let out = String::from_utf8(wide.output().expect("runs").stdout).expect("utf-8");
    assert!(
        out.contains("化工园区储罐泄漏引发周边群众疏散"),
        "unwrapped title: {out}"
    );
    let mut tiny = env.cmd(&["list"]);
    tiny.env("COLUMNS", "10");
    let out = String::from_utf8(tiny.output().expect("runs").stdout).expect("utf-8");
    assert!(
        out.contains("化工园区储罐泄漏引发周边群众疏散"),
        "unwrapped title: {out}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let mut env = TestEnv::new();
    busy(&env);
    env.at("2026-03-10T15:30:00+08:00");
    let always = env.run(&["check", "--color", "always"]);
    assert!(always.stdout.contains("\u{1b}["), "{}", always.stdout);
    let never = env.run(&["check", "--color", "never"]);
    assert!(!never.stdout.contains('\u{1b}'));
    let mut auto = env.cmd(&["check"]);
    auto.env_remove("NO_COLOR");
    let out = String::from_utf8(auto.output().expect("runs").stdout).expect("utf-8");
    assert!(!out.contains('\u{1b}'), "a pipe is not a terminal: {out}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = TestEnv::new();
    let mut lines = String::new();
    for i in 1..=1500 {
        lines.push_str(&format!(
            "{{\"id\":\"20260101-{i:03}\",\"entries\":[{{\"n\":1,\"type\":\"initial\",\"at\":\"2026-01-01T10:00:00+08:00\",\"title\":\"测试事件{i}\",\"kind\":\"other\",\"occurred\":\"2026-01-01T09:00:00+08:00\",\"known\":\"2026-01-01T09:30:00+08:00\",\"location\":\"某地\",\"unit\":\"某单位\",\"facts\":\"情况\"}}]}}\n"
        ));
    }
    env.cmd(&["import", "-"])
        .write_stdin(lines)
        .assert()
        .success();
    let mut child = env
        .std_cmd(&["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    let out = child.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn completions_man_help_and_version() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.ok(&["completions", shell]);
        assert!(
            out.contains("escalate") && out.contains("digest"),
            "{shell}"
        );
    }
    assert!(
        env.ok(&["man"]).starts_with(".ie \\n(.g .ds Aq")
            || env.ok(&["man"]).contains(".TH sitrep")
    );
    for cmd in [
        "init",
        "file",
        "update",
        "escalate",
        "close",
        "correct",
        "show",
        "list",
        "check",
        "digest",
        "verify",
        "backup",
        "export",
        "import",
        "completions",
        "man",
    ] {
        let help = env.ok(&[cmd, "--help"]);
        assert!(
            help.contains("Example"),
            "{cmd} --help has no example:\n{help}"
        );
    }
    assert!(env.ok(&["rules", "check", "--help"]).contains("Example"));
    assert_eq!(
        env.ok(&["-V"]).trim(),
        format!("sitrep {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn chinese_output_of_file_check_show_and_an_error() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let out = env.ok(&file_args(&["--measures"]));
    insta::assert_snapshot!("zh_file", out);
    env.at("2026-03-10T14:30:00+08:00");
    env.ok(&[
        "escalate",
        "20260310-001",
        "--level",
        "city",
        "--contact",
        "市总值班室",
    ]);
    env.at("2026-03-10T16:00:00+08:00");
    insta::assert_snapshot!("zh_check", env.run(&["check"]).stdout);
    insta::assert_snapshot!("zh_show", env.ok(&["show", "20260310-001"]));
    insta::assert_snapshot!(
        "zh_error",
        env.run(&["escalate", "20260310-001", "--level", "省厅"])
            .stderr
    );
}
