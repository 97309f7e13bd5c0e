//! Reading an incident as its entries say it is: the rules its hashed initial report names, a
//! replay, and its row compared with the replay.
//!
//! Rules: nothing is reported from a derived row that disagrees with the entries read. The
//! reading commands take what they show from the replay, and name the incident whose row
//! differs, or whose entries cannot be replayed, as damage (stderr, `"damaged"` in JSON, exit 3),
//! while every other incident is still read.

use std::rc::Rc;

use anyhow::Result;

use crate::context::Ctx;
use crate::domain::model::Entry;
use crate::domain::replay::{History, pinned_rules, replay};
use crate::domain::summary::Summary;
use crate::rules::Rules;
use crate::store::{Damage, Tx};

/// An incident as its entries say it is.
#[derive(Debug)]
pub struct Read {
    pub id: String,
    pub rules: Rc<Rules>,
    pub entries: Vec<Entry>,
    /// The whole history (every entry, every correction).
    pub history: History,
    pub summary: Summary,
}

/// Replays an incident's entries under the rules its initial report names and compares its row
/// (if any) with the result. `Err` is a storage failure; `Ok((None, damage))` an incident that
/// cannot be read; `Ok((Some(read), damage))` one read, with the damage of its row if it
/// differs.
pub fn read(
    ctx: &Ctx,
    tx: &Tx<'_>,
    id: &str,
    row: Option<&Summary>,
    entries: Vec<Entry>,
) -> Result<(Option<Read>, Option<Damage>)> {
    let incident = id.to_owned();
    let rules = match pinned(ctx, tx, id, &entries)? {
        Ok(r) => r,
        Err(d) => return Ok((None, Some(d))),
    };
    let history = match replay(&entries, &rules, None) {
        Ok(Some(h)) => h,
        Ok(None) => return Ok((None, Some(Damage::NoEntries { incident }))),
        Err(m) => {
            let message = m.to_string();
            return Ok((None, Some(Damage::Unreplayable { incident, message })));
        }
    };
    let summary = Summary::of(id, &history, &rules);
    let damage = compare(id, row, &summary);
    Ok((
        Some(Read {
            id: incident,
            rules,
            entries,
            history,
            summary,
        }),
        damage,
    ))
}

/// The rules an incident's hashed initial report names, or why there are none to read it by.
pub fn pinned(
    ctx: &Ctx,
    tx: &Tx<'_>,
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

/// How a row differs from what the entries say, if it does.
pub fn compare(id: &str, row: Option<&Summary>, replayed: &Summary) -> Option<Damage> {
    let incident = id.to_owned();
    match row {
        None => Some(Damage::NoRow { incident }),
        Some(r) if r.rules != replayed.rules => Some(Damage::PinnedRules {
            incident,
            row: r.rules.clone(),
            entry: replayed.rules.clone(),
        }),
        Some(r) => {
            let fields = r.differences(replayed);
            (!fields.is_empty()).then_some(Damage::Row { incident, fields })
        }
    }
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
