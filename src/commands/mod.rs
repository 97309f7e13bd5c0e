//! One module per subcommand, each with its `Args` and its `run`; and the pieces they share.
//!
//! Rules: a command parses and validates its input, opens the store, decides with the domain and
//! the engine, renders, and returns an [`Exit`]. It writes data to `out` (stdout) and everything
//! else (prompts, progress, notes) to stderr. It never reads the clock or the environment: the
//! [`Ctx`] has what `lib::run` read.

pub mod admin;
pub mod backup;
pub mod check;
pub mod close;
pub mod completions;
pub mod correct;
pub mod digest;
pub mod escalate;
pub mod export;
pub mod file;
pub mod import;
pub mod init;
pub mod list;
pub mod office;
pub mod review;
pub mod rules;
pub mod show;
pub mod update;
pub mod verify;

mod deadlines;
mod input;
mod load;
mod open;
mod record;
mod report_flags;
mod reporting;

use std::io::Write;

use anyhow::Result;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::Exit;

/// Says a note on stderr (a time of day read as yesterday): not data, so never on stdout.
pub fn note(m: Option<&crate::i18n::Msg>) {
    if let Some(m) = m {
        let _ = writeln!(std::io::stderr(), "{m}");
    }
}

/// Runs one command. A command that records an entry and meets a failing store anywhere (a
/// read before the write included: a server gone between the two) says NOT recorded and keeps
/// a draft, if the command did not already.
pub fn dispatch(ctx: &Ctx, command: Command, out: &mut dyn Write) -> Result<Exit> {
    let records = match &command {
        Command::File(_) => Some("file"),
        Command::Update(_) => Some("update"),
        Command::Escalate(_) => Some("escalate"),
        Command::Close(_) => Some("close"),
        Command::Correct(_) => Some("correct"),
        Command::Review(_) => Some("review"),
        _ => None,
    };
    let result = run(ctx, command, out);
    match (result, records) {
        // `downcast_ref` sees a context at any depth, which `chain` items do not.
        (Err(e), Some(name)) if e.downcast_ref::<crate::error::NotRecorded>().is_none() => {
            Err(record::drafted(ctx, &record::Draft::argv(name), e))
        }
        (r, _) => r,
    }
}

fn run(ctx: &Ctx, command: Command, out: &mut dyn Write) -> Result<Exit> {
    match command {
        Command::Init(a) => init::run(ctx, a, out),
        Command::File(a) => file::run(ctx, a, out),
        Command::Update(a) => update::run(ctx, a, out),
        Command::Escalate(a) => escalate::run(ctx, a, out),
        Command::Close(a) => close::run(ctx, a, out),
        Command::Correct(a) => correct::run(ctx, *a, out),
        Command::Show(a) => show::run(ctx, a, out),
        Command::List(a) => list::run(ctx, a, out),
        Command::Check(a) => check::run(ctx, a, out),
        Command::Review(a) => review::run(ctx, a, out),
        Command::Digest(a) => digest::run(ctx, a, out),
        Command::Verify(a) => verify::run(ctx, a, out),
        Command::Backup(a) => backup::run(ctx, a, out),
        Command::Export(a) => export::run(ctx, a, out),
        Command::Import(a) => import::run(ctx, a, out),
        Command::Rules(c) => rules::run(ctx, c, out),
        Command::Office(c) => office::run(ctx, c, out),
        Command::Admin(c) => admin::run(ctx, c, out),
        Command::Completions(a) => completions::run(a, out),
        Command::Man => completions::man(out),
    }
}
