//! `sitrep export`: every incident as JSON Lines on stdout, one incident a line, in the shape
//! `show --format json` writes (entries and steps included). Streamed: one incident in memory at
//! a time, in id order.

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::engine::evaluate_history;
use crate::error::Exit;
use crate::render::json as rj;
use crate::store::Store;

use super::audit;

/// Every incident as JSON Lines.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep export > ledger.jsonl\n  sitrep export | sitrep --db new.db import -"
)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args, out: &mut dyn Write) -> Result<Exit> {
    let mut store = Store::open(&ctx.db)?;
    let mut damaged = store.damage().to_vec();
    store.read(|tx| {
        tx.scan_incidents(|id, entries| {
            let row = tx.incident(id)?;
            let (read, damage) = audit::read(ctx, tx, id, row.as_ref(), entries)?;
            damaged.extend(damage);
            // An incident that cannot be replayed has no shape to export: it is named instead.
            let Some(read) = read else { return Ok(()) };
            let at = ctx
                .now
                .max(read.entries.iter().map(|e| e.at).max().unwrap_or(ctx.now));
            let eval = evaluate_history(&read.history, &read.rules, at);
            let v = rj::FullJson {
                s: &read.summary,
                entries: &read.entries,
                h: &read.history,
                eval: &eval,
                rules: &read.rules,
            };
            serde_json::to_writer(&mut *out, &v)?;
            out.write_all(b"\n")?;
            Ok(())
        })
    })?;
    audit::warn(&damaged);
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Problems
    })
}
