//! Recurring steps (续报进展): a report is due `every` after the latest report.
//!
//! - The first occurrence is `every` after the initial report's claimed time (not the known
//!   time). When a reclassification moves the incident into the step's severity range, it counts
//!   from the reclassification, which is the time of the report that caused it.
//! - Every report (initial, follow-up or final) ends a gap. Each gap longer than `every` is one
//!   `late` finding; the open gap after the latest report is `overdue` once past due, `due_soon`
//!   inside the warning window.
//! - The step stops when the incident closes (the final report ends the last gap) or rises above
//!   the step's severity range (another recurring step takes over).

use super::once::finding;
use super::{Finding, FindingKind, StepEval, StepStatus, entered, minutes_down, minutes_up};
use crate::domain::model::Instant;
use crate::domain::replay::History;
use crate::rules::{Rules, Span};

pub fn evaluate(
    h: &History,
    rules: &Rules,
    i: usize,
    every: Span,
    at: Instant,
    out: &mut Vec<Finding>,
) -> StepEval {
    let step = &rules.steps[i];
    let Some(enter) = entered(h, step) else {
        return StepEval::not_applicable(i);
    };
    // Entered with the initial severity: counts from the initial report, not the known time.
    let from_initial = h.timeline.first().is_some_and(|c| {
        c.at == enter && c.severity >= step.min_severity && c.severity <= step.max_severity
    });
    let start = if from_initial { h.filed } else { enter };
    let stop = match (h.left(step.max_severity), h.closed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let after = |t: Instant| every.after(t, rules.tz, &rules.calendar);

    let mut prev = start;
    let mut last_done = None;
    let mut any_late = false;
    let mut due = after(prev);
    for r in h
        .reports()
        .into_iter()
        .filter(|r| r.at > start && stop.is_none_or(|s| r.at <= s))
    {
        due = after(prev);
        if r.at > due {
            let mut f = finding(FindingKind::Late, step, rules);
            f.due = Some(due);
            f.done = Some(r.at);
            f.minutes = Some(minutes_up(due, r.at));
            f.entry = Some(r.n);
            out.push(f);
            any_late = true;
        }
        prev = r.at;
        last_done = Some(r.at);
    }

    let mut eval = StepEval {
        step: i,
        clock_start: Some(start),
        due: Some(due),
        done: last_done,
        status: StepStatus::Done,
    };
    if stop.is_some() {
        // Stopped: the last gap was ended by the report that closed or reclassified it.
        if last_done.is_none() {
            eval.due = None;
        }
        eval.status = if any_late {
            StepStatus::Late
        } else {
            StepStatus::Done
        };
        return eval;
    }
    let next = after(prev);
    eval.due = Some(next);
    if at > next {
        let mut f = finding(FindingKind::Overdue, step, rules);
        f.due = Some(next);
        f.minutes = Some(minutes_up(next, at));
        out.push(f);
        eval.status = StepStatus::Overdue;
    } else {
        if rules.warning.after(at, rules.tz, &rules.calendar) >= next {
            let mut f = finding(FindingKind::DueSoon, step, rules);
            f.due = Some(next);
            f.minutes = Some(minutes_down(at, next));
            out.push(f);
        }
        eval.status = StepStatus::Pending;
    }
    eval
}
