//! A finding in words, for a supervisor reading a table or a script logging `message`.

use crate::engine::{Finding, FindingKind, SkipReason};
use crate::i18n::{Lang, lang};
use crate::msg;
use crate::rules::{Field, Rules};
use crate::tz::short;

use super::{due_in, duration, late_by, level, overdue_by};

/// One sentence saying what is wrong (or due); the incident is named beside it, not in it.
pub fn message(f: &Finding, rules: &Rules) -> String {
    let tz = rules.tz;
    let step = &f.step;
    let what = what(f, rules);
    let due = f.due.map(|d| short(tz, d)).unwrap_or_default();
    let done = f.done.map(|d| short(tz, d)).unwrap_or_default();
    let minutes = f.minutes.unwrap_or(0);
    let m = match (f.kind, f.reason) {
        (FindingKind::Overdue, _) => {
            let by = overdue_by(minutes);
            msg!(
                "{step}: {what} was due {due}, {by}",
                "{step}：{what}时限为 {due}，{by}"
            )
        }
        (FindingKind::Late, _) => {
            let by = late_by(minutes);
            msg!(
                "{step}: {what} done {done}, due {due}, {by}",
                "{step}：{what}于 {done} 完成，时限 {due}，{by}"
            )
        }
        (FindingKind::DueSoon, _) => {
            let left = due_in(minutes);
            msg!(
                "{step}: {what} by {due}, {left}",
                "{step}：{what}须在 {due} 前完成，{left}"
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
                "{step} 越级：{told} 已报{higher}，但尚未报{lower}{note}"
            )
        }
        (FindingKind::Skipped, _) => msg!(
            "{step} skipped: closed without it ({what})",
            "{step} 漏报：终报前未{what}"
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
        " — reviewed by {by} at {at}: {note}",
        "（{by} 已于 {at} 审核：{note}）"
    )
    .to_string()
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
