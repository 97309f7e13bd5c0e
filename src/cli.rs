//! The command line: global flags and one subcommand, each command's flags in its own module.
//!
//! The doc comments are the English help. `parse` reads argv in the user's language; the
//! Chinese help is `zh` (the texts) applied by `localize`, clap's errors in Chinese are
//! `usage_zh`, and `man` is the man page.

mod localize;
pub mod man;
mod parse;
mod usage_zh;
mod zh;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use self::parse::{lang_in, parse};
use crate::commands;
use crate::i18n::Lang;

/// Incident information reporting (信息报送) with deadline discipline.
///
/// File the facts fast, tell each level of the chain in order, keep reporting progress, close
/// with the final report; `check` says what is overdue, late or skipped. All data lives in one
/// local SQLite file; records are append-only and hash-chained.
#[derive(Debug, Parser)]
#[command(
    name = "sitrep",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Examples:\n  sitrep file --title '化工厂储罐泄漏' --kind hazardous_chemicals --occurred 14:05 \\\n      --location '开发区' --unit '区应急局' --facts '2号储罐泄漏' --measures '疏散周边群众'\n  sitrep escalate 20260310-001 --level leader_in_charge --contact '王副区长'\n  sitrep check\n  sitrep digest --date 2026-03-10 --format markdown"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after the command's name. They have a heading of their
/// own so that a command's help lists its own options first.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The database: a file, or a shared PostgreSQL store (postgres://user@host/db, or libpq's
    /// key=value form) [default: sitrep.db in the data directory, ~/.local/share/sitrep/ on Linux]
    #[arg(long, global = true, env = "SITREP_DB", value_name = "PATH|URL")]
    pub db: Option<String>,

    /// The reporting rules [default: ./reporting-rules.toml if present, else the built-in rules]
    #[arg(long, global = true, env = "SITREP_RULES", value_name = "PATH")]
    pub rules: Option<PathBuf>,

    /// Output format (each command says which it writes) [default: table]
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,

    /// Who is acting [default: $SITREP_USER, else the OS user]
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// Language of labels and messages [default: from LANG, zh_* is Chinese]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// When to colour tables (NO_COLOR is honoured by auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Never prompt: fail at once, naming every missing flag
    #[arg(long, global = true)]
    pub no_input: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    /// A self-contained page to look at and print (`show`, `digest`)
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (other writing commands create it on first use too)
    Init(commands::init::Args),
    /// File a new incident with its initial report (首报)
    File(commands::file::Args),
    /// A follow-up report (续报)
    Update(commands::update::Args),
    /// Record that a level of the chain was told (报送)
    Escalate(commands::escalate::Args),
    /// The final report (终报); closes the incident
    Close(commands::close::Args),
    /// Correct an entry; the original stays and is shown beside the correction
    Correct(Box<commands::correct::Args>),
    /// An incident: facts, figures, every entry, every deadline
    Show(commands::show::Args),
    /// Incidents, newest first
    List(commands::list::Args),
    /// What is overdue, late, skipped, incomplete or premature (exit 3 if any)
    Check(commands::check::Args),
    /// A supervisor review of violations: they stay findings, but no longer count
    Review(commands::review::Args),
    /// The report for a duty day or any window (值班日报)
    Digest(commands::digest::Args),
    /// Check the database and the hash chain; print the chain head (exit 3 on damage)
    Verify(commands::verify::Args),
    /// A consistent copy of the database, while others write
    Backup(commands::backup::Args),
    /// Every incident as JSON Lines, in the shape `show --format json` writes
    Export(commands::export::Args),
    /// JSON Lines from `export` (or an older ledger) into the database, in one transaction
    Import(commands::import::Args),
    /// Reporting rules
    #[command(subcommand)]
    Rules(commands::rules::Command),
    /// The offices of a shared store
    #[command(subcommand)]
    Office(commands::office::Command),
    /// A shared store's owner: migrations
    #[command(subcommand)]
    Admin(commands::admin::Command),
    /// Shell completions
    Completions(commands::completions::Args),
    /// The man page (roff)
    #[command(after_help = "Example:\n  sitrep man > /usr/local/share/man/man1/sitrep.1")]
    Man,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
