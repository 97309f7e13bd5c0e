//! `sitrep show`: an incident's facts, latest figures, every entry in order (corrections beside
//! what they correct), and every deadline with its status; `--format markdown` the written
//! report that a report entry was (`--report N`, the latest by default), `--format html` a page
//! with that report and the timeline.
//!
//! The written report shows the incident as it stood at its report's claimed time (a replay as
//! of that time), in the document's language (`Ctx::document_lang_for`), not necessarily the
//! UI's; the HTML page's timeline and findings are the whole history's, judged now.

use std::io::Write;

use anyhow::Result;

use super::record;
use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::{Body, Entry};
use crate::domain::replay::History;
use crate::domain::summary::Summary;
use crate::engine::{Evaluation, evaluate_history};
use crate::error::Exit;
use crate::error::{refuse, usage};
use crate::i18n::{Label, in_lang, pick};
use crate::msg;
use crate::render::{self, html, json as rj, markdown, table, written};
use crate::rules::Rules;
use crate::store::Store;
use crate::tz::short;

/// Show an incident.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep show 20260310-001\n  sitrep show 20260310-001 --format markdown > 书面报告.md\n  sitrep show 20260310-001 --format markdown --report 1 > 首报.md\n  sitrep show 20260310-001 --format html > 时间线.html\n  sitrep show 20260310-001 --format json"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// With --format markdown or html: the written report that entry N was (an initial,
    /// follow-up or final report) [default: the latest report]
    #[arg(long, value_name = "N")]
    pub report: Option<u32>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json, Format::Markdown, Format::Html])?;
    if a.report.is_some() && !matches!(format, Format::Markdown | Format::Html) {
        return Err(usage(msg!(
            "--report picks the written report: give it with --format markdown or --format html",
            "--report 用于选择书面报告：请与 --format markdown 或 --format html 同用"
        )));
    }
    let mut store = Store::open(&ctx.db)?;
    let mut damage = store.damage().to_vec();
    let (read, row_damage) = record::load(ctx, &mut *store.read()?, &a.id)?;
    damage.extend(row_damage);
    let super::load::Whole {
        id,
        rules,
        entries,
        history,
        summary,
    } = read;
    // Deadlines are judged as of now, or as of the latest entry if it is claimed a little ahead
    // of this clock: the whole history is then what exists at that moment.
    let eval = evaluate_history(
        &history,
        &rules,
        crate::engine::judged_at(ctx.now, &history),
    );
    match format {
        Format::Json => {
            let v = rj::FullJson {
                s: &summary,
                entries: &entries,
                h: &history,
                eval: &eval,
                rules: &rules,
            };
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        Format::Markdown | Format::Html => {
            let (n, then) = as_reported(&id, &entries, &history, &rules, a.report)?;
            let h = then.as_ref().unwrap_or(&history);
            let doc = in_lang(ctx.document_lang_for(&rules), || {
                if format == Format::Markdown {
                    markdown::written_report(&id, h, n, &rules)
                } else {
                    let r = written::report(&id, h, n, &rules);
                    html::incident_page(&r, &id, &history, &eval, &rules)
                }
            });
            write!(out, "{doc}")?;
        }
        _ => table_view(ctx, out, &summary, &entries, &history, &eval, &rules)?,
    }
    // What was shown comes from the entries; a damaged record is said, and is a problem.
    super::load::warn(&damage);
    Ok(if damage.is_empty() {
        Exit::Success
    } else {
        Exit::Problems
    })
}

/// The report entry a written report is of (`--report N`, else the latest report in claimed-time
/// order) and the incident as it stood at that report's claimed time, the corrections claimed by
/// then applied. `None` for the latter where that replay does not hold the report (a correction
/// claimed later moved it): the whole history is then shown.
fn as_reported(
    id: &str,
    entries: &[Entry],
    h: &History,
    rules: &Rules,
    asked: Option<u32>,
) -> Result<(u32, Option<History>)> {
    let reports = h.reports();
    let this = match asked {
        None => reports.last().copied(),
        Some(n) => reports.iter().copied().find(|e| e.n == n),
    };
    let Some(this) = this else {
        return Err(not_a_report(id, h, asked.unwrap_or(0)));
    };
    let then = match crate::domain::replay::replay(entries, rules, Some(this.at)) {
        Ok(Some(then))
            if then
                .entry(this.n)
                .is_some_and(|e| e.body.report().is_some()) =>
        {
            Some(then)
        }
        _ => None,
    };
    Ok((this.n, then))
}

