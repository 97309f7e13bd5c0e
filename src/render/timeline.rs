//! The geometry of an incident's timeline: where each thing is drawn, decided from times alone.
//! `html_svg` turns it into SVG; nothing here writes markup.
//!
//! Rules of this module:
//! - Pure: an evaluated history, a time range and the pixels it maps to in, positions out.
//!   Time runs left to right, linearly, `from` at `left` and `to` at `right`.
//! - One lane per step that applies (status other than `not_applicable`). Its window runs from
//!   the clock start to the due time; for a recurring step, from the latest report (or the
//!   clock start) to the next due time, and there is no open window once it stopped.
//! - What is red comes from the engine's findings, never from comparing positions: a step done
//!   exactly at its due time has no `late` finding, so nothing of it is red.
//! - Clipping: a bar that runs past an edge is cut there and says so (`cut_left`,
//!   `cut_right`); a point outside the range is not drawn at all. A digest clips every lane to
//!   its window this way.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use crate::domain::model::{EntryType, Instant};
use crate::domain::replay::History;
use crate::engine::{Evaluation, Finding, FindingKind, SkipReason, StepStatus};
use crate::rules::{Clock, Rules, SevIdx};
use crate::tz;

/// A time range and the horizontal pixels it is drawn in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub from: Instant,
    pub to: Instant,
    pub left: f64,
    pub right: f64,
}

impl Frame {
    /// The x of an instant, not clipped.
    pub fn x(&self, t: Instant) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        let dt = (t - self.from).num_seconds() as f64;
        self.left + (self.right - self.left) * dt / span
    }

    /// An instant inside the range (edges included), else nothing to draw.
    pub fn point(&self, t: Instant) -> Option<Point> {
        (self.from <= t && t <= self.to).then(|| Point {
            x: self.x(t),
            at: t,
        })
    }

    /// The part of `[a, b]` inside the range, if any.
    pub fn bar(&self, a: Instant, b: Instant) -> Option<Bar> {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        if b < self.from || a > self.to {
            return None;
        }
        Some(Bar {
            x0: self.x(a.max(self.from)),
            x1: self.x(b.min(self.to)),
            cut_left: a < self.from,
            cut_right: b > self.to,
        })
    }
}

/// A horizontal extent, clipped to the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    /// It starts before the frame.
    pub cut_left: bool,
    /// It goes on after the frame.
    pub cut_right: bool,
}

/// An instant inside the frame, and where it is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub at: Instant,
}

/// The moment a step (or one gap of a recurring step) was done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Done {
    pub point: Point,
    pub late: bool,
}

/// Lateness in red: from the due time to when it was done (`late`) or to the check instant
/// (`overdue`), with the minutes the finding gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Red {
    pub kind: FindingKind,
    pub bar: Bar,
    pub minutes: i64,
}

/// A skipped level: where a higher level was told first, or where the incident closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skip {
    pub point: Point,
    pub reason: SkipReason,
}

/// One step's lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Index into `Rules::steps`.
    pub step: usize,
    pub status: StepStatus,
    pub window: Option<Bar>,
    /// The due line, when the due time is inside the frame.
    pub due: Option<Point>,
    /// The due time even when outside the frame (for a label at the cut edge).
    pub due_at: Option<Instant>,
    pub done: Vec<Done>,
    pub red: Vec<Red>,
    pub skips: Vec<Skip>,
}

impl Lane {
    /// Whether anything of it is inside the frame.
    pub fn visible(&self) -> bool {
        self.window.is_some()
            || self.due.is_some()
            || !self.done.is_empty()
            || !self.red.is_empty()
            || !self.skips.is_empty()
    }

    /// Minutes late (the largest gap) or overdue, for the lane's label.
    pub fn minutes(&self, kind: FindingKind) -> Option<i64> {
        self.red
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.minutes)
            .max()
    }
}

/// An entry on the entries' row; `row` staggers labels that would overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    pub n: u32,
    pub kind: EntryType,
    pub point: Point,
    pub row: usize,
}

