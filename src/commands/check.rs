//! `sitrep check`: what is overdue, what went up late, who skipped a level, which report lacks
//! its measures or states a cause too early. Exit 3 when any violation; `due_soon` alone is not.
//!
//! Scope: incidents open at T, plus those closed in the 24 hours before T; `--since` widens the
//! closed part, `--all` takes every incident. Only in-scope incidents are read (by index), so
//! the cost follows the open incidents, not the history.

use std::io::Write;

use anyhow::Result;
use chrono::Duration;

use super::load;
use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::Instant;
use crate::domain::when::{parse_bound, parse_since};
use crate::error::{Exit, refuse};
use crate::store::Scope;
use crate::tz::short;

/// Findings as of a moment.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep check\n  sitrep check --at 2026-03-12T12:00:00+08:00 --format json\n  */10 * * * * sitrep check -q || mail -s 'sitrep: 报送问题' duty@example.org  # cron"
)]
pub struct Args {
    /// Judge as of TIME, past or ahead [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Also incidents closed since TIME or within DURATION (7d)
    #[arg(long, value_name = "TIME|DURATION", conflicts_with = "all")]
    pub since: Option<String>,
    /// Every incident
    #[arg(long)]
    pub all: bool,
    /// Print nothing when there is nothing to report, and leave reviewed findings out (for
    /// cron: it mails only what is new)
    #[arg(short, long)]
    pub quiet: bool,
    /// Only findings no review covers
    #[arg(long)]
    pub unreviewed: bool,
    #[command(flatten)]
    pub office: super::open::OfficeArgs,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json])?;
    let mut store = super::open::read(ctx, &a.office)?;
    let current = super::open::reading_rules(ctx, &mut store)?;
    let tz = current.tz;
    let at = match &a.at {
        // A moment ahead is a fair question ("what will be overdue at 09:00?"); nothing is
        // recorded, so the future is not refused here.
        Some(t) => parse_bound(t, ctx.now, tz).map_err(refuse)?,
        None => ctx.now,
    };
    let mut closed_after = at - Duration::hours(24);
    if let Some(s) = &a.since {
        // Counted back from T, not from now: a past moment's review looks back from that moment.
        closed_after = closed_after.min(parse_since(s, at, tz).map_err(refuse)?);
    }
    if a.all {
        closed_after = Instant::MIN_UTC;
    }
    let mut damaged = store.damage().to_vec();
    let mut judge = crate::check::Judge::new(at, closed_after);
    {
        let mut tx = store.read()?;
        let scope = Scope::Check { at, closed_after };
        load::each_in_scope(ctx, &mut *tx, scope, &mut damaged, |l| judge.add(l))?;
    }
    let (mut judged, row_damage) = judge.finish();
    damaged.extend(row_damage);
    if a.quiet || a.unreviewed {
        // A reviewed finding has been looked into: cron mails only what is new.
        for j in &mut judged {
            j.findings.retain(|f| f.reviewed.is_none());
        }
    }

    let violations = judged
        .iter()
        .flat_map(|j| &j.findings)
        .filter(|f| f.is_open_violation())
        .count();
    let any = judged.iter().any(|j| !j.findings.is_empty()) || !damaged.is_empty();
    if format == Format::Json {
        if !a.quiet || any {
            let v = crate::render::check::json(&judged, &damaged, at, tz);
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
    } else if judged.iter().any(|j| !j.findings.is_empty()) {
        write!(
            out,
            "{}",
            crate::render::check::table(ctx.layout(), &judged, at)
        )?;
    } else if !a.quiet {
        let shown = short(tz, at);
        writeln!(
            out,
            "{}",
            crate::msg!(
                "Nothing to report as of {shown}.",
                "截至 {shown}，无报送问题。"
            )
        )?;
    }
    // Damage does not blind the judging of the rest, and it is a problem in itself.
    load::warn(&damaged);
    Ok(if violations > 0 || !damaged.is_empty() {
        Exit::Problems
    } else {
        Exit::Success
    })
}
