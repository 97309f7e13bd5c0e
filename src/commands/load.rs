//! Reading incidents from the store for the commands: each under the rules its hashed initial
//! report names, replayed and compared with its row (`crate::audit`), with damage named rather
//! than hidden. The loading of `check`'s and `digest`'s scopes, `show`'s incident, and every
//! incident a page at a time for `export` and `verify`.

use std::rc::Rc;

use anyhow::Result;

use crate::context::Ctx;
use crate::damage::Damage;
use crate::domain::loaded::Loaded;
use crate::domain::model::Entry;
use crate::domain::replay::{History, pinned_rules};
use crate::domain::row::IncidentRow;
use crate::rules::Rules;
use crate::store::{Read, Stored};

/// An incident read whole, as its entries say it is.
#[derive(Debug)]
pub struct Whole {
    pub id: String,
    pub rules: Rc<Rules>,
    pub entries: Vec<Entry>,
    /// The whole history (every entry, every correction).
    pub history: History,
    /// The row its entries make (not the row stored, which may differ: that is damage).
    pub row: IncidentRow,
}

/// The rules an incident's hashed initial report names, or why there are none to read it by.
pub fn pinned(
    ctx: &Ctx,
    tx: &mut dyn Read,
    id: &str,
    entries: &[Entry],
) -> Result<Result<Rc<Rules>, Damage>> {
    let incident = id.to_owned();
    let Some(hash) = pinned_rules(entries).map(str::to_owned) else {
        return Ok(Err(if entries.is_empty() {
            Damage::NoEntries { incident }
        } else {
            Damage::Unreplayable {
                incident,
                message: crate::msg!(
                    "its first entry is not an initial report",
                    "其第一条记录不是首报"
                )
                .to_string(),
            }
        }));
    };
    Ok(match ctx.try_pinned(tx, &hash)? {
        Some(rules) => Ok(rules),
        None => Err(Damage::RulesMissing { incident, hash }),
    })
}

/// Stored incidents with their rules, for judging; those that cannot be read are named.
pub fn many(
    ctx: &Ctx,
    tx: &mut dyn Read,
    stored: Vec<Stored>,
) -> Result<(Vec<Loaded>, Vec<Damage>)> {
    let mut loaded = Vec::with_capacity(stored.len());
    let mut damage = Vec::new();
    for (id, row, entries) in stored {
        match pinned(ctx, tx, &id, &entries)? {
            Ok(rules) => loaded.push(Loaded {
                id,
                row,
                rules,
                entries,
            }),
            Err(d) => damage.push(d),
        }
    }
    Ok((loaded, damage))
}

/// One stored incident read whole: `Ok((None, damage))` when it cannot be read,
/// `Ok((Some(whole), damage))` with the damage of its row if the row differs.
pub fn whole(
    ctx: &Ctx,
    tx: &mut dyn Read,
    (id, row, entries): Stored,
) -> Result<(Option<Whole>, Option<Damage>)> {
    let rules = match pinned(ctx, tx, &id, &entries)? {
        Ok(r) => r,
        Err(d) => return Ok((None, Some(d))),
    };
    let l = Loaded {
        id,
        row,
        rules,
        entries,
    };
    Ok(match crate::audit::replay_whole(&l) {
        Ok((history, row, damage)) => (
            Some(Whole {
                id: l.id,
                rules: l.rules,
                entries: l.entries,
                history,
                row,
            }),
            damage,
        ),
        Err(d) => (None, Some(d)),
    })
}

/// Says each damage on stderr, one line each, with what to do.
pub fn warn(damage: &[Damage]) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for d in damage {
        let _ = writeln!(err, "{}{d}", crate::i18n::pick("damaged: ", "记录受损："));
    }
    if !damage.is_empty() {
        let _ = writeln!(
            err,
            "{}",
            crate::i18n::pick(
                "run `sitrep verify` for the whole record, and restore the file from a backup if it was altered",
                "请运行 `sitrep verify` 检查全部记录；如文件被篡改，请从备份恢复"
            )
        );
    }
}

/// Every stored incident, a page at a time, read whole, handed to `f` (no query stays open
/// while `f` runs).
pub fn each_whole(
    ctx: &Ctx,
    tx: &mut dyn Read,
    damage: &mut Vec<Damage>,
    mut f: impl FnMut(Whole) -> Result<()>,
) -> Result<()> {
    let mut after: Option<String> = None;
    loop {
        let page = tx.page(after.as_deref(), 500)?;
        let Some(last) = page.last().map(|s| s.0.clone()) else {
            return Ok(());
        };
        for stored in page {
            let (w, d) = whole(ctx, tx, stored)?;
            damage.extend(d);
            if let Some(w) = w {
                f(w)?;
            }
        }
        after = Some(last);
    }
}
