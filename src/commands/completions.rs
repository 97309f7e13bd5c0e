//! `sitrep completions SHELL` and `sitrep man`.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::Exit;

/// Shell completions.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep completions bash > ~/.local/share/bash-completion/completions/sitrep\n  sitrep completions zsh > ~/.zfunc/_sitrep"
)]
pub struct Args {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(a: Args, out: &mut dyn Write) -> Result<Exit> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "sitrep", out);
    Ok(Exit::Success)
}

/// The man page, roff (see `cli::man`).
pub fn man(out: &mut dyn Write) -> Result<Exit> {
    crate::cli::man::render(out)?;
    Ok(Exit::Success)
}
