//! `sitrep file`: a new incident with its initial report (首报): facts fast.
//!
//! On a terminal every field of a 首报 not given as a flag is asked for, each answer checked as
//! it is typed (`ask`); elsewhere a missing required flag is named at once. Nothing typed is
//! lost: a cancel, or a refusal after answers were typed, leaves a draft.

mod ask;

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::input::{self, prompt::Prompter};
use super::record::{self, Draft, Stamp};
use super::report_flags::ReportFlags;
use crate::context::Ctx;
use crate::domain::model::Body;
use crate::domain::when::parse_when;
use crate::error::{Exit, refuse};

/// File a new incident with its initial report.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sitrep file --title '化工厂储罐泄漏' --kind hazardous_chemicals --occurred 14:05 \\\n    --location '开发区化工园' --unit '区应急管理局' --facts '2号储罐阀门泄漏，现场有刺激性气味' \\\n    --measures '已疏散周边300人，消防到场处置' --injuries 2 --evacuated 300"
)]
pub struct Args {
    /// A short title, e.g. 化工厂储罐泄漏
    #[arg(long)]
    pub title: Option<String>,
    /// The kind of incident (see `sitrep rules check`)
    #[arg(long)]
    pub kind: Option<String>,
    /// When it happened (14:05, yesterday 14:05, 2026-03-10 14:05, 30m ago, …)
    #[arg(long, value_name = "TIME")]
    pub occurred: Option<String>,
    /// When the office learned of it: the clock start [default: the report's time]
    #[arg(long, value_name = "TIME")]
    pub known: Option<String>,
    /// Where
    #[arg(long)]
    pub location: Option<String>,
    /// The reporting unit (报告单位)
    #[arg(long)]
    pub unit: Option<String>,
    /// The source of the information (信息来源): who told the office, how to reach them
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// The unit where it happened and its particulars (事故发生单位概况)
    #[arg(long, value_name = "TEXT")]
    pub accident_unit: Option<String>,
    /// What happened (快报情况)
    #[arg(long, value_name = "TEXT")]
    pub facts: Option<String>,
    /// Severity class [default: derived from the figures; lower than they imply is refused]
    #[arg(long, value_name = "CLASS")]
    pub severity: Option<String>,
    #[command(flatten)]
    pub report: ReportFlags,
    /// When this report is made [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Write the facts and measures in $VISUAL/$EDITOR
    #[arg(long)]
    pub edit: bool,
    /// On a shared store: the office filed for, where the login holds several
    #[arg(long, value_name = "CODE")]
    pub office: Option<String>,
}

pub fn run(ctx: &Ctx, mut a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    // A shared store is opened first: the office's rules, held there, decide what is asked.
    // A file is opened (and made, on first use) only to write.
    let mut shared = match ctx.db.is_shared() {
        true => Some(super::open::write(
            ctx,
            a.office.as_deref(),
            false,
            &draft(&a),
        )?),
        false if a.office.is_some() => {
            return Err(crate::error::usage(crate::msg!(
                "--office: a file is one office's record, and offices belong to a shared store (--db postgres://…)",
                "--office：文件即一个单位的记录，单位属于共享库（--db postgres://…）"
            )));
        }
        false => None,
    };
    let (loaded, actor) = match &mut shared {
        Some((store, login)) => (super::open::filing_rules(ctx, store)?, login.clone()),
        None => (super::open::filing_rules_here(ctx)?, ctx.actor()?),
    };
    let rules = &loaded.rules;
    // What no question asks for is read before any question is asked.
    let at = match &a.at {
        Some(t) => parse_when(t, ctx.now, rules.tz).map_err(refuse)?,
        None => ctx.now,
    };
    let severity = a
        .severity
        .as_deref()
        .map(|s| rules.severity_id(s))
        .transpose()
        .map_err(refuse)?;
    a.report.figures(rules)?;
    a.report.cause()?;
    if a.edit {
        input::edit(
            ctx,
            &mut [
                (crate::i18n::Label::Facts.text(), &mut a.facts),
                (crate::i18n::Label::Measures.text(), &mut a.report.measures),
            ],
        )?;
    }
    input::missing(
        ctx,
        &[
            ("--title", a.title.as_deref()),
            ("--kind", a.kind.as_deref()),
            ("--occurred", a.occurred.as_deref()),
            ("--location", a.location.as_deref()),
            ("--unit", a.unit.as_deref()),
            ("--facts", a.facts.as_deref()),
        ],
    )?;
    let mut p = Prompter::new(ctx.interactive);
    let (header, report) = match ask::first_report(ctx, rules, &mut a, at, &mut p) {
        Ok(read) => read,
        Err(stop) => return Err(p.stopped(ctx, stop, &draft(&a))),
    };
    let body = Body::Initial {
        header,
        report,
        severity,
        rules: rules.hash.clone(),
    };
    let draft = draft(&a);
    let write = |tx: &mut dyn crate::store::Write| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::file_new(tx, &loaded, at, &stamp, body.clone())
    };
    let rec = match &mut shared {
        Some((store, _)) => record::write(ctx, store, &draft, write),
        None => record::write_creating(ctx, &draft, write),
    }
    .map_err(|e| p.unrecorded(ctx, e, &draft))?;
    deadlines::print(ctx, format, &rec, at, out)?;
    Ok(Exit::Success)
}

/// What was typed (as flags or answers), for a draft.
fn draft(a: &Args) -> Draft<'static> {
    Draft {
        command: "file",
        fields: json!({
            "title": a.title, "kind": a.kind, "occurred": a.occurred, "known": a.known,
            "location": a.location, "unit": a.unit, "source": a.source,
            "accident_unit": a.accident_unit, "facts": a.facts, "severity": a.severity,
            "at": a.at, "report": a.report.to_json(),
        }),
    }
}
