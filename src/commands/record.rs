//! The write path every writing command shares.
//!
//! Rules:
//! - A new entry is replayed with the incident's history *before* anything is written; a
//!   refusal (concealed severity, times out of order, an unknown name) returns inside the
//!   transaction, which rolls back: nothing recorded, no id used.
//! - When the replayed severity changes, a reclassification entry is appended in the same
//!   transaction, so the record says when and why the class changed.
//! - The `incidents` projection is rewritten from the replayed history in the same transaction.
//! - If the database fails after the input was accepted (busy past the timeout, disk full, read
//!   only), what was typed is saved to a draft file (mode 0600) and the error says the entry was
//!   NOT recorded. Prompts that were cancelled save their answers through the same
//!   [`save_draft`].

use std::path::PathBuf;
use std::rc::Rc;

use anyhow::{Context as _, Result};

use super::load::{self, Whole};
use crate::context::{Ctx, LoadedRules};
use crate::damage::Damage;
use crate::domain::id::IncidentId;
use crate::domain::model::{Body, Entry, Instant};
use crate::domain::replay::{History, replay};
use crate::domain::row::IncidentRow;
use crate::error::{NotRecorded, refuse};
use crate::msg;
use crate::rules::{Rules, SevIdx};
use crate::store::{Read, Store, Write};
use crate::tz;

/// Who and when, for entries about to be recorded.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub by: String,
    pub os_user: String,
    pub recorded: Instant,
    pub imported: bool,
    pub simulated: bool,
}

impl Stamp {
    /// The stamp of an entry written now by `actor` (from [`Ctx::actor`]); called inside the
    /// write transaction, so the recorded time is when the write had the store: the store's
    /// clock where it keeps one (a shared store's server), else this machine's.
    pub fn of(ctx: &Ctx, actor: &str, tx: &mut dyn Write) -> Result<Stamp> {
        let recorded = match tx.recorded_now()? {
            Some(t) => t,
            None => ctx.clock.now().max(ctx.now),
        };
        Ok(Stamp {
            by: actor.to_owned(),
            os_user: ctx.os_user.clone(),
            recorded,
            imported: false,
            simulated: ctx.simulated,
        })
    }
}

/// What a write left behind.
#[derive(Debug)]
pub struct Recorded {
    pub id: String,
    pub rules: Rc<Rules>,
    pub entries: Vec<Entry>,
    pub history: History,
    /// The history before the write (none for a new incident).
    pub before: Option<History>,
    /// The numbers of the entries this write appended.
    pub new: Vec<u32>,
}

/// What was typed, for a draft if the write fails.
#[derive(Debug)]
pub struct Draft<'a> {
    pub command: &'a str,
    pub fields: serde_json::Value,
}

impl Draft<'_> {
    /// A draft of what is on the command line alone (saved with every draft), before anything
    /// was asked.
    pub fn argv(command: &str) -> Draft<'_> {
        Draft {
            command,
            fields: serde_json::Value::Null,
        }
    }
}

