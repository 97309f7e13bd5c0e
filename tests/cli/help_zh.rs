//! What a person reads before anything runs: the help of every command in Chinese, clap's usage
//! errors in both languages, and the man page.
//!
//! Chinese help may hold ASCII only where a person types it as it is. A *word* is three or more
//! ASCII letters in a row; it is allowed only
//! - in an example command line (the lines after `示例：`), up to its ` # ` comment;
//! - in the usage line, as the names of the command (`用法：sitrep rules check [选项] [路径]`), and
//!   as the first word of a line under `命令：` (the command's name);
//! - between backticks (`` `sitrep rules check` ``), a command or value as typed;
//! - in a flag (`--title`, `-h`), an environment variable (`$EDITOR`, [`ENV_VARS`]), or a path or
//!   file name (anything with `/` or `.` in it: `~/.local/share/sitrep/`, `sitrep.db`);
//! - as one of [`VALUES`]: the values a flag takes as typed (formats in any case, since prose
//!   names them as JSON and CSV).
//!
//! Everywhere, examples included, a half-width `:`, `(` or `)` beside a CJK character fails.

use crate::env::TestEnv;

/// Environment variables a help text names.
const ENV_VARS: &[&str] = &[
    "SITREP_DB",
    "SITREP_RULES",
    "SITREP_USER",
    "SITREP_NOW",
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "NO_COLOR",
    "COLUMNS",
    "VISUAL",
    "EDITOR",
];

/// Fixed values of flags, typed as they are: formats, colour choices, cause statuses, shells.
const VALUES: &[&str] = &[
    "table",
    "json",
    "csv",
    "markdown",
    "html",
    "auto",
    "always",
    "never",
    "unknown",
    "preliminary",
    "confirmed",
    "bash",
    "elvish",
    "fish",
    "powershell",
    "zsh",
];

fn cjk(c: char) -> bool {
    matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Words of three or more ASCII letters in `text` that no rule allows.
fn words(text: &str, allowed: &[&str]) -> Vec<String> {
    // Drop what is between backticks.
    let mut plain = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            plain.push_str(part);
            plain.push(' ');
        }
    }
    let mut found = Vec::new();
    for token in plain.split(|c: char| c.is_whitespace() || !c.is_ascii()) {
        let token = token.trim_matches(|c: char| ",;:()[]<>=*|".contains(c));
        if token.starts_with(['-', '$']) || token.contains(['/', '.']) || ENV_VARS.contains(&token)
        {
            continue;
        }
        for word in token.split(|c: char| !c.is_ascii_alphabetic()) {
            let known =
                VALUES.contains(&word.to_ascii_lowercase().as_str()) || allowed.contains(&word);
            if word.len() >= 3 && !known {
                found.push(word.to_owned());
            }
        }
    }
    found
}

