//! A transaction on a shared store: [`Read`] and [`Write`] over sitrep's tables. Row-level
//! security decides what the login sees; `narrow` (`--office`) narrows it further.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use serde_json::json;

use super::Shared;
use crate::domain::id::IncidentId;
use crate::domain::model::{Entry, Instant};
use crate::domain::row::IncidentRow;
use crate::msg;
use crate::store::query::{ListFilter, Scope};
use crate::store::{Head, Read, Stored, Write, walk::GENESIS};
use crate::tz::from_unix;

const ROW: &str = "id, title, kind, severity, occurred, known, filed, closed, location, unit, \
                   figures, rules, last_at";
const ENTRY: &str = "n, at, recorded, by, os_user, imported, simulated, hash, body, incident, type";

pub struct Tx<'a> {
    tx: postgres::Transaction<'a>,
    shared: &'a Shared,
    narrow: Option<&'a [String]>,
    write: bool,
    /// The offices whose chain this write has taken.
    locked: HashSet<String>,
    /// The owner's import, a batch at a time (`bulk.rs`), where the store was prepared for it.
    bulk: Option<super::bulk::Bulk>,
}

impl<'a> Tx<'a> {
    pub fn new(
        tx: postgres::Transaction<'a>,
        shared: &'a Shared,
        narrow: Option<&'a [String]>,
        write: bool,
        bulk: bool,
    ) -> Tx<'a> {
        Tx {
            tx,
            shared,
            narrow,
            write,
            locked: HashSet::new(),
            bulk: (write && bulk && shared.owner).then(super::bulk::Bulk::default),
        }
    }

    /// In a write, takes the chain of the office of incident `id` before reading it, so that
    /// what is read cannot change before this write appends.
    fn lock_for(&mut self, id: &str) -> Result<()> {
        if !self.write {
            return Ok(());
        }
        let Some(office) = IncidentId::parse(id).ok().and_then(|i| i.office) else {
            return Ok(());
        };
        if self.locked.insert(office.clone()) {
            self.tx
                .query_typed("SELECT sitrep.lock_office($1)", &[(&office, Type::TEXT)])?;
        }
        Ok(())
    }

    /// ` AND office = ANY($n)` where reads are narrowed, with its parameter pushed.
    fn office_filter(&self, params: &mut Vec<Box<dyn ToSql + Sync>>) -> String {
        match self.narrow {
            Some(offices) => {
                params.push(Box::new(offices.to_vec()));
                format!(" AND office = ANY(${})", params.len())
            }
            None => String::new(),
        }
    }
}

fn row_of(r: &postgres::Row) -> IncidentRow {
    let figures: String = r.get(10);
    IncidentRow {
        id: r.get(0),
        title: r.get(1),
        kind: r.get(2),
        severity: r.get(3),
        occurred: from_unix(r.get(4)),
        known: from_unix(r.get(5)),
        filed: from_unix(r.get(6)),
        closed: r.get::<_, Option<i64>>(7).map(from_unix),
        location: r.get(8),
        unit: r.get(9),
        // Written from a `Figures` map by the writer's projection.
        figures: serde_json::from_str(&figures).unwrap_or_default(),
        rules: r.get(11),
        last_at: from_unix(r.get(12)),
    }
}

fn entry_of(r: &postgres::Row) -> Result<(String, Entry)> {
    let n: i32 = r.get(0);
    let n = u32::try_from(n).unwrap_or(0);
    let incident: String = r.get(9);
    let ty: String = r.get(10);
    let text: String = r.get(8);
    let body = crate::store::decode::body(n, &incident, &ty, &text)?;
    Ok((
        incident,
        Entry {
            n,
            at: from_unix(r.get(1)),
            recorded: from_unix(r.get(2)),
            by: r.get(3),
            os_user: r.get(4),
            imported: r.get(5),
            simulated: r.get(6),
            hash: r.get(7),
            body,
        },
    ))
}

