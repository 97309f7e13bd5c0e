//! Reading incidents from the store for the commands: each under the rules its hashed initial
//! report names, replayed and compared with its row (`crate::audit`), with damage named rather
//! than hidden. `check`'s and `digest`'s scopes one incident at a time as they are read, an
//! incident whole (`show` and the writers), and every incident a page at a time for `export`
//! and `verify`.

use std::collections::HashMap;
use std::rc::Rc;

use anyhow::Result;

use crate::context::Ctx;
use crate::damage::Damage;
use crate::domain::loaded::Loaded;
use crate::domain::model::Entry;
use crate::domain::replay::{History, pinned_rules};
use crate::domain::row::IncidentRow;
use crate::rules::Rules;
use crate::store::{Read, Scope, Stored};

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

/// The rules an incident's hashed initial report names (its stored text looked up by
/// `text_of`), or why there are none to read it by.
fn pinned_by(
    ctx: &Ctx,
    id: &str,
    entries: &[Entry],
    text_of: &mut dyn FnMut(&str) -> Result<Option<String>>,
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
    Ok(match ctx.try_pinned_by(&hash, text_of)? {
        Some(rules) => Ok(rules),
        None => Err(Damage::RulesMissing { incident, hash }),
    })
}

/// The incidents of `scope`, each with its rules, handed to `f` one at a time as the store reads
/// them; those without rules to read them by are added to `damage`. The stored rules texts are
/// read first, so nothing is queried while the scope is read.
pub fn each_in_scope(
    ctx: &Ctx,
    tx: &mut dyn Read,
    scope: Scope,
    damage: &mut Vec<Damage>,
    mut f: impl FnMut(Loaded),
) -> Result<()> {
    let texts: HashMap<String, String> = tx.rules_texts()?.into_iter().collect();
    let mut text_of = |h: &str| Ok(texts.get(h).cloned());
    tx.scope(scope, &mut |(id, row, entries)| {
        match pinned_by(ctx, &id, &entries, &mut text_of)? {
            Ok(rules) => f(Loaded {
                id,
                row,
                rules,
                entries,
            }),
            Err(d) => damage.push(d),
        }
        Ok(())
    })
}

/// One stored incident read whole: `Ok((None, damage))` when it cannot be read,
/// `Ok((Some(whole), damage))` with the damage of its row if the row differs.
pub fn whole(
    ctx: &Ctx,
    tx: &mut dyn Read,
    stored: Stored,
) -> Result<(Option<Whole>, Option<Damage>)> {
    whole_by(ctx, stored, &mut |h| tx.rules_text(h))
}

/// As [`whole`], the stored rules text looked up by `text_of`.
fn whole_by(
    ctx: &Ctx,
    (id, row, entries): Stored,
    text_of: &mut dyn FnMut(&str) -> Result<Option<String>>,
) -> Result<(Option<Whole>, Option<Damage>)> {
    let rules = match pinned_by(ctx, &id, &entries, text_of)? {
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

/// Every stored incident, read whole, handed to `f` one at a time as the store reads it; those
/// that cannot be read, and rows that differ, are added to `damage`.
pub fn each_whole(
    ctx: &Ctx,
    tx: &mut dyn Read,
    damage: &mut Vec<Damage>,
    mut f: impl FnMut(Whole) -> Result<()>,
) -> Result<()> {
    let texts: HashMap<String, String> = tx.rules_texts()?.into_iter().collect();
    let mut text_of = |h: &str| Ok(texts.get(h).cloned());
    tx.all(&mut |stored| {
        let (w, d) = whole_by(ctx, stored, &mut text_of)?;
        damage.extend(d);
        match w {
            Some(w) => f(w),
            None => Ok(()),
        }
    })
}
