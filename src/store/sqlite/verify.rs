//! `verify`, the store's part: walk the whole chain once and say where it first breaks.
//!
//! For each entry in chain order: its position follows the previous one (nothing deleted or
//! renumbered), its `prev` is the previous entry's hash (nothing removed, swapped or inserted),
//! its own hash matches its columns (nothing edited), its number follows the incident's previous
//! one, and it was not recorded more than [`RECORDED_SLACK_SECS`] before an entry ahead of it in
//! the chain (entries are appended in the order they are recorded; a forged entry appended with
//! the chain recomputed is caught this way unless its times are forged too). Entries recorded
//! under a simulated clock or brought in by `import` keep times that are not this machine's, so
//! they are exempt, and counted. Then: the schema is exactly sitrep's, and each stored rules text
//! still has its hash. One pass, streaming. Whether each incident's row follows from its entries
//! is the replay's business (`commands::verify`).

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use super::schema::{self, GENESIS};
use crate::store::chain::{Link, entry_hash};
use crate::store::{Damage, MAX_DAMAGE, SchemaProblem, VerifyReport};

/// How far back an entry's recorded time may be from one ahead of it in the chain: writers
/// read the clock when they hold the database, but clocks are stepped by a few seconds and a
/// writer may have been suspended.
pub const RECORDED_SLACK_SECS: i64 = 5 * 60;

/// How the schema of `conn` differs from the one sitrep's first `version` migrations make.
/// The schema of the current version is compared by its digest first (every command opens the
/// file through this); only a schema that differs is compared object by object.
pub fn schema_damage(conn: &Connection, version: usize) -> Result<Vec<Damage>> {
    let have = schema::objects(conn)?;
    if version == schema::MIGRATIONS.len() && schema::digest(&have) == schema::CURRENT_DIGEST {
        return Ok(Vec::new());
    }
    let want = schema::expected(version)?;
    let mut damage = Vec::new();
    for w in &want {
        match have.iter().find(|h| h.kind == w.kind && h.name == w.name) {
            None => damage.push(Damage::Schema {
                name: w.name.clone(),
                problem: SchemaProblem::Missing,
            }),
            Some(h) if h != w => damage.push(Damage::Schema {
                name: w.name.clone(),
                problem: SchemaProblem::Altered,
            }),
            Some(_) => {}
        }
    }
    for h in have
        .iter()
        .filter(|h| !want.iter().any(|w| w.kind == h.kind && w.name == h.name))
    {
        damage.push(Damage::Schema {
            name: format!("{} {} ({})", h.kind, h.name, h.table),
            problem: SchemaProblem::Foreign,
        });
    }
    Ok(damage)
}

pub fn verify_with_head(
    conn: &Connection,
    version: usize,
    want_head: Option<&str>,
) -> Result<VerifyReport> {
    let mut damage = Vec::new();
    let push = |d: Damage, damage: &mut Vec<Damage>| {
        if damage.len() < MAX_DAMAGE {
            damage.push(d);
        }
    };

    let tx = conn.unchecked_transaction()?;
    if version == 0 {
        return Ok(VerifyReport {
            entries: 0,
            incidents: 0,
            head: GENESIS.to_owned(),
            damage: schema_damage(&tx, 0)?,
            head_found: want_head.map(|h| h == GENESIS),
            imported: 0,
            simulated: 0,
        });
    }
    let mut stmt = tx.prepare(
        "SELECT seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body, prev, hash \
         FROM entries ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut last_seq = 0i64;
    let mut last_hash = GENESIS.to_owned();
    let mut numbers: HashMap<String, i64> = HashMap::new();
    let mut count = 0u64;
    let mut head_found = want_head.map(|_| false);
    let (mut imported, mut simulated) = (0u64, 0u64);
    // The latest recorded time so far of the entries whose recorded times are this machine's.
    let mut latest: Option<i64> = None;
    while let Some(r) = rows.next()? {
        count += 1;
        let seq: i64 = r.get(0)?;
        let incident: String = r.get(1)?;
        let n: i64 = r.get(2)?;
        let prev: String = r.get(11)?;
        let hash: String = r.get(12)?;
        if seq != last_seq + 1 {
            push(
                Damage::Gap {
                    expected: last_seq + 1,
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        if prev != last_hash {
            push(
                Damage::BrokenLink {
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        let ty: String = r.get(3)?;
        let by: String = r.get(6)?;
        let os_user: String = r.get(7)?;
        let body: String = r.get(10)?;
        let link = Link {
            seq,
            incident: &incident,
            n,
            entry_type: &ty,
            at: r.get(4)?,
            recorded: r.get(5)?,
            by: &by,
            os_user: &os_user,
            imported: r.get(8)?,
            simulated: r.get(9)?,
            body: &body,
        };
        imported += u64::from(link.imported);
        simulated += u64::from(link.simulated && !link.imported);
        if !link.imported && !link.simulated {
            if let Some(l) = latest
                && link.recorded < l - RECORDED_SLACK_SECS
            {
                let utc = |t: i64| crate::tz::rfc3339(chrono_tz::UTC, crate::tz::from_unix(t));
                push(
                    Damage::RecordedBackwards {
                        seq,
                        incident: incident.clone(),
                        n,
                        recorded: utc(link.recorded),
                        latest: utc(l),
                    },
                    &mut damage,
                );
            }
            latest = latest.max(Some(link.recorded));
        }
        if entry_hash(&prev, &link) != hash {
            push(
                Damage::Edited {
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        let expected = numbers.get(&incident).map_or(1, |last| last + 1);
        if n != expected {
            push(
                Damage::Numbering {
                    incident: incident.clone(),
                    expected,
                    n,
                },
                &mut damage,
            );
        }
        numbers.insert(incident, n);
        if want_head == Some(hash.as_str()) {
            head_found = Some(true);
        }
        last_seq = seq;
        last_hash = hash;
    }
    drop(rows);
    drop(stmt);

    for d in schema_damage(&tx, version)? {
        push(d, &mut damage);
    }

    let mut stmt = tx.prepare("SELECT hash, text FROM rules")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let hash: String = r.get(0)?;
        let text: String = r.get(1)?;
        if crate::sha::sha256_hex(text.as_bytes()) != hash {
            push(Damage::Rules { hash }, &mut damage);
        }
    }
    if let (Some(head), Some(false)) = (want_head, head_found) {
        push(
            Damage::HeadMissing {
                head: head.to_owned(),
            },
            &mut damage,
        );
    }
    Ok(VerifyReport {
        entries: count,
        incidents: numbers.len() as u64,
        head: last_hash,
        damage,
        head_found,
        imported,
        simulated,
    })
}
