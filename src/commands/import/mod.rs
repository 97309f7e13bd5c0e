//! `sitrep import FILE|-`: JSON Lines in the shape `export` writes, into the database in one
//! transaction.
//!
//! Rules:
//! - Each incident is replayed through the same rules as the commands (`domain::replay`):
//!   reclassifications are derived again, every invariant is checked. Imported entries keep
//!   their claimed and recorded times, who acted, and are marked imported; corrections are
//!   renumbered with the entries they correct.
//! - An incident is pinned to the stored rules text its `rules` hash names, if this database has
//!   it; otherwise to the rules in force (`--rules`, `./reporting-rules.toml` or built-in).
//! - A bad line is refused with its line number and what is wrong, and nothing is written: the
//!   whole import is one transaction.
//! - A progress count goes to stderr on a terminal, nothing otherwise.
//! - Lines are read and parsed on a thread of their own, ahead of the writer; the writer
//!   takes them in order and stops at the first refusal, so what is refused, and the line
//!   it names, are as if read one by one.

mod parse;
mod shape;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc;

use anyhow::{Context as _, Result};

use super::record::{new_entry, reclassification};
use crate::context::{Ctx, LoadedRules};
use crate::domain::id::IncidentId;
use crate::domain::model::{Body, Entry};
use crate::domain::replay::replay;
use crate::domain::row::IncidentRow;
use crate::error::{Exit, refuse};
use crate::i18n::Msg;
use crate::msg;
use crate::rules::Rules;
use crate::store::Write as StoreWrite;

/// JSON Lines into the database.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep --db new.db import ledger.jsonl\n  sitrep export | sitrep --db copy.db import -"
)]
pub struct Args {
    /// The file to read, or - for standard input
    pub file: PathBuf,
    /// On a shared store: the office the incidents are brought into (their ids get its code)
    #[arg(long, value_name = "CODE")]
    pub office: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let input: Box<dyn Read + Send> = if a.file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&a.file).with_context(|| {
            let p = a.file.display();
            msg!("cannot read {p}", "无法读取 {p}")
        })?)
    };
    let reader = BufReader::with_capacity(1 << 20, input);
    if ctx.db.is_shared() && a.office.is_none() {
        return Err(crate::error::usage(msg!(
            "on a shared store, say which office the incidents are brought into: --office CODE",
            "共享库中请用 --office 代码 指定导入到哪个单位"
        )));
    }
    let mut store = super::open::for_writing(ctx, a.office.as_deref(), true)?;
    let fallback = super::open::filing_rules(ctx, &mut store)?;
    // One transaction of up to millions of rows: keep its pages in memory rather than spilling
    // them to the log mid-way.
    store.prepare_bulk()?;
    let mut tx = store.write()?;
    let (incidents, entries) = import(ctx, &mut *tx, reader, &fallback, a.office.as_deref())?;
    tx.commit()?;
    writeln!(
        out,
        "{}",
        msg!(
            "imported {incidents} incidents, {entries} entries",
            "已导入 {incidents} 起事件，{entries} 条记录"
        )
    )?;
    Ok(Exit::Success)
}

/// Incidents read ahead of the writer, a batch at a time.
const READ_AHEAD: usize = 64;
const BATCH_LINES: usize = 256;

/// A line's incident, or why it was refused, with its line number.
type Read1 = (usize, Result<parse::InIncident, Msg>);

