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
//! - Lines are read, parsed and replayed on a thread of their own (`read`), ahead of the
//!   writer; the writer takes them in order and stops at the first refusal, so what is
//!   refused, and the line it names, are as if read one by one. The writer does not wait for
//!   the reader after a refusal (it may be reading a pipe that never ends), and counts an
//!   input whose reader stopped without saying it ended as failed.

mod parse;
mod read;
mod shape;

use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use anyhow::{Context as _, Result};

use self::read::Sent;
use crate::context::{Ctx, LoadedRules};
use crate::domain::id::IncidentId;
use crate::domain::model::Entry;
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
    // The last batch goes in, and is checked, at commit: a refusal there undoes it all too. (A
    // connection lost during the commit is not one: whether it committed is not known, and the
    // store's failure says so.)
    tx.commit().map_err(|e| {
        if crate::store::failure(&e).is_some() {
            e
        } else {
            e.context(msg!("nothing was imported", "未导入任何记录"))
        }
    })?;
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

/// Batches of lines read ahead of the writer: enough to cover a batch the store sends (20,000
/// entries on a shared store), few enough to keep the memory of an import small.
const READ_AHEAD: usize = 16;

/// Reads every line and writes every incident; any error rolls the whole import back.
fn import(
    ctx: &Ctx,
    tx: &mut dyn StoreWrite,
    reader: BufReader<Box<dyn Read + Send>>,
    fallback: &LoadedRules,
    office: Option<&str>,
) -> Result<(u64, u64)> {
    let (send, receive) = mpsc::sync_channel(READ_AHEAD);
    let (rules_send, rules_receive) = mpsc::sync_channel(1);
    let (now, office) = (ctx.now, office.map(str::to_owned));
    let reading = std::thread::Builder::new()
        .name("import-reader".to_owned())
        .spawn(move || read::read_all(reader, now, office.as_deref(), &send, &rules_receive))
        .context("cannot start the import's reading thread")?;
    let written = write_all(ctx, tx, &receive, &rules_send, fallback);
    if written.is_ok() {
        // The reader said the input ended; it has nothing left to do.
        if reading.join().is_err() {
            anyhow::bail!("the import's reading thread failed");
        }
    }
    // On an error the reader is not waited for: it may be reading a pipe that never ends, and
    // the closed channels stop it at its next batch, or the process's end does.
    written
}

/// Writes what the reader sends, and answers its questions for rules.
fn write_all(
    ctx: &Ctx,
    tx: &mut dyn StoreWrite,
    receive: &mpsc::Receiver<Vec<Sent>>,
    rules_send: &mpsc::SyncSender<Arc<Rules>>,
    fallback: &LoadedRules,
) -> Result<(u64, u64)> {
    let mut incidents = 0u64;
    let mut entries = 0u64;
    let mut ended = false;
    // The rules in force, for the reader, once: incidents that named rules this database does
    // not have are pinned to them.
    let mut in_force: Option<Arc<Rules>> = None;
    let mut repinned = 0u64;
    let progress = ctx.stderr_tty;
    let mut err = std::io::stderr();
    for batch in receive {
        for sent in batch {
            let (number, prepared) = match sent {
                Sent::Line(number, prepared) => (number, prepared),
                Sent::NeedRules(hash) => {
                    let rules = if !hash.is_empty() && tx.rules_text(&hash)?.is_some() {
                        Arc::new(Rules::clone(&*ctx.pinned(tx, &hash)?))
                    } else {
                        tx.store_rules(&fallback.rules.hash, &fallback.text, ctx.now)?;
                        Arc::clone(
                            in_force
                                .get_or_insert_with(|| Arc::new(Rules::clone(&*fallback.rules))),
                        )
                    };
                    // The reader waits for this; if it is gone, its error comes next.
                    let _ = rules_send.send(rules);
                    continue;
                }
                Sent::Failed(e) => return Err(e),
                Sent::End => {
                    ended = true;
                    continue;
                }
            };
            let at_line = |m: Msg| {
                let (en, zh) = (m.en, m.zh);
                refuse(msg!(
                    "line {number}: {en}; nothing was imported",
                    "第 {number} 行：{zh}；未导入任何记录"
                ))
            };
            let p = prepared.map_err(at_line)?;
            entries += store_incident(tx, p.id, &p.id_text, p.staged).map_err(at_line)?;
            repinned += u64::from(p.repinned);
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
    if !ended {
        // The reader stopped without saying the input ended: it failed.
        anyhow::bail!("the import's reading thread stopped before the end of the input");
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

/// Appends one replayed incident, unless the store holds its id already; returns how many
/// entries were written.
fn store_incident(
    tx: &mut dyn StoreWrite,
    id: IncidentId,
    id_text: &str,
    staged: Result<(Vec<Entry>, IncidentRow), Msg>,
) -> Result<u64, Msg> {
    let storage = |e: anyhow::Error| {
        let e = format!("{e:#}");
        msg!("cannot store it: {e}", "无法存储：{e}")
    };
    if tx.incident(id_text).map_err(storage)?.is_some() {
        return Err(msg!(
            "incident {id_text} exists already in this database",
            "事件 {id_text} 已存在于本数据库"
        ));
    }
    let (entries, row) = staged?;
    tx.append(&id, &entries, &row).map_err(storage)?;
    Ok(entries.len() as u64)
}
