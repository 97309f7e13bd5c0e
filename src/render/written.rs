//! The written report (书面报告) of one incident, decided once: the six parts a Chinese accident
//! report has (Decree No. 493, art. 12) as a small document tree that `markdown` and `html`
//! each render. Corrections are listed beside what they corrected.
//!
//! Rules of this module:
//! - What the report says is decided here and nowhere else, so the Markdown and the HTML page
//!   can never say different things.
//! - Text keeps what a person typed apart from our own words ([`Piece::Typed`] and
//!   [`Piece::Ours`]), because each output escapes differently: Markdown escapes only typed text
//!   (our words hold no markup), HTML escapes everything. No escaping happens here.

use crate::domain::model::{Body, Entry};
use crate::domain::replay::History;
use crate::domain::summary::Summary;
use crate::i18n::{Label, pick};
use crate::rules::Rules;
use crate::tz::short;

/// A run of text: our own words, or what a person typed (titles, facts, names, reasons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Ours(String),
    Typed(String),
}

/// A line of text made of pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Vec<Piece>);

impl Text {
    pub fn ours(s: impl Into<String>) -> Text {
        Text(vec![Piece::Ours(s.into())])
    }

    pub fn typed(s: impl Into<String>) -> Text {
        Text(vec![Piece::Typed(s.into())])
    }

    #[must_use]
    pub fn and_ours(mut self, s: impl Into<String>) -> Text {
        self.0.push(Piece::Ours(s.into()));
        self
    }

    #[must_use]
    pub fn and_typed(mut self, s: impl Into<String>) -> Text {
        self.0.push(Piece::Typed(s.into()));
        self
    }

    /// The text as read, unescaped.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Ours(s) | Piece::Typed(s) => s.as_str(),
            })
            .collect()
    }
}

/// `label: value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: Text,
}

fn field(label: Label, value: Text) -> Field {
    Field {
        label: label.text().to_owned(),
        value,
    }
}

/// A block of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Fields, one a line.
    Fields(Vec<Field>),
    Paragraph(Text),
    /// A list (possibly empty).
    List(Vec<Text>),
}

/// One of the six parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub title: Text,
    /// Id, severity, kind, status.
    pub head: Vec<Field>,
    pub parts: Vec<Part>,
    /// The rules the incident is under.
    pub closing: Field,
}

/// Decides the written report of an incident.
pub fn report(s: &Summary, entries: &[Entry], h: &History, rules: &Rules) -> Report {
    let tz = rules.tz;
    let title = Text::ours(pick("Report: ", "关于"))
        .and_typed(&s.title)
        .and_ours(pick("", "的报告"));
    let status = if s.is_open() {
        Label::Open.text()
    } else {
        Label::ClosedStatus.text()
    };
    let head = vec![
        field(Label::Id, Text::ours(&s.id)),
        field(
            Label::Severity,
            Text::ours(super::severity(rules, &s.severity)),
        ),
        field(Label::Kind, Text::ours(super::kind(rules, &s.kind))),
        field(Label::Status, Text::ours(status)),
    ];
    let part = |en: &str, zh: &str, blocks: Vec<Block>| Part {
        heading: pick(en, zh).to_owned(),
        blocks,
    };
    let reports = h.reports();

    let happened = reports
        .iter()
        .filter_map(|e| {
            let r = e.body.report()?;
            let stage = e.body.stage().map(|st| rules.reports.get(st).label.clone());
            Some(
                Text::ours(format!(
                    "{} ({}): ",
                    short(tz, e.at),
                    stage.unwrap_or_default()
                ))
                .and_typed(&r.text),
            )
        })
        .collect();

    let measures: Vec<Text> = reports
        .iter()
        .filter_map(|e| {
            let m = e.body.report()?.measures.as_ref()?;
            Some(Text::ours(format!("{}: ", short(tz, e.at))).and_typed(m))
        })
        .collect();
    let measures = if measures.is_empty() {
        Block::Paragraph(Text::ours(Label::None.text()))
    } else {
        Block::List(measures)
    };

    let parts = vec![
        part(
            "1. The unit",
            "一、事故发生单位概况",
            vec![Block::Paragraph(Text::typed(&s.unit))],
        ),
        part(
            "2. Time and place",
            "二、事故发生的时间、地点",
            vec![Block::Fields(vec![
                field(Label::Occurred, Text::ours(short(tz, s.occurred))),
                field(Label::Known, Text::ours(short(tz, s.known))),
                field(Label::Location, Text::typed(&s.location)),
            ])],
        ),
        part(
            "3. What happened",
            "三、事故简要经过",
            vec![Block::List(happened)],
        ),
        part(
            "4. Casualties and estimated direct loss",
            "四、伤亡人数和初步估计的直接经济损失",
            // The figures line holds the rules' own figure names: treated as typed.
            vec![Block::Paragraph(Text::typed(super::figures_line(
                rules, &s.figures,
            )))],
        ),
        part("5. Measures taken", "五、已经采取的措施", vec![measures]),
        part(
            "6. Other",
            "六、其他应当报告的情况",
            vec![Block::List(other(entries, h, rules))],
        ),
    ];
    let closing = field(
        Label::Rules,
        Text::typed(&rules.name).and_ours(format!(" · {}", &s.rules[..s.rules.len().min(12)])),
    );
    Report {
        title,
        head,
        parts,
        closing,
    }
}

/// Part six: the cause, then every escalation, reclassification and correction in entry order.
fn other(entries: &[Entry], h: &History, rules: &Rules) -> Vec<Text> {
    let tz = rules.tz;
    let mut items = Vec::new();
    if let Some(c) = &h.cause {
        let status = super::cause_status(c.status);
        let head = Text::ours(format!("{}: ", Label::Cause.text()));
        items.push(if c.text.is_empty() {
            head.and_ours(status.to_owned())
        } else {
            head.and_typed(&c.text).and_ours(
                crate::i18n::pick(" (", "（").to_owned() + status + crate::i18n::pick(")", "）"),
            )
        });
    }
    for e in entries {
        let at = short(tz, e.at);
        match &e.body {
            Body::Escalation { escalation } => {
                let level = super::level(rules, &escalation.level);
                let channel = &super::channel(rules, &escalation.channel);
                items.push(match &escalation.contact {
                    Some(c) => Text::ours(
                        crate::msg!(
                            "{at} told {level} ({channel}, ",
                            "{at} 已报{level}（{channel}，"
                        )
                        .to_string(),
                    )
                    .and_typed(c)
                    .and_ours(pick(")", "）")),
                    None => Text::ours(
                        crate::msg!(
                            "{at} told {level} ({channel})",
                            "{at} 已报{level}（{channel}）"
                        )
                        .to_string(),
                    ),
                });
            }
            Body::Reclassification { from, to, .. } => items.push(Text::ours(format!(
                "{at} {}: {} → {}",
                pick("reclassified", "等级调整"),
                super::severity(rules, from),
                super::severity(rules, to)
            ))),
            Body::Correction {
                corrects, reason, ..
            } => items.push(
                Text::ours(
                    crate::msg!(
                        "{at} correction of entry {corrects}: ",
                        "{at} 更正第 {corrects} 条："
                    )
                    .to_string(),
                )
                .and_typed(reason),
            ),
            _ => {}
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_stays_apart_from_our_words() {
        let t = Text::ours("关于").and_typed("<b>").and_ours("的报告");
        assert_eq!(t.plain(), "关于<b>的报告");
        assert_eq!(t.0[1], Piece::Typed("<b>".into()));
    }
}