fn refs(params: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref()).collect()
}

/// The subquery of a scope's ids: each branch by its own index, as on SQLite.
fn scope_ids(scope: Scope) -> (&'static str, i64, i64) {
    match scope {
        Scope::Check { at, closed_after } => (
            "SELECT id FROM sitrep.incidents WHERE closed IS NULL AND $1::bigint = $1 \
             UNION ALL SELECT id FROM sitrep.incidents WHERE closed >= $2 \
             UNION ALL SELECT incident FROM sitrep.entries WHERE at >= $2 AND type = 'final'",
            at.timestamp(),
            closed_after.timestamp(),
        ),
        Scope::Window { from, to } => (
            "SELECT incident FROM sitrep.entries WHERE at >= $1 AND at < $2 \
             UNION ALL SELECT id FROM sitrep.incidents WHERE closed IS NULL AND filed < $2 \
             UNION ALL SELECT id FROM sitrep.incidents WHERE closed >= $2 AND filed < $2",
            from.timestamp(),
            to.timestamp(),
        ),
    }
}

impl Read for Tx<'_> {
    fn incident(&mut self, id: &str) -> Result<Option<IncidentRow>> {
        if let Some(bulk) = &self.bulk {
            if let Some(row) = bulk.pending(id) {
                return Ok(Some(row));
            }
            if bulk.absent(id) {
                return Ok(None);
            }
        }
        self.lock_for(id)?;
        let sql = format!("SELECT {ROW} FROM sitrep.incidents WHERE id = $1");
        let rows = self.tx.query_typed(&sql, &[(&id, Type::TEXT)])?;
        Ok(rows.first().map(row_of))
    }

    fn entries(&mut self, id: &str) -> Result<Vec<Entry>> {
        self.lock_for(id)?;
        let sql = format!("SELECT {ENTRY} FROM sitrep.entries WHERE incident = $1 ORDER BY n");
        self.tx
            .query_typed(&sql, &[(&id, Type::TEXT)])?
            .iter()
            .map(|r| entry_of(r).map(|(_, e)| e))
            .collect()
    }

    fn rules_text(&mut self, hash: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_typed(
                "SELECT text FROM sitrep.rules WHERE hash = $1",
                &[(&hash, Type::TEXT)],
            )?
            .first()
            .map(|r| r.get(0)))
    }

    fn rules_texts(&mut self) -> Result<Vec<(String, String)>> {
        Ok(self
            .tx
            .query("SELECT hash, text FROM sitrep.rules ORDER BY hash", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn list(&mut self, f: &ListFilter) -> Result<Vec<IncidentRow>> {
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut sql = format!("SELECT {ROW} FROM sitrep.incidents WHERE true");
        sql.push_str(&self.office_filter(&mut params));
        match f.open {
            Some(true) => sql.push_str(" AND closed IS NULL"),
            Some(false) => sql.push_str(" AND closed IS NOT NULL"),
            None => {}
        }
        if let Some(since) = f.since {
            params.push(Box::new(since.timestamp()));
            sql.push_str(&format!(" AND filed >= ${}", params.len()));
        }
        if let Some(s) = &f.severity {
            params.push(Box::new(s.clone()));
            sql.push_str(&format!(" AND severity = ${}", params.len()));
        }
        if let Some(k) = &f.kind {
            params.push(Box::new(k.clone()));
            sql.push_str(&format!(" AND kind = ${}", params.len()));
        }
        sql.push_str(" ORDER BY filed DESC, id DESC");
        if let Some(limit) = f.limit {
            params.push(Box::new(i64::from(limit)));
            sql.push_str(&format!(" LIMIT ${}", params.len()));
        }
        Ok(self
            .tx
            .query(&sql, &refs(&params))?
            .iter()
            .map(row_of)
            .collect())
    }

    fn scope(&mut self, scope: Scope, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()> {
        let (ids, a, b) = scope_ids(scope);
        let mut params: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(a), Box::new(b)];
        let narrow = self.office_filter(&mut params);
        let sql = format!(
            "SELECT {ROW} FROM sitrep.incidents WHERE id IN ({ids}){narrow} ORDER BY filed, id"
        );
        let mut rows: HashMap<String, IncidentRow> = self
            .tx
            .query(&sql, &refs(&params))?
            .iter()
            .map(|r| {
                let row = row_of(r);
                (row.id.clone(), row)
            })
            .collect();
        let sql = format!(
            "SELECT {ENTRY} FROM sitrep.entries WHERE incident IN ({ids}){narrow} \
             ORDER BY incident, n"
        );
        let mut it = self.tx.query_raw(&sql, refs(&params))?;
        let mut current: Option<(String, Vec<Entry>)> = None;
        while let Some(r) = it.next()? {
            let (id, e) = entry_of(&r)?;
            match &mut current {
                Some((cur, list)) if *cur == id => list.push(e),
                _ => {
                    if let Some((done, list)) = current.replace((id, vec![e])) {
                        let row = rows.remove(&done);
                        f((done, row, list))?;
                    }
                }
            }
        }
        if let Some((done, list)) = current {
            let row = rows.remove(&done);
            f((done, row, list))?;
        }
        let mut rest: Vec<IncidentRow> = rows.into_values().collect();
        rest.sort_by(|a, b| a.id.cmp(&b.id));
        rest.into_iter()
            .try_for_each(|r| f((r.id.clone(), Some(r), Vec::new())))
    }

    fn all(&mut self, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()> {
        // Two ordered reads merged, a batch at a time through two portals (one connection can
        // hold both open; it cannot hold two row streams).
        const BATCH: i32 = 500;
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let narrow = self.office_filter(&mut params);
        let rows_sql = format!("SELECT {ROW} FROM sitrep.incidents WHERE true{narrow} ORDER BY id");
        let entries_sql =
            format!("SELECT {ENTRY} FROM sitrep.entries WHERE true{narrow} ORDER BY incident, n");
        let rows_portal = self.tx.bind(&rows_sql, &refs(&params))?;
        let entries_portal = self.tx.bind(&entries_sql, &refs(&params))?;
        let mut rows: std::collections::VecDeque<IncidentRow> = Default::default();
        let mut entries: std::collections::VecDeque<(String, Entry)> = Default::default();
        let (mut rows_done, mut entries_done) = (false, false);
        loop {
            if rows.is_empty() && !rows_done {
                let batch = self.tx.query_portal(&rows_portal, BATCH)?;
                rows_done = batch.len() < BATCH as usize;
                rows.extend(batch.iter().map(row_of));
            }
            if entries.len() < 2 && !entries_done {
                let batch = self.tx.query_portal(&entries_portal, BATCH)?;
                entries_done = batch.len() < BATCH as usize;
                for r in &batch {
                    entries.push_back(entry_of(r)?);
                }
            }
            let id = match (rows.front(), entries.front()) {
                (None, None) => return Ok(()),
                (Some(r), Some((e, _))) => r.id.clone().min(e.clone()),
                (Some(r), None) => r.id.clone(),
                (None, Some((e, _))) => e.clone(),
            };
            let row = match rows.front() {
                Some(r) if r.id == id => rows.pop_front(),
                _ => None,
            };
            let mut list = Vec::new();
            loop {
                while entries.front().is_some_and(|(i, _)| *i == id) {
                    if let Some((_, e)) = entries.pop_front() {
                        list.push(e);
                    }
                }
                // The incident's entries may run on into the next batch.
                if !entries.is_empty() || entries_done {
                    break;
                }
                let batch = self.tx.query_portal(&entries_portal, BATCH)?;
                entries_done = batch.len() < BATCH as usize;
                for r in &batch {
                    entries.push_back(entry_of(r)?);
                }
            }
            f((id, row, list))?;
        }
    }

    fn heads(&mut self, before: Option<Instant>) -> Result<Vec<Head>> {
        let offices: Vec<String> = match self.narrow {
            Some(o) => o.to_vec(),
            None => self.shared.readable.clone(),
        };
        let mut out = Vec::with_capacity(offices.len());
        for office in offices {
            let hash: Option<String> = match before {
                None => self
                    .tx
                    .query_opt(
                        "SELECT hash FROM sitrep.entries WHERE office = $1 \
                         ORDER BY seq DESC LIMIT 1",
                        &[&office],
                    )?
                    .map(|r| r.get(0)),
                Some(t) => self
                    .tx
                    .query_opt(
                        "SELECT hash FROM sitrep.entries WHERE office = $1 AND recorded < $2 \
                         ORDER BY seq DESC LIMIT 1",
                        &[&office, &t.timestamp()],
                    )?
                    .map(|r| r.get(0)),
            };
            out.push(Head {
                office: Some(office),
                hash: hash.unwrap_or_else(|| GENESIS.to_owned()),
            });
        }
        Ok(out)
    }
}

impl Write for Tx<'_> {
    fn recorded_now(&mut self) -> Result<Option<Instant>> {
        if self.shared.test_clock {
            return Ok(None);
        }
        let secs: i64 = self
            .tx
            .query_typed(
                "SELECT floor(extract(epoch FROM clock_timestamp()))::bigint",
                &[],
            )?
            .first()
            .context("the server answered nothing")?
            .get(0);
        Ok(Some(from_unix(secs)))
    }

    fn store_rules(&mut self, hash: &str, text: &str, now: Instant) -> Result<()> {
        let have = !self
            .tx
            .query_typed(
                "SELECT 1 FROM sitrep.rules WHERE hash = $1",
                &[(&hash, Type::TEXT)],
            )?
            .is_empty();
        if have {
            return Ok(());
        }
        if !self.shared.owner {
            return Err(crate::error::refuse(msg!(
                "the rules {hash} are not in the shared store: an office files under the rules the store holds for it, set by the owner (`sitrep office rules CODE FILE`)",
                "共享库中没有规则 {hash}：各单位按共享库为其保存的规则报送，由所有者设置（`sitrep office rules 代码 文件`）"
            )));
        }
        self.tx.execute(
            "INSERT INTO sitrep.rules (hash, text, first_used) VALUES ($1, $2, $3)",
            &[&hash, &text, &now.timestamp()],
        )?;
        Ok(())
    }

    fn new_id(&mut self, date: NaiveDate) -> Result<IncidentId> {
        let office = acting(self.shared)?;
        let day = IncidentId::day(date);
        let n: i32 = self
            .tx
            .query_typed(
                "SELECT sitrep.next_number($1, $2)",
                &[(&office, Type::TEXT), (&day, Type::TEXT)],
            )?
            .first()
            .context("the server gave no number")?
            .get(0);
        Ok(IncidentId::of_office(&office, date, u32::try_from(n)?))
    }

    fn append(
        &mut self,
        id: &IncidentId,
        entries: &[Entry],
        row: &IncidentRow,
    ) -> Result<Vec<Entry>> {
        let Some(office) = id.office.clone() else {
            return Err(crate::error::refuse(msg!(
                "{id} has no office code: on a shared store every id begins with its office's (import with --office CODE)",
                "{id} 没有单位代码：共享库中每个编号都以单位代码开头（导入时请用 --office 代码）"
            )));
        };
        if let Some(bulk) = &mut self.bulk
            && entries.iter().all(|e| e.imported)
            && entries.first().is_some_and(|e| e.n == 1)
        {
            return bulk.append(&mut self.tx, self.shared.test_clock, id, entries, row);
        }
        if let Some(bulk) = &mut self.bulk {
            // Anything else follows what the import chained so far.
            bulk.finish(&mut self.tx)?;
        }
        let incident = id.to_string();
        // Every entry carries the row the incident's entries make, which the trigger applies;
        // the row says closed from its final report on, so an entry of this batch before the
        // final carries it open (the trigger holds the row to that at every entry).
        let final_at = entries
            .iter()
            .position(|e| e.body.entry_type() == crate::domain::model::EntryType::Final);
        let projection = |k: usize| {
            let closed = match final_at {
                Some(j) if k < j => None,
                _ => row.closed,
            };
            projection(row, closed)
        };
        // One round trip an entry (a filing has one or two): no separate prepare.
        const INSERT: &str = "INSERT INTO sitrep.entries (office, seq, incident, n, type, at, \
             recorded, by, os_user, imported, simulated, body, prev, hash, projection) \
             VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', '', $12) \
             RETURNING recorded, hash";
        let mut out = Vec::with_capacity(entries.len());
        for (k, e) in entries.iter().enumerate() {
            let n = i32::try_from(e.n)?;
            let ty = e.body.entry_type().as_str();
            let body = e.body.to_stored();
            let projection = projection(k)?;
            let rows = self
                .tx
                .query_typed(
                    INSERT,
                    &[
                        (&office, Type::TEXT),
                        (&incident, Type::TEXT),
                        (&n, Type::INT4),
                        (&ty, Type::TEXT),
                        (&e.at.timestamp(), Type::INT8),
                        (&e.recorded.timestamp(), Type::INT8),
                        (&e.by, Type::TEXT),
                        (&e.os_user, Type::TEXT),
                        (&e.imported, Type::BOOL),
                        (&e.simulated, Type::BOOL),
                        (&body, Type::TEXT),
                        (&projection, Type::TEXT),
                    ],
                )
                .with_context(|| {
                    let n = e.n;
                    msg!(
                        "cannot append entry {n} of {incident}",
                        "无法写入 {incident} 的第 {n} 条记录"
                    )
                })?;
            let r = rows.first().context("the server returned no entry")?;
            out.push(Entry {
                recorded: from_unix(r.get(0)),
                hash: r.get(1),
                ..e.clone()
            });
        }
        Ok(out)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        if let Some(bulk) = &mut self.bulk {
            bulk.finish(&mut self.tx)?;
        }
        self.tx.commit().context(msg!(
            "cannot commit to the shared store",
            "无法提交到共享库"
        ))
    }
}

/// The row an entry carries for the trigger to apply, closed as given.
fn projection(row: &IncidentRow, closed: Option<Instant>) -> Result<String> {
    Ok(json!({
        "rules": row.rules,
        "title": row.title,
        "kind": row.kind,
        "severity": row.severity,
        "occurred": row.occurred.timestamp(),
        "known": row.known.timestamp(),
        "filed": row.filed.timestamp(),
        "closed": closed.map(|t| t.timestamp()),
        "location": row.location,
        "unit": row.unit,
        "figures": serde_json::to_string(&row.figures)?,
        "last_at": row.last_at.timestamp(),
    })
    .to_string())
}

/// The office written for, or what to give when the login holds none or several.
fn acting(shared: &Shared) -> Result<String> {
    if let Some(o) = &shared.acting {
        return Ok(o.clone());
    }
    let login = &shared.login;
    Err(crate::error::refuse(if shared.members.is_empty() {
        msg!(
            "{login} holds no office's role in this shared store: the owner grants one with `sitrep office grant CODE {login}`",
            "{login} 在此共享库中不属于任何单位：请所有者用 `sitrep office grant 代码 {login}` 授权"
        )
    } else {
        let list = shared.members.join(", ");
        msg!(
            "{login} holds the roles of several offices ({list}): say which with --office CODE",
            "{login} 属于多个单位（{list}）：请用 --office 代码 指定"
        )
    }))
}
