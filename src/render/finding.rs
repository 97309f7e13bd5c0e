//! A finding in words, for a supervisor reading a table or a script logging `message`.

use crate::engine::{Finding, FindingKind, SkipReason};
use crate::i18n::{Lang, lang, pick};
use crate::msg;
use crate::rules::{Field, Rules};
use crate::tz::short;

use super::{due_in, duration, late_by, level, overdue_by};

/// One sentence saying what is wrong (or due); the incident is named beside it, not in it.
pub fn message(f: &Finding, rules: &Rules) -> String {
    let tz = rules.tz;
    let step = &f.step;
    let what = what(f, rules);
    // In Chinese a step is named by its label, or by what it asks: never by its id.
    let subj = subject(f, rules);
    let due = f.due.map(|d| short(tz, d)).unwrap_or_default();
    let done = f.done.map(|d| short(tz, d)).unwrap_or_default();
    let minutes = f.minutes.unwrap_or(0);
    let m = match (f.kind, f.reason) {
        (FindingKind::Overdue, _) => {
            let by = overdue_by(minutes);
            msg!(
                "{step}: {what} was due {due}, {by}",
                "{subj}：时限为 {due}，{by}"
            )
        }
        (FindingKind::Late, _) => {
            let by = late_by(minutes);
            msg!(
                "{step}: {what} done {done}, due {due}, {by}",
                "{subj}：于 {done} 完成，时限 {due}，{by}"
            )
        }
        (FindingKind::DueSoon, _) => {
            let left = due_in(minutes);
            msg!(
                "{step}: {what} by {due}, {left}",
                "{subj}：须在 {due} 前完成，{left}"
            )
        }
        (FindingKind::Skipped, Some(SkipReason::Bypassed)) => {
            let higher = f
                .bypassed_by
                .as_deref()
                .map(|l| level(rules, l))
                .unwrap_or_default();
            let lower = f
                .level
                .as_deref()
                .map(|l| level(rules, l))
                .unwrap_or_default();
            let told = f.bypassed_at.map(|d| short(tz, d)).unwrap_or_default();
            let note = match (&f.note, lang()) {
                (Some(r), Lang::En) => format!(" (reason given: {r})"),
                (Some(r), Lang::Zh) => format!("（所述理由：{r}）"),
                (None, _) => String::new(),
            };
            msg!(
                "{step} skipped: {higher} told at {told} before {lower}{note}",
                "{subj} 越级：{told} 已报{higher}，但尚未报{lower}{note}"
            )
        }
        (FindingKind::Skipped, _) => msg!(
            "{step} skipped: closed without it ({what})",
            "{subj} 漏报：终报前未完成"
        ),
        (FindingKind::Incomplete, _) => {
            let n = f.entry.unwrap_or(0);
            let missing = f
                .missing
                .iter()
                .map(|m| field_name(*m))
                .collect::<Vec<_>>()
                .join(if lang() == Lang::Zh { "、" } else { ", " });
            let stage = stage_label(rules, step);
            msg!(
                "{stage} (entry {n}, {done}) lacks {missing}",
                "{stage}（第 {n} 条，{done}）缺少{missing}"
            )
        }
        (FindingKind::PrematureCause, _) => {
            let n = f.entry.unwrap_or(0);
            let stage = stage_label(rules, step);
            let allowed = allowed_stages(rules);
            msg!(
                "{stage} (entry {n}, {done}) states a confirmed cause; report causes as preliminary until the {allowed}",
                "{stage}（第 {n} 条，{done}）报告了已确认的原因；{allowed}之前原因应报为初步判断"
            )
        }
    };
    m.to_string()
}

/// Content a later report supplied: "initial report (首报, entry 1) lacked measures: supplied by
/// entry 3 at 2026-03-10 15:00".
pub fn supplied(s: &crate::engine::Supplied, rules: &Rules) -> String {
    let stage = stage_label(rules, s.stage.as_str());
    let field = field_name(s.field);
    let (n, by, at) = (s.entry, s.by, short(rules.tz, s.at));
    msg!(
        "{stage} (entry {n}) lacked {field}: supplied by entry {by} at {at}",
        "{stage}（第 {n} 条）缺少的{field}已由第 {by} 条于 {at} 补报"
    )
    .to_string()
}

/// A review beside its finding: " — reviewed by 李科长 at 2026-03-11 09:00: 已约谈".
pub fn reviewed(r: &crate::engine::Reviewed, tz: chrono_tz::Tz) -> String {
    let (by, at, note) = (&r.by, short(tz, r.at), &r.note);
    msg!(
        "reviewed by {by} at {at}: {note}",
        "{by} 已于 {at} 审核：{note}"
    )
    .to_string()
}

