//! `sitrep backup PATH`: a consistent copy while others write (`VACUUM INTO`), mode 0600.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::{Exit, refuse};
use crate::msg;
use crate::store::Store;

/// A consistent copy of the database.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  sitrep backup /mnt/usb/sitrep-$(date +%F).db")]
pub struct Args {
    /// Where to write the copy (must not exist)
    pub path: PathBuf,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    if a.path.exists() {
        let p = a.path.display();
        return Err(refuse(msg!(
            "{p} exists already: backup never overwrites; give a new path",
            "{p} 已存在：备份不会覆盖已有文件，请指定新路径"
        )));
    }
    let store = Store::open(&ctx.db)?;
    store.backup(&a.path)?;
    writeln!(out, "{}", a.path.display())?;
    Ok(Exit::Success)
}
