//! An incident's state, derived from its entries: the one place the rules of a history live.
//!
//! Rules of this module:
//! - State is never stored independently of entries: `replay` folds the entries (corrections
//!   applied) into a [`History`]. Commands, `import` and the engine all go through it, so a typed
//!   record, an imported one and a checked one obey the same rules.
//! - Corrections apply in entry order; a correction claimed after the moment asked about does not
//!   apply yet, and an entry whose (corrected) claimed time is after that moment does not exist.
//! - Severity: the initial severity (declared, or implied by the figures) holds from the known
//!   time; a report whose figures imply a higher class, claimed within the kind's casualty
//!   window from occurrence, raises it from that report's time. Severity never falls by itself;
//!   figures reported outside the window are kept but never reclassify.
//! - Every invariant of a history is checked here, with a message that says what to do:
//!   times in order, known names, one initial report first, nothing reported after the final
//!   one, a declared severity no lower than the figures imply (不瞒报).

use super::model::{Body, Cause, Entry, EntryType, Figures, Header, Instant, Report};
use crate::i18n::Msg;
use crate::msg;
use crate::rules::{Rules, SevIdx};
use crate::tz;

/// An entry as it stands after the corrections that apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub n: u32,
    /// The claimed time, corrected.
    pub at: Instant,
    /// Who made the entry (a review shows its reviewer).
    pub by: String,
    pub body: Body,
    /// The numbers of the corrections applied to it.
    pub corrected_by: Vec<u32>,
}

/// A moment the incident's severity changed (the first is the initial severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeverityChange {
    pub at: Instant,
    pub severity: SevIdx,
    /// The entry whose figures (or declaration) set it.
    pub entry: u32,
}

/// An incident's state as of some moment.
#[derive(Debug, Clone)]
pub struct History {
    pub header: Header,
    /// The rules hash the incident is pinned to.
    pub rules: String,
    /// The initial report's claimed time.
    pub filed: Instant,
    /// The final report's claimed time, once closed.
    pub closed: Option<Instant>,
    /// The latest value of each figure.
    pub figures: Figures,
    /// The latest cause reported.
    pub cause: Option<Cause>,
    pub timeline: Vec<SeverityChange>,
    /// Every entry that exists at that moment, in entry order, corrections applied.
    pub entries: Vec<Effective>,
}

impl History {
    /// The current severity.
    pub fn severity(&self) -> SevIdx {
        self.timeline.last().map_or(0, |c| c.severity)
    }

    /// The severity at `t` (`None` before the known time).
    pub fn severity_at(&self, t: Instant) -> Option<SevIdx> {
        self.timeline
            .iter()
            .take_while(|c| c.at <= t)
            .last()
            .map(|c| c.severity)
    }

    /// When the incident first reached at least `min`.
    pub fn reached(&self, min: SevIdx) -> Option<Instant> {
        self.timeline
            .iter()
            .find(|c| c.severity >= min)
            .map(|c| c.at)
    }

    /// When the incident first rose above `max`.
    pub fn left(&self, max: SevIdx) -> Option<Instant> {
        self.timeline
            .iter()
            .find(|c| c.severity > max)
            .map(|c| c.at)
    }

