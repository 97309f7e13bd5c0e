//! The owner's import on a shared store, a batch at a time: an office's history of a hundred
//! thousand incidents would otherwise pass the insert trigger row by row.
//!
//! Rules: only the owner, only imported entries (`import` marks every entry so). The office's
//! chain is taken first (`lock_office`), then continued here with the hash every backend keeps
//! (`store::chain`), so each `append` returns the entries as stored. Rows go in by `unnest`,
//! under the transaction's `sitrep.bulk` (which lets the owner's imported rows pass the
//! triggers, see `schema.sql`). The statement that inserts a batch links each row to the hash
//! the client gave the row before it (the first to the chain's end as the database has it),
//! hashes every row with the database's own `entry_hash` and stores that hash, or refuses the
//! batch where the client's hash differs: every link stored is then a hash the database
//! computed, and on any difference nothing is imported. The office's head and day
//! counters are written once. Numbers only go forward within an office and day, as the trigger
//! holds an import to.

use std::collections::{HashMap, HashSet};

use anyhow::{Result, bail};

use crate::domain::id::IncidentId;
use crate::domain::model::Entry;
use crate::domain::row::IncidentRow;
use crate::error::refuse;
use crate::msg;
use crate::store::chain::{Link, entry_hash};
use crate::store::walk::GENESIS;

/// Entries held before they are sent.
const BATCH: usize = 20_000;

/// The office being imported into, and what waits to be sent.
#[derive(Default)]
pub struct Bulk {
    office: Option<String>,
    /// Where the chain ended when this import found it; its last hash as the database has
    /// checked it (after the last batch sent); its end as the client has it now.
    start: i64,
    checked: String,
    head: (i64, String),
    /// The last number given in this import, per day.
    numbers: HashMap<String, i32>,
    incidents: Vec<(String, i32, IncidentRow)>,
    pending: HashMap<String, usize>,
    /// The office's incidents before this import, so that asking for each new one needs no
    /// round trip.
    existing: HashSet<String>,
    entries: Vec<Staged>,
    /// What this import sent already.
    imported: HashSet<String>,
}

struct Staged {
    seq: i64,
    incident: String,
    n: i32,
    entry_type: String,
    at: i64,
    recorded: i64,
    by: String,
    os_user: String,
    simulated: bool,
    body: String,
    hash: String,
}

impl Bulk {
    /// The row of an incident of this import not yet sent.
    pub fn pending(&self, id: &str) -> Option<IncidentRow> {
        self.pending.get(id).map(|&k| self.incidents[k].2.clone())
    }

    /// Whether `id`, of the office being imported into, is known not to be stored (neither
    /// before this import nor by it).
    pub fn absent(&self, id: &str) -> bool {
        let Some(office) = &self.office else {
            return false;
        };
        let ours = id
            .strip_prefix(office.as_str())
            .is_some_and(|r| r.starts_with('-'));
        ours && !self.existing.contains(id) && !self.imported.contains(id)
    }

