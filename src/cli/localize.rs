//! Chinese help: the clap command tree with every text a person reads put into Chinese.
//!
//! Rules of this module:
//! - English help is the doc comments, untouched. Chinese is applied at run time to the *built*
//!   tree, so that what clap adds while building — `-h`, `-V`, the `help` subcommand, the copies
//!   of the global flags in every subcommand — is there to be translated too.
//! - What clap writes in English and has no setting for is replaced: the annotations
//!   (`[default: …]`, `[possible values: …]`, `[env: …]`) are hidden and written here in Chinese
//!   from the argument's own data; the headings (`Usage:`, `Options:` …) and `[OPTIONS]` are
//!   replaced in the rendered help by [`help_text`], and clap's errors by `usage_zh`.
//! - A command or argument without a Chinese text keeps its English at run time (a help in two
//!   languages beats none) and fails the tests below.

use std::collections::{BTreeMap, BTreeSet};

use clap::{Arg, Command};

use super::zh;

/// The command tree in Chinese.
pub(super) fn chinese(cmd: Command) -> Command {
    Walk::default().run(cmd)
}

/// What a walk found: texts missing, table entries used, and the English help of every argument
/// translated through the shared path `*`.
#[derive(Default)]
struct Walk {
    missing: Vec<String>,
    used: BTreeSet<(String, String)>,
    shared: BTreeMap<String, BTreeSet<String>>,
}

impl Walk {
    fn run(&mut self, mut cmd: Command) -> Command {
        cmd.build();
        self.command(cmd, &mut Vec::new())
    }

    fn command(&mut self, mut cmd: Command, path: &mut Vec<String>) -> Command {
        let key = key(path);
        match zh::COMMANDS.iter().find(|(p, _, _)| *p == key) {
            Some((_, about, long)) => {
                self.used.insert(("command".into(), key.clone()));
                let has_long = cmd.get_long_about().is_some();
                cmd = cmd.about(*about);
                match long {
                    Some(long) => cmd = cmd.long_about(*long),
                    None if has_long => self.missing.push(format!("long about of `{key}`")),
                    None => {}
                }
            }
            None => self.missing.push(format!("command `{key}`")),
        }
        if let Some(after) = cmd.get_after_help().map(ToString::to_string) {
            cmd = cmd.after_help(self.examples(&after, &key));
        }
        if cmd.has_subcommands() {
            cmd = cmd.subcommand_value_name(zh::COMMAND_VALUE);
        }
        cmd = cmd.mut_args(|a| self.arg(a, &key));
        cmd.mut_subcommands(|sub| {
            path.push(sub.get_name().to_owned());
            let sub = self.command(sub, path);
            path.pop();
            sub
        })
    }

    fn arg(&mut self, mut a: Arg, key: &str) -> Arg {
        let id = a.get_id().as_str().to_owned();
        let has_long = a.get_long_help().is_some();
        if id == "help" && has_long {
            // clap's own `-h, --help` where the command has a long help as well as a summary.
            self.used.insert(("*".into(), id));
            return a.help(zh::HELP_SEE_LONG).long_help(zh::HELP_SEE_SHORT);
        }
        let english = a.get_help().map(ToString::to_string).unwrap_or_default();
        let found = [key, "*"]
            .into_iter()
            .find_map(|p| zh::ARGS.iter().find(|(k, i, _)| *k == p && *i == id));
        match found {
            Some((p, _, text)) => {
                self.used.insert(((*p).to_owned(), id.clone()));
                if *p == "*" {
                    self.shared.entry(id.clone()).or_default().insert(english);
                }
                let notes = annotations(&a);
                // A doc comment of several paragraphs is a summary (its first) and a long help
                // (all of them); a Chinese text of several paragraphs is both, the same way.
                let summary = text.split("\n\n").next().unwrap_or(text);
                a = a.help(format!("{summary}{notes}"));
                if has_long {
                    if text.contains("\n\n") {
                        a = a.long_help(format!("{text}{notes}"));
                    } else {
                        self.missing.push(format!("long help of `{id}` of `{key}`"));
                    }
                }
            }
            None => self.missing.push(format!("argument `{id}` of `{key}`")),
        }
        // A flag's value name is never shown.
        let names = a
            .get_value_names()
            .filter(|_| a.get_action().takes_values());
        if let Some(names) = names {
            let names: Vec<String> = names.iter().map(ToString::to_string).collect();
            let mut translated = Vec::new();
            for n in names {
                match zh::VALUE_NAMES.iter().find(|(en, _)| *en == n) {
                    Some((en, z)) => {
                        self.used.insert(("value name".into(), (*en).to_owned()));
                        translated.push(*z);
                    }
                    None => self.missing.push(format!("value name `{n}` of `{id}`")),
                }
            }
            if !translated.is_empty() {
                a = a.value_names(translated);
            }
        }
        for v in a.get_possible_values() {
            if let Some((en, _)) = zh::VALUES.iter().find(|(en, _)| v.get_name() == *en) {
                self.used.insert(("value".into(), (*en).to_owned()));
            }
        }
        if a.is_global_set() {
            a = a.help_heading(zh::GLOBAL_OPTIONS);
        }
        a.hide_default_value(true)
            .hide_possible_values(true)
            .hide_env(true)
    }

