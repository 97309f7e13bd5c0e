//! What free text sitrep accepts: a person's words, never control codes.
//!
//! Rules, the same for a flag, a prompt, an environment variable and an `import` line:
//! - Surrounding whitespace is trimmed and line endings become `\n`; empty text is refused.
//! - Nothing a reader could not see is stored: NUL and other control characters (tab and
//!   newline excepted in multi-line text), Unicode bidirectional overrides, isolates and marks
//!   (which can make a record read differently from what it stores) are refused, with the field
//!   and the character's position named.
//! - One-line fields (titles, names, places, units, contacts) also refuse line breaks, the
//!   Unicode line and paragraph separators and every invisible format character (zero-width
//!   spaces and joiners, soft hyphens, byte order marks), and are at most [`MAX_LINE_BYTES`].
//!   Multi-line text reads U+2028/U+2029 as the line breaks they are, and is at most
//!   [`MAX_TEXT_BYTES`].

use crate::i18n::Msg;
use crate::msg;

/// The largest multi-line text a field accepts (64 KiB: pages of a written report).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The largest one-line value (a title, a name, a place): about 340 Chinese characters.
pub const MAX_LINE_BYTES: usize = 1024;

/// Cleans multi-line text for `field` (a flag name such as `--facts`).
pub fn clean_text(field: &str, value: &str) -> Result<String, Msg> {
    clean(field, value, true)
}

/// Cleans a one-line value (a name, a place, a title).
pub fn clean_line(field: &str, value: &str) -> Result<String, Msg> {
    clean(field, value, false)
}

/// The operating system's user name as recorded: it is not the officer's to correct, so it is
/// kept, with every character a reader could not see escaped (`\u{1b}`) and its length capped.
pub fn escape_os_user(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if out.len() >= 256 {
            out.push('…');
            break;
        }
        // Backslashes are kept as they are, so escaping what was escaped changes nothing (an
        // export imported again records the same name).
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        "unknown".to_owned()
    } else {
        out
    }
}

fn clean(field: &str, value: &str, multiline: bool) -> Result<String, Msg> {
    let mut normalized = value.replace("\r\n", "\n");
    if multiline {
        normalized = normalized
            .replace('\u{2028}', "\n")
            .replace('\u{2029}', "\n\n");
    }
    let text = normalized.trim();
    if text.is_empty() {
        return Err(msg!(
            "{field} is empty: give the text, or leave the flag out if it is optional",
            "{field} 为空：请填写内容；如为可选项可不填"
        ));
    }
    let max = if multiline {
        MAX_TEXT_BYTES
    } else {
        MAX_LINE_BYTES
    };
    if text.len() > max {
        let (have, limit) = (text.len(), max);
        return Err(if multiline {
            let (kib, max) = (have / 1024, limit / 1024);
            msg!(
                "{field} is {kib} KiB, over the {max} KiB a field holds: shorten it, or keep the full document elsewhere and cite it",
                "{field} 长 {kib} KiB，超过单项上限 {max} KiB：请精简，或将全文另存后引用"
            )
        } else {
            msg!(
                "{field} is {have} bytes, over the {limit} a one-line field holds: shorten it (the details belong in the facts)",
                "{field} 长 {have} 字节，超过单行字段上限 {limit} 字节：请精简（详情写入基本情况）"
            )
        });
    }
    for (i, c) in text.chars().enumerate() {
        let pos = i + 1;
        // Spelled out only for a refusal: this loop sees every character of an import.
        let code = || format!("U+{:04X}", u32::from(c));
        if !multiline && matches!(c, '\n' | '\u{2028}' | '\u{2029}') {
            let code = code();
            return Err(msg!(
                "{field} must be one line: it has a line break ({code}) at character {pos}",
                "{field} 只能是一行：第 {pos} 个字符处有换行（{code}）"
            ));
        }
        if c.is_control() && c != '\n' && c != '\t' {
            let code = code();
            return Err(msg!(
                "{field} contains the control character {code} at character {pos}: remove it",
                "{field} 第 {pos} 个字符是控制字符 {code}：请删除"
            ));
        }
        if !multiline && c == '\t' {
            return Err(msg!(
                "{field} contains a tab at character {pos}: use a space",
                "{field} 第 {pos} 个字符是制表符：请改用空格"
            ));
        }
        if is_bidi_control(c) {
            let code = code();
            return Err(msg!(
                "{field} contains the bidirectional control {code} at character {pos}, which can make text display differently from what is stored: remove it",
                "{field} 第 {pos} 个字符是双向文本控制符 {code}，会使显示与存储内容不一致：请删除"
            ));
        }
        if !multiline && is_invisible(c) {
            let code = code();
            return Err(msg!(
                "{field} contains the invisible character {code} at character {pos}, which a reader cannot see: remove it",
                "{field} 第 {pos} 个字符是不可见字符 {code}，阅读者无法看到：请删除"
            ));
        }
    }
    Ok(text.to_owned())
}

/// Bidirectional overrides, embeddings, isolates and marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Unicode's format characters (general category Cf), which display as nothing: the list of
/// Unicode 15, spelled out because the standard library does not expose categories.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_chinese_and_newlines_trims_ends() {
        assert_eq!(
            clean_text("--facts", "  储罐泄漏\r\n已疏散  "),
            Ok("储罐泄漏\n已疏散".to_owned())
        );
        assert_eq!(
            clean_text("--facts", "储罐泄漏\u{2028}已疏散"),
            Ok("储罐泄漏\n已疏散".to_owned())
        );
    }

    #[test]
    fn refuses_what_a_reader_cannot_see() {
        for bad in [
            "",
            "   ",
            "a\0b",
            "a\u{1b}[31m",
            "abc\u{202E}def",
            "x\u{2066}y",
            "x\u{200F}y",
            "x\u{061C}y",
        ] {
            assert!(clean_text("--facts", bad).is_err(), "{bad:?}");
            assert!(clean_line("--title", bad).is_err(), "{bad:?}");
        }
        for bad in [
            "a\nb",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{200B}b",
            "a\u{FEFF}b",
            "a\tb",
        ] {
            assert!(clean_line("--title", bad).is_err(), "{bad:?}");
        }
        let big = "字".repeat(MAX_TEXT_BYTES / 3 + 1);
        assert!(
            clean_text("--facts", &big)
                .expect_err("too long")
                .en
                .contains("KiB")
        );
        let long_line = "字".repeat(MAX_LINE_BYTES / 3 + 1);
        assert!(clean_line("--as", &long_line).is_err());
        assert!(clean_line("--as", &"字".repeat(MAX_LINE_BYTES / 3)).is_ok());
    }

    #[test]
    fn the_os_user_is_kept_with_its_controls_escaped() {
        assert_eq!(escape_os_user("duty"), "duty");
        assert_eq!(escape_os_user("\u{1b}[31mroot"), "\\u{1b}[31mroot");
        assert_eq!(escape_os_user(""), "unknown");
        assert!(escape_os_user(&"x".repeat(10_000)).len() < 300);
    }
}
