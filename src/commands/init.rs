//! `sitrep init`: create the database (writing commands create it on first use too).

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Exit;
use crate::msg;
use crate::store::Store;

/// Create the database.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep init --db /srv/duty/sitrep.db\n  sitrep init --db postgres://owner@db.example.org/duty   # a shared store, by its owner"
)]
pub struct Args {
    /// On a shared store being made: mark it a test store, where the client's clock
    /// (SITREP_NOW) counts; the mark is kept and shown for ever
    #[arg(long)]
    pub test_clock: bool,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let existed = if ctx.db.is_shared() || a.test_clock {
        Store::create_shared(&ctx.db, a.test_clock)?.1
    } else {
        let existed = Store::exists(&ctx.db);
        Store::open_or_create(&ctx.db)?;
        existed
    };
    let p = &ctx.db;
    let note = if existed {
        msg!(
            "{p} is ready (it existed already)",
            "{p} 已就绪（此前已存在）"
        )
    } else {
        msg!("{p} created", "已创建 {p}")
    };
    writeln!(out, "{note}")?;
    Ok(Exit::Success)
}
