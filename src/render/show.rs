//! `show`'s table view of one incident. Pure: it takes the replayed history and its evaluation
//! and returns text.

use crate::domain::model::{Body, Entry};
use crate::domain::replay::History;
use crate::domain::row::IncidentRow;
use crate::engine::Evaluation;
use crate::i18n::{Label, pick};
use crate::render::table::{self, Layout};
use crate::rules::Rules;
use crate::tz::short;

/// The table view: the facts, every entry in order (with what corrected it), every step with
/// its status, the findings and what the reports supplied.
pub fn table(
    layout: Layout,
    s: &IncidentRow,
    entries: &[Entry],
    h: &History,
    eval: &Evaluation,
    rules: &Rules,
) -> String {
    let tz = rules.tz;
    let mut out = String::new();
    outln!(out, "{}  {}", s.id, s.title);
    let mut facts = table::new(layout, &[]);
    let status = if s.is_open() {
        Label::Open.text()
    } else {
        Label::ClosedStatus.text()
    };
    let rows: Vec<(Label, String)> = vec![
        (Label::Severity, super::severity(rules, &s.severity)),
        (Label::Status, status.to_owned()),
        (Label::Kind, super::kind(rules, &s.kind)),
        (Label::Occurred, short(tz, s.occurred)),
        (Label::Known, short(tz, s.known)),
        (Label::Filed, short(tz, s.filed)),
        (Label::Location, s.location.clone()),
        (Label::Unit, s.unit.clone()),
        (
            Label::AccidentUnit,
            h.header
                .accident_unit
                .clone()
                .unwrap_or_else(|| pick("to be verified", "待核实").to_owned()),
        ),
        (
            Label::Source,
            h.header
                .source
                .clone()
                .unwrap_or_else(|| Label::None.text().to_owned()),
        ),
        (Label::Figures, super::figures_line(rules, &s.figures)),
        (
            Label::Cause,
            h.cause
                .as_ref()
                .map_or_else(|| Label::None.text().to_owned(), super::cause),
        ),
        (
            Label::Rules,
            format!("{} · {}", rules.name, &s.rules[..s.rules.len().min(12)]),
        ),
    ];
    for (label, value) in rows {
        facts.add_row(vec![table::cell(label.text()), table::cell(value)]);
    }
    outln!(out, "{facts}");

    outln!(out, "\n{}", Label::Entries.text());
    let mut t = table::new(
        layout,
        &[
            Label::Entry,
            Label::At,
            Label::Type,
            Label::By,
            Label::Details,
        ],
    );
    for e in entries {
        let mut kind = e.body.entry_type().label().to_owned();
        for (mark, label) in [
            (e.backfilled(), Label::Backfilled),
            (e.imported, Label::Imported),
        ] {
            if mark {
                let l = label.text();
                kind.push_str(&crate::msg!(" ({l})", "（{l}）").to_string());
            }
        }
        let mut details = details(e, rules);
        if let Some(eff) = h.entry(e.n)
            && !eff.corrected_by.is_empty()
        {
            let list = eff
                .corrected_by
                .iter()
                .map(|n| format!("#{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            details.push_str(&format!(
                "\n{} {list}",
                pick("→ corrected by", "→ 已被更正：")
            ));
        }
        t.add_row(vec![
            table::cell(e.n),
            table::cell(short(tz, e.at)),
            table::cell(kind),
            table::cell(&e.by),
            table::cell(details),
        ]);
    }
    outln!(out, "{t}");

    outln!(out, "\n{}", Label::Steps.text());
    let mut t = table::new(
        layout,
        &[
            Label::Step,
            Label::Obligation,
            Label::Due,
            Label::Done,
            Label::Status,
        ],
    );
    for st in &eval.steps {
        let step = &rules.steps[st.step];
        t.add_row(vec![
            table::cell(super::step_name(step)),
            table::cell(super::duty(rules, step)),
            table::cell(st.due.map(|d| short(tz, d)).unwrap_or_else(|| "-".into())),
            table::cell(st.done.map(|d| short(tz, d)).unwrap_or_else(|| "-".into())),
            table::status_cell(
                table::status_text(st.status).to_owned(),
                st.status,
                layout.color,
            ),
        ]);
    }
    outln!(out, "{t}");
    if !eval.findings.is_empty() {
        outln!(out, "\n{}", Label::Findings.text());
        for f in &eval.findings {
            let reviewed = f
                .reviewed
                .as_ref()
                .map(|r| super::finding::reviewed_suffix(r, rules.tz))
                .unwrap_or_default();
            outln!(out, "- {}{reviewed}", super::finding::message(f, rules));
        }
    }
    for sup in &eval.supplied {
        outln!(out, "{}", super::finding::supplied(sup, rules));
    }
    out
}

/// A label's separator: `: ` in English, `：` in Chinese.
fn sep() -> &'static str {
    pick(": ", "：")
}

