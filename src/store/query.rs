//! What a reader asks a store for, said without an engine: the incidents `check` and `digest`
//! judge, and those `list` shows. Each backend answers by index, so a scope's cost follows its
//! size, not the history.

use crate::domain::model::Instant;

/// A set of incidents read with their entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What `check --at` reads: open, or closed at or after `closed_after` (by its row or by a
    /// final report claimed since); those filed after `at` are left out by the replay. By
    /// closing only: a row's filing time is filtered by the replay (an incident filed after T
    /// does not exist at T), so no tampered `filed` can hide an incident, and a final report
    /// claimed since the start is read whatever its row says.
    Check { at: Instant, closed_after: Instant },
    /// What a digest of `[from, to)` reads: an entry claimed in the window, or open at its end.
    Window { from: Instant, to: Instant },
}

/// Which incidents `list` wants.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub open: Option<bool>,
    pub since: Option<Instant>,
    pub severity: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<u32>,
}
