//! The written report (书面报告) of one incident, decided once: the document a duty office sends,
//! as a small document tree that `markdown` and `html` each render. A title naming its stage
//! (首报, 续报（一）, 续报（二）…, 终报), the six parts a Chinese accident report has (Decree
//! No. 493, art. 12), and a footer: who reports, who signed, who recorded it, when.
//!
//! Rules of this module:
//! - What the report says is decided here and nowhere else, so the Markdown and the HTML page
//!   can never say different things.
//! - The report is of one report entry, and shows the history it is given: the caller hands in
//!   the incident as it stood at that report's claimed time (`replay` as of it), so figures,
//!   measures, causes, escalations and corrections claimed later are not in it.
//! - Text keeps what a person typed apart from our own words ([`Piece::Typed`] and
//!   [`Piece::Ours`]), because each output escapes differently: Markdown escapes only typed text
//!   (our words hold no markup), HTML escapes everything. Labels from the rules file count as
//!   typed. No escaping happens here.
//! - It is written in the display language the caller sets (the document's language, see
//!   `i18n::DocumentLang`); Chinese text takes full-width punctuation (`：`, `（）`, `，`).

use crate::domain::model::{Body, Instant};
use crate::domain::replay::{Effective, History};
use crate::i18n::{Label, Lang, lang, pick};
use crate::rules::Rules;
use crate::tz::{local, short};

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

    #[must_use]
    pub fn and(mut self, other: Text) -> Text {
        self.0.extend(other.0);
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

/// `label：value` (`label: value` in English; the separator is the report's [`Report::colon`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: Text,
}

fn field(label: &str, value: Text) -> Field {
    Field {
        label: label.to_owned(),
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
    /// `关于…的首报`, `关于…的续报（二）`, `Final report: …`.
    pub title: Text,
    /// Id, severity, kind.
    pub head: Vec<Field>,
    pub parts: Vec<Part>,
    /// The reporting unit, the signer, the duty officer, the time.
    pub footer: Vec<Field>,
    /// Between a field's label and its value: `：` in Chinese, `: ` in English.
    pub colon: &'static str,
}

/// Which report a report entry is: follow-ups are numbered from 1 in claimed-time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Initial,
    Followup(usize),
    Final,
}

impl Stage {
    /// Its name in English and Chinese: `follow-up report 2` and `续报（二）`.
    pub fn names(self) -> (String, String) {
        match self {
            Stage::Initial => ("initial report".into(), "首报".into()),
            Stage::Followup(k) => (
                format!("follow-up report {k}"),
                format!("续报（{}）", chinese_numeral(k)),
            ),
            Stage::Final => ("final report".into(), "终报".into()),
        }
    }

