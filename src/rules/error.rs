//! Errors in a rules file, located by file, line, column and key.
//!
//! Every error says where (`file:line:column`), which key, what is wrong and what is allowed, so
//! the person editing the file can fix it without reading sitrep's source.

use std::fmt;
use std::ops::Range;

use crate::i18n::Msg;

/// A rules file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// The file's path as given, or `built-in`.
    pub source: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// The offending key, as a path (`steps[city-phone].escalate`).
    pub key: String,
    pub message: Msg,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, l, c, k, m) = (
            &self.source,
            self.line,
            self.column,
            &self.key,
            &self.message,
        );
        match crate::i18n::lang() {
            crate::i18n::Lang::En => write!(f, "{s}:{l}:{c}: `{k}`: {m}"),
            crate::i18n::Lang::Zh => write!(f, "{s}:{l}:{c}：键“{k}”：{m}"),
        }
    }
}

impl std::error::Error for RulesError {}

/// Locates byte offsets of one text as lines and columns.
pub struct Locator<'a> {
    text: &'a str,
    source: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str, source: &'a str) -> Locator<'a> {
        Locator { text, source }
    }

    /// An error at `span` about `key`.
    pub fn error(&self, span: Range<usize>, key: impl Into<String>, message: Msg) -> RulesError {
        let (line, column) = self.position(span.start);
        RulesError {
            source: self.source.to_owned(),
            line,
            column,
            key: key.into(),
            message,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// The key a TOML parse error points at: the table header above the offset, then the key on
    /// the offset's line (`steps.within`), so serde's own errors name a key like ours do. On a
    /// header line the key is that header's table; on a line that continues a value written over
    /// several lines (an element of a multi-line list), the key whose value it continues.
    pub fn key_at(&self, offset: usize) -> String {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = &self.text[line_start..line_end];
        let above = self.text[..line_start].lines().rev();
        let (header, own_key) = match header_of(line) {
            Some(h) => (Some(h), None),
            None => {
                let mut own_key = assigned_key(line);
                let continues = own_key.is_none() && continues_a_value(line);
                let mut header = None;
                for l in above {
                    if let Some(h) = header_of(l) {
                        header = Some(h);
                        break;
                    }
                    if continues && own_key.is_none() {
                        own_key = assigned_key(l);
                    }
                }
                (header, own_key)
            }
        };
        match (header, own_key) {
            (Some(h), Some(k)) => format!("{h}.{k}"),
            (Some(h), None) => h,
            (None, Some(k)) => k,
            (None, None) => "(document)".to_owned(),
        }
    }
}

/// The table a header line opens (`[reports.final]`, `[[steps]]`), if the line is a header.
fn header_of(line: &str) -> Option<String> {
    let l = line.trim_start();
    let (name, rest) = match l.strip_prefix("[[") {
        Some(r) => r.split_once("]]")?,
        None => l.strip_prefix('[')?.split_once(']')?,
    };
    let rest = rest.trim_start();
    let name = name.trim();
    (is_key(name) && (rest.is_empty() || rest.starts_with('#'))).then(|| name.to_owned())
}

/// The key a `key = value` line assigns, if the line is one.
fn assigned_key(line: &str) -> Option<String> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    is_key(k).then(|| k.trim_matches('"').to_owned())
}

/// Whether a line that assigns no key starts with a value: a list's element or its end.
fn continues_a_value(line: &str) -> bool {
    line.trim_start()
        .starts_with(|c: char| "{}[]\"',-+".contains(c) || c.is_ascii_digit())
}

/// Whether `k` is a key as written before `=` or inside a header: bare words, dotted or quoted.
fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || "_-.\" ".contains(c))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "name = \"县\"\nwarning = \"x\"\n";
        let loc = Locator::new(text, "r.toml");
        let off = text.find("warning").expect("present");
        assert_eq!(loc.position(off), (2, 1));
        let off = text.find('"').expect("present") + 1 + "县".len();
        assert_eq!(loc.position(off), (1, 10));
    }

    #[test]
    fn key_at_joins_header_and_key() {
        let text = "a = 1\n[[steps]]\nid = \"x\"\nwithn = \"1h\"\n";
        let loc = Locator::new(text, "r.toml");
        assert_eq!(
            loc.key_at(text.find("withn").expect("present")),
            "steps.withn"
        );
        assert_eq!(loc.key_at(0), "a");
    }

    #[test]
    fn key_at_a_header_is_its_table_and_in_a_list_the_list_s_key() {
        let text =
            "[reports.initial] # first\nlabel = \"x\"\n[[steps]]\nkinds = [\n  [\"a\"],\n  3,\n]\n";
        let loc = Locator::new(text, "r.toml");
        let at = |s: &str| loc.key_at(text.find(s).expect("present"));
        assert_eq!(at("[reports"), "reports.initial");
        assert_eq!(at("[[steps]]"), "steps");
        // A list inside the list is no header.
        assert_eq!(at("[\"a\"]"), "steps.kinds");
        assert_eq!(at("3,"), "steps.kinds");
    }
}