/// The refusal of `--report N` where entry N is not a report, naming the reports there are.
fn not_a_report(id: &str, h: &History, n: u32) -> anyhow::Error {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for e in h.reports() {
        let (s_en, s_zh) = written::stage_of(h, e.n)
            .map(written::Stage::names)
            .unwrap_or_default();
        en.push(format!("{} ({s_en})", e.n));
        zh.push(format!("第 {} 条{s_zh}", e.n));
    }
    let (en, zh) = (en.join(", "), zh.join("、"));
    refuse(match h.entry(n) {
        Some(e) => {
            let (what, what_zh) = e.body.entry_type().names();
            msg!(
                "entry {n} of {id} ({what}) is not a report: --report takes a report entry, and {id} has {en}",
                "{id} 的第 {n} 条（{what_zh}）不是报告：--report 应为报告记录的序号，{id} 的报告为{zh}"
            )
        }
        None => msg!(
            "{id} has no entry {n}: --report takes a report entry, and {id} has {en}",
            "{id} 没有第 {n} 条记录：--report 应为报告记录的序号，{id} 的报告为{zh}"
        ),
    })
}

fn table_view(
    ctx: &Ctx,
    out: &mut dyn Write,
    s: &Summary,
    entries: &[Entry],
    h: &History,
    eval: &Evaluation,
    rules: &Rules,
) -> Result<()> {
    let tz = rules.tz;
    let layout = ctx.layout();
    writeln!(out, "{}  {}", s.id, s.title)?;
    let mut facts = table::new(layout, &[]);
    let status = if s.is_open() {
        Label::Open.text()
    } else {
        Label::ClosedStatus.text()
    };
    let rows: Vec<(Label, String)> = vec![
        (Label::Severity, render::severity(rules, &s.severity)),
        (Label::Status, status.to_owned()),
        (Label::Kind, render::kind(rules, &s.kind)),
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
        (Label::Figures, render::figures_line(rules, &s.figures)),
        (
            Label::Cause,
            h.cause
                .as_ref()
                .map_or_else(|| Label::None.text().to_owned(), render::cause),
        ),
        (
            Label::Rules,
            format!("{} · {}", rules.name, &s.rules[..s.rules.len().min(12)]),
        ),
    ];
    for (label, value) in rows {
        facts.add_row(vec![table::cell(label.text()), table::cell(value)]);
    }
    writeln!(out, "{facts}")?;

    writeln!(out, "\n{}", Label::Entries.text())?;
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
    writeln!(out, "{t}")?;

    writeln!(out, "\n{}", Label::Steps.text())?;
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
            table::cell(render::step_name(step)),
            table::cell(render::duty(rules, step)),
            table::cell(st.due.map(|d| short(tz, d)).unwrap_or_else(|| "-".into())),
            table::cell(st.done.map(|d| short(tz, d)).unwrap_or_else(|| "-".into())),
            table::status_cell(
                table::status_text(st.status).to_owned(),
                st.status,
                ctx.color,
            ),
        ]);
    }
    writeln!(out, "{t}")?;
    if !eval.findings.is_empty() {
        writeln!(out, "\n{}", Label::Findings.text())?;
        for f in &eval.findings {
            let reviewed = f
                .reviewed
                .as_ref()
                .map(|r| render::finding::reviewed_suffix(r, rules.tz))
                .unwrap_or_default();
            writeln!(out, "- {}{reviewed}", render::finding::message(f, rules))?;
        }
    }
    for sup in &eval.supplied {
        writeln!(out, "{}", render::finding::supplied(sup, rules))?;
    }
    Ok(())
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
                render::figures_line(rules, &r.figures)
            ));
        }
        if let Some(c) = &r.cause {
            s.push_str(&format!(
                "\n{}{}{}",
                Label::Cause.text(),
                sep(),
                render::cause(c)
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
                render::level(rules, &x.level),
                render::channel(rules, &x.channel)
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
                        .map_or_else(|| c.step.clone(), |i| render::step_name(&rules.steps[i]));
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
            render::severity(rules, from),
            render::severity(rules, to)
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
                    render::kind(rules, v)
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
                    render::severity(rules, v)
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
                    render::figures_line(rules, &changes.figures)
                ));
            }
            if let Some(c) = &changes.cause {
                parts.push(format!("{} → {}", Label::Cause.text(), render::cause(c)));
            }
            if let Some(v) = &changes.level {
                parts.push(format!(
                    "{} → {}",
                    Label::Level.text(),
                    render::level(rules, v)
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
