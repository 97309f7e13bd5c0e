//! Rendering: tables, JSON, Markdown, CSV and HTML pages, kept apart from deciding.
//!
//! Rules of this module:
//! - Renderers take decided values (histories, evaluations, rows) and return text or JSON; they
//!   never query, never read the clock, never decide a status.
//! - Times are shown in the rules' zone: RFC 3339 with its offset in JSON, `YYYY-MM-DD HH:MM`
//!   in tables and Markdown. Durations are whole minutes in JSON and `2h15m` / `2小时15分` for
//!   people.
//! - Data (titles, facts, rule labels) is shown as typed. Rule items are shown by label in
//!   Chinese (`较大`) and by id beside the label in English (`larger (较大)`).

/// `writeln!` into a `String`, which cannot fail: renderers build text and return it.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

pub mod check;
pub mod csv;
pub mod digest;
pub mod digest_md;
pub mod digest_table;
pub mod finding;
pub mod html;
mod html_digest;
mod html_svg;
pub mod json;
pub mod list;
pub mod markdown;
pub mod outcome;
pub mod rules;
pub mod show;
pub mod table;
pub mod timeline;
pub mod written;

use crate::i18n::{Lang, lang, pick};
use crate::rules::{Duty, Rules, Step};

/// A rule item for people: the label in Chinese, `id (label)` in English.
pub fn item(id: &str, label: &str) -> String {
    if id == label {
        return id.to_owned();
    }
    match lang() {
        Lang::Zh => label.to_owned(),
        Lang::En => format!("{id} ({label})"),
    }
}

pub fn severity(rules: &Rules, id: &str) -> String {
    rules
        .severities
        .iter()
        .find(|s| s.id == id)
        .map_or_else(|| id.to_owned(), |s| item(&s.id, &s.label))
}

pub fn kind(rules: &Rules, id: &str) -> String {
    rules
        .kind(id)
        .map_or_else(|| id.to_owned(), |k| item(&k.id, &k.label))
}

pub fn level(rules: &Rules, id: &str) -> String {
    rules.level_index(id).map_or_else(
        || id.to_owned(),
        |i| item(&rules.levels[i].id, &rules.levels[i].label),
    )
}

/// The class an incident is under and why: `较大：死亡3人 ≥ 3人` / `larger (较大): deaths 3 ≥ 3`;
/// declared, or below the next class's thresholds.
pub fn class_reason(rules: &Rules, h: &crate::domain::replay::History) -> String {
    let sev = h.severity();
    let class = severity(rules, &rules.severities[sev].id);
    let declared = h
        .entries
        .first()
        .and_then(|e| e.body.declared_severity())
        .and_then(|d| rules.severity_index(d))
        == Some(sev);
    let s = &rules.severities[sev];
    let met: Vec<String> = s
        .at_least
        .iter()
        .filter(|(f, min)| h.figures.get(*f).is_some_and(|v| v >= *min))
        .map(|(f, min)| {
            let v = h.figures.get(f).copied().unwrap_or(0);
            let (name, unit) = (
                figure_name(rules, f),
                if is_people(f) { pick("", "人") } else { "" },
            );
            format!(
                "{name}{}{}{unit} ≥ {}{unit}",
                pick(" ", ""),
                figure_value(f, v),
                figure_value(f, *min)
            )
        })
        .collect();
    let sep = pick(": ", "：");
    if !met.is_empty() && !declared {
        return format!("{class}{sep}{}", met.join(pick(", ", "，")));
    }
    if declared {
        return format!("{class}{sep}{}", pick("declared", "申报"));
    }
    match rules.severities.get(sev + 1) {
        Some(next) => {
            let next = severity(rules, &next.id);
            match lang() {
                Lang::En => format!("{class}{sep}below the thresholds of {next}"),
                Lang::Zh => format!("{class}{sep}未达到{next}标准"),
            }
        }
        None => class,
    }
}

/// A channel for people: its label in Chinese (`书面`), `id (label)` in English.
pub fn channel(rules: &Rules, id: &str) -> String {
    rules
        .channels
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_owned(), |c| item(&c.id, &c.label))
}

