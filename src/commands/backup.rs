//! `sitrep backup PATH`: a consistent copy while others write (`VACUUM INTO` a temporary file
//! beside PATH, synced, then linked into place), mode 0600. PATH is a path, never an SQLite URI.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Exit;

/// A consistent copy of the database.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  sitrep backup /mnt/usb/sitrep-$(date +%F).db")]
pub struct Args {
    /// Where to write the copy (must not exist)
    pub path: PathBuf,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let mut store = super::open::read(ctx, &super::open::OfficeArgs::default())?;
    store.backup(&a.path)?;
    writeln!(out, "{}", a.path.display())?;
    Ok(Exit::Success)
}
