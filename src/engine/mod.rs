//! The deadline engine: given an incident's entries, its pinned rules and an instant T, every
//! step with its clock start, due time, completion and status, and every finding.
//!
//! Rules of this module (DESIGN.md §2 and §5, to the letter):
//! - Pure: no SQL, no clock, no printing. T is an argument; only entries claimed at or before T
//!   exist (an incident whose initial report is claimed after T does not exist yet).
//! - Corrected values count (via `replay`); all times are claimed times.
//! - A step applies from the known time, or from when the incident first reached the step's
//!   severity. A one-time step's clock starts at its anchor (the latest of its events), or when
//!   it applies if that is later. It is done by the first matching entry at or after the moment
//!   it applies, even one before its clock start; done exactly at the due time is on time.
//! - A recurring step falls due `every` after the latest report; see `recurring`.
//! - Bypass (越级) is judged per level; see `bypass`. Content rules; see `content`.
//! - `due_soon` is not a violation; every other finding is.

mod bypass;
mod content;
mod once;

pub use once::matches_duty;
mod recurring;
mod review;

pub use review::covered;

use crate::domain::model::{Entry, Instant};
use crate::domain::replay::{History, replay};
use crate::i18n::Msg;
use crate::rules::{Field, Rules};

/// The status of a step at T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepStatus {
    Done,
    Late,
    Overdue,
    Skipped,
    Pending,
    NotApplicable,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Late => "late",
            StepStatus::Overdue => "overdue",
            StepStatus::Skipped => "skipped",
            StepStatus::Pending => "pending",
            StepStatus::NotApplicable => "not_applicable",
        }
    }
}

/// One step of the rules, evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepEval {
    /// Index into `Rules::steps`.
    pub step: usize,
    pub clock_start: Option<Instant>,
    /// `None` while the clock has not started (an anchor step not done yet) or not applicable.
    pub due: Option<Instant>,
    pub done: Option<Instant>,
    pub status: StepStatus,
}

impl StepEval {
    /// Whether the step is still owed: pending or overdue (a recurring step is owed again after
    /// each report, its next due time counting from the last), or skipped (a bypassed level
    /// must still be told). What a write's outcome lists and what a digest's `next_due` picks
    /// from.
    pub fn is_owed(&self) -> bool {
        matches!(
            self.status,
            StepStatus::Pending | StepStatus::Overdue | StepStatus::Skipped
        )
    }

    /// A step that does not apply to the incident (yet, or at all).
    pub fn not_applicable(step: usize) -> StepEval {
        StepEval {
            step,
            clock_start: None,
            due: None,
            done: None,
            status: StepStatus::NotApplicable,
        }
    }
}

/// The kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    Overdue,
    Late,
    Skipped,
    Incomplete,
    PrematureCause,
    DueSoon,
}

impl FindingKind {
    pub const ALL: [FindingKind; 6] = [
        FindingKind::Overdue,
        FindingKind::Late,
        FindingKind::Skipped,
        FindingKind::Incomplete,
        FindingKind::PrematureCause,
        FindingKind::DueSoon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Overdue => "overdue",
            FindingKind::Late => "late",
            FindingKind::Skipped => "skipped",
            FindingKind::Incomplete => "incomplete",
            FindingKind::PrematureCause => "premature_cause",
            FindingKind::DueSoon => "due_soon",
        }
    }

    /// Whether this finding is a violation (`check` exits 3 unless it is reviewed).
    pub fn is_violation(self) -> bool {
        self != FindingKind::DueSoon
    }

    pub fn parse(s: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a step was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// A higher-ranked level was told while this step's level had not been.
    Bypassed,
    /// The incident was closed without it.
    Omitted,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Bypassed => "bypassed",
            SkipReason::Omitted => "omitted",
        }
    }
}

/// One finding about one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// A step id, or for content findings the report stage (`initial`, `followup`, `final`).
    pub step: String,
    pub level: Option<String>,
    pub channel: Option<String>,
    pub due: Option<Instant>,
    pub done: Option<Instant>,
    /// Late by, past due by, or left (whole minutes).
    pub minutes: Option<i64>,
    pub reason: Option<SkipReason>,
    /// The entry the finding is about (the report, or the bypassing escalation).
    pub entry: Option<u32>,
    /// For a bypass: the higher level that was told, when, and the reason given, if any.
    pub bypassed_by: Option<String>,
    pub bypassed_at: Option<Instant>,
    pub note: Option<String>,
    /// For `incomplete`: what the report lacks.
    pub missing: Vec<Field>,
    /// The supervisor's review that covers it, if one does at T.
    pub reviewed: Option<Reviewed>,
}