/// A step for people: its label if it has one, else its id.
pub fn step_name(step: &Step) -> String {
    match &step.label {
        Some(l) => item(&step.id, l),
        None => step.id.clone(),
    }
}

/// A step for people, by its id in `rules` (the id itself when the rules have no such step).
pub fn step_by_id(rules: &Rules, id: &str) -> String {
    rules
        .step_index(id)
        .map_or_else(|| id.to_owned(), |i| step_name(&rules.steps[i]))
}

/// What a step asks, in words: "tell city (市委市政府总值班室) via written", "followup report (续报)".
pub fn duty(rules: &Rules, step: &Step) -> String {
    match &step.duty {
        Duty::Escalate { level: l, channel } => {
            let who = item(&rules.levels[*l].id, &rules.levels[*l].label);
            let channel = channel.as_deref().map(|c| self::channel(rules, c));
            match (channel, lang()) {
                (Some(c), Lang::En) => format!("tell {who} via {c}"),
                (Some(c), Lang::Zh) => format!("{c}报{who}"),
                (None, Lang::En) => format!("tell {who}"),
                (None, Lang::Zh) => format!("报{who}"),
            }
        }
        Duty::Report(stage) => {
            let l = &rules.reports.get(*stage).label;
            match lang() {
                Lang::En => format!("{} report ({l})", stage.as_str()),
                Lang::Zh => l.clone(),
            }
        }
    }
}

/// For a step whose clock waits for another: "starts when city-phone is done" / "待…完成后起算".
pub fn waiting(rules: &Rules, step: &Step) -> String {
    let names: Vec<String> = match &step.clock {
        crate::rules::Clock::Once { from, .. } => from
            .iter()
            .filter_map(|a| match a {
                crate::rules::Anchor::Step(j) | crate::rules::Anchor::Last(j) => {
                    Some(step_name(&rules.steps[*j]))
                }
                _ => None,
            })
            .collect(),
        crate::rules::Clock::Every(_) => Vec::new(),
    };
    let names = names.join(if lang() == Lang::Zh { "、" } else { ", " });
    match lang() {
        Lang::En => format!("starts when {names} is done"),
        Lang::Zh => format!("待{names}完成后起算"),
    }
}

/// A duration of the rules for people: `15m` / `15分钟`, `1mo` / `1个月`, `4bd` / `4个工作日`.
pub fn span(sp: crate::rules::Span) -> String {
    use crate::rules::Unit;
    match lang() {
        Lang::En => sp.to_string(),
        Lang::Zh => {
            let unit = match sp.unit {
                Unit::Minutes => "分钟",
                Unit::Hours => "小时",
                Unit::Days => "天",
                Unit::Weeks => "周",
                Unit::Months => "个月",
                Unit::BusinessDays => "个工作日",
            };
            format!("{}{unit}", sp.n)
        }
    }
}

/// A cause for people: its words and certainty, "(原因不明)" alone when it has no words.
pub fn cause(c: &crate::domain::model::Cause) -> String {
    let status = cause_status(c.status);
    if c.text.is_empty() {
        return status.to_owned();
    }
    match lang() {
        Lang::Zh => format!("{}（{status}）", c.text),
        Lang::En => format!("{} ({status})", c.text),
    }
}

/// A cause's certainty for people.
pub fn cause_status(s: crate::domain::model::CauseStatus) -> &'static str {
    use crate::domain::model::CauseStatus as C;
    match (s, lang()) {
        (s, Lang::En) => s.as_str(),
        (C::Unknown, Lang::Zh) => "原因不明",
        (C::Preliminary, Lang::Zh) => "初步判断",
        (C::Confirmed, Lang::Zh) => "已查明",
    }
}

/// `2h15m` / `2小时15分`, `3d4h` / `3天4小时`, `30m` / `30分钟`.
pub fn duration(minutes: i64) -> String {
    let m = minutes.abs();
    let (d, h, mi) = (m / 1440, (m % 1440) / 60, m % 60);
    let zh = lang() == Lang::Zh;
    let mut s = String::new();
    if d > 0 {
        s.push_str(&format!("{d}{}", if zh { "天" } else { "d" }));
    }
    if h > 0 {
        s.push_str(&format!("{h}{}", if zh { "小时" } else { "h" }));
    }
    if mi > 0 || s.is_empty() {
        // Chinese says 30分钟 alone, but 2小时15分 after a larger unit.
        let unit = match (zh, s.is_empty()) {
            (true, true) => "分钟",
            (true, false) => "分",
            (false, _) => "m",
        };
        s.push_str(&format!("{mi}{unit}"));
    }
    s
}

