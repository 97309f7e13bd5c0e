//! `sitrep verify`: proves that what `check`, `show`, `list` and `digest` say follows from the
//! chain, and changes nothing. It opens the file read-only (never creating, migrating or rolling
//! back a journal) and checks SQLite's integrity, the chain (links, hashes, numbering, recorded
//! times), the schema in full, the stored rules texts, and that every incident's row equals a
//! replay of its entries under the rules its hashed initial report names. Each damage is named
//! with its incident and entry; exit 3 when there is any.

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
    let mut store = match ctx.db.is_shared() {
        // A shared store cannot be changed by reading it anyway; its checks are the client's.
        true => super::open::read(ctx, &super::open::OfficeArgs::default())?,
        false => Store::open_read_only(&ctx.db)?,
    };
    let integrity = store.integrity_check()?;
    let integrity_ok = integrity == ["ok"];
    let head = a.head.as_deref().map(str::trim).map(str::to_lowercase);
    let mut report = store.verify(head.as_deref())?;
    // A sitrep file whose first migration never ran (a killed `init`) holds no tables yet.
    if store.version()? > 0 {
        // Every incident's row against a replay of its entries, a page at a time; a row
        // without entries and entries without a row are both named.
        let mut tx = store.read()?;
        super::load::each_whole(ctx, &mut *tx, &mut report.damage, |_| Ok(()))?;
    }
    report.damage.truncate(crate::store::MAX_DAMAGE);
    let damaged = !integrity_ok || !report.damage.is_empty();
    if format == Format::Json {
        let mut v = json!({
            "integrity": integrity.join("; "),
            "entries": report.entries,
            "incidents": report.incidents,
            "head": report.head,
            "head_found": report.head_found,
            "imported": report.imported,
            "simulated_clock": report.simulated,
            "damage": report.damage.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "ok": !damaged,
        });
        if let Some(shared) = store.shared() {
            v["test_store"] = json!(shared.test_clock);
            // A shared store: a chain per office the login may read.
            v["chains"] = report
                .chains
                .iter()
                .map(|c| json!({"office": c.office, "entries": c.entries, "head": c.head}))
                .collect();
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        let (entries, incidents) = (report.entries, report.incidents);
        // SQLite says `ok` in English; what it says otherwise is its own report, kept as is.
        let integrity_text = if integrity_ok {
            pick("ok", "正常").to_owned()
        } else {
            integrity.join("; ")
        };
        writeln!(
            out,
            "{}{integrity_text}",
            pick("integrity: ", "完整性检查：")
        )?;
        writeln!(
            out,
            "{}",
            msg!(
                "chain: {entries} entries in {incidents} incidents",
                "哈希链：{incidents} 起事件，{entries} 条记录"
            )
        )?;
        if let Some(shared) = store.shared() {
            if shared.test_clock {
                writeln!(
                    out,
                    "{}",
                    pick(
                        "TEST STORE: its recorded times are the clients' clocks (init --test-clock)",
                        "测试库：记录时间取自客户端时钟（init --test-clock）"
                    )
                )?;
            }
            for c in &report.chains {
                let (office, n, head) = (&c.office, c.entries, &c.head);
                writeln!(
                    out,
                    "{}",
                    msg!(
                        "office {office}: {n} entries, head: {head}",
                        "单位 {office}：{n} 条记录，链头：{head}"
                    )
                )?;
            }
        } else {
            writeln!(out, "{}{}", pick("head: ", "链头："), report.head)?;
        }
        let (imported, simulated) = (report.imported, report.simulated);
        if imported + simulated > 0 {
            writeln!(
                out,
                "{}",
                msg!(
                    "recorded times not checked: {imported} imported entries, {simulated} recorded under a simulated clock (SITREP_NOW)",
                    "未校验记录时间：导入记录 {imported} 条，模拟时钟（SITREP_NOW）下记录 {simulated} 条"
                )
            )?;
        }
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
