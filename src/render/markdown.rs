//! The written report (书面报告) of one incident, in the six parts a Chinese accident report has
//! (Decree No. 493, art. 12): the unit, time and place, what happened, casualties and estimated
//! loss, measures taken, other. Corrections are listed beside what they corrected.

use std::fmt::Write;

use crate::domain::model::{Body, Entry};
use crate::domain::replay::History;
use crate::domain::summary::Summary;
use crate::i18n::{Label, pick};
use crate::rules::Rules;
use crate::tz::short;

/// Escapes text for Markdown so typed text cannot become markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            // A hard line break keeps the typed lines.
            out.push_str("  \n");
        }
        for c in line.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The written report of an incident.
pub fn written_report(s: &Summary, entries: &[Entry], h: &History, rules: &Rules) -> String {
    let tz = rules.tz;
    let mut o = String::new();
    let title = escape(&s.title);
    let _ = writeln!(
        o,
        "# {}{title}{}\n",
        pick("Report: ", "关于"),
        pick("", "的报告")
    );
    let status = if s.is_open() {
        Label::Open.text()
    } else {
        Label::ClosedStatus.text()
    };
    let _ = writeln!(
        o,
        "{}: {}  \n{}: {}  \n{}: {}  \n{}: {}\n",
        Label::Id.text(),
        s.id,
        Label::Severity.text(),
        super::severity(rules, &s.severity),
        Label::Kind.text(),
        super::kind(rules, &s.kind),
        Label::Status.text(),
        status
    );

    let heading = |o: &mut String, en: &str, zh: &str| {
        let _ = writeln!(o, "## {}\n", pick(en, zh));
    };
    heading(&mut o, "1. The unit", "一、事故发生单位概况");
    let _ = writeln!(o, "{}\n", escape(&s.unit));

    heading(&mut o, "2. Time and place", "二、事故发生的时间、地点");
    let _ = writeln!(
        o,
        "{}: {}  \n{}: {}  \n{}: {}\n",
        Label::Occurred.text(),
        short(tz, s.occurred),
        Label::Known.text(),
        short(tz, s.known),
        Label::Location.text(),
        escape(&s.location)
    );

    heading(&mut o, "3. What happened", "三、事故简要经过");
    for e in h.reports() {
        if let Some(r) = e.body.report() {
            let stage = e.body.stage().map(|st| rules.reports.get(st).label.clone());
            let _ = writeln!(
                o,
                "- {} ({}): {}",
                short(tz, e.at),
                stage.unwrap_or_default(),
                escape(&r.text)
            );
        }
    }
    o.push('\n');

    heading(
        &mut o,
        "4. Casualties and estimated direct loss",
        "四、伤亡人数和初步估计的直接经济损失",
    );
    let _ = writeln!(o, "{}\n", escape(&super::figures_line(rules, &s.figures)));

    heading(&mut o, "5. Measures taken", "五、已经采取的措施");
    let mut any = false;
    for e in h.reports() {
        if let Some(m) = e.body.report().and_then(|r| r.measures.as_ref()) {
            let _ = writeln!(o, "- {}: {}", short(tz, e.at), escape(m));
            any = true;
        }
    }
    if !any {
        let _ = writeln!(o, "{}", Label::None.text());
    }
    o.push('\n');

    heading(&mut o, "6. Other", "六、其他应当报告的情况");
    if let Some(c) = &h.cause {
        let _ = writeln!(o, "- {}: {}", Label::Cause.text(), escape(&super::cause(c)));
    }
    for e in entries {
        match &e.body {
            Body::Escalation { escalation } => {
                let at = short(tz, e.at);
                let level = super::level(rules, &escalation.level);
                let channel = &escalation.channel;
                let line = match escalation.contact.as_deref().map(escape) {
                    Some(c) => crate::msg!(
                        "- {at} told {level} ({channel}, {c})",
                        "- {at} 已报{level}（{channel}，{c}）"
                    ),
                    None => crate::msg!(
                        "- {at} told {level} ({channel})",
                        "- {at} 已报{level}（{channel}）"
                    ),
                };
                let _ = writeln!(o, "{line}");
            }
            Body::Reclassification { from, to, .. } => {
                let _ = writeln!(
                    o,
                    "- {} {}: {} → {}",
                    short(tz, e.at),
                    pick("reclassified", "等级调整"),
                    super::severity(rules, from),
                    super::severity(rules, to)
                );
            }
            Body::Correction {
                corrects, reason, ..
            } => {
                let (at, reason) = (short(tz, e.at), escape(reason));
                let line = crate::msg!(
                    "- {at} correction of entry {corrects}: {reason}",
                    "- {at} 更正第 {corrects} 条：{reason}"
                );
                let _ = writeln!(o, "{line}");
            }
            _ => {}
        }
    }
    let _ = writeln!(
        o,
        "\n{}: {} · {}",
        Label::Rules.text(),
        escape(&rules.name),
        &s.rules[..s.rules.len().min(12)]
    );
    o
}
