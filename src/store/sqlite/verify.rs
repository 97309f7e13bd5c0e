//! `verify`, the SQLite part: walk the whole chain once (`store::walk`: where it first breaks),
//! then: the schema is exactly sitrep's, and each stored rules text still has its hash. One
//! pass, streaming. Whether each incident's row follows from its entries is the replay's
//! business (`commands::verify`).

use anyhow::Result;
use rusqlite::Connection;

use super::schema;
use crate::store::chain::Link;
use crate::store::walk::Walk;
use crate::store::{Damage, MAX_DAMAGE, SchemaProblem, VerifyReport};

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
    let tx = conn.unchecked_transaction()?;
    let mut walk = Walk::new(want_head);
    if version > 0 {
        let mut stmt = tx.prepare(
            "SELECT seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body, prev, hash \
             FROM entries ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (incident, ty, by, os_user, body): (String, String, String, String, String) =
                (r.get(1)?, r.get(3)?, r.get(6)?, r.get(7)?, r.get(10)?);
            let (prev, hash): (String, String) = (r.get(11)?, r.get(12)?);
            let link = Link {
                seq: r.get(0)?,
                incident: &incident,
                n: r.get(2)?,
                entry_type: &ty,
                at: r.get(4)?,
                recorded: r.get(5)?,
                by: &by,
                os_user: &os_user,
                imported: r.get(8)?,
                simulated: r.get(9)?,
                body: &body,
            };
            walk.entry(&link, &prev, &hash);
        }
    }
    let mut damage = std::mem::take(&mut walk.damage);
    damage.extend(schema_damage(&tx, version)?);
    if version > 0 {
        let mut stmt = tx.prepare("SELECT hash, text FROM rules")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let hash: String = r.get(0)?;
            let text: String = r.get(1)?;
            if crate::sha::sha256_hex(text.as_bytes()) != hash {
                damage.push(Damage::Rules { hash });
            }
        }
    }
    walk.damage = damage;
    walk.finish();
    walk.damage.truncate(MAX_DAMAGE);
    Ok(VerifyReport {
        entries: walk.entries,
        incidents: walk.incidents(),
        head: walk.last_hash.clone(),
        chains: Vec::new(),
        damage: walk.damage,
        head_found: walk.head_found,
        imported: walk.imported,
        simulated: walk.simulated,
    })
}