/// A line across every lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VerticalKind {
    /// The severity changed to this class (changes after the initial severity).
    Reclassified(SevIdx),
    /// The instant the steps were judged at.
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vertical {
    pub kind: VerticalKind,
    pub point: Point,
}

/// A gridline of the time axis; `new_day` when its local date differs from the one before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisTick {
    pub point: Point,
    pub new_day: bool,
}

/// Everything a timeline draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub frame: Frame,
    pub lanes: Vec<Lane>,
    pub ticks: Vec<Tick>,
    /// How many label rows the ticks use.
    pub rows: usize,
    pub verticals: Vec<Vertical>,
    pub axis: Vec<AxisTick>,
}

/// Label rows are capped: past this many, labels may overlap rather than push the lanes down.
const MAX_ROWS: usize = 4;

/// Lays out the timeline of a history evaluated at `eval.at`, in `frame`. Tick labels closer
/// than `label_px` go on another row.
pub fn layout(
    h: &History,
    eval: &Evaluation,
    rules: &Rules,
    frame: Frame,
    label_px: f64,
) -> Timeline {
    let lanes = eval
        .steps
        .iter()
        .filter(|s| s.status != StepStatus::NotApplicable)
        .map(|s| {
            let id = &rules.steps[s.step].id;
            let findings: Vec<&Finding> = eval.findings.iter().filter(|f| &f.step == id).collect();
            let recurring = matches!(rules.steps[s.step].clock, Clock::Every(_));
            lane(s, recurring, &findings, h.closed, eval.at, &frame)
        })
        .collect();

    let mut ticks = Vec::new();
    let mut row_end: Vec<f64> = Vec::new();
    let mut entries: Vec<_> = h.entries.iter().collect();
    entries.sort_by_key(|e| (e.at, e.n));
    for e in entries {
        let Some(point) = frame.point(e.at) else {
            continue;
        };
        // The first row whose last label ends before this one starts.
        let row = row_end
            .iter()
            .position(|end| point.x >= end + label_px)
            .unwrap_or_else(|| {
                if row_end.len() < MAX_ROWS {
                    row_end.push(f64::NEG_INFINITY);
                    row_end.len() - 1
                } else {
                    // Every row is taken: the row whose label ended longest ago.
                    row_end
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.total_cmp(b.1))
                        .map_or(0, |(i, _)| i)
                }
            });
        row_end[row] = point.x;
        ticks.push(Tick {
            n: e.n,
            kind: e.body.entry_type(),
            point,
            row,
        });
    }

    let mut verticals: Vec<Vertical> = h
        .timeline
        .iter()
        .skip(1)
        .filter_map(|c| {
            frame.point(c.at).map(|point| Vertical {
                kind: VerticalKind::Reclassified(c.severity),
                point,
            })
        })
        .collect();
    if let Some(point) = frame.point(eval.at) {
        verticals.push(Vertical {
            kind: VerticalKind::Check,
            point,
        });
    }

    Timeline {
        frame,
        lanes,
        rows: row_end.len(),
        ticks,
        verticals,
        axis: axis(&frame, rules.tz),
    }
}

