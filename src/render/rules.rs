//! `rules check`'s output: what a rules file says, for people (tables) and scripts (JSON).
//! Pure: rules in, text out.

use serde_json::json;

use crate::i18n::{Label, pick};
use crate::msg;
use crate::render::table::{self, Layout};
use crate::rules::{Anchor, Clock, Duty, Rules};

fn anchors(rules: &Rules, a: &[Anchor]) -> String {
    let zh = crate::i18n::lang() == crate::i18n::Lang::Zh;
    a.iter()
        .map(|a| match (a, zh) {
            (Anchor::Occurred, false) => "occurred".to_owned(),
            (Anchor::Known, false) => "known".to_owned(),
            (Anchor::Step(i), false) => format!("step:{}", rules.steps[*i].id),
            (Anchor::Last(i), false) => format!("last:{}", rules.steps[*i].id),
            (Anchor::Occurred, true) => "发生".to_owned(),
            (Anchor::Known, true) => "获知".to_owned(),
            (Anchor::Step(i), true) => format!("“{}”完成", super::step_name(&rules.steps[*i])),
            (Anchor::Last(i), true) => {
                format!("最近一次“{}”", super::step_name(&rules.steps[*i]))
            }
        })
        .collect::<Vec<_>>()
        .join(pick(" | ", "或"))
}

