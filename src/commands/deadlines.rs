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

/// Prints the outcome of a write in the chosen format.
pub fn print(ctx: &Ctx, rec: &Recorded, at: Instant, out: &mut dyn Write) -> Result<()> {
    let format = ctx.format(&[Format::Table, Format::Json])?;
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
                .filter(|s| running(s.status))
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
    if let Some(b) = &rec.before
        && b.severity() != rec.history.severity()
    {
        let (from, to) = (
            render::severity(rules, &rules.severities[b.severity()].id),
            render::severity(rules, &rules.severities[rec.history.severity()].id),
        );
        writeln!(
            out,
            "{}",
            crate::msg!(
                "Severity changed: {from} → {to}; its deadlines start now",
                "等级调整：{from} → {to}；相应时限自此起算"
            )
        )?;
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
    // Soonest first: what the officer must do next is on top.
    let mut running_steps: Vec<_> = after.steps.iter().filter(|s| running(s.status)).collect();
    running_steps.sort_by_key(|s| s.due);
    for s in running_steps {
        let (Some(due), step) = (s.due, &rules.steps[s.step]) else {
            continue;
        };
        any = true;
        let (level, channel) = match &step.duty {
            crate::rules::Duty::Escalate { level, channel } => (
                render::level(rules, &rules.levels[*level].id),
                channel.clone().unwrap_or_else(|| "-".into()),
            ),
            crate::rules::Duty::Report(_) => (render::duty(rules, step), "-".into()),
        };
        let left = if due >= t {
            render::due_in((due - t).num_seconds().div_euclid(60))
        } else {
            render::overdue_by(((t - due).num_seconds() + 59).div_euclid(60))
        };
        tbl.add_row(vec![
            table::cell(render::step_name(step)),
            table::cell(level),
            table::cell(channel),
            table::cell(crate::tz::short(rules.tz, due)),
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

fn running(s: StepStatus) -> bool {
    matches!(s, StepStatus::Pending | StepStatus::Overdue)
}

fn empty(at: Instant) -> Evaluation {
    Evaluation {
        at,
        steps: Vec::new(),
        findings: Vec::new(),
    }
}
