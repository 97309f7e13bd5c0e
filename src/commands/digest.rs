//! `sitrep digest` (placeholder until the digest issue).
use crate::context::Ctx;
use crate::error::Exit;
use anyhow::Result;
use std::io::Write;

/// The report for a window.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Ctx, _a: Args, _out: &mut dyn Write) -> Result<Exit> {
    anyhow::bail!("digest is not built yet")
}