/// The JSON form of anchors (ids, whatever the language).
fn anchor_ids(rules: &Rules, a: &[Anchor]) -> String {
    a.iter()
        .map(|a| match a {
            Anchor::Occurred => "occurred".to_owned(),
            Anchor::Known => "known".to_owned(),
            Anchor::Step(i) => format!("step:{}", rules.steps[*i].id),
            Anchor::Last(i) => format!("last:{}", rules.steps[*i].id),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn applies(rules: &Rules, min: usize, max: usize) -> String {
    let s = &rules.severities;
    if min == 0 && max == s.len() - 1 {
        return Label::All.text().to_owned();
    }
    s[min..=max]
        .iter()
        .map(|x| super::item(&x.id, &x.label))
        .collect::<Vec<_>>()
        .join(", ")
}

fn timing(rules: &Rules, c: &Clock) -> String {
    let zh = crate::i18n::lang() == crate::i18n::Lang::Zh;
    match c {
        Clock::Once {
            from,
            within,
            no_later_than,
        } => {
            let (w, from) = (super::span(*within), anchors(rules, from));
            let mut s = if zh {
                format!("{from}后{w}")
            } else {
                format!("{w} after {from}")
            };
            for (a, sp) in no_later_than {
                let (w, a) = (super::span(*sp), anchors(rules, a));
                s.push_str(&if zh {
                    format!("，且不迟于{a}后{w}")
                } else {
                    format!("; no later than {w} after {a}")
                });
            }
            s
        }
        Clock::Every(sp) => {
            let w = super::span(*sp);
            if zh {
                format!("每{w}")
            } else {
                format!("every {w}")
            }
        }
    }
}

/// The bypass policy for people.
fn bypass_words(b: crate::rules::Bypass) -> &'static str {
    use crate::rules::Bypass;
    match b {
        Bypass::Forbidden => pick("forbidden", "禁止"),
        Bypass::WithReason => pick("with a reason", "说明理由时允许"),
        Bypass::Allowed => pick("allowed", "允许"),
    }
}

/// What a rules file says, as tables: its name and settings, the severities with their
/// thresholds, the kinds, the levels with their ranks, the steps, the reports, and its hash.
pub fn table(layout: Layout, rules: &Rules) -> String {
    let mut out = String::new();
    let name = &rules.name;
    let zone = rules.tz.name();
    let (warning, day, bypass) = (
        super::span(rules.warning),
        rules.day_starts.format("%H:%M"),
        bypass_words(rules.bypass),
    );
    outln!(
        out,
        "{}",
        msg!(
            "{name}\ntime zone {zone}, due-soon warning {warning}, duty day from {day}, bypass {bypass}",
            "{name}\n时区 {zone}，提前{warning}提醒，值班日自 {day} 起，越级报送：{bypass}"
        )
    );
    let mut t = table::new(layout, &[Label::Severity, Label::Label, Label::Thresholds]);
    for s in &rules.severities {
        let th = s
            .at_least
            .iter()
            .map(|(k, v)| {
                let (name, value) = (super::figure_name(rules, k), super::figure_value(k, *v));
                let unit = if super::is_people(k) {
                    pick("", "人")
                } else {
                    ""
                };
                format!("{name} ≥ {value}{unit}")
            })
            .collect::<Vec<_>>()
            .join(pick(", ", "，"));
        t.add_row(vec![
            table::cell(&s.id),
            table::cell(&s.label),
            table::cell(th),
        ]);
    }
    outln!(out, "\n{t}");
    let mut t = table::new(layout, &[Label::Kind, Label::Label, Label::CasualtyWindow]);
    for k in &rules.kinds {
        t.add_row(vec![
            table::cell(&k.id),
            table::cell(&k.label),
            table::cell(super::span(k.casualty_window)),
        ]);
    }
    outln!(out, "\n{t}");
    let mut t = table::new(layout, &[Label::Level, Label::Label, Label::Rank]);
    for l in &rules.levels {
        t.add_row(vec![
            table::cell(&l.id),
            table::cell(&l.label),
            table::cell(l.rank.map_or_else(|| "-".to_owned(), |r| r.to_string())),
        ]);
    }
    outln!(out, "\n{t}");
    let mut t = table::new(
        layout,
        &[
            Label::Step,
            Label::Obligation,
            Label::Within,
            Label::Applies,
        ],
    );
    for s in &rules.steps {
        t.add_row(vec![
            table::cell(super::step_name(s)),
            table::cell(super::duty(rules, s)),
            table::cell(timing(rules, &s.clock)),
            table::cell(applies(rules, s.min_severity, s.max_severity)),
        ]);
    }
    outln!(out, "\n{t}");
    let mut t = table::new(layout, &[Label::Type, Label::Label, Label::Requires]);
    for st in crate::rules::Stage::ALL {
        let r = rules.reports.get(st);
        let mut req: Vec<String> = r
            .requires
            .iter()
            .map(|f| super::finding::field_name(*f))
            .collect();
        if r.confirmed_cause {
            req.push(pick("confirmed cause allowed", "可报已确认原因").to_owned());
        }
        let stage = match st {
            crate::rules::Stage::Initial => crate::domain::model::EntryType::Initial,
            crate::rules::Stage::Followup => crate::domain::model::EntryType::Followup,
            crate::rules::Stage::Final => crate::domain::model::EntryType::Final,
        };
        t.add_row(vec![
            table::cell(stage.label()),
            table::cell(&r.label),
            table::cell(req.join(pick(", ", "、"))),
        ]);
    }
    outln!(out, "\n{t}");
    let hash = &rules.hash;
    outln!(out, "\n{}{hash}", pick("sha256 ", "规则哈希："));
    out
}

/// `rules check --format json`.
pub fn json(rules: &Rules) -> serde_json::Value {
    json!({
        "name": rules.name,
        "hash": rules.hash,
        "time_zone": rules.tz.name(),
        "warning": rules.warning.to_string(),
        "day_starts": rules.day_starts.format("%H:%M").to_string(),
        "bypass": rules.bypass.as_str(),
        "casualty_window": rules.casualty_window.to_string(),
        "channels": rules.channels.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        "channel_labels": rules.channels.iter().map(|c| json!({"id": c.id, "label": c.label})).collect::<Vec<_>>(),
        "default_channel": rules.default_channel,
        "figures": rules.figure_names(),
        "severities": rules.severities.iter().map(|s| json!({
            "id": s.id, "label": s.label, "at_least": s.at_least,
        })).collect::<Vec<_>>(),
        "kinds": rules.kinds.iter().map(|k| json!({
            "id": k.id, "label": k.label, "casualty_window": k.casualty_window.to_string(),
        })).collect::<Vec<_>>(),
        "levels": rules.levels.iter().map(|l| json!({
            "id": l.id, "label": l.label, "rank": l.rank,
        })).collect::<Vec<_>>(),
        "reports": crate::rules::Stage::ALL.iter().map(|st| {
            let r = rules.reports.get(*st);
            json!({
                "stage": st.as_str(), "label": r.label,
                "requires": r.requires.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                "confirmed_cause": r.confirmed_cause,
            })
        }).collect::<Vec<_>>(),
        "steps": rules.steps.iter().map(|s| {
            let (obligation, level, channel, stage) = match &s.duty {
                Duty::Escalate { level, channel } => ("escalate", Some(rules.levels[*level].id.clone()), channel.clone(), None),
                Duty::Report(st) => ("report", None, None, Some(st.as_str())),
            };
            let (from, within, every, no_later_than) = match &s.clock {
                Clock::Once { from, within, no_later_than } => (
                    Some(anchor_ids(rules, from)), Some(within.to_string()), None,
                    no_later_than.iter().map(|(a, sp)| json!({"from": anchor_ids(rules, a), "within": sp.to_string()})).collect::<Vec<_>>(),
                ),
                Clock::Every(sp) => (None, None, Some(sp.to_string()), Vec::new()),
            };
            json!({
                "step": s.id, "label": s.label, "obligation": obligation, "level": level,
                "channel": channel, "report": stage, "from": from, "within": within,
                "every": every, "no_later_than": no_later_than,
                "min_severity": rules.severities[s.min_severity].id,
                "max_severity": rules.severities[s.max_severity].id,
            })
        }).collect::<Vec<_>>(),
    })
}
