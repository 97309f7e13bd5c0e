//! `sitrep digest` (placeholder until the digest issue).
use std::io::Write;
use anyhow::Result;
use crate::context::Ctx;
use crate::error::Exit;

/// The report for a window.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Ctx, _a: Args, _out: &mut dyn Write) -> Result<Exit> {
    anyhow::bail!("digest is not built yet")
}
