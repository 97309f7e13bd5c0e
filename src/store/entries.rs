//! Appending and reading entries.

use anyhow::{Context, Result};
use rusqlite::{OptionalExtension, Row, params};

use super::Tx;
use super::chain::{Link, entry_hash};
use super::schema::GENESIS;
use crate::domain::model::{Body, Entry, EntryType, Instant};
use crate::msg;
use crate::tz::from_unix;

/// An entry to append.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    pub incident: &'a str,
    pub n: u32,
    pub at: Instant,
    pub recorded: Instant,
    pub by: &'a str,
    pub os_user: &'a str,
    pub imported: bool,
    pub simulated: bool,
    pub body: &'a Body,
}

impl<'a> NewEntry<'a> {
    /// The entry to store for `e`, an entry of incident `incident` built in memory.
    pub fn of(incident: &'a str, e: &'a Entry) -> NewEntry<'a> {
        NewEntry {
            incident,
            n: e.n,
            at: e.at,
            recorded: e.recorded,
            by: &e.by,
            os_user: &e.os_user,
            imported: e.imported,
            simulated: e.simulated,
            body: &e.body,
        }
    }
}

const COLUMNS: &str =
    "n, at, recorded, by, os_user, imported, simulated, hash, body, incident, type";

impl Tx<'_> {
    /// The position and hash of the last entry of the chain.
    pub fn head(&self) -> Result<(i64, String)> {
        Ok(self
            .conn()
            .prepare_cached("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, GENESIS.to_owned())))
    }

    /// The chain's head as it stood at `t`: the hash of the last entry recorded before `t`
    /// (the start of the chain when there is none). Read from the end of the chain backwards,
    /// so a recent moment costs little.
    pub fn head_before(&self, t: Instant) -> Result<String> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT hash FROM entries WHERE recorded < ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([t.timestamp()], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| GENESIS.to_owned()))
    }

    /// Appends an entry at the end of the chain and returns it as stored.
    pub fn append(&self, e: &NewEntry<'_>) -> Result<Entry> {
        let head = self.head()?;
        self.append_after(&head, e)
    }

    /// Appends an entry after `head` (the last position and hash, as [`Tx::head`] gives them),
    /// for a caller that appends many in a row and keeps the head itself. The insert trigger
    /// refuses a stale head, so a wrong one cannot break the chain.
    pub fn append_after(&self, head: &(i64, String), e: &NewEntry<'_>) -> Result<Entry> {
        let (last, prev) = (head.0, head.1.as_str());
        let body = e.body.to_stored();
        let ty = e.body.entry_type().as_str();
        let link = Link {
            seq: last + 1,
            incident: e.incident,
            n: i64::from(e.n),
            entry_type: ty,
            at: e.at.timestamp(),
            recorded: e.recorded.timestamp(),
            by: e.by,
            os_user: e.os_user,
            imported: e.imported,
            simulated: e.simulated,
            body: &body,
        };
        let hash = entry_hash(prev, &link);
        self.conn()
            .prepare_cached(
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
                prev,
                hash
            ])
            .with_context(|| {
                let (id, n) = (e.incident, e.n);
                msg!(
                    "cannot append entry {n} of {id}",
                    "无法写入 {id} 的第 {n} 条记录"
                )
            })?;
        Ok(Entry {
            n: e.n,
            at: e.at,
            recorded: e.recorded,
            by: e.by.to_owned(),
            os_user: e.os_user.to_owned(),
            imported: e.imported,
            simulated: e.simulated,
            hash,
            body: e.body.clone(),
        })
    }

    /// Every entry of an incident, in entry order.
    pub fn entries(&self, incident: &str) -> Result<Vec<Entry>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM entries WHERE incident = ?1 ORDER BY n"
        ))?;
        let rows = stmt.query_map([incident], row_to_entry)?;
        rows.map(|r| r?.map(|(_, e)| e)).collect()
    }

    /// The entries of each incident of `ids`, in entry order, grouped by incident (in id order;
    /// an id without entries is absent). Read in batches, each one query.
    pub fn entries_of(&self, ids: &[String]) -> Result<Vec<(String, Vec<Entry>)>> {
        let mut out = Vec::with_capacity(ids.len());
        for batch in ids.chunks(500) {
            let marks = vec!["?"; batch.len()].join(", ");
            let mut stmt = self.conn().prepare(&format!(
                "SELECT {COLUMNS} FROM entries WHERE incident IN ({marks}) ORDER BY incident, n"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(batch), row_to_entry)?;
            group(rows, |id, list| {
                out.push((id.to_owned(), list));
                Ok(())
            })?;
        }
        Ok(out)
    }

    /// Entries claimed in `[from, to)`, with their incident ids, in claimed-time order.
    pub fn entries_claimed_in(&self, from: Instant, to: Instant) -> Result<Vec<(String, Entry)>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM entries WHERE at >= ?1 AND at < ?2 ORDER BY at, incident, n"
        ))?;
        let rows = stmt.query_map([from.timestamp(), to.timestamp()], row_to_entry)?;
        rows.map(|r| r?).collect()
    }
}

