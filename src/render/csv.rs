//! CSV that is safe to open in a spreadsheet.
//!
//! RFC 4180 quoting comes from the `csv` crate. A cell that a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, so
//! no typed title can run as a formula (CSV injection); numbers written by sitrep itself are
//! left alone.

/// Makes a text cell inert in spreadsheets.
pub fn safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A CSV writer over `out` (with a UTF-8 byte order mark first when `bom`).
pub fn writer<W: std::io::Write>(mut out: W, bom: bool) -> std::io::Result<csv::Writer<W>> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    Ok(csv::WriterBuilder::new().from_writer(out))
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("+1"), "'+1");
        assert_eq!(safe("-1"), "'-1");
        assert_eq!(safe("@SUM"), "'@SUM");
        assert_eq!(safe("化工厂"), "化工厂");
        assert_eq!(safe(""), "");
    }
}

/// The columns every incident row of a CSV has, for a spreadsheet: labels in the display
/// language, times as `2026-03-11 14:05` (which spreadsheets read as dates), and each figure in
/// a column of its own, so a column can be summed (empty where a figure was not reported).
pub mod incident {
    use crate::domain::row::IncidentRow;
    use crate::i18n::{Label, pick};
    use crate::render;
    use crate::rules::Rules;
    use crate::tz::short;

    use super::safe;

    /// The headers of the incident columns.
    pub fn headers(rules: &Rules) -> Vec<String> {
        let mut h: Vec<String> = [
            Label::Id,
            Label::Title,
            Label::Kind,
            Label::Severity,
            Label::Status,
            Label::Occurred,
            Label::Known,
            Label::Closed,
            Label::Location,
            Label::Unit,
        ]
        .iter()
        .map(|l| l.text().to_owned())
        .collect();
        for name in rules.figure_names() {
            let mut n = render::figure_name(rules, name);
            if name == "direct_loss" {
                n.push_str(pick(" (yuan)", "（元）"));
            }
            h.push(n);
        }
        h
    }

    /// The incident columns of one row: labels from the rules the incident is under, figure
    /// columns those of `columns` (the rules whose headers the file has).
    pub fn cells(s: &IncidentRow, rules: &Rules, columns: &Rules) -> Vec<String> {
        let tz = rules.tz;
        let status = if s.is_open() {
            Label::Open
        } else {
            Label::ClosedStatus
        };
        let mut c = vec![
            s.id.clone(),
            safe(&s.title),
            safe(&render::kind(rules, &s.kind)),
            safe(&render::severity(rules, &s.severity)),
            status.text().to_owned(),
            short(tz, s.occurred),
            short(tz, s.known),
            s.closed.map(|t| short(tz, t)).unwrap_or_default(),
            safe(&s.location),
            safe(&s.unit),
        ];
        for name in columns.figure_names() {
            c.push(s.figures.get(name).map(i64::to_string).unwrap_or_default());
        }
        c
    }
}
