//! `verify` on a shared store: every chain the login may read walked in order (`store::walk`),
//! one head per office; the guards still in place (the trigger on entries and the refusals of
//! change enabled, row-level security on); each stored rules text still its hash. What the
//! owner altered behind the triggers shows as a broken chain.

use anyhow::Result;
use postgres::fallible_iterator::FallibleIterator;

use super::Shared;
use crate::damage::{ChainReport, Damage, MAX_DAMAGE, SchemaProblem, VerifyReport};
use crate::error::refuse;
use crate::msg;
use crate::store::chain::Link;
use crate::store::walk::Walk;

/// `head` is `CODE=HASH` (an office's head printed earlier) or a bare hash (any chain's).
pub fn verify(
    client: &mut postgres::Client,
    shared: &Shared,
    head: Option<&str>,
) -> Result<VerifyReport> {
    let (want_office, want_hash) = match head.map(|h| h.split_once('=')) {
        Some(Some((o, h))) => (Some(o.trim().to_owned()), Some(h.trim().to_owned())),
        Some(None) => (None, head.map(str::to_owned)),
        None => (None, None),
    };
    // An office outside the login's reach is not a damaged chain: it is one this login cannot
    // prove anything of.
    if let Some(o) = want_office
        .as_deref()
        .filter(|o| !shared.readable.iter().any(|r| r == o))
    {
        let login = &shared.login;
        return Err(refuse(msg!(
            "{login} cannot read office {o}'s record (or there is no such office: `sitrep office list` names them), so cannot prove its head: verify it as one of its officers, a supervisor above it, or the owner",
            "{login} 无权读取单位 {o} 的记录（或没有这个单位：`sitrep office list` 列出全部单位），无法核验其链头：请由该单位的值班员、其上级带班领导或所有者核验"
        )));
    }
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let mut damage = Vec::new();
    let mut chains = Vec::new();
    let (mut entries, mut incidents, mut imported, mut simulated) = (0, 0, 0, 0);
    let mut found = want_hash.as_ref().map(|_| false);
    for office in &shared.readable {
        let asked = want_hash
            .as_deref()
            .filter(|_| want_office.as_deref().is_none_or(|o| o == office));
        let mut walk = Walk::new(asked);
        let mut it = tx.query_raw(
            "SELECT seq, incident, n, type, at, recorded, by, os_user, imported, simulated, \
             body, prev, hash FROM sitrep.entries WHERE office = $1 ORDER BY seq",
            [office],
        )?;
        while let Some(r) = it.next()? {
            let (incident, ty, by, os_user, body): (String, String, String, String, String) =
                (r.get(1), r.get(3), r.get(6), r.get(7), r.get(10));
            let (prev, hash): (String, String) = (r.get(11), r.get(12));
            let link = Link {
                seq: r.get(0),
                incident: &incident,
                n: i64::from(r.get::<_, i32>(2)),
                entry_type: &ty,
                at: r.get(4),
                recorded: r.get(5),
                by: &by,
                os_user: &os_user,
                imported: r.get(8),
                simulated: r.get(9),
                body: &body,
            };
            walk.entry(&link, &prev, &hash);
        }
        drop(it);
        // The head the store keeps must be the chain's end.
        let kept: Option<(i64, String)> = tx
            .query_opt(
                "SELECT seq, hash FROM sitrep.heads WHERE office = $1",
                &[office],
            )?
            .map(|r| (r.get(0), r.get(1)));
        if kept.as_ref().is_some_and(|(_, h)| *h != walk.last_hash) {
            damage.push(Damage::Schema {
                name: format!("sitrep.heads ({office})"),
                problem: SchemaProblem::Altered,
            });
        }
        if walk.head_found == Some(true) {
            found = Some(true);
        }
        entries += walk.entries;
        incidents += walk.incidents();
        imported += walk.imported;
        simulated += walk.simulated;
        damage.append(&mut walk.damage);
        chains.push(ChainReport {
            office: office.clone(),
            entries: walk.entries,
            head: walk.last_hash.clone(),
        });
    }
    damage.extend(guards(&mut tx)?);
    for r in tx.query("SELECT hash, text FROM sitrep.rules", &[])? {
        let (hash, text): (String, String) = (r.get(0), r.get(1));
        if crate::sha::sha256_hex(text.as_bytes()) != hash {
            damage.push(Damage::Rules { hash });
        }
    }
    if let (Some(h), Some(false)) = (&want_hash, found) {
        let head = match &want_office {
            Some(o) => format!("{o}={h}"),
            None => h.clone(),
        };
        damage.push(Damage::HeadMissing { head });
    }
    tx.commit()?;
    damage.truncate(MAX_DAMAGE);
    let head = match chains.as_slice() {
        [one] => one.head.clone(),
        _ => String::new(),
    };
    Ok(VerifyReport {
        entries,
        incidents,
        head,
        chains,
        damage,
        head_found: found,
        imported,
        simulated,
    })
}

/// The guards that make the record append-only and the chain the database's, where they are
/// missing or disabled.
fn guards(tx: &mut postgres::Transaction<'_>) -> Result<Vec<Damage>> {
    let mut damage = Vec::new();
    for (table, trigger) in [
        ("entries", "entries_insert"),
        ("entries", "entries_head"),
        ("entries", "entries_no_change"),
        ("entries", "entries_no_truncate"),
        ("rules", "rules_no_change"),
        ("meta", "meta_no_change"),
    ] {
        let state: Option<String> = tx
            .query_opt(
                "SELECT t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = 'sitrep' AND c.relname = $1 AND t.tgname = $2",
                &[&table, &trigger],
            )?
            .map(|r| r.get(0));
        match state.as_deref() {
            None => damage.push(Damage::Schema {
                name: format!("trigger {trigger} on {table}"),
                problem: SchemaProblem::Missing,
            }),
            Some("D") => damage.push(Damage::Schema {
                name: format!("trigger {trigger} on {table} (disabled)"),
                problem: SchemaProblem::Altered,
            }),
            Some(_) => {}
        }
    }
    for table in ["incidents", "entries"] {
        let on: Option<bool> = tx
            .query_opt(
                "SELECT c.relrowsecurity FROM pg_class c JOIN pg_namespace n \
                 ON n.oid = c.relnamespace WHERE n.nspname = 'sitrep' AND c.relname = $1",
                &[&table],
            )?
            .map(|r| r.get(0));
        if on != Some(true) {
            damage.push(Damage::Schema {
                name: format!("row-level security on {table}"),
                problem: SchemaProblem::Altered,
            });
        }
    }
    Ok(damage)
}
