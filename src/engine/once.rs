//! One-time steps: clock start, due time, completion, and the findings they give.
//!
//! - Applies: from the moment the incident first came within the step's severity range (the
//!   known time for a step of every class), if its kind is one the step is for.
//! - Clock start: the latest of the step's anchors, or the moment it applies if that is later.
//!   `occurred` and `known` are the incident's; `step:X` is the first entry doing what step X
//!   asks at or after this step applies (after a reclassification: the level below's receipt of
//!   the report of the new class, Decree 493 Art. 11); `last:X` is the latest such entry (DORA
//!   2025/301 Art. 5(1)(c)). While an anchor has no entry yet the step has no clock: `pending`
//!   with no due time.
//! - Due: `within` after the clock start, and no later than each `no_later_than` limit, except
//!   a limit already passed when the step begins to apply, which cannot make it late from birth
//!   (DORA 2025/301 Art. 5(2)): the step is then due `within` after its clock start.
//! - Done: the first matching entry claimed at or after the moment the step applies — also one
//!   before its clock start (the city told before the county, in a chain anchored on the
//!   county, is told; that it was told out of order is the bypass rule's business). On time
//!   when done at or before the due time.
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
    (0..rules.steps.len())
        .map(|i| step(h, rules, i, at, out))
        .collect()
}

fn step(h: &History, rules: &Rules, i: usize, at: Instant, out: &mut Vec<Finding>) -> StepEval {
    let step = &rules.steps[i];
    let mut eval = StepEval::not_applicable(i);
    let (
        Clock::Once {
            from,
            within,
            no_later_than,
        },
        Some(applies),
    ) = (&step.clock, entered(h, step))
    else {
        // Recurring (evaluated elsewhere), or not applicable to this incident.
        return eval;
    };
    let completion = first_match(h, rules, &step.duty, applies);
    eval.done = completion;
    let Some(anchor) = anchor_time(h, rules, from, applies) else {
        // An anchor has no entry yet: no clock. Done all the same if its level was told.
        eval.status = match completion {
            Some(_) => StepStatus::Done,
            None if h.is_open() => StepStatus::Pending,
            None => {
                out.push(skipped_omitted(step, rules, None));
                StepStatus::Skipped
            }
        };
        return eval;
    };

    let start = anchor.max(applies);
    let due = no_later_than
        .iter()
        .filter_map(|(anchors, span)| anchor_time(h, rules, anchors, applies).map(|t| (t, span)))
        .map(|(t, span)| after(*span, t, rules))
        // A limit already passed when the step began to apply cannot make it late from birth.
        .filter(|limit| *limit >= applies)
        .fold(after(*within, start, rules), Instant::min);
    eval.clock_start = Some(start);
    eval.due = Some(due);
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
    eval
}

/// The latest of the anchors' times for a step that applies from `applies`, or `None` while a
/// `step:`/`last:` anchor has no matching entry.
fn anchor_time(
    h: &History,
    rules: &Rules,
    anchors: &[Anchor],
    applies: Instant,
) -> Option<Instant> {
    let mut latest = None;
    for a in anchors {
        let t = match a {
            Anchor::Occurred => h.header.occurred,
            Anchor::Known => h.header.known,
            Anchor::Step(j) => first_match(h, rules, &rules.steps[*j].duty, applies)?,
            Anchor::Last(j) => last_match(h, rules, &rules.steps[*j].duty, applies)?,
        };
        latest = latest.max(Some(t));
    }
    latest
}

fn after(span: Span, t: Instant, rules: &Rules) -> Instant {
    span.after(t, rules.tz, &rules.calendar)
}

/// The times of the entries at or after `from` that do what `duty` asks.
fn matches<'a>(
    h: &'a History,
    rules: &'a Rules,
    duty: &'a Duty,
    from: Instant,
) -> impl Iterator<Item = Instant> + 'a {
    h.entries
        .iter()
        .filter(move |e| e.at >= from && matches_duty(&e.body, duty, rules))
        .map(|e| e.at)
}

/// The first entry at or after `from` that does what `duty` asks.
pub fn first_match(h: &History, rules: &Rules, duty: &Duty, from: Instant) -> Option<Instant> {
    matches(h, rules, duty, from).min()
}

/// The latest entry at or after `from` that does what `duty` asks.
fn last_match(h: &History, rules: &Rules, duty: &Duty, from: Instant) -> Option<Instant> {
    matches(h, rules, duty, from).max()
}

/// Whether an entry does what a duty asks: an escalation to its level (through its channel when
/// it names one), or a report of its stage.
pub fn matches_duty(body: &Body, duty: &Duty, rules: &Rules) -> bool {
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
