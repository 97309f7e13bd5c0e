//! The man page, `sitrep man`: one page, sitrep(1), for every command.
//!
//! Rules of this module:
//! - clap_mangen renders what it does well (title, NAME, SYNOPSIS, DESCRIPTION, the options with
//!   their values). It would also list `sitrep-file(1)` and other pages that do not exist, and
//!   set examples as filled text, so COMMANDS and EXAMPLES are written here: each command inline
//!   with its usage, what it does, its own options and its examples, and every example line kept
//!   as typed (`.nf`/`.fi`, no filling, no justification).
//! - EXIT STATUS, ENVIRONMENT and FILES are the contract of DESIGN.md §4 and §9, said once here.
//! - The page is English whatever `--lang`: it is installed once, for every user of a machine.

use std::io::Write;

use anyhow::Result;
use clap::{Command, CommandFactory};
use clap_mangen::Man;

use super::Cli;

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "An error: one line on stderr saying what was wrong and what to do, then \\fBCaused by:\\fR lines.",
    ),
    (
        "2",
        "A usage error: an unknown flag, a missing or invalid value, a missing required flag, a format the command does not write.",
    ),
    (
        "3",
        "The data shows a problem: \\fBcheck\\fR found at least one violation (\\fBdue_soon\\fR alone is not one), or \\fBverify\\fR found damage.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("SITREP_DB", "The database, as \\fB\\-\\-db\\fR."),
    ("SITREP_RULES", "The rules file, as \\fB\\-\\-rules\\fR."),
    (
        "SITREP_USER",
        "Who is acting, as \\fB\\-\\-as\\fR; the OS user (\\fBUSER\\fR) is recorded too.",
    ),
    (
        "SITREP_NOW",
        "An RFC 3339 time that replaces the system clock, for tests and demonstrations; entries recorded under it are marked so.",
    ),
    (
        "LC_ALL, LC_MESSAGES, LANG",
        "The first one set decides the language when \\fB\\-\\-lang\\fR is not given: \\fBzh_*\\fR is Chinese, anything else English. This includes the help and usage errors.",
    ),
    (
        "NO_COLOR",
        "When set, \\fB\\-\\-color auto\\fR does not colour.",
    ),
    ("COLUMNS", "The width tables are fitted to."),
    (
        "VISUAL, EDITOR",
        "The editor \\fB\\-\\-edit\\fR opens, \\fBVISUAL\\fR first.",
    ),
    (
        "PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE",
        "For a PostgreSQL \\fB\\-\\-db\\fR URL: the parts the URL leaves out, as \\fBpsql\\fR reads them.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/sitrep/sitrep.db",
        "The database when neither \\fB\\-\\-db\\fR nor \\fBSITREP_DB\\fR is given (the platform data directory elsewhere). Created readable and writable by its owner only.",
    ),
    (
        "~/.local/share/sitrep/drafts/",
        "What was typed, when a write failed and nothing was recorded; the command prints the path.",
    ),
    (
        "./reporting\\-rules.toml",
        "The rules, when neither \\fB\\-\\-rules\\fR nor \\fBSITREP_RULES\\fR is given; without it, the built\\-in rules (the same text).",
    ),
];

/// Renders the page.
pub fn render(out: &mut dyn Write) -> Result<()> {
    let root = Cli::command();
    let man = Man::new(root.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in root.get_subcommands() {
        command(out, sub, "sitrep")?;
    }
    if let Some(examples) = root.get_after_help() {
        // The section's title says what its `Examples:` line said.
        let examples = examples.to_string();
        let lines = examples.split_once('\n').map_or("", |(_, rest)| rest);
        writeln!(out, ".SH EXAMPLES")?;
        verbatim(out, lines)?;
    }
    section(out, "EXIT STATUS", EXIT_STATUS)?;
    section(out, "ENVIRONMENT", ENVIRONMENT)?;
    section(out, "FILES", FILES)?;
    man.render_version_section(out)?;
    Ok(())
}

/// One command, inline: usage, what it does, its own options, its examples. A command that only
/// groups others (`rules`) is described by each of them (`sitrep rules check`).
fn command(out: &mut dyn Write, sub: &Command, parent: &str) -> Result<()> {
    let name = format!("{parent} {}", sub.get_name());
    if sub.has_subcommands() {
        for s in sub.get_subcommands() {
            command(out, s, &name)?;
        }
        return Ok(());
    }
    // Built on its own (not under sitrep), the command has only its own options, and without
    // `--help` none that every command has.
    let mut own = sub.clone().disable_help_flag(true);
    let usage = own.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    writeln!(out, ".SS \"{} {}\"", escape(parent), escape(usage))?;
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        writeln!(out, "{}", escape(&about.to_string()))?;
    }
    let mut options = Vec::new();
    Man::new(own).render_options_section(&mut options)?;
    // Its `.SH OPTIONS` would end the COMMANDS section; the options belong under the command.
    for line in String::from_utf8_lossy(&options).lines() {
        if !line.starts_with(".SH") {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(examples) = sub.get_after_help() {
        writeln!(out, ".PP")?;
        verbatim(out, &examples.to_string())?;
    }
    Ok(())
}

/// Lines as typed: no filling, no justification, no hyphenation.
fn verbatim(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, ".nf")?;
    for line in text.lines() {
        writeln!(out, "{}", escape(line))?;
    }
    writeln!(out, ".fi")?;
    Ok(())
}

fn section(out: &mut dyn Write, title: &str, items: &[(&str, &str)]) -> Result<()> {
    writeln!(out, ".SH {title}")?;
    for (term, text) in items {
        writeln!(out, ".TP\n\\fB{term}\\fR\n{text}")?;
    }
    Ok(())
}

/// Text for roff: backslashes and minus signs as themselves, and no line taken for a request.
fn escape(s: &str) -> String {
    let lines: Vec<String> = s
        .lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        let mut out = Vec::new();
        render(&mut out).expect("renders");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn every_command_is_on_the_one_page() {
        let page = page();
        for sub in Cli::command().get_subcommands() {
            assert!(
                page.contains(&format!(".SS \"sitrep {}", sub.get_name())),
                "{}",
                sub.get_name()
            );
        }
        assert!(page.contains(".SS \"sitrep rules check"), "{page}");
        // No reference to a page of its own for any command, nor to any other page.
        assert!(!page.contains("(1)"), "{page}");
    }

    #[test]
    fn example_lines_are_kept_as_typed() {
        let page = page();
        assert!(
            page.contains(".nf\nExample:\n  sitrep man > /usr/local/share/man/man1/sitrep.1\n.fi"),
            "{page}"
        );
    }

    #[test]
    fn escape_keeps_roff_from_reading_text_as_requests() {
        assert_eq!(escape(".local"), "\\&.local");
        assert_eq!(escape("a\\b --x"), "a\\eb \\-\\-x");
        assert_eq!(escape("one\n.two"), "one\n\\&.two");
    }
}
