//! Appending and reading entries, in the SQLite file.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::schema::GENESIS;
use crate::domain::model::{Entry, Instant};
use crate::msg;
use crate::store::chain::{Link, entry_hash};
use crate::store::query::Scope;
use crate::tz::from_unix;

const COLUMNS: &str =
    "n, at, recorded, by, os_user, imported, simulated, hash, body, incident, type";

/// The position and hash of the last entry of the chain.
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_owned())))
}

/// The chain's head as it stood at `t`: the hash of the last entry recorded before `t` (the
/// start of the chain when there is none). Read from the end of the chain backwards, so a
/// recent moment costs little.
pub fn head_before(conn: &Connection, t: Instant) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT hash FROM entries WHERE recorded < ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([t.timestamp()], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned()))
}

/// Appends `e` (of incident `incident`) after `head` (the last position and hash), which moves
/// on to it. The insert trigger refuses a stale head, so a wrong one cannot break the chain.
pub fn append(
    conn: &Connection,
    head: &mut (i64, String),
    incident: &str,
    e: &Entry,
) -> Result<Entry> {
    let body = e.body.to_stored();
    let ty = e.body.entry_type().as_str();
    let link = Link {
        seq: head.0 + 1,
        incident,
        n: i64::from(e.n),
        entry_type: ty,
        at: e.at.timestamp(),
        recorded: e.recorded.timestamp(),
        by: &e.by,
        os_user: &e.os_user,
        imported: e.imported,
        simulated: e.simulated,
        body: &body,
    };
    let hash = entry_hash(&head.1, &link);
    conn.prepare_cached(
        "INSERT INTO entries (seq, incident, n, type, at, recorded, by, os_user, imported, \
         simulated, body, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        link.seq,
        link.incident,
        link.n,
        ty,
        link.at,
        link.recorded,
        link.by,
        link.os_user,
        link.imported,
        link.simulated,
        body,
        head.1,
        hash
    ])
    .with_context(|| {
        let n = e.n;
        msg!(
            "cannot append entry {n} of {incident}",
            "无法写入 {incident} 的第 {n} 条记录"
        )
    })?;
    *head = (link.seq, hash.clone());
    Ok(Entry { hash, ..e.clone() })
}

/// Every entry of an incident, in entry order.
pub fn of(conn: &Connection, incident: &str) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM entries WHERE incident = ?1 ORDER BY n"
    ))?;
    let rows = stmt.query_map([incident], row_to_entry)?;
    rows.map(|r| r?.map(|(_, e)| e)).collect()
}

/// The entries of a scope's incidents, in one query, handed to `f` an incident at a time as they
/// are read (ordered by incident), so what is held is one incident's.
pub fn each_of_scope(
    conn: &Connection,
    scope: Scope,
    f: &mut dyn FnMut(String, Vec<Entry>) -> Result<()>,
) -> Result<()> {
    let (sql, a, b) = scope_entries_sql(scope);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([a, b], row_to_entry)?;
    let mut current: Option<(String, Vec<Entry>)> = None;
    for r in rows {
        let (id, e) = r??;
        match &mut current {
            Some((cur, list)) if *cur == id => list.push(e),
            _ => {
                if let Some((done, list)) = current.replace((id, vec![e])) {
                    f(done, list)?;
                }
            }
        }
    }
    match current {
        Some((id, list)) => f(id, list),
        None => Ok(()),
    }
}

/// The query of a scope's entries, with its parameters.
pub(super) fn scope_entries_sql(scope: Scope) -> (String, i64, i64) {
    let (ids, a, b) = super::incidents::ids_sql(scope);
    (
        format!("SELECT {COLUMNS} FROM entries WHERE incident IN ({ids}) ORDER BY incident, n"),
        a,
        b,
    )
}

/// The query of every entry, ordered by incident and number.
pub(super) fn all_sql() -> String {
    format!("SELECT {COLUMNS} FROM entries ORDER BY incident, n")
}

/// An entry as read, with its incident (for the merge of every incident in `all.rs`).
pub(super) fn read_entry(r: &Row<'_>) -> rusqlite::Result<ReadEntry> {
    row_to_entry(r)
}

pub(super) type ReadEntry = Result<(String, Entry)>;

fn row_to_entry(r: &Row<'_>) -> rusqlite::Result<ReadEntry> {
    let n: u32 = r.get(0)?;
    let incident: String = r.get(9)?;
    let text: String = r.get(8)?;
    let ty: String = r.get(10)?;
    let body = match crate::store::decode::body(n, &incident, &ty, &text) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok((
        incident,
        Entry {
            n,
            at: from_unix(r.get(1)?),
            recorded: from_unix(r.get(2)?),
            by: r.get(3)?,
            os_user: r.get(4)?,
            imported: r.get(5)?,
            simulated: r.get(6)?,
            hash: r.get(7)?,
            body,
        },
    )))
}
