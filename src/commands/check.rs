//! `sitrep check`: what is overdue, what went up late, who skipped a level, which report lacks
//! its measures or states a cause too early. Exit 3 when any violation; `due_soon` alone is not.
//!
//! Scope: incidents open at T, plus those closed in the 24 hours before T; `--since` widens the
//! closed part, `--all` takes every incident. Only in-scope incidents are read (by index), so
//! the cost follows the open incidents, not the history.

use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

use anyhow::Result;
use chrono::Duration;
use serde_json::{Value, json};

use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::Instant;
use crate::domain::replay::replay;
use crate::domain::summary::Summary;
use crate::domain::when::{parse_bound, parse_since};
use crate::engine::{Finding, FindingKind, evaluate_history};
use crate::error::{Exit, refuse};
use crate::i18n::{Label, pick};
use crate::render::{self, finding::minutes_cell, json as rj, table};
use crate::rules::Rules;
use crate::store::{Damage, Scope, Store, Tx};

use super::audit;
use crate::tz::{rfc3339, short};

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
}

/// An incident's findings, with the rules that judged them.
pub struct Judged {
    pub id: String,
    pub title: String,
    pub filed: Instant,
    pub rules: Rc<Rules>,
    pub findings: Vec<Finding>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json])?;
    let current = Rc::clone(&ctx.rules()?.rules);
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
    let mut store = Store::open(&ctx.db)?;
    let mut damaged = store.damage().to_vec();
    let (judged, row_damage) = store.read(|tx| judge_scope(ctx, tx, at, closed_after))?;
    damaged.extend(row_damage);
    let (mut judged, damaged) = (judged, damaged);
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
            serde_json::to_writer_pretty(&mut *out, &to_json(&judged, &damaged, at, tz))?;
            writeln!(out)?;
        }
    } else if judged.iter().any(|j| !j.findings.is_empty()) {
        print_table(ctx, out, &judged, at)?;
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
    audit::warn(&damaged);
    Ok(if violations > 0 || !damaged.is_empty() {
        Exit::Problems
    } else {
        Exit::Success
    })
}

/// Evaluates every incident in scope at `at`: two queries, whatever the size of the history.
/// An incident whose row disagrees with its entries is judged from its entries and named as
/// damage; one whose entries cannot be replayed is named and left out; the others are judged.
pub fn judge_scope(
    ctx: &Ctx,
    tx: &Tx<'_>,
    at: Instant,
    closed_after: Instant,
) -> Result<(Vec<Judged>, Vec<Damage>)> {
    let scope = Scope::Check { at, closed_after };
    let rows: HashMap<String, Summary> = tx
        .scope_incidents(scope)?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    let mut damaged = Vec::new();
    tx.scan_scope(scope, |id, entries| {
        let (read, damage) = audit::read(ctx, tx, id, rows.get(id), entries)?;
        damaged.extend(damage);
        let Some(read) = read else {
            return Ok(());
        };
        // The whole history is the history as of T unless something is claimed after T.
        let later = read.entries.iter().any(|e| e.at > at)
            || read.history.entries.iter().any(|e| e.at > at);
        let history = if later {
            match replay(&read.entries, &read.rules, Some(at)) {
                Ok(Some(h)) => h,
                Ok(None) => return Ok(()),
                Err(m) => {
                    damaged.push(Damage::Unreplayable {
                        incident: id.to_owned(),
                        message: m.to_string(),
                    });
                    return Ok(());
                }
            }
        } else {
            read.history
        };
        // Closed, as of T, before the scope's start.
        if history.closed.is_some_and(|c| c < closed_after) {
            return Ok(());
        }
        let eval = evaluate_history(&history, &read.rules, at);
        out.push(Judged {
            id: id.to_owned(),
            title: history.header.title.clone(),
            filed: history.filed,
            rules: read.rules,
            findings: eval.findings,
        });
        Ok(())
    })?;
    // Oldest first, as the incidents were filed.
    out.sort_by(|a, b| (a.filed, &a.id).cmp(&(b.filed, &b.id)));
    Ok((out, damaged))
}

