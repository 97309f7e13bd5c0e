//! The daily duty report (值班日报), decided: what was new, updated, told, closed and still open
//! in a window, and what went wrong in it. Pure: it takes loaded entries and returns values.
//!
//! Rules (DESIGN.md §6):
//! - Membership is by claimed time, half-open `[from, to)`: an entry exactly at `from` is in,
//!   exactly at `to` is out. An incident is new when its initial report is claimed in the
//!   window, closed when its final report is.
//! - Incidents are shown as they stood at the end of the window; `open` lists every incident
//!   open then, with its next due step and the minutes left at `to` (negative once past due).
//! - Updates are follow-ups, final reports, corrections and reviews; reclassifications are not updates,
//!   they ride on the report that caused them. Escalations carry `on_time`: whether every step
//!   they completed was done by its due time (`None` when they completed none).
//! - Findings are judged as `check --at <to>` would, and kept when their step fell due, was done
//!   or was bypassed in the window (or, for an omission, when the incident closed in it).
//!   An incident is touched when it has an entry claimed in the window or a finding kept.
//! - Nothing shown comes from a row that disagrees with the entries: where the history at the
//!   window's end is the whole history, the row must say what it says, and a row that differs
//!   is damage; an incident whose entries cannot be replayed is named and left out.

use std::rc::Rc;

use chrono::{Duration, NaiveDate};

use crate::damage::Damage;
use crate::domain::loaded::Loaded;
use crate::domain::model::{Body, Entry, Instant};
use crate::domain::replay::{History, replay};
use crate::domain::row::IncidentRow;
use crate::engine::{
    Evaluation, Finding, SkipReason, evaluate_history, matches_duty, minutes_down,
};
use crate::i18n::Msg;
use crate::rules::Rules;
use crate::tz;

/// A half-open window of claimed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Instant,
    pub to: Instant,
}

impl Window {
    pub fn contains(&self, t: Instant) -> bool {
        self.from <= t && t < self.to
    }

    /// The duty day `date`: from the rules' `day_starts` that day to the same local time the
    /// next day (23 or 25 hours across a DST change).
    pub fn day(date: NaiveDate, rules: &Rules) -> Window {
        let start = |d: NaiveDate| tz::resolve_lenient(rules.tz, d.and_time(rules.day_starts));
        let next = date.succ_opt().unwrap_or(date);
        Window {
            from: start(date),
            to: start(next),
        }
    }

    /// The latest duty day that has ended by `now`.
    pub fn latest_complete_day(now: Instant, rules: &Rules) -> Window {
        let mut date = tz::local(rules.tz, now).date();
        loop {
            let w = Window::day(date, rules);
            if w.to <= now {
                return w;
            }
            match date.pred_opt() {
                Some(d) => date = d,
                None => return w,
            }
        }
    }
}

/// A reclassification a report caused: (from, to).
pub type Reclass = Option<(String, String)>;

/// An incident in the digest.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub rules: Rc<Rules>,
    /// As it stood at the end of the window.
    pub row: IncidentRow,
    pub is_new: bool,
    pub closed_in_window: bool,
    pub open_at_end: bool,
    /// Follow-ups, finals and corrections in the window, each with the reclassification it
    /// caused (from, to), if any.
    pub updates: Vec<(Entry, Reclass)>,
    /// Escalations in the window with `on_time`.
    pub escalations: Vec<(Entry, Option<bool>)>,
    pub findings: Vec<Finding>,
    /// The next due step at `to`: step id, due time, minutes left (negative when past due).
    pub next_due: Option<(String, Instant, i64)>,
    /// Corrections that apply to each entry (for entry JSON).
    pub corrected_by: Vec<(u32, Vec<u32>)>,
    pub touched: bool,
    /// The history and evaluation the findings come from (for the timeline of the HTML page).
    pub judged: Judged,
    /// Whether the history at the end is the whole history (nothing claimed after the window),
    /// so the incident's row must say what `summary` says.
    pub whole: bool,
}

/// An incident as judged at `to`: the whole evaluation, not only the findings kept.
#[derive(Debug, Clone)]
pub struct Judged {
    pub history: History,
    pub eval: Evaluation,
}

