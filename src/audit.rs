//! Whether an incident's row follows from its entries: a replay of the whole history, compared
//! with the row. Pure: it takes what was read and returns the history and the damage.
//!
//! Rules: nothing is reported from a derived row that disagrees with the entries read; the
//! history a reader shows comes from the entries, and a row that differs is damage to name.

use crate::damage::Damage;
use crate::domain::loaded::Loaded;
use crate::domain::replay::{History, replay};
use crate::domain::row::IncidentRow;

/// The whole history of `l` and the row it makes, with the damage of the stored row if it
/// differs; or why there is no history to read.
pub fn replay_whole(l: &Loaded) -> Result<(History, IncidentRow, Option<Damage>), Damage> {
    let incident = l.id.clone();
    let history = match replay(&l.entries, &l.rules, None) {
        Ok(Some(h)) => h,
        Ok(None) => return Err(Damage::NoEntries { incident }),
        Err(m) => {
            let message = m.to_string();
            return Err(Damage::Unreplayable { incident, message });
        }
    };
    let row = IncidentRow::of(&l.id, &history, &l.rules);
    let damage = compare(&l.id, l.row.as_ref(), &row);
    Ok((history, row, damage))
}

/// How a row differs from what the entries say, if it does.
pub fn compare(id: &str, row: Option<&IncidentRow>, replayed: &IncidentRow) -> Option<Damage> {
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