/// Opens the store, creating it if there is none yet, and runs `f` in one write transaction
/// (`file`, the first write of a new store); a store that cannot be opened or created keeps a
/// draft as [`write`] does.
pub fn write_creating<T>(
    ctx: &Ctx,
    draft: &Draft<'_>,
    f: impl FnMut(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match Store::open_or_create(&ctx.db) {
        Ok(mut store) => write(ctx, &mut store, draft, f),
        Err(e) => Err(drafted(ctx, draft, e)),
    }
}

/// Runs `f` in one write transaction of `store` and commits it. When two writers meet (a
/// conflict a shared store reports), the write is tried again, a few times, unseen. When the
/// store fails (busy, full, read only, lost), what was typed is saved as a draft and the error
/// says nothing was recorded; a refusal of `f` rolls back and is returned as it is.
pub fn write<T>(
    ctx: &Ctx,
    store: &mut Store,
    draft: &Draft<'_>,
    mut f: impl FnMut(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    const RETRIES: u32 = 8;
    let mut attempt = 0;
    loop {
        let result = (|| {
            let mut tx = store.write()?;
            let value = f(&mut *tx)?;
            tx.commit()?;
            Ok(value)
        })();
        match result {
            Err(e)
                if attempt < RETRIES
                    && crate::store::failure(&e) == Some(crate::store::Failure::Conflict) =>
            {
                attempt += 1;
                // Apart a little more each time, and apart from each other (the process id).
                let ms = (5u64 << attempt.min(6)) + u64::from(std::process::id() % 7);
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            r => return r.map_err(|e| drafted(ctx, draft, e)),
        }
    }
}

/// A store's failure with the draft of what was typed; any other error as it is.
pub fn drafted(ctx: &Ctx, draft: &Draft<'_>, e: anyhow::Error) -> anyhow::Error {
    if crate::store::failure(&e).is_some() {
        let saved = save_draft(ctx, draft, &format!("{e:#}"));
        e.context(NotRecorded { draft: saved })
    } else {
        e
    }
}

/// Saves what was typed to a new draft file (mode 0600, never replacing a file), with `why` it
/// was not recorded (the error, or that it was cancelled); returns its path, or `None` if even
/// that failed.
pub fn save_draft(ctx: &Ctx, draft: &Draft<'_>, why: &str) -> Option<PathBuf> {
    let value = serde_json::json!({
        "command": draft.command,
        "saved": tz::rfc3339(chrono_tz::UTC, ctx.now),
        "db": ctx.db.to_string(),
        "error": why,
        "argv": ctx.argv,
        "fields": draft.fields,
    });
    let text = serde_json::to_string_pretty(&value).ok()?;
    let stamp = ctx.now.format("%Y%m%dT%H%M%SZ");
    let base = format!("{stamp}-{}-{}", draft.command, std::process::id());
    for dir in [&ctx.drafts_dir, &ctx.temp_dir] {
        let _ = std::fs::create_dir_all(dir);
        if let Some(path) = write_new(dir, &base, "json", text.as_bytes()) {
            return Some(path);
        }
    }
    None
}

pub use crate::files::write_new;

/// The refusal of anything but a correction after the final report.
pub fn closed_error(id: &str, closed: Instant, rules: &Rules) -> anyhow::Error {
    let shown = tz::short(rules.tz, closed);
    refuse(msg!(
        "{id} was closed at {shown}: nothing is reported after the final report; use `sitrep correct` to correct an entry",
        "{id} 已于 {shown} 终报：终报后不能再报送；如需修改请用 `sitrep correct` 更正"
    ))
}

/// The refusal of an entry claimed before the incident's known time, with the command that
/// moves the known time if the office really knew earlier.
fn before_known(id: &str, t: Instant, known: Instant, rules: &Rules) -> anyhow::Error {
    let (t, k) = (tz::short(rules.tz, t), tz::short(rules.tz, known));
    refuse(msg!(
        "{t} is before {id}'s known time {k}: nothing is reported before the office knew of the incident. If it knew earlier, correct the known time first: sitrep correct {id} --entry 1 --known '{t}' --reason '…'",
        "{t} 早于 {id} 的获知时间 {k}：获知之前不可能报送。如实际获知更早，请先更正获知时间：sitrep correct {id} --entry 1 --known '{t}' --reason '…'"
    ))
}

fn no_incident(id: &str) -> anyhow::Error {
    refuse(msg!(
        "there is no incident {id}: `sitrep list` shows the ids",
        "没有编号为 {id} 的事件：可用 `sitrep list` 查看编号"
    ))
}

/// Loads an incident as its entries say it is, with any damage to its row. An incident whose
/// entries cannot be replayed is refused with what is wrong.
pub fn load(ctx: &Ctx, tx: &mut dyn Read, id: &str) -> Result<(Whole, Option<Damage>)> {
    let id = IncidentId::parse(id).map_err(refuse)?.to_string();
    let row = tx.incident(&id)?;
    let entries = tx.entries(&id)?;
    if row.is_none() && entries.is_empty() {
        return Err(no_incident(&id));
    }
    match load::whole(ctx, tx, (id.clone(), row, entries))? {
        (Some(read), damage) => Ok((read, damage)),
        (None, damage) => {
            let m = damage.map(|d| d.to_string()).unwrap_or_default();
            Err(refuse(msg!(
                "{id} cannot be read: {m}; run `sitrep verify`",
                "{id} 无法读取：{m}；请运行 `sitrep verify`"
            )))
        }
    }
}

/// Loads an incident in a read transaction of its own: what a writing command reads before it
/// asks for more input. Damage to its row is said by [`append`], which rewrites the row.
pub fn read(ctx: &Ctx, store: &mut Store, id: &str) -> Result<Whole> {
    let mut tx = store.read()?;
    Ok(load(ctx, &mut *tx, id)?.0)
}

pub fn new_entry(n: u32, at: Instant, stamp: &Stamp, body: Body) -> Entry {
    Entry {
        n,
        at,
        recorded: stamp.recorded,
        by: stamp.by.clone(),
        os_user: stamp.os_user.clone(),
        imported: stamp.imported,
        simulated: stamp.simulated,
        hash: String::new(),
        body,
    }
}

/// Appends an entry to incident `id` (and a reclassification if the severity changes).
/// Reports need the incident open; an escalation may be recorded late for a closed incident
/// (claimed no later than the final report, which `replay` checks), and so may a correction.
pub fn append(
    ctx: &Ctx,
    tx: &mut dyn Write,
    id: &str,
    at: Instant,
    stamp: &Stamp,
    body: Body,
) -> Result<Recorded> {
    let (read, damage) = load(ctx, tx, id)?;
    // The row is rewritten from the entries below; say what it was.
    load::warn(damage.as_slice());
    let Whole {
        id,
        rules,
        mut entries,
        history: before,
        ..
    } = read;
    if let Some(closed) = before.closed
        && matches!(body, Body::Followup { .. } | Body::Final { .. })
    {
        return Err(closed_error(&id, closed, &rules));
    }
    let claimed = match &body {
        Body::Correction {
            corrects, changes, ..
        } => changes.at.filter(|_| *corrects != 1),
        _ => Some(at),
    };
    if let Some(t) = claimed.filter(|t| *t < before.header.known) {
        return Err(before_known(&id, t, before.header.known, &rules));
    }
    let n = u32::try_from(entries.len() + 1)?;
    entries.push(new_entry(n, at, stamp, body));
    let mut after = replay(&entries, &rules, None)
        .map_err(refuse)?
        .ok_or_else(|| no_incident(&id))?;
    let mut new = vec![n];
    if let Some((rat, body)) = reclassification(before.severity(), &after, at, n, &rules) {
        entries.push(new_entry(n + 1, rat, stamp, body));
        after = replay(&entries, &rules, None)
            .map_err(refuse)?
            .ok_or_else(|| no_incident(&id))?;
        new.push(n + 1);
    }
    let from = entries.len() - new.len();
    let parsed = IncidentId::parse(&id).map_err(refuse)?;
    let stored = tx.append(
        &parsed,
        &entries[from..],
        &IncidentRow::of(&id, &after, &rules),
    )?;
    entries.truncate(from);
    entries.extend(stored);
    Ok(Recorded {
        id,
        rules,
        entries,
        history: after,
        before: Some(before),
        new,
    })
}

/// The reclassification entry (its claimed time and body) when entry `n`, claimed at `at`,
/// moved the severity from `before` to `after`'s: a rise holds from the report that caused it,
/// a fall (only by a correction) from the correction.
pub fn reclassification(
    before: SevIdx,
    after: &History,
    at: Instant,
    n: u32,
    rules: &Rules,
) -> Option<(Instant, Body)> {
    let to = after.severity();
    if to == before {
        return None;
    }
    let (rat, reported_in) = if to > before {
        after
            .timeline
            .iter()
            .find(|c| c.severity == to)
            .map_or((at, n), |c| (c.at, c.entry))
    } else {
        (at, n)
    };
    Some((
        rat,
        Body::Reclassification {
            from: rules.severities[before].id.clone(),
            to: rules.severities[to].id.clone(),
            reported_in,
        },
    ))
}

/// Files a new incident under `loaded`, the rules in force for the office, numbered by the
/// store.
pub fn file_new(
    tx: &mut dyn Write,
    loaded: &LoadedRules,
    at: Instant,
    stamp: &Stamp,
    body: Body,
) -> Result<Recorded> {
    let rules = Rc::clone(&loaded.rules);
    let entries = vec![new_entry(1, at, stamp, body)];
    let history = replay(&entries, &rules, None)
        .map_err(refuse)?
        .with_context(|| {
            // `replay` of a non-empty history as of no moment always yields one.
            msg!(
                "the new incident could not be replayed: this is a bug in sitrep, please report it",
                "新事件无法回放：这是 sitrep 的缺陷，请报告"
            )
        })?;
    let date = tz::local(rules.tz, history.header.known).date();
    let id = tx.new_id(date)?;
    let id_text = id.to_string();
    if tx.incident(&id_text)?.is_some() {
        return Err(refuse(msg!(
            "incident {id_text} exists already",
            "事件 {id_text} 已存在"
        )));
    }
    tx.store_rules(&rules.hash, &loaded.text, stamp.recorded)?;
    let row = IncidentRow::of(&id_text, &history, &rules);
    let stored = tx.append(&id, &entries, &row)?;
    Ok(Recorded {
        id: id_text,
        rules,
        entries: stored,
        history,
        before: None,
        new: vec![1],
    })
}

/// The instant deadlines are shown at after a write: now, or the entry's time if later (an
/// entry may be claimed a few minutes ahead of this machine's clock).
pub fn shown_at(ctx: &Ctx, at: Instant) -> Instant {
    ctx.now.max(at)
}
