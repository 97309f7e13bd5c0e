//! Pages to look at and print: `show --format html` (the written report and the incident's
//! timeline) and `digest --format html` (the duty day, in `html_digest`).
//!
//! Rules of this module:
//! - One self-contained page: inline CSS and inline SVG only. No script, no font, no image,
//!   no link, no URL of any kind, so the page reads offline and fetches nothing when opened.
//! - Everything that reaches the page passes through [`escape`], in text and in (always
//!   double-quoted) attributes: our own words too, since rule labels come from a file.
//! - Chinese is set in the system's fonts through a generic `font-family` stack; no font is
//!   bundled. Colour is never the only signal: patterns and words say the same.
//! - It prints on A4 (`@page`), the timeline kept on one page.
//! - The report says what `written` decides, exactly as the Markdown does.

use std::fmt::Write as _;

use super::html_svg;
use super::timeline;
use super::written::{Block, Field, Report, Text};
use crate::domain::replay::History;
use crate::engine::Evaluation;
use crate::i18n::{Lang, lang, pick};
use crate::rules::Rules;

pub use super::html_digest::digest_page;

/// Escapes text for HTML, in text and in double- or single-quoted attributes: nothing
/// escaped with it can open a tag, end an attribute or start an entity.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's stylesheet. Fonts are the system's: the stack names common CJK faces, then the
/// generic family, so Chinese renders wherever a CJK font is installed.
const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans", sans-serif;
  font-size: 11pt; line-height: 1.55; color: #111; background: #fff; max-width: 186mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 17pt; text-align: center; margin: 0.3em 0 0.5em; }
