//! Every incident, in id order, as one merge of two ordered reads: the rows by id and the
//! entries by incident and number, each walked once by its own index. What is held is one
//! incident; a row without entries and entries without a row (a damaged record) are both given.

use std::iter::Peekable;

use anyhow::Result;
use rusqlite::Connection;

use super::{entries, incidents};
use crate::domain::model::Entry;
use crate::store::Stored;

/// Hands every incident to `f`, in id order.
pub fn each(conn: &Connection, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()> {
    let mut rows_stmt = conn.prepare(&incidents::all_sql())?;
    let mut entries_stmt = conn.prepare(&entries::all_sql())?;
    let mut rows = rows_stmt
        .query_map([], incidents::read_row)?
        .map(|r| r.map_err(anyhow::Error::from))
        .peekable();
    let mut entries = entries_stmt
        .query_map([], entries::read_entry)?
        .map(|r| r.map_err(anyhow::Error::from).and_then(|e| e))
        .peekable();
    loop {
        let next_row = peek_id(&mut rows, |r| &r.id)?;
        let next_entry = peek_id(&mut entries, |(id, _)| id)?;
        let id = match (next_row, next_entry) {
            (None, None) => return Ok(()),
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or_default(),
        };
        let row = match rows.next_if(|r| r.as_ref().is_ok_and(|r| r.id == id)) {
            Some(r) => Some(r?),
            None => None,
        };
        let mut list: Vec<Entry> = Vec::new();
        while let Some(e) = entries.next_if(|e| e.as_ref().is_ok_and(|(i, _)| *i == id)) {
            list.push(e?.1);
        }
        f((id, row, list))?;
    }
}

/// The incident id the next item is of, or the error it is.
fn peek_id<T>(
    it: &mut Peekable<impl Iterator<Item = Result<T>>>,
    id: fn(&T) -> &String,
) -> Result<Option<String>> {
    if let Some(Err(_)) = it.peek()
        && let Some(Err(e)) = it.next()
    {
        return Err(e);
    }
    Ok(it
        .peek()
        .and_then(|v| v.as_ref().ok())
        .map(|v| id(v).clone()))
}
