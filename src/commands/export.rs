//! `sitrep export`: every incident as JSON Lines on stdout, one incident a line, in the shape
//! `show --format json` writes (entries and steps included). Streamed: one incident in memory at
//! a time, in id order.

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::engine::evaluate_history;
use crate::error::Exit;
use crate::render::json as rj;

use super::load;

/// Every incident as JSON Lines.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep export > ledger.jsonl\n  sitrep export | sitrep --db new.db import -"
)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args, out: &mut dyn Write) -> Result<Exit> {
    let mut store = super::open::read(ctx, &super::open::OfficeArgs::default())?;
    let mut damaged = store.damage().to_vec();
    let mut tx = store.read()?;
    // An incident that cannot be replayed has no shape to export: it is named instead.
    load::each_whole(ctx, &mut *tx, &mut damaged, |read| {
        let at = crate::engine::judged_at(ctx.now, &read.history);
        let eval = evaluate_history(&read.history, &read.rules, at);
        let v = rj::FullJson {
            s: &read.row,
            entries: &read.entries,
            h: &read.history,
            eval: &eval,
            rules: &read.rules,
        };
        serde_json::to_writer(&mut *out, &v)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    drop(tx);
    load::warn(&damaged);
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Problems
    })
}
