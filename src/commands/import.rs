//! `sitrep import` (placeholder).
use crate::context::Ctx;
use crate::error::Exit;
use anyhow::Result;
use std::io::Write;

/// JSON Lines into the database.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Ctx, _a: Args, _out: &mut dyn Write) -> Result<Exit> {
    anyhow::bail!("import is not built yet")
}
