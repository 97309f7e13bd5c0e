//! `sitrep export`: every incident as JSON Lines on stdout, one incident a line, in the shape
//! `show --format json` writes (entries and steps included). Streamed: one incident in memory at
//! a time, in id order.

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::domain::replay::replay;
use crate::domain::summary::Summary;
use crate::engine::evaluate_history;
use crate::error::{Exit, refuse};
use crate::render::json as rj;
use crate::store::Store;

/// Every incident as JSON Lines.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep export > ledger.jsonl\n  sitrep export | sitrep --db new.db import -"
)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args, out: &mut dyn Write) -> Result<Exit> {
    let mut store = Store::open(&ctx.db)?;
    store.read(|tx| {
        tx.scan_incidents(|id, entries| {
            let hash = tx.incident(id)?.map(|r| r.rules).unwrap_or_default();
            let rules = ctx.pinned(tx, &hash)?;
            let Some(h) = replay(&entries, &rules, None).map_err(refuse)? else {
                return Ok(());
            };
            let at = ctx
                .now
                .max(entries.iter().map(|e| e.at).max().unwrap_or(ctx.now));
            let eval = evaluate_history(&h, &rules, at);
            let summary = Summary::of(id, &h, &rules);
            let v = rj::FullJson {
                s: &summary,
                entries: &entries,
                h: &h,
                eval: &eval,
                rules: &rules,
            };
            serde_json::to_writer(&mut *out, &v)?;
            out.write_all(b"\n")?;
            Ok(())
        })
    })?;
    Ok(Exit::Success)
}