/// The whole digest.
#[derive(Debug, Clone)]
pub struct Digest {
    pub window: Window,
    pub items: Vec<Item>,
    /// The chains' heads as of the window's end, so a printed report anchors the record
    /// (`verify --head`): one for a file, one per office on a shared store.
    pub chain_head: Vec<crate::store::Head>,
}

/// Builds the digest of `window` from the incidents that may appear in it, with the damage met:
/// incidents that cannot be replayed (left out) and rows that differ from their entries.
pub fn build(
    window: Window,
    loaded: Vec<Loaded>,
    chain_head: Vec<crate::store::Head>,
) -> (Digest, Vec<Damage>) {
    let mut items = Vec::with_capacity(loaded.len());
    let mut damaged = Vec::new();
    let end = window.to - Duration::seconds(1);
    for l in loaded {
        let histories = (|| -> Result<_, Msg> {
            let Some(at_end) = replay(&l.entries, &l.rules, Some(end))? else {
                return Ok(None);
            };
            // Judged at `to` as `check` would: the same history unless something is claimed,
            // or corrected to be claimed, exactly at `to`.
            let touches_to = l.entries.iter().any(|e| {
                e.at == window.to
                    || matches!(&e.body, Body::Correction { changes, .. } if changes.at == Some(window.to))
            });
            let at_to = if touches_to {
                replay(&l.entries, &l.rules, Some(window.to))?
            } else {
                None
            };
            Ok(Some((at_end, at_to)))
        })();
        match histories {
            Ok(Some((at_end, at_to))) => {
                let item = item(window, &l, at_end, at_to);
                if item.whole {
                    damaged.extend(crate::audit::compare(&l.id, l.row.as_ref(), &item.row));
                }
                items.push(item);
            }
            Ok(None) => {}
            Err(m) => damaged.push(Damage::Unreplayable {
                incident: l.id.clone(),
                message: m.to_string(),
            }),
        }
    }
    items.retain(|i| i.touched || i.open_at_end);
    items.sort_by(|a, b| a.id.cmp(&b.id));
    (
        Digest {
            window,
            items,
            chain_head,
        },
        damaged,
    )
}

fn item(window: Window, l: &Loaded, at_end: History, at_to: Option<History>) -> Item {
    let rules = &l.rules;
    // Judged at `to`: the same history as at the end unless something is claimed exactly then.
    let judged = at_to.as_ref().unwrap_or(&at_end);
    let eval = evaluate_history(judged, rules, window.to);
    let closed_in_window = at_end.closed.is_some_and(|c| window.contains(c));
    let in_window = |t: Option<Instant>| t.is_some_and(|t| window.contains(t));
    let findings: Vec<Finding> = eval
        .findings
        .iter()
        .filter(|f| {
            in_window(f.due)
                || in_window(f.done)
                || in_window(f.bypassed_at)
                || (f.reason == Some(SkipReason::Omitted) && closed_in_window)
        })
        .cloned()
        .collect();

    // Membership by claimed time as corrected by the corrections claimed by the end of the
    // window, the same corrections every part of the digest takes into account.
    let claimed = |e: &Entry| at_end.entry(e.n).map(|x| x.at);
    let in_window_entries: Vec<&Entry> = l
        .entries
        .iter()
        .filter(|e| claimed(e).is_some_and(|t| window.contains(t)))
        .collect();
    let mut updates = Vec::new();
    let mut escalations = Vec::new();
    for e in in_window_entries.iter().copied() {
        match &e.body {
            Body::Followup { .. }
            | Body::Final { .. }
            | Body::Correction { .. }
            | Body::Review { .. } => {
                updates.push((e.clone(), caused_reclassification(&l.entries, e.n)));
            }
            Body::Escalation { .. } => {
                // As `check --at <to>` sees it: with the corrections claimed by then.
                let (effective_at, body) = judged
                    .entry(e.n)
                    .map_or((e.at, &e.body), |x| (x.at, &x.body));
                let completed: Vec<bool> = eval
                    .steps
                    .iter()
                    .filter(|s| s.done == Some(effective_at))
                    .filter(|s| matches_duty(body, &rules.steps[s.step].duty, rules))
                    .map(|s| s.due.is_none_or(|d| effective_at <= d))
                    .collect();
                let on_time = (!completed.is_empty()).then(|| completed.iter().all(|ok| *ok));
                escalations.push((e.clone(), on_time));
            }
            _ => {}
        }
    }

    let open_at_end = at_end.closed.is_none();
    let next_due = if open_at_end {
        eval.steps
            .iter()
            .filter(|s| s.is_owed())
            .filter_map(|s| s.due.map(|d| (s.step, d)))
            .min_by_key(|(_, d)| *d)
            .map(|(i, d)| (rules.steps[i].id.clone(), d, minutes_down(window.to, d)))
    } else {
        None
    };
    let touched = !in_window_entries.is_empty() || !findings.is_empty();
    let whole = at_end.entries.len() == l.entries.len();
    Item {
        id: l.id.clone(),
        rules: Rc::clone(rules),
        row: IncidentRow::of(&l.id, &at_end, rules),
        is_new: window.contains(at_end.filed),
        closed_in_window,
        open_at_end,
        updates,
        escalations,
        findings,
        next_due,
        corrected_by: at_end
            .entries
            .iter()
            .filter(|e| !e.corrected_by.is_empty())
            .map(|e| (e.n, e.corrected_by.clone()))
            .collect(),
        touched,
        judged: Judged {
            // Moved, not cloned: a digest of a thousand open incidents keeps what it replayed.
            history: at_to.unwrap_or(at_end),
            eval,
        },
        whole,
    }
}

