//! The incidents projection and the rules texts incidents are pinned to.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::model::Instant;
use crate::domain::row::IncidentRow;
use crate::msg;
use crate::store::query::{ListFilter, Scope};
use crate::tz::from_unix;

/// A subquery of a scope's ids, with its two parameters. Each branch uses an index: the
/// partial index of open incidents, the index on closing time, the index on claimed time.
pub(super) fn ids_sql(scope: Scope) -> (&'static str, i64, i64) {
    match scope {
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

/// The query of a scope's incidents, with its parameters.
pub(super) fn incidents_sql(scope: Scope) -> (String, i64, i64) {
    let (ids, a, b) = ids_sql(scope);
    (
        format!("SELECT {COLUMNS} FROM incidents WHERE id IN ({ids}) ORDER BY filed, id"),
        a,
        b,
    )
}

const COLUMNS: &str = "id, title, kind, severity, occurred, known, filed, closed, location, unit, \
                       figures, rules, last_at";

fn row(r: &Row<'_>) -> rusqlite::Result<IncidentRow> {
    let figures: String = r.get(10)?;
    Ok(IncidentRow {
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

/// Every stored rules text, by hash.
pub fn rules_texts(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT hash, text FROM rules ORDER BY hash")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Stores a rules text by its hash (once).
pub fn store_rules(conn: &Connection, hash: &str, text: &str, now: Instant) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO rules (hash, text, first_used) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![hash, text, now.timestamp()])?;
    Ok(())
}

/// A stored rules text.
pub fn rules_text(conn: &Connection, hash: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT text FROM rules WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?)
}

/// The next free number for incidents known on `day` (`YYYYMMDD`). Safe because the caller's
/// transaction began `IMMEDIATE`: no other writer runs until it ends.
pub fn next_number(conn: &Connection, day: &str) -> Result<u32> {
    let max: Option<u32> = conn
        .prepare_cached("SELECT MAX(number) FROM incidents WHERE day = ?1")?
        .query_row([day], |r| r.get(0))?;
    Ok(max.unwrap_or(0) + 1)
}

/// Inserts the row of a new incident.
pub fn insert(conn: &Connection, p: &IncidentRow, day: &str, number: u32) -> Result<()> {
    let figures = serde_json::to_string(&p.figures)?;
    conn.prepare_cached(&format!(
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
        p.closed.map(|c| c.timestamp()),
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
    Ok(())
}

/// Rewrites the row of an incident.
pub fn update(conn: &Connection, p: &IncidentRow) -> Result<()> {
    let figures = serde_json::to_string(&p.figures)?;
    conn.prepare_cached(
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
        p.closed.map(|c| c.timestamp()),
        p.location,
        p.unit,
        figures,
        p.last_at.timestamp()
    ])?;
    Ok(())
}

/// One incident's row.
pub fn get(conn: &Connection, id: &str) -> Result<Option<IncidentRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Incidents for `list`, newest first.
pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<IncidentRow>> {
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
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The rows of a scope's incidents (see [`Scope`]).
pub fn of_scope(conn: &Connection, scope: Scope) -> Result<Vec<IncidentRow>> {
    let (sql, a, b) = incidents_sql(scope);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([a, b], row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The query of every row, in id order.
pub(super) fn all_sql() -> String {
    format!("SELECT {COLUMNS} FROM incidents ORDER BY id")
}

/// A row as read (for the merge of every incident in `all.rs`).
pub(super) fn read_row(r: &Row<'_>) -> rusqlite::Result<IncidentRow> {
    row(r)
}