/// Every rule of the module docs, for the help of the command `path`.
fn check_help(path: &[&str], help: &str) {
    let mut section = "";
    let mut problems = Vec::new();
    for line in help.lines() {
        if line.ends_with('：') && !line.starts_with(' ') {
            section = line;
        }
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let beside = i > 0 && cjk(chars[i - 1]) || chars.get(i + 1).is_some_and(|&n| cjk(n));
            if matches!(c, ':' | '(' | ')') && beside {
                problems.push(format!("half-width {c:?} beside CJK in {line:?}"));
            }
        }
        let mut allowed: Vec<&str> = Vec::new();
        let checked = if section == "示例：" {
            line.split_once(" # ").map_or("", |(_, comment)| comment)
        } else if let Some(usage) = line.strip_prefix("用法：") {
            allowed.push("sitrep");
            allowed.extend(path);
            usage
        } else if section == "命令：" && is_command_line(line) {
            let name = line.split_whitespace().next().unwrap_or_default();
            allowed.push(name);
            line
        } else {
            line
        };
        for w in words(checked, &allowed) {
            problems.push(format!("English word {w:?} in {line:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "sitrep {} --help:\n{}\n\n{help}",
        path.join(" "),
        problems.join("\n")
    );
}

/// A line under `命令：` that names a command (not one its about text wrapped onto).
fn is_command_line(line: &str) -> bool {
    line.starts_with("  ") && !line.starts_with("   ")
}

/// The names listed under `命令：`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "命令：")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| is_command_line(l))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_checker_catches_english_and_half_width_punctuation() {
    assert_eq!(
        words("打印帮助（--help 显示详细说明）", &[]),
        Vec::<String>::new()
    );
    assert_eq!(
        words("见 `sitrep rules check`，格式 JSON", &[]),
        Vec::<String>::new()
    );
    assert_eq!(words("Print help", &[]), ["Print", "help"]);
    assert_eq!(words("用 [OPTIONS]", &[]), ["OPTIONS"]);
    let caught = std::panic::catch_unwind(|| check_help(&[], "说明: 文字\n"));
    assert!(caught.is_err());
    // The English help of a command is caught, though its example lines are allowed.
    let english = TestEnv::new().ok(&["file", "--help"]);
    let caught = std::panic::catch_unwind(|| check_help(&["file"], &english));
    assert!(caught.is_err());
}

#[test]
fn every_help_is_chinese_under_lang_zh() {
    let env = TestEnv::new();
    let mut todo: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = todo.pop() {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        for flag in ["--help", "-h"] {
            let mut args = vec!["--lang", "zh"];
            args.extend(&path);
            args.push(flag);
            let help = env.ok(&args);
            check_help(&path, &help);
            if flag == "--help" {
                for sub in subcommands(&help) {
                    let mut p: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
                    p.push(sub);
                    if p.last().is_some_and(|s| s != "help") {
                        todo.push(p);
                    }
                }
            }
        }
        // `sitrep help file` and `sitrep rules help check` are the same help, in Chinese too.
        if let Some((last, parent)) = path.split_last() {
            let mut args = vec!["--lang", "zh"];
            args.extend(parent);
            args.extend(["help", last]);
            check_help(&path, &env.ok(&args));
        }
        seen += 1;
    }
    assert!(seen >= 18, "only {seen} commands walked");
    let help = env.ok(&["--lang", "zh", "help"]);
    check_help(&[], &help);
    assert!(help.contains("用法：sitrep [选项] <命令>"), "{help}");
}

#[test]
fn the_environment_chooses_the_language_of_help_and_lang_wins() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let help = env.ok(&["file", "--help"]);
    check_help(&["file"], &help);
    // Command options first, then the global ones under their own heading.
    let (own, global) = help.split_once("全局选项：").expect("a global heading");
    let global = global.split("示例：").next().unwrap_or_default();
    assert!(own.contains("--title") && !own.contains("--db"), "{help}");
    assert!(
        global.contains("--db") && !global.contains("--title"),
        "{help}"
    );
    let english = env.ok(&["file", "--help", "--lang=en"]);
    assert!(english.starts_with("File a new incident"), "{english}");
    env.lang("C");
    env.env("LC_ALL", "zh_CN.UTF-8");
    check_help(&["check"], &env.ok(&["check", "--help"]));
    env.env("LC_ALL", "");
    let en = env.ok(&["check", "--help"]);
    let (own, global) = en.split_once("Global options:").expect("a global heading");
    assert!(own.contains("--quiet") && !own.contains("--db"), "{en}");
    assert!(global.contains("--no-input"), "{en}");
}

