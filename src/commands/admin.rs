//! `sitrep admin`: what only a shared store's owner does beyond offices.

use std::io::Write;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Exit;
use crate::msg;

/// The owner's work on a shared store.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Bring the shared store's schema up to this sitrep's (the owner)
    Migrate,
}

pub fn run(ctx: &Ctx, c: Command, out: &mut dyn Write) -> Result<Exit> {
    let Command::Migrate = c;
    let mut store = super::open::read(ctx, &super::open::OfficeArgs::default())?;
    let pg = store.postgres()?;
    let before = pg.shared().version;
    let after = pg.migrate()?;
    let line = if before == after {
        msg!(
            "the shared store is at schema {after} already",
            "共享库结构已是版本 {after}"
        )
    } else {
        msg!(
            "the shared store migrated from schema {before} to {after}",
            "共享库结构已从版本 {before} 迁移到 {after}"
        )
    };
    writeln!(out, "{line}")?;
    Ok(Exit::Success)
}
