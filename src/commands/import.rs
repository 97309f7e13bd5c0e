//! `sitrep import` (placeholder).
use std::io::Write;
use anyhow::Result;
use crate::context::Ctx;
use crate::error::Exit;

/// JSON Lines into the database.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Ctx, _a: Args, _out: &mut dyn Write) -> Result<Exit> {
    anyhow::bail!("import is not built yet")
}
