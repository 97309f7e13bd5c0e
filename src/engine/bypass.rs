//! No skipping levels (不越级报送), judged per level.
//!
//! An escalation to a level of rank r bypasses every step that escalates to a lower-ranked level
//! when, at that moment, the step is required (the incident has entered its severity range) and
//! its level has not been told at all (any channel, at or before that moment). Telling one
//! rank-1 level does not cover another. Under `bypass = "with_reason"` an escalation that gives a
//! reason excuses its bypass; under `forbidden` the reason is shown but excuses nothing; under
//! `allowed` ranks impose no order. A step is reported bypassed once, by the first escalation
//! that bypassed it. Levels without a rank are outside the chain: telling them bypasses nothing
//! and they are never bypassed. The step's status becomes `skipped` unless its timing is a
//! violation of its own (`overdue`, `late`), which is what a reader must see first; the bypass
//! is still a finding beside it, and a bypassed step not yet done is still owed.

use super::once::finding;
use super::{Finding, FindingKind, SkipReason, StepEval, StepStatus, entered};
use crate::domain::model::{Body, Escalation, Instant};
use crate::domain::replay::History;
use crate::rules::{Bypass, Duty, Rules};

pub fn evaluate(h: &History, rules: &Rules, steps: &mut [StepEval], out: &mut Vec<Finding>) {
    if rules.bypass == Bypass::Allowed {
        return;
    }
    let mut told: Vec<(Instant, u32, &Escalation)> = h
        .entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Escalation { escalation } => Some((e.at, e.n, escalation)),
            _ => None,
        })
        .collect();
    told.sort_by_key(|(at, n, _)| (*at, *n));

    let mut bypassed = vec![false; rules.steps.len()];
    for (at, n, esc) in &told {
        let Some(rank) = rules
            .level_index(&esc.level)
            .and_then(|li| rules.levels[li].rank)
        else {
            continue;
        };
        if rules.bypass == Bypass::WithReason && esc.reason.is_some() {
            continue;
        }
        for (si, step) in rules.steps.iter().enumerate() {
            let Duty::Escalate { level: lower, .. } = step.duty else {
                continue;
            };
            let lower_id = &rules.levels[lower].id;
            let required = entered(h, step).is_some_and(|t| t <= *at);
            let already_told = told
                .iter()
                .any(|(t, _, e)| *t <= *at && &e.level == lower_id);
            let lower_rank = rules.levels[lower].rank;
            if bypassed[si] || lower_rank.is_none_or(|r| r >= rank) || !required || already_told {
                continue;
            }
            bypassed[si] = true;
            let mut f = finding(FindingKind::Skipped, step, rules);
            f.reason = Some(SkipReason::Bypassed);
            f.due = steps[si].due;
            f.done = steps[si].done;
            f.entry = Some(*n);
            f.bypassed_by = Some(esc.level.clone());
            f.bypassed_at = Some(*at);
            f.note.clone_from(&esc.reason);
            out.push(f);
            if matches!(steps[si].status, StepStatus::Done | StepStatus::Pending) {
                steps[si].status = StepStatus::Skipped;
            }
        }
    }
}
