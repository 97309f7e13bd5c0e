//! In Chinese, nothing a person reads is an English id or message (DESIGN.md §4): every command's
//! table, Markdown, CSV and errors under `--lang zh`, for a whole incident's life, scanned for
//! ASCII words and for half-width `:` `(` `)` beside Chinese text. (Help texts are scanned by
//! `help_zh`.)
//!
//! Allowed, because a person types them as they are: flags (`--level`), command lines (after
//! `sitrep`, or in backticks), paths and file names, hexadecimal hashes, the rules' ids in
//! `rules check` (the rules file is the officer's own text), time zone names, and a few proper
//! names of formats and programs.

use crate::env::TestEnv;

/// Words a Chinese text may hold in ASCII: names of things, not of sitrep's.
const NAMES: &[&str] = &[
    "SQLite", "JSON", "CSV", "UTF", "KiB", "TOML", "RFC", "IANA", "HH", "MM",
];

fn cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// The problems of one line: English words, half-width punctuation beside Chinese.
fn problems(line: &str, allow: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, ':' | '(' | ')') {
            let near = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| chars.get(j))
                .any(|n| cjk(*n));
            if near {
                out.push(format!("half-width {c:?}"));
            }
        }
    }
    // Strip what may stay ASCII: backtick spans, command lines, flags, paths.
    let mut text = String::new();
    let mut in_ticks = false;
    for c in line.chars() {
        if c == '`' {
            in_ticks = !in_ticks;
            text.push(' ');
        } else if !in_ticks {
            text.push(c);
        }
    }
    if let Some(i) = text.find("sitrep ") {
        let end = text[i..]
            .char_indices()
            .find(|(_, c)| cjk(*c))
            .map_or(text.len(), |(j, _)| i + j);
        text.replace_range(i..end, " ");
    }
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./:'".contains(c))) {
        let w = word.trim_matches(|c: char| "-_.:'".contains(c));
        let letters = w.chars().filter(char::is_ascii_alphabetic).count();
        if letters < 2
            || word.starts_with("--")
            || w.contains('/')
            || w.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            || NAMES.contains(&w)
            // Environment variables, named as they are set.
            || (w.contains('_') && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            || allow.iter().any(|a| a == w)
        {
            continue;
        }
        out.push(format!("English {w:?}"));
    }
    out
}

fn scan(what: &str, output: &str, allow: &[String], found: &mut Vec<String>) {
    for line in output.lines() {
        for p in problems(line, allow) {
            found.push(format!("{what}: {p} in {line:?}"));
        }
    }
}

