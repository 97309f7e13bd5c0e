//! `sitrep file`: a new incident with its initial report (首报): facts fast.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::input::{self, Ask, Need};
use super::record::{self, Draft, Stamp};
use super::report::ReportFlags;
use crate::context::Ctx;
use crate::domain::model::{Body, Header};
use crate::domain::text::{clean_line, clean_text};
use crate::domain::when::{parse_past, parse_when};
use crate::error::{Exit, refuse};
use crate::msg;

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
}

pub fn run(ctx: &Ctx, mut a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    let actor = ctx.actor()?;
    let loaded = ctx.rules()?;
    let rules = &loaded.rules;
    if a.edit {
        input::edit(
            ctx,
            &mut [
                (crate::i18n::Label::Facts.text(), &mut a.facts),
                (crate::i18n::Label::Measures.text(), &mut a.report.measures),
            ],
        )?;
    }
    let kinds = rules
        .kinds
        .iter()
        .map(|k| (k.id.clone(), crate::render::item(&k.id, &k.label)))
        .collect();
    input::fill(
        ctx,
        vec![
            Need {
                flag: "--title",
                prompt: msg!("Title", "标题"),
                ask: Ask::Text,
                value: &mut a.title,
            },
            Need {
                flag: "--kind",
                prompt: msg!("Kind", "事件类型"),
                ask: Ask::Choice(kinds),
                value: &mut a.kind,
            },
            Need {
                flag: "--occurred",
                prompt: msg!(
                    "Occurred (e.g. 14:05, yesterday 14:05, 30m ago)",
                    "发生时间（如 14:05、昨天 14:05、30分钟前）"
                ),
                ask: Ask::Text,
                value: &mut a.occurred,
            },
            Need {
                flag: "--location",
                prompt: msg!("Location", "地点"),
                ask: Ask::Text,
                value: &mut a.location,
            },
            Need {
                flag: "--unit",
                prompt: msg!("Reporting unit", "报告单位"),
                ask: Ask::Text,
                value: &mut a.unit,
            },
            Need {
                flag: "--facts",
                prompt: msg!("Facts", "基本情况"),
                ask: Ask::Text,
                value: &mut a.facts,
            },
        ],
    )?;
    let tz = rules.tz;
    let take = |v: &Option<String>| v.clone().unwrap_or_default();
    let at = match &a.at {
        Some(t) => parse_when(t, ctx.now, tz).map_err(refuse)?,
        None => ctx.now,
    };
    let past = |t: &str| -> Result<crate::domain::model::Instant> {
        let (t, note) = parse_past(t, ctx.now, tz).map_err(refuse)?;
        super::note(note.as_ref());
        Ok(t)
    };
    let occurred = past(&take(&a.occurred))?;
    let known = match &a.known {
        Some(t) => past(t)?,
        None => at,
    };
    let kind = rules.kind_id(&take(&a.kind)).map_err(refuse)?;
    let severity = a
        .severity
        .as_deref()
        .map(|s| rules.severity_id(s))
        .transpose()
        .map_err(refuse)?;
    let facts = clean_text("--facts", &take(&a.facts)).map_err(refuse)?;
    let body = Body::Initial {
        header: Header {
            title: clean_line("--title", &take(&a.title)).map_err(refuse)?,
            kind,
            occurred,
            known,
            location: clean_line("--location", &take(&a.location)).map_err(refuse)?,
            unit: clean_line("--unit", &take(&a.unit)).map_err(refuse)?,
            source: a
                .source
                .as_deref()
                .map(|t| clean_line("--source", t))
                .transpose()
                .map_err(refuse)?,
            accident_unit: a
                .accident_unit
                .as_deref()
                .map(|t| clean_text("--accident-unit", t))
                .transpose()
                .map_err(refuse)?,
        },
        report: a.report.report(facts, rules)?,
        severity,
        rules: rules.hash.clone(),
    };
    let draft = Draft {
        command: "file",
        fields: json!({
            "title": a.title, "kind": a.kind, "occurred": a.occurred, "known": a.known,
            "location": a.location, "unit": a.unit, "source": a.source,
            "accident_unit": a.accident_unit, "facts": a.facts, "severity": a.severity,
            "at": a.at, "report": a.report.to_json(),
        }),
    };
    let rec = record::write_creating(ctx, &draft, |tx| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::file_new(ctx, tx, at, &stamp, body, None)
    })?;
    deadlines::print(ctx, format, &rec, at, out)?;
    Ok(Exit::Success)
}
