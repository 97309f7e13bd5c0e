//! At home in a terminal: prompts on a real pseudo-terminal, table widths, colour, pipes,
//! completions, help, and the Chinese output of the commands officers use most.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use crate::env::{TestEnv, file_args};

#[test]
fn an_officer_files_through_the_prompts_in_chinese_on_a_real_terminal() {
    let env = TestEnv::new();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pty/file_prompts.py");
    let bin = assert_cmd::cargo::cargo_bin("sitrep");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("SITREP_DB", &env.db)
        .env("SITREP_NOW", "2026-03-10T14:20:00+08:00")
        .env("SITREP_USER", "值班员")
        .env("TERM", "xterm-256color")
        .output()
        .expect("python3 runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{shown}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shown.contains("↑↓ 移动，回车选择，输入文字筛选"), "{shown}");
    let (_, v) = env.json(&["show", "20260310-001"]);
    assert_eq!(v["title"], json!("化工厂储罐泄漏"));
    assert_eq!(v["kind"], json!("hazardous_chemicals"));
    assert_eq!(v["location"], json!("开发区化工园"));
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