    /// Whether this whole history (replayed from `entries` as of no moment) is also the history
    /// as of `t`: nothing claimed after `t`, as typed or as corrected. Where it is, a judge at
    /// `t` needs no second replay.
    pub fn complete_at(&self, entries: &[Entry], t: Instant) -> bool {
        entries.iter().all(|e| e.at <= t) && self.entries.iter().all(|e| e.at <= t)
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// The report entries, in claimed-time order (entry order breaks ties).
    pub fn reports(&self) -> Vec<&Effective> {
        let mut r: Vec<&Effective> = self
            .entries
            .iter()
            .filter(|e| e.body.report().is_some())
            .collect();
        r.sort_by_key(|e| (e.at, e.n));
        r
    }

    pub fn entry(&self, n: u32) -> Option<&Effective> {
        self.entries.iter().find(|e| e.n == n)
    }
}

/// The hash of the rules an incident was filed under, as its hashed initial report names it
/// (the row's copy of it is only a copy).
pub fn pinned_rules(entries: &[Entry]) -> Option<&str> {
    match entries.first().map(|e| &e.body) {
        Some(Body::Initial { rules, .. }) => Some(rules),
        _ => None,
    }
}

/// Replays `entries` (in entry order) under `rules`, as of `as_of` (everything when `None`).
/// `Ok(None)` when the incident does not exist yet at `as_of`.
pub fn replay(
    entries: &[Entry],
    rules: &Rules,
    as_of: Option<Instant>,
) -> Result<Option<History>, Msg> {
    let visible = |t: Instant| as_of.is_none_or(|a| t <= a);
    let tzz = rules.tz;

    // 1. Apply corrections (those claimed by `as_of`) to their targets.
    let mut eff: Vec<Effective> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if e.n != expected {
            let n = e.n;
            return Err(msg!(
                "entry {n} is out of sequence (expected {expected}): the record is damaged; run `sitrep verify`",
                "第 {n} 条记录序号错误（应为 {expected}）：记录已损坏，请运行 `sitrep verify`"
            ));
        }
        if let Body::Correction {
            corrects, changes, ..
        } = &e.body
            && visible(e.at)
        {
            let target = eff
                .iter_mut()
                .find(|t| t.n == *corrects)
                .ok_or_else(|| no_such_entry(*corrects, e.n))?;
            correct::apply(target, changes, e.n)?;
        }
        eff.push(Effective {
            n: e.n,
            at: e.at,
            by: e.by.clone(),
            body: e.body.clone(),
            corrected_by: Vec::new(),
        });
    }

    // 2. The initial report must come first, and exist at `as_of`.
    let Some(first) = eff.first() else {
        return Ok(None);
    };
    let Body::Initial {
        header,
        rules: pinned,
        ..
    } = &first.body
    else {
        return Err(msg!(
            "the first entry is not an initial report: the record is damaged; run `sitrep verify`",
            "第一条记录不是首报：记录已损坏，请运行 `sitrep verify`"
        ));
    };
    if !visible(first.at) {
        return Ok(None);
    }
    let header = header.clone();
    let pinned = pinned.clone();
    let filed = first.at;
    check_header(&header, filed, rules)?;

    // 3. Keep what exists at `as_of` and check every entry against the rules and the clock.
    eff.retain(|e| visible(e.at));
    let mut closed: Option<(Instant, u32)> = None;
    let mut by_time: Vec<&Effective> = eff.iter().collect();
    by_time.sort_by_key(|e| (e.at, e.n));
    for e in &by_time {
        check_entry(e, &header, filed, rules)?;
        if let Some((t, n)) = closed
            && !matches!(
                e.body.entry_type(),
                EntryType::Correction | EntryType::Reclassification | EntryType::Review
            )
        {
            let (what, what_zh) = e.body.entry_type().names();
            let en = e.n;
            let shown = tz::short(tzz, t);
            return Err(msg!(
                "entry {en} ({what}) comes after the final report (entry {n}, {shown}), which closed the incident: nothing is reported after it; correct the final report instead",
                "第 {en} 条（{what_zh}）晚于终报（第 {n} 条，{shown}），事件已终报：其后不能再报送；如需修改请更正终报"
            ));
        }
        if matches!(e.body, Body::Final { .. }) {
            closed = Some((e.at, e.n));
        }
    }

