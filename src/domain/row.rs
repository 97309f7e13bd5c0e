//! An incident at a glance: what `list` shows and the database's `incidents` projection holds.

use super::model::{Figures, Instant};
use super::replay::History;
use crate::rules::Rules;

/// An incident's current state, summarized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub severity: String,
    pub occurred: Instant,
    pub known: Instant,
    pub filed: Instant,
    pub closed: Option<Instant>,
    pub location: String,
    pub unit: String,
    pub figures: Figures,
    /// The hash of the rules the incident is pinned to.
    pub rules: String,
    /// The claimed time of the incident's latest entry.
    pub last_at: Instant,
}

impl IncidentRow {
    /// The office the incident is of, on a shared store (its id's code).
    pub fn office(&self) -> Option<String> {
        super::id::IncidentId::parse(&self.id)
            .ok()
            .and_then(|i| i.office)
    }

    /// The summary of a replayed history.
    pub fn of(id: &str, h: &History, rules: &Rules) -> IncidentRow {
        IncidentRow {
            id: id.to_owned(),
            title: h.header.title.clone(),
            kind: h.header.kind.clone(),
            severity: rules.severities[h.severity()].id.clone(),
            occurred: h.header.occurred,
            known: h.header.known,
            filed: h.filed,
            closed: h.closed,
            location: h.header.location.clone(),
            unit: h.header.unit.clone(),
            figures: h.figures.clone(),
            rules: h.rules.clone(),
            last_at: h.entries.iter().map(|e| e.at).max().unwrap_or(h.filed),
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// The fields in which `self` (a stored row) differs from `replayed` (what its entries say).
    pub fn differences(&self, replayed: &IncidentRow) -> Vec<&'static str> {
        let (a, b) = (self, replayed);
        [
            ("id", a.id == b.id),
            ("title", a.title == b.title),
            ("kind", a.kind == b.kind),
            ("severity", a.severity == b.severity),
            ("occurred", a.occurred == b.occurred),
            ("known", a.known == b.known),
            ("filed", a.filed == b.filed),
            ("closed", a.closed == b.closed),
            ("location", a.location == b.location),
            ("unit", a.unit == b.unit),
            ("figures", a.figures == b.figures),
            ("rules", a.rules == b.rules),
            ("last_at", a.last_at == b.last_at),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(f, _)| f)
        .collect()
    }
}
