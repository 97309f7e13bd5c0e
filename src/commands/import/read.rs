//! The reading side of `import`, on a thread of its own: lines are read, parsed and replayed
//! here, ahead of the writer, so that on a shared store this work goes on while the server
//! inserts the last batch.
//!
//! Rules: lines go to the writer in their order, a batch at a time; reading stops at the first
//! line that is refused or cannot be read, which is sent like a line. Rules are the writer's to
//! find (they may need the store): the first time an incident names a rules hash, the reader
//! asks for them and waits. A replay's refusal travels with its incident, so the writer can
//! first refuse an id the store holds already, as it always did.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender};

use anyhow::{Context as _, Result};

use super::parse::{self, InIncident};
use crate::commands::record::{Stamp, new_entry, reclassification};
use crate::domain::id::IncidentId;
use crate::domain::model::{Body, Entry, Instant};
use crate::domain::replay::replay;
use crate::domain::row::IncidentRow;
use crate::i18n::Msg;
use crate::msg;
use crate::rules::Rules;

/// Lines sent to the writer at a time.
const BATCH_LINES: usize = 256;

/// What the reader sends.
// Nearly every message is a line: boxing it would allocate once more per incident for the
// sake of the rare ones.
#[allow(clippy::large_enum_variant)]
pub enum Sent {
    /// An incident read (or why its line is refused), with its line number.
    Line(usize, Result<Prepared, Msg>),
    /// The rules stored under this hash are wanted (the writer answers on its reply channel).
    NeedRules(String),
    /// A line could not be read.
    Failed(anyhow::Error),
    /// The input ended (a reader that stops without this failed).
    End,
}

/// An incident read, replayed and ready to append.
pub struct Prepared {
    pub id: IncidentId,
    pub id_text: String,
    /// Its entries and row, or why its replay is refused.
    pub staged: Result<(Vec<Entry>, IncidentRow), Msg>,
    /// Whether it named rules other than those it was pinned to.
    pub repinned: bool,
}

/// Reads every line of `reader` into `send` (see the module's rules).
pub fn read_all<R: Read>(
    mut reader: BufReader<R>,
    now: Instant,
    office: Option<&str>,
    send: &SyncSender<Vec<Sent>>,
    rules_reply: &Receiver<Arc<Rules>>,
) {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    let mut known: HashMap<String, Arc<Rules>> = HashMap::new();
    let mut number = 0usize;
    loop {
        // What is read so far goes to the writer before waiting for more input (a pipe may
        // bring it slowly), so that nothing waits in a batch while the reader waits.
        if !batch.is_empty() && reader.buffer().is_empty() {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
            if send.send(full).is_err() {
                return;
            }
        }
        let mut bytes = Vec::new();
        number += 1;
        let line = match reader
            .read_until(b'\n', &mut bytes)
            .map_err(anyhow::Error::from)
            .and_then(|n| Ok((n, String::from_utf8(bytes)?)))
            .with_context(|| msg!("cannot read line {number}", "无法读取第 {number} 行"))
        {
            Ok((0, _)) => break,
            Ok((_, line)) => line,
            Err(e) => {
                batch.push(Sent::Failed(e));
                let _ = send.send(batch);
                return;
            }
        };
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let prepared = match parse::incident(line, now) {
            Ok(inc) => {
                let Some(rules) = rules_for(&inc.rules, &mut known, &mut batch, send, rules_reply)
                else {
                    return; // the writer stopped
                };
                prepare(inc, &rules, office)
            }
            Err(m) => Err(m),
        };
        let refused = prepared.is_err();
        batch.push(Sent::Line(number, prepared));
        if refused || batch.len() == BATCH_LINES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
            if send.send(full).is_err() || refused {
                return;
            }
        }
    }
    batch.push(Sent::End);
    let _ = send.send(batch);
}

/// The rules for `hash`, asked of the writer the first time; `None` when the writer stopped.
fn rules_for(
    hash: &str,
    known: &mut HashMap<String, Arc<Rules>>,
    batch: &mut Vec<Sent>,
    send: &SyncSender<Vec<Sent>>,
    reply: &Receiver<Arc<Rules>>,
) -> Option<Arc<Rules>> {
    if let Some(r) = known.get(hash) {
        return Some(Arc::clone(r));
    }
    batch.push(Sent::NeedRules(hash.to_owned()));
    send.send(std::mem::take(batch)).ok()?;
    let rules = reply.recv().ok()?;
    known.insert(hash.to_owned(), Arc::clone(&rules));
    Some(rules)
}

/// Replays one incident under `rules`: its entries renumbered, corrections pointed at the new
/// numbers, reclassifications derived again.
fn prepare(inc: InIncident, rules: &Rules, office: Option<&str>) -> Result<Prepared, Msg> {
    let mut id = IncidentId::parse(&inc.id)?;
    if let Some(o) = office {
        id = id.in_office(o);
    }
    let id_text = id.to_string();
    let repinned = !inc.rules.is_empty() && inc.rules != rules.hash;
    Ok(Prepared {
        staged: replayed(inc, rules, &id_text),
        id,
        id_text,
        repinned,
    })
}

fn replayed(
    inc: InIncident,
    rules: &Rules,
    id_text: &str,
) -> Result<(Vec<Entry>, IncidentRow), Msg> {
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
        let stamp = Stamp {
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
    let row = IncidentRow::of(id_text, &h, rules);
    Ok((entries, row))
}