/// The JSON of DESIGN.md §5.
pub fn to_json<'a>(
    judged: &'a [Judged],
    damaged: &'a [Damage],
    at: Instant,
    tz: chrono_tz::Tz,
) -> impl serde::Serialize + 'a {
    #[derive(serde::Serialize)]
    struct CheckJson<'a> {
        at: String,
        findings: Vec<rj::FindingJson<'a>>,
        summary: Value,
        damaged: Vec<Value>,
    }
    CheckJson {
        damaged: damaged
            .iter()
            .map(|d| json!({"incident": d.incident(), "message": d.to_string()}))
            .collect(),
        at: rfc3339(tz, at),
        findings: judged
            .iter()
            .flat_map(|j| {
                j.findings
                    .iter()
                    .map(move |f| rj::finding(&j.id, f, &j.rules))
            })
            .collect(),
        summary: summary(judged.iter().flat_map(|j| &j.findings)),
    }
}

/// Counts by finding kind, every kind present, and `unreviewed`: the violations no review
/// covers (what makes `check` exit 3).
pub fn summary<'a>(findings: impl Iterator<Item = &'a Finding>) -> Value {
    let mut counts: Vec<(FindingKind, u64)> = FindingKind::ALL.iter().map(|k| (*k, 0)).collect();
    let mut unreviewed = 0u64;
    for f in findings {
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == f.kind) {
            c.1 += 1;
        }
        unreviewed += u64::from(f.is_open_violation());
    }
    let mut m: serde_json::Map<String, Value> = counts
        .into_iter()
        .map(|(k, n)| (k.as_str().to_owned(), json!(n)))
        .collect();
    m.insert("unreviewed".to_owned(), json!(unreviewed));
    Value::Object(m)
}

fn print_table(ctx: &Ctx, out: &mut dyn Write, judged: &[Judged], at: Instant) -> Result<()> {
    let layout = ctx.layout();
    let tz = judged.first().map_or(chrono_tz::UTC, |j| j.rules.tz);
    let shown = short(tz, at);
    writeln!(out, "{}", crate::msg!("As of {shown}:", "截至 {shown}："))?;
    for j in judged.iter().filter(|j| !j.findings.is_empty()) {
        writeln!(out, "\n{}  {}", j.id, j.title)?;
        let mut t = table::new(
            layout,
            &[
                Label::Finding,
                Label::Step,
                Label::Due,
                Label::Done,
                Label::Minutes,
                Label::Message,
            ],
        );
        for f in &j.findings {
            let rtz = j.rules.tz;
            let kind = match (f.reason, crate::i18n::lang()) {
                (Some(r), crate::i18n::Lang::Zh) => reason_text(r).to_owned(),
                (Some(r), crate::i18n::Lang::En) => {
                    format!("{} ({})", table::kind_text(f.kind), reason_text(r))
                }
                (None, _) => table::kind_text(f.kind).to_owned(),
            };
            let kind = match &f.reviewed {
                Some(_) => format!("{kind} ({})", Label::Reviewed.text()),
                None => kind,
            };
            // The columns say the step, times and minutes; the last says only what they cannot.
            let mut message = render::finding::detail(f, &j.rules);
            if let Some(r) = &f.reviewed {
                if !message.is_empty() {
                    message.push_str(pick("; ", "；"));
                }
                message.push_str(&render::finding::reviewed(r, rtz));
            }
            t.add_row(vec![
                table::finding_cell(kind, f.kind, ctx.color && f.reviewed.is_none()),
                table::cell(render::finding::subject(f, &j.rules)),
                table::cell(f.due.map(|d| short(rtz, d)).unwrap_or_else(|| "-".into())),
                table::cell(f.done.map(|d| short(rtz, d)).unwrap_or_else(|| "-".into())),
                table::cell(minutes_cell(f)),
                table::cell(message),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    let all: Vec<&Finding> = judged.iter().flat_map(|j| &j.findings).collect();
    let parts: Vec<String> = FindingKind::ALL
        .iter()
        .map(|k| {
            let n = all.iter().filter(|f| f.kind == *k).count();
            format!("{} {n}", table::kind_text(*k))
        })
        .collect();
    writeln!(
        out,
        "\n{}{}",
        pick("Summary: ", "汇总："),
        parts.join(pick(", ", "，"))
    )?;
    Ok(())
}

fn reason_text(r: crate::engine::SkipReason) -> &'static str {
    match r {
        crate::engine::SkipReason::Bypassed => pick("bypassed", "越级报送"),
        crate::engine::SkipReason::Omitted => pick("omitted", "漏报"),
    }
}