/// Reads and parses the lines on a thread of their own, so that reading the next incidents
/// goes on while the store writes the last ones (on a shared store the writer mostly waits
/// for the server). Stops at the first error, which is sent like a line.
fn read_lines(
    reader: impl BufRead,
    now: crate::domain::model::Instant,
    send: &mpsc::SyncSender<Result<Vec<Read1>>>,
) {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    for (i, line) in reader.lines().enumerate() {
        let number = i + 1;
        let line = match line
            .with_context(|| msg!("cannot read line {number}", "无法读取第 {number} 行"))
        {
            Ok(line) => line,
            Err(e) => {
                let _ = send.send(Ok(std::mem::take(&mut batch)));
                let _ = send.send(Err(e));
                return;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let parsed = parse::incident(&line, now);
        let refused = parsed.is_err();
        batch.push((number, parsed));
        if refused || batch.len() == BATCH_LINES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
            if send.send(Ok(full)).is_err() || refused {
                return;
            }
        }
    }
    let _ = send.send(Ok(batch));
}

/// Reads every line and writes every incident; any error rolls the whole import back.
fn import(
    ctx: &Ctx,
    tx: &mut dyn StoreWrite,
    reader: impl BufRead + Send,
    fallback: &LoadedRules,
    office: Option<&str>,
) -> Result<(u64, u64)> {
    let (send, receive) = mpsc::sync_channel(READ_AHEAD);
    let now = ctx.now;
    std::thread::scope(|scope| {
        scope.spawn(move || read_lines(reader, now, &send));
        // Returning early drops `receive`, which stops the reader at its next batch.
        write_all(ctx, tx, receive, fallback, office)
    })
}

/// Writes what the reader sends.
fn write_all(
    ctx: &Ctx,
    tx: &mut dyn StoreWrite,
    receive: mpsc::Receiver<Result<Vec<Read1>>>,
    fallback: &LoadedRules,
    office: Option<&str>,
) -> Result<(u64, u64)> {
    let mut incidents = 0u64;
    let mut entries = 0u64;
    let mut stored_rules: HashMap<String, Rc<Rules>> = HashMap::new();
    // Incidents that named rules this database does not have, pinned to the rules in force.
    let mut repinned = 0u64;
    let progress = ctx.stderr_tty;
    let mut err = std::io::stderr();
    for batch in receive {
        for (number, inc) in batch? {
            let at_line = |m: Msg| {
                let (en, zh) = (m.en, m.zh);
                refuse(msg!(
                    "line {number}: {en}; nothing was imported",
                    "第 {number} 行：{zh}；未导入任何记录"
                ))
            };
            let inc = inc.map_err(at_line)?;
            let rules = match stored_rules.get(&inc.rules) {
                Some(r) => Rc::clone(r),
                None => {
                    let r = if !inc.rules.is_empty() && tx.rules_text(&inc.rules)?.is_some() {
                        ctx.pinned(tx, &inc.rules)?
                    } else {
                        tx.store_rules(&fallback.rules.hash, &fallback.text, ctx.now)?;
                        Rc::clone(&fallback.rules)
                    };
                    stored_rules.insert(inc.rules.clone(), Rc::clone(&r));
                    r
                }
            };
            if !inc.rules.is_empty() && inc.rules != rules.hash {
                repinned += 1;
            }
            entries += write_incident(tx, inc, &rules, office).map_err(at_line)?;
            incidents += 1;
            if progress && incidents % 1000 == 0 {
                let _ = write!(
                    err,
                    "\r{}",
                    msg!(
                        "importing… {incidents} incidents",
                        "导入中… {incidents} 起事件"
                    )
                );
            }
        }
    }
    if progress {
        let _ = writeln!(
            err,
            "\r{}",
            msg!(
                "imported {incidents} incidents",
                "已导入 {incidents} 起事件"
            )
        );
    }
    if repinned > 0 {
        let (name, hash) = (&fallback.rules.name, &fallback.rules.hash[..12]);
        let _ = writeln!(
            err,
            "{}",
            msg!(
                "note: {repinned} incidents named rules this database does not hold; they are pinned to the rules in force, {name} ({hash})",
                "注意：{repinned} 起事件所依据的规则不在本数据库中，已按当前规则 {name}（{hash}）处理"
            )
        );
    }
    Ok((incidents, entries))
}

/// Replays one incident and appends its entries; returns how many were written.
fn write_incident(
    tx: &mut dyn StoreWrite,
    inc: parse::InIncident,
    rules: &Rc<Rules>,
    office: Option<&str>,
) -> Result<u64, Msg> {
    let mut id = IncidentId::parse(&inc.id)?;
    if let Some(o) = office {
        id = id.in_office(o);
    }
    let id_text = id.to_string();
    let storage = |e: anyhow::Error| {
        let e = format!("{e:#}");
        msg!("cannot store it: {e}", "无法存储：{e}")
    };
    if tx.incident(&id_text).map_err(storage)?.is_some() {
        return Err(msg!(
            "incident {id_text} exists already in this database",
            "事件 {id_text} 已存在于本数据库"
        ));
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(inc.entries.len() + 2);
    let mut renumber: HashMap<u32, u32> = HashMap::new();
    let mut severity = None;
    for e in inc.entries {
        let n = u32::try_from(entries.len() + 1).unwrap_or(u32::MAX);
        let mut body = e.body;
        match &mut body {
            Body::Initial { rules: pinned, .. } => pinned.clone_from(&rules.hash),
            Body::Correction { corrects, .. } => {
                let old = *corrects;
                *corrects = *renumber.get(&old).ok_or_else(|| {
                    let k = e.n;
                    msg!(
                        "entry {k} corrects entry {old}, which does not come before it",
                        "第 {k} 条更正第 {old} 条，但被更正的记录不在其前"
                    )
                })?;
            }
            _ => {}
        }
        let stamp = super::record::Stamp {
            by: e.by,
            os_user: e.os_user,
            recorded: e.recorded,
            imported: true,
            simulated: e.simulated,
        };
        let changes_severity = !matches!(body, Body::Escalation { .. });
        entries.push(new_entry(n, e.at, &stamp, body));
        renumber.insert(e.n, n);
        if changes_severity {
            let h = replay(&entries, rules, None)?.ok_or_else(|| {
                msg!(
                    "the first entry must be the initial report",
                    "第一条记录必须是首报"
                )
            })?;
            if let Some(before) = severity
                && let Some((at, body)) = reclassification(before, &h, e.at, n, rules)
            {
                entries.push(new_entry(n + 1, at, &stamp, body));
            }
            severity = Some(h.severity());
        }
    }
    let h = replay(&entries, rules, None)?
        .ok_or_else(|| msg!("an incident without entries", "事件没有任何记录"))?;
    tx.append(&id, &entries, &IncidentRow::of(&id_text, &h, rules))
        .map_err(storage)?;
    Ok(entries.len() as u64)
}
