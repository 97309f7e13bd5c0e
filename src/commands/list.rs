//! `sitrep list`: incidents, newest first.

use std::io::Write;

use anyhow::Result;

use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::when::parse_since;
use crate::error::{Exit, refuse, usage};
use crate::msg;
use crate::render::{self, csv as rcsv, json as rj};
use crate::store::ListFilter;

/// List incidents.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep list --open\n  sitrep list --since 7d --severity larger --format csv > 较大事故.csv"
)]
pub struct Args {
    /// Only open incidents
    #[arg(long, conflicts_with = "closed")]
    pub open: bool,
    /// Only closed incidents
    #[arg(long)]
    pub closed: bool,
    /// Only incidents filed since TIME, or within DURATION (7d, 48h)
    #[arg(long, value_name = "TIME|DURATION")]
    pub since: Option<String>,
    /// Only this severity class
    #[arg(long, value_name = "CLASS")]
    pub severity: Option<String>,
    /// Only this kind
    #[arg(long)]
    pub kind: Option<String>,
    /// At most N incidents
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Start CSV with a byte order mark, for spreadsheet programs that need it to read Chinese
    #[arg(long)]
    pub bom: bool,
    #[command(flatten)]
    pub office: super::open::OfficeArgs,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json, Format::Csv])?;
    if a.bom && format != Format::Csv {
        return Err(usage(msg!(
            "--bom is for --format csv",
            "--bom 仅用于 --format csv"
        )));
    }
    let mut store = super::open::read(ctx, &a.office)?;
    let rules = &super::open::reading_rules(ctx, &mut store)?;
    let severity = a
        .severity
        .as_deref()
        .map(|s| rules.severity_id(s))
        .transpose()
        .map_err(refuse)?;
    let kind = a
        .kind
        .as_deref()
        .map(|k| rules.kind_id(k))
        .transpose()
        .map_err(refuse)?;
    let filter = ListFilter {
        open: if a.open {
            Some(true)
        } else if a.closed {
            Some(false)
        } else {
            None
        },
        since: a
            .since
            .as_deref()
            .map(|s| parse_since(s, ctx.now, rules.tz))
            .transpose()
            .map_err(refuse)?,
        severity,
        kind,
        limit: a.limit,
    };
    // Selected and shown from the rows, by index: the guard trigger keeps each row in step with
    // its entries (it changes only with them), and a schema that is not sitrep's is said. The
    // commands that judge (`check`, `digest`, `show`, `verify`) replay the entries themselves.
    let damaged = store.damage().to_vec();
    let rows = store.read()?.list(&filter)?;
    let tz = rules.tz;
    match format {
        Format::Json => {
            let v: Vec<_> = rows.iter().map(|r| rj::incident(r, tz)).collect();
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = rcsv::writer(&mut *out, a.bom)?;
            w.write_record(rcsv::incident::headers(rules))?;
            for r in &rows {
                w.write_record(rcsv::incident::cells(r, rules, rules))?;
            }
            w.flush()?;
        }
        _ => write!(out, "{}", render::list::table(ctx.layout(), &rows, rules))?,
    }
    super::load::warn(&damaged);
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Problems
    })
}
