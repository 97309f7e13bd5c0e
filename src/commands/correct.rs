//! `sitrep correct`: a correction is a new entry naming the entry it corrects and why; the
//! original stays, and is shown beside the correction everywhere.
//!
//! `--at` here is the corrected entry's claimed time; the correction itself is claimed now.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::record::{self, Draft, Stamp};
use super::report_flags::ReportFlags;
use crate::context::Ctx;
use crate::domain::model::{Body, Cause, Changes};
use crate::domain::text::{clean_line, clean_text};
use crate::domain::when::{parse_past, parse_when};
use crate::error::{Exit, refuse, usage};
use crate::msg;

/// Correct an entry.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep correct 20260310-001 --entry 3 --at 14:12 --reason '报送时间记录有误，以通话记录为准'\n  sitrep correct 20260310-001 --entry 1 --deaths 1 --reason '核实后死亡1人'"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// The entry to correct (its number in `sitrep show`)
    #[arg(long, value_name = "N")]
    pub entry: Option<u32>,
    /// Why (required)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The entry's correct time
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The initial report's correct title
    #[arg(long)]
    pub title: Option<String>,
    /// The correct kind
    #[arg(long)]
    pub kind: Option<String>,
    /// The correct occurred time
    #[arg(long, value_name = "TIME")]
    pub occurred: Option<String>,
    /// The correct known time
    #[arg(long, value_name = "TIME")]
    pub known: Option<String>,
    /// The correct location
    #[arg(long)]
    pub location: Option<String>,
    /// The correct reporting unit
    #[arg(long)]
    pub unit: Option<String>,
    /// The correct source of the information
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// The correct particulars of the unit where it happened
    #[arg(long, value_name = "TEXT")]
    pub accident_unit: Option<String>,
    /// The correct declared severity
    #[arg(long, value_name = "CLASS")]
    pub severity: Option<String>,
    /// The initial report's correct facts
    #[arg(long, value_name = "TEXT")]
    pub facts: Option<String>,
    /// A follow-up's correct progress
    #[arg(long, value_name = "TEXT")]
    pub progress: Option<String>,
    /// The final report's correct summary
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    #[command(flatten)]
    pub report: ReportFlags,
    /// An escalation's correct level
    #[arg(long)]
    pub level: Option<String>,
    /// An escalation's correct channel
    #[arg(long, value_name = "CHANNEL")]
    pub via: Option<String>,
    /// An escalation's correct contact
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// An escalation's correct bypass reason
    #[arg(long, value_name = "TEXT")]
    pub bypass_reason: Option<String>,
    /// An escalation's correct signer of the written report
    #[arg(long, value_name = "NAME")]
    pub signed_by: Option<String>,
    /// A review's correct note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    // A bad name is refused before anything is asked.
    ctx.actor()?;
    let mut missing = Vec::new();
    if a.entry.is_none() {
        missing.push("--entry");
    }
    if a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        missing.push("--reason");
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Err(usage(msg!(
            "missing {list}: a correction names the entry it corrects and says why",
            "缺少 {list}：更正须指明所更正的记录并说明理由"
        )));
    }
    let n = a.entry.unwrap_or_default();
    let reason = clean_text("--reason", a.reason.as_deref().unwrap_or_default()).map_err(refuse)?;

    let (mut store, actor) = super::open::write(ctx, None, false, &record::Draft::argv("correct"))?;
    let read = record::read(ctx, &mut store, &a.id)?;
    let (rules, history) = (read.rules, read.history);
    let Some(target) = history.entry(n) else {
        let id = &a.id;
        let last = history.entries.len();
        return Err(refuse(msg!(
            "{id} has no entry {n} (it has entries 1 to {last}): `sitrep show {id}` lists them",
            "{id} 没有第 {n} 条记录（共 1 至 {last} 条）：可用 `sitrep show {id}` 查看"
        )));
    };
    let tz = rules.tz;
    let time = |v: &Option<String>| {
        v.as_deref()
            .map(|t| parse_when(t, ctx.now, tz))
            .transpose()
            .map_err(refuse)
    };
    // The incident's own times: a time of day later than now is yesterday's, and said so.
    let past = |v: &Option<String>| -> Result<Option<crate::domain::model::Instant>> {
        v.as_deref()
            .map(|t| {
                let (t, note) = parse_past(t, ctx.now, tz).map_err(refuse)?;
                super::note(note.as_ref());
                Ok(t)
            })
            .transpose()
    };
    let line = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|t| clean_line(flag, t))
            .transpose()
            .map_err(refuse)
    };
    let text = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|t| clean_text(flag, t))
            .transpose()
            .map_err(refuse)
    };

    // The main text flag must be the one the entry's stage has.
    let stage_text = [
        ("--facts", &a.facts, crate::rules::Stage::Initial),
        ("--progress", &a.progress, crate::rules::Stage::Followup),
        ("--summary", &a.summary, crate::rules::Stage::Final),
    ];
    let mut new_text = None;
    for (flag, value, stage) in stage_text {
        if value.is_some() {
            if target.body.stage() != Some(stage) {
                let (what, what_zh) = target.body.entry_type().names();
                return Err(refuse(msg!(
                    "entry {n} ({what}) has no {flag}",
                    "第 {n} 条（{what_zh}）没有 {flag}"
                )));
            }
            new_text = text(flag, value)?;
        }
    }
    let cause = match (a.report.cause.is_some(), a.report.status()?) {
        (false, Some(status)) => {
            let current = target.body.report().and_then(|r| r.cause.clone());
            match current {
                Some(c) => Some(Cause {
                    text: c.text,
                    status,
                }),
                None => a.report.cause()?,
            }
        }
        _ => a.report.cause()?,
    };
    let changes = Changes {
        at: time(&a.at)?,
        title: line("--title", &a.title)?,
        kind: a
            .kind
            .as_deref()
            .map(|k| rules.kind_id(k))
            .transpose()
            .map_err(refuse)?,
        occurred: past(&a.occurred)?,
        known: past(&a.known)?,
        location: line("--location", &a.location)?,
        unit: line("--unit", &a.unit)?,
        source: line("--source", &a.source)?,
        accident_unit: text("--accident-unit", &a.accident_unit)?,
        severity: a
            .severity
            .as_deref()
            .map(|s| rules.severity_id(s))
            .transpose()
            .map_err(refuse)?,
        text: new_text,
        measures: text("--measures", &a.report.measures)?,
        figures: a.report.figures(&rules)?,
        cause,
        level: a
            .level
            .as_deref()
            .map(|l| rules.level_id(l))
            .transpose()
            .map_err(refuse)?,
        channel: a
            .via
            .as_deref()
            .map(|c| rules.channel_id(c))
            .transpose()
            .map_err(refuse)?,
        contact: line("--contact", &a.contact)?,
        reason: text("--bypass-reason", &a.bypass_reason)?,
        signed_by: line("--signed-by", &a.signed_by)?,
        note: text("--note", &a.note)?,
    };
    if changes.is_empty() {
        return Err(usage(msg!(
            "nothing to correct: give the corrected fields, e.g. --at 14:12 or --deaths 1",
            "没有要更正的内容：请给出更正后的字段，例如 --at 14:12 或 --deaths 1"
        )));
    }
    if let Some(s) = &changes.severity {
        rules.known_severity(s).map_err(refuse)?;
    }
    let body = Body::Correction {
        corrects: n,
        reason,
        changes,
    };
    let draft = Draft {
        command: "correct",
        fields: json!({ "id": a.id, "entry": a.entry, "reason": a.reason, "argv": ctx.argv }),
    };
    let rec = record::write(ctx, &mut store, &draft, |tx| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::append(ctx, tx, &a.id, ctx.now, &stamp, body.clone())
    })?;
    deadlines::print(ctx, format, &rec, ctx.now, out)?;
    Ok(Exit::Success)
}