    /// Chains `entries` of the new incident `id` after the office's head; returns them as
    /// they will be stored.
    pub fn append(
        &mut self,
        tx: &mut postgres::Transaction<'_>,
        test_clock: bool,
        id: &IncidentId,
        entries: &[Entry],
        row: &IncidentRow,
    ) -> Result<Vec<Entry>> {
        let Some(office) = id.office.clone() else {
            bail!("{id}: an import into a shared store is of ids with an office's code");
        };
        let (day, number) = (IncidentId::day(id.date), id.number);
        if self.office.as_deref() != Some(office.as_str()) {
            self.finish(tx)?;
            self.begin(tx, &office)?;
        }
        let number = i32::try_from(number)?;
        if self.numbers.get(&day).is_some_and(|&last| number <= last) {
            return Err(refuse(msg!(
                "{id} comes after a later incident of office {office} on {day}: an office's numbers only go forward; give the lines in the order of their ids, as `sitrep export` writes them",
                "{id} 排在 {office} 当日（{day}）编号更大的事件之后：单位的编号只能递增；请按编号顺序给出各行，与 `sitrep export` 的输出一致"
            )));
        }
        self.numbers.insert(day.clone(), number);
        let incident = id.to_string();
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            if !e.imported {
                bail!("entry {} of {incident} is not an imported one", e.n);
            }
            if e.simulated && !test_clock {
                let n = e.n;
                return Err(refuse(msg!(
                    "entry {n} of {incident} was recorded under a simulated clock (SITREP_NOW), which only a test store holds: import it into a store made with `sitrep init --test-clock`",
                    "{incident} 的第 {n} 条记录是在模拟时钟（SITREP_NOW）下记入的，只有测试库可以收录：请导入用 `sitrep init --test-clock` 建立的库"
                )));
            }
            let seq = self.head.0 + 1;
            let entry_type = e.body.entry_type().as_str().to_owned();
            let body = e.body.to_stored();
            let link = Link {
                seq,
                incident: &incident,
                n: i64::from(e.n),
                entry_type: &entry_type,
                at: e.at.timestamp(),
                recorded: e.recorded.timestamp(),
                by: &e.by,
                os_user: &e.os_user,
                imported: true,
                simulated: e.simulated,
                body: &body,
            };
            let hash = entry_hash(&self.head.1, &link);
            let (at, recorded) = (link.at, link.recorded);
            self.entries.push(Staged {
                seq,
                incident: incident.clone(),
                n: i32::try_from(e.n)?,
                entry_type: entry_type.clone(),
                at,
                recorded,
                by: e.by.clone(),
                os_user: e.os_user.clone(),
                simulated: e.simulated,
                body,
                hash: hash.clone(),
            });
            self.head.1.clone_from(&hash);
            self.head.0 = seq;
            out.push(Entry { hash, ..e.clone() });
        }
        self.pending.insert(incident, self.incidents.len());
        self.incidents.push((day, number, row.clone()));
        if self.entries.len() >= BATCH {
            self.flush(tx)?;
        }
        Ok(out)
    }

    /// Takes `office`'s chain and reads where it ends.
    fn begin(&mut self, tx: &mut postgres::Transaction<'_>, office: &str) -> Result<()> {
        tx.execute("SELECT sitrep.lock_office($1)", &[&office])?;
        tx.execute("SELECT set_config('sitrep.bulk', 'on', true)", &[])?;
        let last = tx.query_opt(
            "SELECT seq, hash FROM sitrep.entries WHERE office = $1 ORDER BY seq DESC LIMIT 1",
            &[&office],
        )?;
        let head = match last {
            Some(r) => (r.get(0), r.get(1)),
            None => (0, GENESIS.to_owned()),
        };
        self.existing = tx
            .query(
                "SELECT id FROM sitrep.incidents WHERE office = $1",
                &[&office],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        self.imported.clear();
        self.office = Some(office.to_owned());
        self.start = head.0;
        self.checked = head.1.clone();
        self.head = head;
        self.numbers.clear();
        Ok(())
    }

    /// Sends what waits: the incidents, their entries, the day counters.
    fn flush(&mut self, tx: &mut postgres::Transaction<'_>) -> Result<()> {
        let Some(office) = self.office.clone() else {
            return Ok(());
        };
        if self.incidents.is_empty() {
            return Ok(());
        }
        let incidents = std::mem::take(&mut self.incidents);
        self.imported.extend(self.pending.drain().map(|(id, _)| id));
        let days: Vec<&str> = incidents.iter().map(|(d, _, _)| d.as_str()).collect();
        let numbers: Vec<i32> = incidents.iter().map(|(_, n, _)| *n).collect();
        // As the trigger holds an import: no number at or below one the office already gave.
        let behind: i64 = tx
            .query_one(
                "SELECT count(*) FROM unnest($2::text[], $3::int[]) AS u(day, number) \
                 JOIN sitrep.counters c ON c.office = $1 AND c.day = u.day \
                 WHERE u.number <= c.last",
                &[&office, &days, &numbers],
            )?
            .get(0);
        if behind > 0 {
            return Err(refuse(msg!(
                "{behind} incidents have numbers at or below those office {office} has given on their days already: numbers only go forward, so import an office's history before it files on those days, or into an office of its own",
                "{behind} 起事件的编号不大于 {office} 当日已用的编号：编号只能递增；请在该单位于这些日期报送之前导入其历史，或导入另设的单位"
            )));
        }
        let rows: Vec<&IncidentRow> = incidents.iter().map(|(_, _, r)| r).collect();
        let col = |f: fn(&IncidentRow) -> String| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        let time = |f: fn(&IncidentRow) -> i64| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        let figures = rows
            .iter()
            .map(|r| serde_json::to_string(&r.figures))
            .collect::<Result<Vec<_>, _>>()?;
        let closed: Vec<Option<i64>> = rows
            .iter()
            .map(|r| r.closed.map(|t| t.timestamp()))
            .collect();
        tx.execute(
            "INSERT INTO sitrep.incidents (id, office, day, number, rules, title, kind, severity, \
             occurred, known, filed, closed, location, unit, figures, last_at) \
             SELECT u.id, $1, u.day, u.number, u.rules, u.title, u.kind, u.severity, u.occurred, \
             u.known, u.filed, u.closed, u.location, u.unit, u.figures, u.last_at \
             FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], \
             $14::text[], $15::text[], $16::bigint[]) AS u(id, day, number, rules, title, kind, \
             severity, occurred, known, filed, closed, location, unit, figures, last_at)",
            &[
                &office,
                &col(|r| r.id.clone()),
                &days,
                &numbers,
                &col(|r| r.rules.clone()),
                &col(|r| r.title.clone()),
                &col(|r| r.kind.clone()),
                &col(|r| r.severity.clone()),
                &time(|r| r.occurred.timestamp()),
                &time(|r| r.known.timestamp()),
                &time(|r| r.filed.timestamp()),
                &closed,
                &col(|r| r.location.clone()),
                &col(|r| r.unit.clone()),
                &figures,
                &time(|r| r.last_at.timestamp()),
            ],
        )?;
        let entries = std::mem::take(&mut self.entries);
        let text = |f: fn(&Staged) -> &str| entries.iter().map(f).collect::<Vec<_>>();
        let int = |f: fn(&Staged) -> i64| entries.iter().map(f).collect::<Vec<_>>();
        // One pass, no row kept aside: each row's link is the hash the client gave the row
        // before it (the first's is the last the database confirmed, `checked`), and the row
        // stores the database's own hash of it, or NULL where the client's differs, which
        // the NOT NULL column refuses. So every stored link is a hash the database computed.
        // (The subquery is fenced so that the hash is computed once a row.)
        let sent = tx.execute(
            "INSERT INTO sitrep.entries (office, seq, incident, n, type, at, recorded, \"by\", \
             os_user, imported, simulated, body, prev, hash, projection) \
             SELECT $1, seq, incident, n, type, at, recorded, by, os_user, true, simulated, body, \
             prev, CASE WHEN hash = want THEN want END, NULL \
             FROM (SELECT u.*, sitrep.entry_hash(u.prev, u.seq, u.incident, u.n, u.type, u.at, \
             u.recorded, u.by, u.os_user, true, u.simulated, u.body) AS want \
             FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::bigint[], \
             $7::bigint[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::text[], \
             array_prepend($13::text, ($12::text[])[1:cardinality($12::text[]) - 1])) \
             AS u(seq, incident, n, type, at, recorded, by, os_user, simulated, body, hash, prev) \
             OFFSET 0) s",
            &[
                &office,
                &int(|e| e.seq),
                &text(|e| &e.incident),
                &entries.iter().map(|e| e.n).collect::<Vec<_>>(),
                &text(|e| &e.entry_type),
                &int(|e| e.at),
                &int(|e| e.recorded),
                &text(|e| &e.by),
                &text(|e| &e.os_user),
                &entries.iter().map(|e| e.simulated).collect::<Vec<_>>(),
                &text(|e| &e.body),
                &text(|e| &e.hash),
                &self.checked,
            ],
        );
        match sent {
            Ok(n) if n == entries.len() as u64 => {}
            Ok(n) => bail!(
                "{n} of the {} entries sent for office {office} were stored",
                entries.len()
            ),
            Err(e) if broken_chain(&e) => {
                // Met only where the store's hash function is not the one sitrep made (altered
                // by the owner's role) or by a fault in sitrep: the two chains differ.
                return Err(refuse(msg!(
                    "the database's hash of an entry sent for office {office} differs from sitrep's: either the store's function sitrep.entry_hash was altered, or sitrep has a fault; compare the function with a new store's (`\\sf sitrep.entry_hash` in psql)",
                    "数据库为单位 {office} 的条目计算的哈希与 sitrep 的不同：或是共享库中的函数 sitrep.entry_hash 被改动过，或是 sitrep 有缺陷；请与新建共享库中的同名函数比对（psql 中 `\\sf sitrep.entry_hash`）"
                )));
            }
            Err(e) => return Err(e.into()),
        }
        self.checked.clone_from(&self.head.1);
        tx.execute(
            "INSERT INTO sitrep.counters (office, day, last) \
             SELECT $1, u.day, max(u.number) FROM unnest($2::text[], $3::int[]) AS u(day, number) \
             GROUP BY u.day \
             ON CONFLICT (office, day) DO UPDATE SET last = GREATEST(sitrep.counters.last, EXCLUDED.last)",
            &[&office, &days, &numbers],
        )?;
        Ok(())
    }

    /// Sends the rest (the database checks each batch as it goes in), and writes the head.
    pub fn finish(&mut self, tx: &mut postgres::Transaction<'_>) -> Result<()> {
        self.flush(tx)?;
        let Some(office) = self.office.take() else {
            return Ok(());
        };
        // Whatever this transaction writes from here passes the triggers again. (Rows sent
        // under the setting were judged as they went in: the deferred trigger's condition is
        // taken when a row is inserted, not at commit.)
        tx.execute("SELECT set_config('sitrep.bulk', 'off', true)", &[])?;
        if self.head.0 == self.start {
            return Ok(());
        }
        tx.execute(
            "UPDATE sitrep.heads SET seq = $2, hash = $3 WHERE office = $1",
            &[&office, &self.head.0, &self.head.1],
        )?;
        Ok(())
    }
}

/// Whether `e` is the database refusing a row whose hash the client gave wrong (see `flush`).
fn broken_chain(e: &postgres::Error) -> bool {
    e.as_db_error().is_some_and(|d| {
        *d.code() == postgres::error::SqlState::NOT_NULL_VIOLATION && d.column() == Some("hash")
    })
}
