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
use crate::domain::model::Entry;
use crate::domain::replay::History;
use crate::engine::evaluate_history;
use crate::error::Exit;
use crate::error::{refuse, usage};
use crate::i18n::in_lang;
use crate::msg;
use crate::render::{self, html, json as rj, markdown, written};
use crate::rules::Rules;

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
    let mut store = super::open::read(ctx, &super::open::OfficeArgs::default())?;
    let mut damage = store.damage().to_vec();
    let (read, row_damage) = record::load(ctx, &mut *store.read()?, &a.id)?;
    damage.extend(row_damage);
    let super::load::Whole {
        id,
        rules,
        entries,
        history,
        row,
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
                s: &row,
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
        _ => write!(
            out,
            "{}",
            render::show::table(ctx.layout(), &row, &entries, &history, &eval, &rules)
        )?,
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
