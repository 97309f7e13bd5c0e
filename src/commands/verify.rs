//! `sitrep verify`: SQLite's integrity check plus the hash chain; prints the chain head.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::context::Ctx;
use crate::error::Exit;
use crate::i18n::pick;
use crate::msg;
use crate::store::Store;

/// Check the database and the hash chain.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep verify\n  sitrep verify --head 3f2a…  # prove the chain still holds a head printed earlier"
)]
pub struct Args {
    /// A chain head printed earlier: prove the chain still contains it
    #[arg(long, value_name = "HASH")]
    pub head: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json])?;
    let store = Store::open(&ctx.db)?;
    let integrity = store.integrity_check()?;
    let integrity_ok = integrity == ["ok"];
    let head = a.head.as_deref().map(str::trim).map(str::to_lowercase);
    let report = store.verify(head.as_deref())?;
    let damaged = !integrity_ok || !report.damage.is_empty();
    if format == Format::Json {
        let v = json!({
            "integrity": integrity.join("; "),
            "entries": report.entries,
            "incidents": report.incidents,
            "head": report.head,
            "head_found": report.head_found,
            "damage": report.damage.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "ok": !damaged,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        let (entries, incidents) = (report.entries, report.incidents);
        writeln!(
            out,
            "{}{}",
            pick("integrity: ", "完整性检查："),
            integrity.join("; ")
        )?;
        writeln!(
            out,
            "{}",
            msg!(
                "chain: {entries} entries in {incidents} incidents",
                "哈希链：{incidents} 起事件，{entries} 条记录"
            )
        )?;
        writeln!(out, "{}{}", pick("head: ", "链头："), report.head)?;
        if let Some(found) = report.head_found {
            let h = head.unwrap_or_default();
            let line = if found {
                msg!("the chain still contains {h}", "链中仍包含 {h}")
            } else {
                msg!("the chain does NOT contain {h}", "链中不包含 {h}")
            };
            writeln!(out, "{line}")?;
        }
        if let Some(first) = report.damage.first() {
            writeln!(out, "{}{first}", pick("DAMAGED: ", "已损坏："))?;
            for d in report.damage.iter().skip(1) {
                writeln!(out, "  {d}")?;
            }
        } else if integrity_ok {
            writeln!(out, "{}", pick("ok", "正常"))?;
        }
    }
    Ok(if damaged {
        Exit::Problems
    } else {
        Exit::Success
    })
}