#[test]
fn a_missing_command_is_said_on_stderr_with_exit_2() {
    let mut env = TestEnv::new();
    // Nothing at all (no flag, and no flag's variable set either): the help, on stderr.
    env.lang("zh_CN.UTF-8");
    let mut bare = env.cmd(&[]);
    bare.env_remove("SITREP_DB").env_remove("SITREP_USER");
    let r = bare.output().expect("runs");
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!((r.status.code(), r.stdout.len()), (Some(2), 0));
    check_help(&[], &stderr);
    assert!(stderr.contains("命令："), "{stderr}");
    // Flags but no command: one line saying so.
    let r = env.run(&["--lang", "zh", "rules"]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    assert_eq!(
        r.stderr,
        "错误：`sitrep rules` 后缺少命令；可运行 `sitrep rules --help` 查看用法\n"
    );
    let r = env.run(&["--lang", "zh"]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    assert_eq!(
        r.stderr,
        "错误：`sitrep` 后缺少命令；可运行 `sitrep --help` 查看用法\n"
    );
}

/// A usage error: exit 2, nothing on stdout, one line on stderr.
fn usage_error(env: &TestEnv, args: &[&str]) -> String {
    let r = env.run(args);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert_eq!(r.stdout, "", "{args:?}");
    r.stderr
}

#[test]
fn clap_errors_are_one_chinese_line_under_zh() {
    let env = TestEnv::new();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--lang", "zh", "file", "--titel", "x"],
            "错误：未知参数“--titel”；是否想用 --title？可运行 `sitrep file --help` 查看用法\n",
        ),
        (
            &["file", "--lang=zh", "--title"],
            "错误：“--title”后缺少 <标题>；可运行 `sitrep file --help` 查看用法\n",
        ),
        (
            &["check", "--format", "xml", "--lang", "zh"],
            "错误：“--format”的值“xml”无效，可选值为 table、json、csv、markdown、html；是否想用 html？可运行 `sitrep check --help` 查看用法\n",
        ),
    ];
    for (args, want) in cases {
        assert_eq!(usage_error(&env, args), want, "{args:?}");
    }
}

#[test]
fn clap_errors_are_clap_s_own_in_english() {
    let env = TestEnv::new();
    let e = usage_error(&env, &["file", "--titel", "x"]);
    assert!(
        e.starts_with("error: unexpected argument '--titel' found"),
        "{e}"
    );
    assert!(
        e.contains("tip: a similar argument exists: '--title'"),
        "{e}"
    );
    assert!(e.contains("For more information, try '--help'."), "{e}");
    let e = usage_error(&env, &["file", "--title"]);
    assert!(
        e.starts_with("error: a value is required for '--title <TITLE>' but none was supplied"),
        "{e}"
    );
    let e = usage_error(&env, &["check", "--format", "xml"]);
    assert!(
        e.starts_with("error: invalid value 'xml' for '--format <FORMAT>'"),
        "{e}"
    );
    assert!(
        e.contains("[possible values: table, json, csv, markdown, html]"),
        "{e}"
    );
}

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let env = TestEnv::new();
    for args in [&["--lang", "zh", "--help"][..], &["--lang", "zh", "-V"][..]] {
        let r = env.run(args);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{args:?}");
        assert!(!r.stdout.is_empty());
    }
}

#[test]
fn the_man_page_is_one_page_with_exit_status_environment_and_files() {
    let env = TestEnv::new();
    let page = env.ok(&["man"]);
    for section in [
        ".SH COMMANDS",
        ".SH EXIT STATUS",
        ".SH ENVIRONMENT",
        ".SH FILES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for var in ["SITREP_NOW", "LC_MESSAGES", "PGSSLMODE", "VISUAL, EDITOR"] {
        assert!(page.contains(var), "{var} not in ENVIRONMENT");
    }
    assert!(page.contains("~/.local/share/sitrep/drafts/"));
    // No page of its own for a command: sitrep\-file(1) would be a reference to nothing.
    assert!(!page.contains("(1)"), "a reference to another page");
    assert!(!page.contains("sitrep\\-file") && !page.contains("sitrep-file"));
    // Example lines are set as typed, not filled.
    assert!(
        page.contains(".SH EXAMPLES\n.nf\n  sitrep file \\-\\-title"),
        "{page}"
    );

    // And rendered, where groff is installed, they come out as typed.
    let groff = std::process::Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-P-cbou", "-rLL=100n"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else {
        println!("skipped: groff is not installed; the man page was checked as roff only");
        return;
    };
    use std::io::Write;
    groff
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("writes");
    let shown = String::from_utf8(groff.wait_with_output().expect("groff").stdout).expect("utf-8");
    assert!(
        shown.contains("\n         sitrep digest --date 2026-03-10 --format markdown\n"),
        "{shown}"
    );
    assert!(shown.contains("EXIT STATUS"), "{shown}");
}