    // 4. Figures, cause and severity, in claimed-time order.
    let occurred = header.occurred;
    let window_end = rules
        .casualty_window(&header.kind)
        .after(occurred, tzz, &rules.calendar);
    let in_window = |t: Instant| t <= window_end;
    // A severity with its own casualty window counts only figures reported within it.
    let counts_at = |t: Instant| {
        move |s: &crate::rules::Severity| {
            s.casualty_window
                .is_none_or(|w| t <= w.after(occurred, tzz, &rules.calendar))
        }
    };
    let mut figures = Figures::new();
    let mut cause = None;
    let mut timeline: Vec<SeverityChange> = Vec::new();
    for e in by_time.iter().filter(|e| e.body.report().is_some()) {
        let Some(report) = e.body.report() else {
            continue;
        };
        figures.extend(report.figures.iter().map(|(k, v)| (k.clone(), *v)));
        if report.cause.is_some() {
            cause.clone_from(&report.cause);
        }
        let implied = rules.severity_for(|f| figures.get(f).copied(), counts_at(e.at));
        let declared = e
            .body
            .declared_severity()
            .map(|id| rules.known_severity(id))
            .transpose()?;
        if let Some(d) = declared
            && in_window(e.at)
            && d < implied
        {
            return Err(concealed(d, implied, &figures, rules));
        }
        if e.n == 1 {
            // The initial report's class: declared, or implied by its figures; it holds from
            // the known time.
            timeline.push(SeverityChange {
                at: header.known,
                severity: declared.unwrap_or(implied),
                entry: 1,
            });
            continue;
        }
        let current = timeline.last().map_or(0, |c| c.severity);
        let mut next = current;
        if in_window(e.at) {
            next = next.max(implied);
        }
        if let Some(d) = declared {
            if d < current {
                return Err(falls(e.n, d, current, rules));
            }
            next = next.max(d);
        }
        if next > current {
            timeline.push(SeverityChange {
                at: e.at,
                severity: next,
                entry: e.n,
            });
        }
    }

    Ok(Some(History {
        header,
        rules: pinned,
        filed,
        closed: closed.map(|(t, _)| t),
        figures,
        cause,
        timeline,
        entries: eff,
    }))
}

fn no_such_entry(target: u32, by: u32) -> Msg {
    msg!(
        "entry {by} corrects entry {target}, which does not come before it",
        "第 {by} 条更正第 {target} 条，但被更正的记录不在其前"
    )
}

fn check_header(h: &Header, filed: Instant, rules: &Rules) -> Result<(), Msg> {
    rules.known_kind(&h.kind)?;
    check_initial_times(h.occurred, h.known, filed, rules.tz)
}

/// The times of an initial report in order: it occurred, then the office knew of it, then it
/// was reported (`filed`, the report's claimed time).
pub fn check_initial_times(
    occurred: Instant,
    known: Instant,
    filed: Instant,
    z: chrono_tz::Tz,
) -> Result<(), Msg> {
    if known < occurred {
        let (k, o) = (tz::short(z, known), tz::short(z, occurred));
        return Err(msg!(
            "the known time {k} is before the occurred time {o}: the office cannot learn of an incident before it happens; check both times",
            "获知时间 {k} 早于发生时间 {o}：不可能在事件发生前获知，请核对两个时间"
        ));
    }
    if filed < known {
        let (k, f) = (tz::short(z, known), tz::short(z, filed));
        return Err(msg!(
            "the initial report's time {f} is before the known time {k}: nothing can be reported before it is known; give --known no later than --at",
            "首报时间 {f} 早于获知时间 {k}：获知之前无法报告；--known 不应晚于 --at"
        ));
    }
    Ok(())
}

fn check_entry(e: &Effective, h: &Header, filed: Instant, rules: &Rules) -> Result<(), Msg> {
    let z = rules.tz;
    let n = e.n;
    let (what, what_zh) = e.body.entry_type().names();
    // Nothing is reported before the office knew of the incident (the initial report's own
    // time is checked against the known time by `check_header`).
    if e.n > 1 && e.at < h.known {
        let (a, k) = (tz::short(z, e.at), tz::short(z, h.known));
        return Err(msg!(
            "entry {n} ({what}) at {a} is before the known time {k}: nothing is reported before the office knew of the incident; if it knew earlier, correct the known time first (sitrep correct ID --entry 1 --known '{a}' --reason …)",
            "第 {n} 条（{what_zh}）时间 {a} 早于获知时间 {k}：获知之前不可能报送；如实际获知更早，请先更正获知时间（sitrep correct 编号 --entry 1 --known '{a}' --reason …）"
        ));
    }
    if matches!(e.body, Body::Followup { .. } | Body::Final { .. }) && e.at < filed {
        let (a, f) = (tz::short(z, e.at), tz::short(z, filed));
        return Err(msg!(
            "entry {n} ({what}) at {a} is before the initial report ({f}): a later report cannot precede the first; check --at",
            "第 {n} 条（{what_zh}）时间 {a} 早于首报时间 {f}：续报、终报不能早于首报，请核对 --at"
        ));
    }
    if let Some(r) = e.body.report() {
        check_report(r, rules)?;
    }
    if let Body::Escalation { escalation } = &e.body {
        rules.known_level(&escalation.level)?;
        rules.known_channel(&escalation.channel)?;
    }
    Ok(())
}