    /// An `Examples:` block: the heading in Chinese, the command lines as they are, their
    /// comments (` # …`) in Chinese.
    fn examples(&mut self, en: &str, key: &str) -> String {
        let mut lines = en.lines();
        let mut out = String::new();
        match lines.next() {
            Some("Examples:" | "Example:") => out.push_str(zh::EXAMPLES),
            _ => self
                .missing
                .push(format!("after help of `{key}`: not an example block")),
        }
        for line in lines {
            out.push('\n');
            let Some(at) = line.find(" # ") else {
                out.push_str(line);
                continue;
            };
            let comment = &line[at + 3..];
            match zh::COMMENTS.iter().find(|(en, _)| *en == comment) {
                Some((en, z)) => {
                    self.used.insert(("comment".into(), (*en).to_owned()));
                    out.push_str(&line[..at + 3]);
                    out.push_str(z);
                }
                None => {
                    self.missing
                        .push(format!("example comment `{comment}` of `{key}`"));
                    out.push_str(line);
                }
            }
        }
        out
    }
}

/// The table key of a command path. The `help` subcommand holds a copy of the tree (for
/// `sitrep help file`); a command under it is keyed as the command it copies.
fn key(path: &[String]) -> String {
    if path.last().is_some_and(|n| n == "help") {
        return "help".to_owned();
    }
    let names: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "help")
        .collect();
    names.join(" ")
}

/// ` （默认：…） （可选：…） （环境变量 …）` from the argument itself; the spaces are where clap may
/// wrap a line, as it breaks lines only at spaces.
fn annotations(a: &Arg) -> String {
    let mut s = String::new();
    if a.get_action().takes_values() {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            s.push_str(&format!(" （默认：{}）", defaults.join("、")));
        }
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                let name = v.get_name();
                match zh::VALUES.iter().find(|(en, _)| *en == name) {
                    // A no-break space: clap wraps at spaces, never between a value and
                    // what it means.
                    Some((_, gloss)) => format!("{name}\u{a0}{gloss}"),
                    None => name.to_owned(),
                }
            })
            .collect();
        if !values.is_empty() {
            s.push_str(&format!(" （可选：{}）", values.join("、")));
        }
    }
    if let Some(env) = a.get_env() {
        s.push_str(&format!(" （环境变量 {}）", env.to_string_lossy()));
    }
    s
}