/// One line (or a few) saying what an entry holds.
pub fn details(e: &Entry, rules: &Rules) -> String {
    let tz = rules.tz;
    let report = |text: &str, r: &crate::domain::model::Report| {
        let mut s = text.to_owned();
        if let Some(m) = &r.measures {
            s.push_str(&format!("\n{}{}{m}", Label::Measures.text(), sep()));
        }
        if !r.figures.is_empty() {
            s.push_str(&format!(
                "\n{}{}{}",
                Label::Figures.text(),
                sep(),
                super::figures_line(rules, &r.figures)
            ));
        }
        if let Some(c) = &r.cause {
            s.push_str(&format!(
                "\n{}{}{}",
                Label::Cause.text(),
                sep(),
                super::cause(c)
            ));
        }
        s
    };
    match &e.body {
        Body::Initial { report: r, .. }
        | Body::Followup { report: r, .. }
        | Body::Final { report: r } => report(&r.text, r),
        Body::Escalation { escalation: x } => {
            let mut s = format!(
                "{} · {}",
                super::level(rules, &x.level),
                super::channel(rules, &x.channel)
            );
            if let Some(by) = &x.signed_by {
                s.push_str(&format!(" · {}{}{by}", Label::SignedBy.text(), sep()));
            }
            if let Some(c) = &x.contact {
                s.push_str(&format!(" · {c}"));
            }
            if let Some(r) = &x.reason {
                s.push_str(&format!("\n{}{}{r}", Label::Reason.text(), sep()));
            }
            s
        }
        Body::Review { review } => {
            let covered = review
                .covers
                .iter()
                .map(|c| {
                    let kind = crate::engine::FindingKind::parse(&c.kind)
                        .map_or_else(|| c.kind.clone(), |k| table::kind_text(k).to_owned());
                    let step = rules
                        .step_index(&c.step)
                        .map_or_else(|| c.step.clone(), |i| super::step_name(&rules.steps[i]));
                    format!("{step} {kind}")
                })
                .collect::<Vec<_>>()
                .join(pick(", ", "，"));
            format!("{covered}\n{}{}{}", Label::Note.text(), sep(), review.note)
        }
        Body::Reclassification {
            from,
            to,
            reported_in,
        } => format!(
            "{} → {} (#{reported_in})",
            super::severity(rules, from),
            super::severity(rules, to)
        ),
        Body::Correction {
            corrects,
            reason,
            changes,
        } => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(t) = changes.at {
                parts.push(format!("{} → {}", Label::At.text(), short(tz, t)));
            }
            if let Some(v) = &changes.title {
                parts.push(format!("{} → {v}", Label::Title.text()));
            }
            if let Some(v) = &changes.kind {
                parts.push(format!(
                    "{} → {}",
                    Label::Kind.text(),
                    super::kind(rules, v)
                ));
            }
            if let Some(t) = changes.occurred {
                parts.push(format!("{} → {}", Label::Occurred.text(), short(tz, t)));
            }
            if let Some(t) = changes.known {
                parts.push(format!("{} → {}", Label::Known.text(), short(tz, t)));
            }
            if let Some(v) = &changes.location {
                parts.push(format!("{} → {v}", Label::Location.text()));
            }
            if let Some(v) = &changes.unit {
                parts.push(format!("{} → {v}", Label::Unit.text()));
            }
            if let Some(v) = &changes.severity {
                parts.push(format!(
                    "{} → {}",
                    Label::Severity.text(),
                    super::severity(rules, v)
                ));
            }
            if let Some(v) = &changes.text {
                parts.push(format!("{} → {v}", Label::Details.text()));
            }
            if let Some(v) = &changes.measures {
                parts.push(format!("{} → {v}", Label::Measures.text()));
            }
            if !changes.figures.is_empty() {
                parts.push(format!(
                    "{} → {}",
                    Label::Figures.text(),
                    super::figures_line(rules, &changes.figures)
                ));
            }
            if let Some(c) = &changes.cause {
                parts.push(format!("{} → {}", Label::Cause.text(), super::cause(c)));
            }
            if let Some(v) = &changes.level {
                parts.push(format!(
                    "{} → {}",
                    Label::Level.text(),
                    super::level(rules, v)
                ));
            }
            if let Some(v) = &changes.channel {
                parts.push(format!("{} → {v}", Label::Channel.text()));
            }
            if let Some(v) = &changes.contact {
                parts.push(format!("{} → {v}", Label::Contact.text()));
            }
            if let Some(v) = &changes.reason {
                parts.push(format!("{} → {v}", Label::Reason.text()));
            }
            if let Some(v) = &changes.note {
                parts.push(format!("{} → {v}", Label::Note.text()));
            }
            format!(
                "{} #{corrects}{}{}\n{}{}{reason}",
                Label::Corrects.text(),
                sep(),
                parts.join(pick("; ", "；")),
                Label::Reason.text(),
                sep()
            )
        }
    }
}
