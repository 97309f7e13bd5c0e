//! `sitrep export` (placeholder).
use std::io::Write;
use anyhow::Result;
use crate::context::Ctx;
use crate::error::Exit;

/// Every incident as JSON Lines.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Ctx, _a: Args, _out: &mut dyn Write) -> Result<Exit> {
    anyhow::bail!("export is not built yet")
}