impl Tx<'_> {
    /// Calls `f` with each incident's id and entries, in id order, streaming (one incident in
    /// memory at a time) by the (incident, n) index.
    pub fn scan_incidents(&self, f: impl FnMut(&str, Vec<Entry>) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM entries ORDER BY incident, n"
        ))?;
        let rows = stmt.query_map([], row_to_entry)?;
        group(rows, f)
    }

    /// Like [`Tx::scan_incidents`], for the incidents of a scope only, in one query.
    pub fn scan_scope(
        &self,
        scope: super::incidents::Scope,
        f: impl FnMut(&str, Vec<Entry>) -> Result<()>,
    ) -> Result<()> {
        let (sql, a, b) = scope_entries_sql(scope);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([a, b], row_to_entry)?;
        group(rows, f)
    }
}

/// The query of a scope's entries, with its parameters.
pub(super) fn scope_entries_sql(scope: super::incidents::Scope) -> (String, i64, i64) {
    let (ids, a, b) = scope.ids_sql();
    (
        format!("SELECT {COLUMNS} FROM entries WHERE incident IN ({ids}) ORDER BY incident, n"),
        a,
        b,
    )
}

/// Feeds rows ordered by incident to `f`, one incident at a time.
fn group(
    rows: impl Iterator<Item = rusqlite::Result<Loaded>>,
    mut f: impl FnMut(&str, Vec<Entry>) -> Result<()>,
) -> Result<()> {
    let mut current: Option<(String, Vec<Entry>)> = None;
    for r in rows {
        let (id, e) = r??;
        match &mut current {
            Some((cur, list)) if *cur == id => list.push(e),
            _ => {
                if let Some((cur, list)) = current.take() {
                    f(&cur, list)?;
                }
                current = Some((id, vec![e]));
            }
        }
    }
    if let Some((cur, list)) = current {
        f(&cur, list)?;
    }
    Ok(())
}

type Loaded = Result<(String, Entry)>;

fn row_to_entry(r: &Row<'_>) -> rusqlite::Result<Loaded> {
    let n: u32 = r.get(0)?;
    let incident: String = r.get(9)?;
    let text: String = r.get(8)?;
    let ty: String = r.get(10)?;
    let body = EntryType::parse(&ty)
        .with_context(|| msg!("unknown entry type `{ty}`", "未知的记录类别“{ty}”"))
        .and_then(|ty| Ok(Body::from_stored(ty, &text)?))
        .with_context(|| {
        msg!(
            "entry {n} of {incident} cannot be read: the record is damaged; run `sitrep verify`",
            "{incident} 的第 {n} 条记录无法读取：记录已损坏，请运行 `sitrep verify`"
        )
    });
    let body = match body {
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
