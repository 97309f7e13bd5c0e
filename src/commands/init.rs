//! `sitrep init`: create the database (writing commands create it on first use too).

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Exit;
use crate::msg;
use crate::store::Store;

/// Create the database.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  sitrep init --db /srv/duty/sitrep.db")]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args, out: &mut dyn Write) -> Result<Exit> {
    let existed = Store::exists(&ctx.db);
    Store::open_or_create(&ctx.db)?;
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
