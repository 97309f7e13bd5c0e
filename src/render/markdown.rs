//! The written report (书面报告) of one incident as Markdown: the document `written` decides,
//! with what a person typed escaped so it cannot become markup.

use std::fmt::Write;

use super::written::{self, Block, Field, Piece, Report, Text};
use crate::domain::model::Entry;
use crate::domain::replay::History;
use crate::domain::summary::Summary;
use crate::rules::Rules;

/// Escapes text for Markdown so typed text cannot become markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            // A hard line break keeps the typed lines.
            out.push_str("  \n");
        }
        for c in line.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The written report of an incident, as Markdown.
pub fn written_report(s: &Summary, entries: &[Entry], h: &History, rules: &Rules) -> String {
    render(&written::report(s, entries, h, rules))
}

/// Typed text escaped, our own words as they are.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Piece::Ours(s) => s.clone(),
            Piece::Typed(s) => escape(s),
        })
        .collect()
}

fn field(f: &Field) -> String {
    format!("{}: {}", f.label, text(&f.value))
}

fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", text(&r.title));
    let head: Vec<String> = r.head.iter().map(field).collect();
    // Two trailing spaces: a hard line break keeps one field a line.
    let _ = writeln!(o, "{}\n", head.join("  \n"));
    for part in &r.parts {
        let _ = writeln!(o, "## {}\n", part.heading);
        for block in &part.blocks {
            match block {
                Block::Fields(fields) => {
                    let lines: Vec<String> = fields.iter().map(field).collect();
                    let _ = writeln!(o, "{}\n", lines.join("  \n"));
                }
                Block::Paragraph(t) => {
                    let _ = writeln!(o, "{}\n", text(t));
                }
                Block::List(items) => {
                    for item in items {
                        let _ = writeln!(o, "- {}", text(item));
                    }
                    o.push('\n');
                }
            }
        }
    }
    let _ = writeln!(o, "{}", field(&r.closing));
    o
}