fn lane(
    s: &crate::engine::StepEval,
    recurring: bool,
    findings: &[&Finding],
    closed: Option<Instant>,
    at: Instant,
    frame: &Frame,
) -> Lane {
    // A recurring step's open window starts at the report that opened the current gap.
    let open = matches!(s.status, StepStatus::Pending | StepStatus::Overdue);
    let start = match (recurring, open) {
        (false, _) => s.clock_start,
        (true, true) => s.done.or(s.clock_start),
        (true, false) => None,
    };
    let window = start.zip(s.due).and_then(|(a, b)| frame.bar(a, b));
    let due_at = if recurring && !open { None } else { s.due };

    let mut red = Vec::new();
    let mut done: Vec<Done> = Vec::new();
    let mut skips = Vec::new();
    for f in findings {
        match (f.kind, f.due) {
            (FindingKind::Late, Some(due)) => {
                let finished = f.done.unwrap_or(due);
                red.extend(frame.bar(due, finished).map(|bar| Red {
                    kind: FindingKind::Late,
                    bar,
                    minutes: f.minutes.unwrap_or(0),
                }));
                if let Some(point) = frame.point(finished) {
                    done.push(Done { point, late: true });
                }
            }
            (FindingKind::Overdue, Some(due)) => {
                red.extend(frame.bar(due, at).map(|bar| Red {
                    kind: FindingKind::Overdue,
                    bar,
                    minutes: f.minutes.unwrap_or(0),
                }));
            }
            (FindingKind::Skipped, _) => {
                let t = match f.reason {
                    Some(SkipReason::Omitted) => closed,
                    _ => f.bypassed_at,
                };
                if let Some(point) = t.and_then(|t| frame.point(t)) {
                    skips.push(Skip {
                        point,
                        reason: f.reason.unwrap_or(SkipReason::Bypassed),
                    });
                }
            }
            _ => {}
        }
    }
    // Done on time: the step's completion unless a late finding already marked it.
    if let Some(point) = s.done.and_then(|t| frame.point(t))
        && !done.iter().any(|d| d.point.at == point.at)
    {
        done.push(Done { point, late: false });
    }
    done.sort_by_key(|d| d.point.at);
    Lane {
        step: s.step,
        status: s.status,
        window,
        due: due_at.and_then(|t| frame.point(t)),
        due_at,
        done,
        red,
        skips,
    }
}

/// The range a whole incident is shown in: from the earliest clock start or entry to the check
/// instant or the latest entry, looking a third as far ahead (at least 30 minutes) so that the
/// next deadlines show, with a margin either side. Deadlines further out are cut at the edge.
/// A closed incident ends at its latest entry: the check instant may be months later.
pub fn incident_range(h: &History, eval: &Evaluation) -> (Instant, Instant) {
    let applying = eval
        .steps
        .iter()
        .filter(|s| s.status != StepStatus::NotApplicable);
    let from = applying
        .clone()
        .filter_map(|s| s.clock_start)
        .chain(h.entries.iter().map(|e| e.at))
        .chain([h.header.known])
        .min()
        .unwrap_or(h.header.known);
    let to = h
        .entries
        .iter()
        .map(|e| e.at)
        .chain(applying.clone().filter_map(|s| s.done))
        .chain(h.is_open().then_some(eval.at))
        .max()
        .unwrap_or(from)
        .max(from);
    // A closed incident's story ends with its final report, however long ago it was shown.
    let ahead = ((to - from) / 3).max(Duration::minutes(30));
    let to = applying
        .filter(|_| h.is_open())
        .filter_map(|s| s.due)
        .filter(|d| *d > to && *d <= to + ahead)
        .max()
        .unwrap_or(to);
    let margin = ((to - from) / 25).max(Duration::minutes(2));
    (from - margin, to + margin)
}

/// Gridline spacings, in minutes, from which the axis takes the finest that fits.
const STEPS: [i64; 14] = [
    1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080,
];

/// Gridlines at round local times (every 15 minutes, every hour …), about 90 px apart at least.
fn axis(frame: &Frame, zone: Tz) -> Vec<AxisTick> {
    let minutes = (frame.to - frame.from).num_minutes().max(1);
    let fit = ((frame.right - frame.left) / 90.0).max(1.0) as i64;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| minutes / s <= fit)
        .unwrap_or(10_080);
    let start = tz::local(zone, frame.from);
    let midnight = start.date().and_time(NaiveTime::MIN);
    // Round local times are counted from local midnight (days from the first midnight).
    let since = (start - midnight).num_minutes();
    let mut local: NaiveDateTime = midnight + Duration::minutes(since.div_euclid(step) * step);
    let mut out: Vec<AxisTick> = Vec::new();
    let mut last_day = None;
    loop {
        let t = tz::resolve_lenient(zone, local);
        if t > frame.to {
            break;
        }
        // Across a DST change two local times can resolve to one instant: keep the first.
        if let Some(point) = frame.point(t)
            && out.last().is_none_or(|p| p.point.at < t)
        {
            let day = tz::local(zone, t).date();
            out.push(AxisTick {
                point,
                new_day: last_day != Some(day),
            });
            last_day = Some(day);
        }
        local += Duration::minutes(step);
    }
    out
}

#[cfg(test)]
mod tests;
