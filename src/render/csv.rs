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
