//! Judging a scope as of a moment: what `check` reports. Pure: it takes the incidents as read
//! and an instant, and returns their findings and the damage it met; no store, no clock.
//!
//! Rules:
//! - Each incident is judged from its entries (`crate::audit`), never from its row; a row that
//!   differs is named as damage and the incident is still judged, one whose entries cannot be
//!   replayed is named and left out, and the others are judged whatever the damage of one.
//! - An incident exists at T only if filed by T, and is in scope while open at T or closed at
//!   or after the scope's start; what is claimed after T is not seen.
//! - Incidents come out oldest first, as they were filed.

use std::rc::Rc;

use serde::Serialize;

use crate::damage::Damage;
use crate::domain::loaded::Loaded;
use crate::domain::model::Instant;
use crate::domain::replay::replay;
use crate::engine::{Finding, FindingKind, evaluate_history};
use crate::rules::Rules;

/// An incident's findings, with the rules that judged them.
#[derive(Debug)]
pub struct Judged {
    pub id: String,
    pub title: String,
    pub filed: Instant,
    pub rules: Rc<Rules>,
    pub findings: Vec<Finding>,
}

/// Judging as of `at`, one incident at a time (so what is held is one incident's entries and
/// the findings, not the history), leaving out those closed (as of `at`) before `closed_after`.
#[derive(Debug)]
pub struct Judge {
    at: Instant,
    closed_after: Instant,
    judged: Vec<Judged>,
    damaged: Vec<Damage>,
}

impl Judge {
    pub fn new(at: Instant, closed_after: Instant) -> Judge {
        Judge {
            at,
            closed_after,
            judged: Vec::new(),
            damaged: Vec::new(),
        }
    }

    /// Judges an incident.
    pub fn add(&mut self, l: Loaded) {
        let at = self.at;
        let whole = match crate::audit::replay_whole(&l) {
            Ok((history, _, damage)) => {
                self.damaged.extend(damage);
                history
            }
            Err(d) => return self.damaged.push(d),
        };
        let history = if whole.complete_at(&l.entries, at) {
            whole
        } else {
            match replay(&l.entries, &l.rules, Some(at)) {
                Ok(Some(h)) => h,
                // Filed after T: it does not exist yet.
                Ok(None) => return,
                Err(m) => {
                    return self.damaged.push(Damage::Unreplayable {
                        incident: l.id.clone(),
                        message: m.to_string(),
                    });
                }
            }
        };
        if history.closed.is_some_and(|c| c < self.closed_after) {
            return;
        }
        let eval = evaluate_history(&history, &l.rules, at);
        self.judged.push(Judged {
            id: l.id,
            title: history.header.title.clone(),
            filed: history.filed,
            rules: l.rules,
            findings: eval.findings,
        });
    }

    /// The incidents judged, oldest first as they were filed, and the damage met.
    pub fn finish(mut self) -> (Vec<Judged>, Vec<Damage>) {
        self.judged
            .sort_by(|a, b| (a.filed, &a.id).cmp(&(b.filed, &b.id)));
        (self.judged, self.damaged)
    }
}

/// How many findings of each kind, every kind present, and `unreviewed`: the violations no
/// review covers (what makes `check` exit 3). Serialised as the `summary` of DESIGN.md §5.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    /// By kind, in [`FindingKind::ALL`]'s order.
    pub by_kind: Vec<(FindingKind, u64)>,
    pub unreviewed: u64,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut by_kind: Vec<(FindingKind, u64)> =
            FindingKind::ALL.iter().map(|k| (*k, 0)).collect();
        let mut unreviewed = 0;
        for f in findings {
            if let Some(c) = by_kind.iter_mut().find(|(k, _)| *k == f.kind) {
                c.1 += 1;
            }
            unreviewed += u64::from(f.is_open_violation());
        }
        Counts {
            by_kind,
            unreviewed,
        }
    }

    /// The number of findings of `kind`.
    pub fn get(&self, kind: FindingKind) -> u64 {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |c| c.1)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.by_kind.len() + 1))?;
        for (k, n) in &self.by_kind {
            m.serialize_entry(k.as_str(), n)?;
        }
        m.serialize_entry("unreviewed", &self.unreviewed)?;
        m.end()
    }
}