fn check_report(r: &Report, rules: &Rules) -> Result<(), Msg> {
    for (name, value) in &r.figures {
        rules.known_figure(name)?;
        check_figure(name, *value)?;
    }
    Ok(())
}

/// The most people a count may say: more than any accident has had, so a larger number is a
/// typing slip, and sums of many incidents stay far from overflowing.
pub const MAX_PEOPLE: i64 = 10_000_000;

/// The largest amount (yuan) or other declared figure.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// A figure's value within its bounds: 0 to [`MAX_PEOPLE`] for the built-in counts of people,
/// 0 to [`MAX_AMOUNT`] for `direct_loss` and the figures a rules file declares.
pub fn check_figure(name: &str, value: i64) -> Result<(), Msg> {
    let people = crate::rules::BUILTIN_FIGURES.contains(&name) && name != "direct_loss";
    let max = if people { MAX_PEOPLE } else { MAX_AMOUNT };
    if value < 0 {
        return Err(msg!(
            "figure `{name}` is {value}: figures cannot be negative",
            "统计项“{name}”为 {value}：不能为负数"
        ));
    }
    if value > max {
        return Err(if people {
            msg!(
                "figure `{name}` is {value}, more than {max} people: check the number",
                "统计项“{name}”为 {value}，超过 {max} 人：请核对数字"
            )
        } else {
            msg!(
                "figure `{name}` is {value}, more than {max}: check the number",
                "统计项“{name}”为 {value}，超过 {max}：请核对数字"
            )
        });
    }
    Ok(())
}

/// Severity never falls by a report: a declaration below the current class is refused.
fn falls(n: u32, declared: SevIdx, current: SevIdx, rules: &Rules) -> Msg {
    let (d, c) = (&rules.severities[declared], &rules.severities[current]);
    let (did, dl, cid, cl) = (&d.id, &d.label, &c.id, &c.label);
    msg!(
        "entry {n} declares {did} ({dl}), below the incident's current severity {cid} ({cl}): severity never falls by a report; if the class was wrong, correct the report that set it (sitrep correct --severity)",
        "第 {n} 条申报等级{dl}，低于事件当前等级{cl}：等级不会因报告而降低；如原等级有误，请更正设定等级的那条记录（sitrep correct --severity）"
    )
}

/// 不瞒报: the refusal of a declared severity below what the figures imply.
fn concealed(declared: SevIdx, implied: SevIdx, figures: &Figures, rules: &Rules) -> Msg {
    let d = &rules.severities[declared];
    let i = &rules.severities[implied];
    let (did, dl, iid, il) = (&d.id, &d.label, &i.id, &i.label);
    let met = |zh: bool| {
        i.at_least
            .iter()
            .filter(|(f, min)| figures.get(*f).is_some_and(|v| v >= *min))
            .map(|(f, min)| {
                let v = figures.get(f).copied().unwrap_or(0);
                if zh {
                    let name = rules.figure_zh(f);
                    let unit = if f.as_str() == "direct_loss" {
                        "元"
                    } else if crate::rules::BUILTIN_FIGURES.contains(&f.as_str()) {
                        "人"
                    } else {
                        ""
                    };
                    format!("{name}{v}{unit} ≥ {min}{unit}")
                } else {
                    format!("{f} {v} ≥ {min}")
                }
            })
            .collect::<Vec<_>>()
    };
    let (met_en, met_zh) = (met(false).join(", "), met(true).join("，"));
    msg!(
        "severity {did} ({dl}) is lower than the figures imply: {met_en} makes it at least {iid} ({il}); declare {iid} or higher, or leave --severity out. Nothing was recorded",
        "申报等级{dl}低于伤亡损失数字对应的等级：{met_zh}，至少应为{il}；请申报{il}或更高等级，或不填 --severity。未作任何记录"
    )
}

mod correct;

#[cfg(test)]
mod tests;
