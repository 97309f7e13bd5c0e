//! clap's usage errors, in Chinese.
//!
//! Rules of this module:
//! - One line, as every sitrep error: what was wrong with which argument or value, then what to
//!   do instead (`是否想用 --force？`, the values allowed) and where to read more (`可运行
//!   `sitrep file --help` 查看用法`). The exit code stays clap's: 2.
//! - Built from the error's kind and context only, never by translating clap's English text, so
//!   a new clap wording cannot leak English into Chinese output. A kind without a message of its
//!   own gets a general one that still names the command's help.

use std::error::Error as _;
use std::ffi::OsString;
use std::num::IntErrorKind;

use clap::Command;
use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

/// The one-line Chinese message for a usage error `root` raised while parsing `argv`.
pub(super) fn message(e: &Error, root: &Command, argv: &[OsString]) -> String {
    let path = command_path(root, argv);
    let one = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let all = |k| match e.get(k) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    let arg = one(ContextKind::InvalidArg)
        .map(|a| flag(&a))
        .unwrap_or_default();
    let value = one(ContextKind::InvalidValue).unwrap_or_default();
    let mut hint = String::new();
    let what = match e.kind() {
        ErrorKind::UnknownArgument => {
            // A flag that exists under a subcommand comes as "'check --quiet' exists".
            let elsewhere = all(ContextKind::Suggested).into_iter().find_map(|s| {
                let s = s.strip_suffix("' exists")?.strip_prefix('\'')?;
                Some(format!("sitrep {s}"))
            });
            if let Some(s) = one(ContextKind::SuggestedArg).or(elsewhere) {
                hint = format!("是否想用 {s}？");
            }
            if arg.starts_with('-') {
                format!("未知参数“{arg}”")
            } else {
                format!("多余的参数“{arg}”")
            }
        }
        ErrorKind::InvalidSubcommand => {
            if let Some(s) = one(ContextKind::SuggestedSubcommand) {
                hint = format!("是否想用 {s}？");
            }
            let sub = one(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("未知命令“{sub}”")
        }
        ErrorKind::InvalidValue => {
            if let Some(s) = one(ContextKind::SuggestedValue) {
                hint = format!("是否想用 {s}？");
            }
            let valid = all(ContextKind::ValidValue);
            let allowed = if valid.is_empty() {
                String::new()
            } else {
                format!("，可选值为 {}", valid.join("、"))
            };
            if value.is_empty() {
                // `--title <标题>` says what is missing.
                let full = one(ContextKind::InvalidArg).unwrap_or_default();
                match full.split_once(' ') {
                    Some((_, wanted)) => format!("“{arg}”后缺少 {wanted}{allowed}"),
                    None => format!("“{arg}”缺少值{allowed}"),
                }
            } else {
                format!("“{arg}”的值“{value}”无效{allowed}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = match e
                .source()
                .and_then(|s| s.downcast_ref::<std::num::ParseIntError>())
                .map(|p| p.kind())
            {
                Some(IntErrorKind::PosOverflow | IntErrorKind::NegOverflow) => "超出允许的范围",
                Some(IntErrorKind::Empty) => "为空",
                Some(_) => "不是整数",
                None => "超出允许的范围",
            };
            format!("“{arg}”的值“{value}”{why}")
        }
        ErrorKind::ArgumentConflict => {
            let prior = one(ContextKind::PriorArg).map(|p| flag(&p));
            match prior {
                Some(p) if p != arg => format!("“{arg}”不能与“{p}”同时使用"),
                _ => format!("“{arg}”只能给出一次"),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = all(ContextKind::InvalidArg)
                .iter()
                .map(|a| flag(a))
                .collect();
            format!("缺少必需的参数 {}", missing.join("、"))
        }
        ErrorKind::MissingSubcommand => format!("`{path}` 后缺少命令"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("“{arg}”的值个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数含有无效的 UTF-8 文本".to_owned(),
        _ => "命令行有误".to_owned(),
    };
    format!("错误：{what}；{hint}可运行 `{path} --help` 查看用法")
}

/// `--format <格式>` → `--format`; a positional (`<编号>`) stays as it is.
fn flag(arg: &str) -> String {
    match arg.split_once(' ') {
        Some((f, _)) if f.starts_with('-') => f.to_owned(),
        _ => arg.to_owned(),
    }
}

/// `sitrep file`: the command argv reached, found by walking the tree as clap does — a name that
/// is a subcommand of where we are goes down, a flag that takes a value skips it.
fn command_path(root: &Command, argv: &[OsString]) -> String {
    let mut cmd = root;
    let mut path = vec![root.get_name().to_owned()];
    let mut args = argv.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let takes_value = cmd
                .get_arguments()
                .any(|x| x.get_long() == Some(long) && x.get_action().takes_values());
            if takes_value {
                args.next();
            }
        } else if a.starts_with('-') {
            // sitrep's short flags (-h, -V, -q) take no value.
        } else if let Some(sub) = cmd.find_subcommand(a.as_ref()) {
            // `sitrep help` has no `--help` of its own; its parent's help covers it.
            if sub.get_name() == "help" {
                break;
            }
            cmd = sub;
            path.push(sub.get_name().to_owned());
        }
    }
    path.join(" ")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    fn zh(args: &[&str]) -> String {
        let mut cmd = crate::cli::localize::chinese(Cli::command());
        let argv: Vec<OsString> = std::iter::once("sitrep")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        let e = cmd
            .try_get_matches_from_mut(&argv)
            .expect_err("a usage error");
        message(&e, &cmd, &argv)
    }

    #[test]
    fn each_error_says_what_was_wrong_and_what_to_do() {
        let cases: [(&[&str], &str); 11] = [
            (
                &["file", "--titel", "x"],
                "错误：未知参数“--titel”；是否想用 --title？可运行 `sitrep file --help` 查看用法",
            ),
            (
                &["--format", "xml", "check"],
                "错误：“--format”的值“xml”无效，可选值为 table、json、csv、markdown、html；是否想用 html？可运行 `sitrep check --help` 查看用法",
            ),
            (
                &["check", "--format", "jsn"],
                "错误：“--format”的值“jsn”无效，可选值为 table、json、csv、markdown、html；是否想用 json？可运行 `sitrep check --help` 查看用法",
            ),
            (
                &["file", "--title"],
                "错误：“--title”后缺少 <标题>；可运行 `sitrep file --help` 查看用法",
            ),
            (
                &["show"],
                "错误：缺少必需的参数 <编号>；可运行 `sitrep show --help` 查看用法",
            ),
            (
                &["chek"],
                "错误：未知命令“chek”；是否想用 check？可运行 `sitrep --help` 查看用法",
            ),
            (
                &["list", "--open", "--closed"],
                "错误：“--open”不能与“--closed”同时使用；可运行 `sitrep list --help` 查看用法",
            ),
            (
                &["update", "x", "--deaths", "two"],
                "错误：“--deaths”的值“two”不是整数；可运行 `sitrep update --help` 查看用法",
            ),
            (
                &["list", "--limit", "99999999999"],
                "错误：“--limit”的值“99999999999”超出允许的范围；可运行 `sitrep list --help` 查看用法",
            ),
            (
                &["digest", "--from", "08:00"],
                "错误：缺少必需的参数 --to；可运行 `sitrep digest --help` 查看用法",
            ),
            (
                &["check", "extra"],
                "错误：多余的参数“extra”；可运行 `sitrep check --help` 查看用法",
            ),
        ];
        for (args, want) in cases {
            assert_eq!(zh(args), want, "{args:?}");
        }
    }

    #[test]
    fn a_flag_of_another_command_is_pointed_to() {
        assert_eq!(
            zh(&["--quiet", "check"]),
            "错误：未知参数“--quiet”；是否想用 sitrep check --quiet？可运行 `sitrep check --help` 查看用法"
        );
    }

    #[test]
    fn values_of_flags_are_not_taken_for_commands() {
        assert_eq!(
            zh(&["--db", "check", "file", "--bogus"]),
            "错误：未知参数“--bogus”；可运行 `sitrep file --help` 查看用法"
        );
    }
}
