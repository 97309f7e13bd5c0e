//! What an officer sees after recording: the deadlines now running, and any finding the new
//! entry caused (for example "principal-leader skipped: 市委市政府总值班室 told before 主要领导").

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::record::{Recorded, shown_at};
use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::Instant;
use crate::domain::summary::Summary;
use crate::engine::{Evaluation, Finding, StepStatus, evaluate};
use crate::error::refuse;
use crate::i18n::{Label, pick};
use crate::render::{self, finding::message, json as rj, table};

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
    let after = evaluate(&rec.entries, rules, t)
        .map_err(refuse)?
        .unwrap_or_else(|| empty(t));
    let kept = rec.entries.len() - rec.new.len();
    let before = if kept == 0 {
        empty(t)
    } else {
        evaluate(&rec.entries[..kept], rules, t)
            .map_err(refuse)?
            .unwrap_or_else(|| empty(t))
    };
    let caused: Vec<&Finding> = after
        .findings
        .iter()
        .filter(|f| f.kind.is_violation() && !before.findings.contains(f))
        .collect();
    let summary = Summary::of(&rec.id, &rec.history, rules);

    if format == Format::Json {
        let v = json!({
            "incident": rj::incident(&summary, rules.tz),
            "recorded": rec.new,
            "steps": after
                .steps
                .iter()
                .filter(|s| rec.history.is_open() && owed(s))
                .map(|s| rj::step(s, rules))
                .collect::<Vec<_>>(),
            "findings": caused
                .iter()
                .map(|f| rj::finding(&rec.id, f, rules))
                .collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }

    writeln!(out, "{}", rec.id)?;
    match &rec.before {
        // A new incident: the class it is filed under, and why.
        None => writeln!(out, "{}", render::class_reason(rules, &rec.history))?,
        Some(b) => {
            if let Some(line) = severity_change(b, &rec.history, rules) {
                writeln!(out, "{line}")?;
            }
        }
    }
    for f in &caused {
        writeln!(out, "! {}", message(f, rules))?;
    }
    let layout = ctx.layout();
    let mut tbl = table::new(
        layout,
        &[
            Label::Step,
            Label::Level,
            Label::Channel,
            Label::Due,
            Label::Left,
        ],
    );
    let mut any = false;
    // Soonest first: what the officer must do next is on top; steps whose clock waits for
    // another step come last.
    let open = rec.history.is_open();
    let mut running_steps: Vec<_> = after.steps.iter().filter(|s| open && owed(s)).collect();
    running_steps.sort_by_key(|s| (s.due.is_none(), s.due));
    for s in running_steps {
        let step = &rules.steps[s.step];
        any = true;
        let (level, channel) = match &step.duty {
            crate::rules::Duty::Escalate { level, channel } => (
                render::level(rules, &rules.levels[*level].id),
                channel
                    .as_deref()
                    .map_or_else(|| "-".into(), |c| render::channel(rules, c)),
            ),
            crate::rules::Duty::Report(_) => (render::duty(rules, step), "-".into()),
        };
        let left = match s.due {
            Some(due) if due >= t => render::due_in((due - t).num_seconds().div_euclid(60)),
            Some(due) => render::overdue_by(((t - due).num_seconds() + 59).div_euclid(60)),
            None => render::waiting(rules, step),
        };
        let due = s
            .due
            .map_or_else(|| "-".to_owned(), |d| crate::tz::short(rules.tz, d));
        tbl.add_row(vec![
            table::cell(render::step_name(step)),
            table::cell(level),
            table::cell(channel),
            table::cell(due),
            table::status_cell(left, s.status, ctx.color),
        ]);
    }
    if any {
        writeln!(out, "{}", pick("Deadlines now running:", "当前报送时限："))?;
        writeln!(out, "{tbl}")?;
    } else {
        writeln!(out, "{}", pick("No deadlines running.", "当前无待办时限。"))?;
    }
    Ok(())
}

/// Whether a step of an open incident is still owed: not done, and pending, overdue, or
/// bypassed (a bypassed level must still be told).
pub fn owed(s: &crate::engine::StepEval) -> bool {
    s.done.is_none()
        && matches!(
            s.status,
            StepStatus::Pending | StepStatus::Overdue | StepStatus::Skipped
        )
}

/// What a change of severity means for the deadlines: raised (from when its deadlines count) or
/// lowered (by a correction).
fn severity_change(
    before: &crate::domain::replay::History,
    after: &crate::domain::replay::History,
    rules: &crate::rules::Rules,
) -> Option<crate::i18n::Msg> {
    let (b, a) = (before.severity(), after.severity());
    let (from, to) = (
        render::severity(rules, &rules.severities[b].id),
        render::severity(rules, &rules.severities[a].id),
    );
    if a > b {
        let since = after
            .timeline
            .iter()
            .find(|c| c.severity == a)
            .map_or(after.filed, |c| c.at);
        let since = crate::tz::short(rules.tz, since);
        Some(crate::msg!(
            "Severity raised: {from} → {to}; its deadlines count from {since}",
            "等级上调：{from} → {to}；相应时限自 {since} 起算"
        ))
    } else if a < b {
        Some(crate::msg!(
            "Severity lowered by the correction: {from} → {to}; deadlines of {from} no longer apply",
            "等级经更正下调：{from} → {to}；{from}的时限不再适用"
        ))
    } else {
        None
    }
}

fn empty(at: Instant) -> Evaluation {
    Evaluation {
        at,
        steps: Vec::new(),
        findings: Vec::new(),
        supplied: Vec::new(),
    }
}