/// The rendered help with clap's own English headings in Chinese.
pub(super) fn help_text(rendered: &str) -> String {
    let global = format!("{}:", zh::GLOBAL_OPTIONS);
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        let text = match text {
            "Commands:" => "命令：".to_owned(),
            "Arguments:" => "参数：".to_owned(),
            "Options:" => "选项：".to_owned(),
            t if t == global => format!("{}：", zh::GLOBAL_OPTIONS),
            t => match t.strip_prefix("Usage: ") {
                Some(usage) => format!("用法：{}", usage.replace("[OPTIONS]", "[选项]")),
                None => t.to_owned(),
            },
        };
        out.push_str(&text);
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    fn walk() -> Walk {
        let mut w = Walk::default();
        w.run(Cli::command());
        w
    }

    #[test]
    fn every_command_and_argument_has_its_chinese_text() {
        let w = walk();
        assert!(
            w.missing.is_empty(),
            "add these to src/cli/zh.rs:\n{}",
            w.missing.join("\n")
        );
    }

    #[test]
    fn every_chinese_text_is_used() {
        let w = walk();
        let mut stale = Vec::new();
        for (p, _, _) in zh::COMMANDS {
            if !w.used.contains(&("command".into(), (*p).into())) {
                stale.push(format!("command `{p}`"));
            }
        }
        for (p, id, _) in zh::ARGS {
            if !w.used.contains(&((*p).into(), (*id).into())) {
                stale.push(format!("argument `{id}` of `{p}`"));
            }
        }
        let kinds = [
            ("value name", zh::VALUE_NAMES),
            ("value", zh::VALUES),
            ("comment", zh::COMMENTS),
        ];
        for (kind, table) in kinds {
            for (en, _) in table {
                if !w.used.contains(&(kind.into(), (*en).into())) {
                    stale.push(format!("{kind} `{en}`"));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "not in the command tree:\n{}",
            stale.join("\n")
        );
    }

    #[test]
    fn a_shared_text_translates_one_english_text() {
        for (id, english) in walk().shared {
            assert_eq!(
                english.len(),
                1,
                "`{id}` means different things in different commands: give each its own \
                 entry in src/cli/zh.rs instead of `*`: {english:?}"
            );
        }
    }

    /// Half-width `:` `(` `)` beside a CJK character.
    fn half_width_beside_cjk(s: &str) -> Option<String> {
        let cjk = |c: char| matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
        let chars: Vec<char> = s.chars().collect();
        (0..chars.len())
            .find(|&i| {
                matches!(chars[i], ':' | '(' | ')')
                    && (i > 0 && cjk(chars[i - 1]) || chars.get(i + 1).is_some_and(|&c| cjk(c)))
            })
            .map(|i| {
                chars[i.saturating_sub(6)..(i + 6).min(chars.len())]
                    .iter()
                    .collect()
            })
    }

    #[test]
    fn chinese_texts_use_full_width_punctuation() {
        let mut texts: Vec<&str> = Vec::new();
        for (_, about, long) in zh::COMMANDS {
            texts.push(about);
            texts.extend(long.iter());
        }
        texts.extend(zh::ARGS.iter().map(|(_, _, t)| *t));
        texts.extend(zh::VALUE_NAMES.iter().map(|(_, t)| *t));
        texts.extend(zh::VALUES.iter().map(|(_, t)| *t));
        texts.extend(zh::COMMENTS.iter().map(|(_, t)| *t));
        texts.extend([zh::HELP_SEE_LONG, zh::HELP_SEE_SHORT, zh::EXAMPLES]);
        for t in texts {
            assert_eq!(half_width_beside_cjk(t), None, "in {t:?}");
        }
        // And the whole rendered help of every command, annotations and headings included.
        let mut cmd = chinese(Cli::command());
        let mut stack = vec![(cmd.render_long_help().to_string(), "sitrep".to_owned())];
        for sub in cmd.get_subcommands_mut() {
            stack.push((
                sub.render_long_help().to_string(),
                sub.get_name().to_owned(),
            ));
            for s in sub.get_subcommands_mut() {
                stack.push((s.render_long_help().to_string(), s.get_name().to_owned()));
            }
        }
        for (help, name) in stack {
            let help = help_text(&help);
            assert_eq!(half_width_beside_cjk(&help), None, "{name}:\n{help}");
        }
    }

    #[test]
    fn annotations_come_from_the_argument() {
        let cmd = chinese(Cli::command());
        let color = cmd
            .get_arguments()
            .find(|a| a.get_id() == "color")
            .and_then(Arg::get_help)
            .map(ToString::to_string);
        assert_eq!(
            color.as_deref(),
            Some(
                "何时为表格着色（auto 时遵从 NO_COLOR） （默认：auto） （可选：auto\u{a0}自动、always\u{a0}总是、never\u{a0}从不）"
            )
        );
        let db = cmd.get_arguments().find(|a| a.get_id() == "db");
        assert!(
            db.and_then(Arg::get_help)
                .is_some_and(|h| h.to_string().ends_with("（环境变量 SITREP_DB）"))
        );
    }

    #[test]
    fn headings_are_replaced_only_where_clap_wrote_them() {
        let s = "Usage: sitrep file [OPTIONS]\n\nOptions:\n  --x  Options: kept\n\n全局选项:\n";
        assert_eq!(
            help_text(s),
            "用法：sitrep file [选项]\n\n选项：\n  --x  Options: kept\n\n全局选项：\n"
        );
    }

    #[test]
    fn example_command_lines_are_kept_and_comments_translated() {
        let mut w = Walk::default();
        let en = "Examples:\n  sitrep digest      # the latest complete duty day\n  sitrep check";
        assert_eq!(
            w.examples(en, "digest"),
            "示例：\n  sitrep digest      # 最近一个完整的值班日\n  sitrep check"
        );
        assert!(w.missing.is_empty());
        w.examples("Examples:\n  sitrep x  # something new", "x");
        assert_eq!(w.missing.len(), 1);
    }
}