    /// Its name in the display language.
    pub fn name(self) -> String {
        let (en, zh) = self.names();
        match lang() {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// The stage of report entry `n` in `h`, or `None` when entry `n` is not a report there.
pub fn stage_of(h: &History, n: u32) -> Option<Stage> {
    let mut followups = 0;
    for e in h.reports() {
        if matches!(e.body, Body::Followup { .. }) {
            followups += 1;
        }
        if e.n == n {
            return Some(match e.body {
                Body::Initial { .. } => Stage::Initial,
                Body::Final { .. } => Stage::Final,
                _ => Stage::Followup(followups),
            });
        }
    }
    None
}

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九; from 100 on, Arabic digits.
pub fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let unit = |d: usize| if d == 0 { "" } else { DIGITS[d] };
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", unit(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[n / 10], unit(n % 10)),
        _ => n.to_string(),
    }
}

/// A time in a document: `2026年3月10日14时05分` in Chinese, `2026-03-10 14:05` in English.
pub fn doc_time(tz: chrono_tz::Tz, t: Instant) -> String {
    use chrono::{Datelike, Timelike};
    if lang() == Lang::En {
        return short(tz, t);
    }
    let l = local(tz, t);
    let mut s = format!(
        "{}年{}月{}日{}时{:02}分",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    );
    if l.second() != 0 {
        s.push_str(&format!("{:02}秒", l.second()));
    }
    s
}

/// Where a signature is to be written by hand.
pub const BLANK: &str = "＿＿＿＿";

/// Decides the written report that entry `n` was, from `h`: the incident as it stood at that
/// report's claimed time. When `n` is not a report in `h` (callers check first), the latest
/// report is written.
pub fn report(id: &str, h: &History, n: u32, rules: &Rules) -> Report {
    let tz = rules.tz;
    let zh = lang() == Lang::Zh;
    let colon = if zh { "：" } else { ": " };
    let reports = h.reports();
    let this = reports
        .iter()
        .copied()
        .find(|e| e.n == n)
        .or_else(|| reports.last().copied());
    let stage = this
        .and_then(|e| stage_of(h, e.n))
        .unwrap_or(Stage::Initial);
    let (stage_en, stage_zh) = stage.names();
    let title = if zh {
        Text::ours("关于")
            .and_typed(&h.header.title)
            .and_ours(format!("的{stage_zh}"))
    } else {
        Text::ours(format!("{}: ", capitalized(&stage_en))).and_typed(&h.header.title)
    };
    let severity = rules
        .severities
        .get(h.severity())
        .map_or_else(String::new, |s| super::item(&s.id, &s.label));
    let head = vec![
        field(Label::Id.text(), Text::ours(id)),
        field(Label::Severity.text(), Text::typed(severity)),
        field(
            Label::Kind.text(),
            Text::typed(super::kind(rules, &h.header.kind)),
        ),
    ];
    let part = |en: &str, zh: &str, blocks: Vec<Block>| Part {
        heading: pick(en, zh).to_owned(),
        blocks,
    };
    // `2026年3月10日14时11分续报（一）：` / `2026-03-10 14:11 (follow-up report 1): `.
    let said = |e: &Effective| {
        let stage = stage_of(h, e.n).map(Stage::name).unwrap_or_default();
        let at = doc_time(tz, e.at);
        Text::ours(if zh {
            format!("{at}{stage}：")
        } else {
            format!("{at} ({stage}): ")
        })
    };

    let accident_unit = match &h.header.accident_unit {
        Some(u) => Text::typed(u),
        None => Text::ours(pick("to be verified", "待核实")),
    };
    let happened: Vec<Text> = reports
        .iter()
        .filter_map(|e| {
            let r = e.body.report()?;
            Some(said(e).and_typed(&r.text).and(corrected(h, e)))
        })
        .collect();
    let measures: Vec<Text> = reports
        .iter()
        .filter_map(|e| {
            let m = e.body.report()?.measures.as_ref()?;
            Some(said(e).and_typed(m))
        })
        .collect();
    let measures = if measures.is_empty() {
        Block::Paragraph(Text::ours(pick("none reported yet", "暂未报告")))
    } else {
        Block::List(measures)
    };
    let loss = match h.figures.get("direct_loss") {
        Some(v) => {
            Text::ours(pick("about ", "约")).and_ours(super::figure_value("direct_loss", *v))
        }
        None => Text::ours(pick("being assessed", "正在核算")),
    };

    let parts = vec![
        part(
            "1. The unit where it happened",
            "一、事故发生单位概况",
            vec![Block::Paragraph(accident_unit)],
        ),
        part(
            "2. Time and place",
            "二、事故发生的时间、地点",
            vec![Block::Fields(vec![
                field(
                    Label::Occurred.text(),
                    Text::ours(doc_time(tz, h.header.occurred)),
                ),
                field(
                    Label::Known.text(),
                    Text::ours(doc_time(tz, h.header.known)),
                ),
                field(Label::Location.text(), Text::typed(&h.header.location)),
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
            vec![
                Block::Paragraph(casualties(h, rules)),
                Block::Fields(vec![field(
                    pick("estimated direct loss", "直接经济损失"),
                    loss,
                )]),
            ],
        ),
        part("5. Measures taken", "五、已经采取的措施", vec![measures]),
        part(
            "6. Other",
            "六、其他应当报告的情况",
            vec![Block::List(other(h, rules, colon))],
        ),
    ];

    let signer = h
        .entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Escalation { escalation } => {
                escalation.signed_by.as_ref().map(|s| (e.at, e.n, s))
            }
            _ => None,
        })
        .max_by_key(|(at, n, _)| (*at, *n))
        .map_or_else(|| Text::ours(BLANK), |(_, _, s)| Text::typed(s));
    let footer = vec![
        field(
            pick("reporting unit", "报送单位"),
            Text::typed(&h.header.unit),
        ),
        field(pick("signed off by", "签发人"), signer),
        field(
            pick("duty officer", "值班员"),
            this.map_or_else(|| Text::ours(BLANK), |e| Text::typed(&e.by)),
        ),
        field(
            pick("reported at", "报送时间"),
            Text::ours(doc_time(tz, this.map_or(h.filed, |e| e.at))),
        ),
    ];
    Report {
        title,
        head,
        parts,
        footer,
        colon,
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Part four's counts: `死亡2人，受伤5人，疏散30人` / `deaths 2, injuries 5, evacuated 30`. The
/// built-in counts are of people; a figure the rules declare is shown by its label and number.
/// The names are the rules' or ours; treated as typed, as every label from the rules is.
fn casualties(h: &History, rules: &Rules) -> Text {
    let zh = lang() == Lang::Zh;
    let counts: Vec<String> = rules
        .figure_names()
        .into_iter()
        .filter(|name| *name != "direct_loss")
        .filter_map(|name| {
            let v = h.figures.get(name)?;
            let label = super::figure_name(rules, name);
            let people = crate::rules::BUILTIN_FIGURES.contains(&name);
            Some(match (zh, people) {
                (true, true) => format!("{label}{v}人"),
                (true, false) => format!("{label}{v}"),
                (false, _) => format!("{label} {v}"),
            })
        })
        .collect();
    if counts.is_empty() {
        return Text::ours(pick("no casualty figures reported yet", "伤亡人数暂未报告"));
    }
    Text::typed(counts.join(if zh { "，" } else { ", " }))
}

/// `（已更正：理由）` beside what a correction corrected, when one was.
fn corrected(h: &History, e: &Effective) -> Text {
    let reasons: Vec<&str> = e
        .corrected_by
        .iter()
        .filter_map(|c| match &h.entry(*c)?.body {
            Body::Correction { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    if reasons.is_empty() {
        return Text::default();
    }
    let mut t = Text::ours(pick(" (corrected: ", "（已更正："));
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            t = t.and_ours(pick("; ", "；"));
        }
        t = t.and_typed(*r);
    }
    t.and_ours(pick(")", "）"))
}

/// Part six: the cause and its certainty, the source of the information, then every escalation
/// and reclassification in claimed-time order, each with its corrections beside it.
fn other(h: &History, rules: &Rules, colon: &str) -> Vec<Text> {
    let tz = rules.tz;
    let zh = lang() == Lang::Zh;
    let mut items = Vec::new();
    let cause = Text::ours(format!("{}{colon}", Label::Cause.text()));
    items.push(match &h.cause {
        None => cause.and_ours(pick("under investigation", "正在调查")),
        Some(c) if c.text.is_empty() => cause.and_ours(super::cause_status(c.status)),
        Some(c) => cause.and_typed(&c.text).and_ours(if zh {
            format!("（{}）", super::cause_status(c.status))
        } else {
            format!(" ({})", super::cause_status(c.status))
        }),
    });
    if let Some(source) = &h.header.source {
        items.push(
            Text::ours(format!(
                "{}{colon}",
                pick("source of the information", "信息来源")
            ))
            .and_typed(source),
        );
    }
    let mut by_time: Vec<&Effective> = h.entries.iter().collect();
    by_time.sort_by_key(|e| (e.at, e.n));
    for e in by_time {
        let at = doc_time(tz, e.at);
        match &e.body {
            Body::Escalation { escalation: x } => {
                let level = super::level(rules, &x.level);
                let channel = super::channel(rules, &x.channel);
                let mut t = if zh {
                    Text::ours(format!("{at}已报"))
                        .and_typed(level)
                        .and_ours("（")
                        .and_typed(channel)
                } else {
                    Text::ours(format!("{at} told "))
                        .and_typed(level)
                        .and_ours(" via ")
                        .and_typed(channel)
                };
                let sep = pick("; ", "，");
                for (label, value) in [
                    (pick("contact", "接报人"), &x.contact),
                    (pick("signed off by", "签发人"), &x.signed_by),
                    (pick("reason for the bypass", "越级理由"), &x.reason),
                ] {
                    if let Some(v) = value {
                        t = t.and_ours(format!("{sep}{label}{colon}")).and_typed(v);
                    }
                }
                if zh {
                    t = t.and_ours("）");
                }
                items.push(t.and(corrected(h, e)));
            }
            Body::Reclassification { from, to, .. } => items.push(
                Text::ours(if zh {
                    format!("{at}等级调整：")
                } else {
                    format!("{at} reclassified: ")
                })
                .and_typed(format!(
                    "{} → {}",
                    super::severity(rules, from),
                    super::severity(rules, to)
                ))
                .and(corrected(h, e)),
            ),
            _ => {}
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture::{Builder, m};
    use crate::domain::replay::replay;
    use crate::i18n::in_lang;

    #[test]
    fn typed_text_stays_apart_from_our_words() {
        let t = Text::ours("关于").and_typed("<b>").and_ours("的报告");
        assert_eq!(t.plain(), "关于<b>的报告");
        assert_eq!(t.0[1], Piece::Typed("<b>".into()));
    }

    #[test]
    fn follow_ups_are_numbered_as_duty_offices_number_them() {
        let got: Vec<String> = [1, 2, 9, 10, 11, 19, 20, 21, 99, 100]
            .into_iter()
            .map(chinese_numeral)
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "二",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "100"
            ]
        );
        assert_eq!(Stage::Followup(2).names().1, "续报（二）");
        assert_eq!(Stage::Followup(2).names().0, "follow-up report 2");
    }

    #[test]
    fn times_in_a_chinese_document_read_as_written() {
        let tz = Rules::builtin().tz;
        let at = m(5) + chrono::Duration::seconds(7);
        assert_eq!(
            in_lang(Lang::Zh, || doc_time(tz, m(5))),
            "2026年3月10日14时05分"
        );
        assert_eq!(
            in_lang(Lang::Zh, || doc_time(tz, at)),
            "2026年3月10日14时05分07秒"
        );
        assert_eq!(in_lang(Lang::En, || doc_time(tz, m(5))), "2026-03-10 14:05");
    }

    /// An incident filed at t0, escalated in writing at 10 (signed), followed up at 20 and 40
    /// in claimed order although entered the other way round, closed at 60.
    fn history() -> (Rules, History) {
        let rules = Rules::builtin();
        let mut b = Builder::new(&rules, "gas");
        b.escalate_with(m(10), "city", "written", None);
        if let Body::Escalation { escalation } = &mut b.entries[1].body {
            escalation.signed_by = Some("李某某".into());
        }
        b.followup(m(40), &[("deaths", 2)]);
        b.followup(m(20), &[("direct_loss", 12_000_000)]);
        b.close(m(60));
        let h = replay(&b.entries, &rules, None)
            .expect("replays")
            .expect("exists");
        (rules, h)
    }

    #[test]
    fn each_report_is_named_by_its_stage_in_claimed_order() {
        let (_, h) = history();
        assert_eq!(stage_of(&h, 1), Some(Stage::Initial));
        assert_eq!(stage_of(&h, 2), None, "an escalation is no report");
        assert_eq!(stage_of(&h, 3), Some(Stage::Followup(2)), "claimed at 40");
        assert_eq!(stage_of(&h, 4), Some(Stage::Followup(1)), "claimed at 20");
        assert_eq!(stage_of(&h, 5), Some(Stage::Final));
    }

    #[test]
    fn the_report_names_its_stage_unit_signer_and_officer() {
        let (rules, h) = history();
        let r = in_lang(Lang::Zh, || report("20260310-001", &h, 3, &rules));
        assert_eq!(r.title.plain(), "关于化工厂储罐泄漏的续报（二）");
        assert_eq!(r.colon, "：");
        assert_eq!(
            r.parts[0].blocks,
            [Block::Paragraph(Text::ours("待核实"))],
            "never the reporting unit"
        );
        let footer: Vec<(String, String)> = r
            .footer
            .iter()
            .map(|f| (f.label.clone(), f.value.plain()))
            .collect();
        assert_eq!(
            footer,
            [
                ("报送单位".into(), "区应急局".into()),
                ("签发人".into(), "李某某".into()),
                ("值班员".into(), "值班员".into()),
                ("报送时间".into(), "2026年3月10日14时40分".into()),
            ]
        );
        let en = in_lang(Lang::En, || report("20260310-001", &h, 5, &rules));
        assert_eq!(en.title.plain(), "Final report: 化工厂储罐泄漏");
        assert_eq!(
            en.parts[0].blocks,
            [Block::Paragraph(Text::ours("to be verified"))]
        );
    }

    #[test]
    fn casualties_carry_people_and_the_loss_its_own_line() {
        let (rules, h) = history();
        let r = in_lang(Lang::Zh, || report("x", &h, 5, &rules));
        assert_eq!(
            r.parts[3].blocks,
            [
                Block::Paragraph(Text::typed("死亡2人")),
                Block::Fields(vec![field(
                    "直接经济损失",
                    Text::ours("约").and_ours("1200万元")
                )]),
            ]
        );
        let initial = replay(&Builder::new(&rules, "gas").entries, &rules, None)
            .expect("replays")
            .expect("exists");
        let r = in_lang(Lang::Zh, || report("x", &initial, 1, &rules));
        assert_eq!(
            r.parts[3].blocks,
            [
                Block::Paragraph(Text::ours("伤亡人数暂未报告")),
                Block::Fields(vec![field("直接经济损失", Text::ours("正在核算"))]),
            ]
        );
        assert_eq!(r.footer[1].value.plain(), BLANK, "nobody signed yet");
    }
}
