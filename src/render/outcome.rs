//! What a writing command prints once the entry is recorded: the incident, its class (and why,
//! for a new one) or how the class changed, any violation the new entry caused, and the steps
//! still owed with their deadlines. Pure: it takes the decided outcome and returns text or JSON.

use serde_json::{Value, json};

use crate::domain::model::Instant;
use crate::domain::replay::History;
use crate::domain::row::IncidentRow;
use crate::engine::{Finding, StepEval, minutes_down, minutes_up};
use crate::i18n::{Label, Msg, pick};
use crate::render::{self, finding::message, json as rj, table};
use crate::rules::{Duty, Rules};

/// A write's outcome, decided.
pub struct Outcome<'a> {
    pub id: &'a str,
    pub rules: &'a Rules,
    /// The history after the write, and before it (none for a new incident).
    pub history: &'a History,
    pub before: Option<&'a History>,
    /// The entries the write appended.
    pub new: &'a [u32],
    /// The moment the deadlines are judged at.
    pub at: Instant,
    /// The steps still owed (none once the incident is closed), in the engine's order.
    pub owed: Vec<&'a StepEval>,
    /// Violations the new entries caused.
    pub caused: Vec<&'a Finding>,
}

/// `--format json`: the incident, the entries recorded, the steps owed, the findings caused.
pub fn json(o: &Outcome<'_>) -> Value {
    let rules = o.rules;
    json!({
        "incident": rj::incident(&IncidentRow::of(o.id, o.history, rules), rules.tz),
        "recorded": o.new,
        "steps": o.owed.iter().map(|s| rj::step(s, rules)).collect::<Vec<_>>(),
        "findings": o.caused.iter().map(|f| rj::finding(o.id, f, rules)).collect::<Vec<_>>(),
    })
}

/// The table view: soonest deadline first, so what the officer must do next is on top; steps
/// whose clock waits for another step come last.
pub fn table(layout: table::Layout, o: &Outcome<'_>) -> String {
    let rules = o.rules;
    let mut out = String::new();
    outln!(out, "{}", o.id);
    match o.before {
        // A new incident: the class it is filed under, and why.
        None => outln!(out, "{}", render::class_reason(rules, o.history)),
        Some(b) => {
            if let Some(line) = severity_change(b, o.history, rules) {
                outln!(out, "{line}");
            }
        }
    }
    for f in &o.caused {
        outln!(out, "! {}", message(f, rules));
    }
    if o.owed.is_empty() {
        outln!(out, "{}", pick("No deadlines running.", "当前无待办时限。"));
        return out;
    }
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
    let mut owed = o.owed.clone();
    owed.sort_by_key(|s| (s.due.is_none(), s.due));
    for s in owed {
        let step = &rules.steps[s.step];
        let (level, channel) = match &step.duty {
            Duty::Escalate { level, channel } => (
                render::level(rules, &rules.levels[*level].id),
                channel
                    .as_deref()
                    .map_or_else(|| "-".into(), |c| render::channel(rules, c)),
            ),
            Duty::Report(_) => (render::duty(rules, step), "-".into()),
        };
        let left = match s.due {
            Some(due) if due >= o.at => render::due_in(minutes_down(o.at, due)),
            Some(due) => render::overdue_by(minutes_up(due, o.at)),
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
            table::status_cell(left, s.status, layout.color),
        ]);
    }
    outln!(out, "{}", pick("Deadlines now running:", "当前报送时限："));
    outln!(out, "{tbl}");
    out
}

/// What a change of severity means for the deadlines: raised (from when its deadlines count) or
/// lowered (by a correction).
fn severity_change(before: &History, after: &History, rules: &Rules) -> Option<Msg> {
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
