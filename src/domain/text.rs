//! What free text sitrep accepts: a person's words, never control codes.
//!
//! Rules: surrounding whitespace is trimmed and line endings become `\n`; empty text, NUL and
//! other control characters (tab and newline excepted), Unicode bidirectional overrides and
//! isolates (which can make a record read differently from what it stores) and text over
//! [`MAX_TEXT_BYTES`] are refused with the field named, so nothing is stored that a reader
//! could not see. Names and ids are one line.

use crate::i18n::Msg;
use crate::msg;

/// The largest text a field accepts (64 KiB: pages of a written report).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Cleans multi-line text for `field` (a flag name such as `--facts`).
pub fn clean_text(field: &str, value: &str) -> Result<String, Msg> {
    clean(field, value, true)
}

/// Cleans a one-line value (a name, a place, a title).
pub fn clean_line(field: &str, value: &str) -> Result<String, Msg> {
    clean(field, value, false)
}

fn clean(field: &str, value: &str, multiline: bool) -> Result<String, Msg> {
    let normalized = value.replace("\r\n", "\n");
    let text = normalized.trim();
    if text.is_empty() {
        return Err(msg!(
            "{field} is empty: give the text, or leave the flag out if it is optional",
            "{field} 为空：请填写内容；如为可选项可不填"
        ));
    }
    if text.len() > MAX_TEXT_BYTES {
        let kib = text.len() / 1024;
        let max = MAX_TEXT_BYTES / 1024;
        return Err(msg!(
            "{field} is {kib} KiB, over the {max} KiB a field holds: shorten it, or keep the full document elsewhere and cite it",
            "{field} 长 {kib} KiB，超过单项上限 {max} KiB：请精简，或将全文另存后引用"
        ));
    }
    for (i, c) in text.chars().enumerate() {
        let pos = i + 1;
        let code = format!("U+{:04X}", u32::from(c));
        if c == '\n' && !multiline {
            return Err(msg!(
                "{field} must be one line: it has a line break at character {pos}",
                "{field} 只能是一行：第 {pos} 个字符处有换行"
            ));
        }
        if c.is_control() && c != '\n' && c != '\t' {
            return Err(msg!(
                "{field} contains the control character {code} at character {pos}: remove it",
                "{field} 第 {pos} 个字符是控制字符 {code}：请删除"
            ));
        }
        if is_bidi_control(c) {
            return Err(msg!(
                "{field} contains the bidirectional control {code} at character {pos}, which can make text display differently from what is stored: remove it",
                "{field} 第 {pos} 个字符是双向文本控制符 {code}，会使显示与存储内容不一致：请删除"
            ));
        }
    }
    Ok(text.to_owned())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
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
        ] {
            assert!(clean_text("--facts", bad).is_err(), "{bad:?}");
        }
        assert!(clean_line("--title", "a\nb").is_err());
        let big = "字".repeat(MAX_TEXT_BYTES / 3 + 1);
        assert!(
            clean_text("--facts", &big)
                .expect_err("too long")
                .en
                .contains("KiB")
        );
    }
}
