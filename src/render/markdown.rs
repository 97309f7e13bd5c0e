//! The written report (书面报告) of one incident as Markdown: the document `written` decides,
//! with what a person typed escaped so it cannot become markup.

use std::fmt::Write;

use super::written::{self, Block, Field, Piece, Report, Text};
use crate::domain::replay::History;
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

/// The written report that entry `n` of incident `id` was, as Markdown; `h` is the incident as
/// it stood at that report (see [`written::report`]).
pub fn written_report(id: &str, h: &History, n: u32, rules: &Rules) -> String {
    render(&written::report(id, h, n, rules))
}

/// [`escape`], and a line of typed text that starts like a list item, a numbered item or a
/// heading underline (`- `, `+ `, `1. `, `1) `, `===`) does not start one: in the written
/// report typed text can begin a line (the unit where it happened, a second line of facts).
fn escape_lines(text: &str) -> String {
    let escaped = escape(text);
    let lines: Vec<String> = escaped
        .split("  \n")
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after = line[digits..].chars().next();
            match (digits, after) {
                (0, Some('-' | '+' | '=')) => format!("\\{line}"),
                (1..=9, Some('.' | ')')) => format!("{}\\{}", &line[..digits], &line[digits..]),
                _ => line.to_owned(),
            }
        })
        .collect();
    lines.join("  \n")
}

/// Typed text escaped, our own words as they are.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Piece::Ours(s) => s.clone(),
            Piece::Typed(s) => escape_lines(s),
        })
        .collect()
}

fn field(f: &Field, colon: &str) -> String {
    format!("{}{colon}{}", f.label, text(&f.value))
}

/// Fields one a line: two trailing spaces make a hard line break.
fn fields(list: &[Field], colon: &str) -> String {
    let lines: Vec<String> = list.iter().map(|f| field(f, colon)).collect();
    lines.join("  \n")
}

fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", text(&r.title));
    let _ = writeln!(o, "{}\n", fields(&r.head, r.colon));
    for part in &r.parts {
        let _ = writeln!(o, "## {}\n", part.heading);
        for block in &part.blocks {
            match block {
                Block::Fields(list) => {
                    let _ = writeln!(o, "{}\n", fields(list, r.colon));
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
    let _ = writeln!(o, "{}", fields(&r.footer, r.colon));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_starts_no_list_or_heading() {
        assert_eq!(escape_lines("- 一项"), "\\- 一项");
        assert_eq!(escape_lines("1. 某某餐馆"), "1\\. 某某餐馆");
        assert_eq!(escape_lines("12) 第二"), "12\\) 第二");
        assert_eq!(escape_lines("甲\n+ 乙\n==="), "甲  \n\\+ 乙  \n\\===");
        assert_eq!(escape_lines("2号储罐 *泄漏*"), "2号储罐 \\*泄漏\\*");
        assert_eq!(escape_lines("1200万"), "1200万");
    }
}
