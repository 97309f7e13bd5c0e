//! What an officer sees after recording: the deadlines now running, and any finding the new
//! entry caused (for example "principal-leader skipped: 市委市政府总值班室 told before 主要领导").
//!
//! Judged from the histories the write replayed (before and after the new entry); a second
//! replay happens only where an entry is claimed after the moment judged.

use std::io::Write;

use anyhow::Result;

use super::record::{Recorded, shown_at};
use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::{Entry, Instant};
use crate::domain::replay::History;
use crate::engine::{Evaluation, Finding, evaluate, evaluate_history};
use crate::error::refuse;
use crate::render::outcome::{self, Outcome};
use crate::rules::Rules;

/// The format a writing command prints its outcome in, checked before anything is recorded (a
/// script that retries on a usage error must not file twice).
pub fn format(ctx: &Ctx) -> Result<Format> {
    ctx.format(&[Format::Table, Format::Json])
}

/// Prints the outcome of a write in the chosen format.
pub fn print(
    ctx: &Ctx,
    format: Format,
    rec: &Recorded,
    at: Instant,
    out: &mut dyn Write,
) -> Result<()> {
    let rules = &rec.rules;
    let t = shown_at(ctx, at);
    let after = judge(&rec.history, &rec.entries, rules, t)?;
    let kept = rec.entries.len() - rec.new.len();
    let before = match &rec.before {
        Some(b) => judge(b, &rec.entries[..kept], rules, t)?,
        None => empty(t),
    };
    let caused: Vec<&Finding> = after
        .findings
        .iter()
        .filter(|f| f.kind.is_violation() && !before.findings.contains(f))
        .collect();
    let open = rec.history.is_open();
    let o = Outcome {
        id: &rec.id,
        rules,
        history: &rec.history,
        before: rec.before.as_ref(),
        new: &rec.new,
        at: t,
        owed: after.steps.iter().filter(|s| open && s.is_owed()).collect(),
        caused,
    };
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&outcome::json(&o))?)?;
    } else {
        write!(out, "{}", outcome::table(ctx.layout(), &o))?;
    }
    Ok(())
}

/// The evaluation at `t` of a history the write replayed; replayed again as of `t` only when
/// something is claimed after it.
fn judge(h: &History, entries: &[Entry], rules: &Rules, t: Instant) -> Result<Evaluation> {
    if h.complete_at(entries, t) {
        return Ok(evaluate_history(h, rules, t));
    }
    Ok(evaluate(entries, rules, t)
        .map_err(refuse)?
        .unwrap_or_else(|| empty(t)))
}

fn empty(at: Instant) -> Evaluation {
    Evaluation {
        at,
        steps: Vec::new(),
        findings: Vec::new(),
        supplied: Vec::new(),
    }
}
