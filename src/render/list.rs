//! `list`'s table. Pure: rows in, text out.

use crate::domain::row::IncidentRow;
use crate::i18n::Label;
use crate::render::table::{self, Layout};
use crate::rules::Rules;
use crate::tz::short;

/// One row per incident, newest first as given: id, class, status, known time, kind, title, unit.
pub fn table(layout: Layout, rows: &[IncidentRow], rules: &Rules) -> String {
    let mut t = table::new(
        layout,
        &[
            Label::Id,
            Label::Severity,
            Label::Status,
            Label::Known,
            Label::Kind,
            Label::Title,
            Label::Unit,
        ],
    );
    for r in rows {
        let status = if r.is_open() {
            Label::Open
        } else {
            Label::ClosedStatus
        };
        t.add_row(vec![
            table::cell(&r.id),
            table::cell(super::severity(rules, &r.severity)),
            table::cell(status.text()),
            table::cell(short(rules.tz, r.known)),
            table::cell(super::kind(rules, &r.kind)),
            table::cell(&r.title),
            table::cell(&r.unit),
        ]);
    }
    format!("{t}\n")
}