#[test]
fn every_output_speaks_chinese_under_lang_zh() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    env.at("2026-03-10T14:20:00+08:00");
    let id = env.file(&["--measures", "--source", "群众电话报告", "--injuries", "2"]);
    env.at("2026-03-10T16:00:00+08:00");
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "city",
        "--at",
        "14:30",
        "--contact",
        "市总值班室张科长",
    ]);
    env.ok(&["escalate", &id, "--level", "分管领导", "--at", "14:40"]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "主要领导",
        "--at",
        "14:41",
        "--via",
        "书面",
        "--signed-by",
        "李某某",
    ]);
    env.ok(&[
        "update",
        &id,
        "--progress",
        "现场处置中",
        "--measures",
        "疏散周边群众",
        "--deaths",
        "3",
        "--at",
        "15:00",
    ]);
    env.ok(&[
        "review",
        &id,
        "--step",
        "报分管领导",
        "--note",
        "已核实：通信中断，已约谈",
    ]);
    env.ok(&[
        "correct",
        &id,
        "--entry",
        "3",
        "--at",
        "14:39",
        "--reason",
        "以通话记录为准",
    ]);
    let other = env.file(&[
        "--title",
        "燃气泄漏",
        "--kind",
        "燃气",
        "--at",
        "15:30",
        "--known",
        "15:20",
        "--occurred",
        "15:10",
    ]);
    env.at("2026-03-11T09:00:00+08:00");
    env.ok(&[
        "close",
        &other,
        "--summary",
        "处置完毕",
        "--cause",
        "阀门老化",
        "--cause-status",
        "已确认",
    ]);

    let mut found = Vec::new();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("show", vec!["show", &id]),
        ("show markdown", vec!["show", &id, "--format", "markdown"]),
        ("show closed", vec!["show", &other]),
        ("check", vec!["check", "--all"]),
        ("list", vec!["list"]),
        ("list csv", vec!["list", "--format", "csv"]),
        ("digest", vec!["digest", "--date", "2026-03-10"]),
        (
            "digest markdown",
            vec!["digest", "--date", "2026-03-10", "--format", "markdown"],
        ),
        (
            "digest csv",
            vec!["digest", "--date", "2026-03-10", "--format", "csv"],
        ),
        ("verify", vec!["verify"]),
    ];
    for (what, args) in &runs {
        let r = env.run(args);
        assert!(r.code == 0 || r.code == 3, "{what}: {}", r.stderr);
        scan(what, &r.stdout, &[], &mut found);
        scan(&format!("{what} (stderr)"), &r.stderr, &[], &mut found);
    }
    // rules check shows the rules' own ids beside their labels: the officer's text.
    let rules = sitrep::rules::Rules::builtin();
    let ids: Vec<String> = rules
        .severities
        .iter()
        .map(|s| s.id.clone())
        .chain(rules.kinds.iter().map(|k| k.id.clone()))
        .chain(rules.levels.iter().map(|l| l.id.clone()))
        .chain(rules.steps.iter().map(|s| s.id.clone()))
        .chain(["Asia/Shanghai".to_owned()])
        .collect();
    let out = env.ok(&["rules", "check"]);
    scan("rules check", &out, &ids, &mut found);
    // An import's refusals name the entry and the key in Chinese.
    let bad_lines = [
        ("import: no entries", r#"{"id":"20260310-009"}"#),
        (
            "import: no title",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"initial"}]}"#,
        ),
        (
            "import: unknown type",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"volcano"}]}"#,
        ),
        (
            "import: certainty",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"initial","title":"t","kind":"gas","occurred":"2026-03-10T08:00:00+08:00","known":"2026-03-10T08:00:00+08:00","location":"l","unit":"u","facts":"f","cause":{"status":"maybe"}}]}"#,
        ),
        // Refusals of the replay, made on the import's reading thread.
        (
            "import: unknown level",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"initial","title":"t","kind":"gas","occurred":"2026-03-10T08:00:00+08:00","known":"2026-03-10T08:00:00+08:00","location":"l","unit":"u","facts":"f","at":"2026-03-10T08:00:00+08:00"},{"n":2,"type":"escalation","level":"nowhere","channel":"phone","at":"2026-03-10T08:10:00+08:00"}]}"#,
        ),
        (
            "import: after the final report",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"initial","title":"t","kind":"gas","occurred":"2026-03-10T08:00:00+08:00","known":"2026-03-10T08:00:00+08:00","location":"l","unit":"u","facts":"f","at":"2026-03-10T08:00:00+08:00"},{"n":2,"type":"final","summary":"s","at":"2026-03-10T09:10:00+08:00"},{"n":3,"type":"followup","progress":"p","at":"2026-03-10T09:20:00+08:00"}]}"#,
        ),
        (
            "import: told before known",
            r#"{"id":"20260310-009","entries":[{"n":1,"type":"initial","title":"t","kind":"gas","occurred":"2026-03-10T08:00:00+08:00","known":"2026-03-10T08:00:00+08:00","location":"l","unit":"u","facts":"f","at":"2026-03-10T08:00:00+08:00"},{"n":2,"type":"escalation","level":"city","channel":"phone","at":"2026-03-10T07:10:00+08:00"}]}"#,
        ),
    ];
    let bad_files: Vec<(&str, String)> = bad_lines
        .iter()
        .enumerate()
        .map(|(i, (what, line))| {
            let path = env.path(&format!("bad-{i}.jsonl"));
            std::fs::write(&path, line).expect("written");
            (*what, path.to_str().expect("utf-8").to_owned())
        })
        .collect();
    for (what, path) in &bad_files {
        let r = env.run(&["import", path]);
        assert_eq!(r.code, 1, "{what}: {}", r.stderr);
        assert!(r.stderr.contains("未导入任何记录"), "{what}: {}", r.stderr);
        scan(what, &r.stdout, &[], &mut found);
        scan(&format!("{what} (stderr)"), &r.stderr, &[], &mut found);
    }
    // Writing commands' output, and errors a person meets.
    for (what, args, _code) in [
        (
            "escalate",
            vec![
                "escalate",
                id.as_str(),
                "--level",
                "市委市政府总值班室",
                "--via",
                "书面",
            ],
            0,
        ),
        (
            "unknown level",
            vec!["escalate", id.as_str(), "--level", "省厅"],
            1,
        ),
        (
            "unknown kind",
            vec![
                "file",
                "--title",
                "t",
                "--kind",
                "火宅",
                "--occurred",
                "08:00",
                "--location",
                "l",
                "--unit",
                "u",
                "--facts",
                "f",
            ],
            1,
        ),
        (
            "bad time",
            vec![
                "escalate",
                id.as_str(),
                "--level",
                "city",
                "--at",
                "下午两点",
            ],
            1,
        ),
        (
            "future",
            vec!["escalate", id.as_str(), "--level", "city", "--at", "23:00"],
            1,
        ),
        (
            "before known",
            vec![
                "escalate",
                id.as_str(),
                "--level",
                "city",
                "--at",
                "2026-03-10 14:00",
            ],
            1,
        ),
        (
            "concealment",
            vec![
                "file",
                "--title",
                "t",
                "--kind",
                "gas",
                "--occurred",
                "08:00",
                "--location",
                "l",
                "--unit",
                "u",
                "--facts",
                "f",
                "--deaths",
                "12",
                "--severity",
                "一般",
            ],
            1,
        ),
        (
            "closed",
            vec!["update", other.as_str(), "--progress", "x"],
            1,
        ),
        ("no incident", vec!["show", "20260101-001"], 1),
        ("bad id", vec!["show", "x"], 1),
        ("missing flags", vec!["--no-input", "file"], 2),
        ("backup", vec!["backup", "/no/such/dir/x.db"], 1),
        (
            "review twice",
            vec![
                "review",
                id.as_str(),
                "--step",
                "leader-in-charge",
                "--note",
                "再次",
            ],
            1,
        ),
        ("no rules file", vec!["--rules", "/no/such.toml", "list"], 1),
    ] {
        let r = env.run(&args);
        scan(what, &r.stdout, &[], &mut found);
        scan(&format!("{what} (stderr)"), &r.stderr, &[], &mut found);
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_what_it_must() {
    assert!(problems("问题：见 sitrep verify", &[]).is_empty());
    assert!(problems("请运行 `sitrep verify --head abc`", &[]).is_empty());
    assert_eq!(
        problems("类别：escalation", &[]),
        ["English \"escalation\""]
    );
    assert_eq!(problems("编号: 1", &[]), ["half-width ':'"]);
    assert_eq!(problems("报(书面)", &[]).len(), 2);
    assert!(problems("用 --level 指定", &[]).is_empty());
    assert!(problems("规则哈希：1912a12f4eec", &[]).is_empty());
}