/// A review that covers a finding (DESIGN.md §14): it stays a finding, but no longer counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub by: String,
    pub at: Instant,
    pub note: String,
    /// The review's entry number.
    pub entry: u32,
}

impl Finding {
    fn new(kind: FindingKind, step: impl Into<String>) -> Finding {
        Finding {
            kind,
            step: step.into(),
            level: None,
            channel: None,
            due: None,
            done: None,
            minutes: None,
            reason: None,
            entry: None,
            bypassed_by: None,
            bypassed_at: None,
            note: None,
            missing: Vec::new(),
            reviewed: None,
        }
    }
}

/// Content a report lacked that a later report supplied (so it is no longer `incomplete`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplied {
    /// The report that lacked it, and its stage.
    pub entry: u32,
    pub stage: crate::rules::Stage,
    pub field: Field,
    /// The later report that supplied it, and its claimed time.
    pub by: u32,
    pub at: Instant,
}

/// Everything the engine says about one incident at T.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub at: Instant,
    pub steps: Vec<StepEval>,
    pub findings: Vec<Finding>,
    pub supplied: Vec<Supplied>,
}

impl Finding {
    /// A violation no review covers: what makes `check` exit 3.
    pub fn is_open_violation(&self) -> bool {
        self.kind.is_violation() && self.reviewed.is_none()
    }
}

impl Evaluation {
    pub fn violations(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.is_open_violation())
            .count()
    }
}

/// The moment a whole history is judged at when "now" is asked: now, or the latest claimed time
/// if later (an entry may be claimed a few minutes ahead of this machine's clock), so that every
/// entry exists at that moment.
pub fn judged_at(now: Instant, h: &History) -> Instant {
    h.entries.iter().map(|e| e.at).fold(now, Instant::max)
}

/// Evaluates an incident's raw entries at T. `Ok(None)` if it does not exist yet at T.
pub fn evaluate(entries: &[Entry], rules: &Rules, at: Instant) -> Result<Option<Evaluation>, Msg> {
    Ok(replay(entries, rules, Some(at))?.map(|h| evaluate_history(&h, rules, at)))
}

/// Evaluates a history already replayed as of T.
pub fn evaluate_history(h: &History, rules: &Rules, at: Instant) -> Evaluation {
    let mut findings = Vec::new();
    let mut steps = once::evaluate(h, rules, at, &mut findings);
    for (i, s) in rules.steps.iter().enumerate() {
        if let crate::rules::Clock::Every(every) = s.clock {
            steps[i] = recurring::evaluate(h, rules, i, every, at, &mut findings);
        }
    }
    bypass::evaluate(h, rules, &mut steps, &mut findings);
    let mut supplied = Vec::new();
    content::evaluate(h, rules, &mut findings, &mut supplied);
    review::mark(h, &mut findings);
    findings.sort_by_key(|f| (f.due.or(f.done), f.kind, f.step.clone()));
    Evaluation {
        at,
        steps,
        findings,
        supplied,
    }
}

/// Whole minutes from `a` to `b`, rounded up (lateness is never understated).
pub fn minutes_up(a: Instant, b: Instant) -> i64 {
    let s = (b - a).num_seconds();
    (s + 59).div_euclid(60)
}

/// Whole minutes from `a` to `b`, rounded down (time left is never overstated).
pub fn minutes_down(a: Instant, b: Instant) -> i64 {
    (b - a).num_seconds().div_euclid(60)
}

/// The first moment the step applies to the incident: when it first came within the step's
/// severity range, if it ever did and its kind is one the step is for.
fn entered(h: &History, step: &crate::rules::Step) -> Option<Instant> {
    if !step.applies_to_kind(&h.header.kind) {
        return None;
    }
    h.timeline
        .iter()
        .find(|c| c.severity >= step.min_severity)
        .filter(|c| c.severity <= step.max_severity)
        .map(|c| c.at)
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_applies;
#[cfg(test)]
mod tests_review;