h3 { font-size: 11pt; margin: 0.6em 0 0.2em; }
h2 { font-size: 13pt; margin: 1.1em 0 0.4em; padding-bottom: 0.1em; border-bottom: 1px solid #888; break-after: avoid; }
p, li, td, th { white-space: pre-line; }
ul { margin: 0.2em 0 0.6em; padding-left: 1.4em; }
.head { text-align: center; color: #333; margin: 0 0 0.8em; }
.head span + span::before { content: " · "; }
figure.timeline { margin: 0.6em 0; break-inside: avoid; }
figure.timeline svg, svg.legend { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; }
.bad { color: #b71c1c; font-weight: bold; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; }
td, th { border: 1px solid #999; padding: 0.15em 0.6em; text-align: left; vertical-align: top; }
section.incident { break-inside: avoid-page; margin-bottom: 1.2em; }
.footer { margin-top: 1.5em; }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; } }
"#;

/// A whole page around `body` (already escaped HTML).
pub(super) fn page(title: &str, body: &str) -> String {
    let lang = match lang() {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// A text of the written report: every piece escaped (typed or not).
fn text(t: &Text) -> String {
    escape(&t.plain())
}

fn field(f: &Field, colon: &str) -> String {
    format!("{}{}{}", escape(&f.label), escape(colon), text(&f.value))
}

fn fields(list: &[Field], colon: &str) -> String {
    let lines: Vec<String> = list.iter().map(|f| field(f, colon)).collect();
    lines.join("<br>")
}

/// The incident's page: the written report's title and head, the timeline and findings of `h`
/// (the whole history) as `eval` judged them, then the report's six parts and its footer.
/// `r` is the written report decided by `written::report`.
pub fn incident_page(
    r: &Report,
    id: &str,
    h: &History,
    eval: &Evaluation,
    rules: &Rules,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "<article class=\"report\">\n<h1>{}</h1>", text(&r.title));
    let head: String = r
        .head
        .iter()
        .map(|f| format!("<span>{}</span>", field(f, r.colon)))
        .collect();
    let _ = writeln!(o, "<p class=\"head\">{head}</p>");

    let (from, to) = timeline::incident_range(h, eval);
    let t = timeline::layout(
        h,
        eval,
        rules,
        html_svg::frame(from, to),
        html_svg::LABEL_PX,
    );
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<figure class=\"timeline\" data-incident=\"{}\">\n{}</figure>\n{}",
        pick("Timeline", "时间线"),
        escape(id),
        html_svg::timeline(&t, rules, "t0"),
        html_svg::legend()
    );
    findings(&mut o, &eval.findings, rules, "h2");

    for part in &r.parts {
        let _ = writeln!(o, "<h2>{}</h2>", escape(&part.heading));
        for block in &part.blocks {
            match block {
                Block::Fields(list) => {
                    let _ = writeln!(o, "<p>{}</p>", fields(list, r.colon));
                }
                Block::Paragraph(t) => {
                    let _ = writeln!(o, "<p>{}</p>", text(t));
                }
                Block::List(items) if items.is_empty() => {}
                Block::List(items) => {
                    let lis: String = items
                        .iter()
                        .map(|i| format!("<li>{}</li>", text(i)))
                        .collect();
                    let _ = writeln!(o, "<ul>{lis}</ul>");
                }
            }
        }
    }
    let _ = writeln!(
        o,
        "<p class=\"footer\">{}</p>\n</article>",
        fields(&r.footer, r.colon)
    );
    page(&r.title.plain(), &o)
}

/// The findings as sentences, so a black-and-white print says in words what is red.
/// `heading` is the tag of their heading (`h2` on an incident's page, `h3` inside a digest).
pub(super) fn findings(
    o: &mut String,
    list: &[crate::engine::Finding],
    rules: &Rules,
    heading: &str,
) {
    let _ = writeln!(
        o,
        "<{heading}>{}</{heading}>",
        crate::i18n::Label::Findings.text()
    );
    if list.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", crate::i18n::Label::None.text());
        return;
    }
    let lis: String = list
        .iter()
        .map(|f| {
            let class = if f.kind.is_violation() {
                " class=\"bad\""
            } else {
                ""
            };
            format!(
                "<li{class}>{}{}{}</li>",
                escape(super::table::kind_text(f.kind)),
                pick(": ", "："),
                escape(&super::finding::message(f, rules))
            )
        })
        .collect();
    let _ = writeln!(o, "<ul class=\"findings\">{lis}</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r#"" onload="x" a='b' &amp;"#),
            "&quot; onload=&quot;x&quot; a=&#39;b&#39; &amp;amp;"
        );
        assert_eq!(escape("化工厂储罐泄漏 2号"), "化工厂储罐泄漏 2号");
        for nasty in ["<", ">", "\"", "'", "&"] {
            let e = escape(&format!("a{nasty}b"));
            assert!(!e.contains(nasty) || nasty == "&", "{e}");
        }
    }

    #[test]
    fn nothing_typed_becomes_markup() {
        use crate::domain::fixture::{Builder, m};
        use crate::domain::model::{Body, Escalation};
        let bad = "<img src=x onerror=alert(1)>\"'&";
        let rules = Rules::builtin();
        let mut b = Builder::new(&rules, "hazardous_chemicals");
        if let Body::Initial { header, report, .. } = &mut b.entries[0].body {
            header.title = format!("T{bad}");
            header.unit = format!("U{bad}");
            header.location = format!("L{bad}");
            header.source = Some(format!("O{bad}"));
            header.accident_unit = Some(format!("A{bad}"));
            report.text = format!("F{bad}");
            report.measures = Some(format!("M{bad}"));
        }
        b.push(
            m(20),
            Body::Escalation {
                escalation: Escalation {
                    level: "city".into(),
                    channel: "phone".into(),
                    contact: Some(format!("C{bad}")),
                    reason: Some(format!("R{bad}")),
                    signed_by: Some(format!("S{bad}")),
                },
            },
        );
        let h = crate::domain::replay::replay(&b.entries, &rules, None)
            .expect("replays")
            .expect("exists");
        let eval = crate::engine::evaluate_history(&h, &rules, m(40));
        let r = super::super::written::report("20260310-001", &h, 1, &rules);
        let page = incident_page(&r, "20260310-001", &h, &eval, &rules);
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("onerror=alert(1)>\""));
        // Every typed field, the bypass reason included (its finding quotes it).
        for field in ["T", "U", "L", "O", "A", "F", "M", "C", "R", "S"] {
            let shown = format!("{field}&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
            assert!(page.contains(&shown), "{field} not shown as text");
        }
    }

    #[test]
    fn the_page_fetches_nothing() {
        let p = page("<b>t</b>", "<p>x</p>\n");
        assert!(p.starts_with("<!DOCTYPE html>"));
        assert!(p.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
        assert!(p.contains("@page { size: A4"));
        for banned in ["http", "<script", "<link", "@import", "url(", "@font-face"] {
            assert!(!p.contains(banned), "{banned}");
        }
    }
}