/// The reclassification the write of entry `n` caused: a write that changes the class appends
/// the reclassification right after its own entry, in the same transaction (and `import` derives
/// them the same way), so a change caused by a later correction rides on that correction, never
/// on the report it corrected.
fn caused_reclassification(entries: &[Entry], n: u32) -> Reclass {
    match entries.get(n as usize).map(|e| &e.body) {
        Some(Body::Reclassification { from, to, .. }) => Some((from.clone(), to.clone())),
        _ => None,
    }
}

impl Item {
    /// The corrections that apply to entry `n`.
    pub fn corrections_of(&self, n: u32) -> &[u32] {
        self.corrected_by
            .iter()
            .find(|(m, _)| *m == n)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duty_day_runs_from_day_start_to_day_start() {
        let r = Rules::builtin();
        let d = NaiveDate::from_ymd_opt(2026, 3, 11).expect("date");
        let w = Window::day(d, &r);
        assert_eq!(tz::rfc3339(r.tz, w.from), "2026-03-11T08:00:00+08:00");
        assert_eq!(tz::rfc3339(r.tz, w.to), "2026-03-12T08:00:00+08:00");
        assert!(w.contains(w.from));
        assert!(!w.contains(w.to));
    }

    #[test]
    fn the_latest_complete_day_has_ended() {
        let r = Rules::builtin();
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .expect("valid")
                .to_utc()
        };
        let w = Window::latest_complete_day(at("2026-03-12T09:00:00+08:00"), &r);
        assert_eq!(tz::rfc3339(r.tz, w.from), "2026-03-11T08:00:00+08:00");
        let w = Window::latest_complete_day(at("2026-03-12T08:00:00+08:00"), &r);
        assert_eq!(
            tz::rfc3339(r.tz, w.from),
            "2026-03-11T08:00:00+08:00",
            "ends exactly now"
        );
        let w = Window::latest_complete_day(at("2026-03-12T07:59:59+08:00"), &r);
        assert_eq!(tz::rfc3339(r.tz, w.from), "2026-03-10T08:00:00+08:00");
    }

    #[test]
    fn a_day_across_a_dst_change_is_23_or_25_hours() {
        let text = crate::rules::DEFAULT_TEXT.replace("Asia/Shanghai", "Europe/Berlin");
        let r = Rules::parse(&text, "berlin").expect("valid");
        let spring = Window::day(NaiveDate::from_ymd_opt(2026, 3, 28).expect("date"), &r);
        assert_eq!((spring.to - spring.from).num_hours(), 23);
        let autumn = Window::day(NaiveDate::from_ymd_opt(2026, 10, 24).expect("date"), &r);
        assert_eq!((autumn.to - autumn.from).num_hours(), 25);
        assert_eq!(tz::rfc3339(r.tz, autumn.to), "2026-10-25T08:00:00+01:00");
    }
}
