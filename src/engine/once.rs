//! One-time steps: clock start, due time, completion, and the findings they give.
//!
//! - Clock start: the latest of the step's anchors (`occurred`, `known`, another step's
//!   completion), or the moment the incident first entered the step's severity range if later.
//!   A step anchored on a step not yet done has no clock yet: `pending` with no due time.
//! - Due: `within` after the clock start, and no later than each `no_later_than` constraint (not
//!   moved by the severity rule: "no later than 24 hours after awareness" is absolute).
//! - Done: the first matching entry claimed at or after the clock start. On time when done at or
//!   before the due time.
//! - Not done: `skipped` (omitted) once the incident is closed; `overdue` once past due while
//!   open; otherwise `pending`, and `due_soon` within the rules' warning window.

use super::{
    Finding, FindingKind, SkipReason, StepEval, StepStatus, entered, minutes_down, minutes_up,
};
use crate::domain::model::{Body, Instant};
use crate::domain::replay::History;
use crate::rules::{Anchor, Clock, Duty, Rules, Span, Step};

/// Evaluates every one-time step; recurring steps get a placeholder the caller replaces.
pub fn evaluate(h: &History, rules: &Rules, at: Instant, out: &mut Vec<Finding>) -> Vec<StepEval> {
    let mut done: Vec<Option<Option<Instant>>> = vec![None; rules.steps.len()];
    let mut evals: Vec<Option<StepEval>> = vec![None; rules.steps.len()];
    for i in 0..rules.steps.len() {
        eval_step(h, rules, at, i, &mut done, &mut evals, out);
    }
    evals
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.unwrap_or(StepEval::not_applicable(i)))
        .collect()
}

/// Evaluates step `i` (and, first, the steps it is anchored on); returns when it was done.
fn eval_step(
    h: &History,
    rules: &Rules,
    at: Instant,
    i: usize,
    done: &mut Vec<Option<Option<Instant>>>,
    evals: &mut Vec<Option<StepEval>>,
    out: &mut Vec<Finding>,
) -> Option<Instant> {
    if let Some(d) = done[i] {
        return d;
    }
    let step = &rules.steps[i];
    let Clock::Once {
        from,
        within,
        no_later_than,
    } = &step.clock
    else {
        done[i] = Some(None);
        return None;
    };
    // Rules are validated acyclic, so this recursion terminates.
    let anchor_time = |anchors: &[Anchor],
                       done: &mut Vec<Option<Option<Instant>>>,
                       evals: &mut Vec<Option<StepEval>>,
                       out: &mut Vec<Finding>|
     -> Option<Instant> {
        anchors
            .iter()
            .map(|a| match a {
                Anchor::Occurred => Some(h.header.occurred),
                Anchor::Known => Some(h.header.known),
                Anchor::Step(j) => eval_step(h, rules, at, *j, done, evals, out),
            })
            .collect::<Option<Vec<_>>>()
            .and_then(|v| v.into_iter().max())
    };

    let mut eval = StepEval::not_applicable(i);
    let Some(enter) = entered(h, step) else {
        done[i] = Some(None);
        evals[i] = Some(eval);
        return None;
    };
    let anchor = anchor_time(from, done, evals, out);
    let limits: Vec<Option<Instant>> = no_later_than
        .iter()
        .map(|(anchors, span)| {
            anchor_time(anchors, done, evals, out).map(|t| after(*span, t, rules))
        })
        .collect();
    let Some(anchor) = anchor else {
        // The anchor step is not done: no clock yet.
        eval.status = if h.is_open() {
            StepStatus::Pending
        } else {
            out.push(skipped_omitted(step, rules, None));
            StepStatus::Skipped
        };
        done[i] = Some(None);
        evals[i] = Some(eval);
        return None;
    };

    let start = anchor.max(enter);
    let due = limits
        .into_iter()
        .flatten()
        .fold(after(*within, start, rules), Instant::min);
    let completion = first_match(h, rules, &step.duty, start);
    eval.clock_start = Some(start);
    eval.due = Some(due);
    eval.done = completion;
    eval.status = match completion {
        Some(d) if d <= due => StepStatus::Done,
        Some(d) => {
            let mut f = finding(FindingKind::Late, step, rules);
            f.due = Some(due);
            f.done = Some(d);
            f.minutes = Some(minutes_up(due, d));
            out.push(f);
            StepStatus::Late
        }
        None if !h.is_open() => {
            out.push(skipped_omitted(step, rules, Some(due)));
            StepStatus::Skipped
        }
        None if at > due => {
            let mut f = finding(FindingKind::Overdue, step, rules);
            f.due = Some(due);
            f.minutes = Some(minutes_up(due, at));
            out.push(f);
            StepStatus::Overdue
        }
        None => {
            if after(rules.warning, at, rules) >= due {
                let mut f = finding(FindingKind::DueSoon, step, rules);
                f.due = Some(due);
                f.minutes = Some(minutes_down(at, due));
                out.push(f);
            }
            StepStatus::Pending
        }
    };
    done[i] = Some(completion);
    evals[i] = Some(eval);
    completion
}

fn after(span: Span, t: Instant, rules: &Rules) -> Instant {
    span.after(t, rules.tz, &rules.calendar)
}

/// The first entry at or after `start` that does what `duty` asks.
pub fn first_match(h: &History, rules: &Rules, duty: &Duty, start: Instant) -> Option<Instant> {
    h.entries
        .iter()
        .filter(|e| e.at >= start && matches_duty(&e.body, duty, rules))
        .map(|e| e.at)
        .min()
}

/// Whether an entry does what a duty asks: an escalation to its level (through its channel when
/// it names one), or a report of its stage.
fn matches_duty(body: &Body, duty: &Duty, rules: &Rules) -> bool {
    match (duty, body) {
        (Duty::Escalate { level, channel }, Body::Escalation { escalation }) => {
            escalation.level == rules.levels[*level].id
                && channel.as_ref().is_none_or(|c| *c == escalation.channel)
        }
        (Duty::Report(stage), b) => b.stage() == Some(*stage),
        _ => false,
    }
}

/// A finding about a step, with its level and channel filled in.
pub fn finding(kind: FindingKind, step: &Step, rules: &Rules) -> Finding {
    let mut f = Finding::new(kind, step.id.clone());
    if let Duty::Escalate { level, channel } = &step.duty {
        f.level = Some(rules.levels[*level].id.clone());
        f.channel.clone_from(channel);
    }
    f
}

fn skipped_omitted(step: &Step, rules: &Rules, due: Option<Instant>) -> Finding {
    let mut f = finding(FindingKind::Skipped, step, rules);
    f.reason = Some(SkipReason::Omitted);
    f.due = due;
    f
}
