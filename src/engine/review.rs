//! Reviews (审核, DESIGN.md §14): which findings a supervisor's review covers at T.
//!
//! A review covers the findings it names, as they stood when it was made ([`covered`] is what
//! identifies one): its kind, step, skip reason and entry, its due and done times, and for a
//! `late` finding its minutes and for an `incomplete` one what it lacks. A finding that changes
//! after its review — a late step later also bypassed, other minutes after a correction, a
//! report that lacks something else — is not covered, and is new again. Only reviews claimed at
//! or before T count; a reviewed finding is still a finding.

use super::{Finding, FindingKind, Reviewed};
use crate::domain::model::{Body, Covered};
use crate::domain::replay::History;

/// Marks each finding covered by a review in the history (reviews in claimed-time order: the
/// first that covers a finding is its review).
pub fn mark(h: &History, findings: &mut [Finding]) {
    let mut reviews: Vec<_> = h
        .entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Review { review } => Some((e, review)),
            _ => None,
        })
        .collect();
    reviews.sort_by_key(|(e, _)| (e.at, e.n));
    for f in findings.iter_mut().filter(|f| f.kind.is_violation()) {
        let id = covered(f);
        if let Some((e, r)) = reviews.iter().find(|(_, r)| r.covers.contains(&id)) {
            f.reviewed = Some(Reviewed {
                by: e.by.clone(),
                at: e.at,
                note: r.note.clone(),
                entry: e.n,
            });
        }
    }
}

/// What identifies a finding for a review. An `overdue` finding is the same finding while it
/// grows (its minutes are left out); every other part that could change is kept.
pub fn covered(f: &Finding) -> Covered {
    Covered {
        kind: f.kind.as_str().to_owned(),
        step: f.step.clone(),
        reason: f.reason.map(|r| r.as_str().to_owned()),
        entry: f.entry,
        due: f.due,
        done: f.done,
        minutes: f.minutes.filter(|_| f.kind == FindingKind::Late),
        missing: f.missing.iter().map(|m| m.as_str().to_owned()).collect(),
    }
}
