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
    let mut once = Once {
        h,
        rules,
        at,
        evals: vec![None; rules.steps.len()],
        out,
    };
    for i in 0..rules.steps.len() {
        once.step(i);
    }
    once.evals
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.unwrap_or(StepEval::not_applicable(i)))
        .collect()
}

/// The evaluation in progress: each step evaluated once, on demand, since a step's clock may
/// wait for another step's completion.
struct Once<'a> {
    h: &'a History,
    rules: &'a Rules,
    at: Instant,
    evals: Vec<Option<StepEval>>,
    out: &'a mut Vec<Finding>,
}

impl Once<'_> {
    /// Evaluates step `i` (and, first, the steps it is anchored on); returns when it was done.
    fn step(&mut self, i: usize) -> Option<Instant> {
        if let Some(e) = &self.evals[i] {
            return e.done;
        }
        let (h, rules, at) = (self.h, self.rules, self.at);
        let step = &rules.steps[i];
        let mut eval = StepEval::not_applicable(i);
        let (
            Clock::Once {
                from,
                within,
                no_later_than,
            },
            Some(enter),
        ) = (&step.clock, entered(h, step))
        else {
            // Recurring (evaluated elsewhere), or not applicable to this incident.
            self.evals[i] = Some(eval);
            return None;
        };
        let anchor = self.anchor_time(from);
        let limits: Vec<Option<Instant>> = no_later_than
            .iter()
            .map(|(anchors, span)| self.anchor_time(anchors).map(|t| after(*span, t, rules)))
            .collect();
        let Some(anchor) = anchor else {
            // The anchor step is not done: no clock yet.
            eval.status = if h.is_open() {
                StepStatus::Pending
            } else {
                self.out.push(skipped_omitted(step, rules, None));
                StepStatus::Skipped
            };
            self.evals[i] = Some(eval);
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
                self.out.push(f);
                StepStatus::Late
            }
            None if !h.is_open() => {
                self.out.push(skipped_omitted(step, rules, Some(due)));
                StepStatus::Skipped
            }
            None if at > due => {
                let mut f = finding(FindingKind::Overdue, step, rules);
                f.due = Some(due);
                f.minutes = Some(minutes_up(due, at));
                self.out.push(f);
                StepStatus::Overdue
            }
            None => {
                if after(rules.warning, at, rules) >= due {
                    let mut f = finding(FindingKind::DueSoon, step, rules);
                    f.due = Some(due);
                    f.minutes = Some(minutes_down(at, due));
                    self.out.push(f);
                }
                StepStatus::Pending
            }
        };
        self.evals[i] = Some(eval);
        completion
    }

    /// The latest of the anchors' times, or `None` while an anchor step is not done. Rules are
    /// validated acyclic, so the recursion through `step` terminates.
    fn anchor_time(&mut self, anchors: &[Anchor]) -> Option<Instant> {
        let mut latest = None;
        for a in anchors {
            let t = match a {
                Anchor::Occurred => self.h.header.occurred,
                Anchor::Known => self.h.header.known,
                Anchor::Step(j) => self.step(*j)?,
            };
            latest = latest.max(Some(t));
        }
        latest
    }
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
