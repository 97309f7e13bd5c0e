//! The incidents projection and the rules texts incidents are pinned to.

use anyhow::{Context, Result};
use rusqlite::{OptionalExtension, Row, params};

use super::Tx;
use crate::domain::model::Instant;
use crate::domain::summary::Summary;
use crate::msg;
use crate::tz::from_unix;

/// A set of incidents read by index, so its cost follows its size, not the history.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// What `check --at` reads: open, or closed at or after `closed_after` (by its row or by a
    /// final report claimed since); those filed after `at` are left out by the replay.
    Check { at: Instant, closed_after: Instant },
    /// What a digest of `[from, to)` reads: an entry claimed in the window, or open at its end.
    Window { from: Instant, to: Instant },
}

impl Scope {
    /// A subquery of ids, with its two parameters. Each branch uses an index: the partial
    /// index of open incidents, the index on closing time, the index on claimed time.
    pub(super) fn ids_sql(self) -> (&'static str, i64, i64) {
        match self {
            // By closing only: a row's filing time is filtered by the replay (an incident
            // filed after T does not exist at T), so no tampered `filed` can hide an incident;
            // and a final report claimed since the start is read whatever its row says.
            Scope::Check { at, closed_after } => (
                "SELECT id FROM incidents WHERE closed IS NULL AND ?1 = ?1 \
                 UNION ALL SELECT id FROM incidents WHERE closed >= ?2 \
                 UNION ALL SELECT incident FROM entries WHERE at >= ?2 AND type = 'final'",
                at.timestamp(),
                closed_after.timestamp(),
            ),
            // UNION ALL, not UNION: `IN` removes duplicates anyway, and a plain UNION leads
            // SQLite 3.54's planner to merge sorted branches by scanning all incidents.
            Scope::Window { from, to } => (
                "SELECT incident FROM entries WHERE at >= ?1 AND at < ?2 \
                 UNION ALL SELECT id FROM incidents WHERE closed IS NULL AND filed < ?2 \
                 UNION ALL SELECT id FROM incidents WHERE closed >= ?2 AND filed < ?2",
                from.timestamp(),
                to.timestamp(),
            ),
        }
    }
}

impl Scope {
    /// The query of the scope's incidents, with its parameters.
    pub(super) fn incidents_sql(self) -> (String, i64, i64) {
        let (ids, a, b) = self.ids_sql();
        (
            format!("SELECT {COLUMNS} FROM incidents WHERE id IN ({ids}) ORDER BY filed, id"),
            a,
            b,
        )
    }
}

/// Which incidents `list` wants.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub open: Option<bool>,
    pub since: Option<Instant>,
    pub severity: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<u32>,
}

const COLUMNS: &str = "id, title, kind, severity, occurred, known, filed, closed, location, unit, \
                       figures, rules, last_at";

fn row(r: &Row<'_>) -> rusqlite::Result<Summary> {
    let figures: String = r.get(10)?;
    Ok(Summary {
        id: r.get(0)?,
        title: r.get(1)?,
        kind: r.get(2)?,
        severity: r.get(3)?,
        occurred: from_unix(r.get(4)?),
        known: from_unix(r.get(5)?),
        filed: from_unix(r.get(6)?),
        closed: r.get::<_, Option<i64>>(7)?.map(from_unix),
        location: r.get(8)?,
        unit: r.get(9)?,
        // The projection is written from a `Figures` map by `put`, so it always parses.
        figures: serde_json::from_str(&figures).unwrap_or_default(),
        rules: r.get(11)?,
        last_at: from_unix(r.get(12)?),
    })
}

impl Tx<'_> {
    /// Stores a rules text by its hash (once).
    pub fn store_rules(&self, hash: &str, text: &str, now: Instant) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO rules (hash, text, first_used) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![hash, text, now.timestamp()])?;
        Ok(())
    }

    /// A stored rules text.
    pub fn rules_text(&self, hash: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT text FROM rules WHERE hash = ?1")?
            .query_row([hash], |r| r.get(0))
            .optional()?)
    }

    /// The next free number for incidents known on `day` (`YYYYMMDD`).
    pub fn next_number(&self, day: &str) -> Result<u32> {
        let max: Option<u32> = self
            .conn()
            .prepare_cached("SELECT MAX(number) FROM incidents WHERE day = ?1")?
            .query_row([day], |r| r.get(0))?;
        Ok(max.unwrap_or(0) + 1)
    }

    /// Inserts (`day`/`number` given) or updates the projection of an incident.
    pub fn put_incident(&self, p: &Summary, new: Option<(&str, u32)>) -> Result<()> {
        let figures = serde_json::to_string(&p.figures)?;
        let closed = p.closed.map(|c| c.timestamp());
        match new {
            Some((day, number)) => {
                self.conn()
                    .prepare_cached(&format!(
                        "INSERT INTO incidents ({COLUMNS}, day, number) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                    ))?
                    .execute(params![
                        p.id,
                        p.title,
                        p.kind,
                        p.severity,
                        p.occurred.timestamp(),
                        p.known.timestamp(),
                        p.filed.timestamp(),
                        closed,
                        p.location,
                        p.unit,
                        figures,
                        p.rules,
                        p.last_at.timestamp(),
                        day,
                        number
                    ])
                    .with_context(|| {
                        let id = &p.id;
                        msg!("cannot add incident {id}", "无法新增事件 {id}")
                    })?;
            }
            None => {
                self.conn()
                    .prepare_cached(
                        "UPDATE incidents SET title = ?2, kind = ?3, severity = ?4, occurred = ?5, \
                         known = ?6, filed = ?7, closed = ?8, location = ?9, unit = ?10, \
                         figures = ?11, last_at = ?12 WHERE id = ?1",
                    )?
                    .execute(params![
                        p.id,
                        p.title,
                        p.kind,
                        p.severity,
                        p.occurred.timestamp(),
                        p.known.timestamp(),
                        p.filed.timestamp(),
                        closed,
                        p.location,
                        p.unit,
                        figures,
                        p.last_at.timestamp()
                    ])?;
            }
        }
        Ok(())
    }

    /// One incident's projection.
    pub fn incident(&self, id: &str) -> Result<Option<Summary>> {
        Ok(self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1"))?
            .query_row([id], row)
            .optional()?)
    }

    /// Incidents for `list`, newest first.
    pub fn list(&self, f: &ListFilter) -> Result<Vec<Summary>> {
        let mut sql = format!("SELECT {COLUMNS} FROM incidents WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        match f.open {
            Some(true) => sql.push_str(" AND closed IS NULL"),
            Some(false) => sql.push_str(" AND closed IS NOT NULL"),
            None => {}
        }
        if let Some(since) = f.since {
            args.push(since.timestamp().into());
            sql.push_str(&format!(" AND filed >= ?{}", args.len()));
        }
        if let Some(s) = &f.severity {
            args.push(s.clone().into());
            sql.push_str(&format!(" AND severity = ?{}", args.len()));
        }
        if let Some(k) = &f.kind {
            args.push(k.clone().into());
            sql.push_str(&format!(" AND kind = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY filed DESC, id DESC");
        if let Some(limit) = f.limit {
            args.push(i64::from(limit).into());
            sql.push_str(&format!(" LIMIT ?{}", args.len()));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The incidents a scope covers (see [`Scope`]), oldest first.
    pub fn scope_incidents(&self, scope: Scope) -> Result<Vec<Summary>> {
        let (sql, a, b) = scope.incidents_sql();
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([a, b], row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every incident id, oldest first (for `export`).
    pub fn all_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id FROM incidents ORDER BY filed, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
