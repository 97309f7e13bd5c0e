//! `sitrep rules check [PATH]`: validate a rules file and show what it says.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::cli::Format;
use crate::context::Ctx;
use crate::error::Exit;
use crate::msg;
use crate::rules::Rules;

/// Reporting rules.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Validate a rules file; print its severities, levels and steps
    #[command(
        after_help = "Examples:\n  sitrep rules check\n  sitrep rules check examples/eu-nis2-gdpr.toml --format json"
    )]
    Check {
        /// The rules file [default: the rules in force: --rules, ./reporting-rules.toml or built-in]
        path: Option<PathBuf>,
    },
}

pub fn run(ctx: &Ctx, c: Command, out: &mut dyn Write) -> Result<Exit> {
    let Command::Check { path } = c;
    let format = ctx.format(&[Format::Table, Format::Json])?;
    let owned;
    let rules: &Rules = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| {
                let p = p.display();
                msg!("cannot read the rules file {p}", "无法读取规则文件 {p}")
            })?;
            owned = Rules::parse(&text, &p.display().to_string())?;
            &owned
        }
        None => &ctx.rules()?.rules,
    };
    if format == Format::Json {
        let v = crate::render::rules::json(rules);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        write!(out, "{}", crate::render::rules::table(ctx.layout(), rules))?;
    }
    Ok(Exit::Success)
}