/// A review after its finding's sentence: " (reviewed by …)" / "（…审核：…）".
pub fn reviewed_suffix(r: &crate::engine::Reviewed, tz: chrono_tz::Tz) -> String {
    let text = reviewed(r, tz);
    match lang() {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

/// A finding's step for people: the step's label, or what it asks; for a content finding, the
/// report's stage.
pub fn subject(f: &Finding, rules: &Rules) -> String {
    match rules.step_index(&f.step) {
        Some(i) => {
            let step = &rules.steps[i];
            match (&step.label, lang()) {
                (Some(l), Lang::Zh) => l.clone(),
                (_, Lang::Zh) => super::duty(rules, step),
                (_, Lang::En) => super::step_name(step),
            }
        }
        None => stage_label(rules, &f.step),
    }
}

/// The part of a finding a table has no column for: who was told first, what a report lacks,
/// the reason given; empty for a step that was only late or is overdue or due.
pub fn detail(f: &Finding, rules: &Rules) -> String {
    let tz = rules.tz;
    match (f.kind, f.reason) {
        (FindingKind::Skipped, Some(SkipReason::Bypassed)) => {
            let higher = f
                .bypassed_by
                .as_deref()
                .map(|l| level(rules, l))
                .unwrap_or_default();
            let told = f.bypassed_at.map(|d| short(tz, d)).unwrap_or_default();
            let mut s = msg!("{higher} told first, {told}", "先报{higher}（{told}）").to_string();
            if let Some(r) = &f.note {
                s.push_str(&msg!("; reason given: {r}", "；所述理由：{r}").to_string());
            }
            s
        }
        (FindingKind::Skipped, _) => pick("closed without it", "终报前未完成").to_owned(),
        (FindingKind::Incomplete, _) => {
            let missing = f
                .missing
                .iter()
                .map(|m| field_name(*m))
                .collect::<Vec<_>>()
                .join(pick(", ", "、"));
            msg!("lacks {missing}", "缺少{missing}").to_string()
        }
        (FindingKind::PrematureCause, _) => {
            pick("a confirmed cause too early", "过早报告已确认原因").to_owned()
        }
        _ => String::new(),
    }
}

/// What the step asks, in words.
fn what(f: &Finding, rules: &Rules) -> String {
    rules
        .step_index(&f.step)
        .map(|i| super::duty(rules, &rules.steps[i]))
        .unwrap_or_else(|| f.step.clone())
}

fn stage_label(rules: &Rules, stage: &str) -> String {
    crate::rules::Stage::ALL
        .iter()
        .find(|s| s.as_str() == stage)
        .map_or_else(
            || stage.to_owned(),
            |s| {
                let label = &rules.reports.get(*s).label;
                match lang() {
                    Lang::En => format!("{stage} report ({label})"),
                    Lang::Zh => label.clone(),
                }
            },
        )
}

fn allowed_stages(rules: &Rules) -> String {
    crate::rules::Stage::ALL
        .iter()
        .filter(|s| rules.reports.get(**s).confirmed_cause)
        .map(|s| stage_label(rules, s.as_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A content field's name for people.
pub fn field_name(f: Field) -> String {
    let (en, zh) = match f {
        Field::Facts => ("facts", "基本情况"),
        Field::Progress => ("progress", "进展情况"),
        Field::Summary => ("summary", "总结"),
        Field::Measures => ("measures", "已采取的措施"),
        Field::Cause => ("cause", "原因"),
        Field::Figures => ("figures", "伤亡损失数字"),
    };
    crate::i18n::pick(en, zh).to_owned()
}

/// Minutes for a table cell: "2h15m overdue", "15m late", "due in 5m".
pub fn minutes_cell(f: &Finding) -> String {
    match (f.kind, f.minutes) {
        (FindingKind::Overdue, Some(m)) => overdue_by(m),
        (FindingKind::Late, Some(m)) => late_by(m),
        (FindingKind::DueSoon, Some(m)) => due_in(m),
        (_, Some(m)) => duration(m),
        (_, None) => String::new(),
    }
}

/// Counts of findings by kind, every kind said: `overdue 1, late 0, …`.
pub fn counts_line(c: &crate::check::Counts) -> String {
    c.by_kind
        .iter()
        .map(|(k, n)| format!("{} {n}", super::table::kind_text(*k)))
        .collect::<Vec<_>>()
        .join(pick(", ", "，"))
}
