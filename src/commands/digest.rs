//! `sitrep digest`: the report for a duty day (值班日报) or any window.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::Format;
use crate::context::Ctx;
use crate::digest::{Window, build};
use crate::domain::when::parse_bound;
use crate::error::{Exit, refuse, usage};
use crate::i18n::in_lang;
use crate::msg;
use crate::render::digest as rd;
use crate::store::Scope;

use super::load;
use crate::tz::short;

/// The report for a window.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep digest                               # the latest complete duty day\n  sitrep digest --date 2026-03-11 --format markdown --lang zh > 值班日报-2026-03-11.md\n  sitrep digest --from '2026-03-11 00:00' --to '2026-03-12 00:00' --format json\n  sitrep digest --date 2026-03-11 --format csv --bom > 日报.csv\n  sitrep digest --date 2026-03-11 --format html > 值班日报.html"
)]
pub struct Args {
    /// The duty day: from the rules' day_starts (08:00) to the same time the next day
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// The start of a window (with --to)
    #[arg(long, value_name = "TIME", requires = "to")]
    pub from: Option<String>,
    /// The end of a window, not included (with --from)
    #[arg(long, value_name = "TIME", requires = "from")]
    pub to: Option<String>,
    /// Start CSV with a byte order mark, for spreadsheet programs that need it to read Chinese
    #[arg(long)]
    pub bom: bool,
    #[command(flatten)]
    pub office: super::open::OfficeArgs,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
    ])?;
    if a.bom && format != Format::Csv {
        return Err(usage(msg!(
            "--bom is for --format csv",
            "--bom 仅用于 --format csv"
        )));
    }
    let mut store = super::open::read(ctx, &a.office)?;
    let rules = super::open::reading_rules(ctx, &mut store)?;
    let window = so_far(ctx, window(ctx, &a, &rules)?, &rules)?;
    let mut damaged = store.damage().to_vec();
    let (loaded, head) = {
        let mut tx = store.read()?;
        let scope = Scope::Window {
            from: window.from,
            to: window.to,
        };
        let mut loaded = Vec::new();
        load::each_in_scope(ctx, &mut *tx, scope, &mut damaged, |l| loaded.push(l))?;
        (loaded, tx.heads(Some(window.to))?)
    };
    let (digest, found) = build(window, loaded, head);
    damaged.extend(found);
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rd::to_json(&digest, &rules))?
        )?,
        // The duty day's report is a document: in the document's language, not the UI's.
        Format::Markdown => {
            let names = office_names(&mut store)?;
            write!(
                out,
                "{}",
                in_lang(ctx.document_lang_for(&rules), || {
                    crate::render::digest_md::to_markdown(&digest, &rules, &names)
                })
            )?
        }
        Format::Html => write!(
            out,
            "{}",
            in_lang(ctx.document_lang_for(&rules), || {
                crate::render::html::digest_page(&digest, &rules)
            })
        )?,
        Format::Csv => rd::write_csv(&digest, &rules, out, a.bom)?,
        Format::Table => write!(
            out,
            "{}",
            crate::render::digest_table::table(ctx.layout(), &digest, &rules)
        )?,
    }
    load::warn(&damaged);
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Problems
    })
}

/// The offices' names by code, for the Markdown's headings: a shared store's; none for a file.
fn office_names(store: &mut crate::store::Store) -> Result<BTreeMap<String, String>> {
    if store.shared().is_none() {
        return Ok(BTreeMap::new());
    }
    let offices = store.postgres()?.offices().list()?;
    Ok(offices.into_iter().map(|o| (o.code, o.name)).collect())
}

/// A window not yet over is reported up to now, and said so: judged at its end, a step due
/// later tonight would be called overdue by hours it has not yet been. One that has not begun
/// is refused.
fn so_far(ctx: &Ctx, w: Window, rules: &crate::rules::Rules) -> Result<Window> {
    if w.to <= ctx.now {
        return Ok(w);
    }
    let (from, to, now) = (
        short(rules.tz, w.from),
        short(rules.tz, w.to),
        short(rules.tz, ctx.now),
    );
    if w.from >= ctx.now {
        return Err(refuse(msg!(
            "the window {from} to {to} has not begun (it is {now}): there is nothing to report yet; give a day or window that has begun, or leave them out for the latest complete day",
            "时段 {from} 至 {to} 尚未开始（现在是 {now}）：还没有可报告的内容；请给出已开始的值班日或时段，或不给出以取最近一个完整的值班日"
        )));
    }
    super::note(Some(&msg!(
        "note: the window {from} to {to} is not over: this digest covers it up to now, {now}",
        "注意：时段 {from} 至 {to} 尚未结束：本日报只统计到现在（{now}）"
    )));
    // Half-open: up to the second after now, so what was entered just now is in it.
    Ok(Window {
        from: w.from,
        to: ctx.now + chrono::Duration::seconds(1),
    })
}

fn window(ctx: &Ctx, a: &Args, rules: &crate::rules::Rules) -> Result<Window> {
    if let Some(day) = &a.date {
        let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
            refuse(msg!(
                "`{day}` is not a date: write the duty day as YYYY-MM-DD, e.g. 2026-03-11",
                "“{day}”不是日期：值班日应写作 YYYY-MM-DD，例如 2026-03-11"
            ))
        })?;
        return Ok(Window::day(date, rules));
    }
    if let (Some(f), Some(t)) = (&a.from, &a.to) {
        let from = parse_bound(f, ctx.now, rules.tz).map_err(refuse)?;
        let to = parse_bound(t, ctx.now, rules.tz).map_err(refuse)?;
        if to <= from {
            let (fs, ts) = (short(rules.tz, from), short(rules.tz, to));
            return Err(refuse(msg!(
                "--to {ts} is not after --from {fs}: the window would be empty",
                "--to {ts} 不晚于 --from {fs}：时段为空"
            )));
        }
        return Ok(Window { from, to });
    }
    Ok(Window::latest_complete_day(ctx.now, rules))
}