/// "due in 30m" / "30分钟后到期".
pub fn due_in(minutes: i64) -> String {
    let d = duration(minutes);
    match lang() {
        Lang::En => format!("due in {d}"),
        Lang::Zh => format!("{d}后到期"),
    }
}

/// "2h15m overdue" / "已超时2小时15分".
pub fn overdue_by(minutes: i64) -> String {
    let d = duration(minutes);
    match lang() {
        Lang::En => format!("{d} overdue"),
        Lang::Zh => format!("已超时{d}"),
    }
}

/// "15m late" / "迟报15分".
pub fn late_by(minutes: i64) -> String {
    let d = duration(minutes);
    match lang() {
        Lang::En => format!("{d} late"),
        Lang::Zh => format!("迟报{d}"),
    }
}

/// A figure's value for people: loss in yuan with 万 in Chinese.
pub fn figure_value(name: &str, value: i64) -> String {
    if name == "direct_loss" && lang() == Lang::Zh && value >= 10_000 && value % 100 == 0 {
        let wan = value as f64 / 10_000.0;
        let s = format!("{wan:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return format!("{s}万元");
    }
    if name == "direct_loss" {
        return match lang() {
            Lang::Zh => format!("{value}元"),
            Lang::En => format!("{value} yuan"),
        };
    }
    value.to_string()
}

/// Whether a figure counts people (the built-in counts; `direct_loss` is money, and a figure a
/// rules file declares says its own unit in its label).
pub fn is_people(name: &str) -> bool {
    crate::rules::BUILTIN_FIGURES.contains(&name) && name != "direct_loss"
}

/// A figure's name for people.
pub fn figure_name(rules: &Rules, name: &str) -> String {
    let builtin = crate::rules::BUILTIN_FIGURES.contains(&name);
    match (builtin, lang()) {
        (true, Lang::Zh) => rules.figure_zh(name),
        (true, Lang::En) => name.to_owned(),
        (false, _) => rules
            .figures
            .iter()
            .find(|f| f.id == name)
            .map_or_else(|| name.to_owned(), |f| item(&f.id, &f.label)),
    }
}

/// Figures on one line: "deaths 2, injuries 5" / "死亡2人，受伤5人".
pub fn figures_line(rules: &Rules, figures: &crate::domain::model::Figures) -> String {
    let names = rules.figure_names();
    let mut parts: Vec<String> = Vec::new();
    for name in names {
        if let Some(v) = figures.get(name) {
            let (n, v) = (figure_name(rules, name), figure_value(name, *v));
            parts.push(match lang() {
                // 死亡2人，直接经济损失1200万元: counts of people carry 人.
                Lang::Zh if is_people(name) => format!("{n}{v}人"),
                Lang::Zh => format!("{n}{v}"),
                Lang::En => format!("{n} {v}"),
            });
        }
    }
    if parts.is_empty() {
        return crate::i18n::Label::None.text().to_owned();
    }
    parts.join(if lang() == Lang::Zh { "，" } else { ", " })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally_in_chinese() {
        crate::i18n::set_lang(Lang::Zh);
        let got = (due_in(30), overdue_by(135), duration(1440 * 2 + 60));
        crate::i18n::set_lang(Lang::En);
        assert_eq!(got.0, "30分钟后到期");
        assert_eq!(got.1, "已超时2小时15分");
        assert_eq!(got.2, "2天1小时");
        assert_eq!(due_in(30), "due in 30m");
        assert_eq!(overdue_by(135), "2h15m overdue");
    }

    #[test]
    fn durations_in_whole_units() {
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(15), "15m");
        assert_eq!(duration(135), "2h15m");
        assert_eq!(duration(60), "1h");
        assert_eq!(duration(1440 + 61), "1d1h1m");
    }
}
