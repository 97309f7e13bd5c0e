//! The timeline as inline SVG, drawn from `timeline`'s geometry.
//!
//! Rules of this module:
//! - Positions come from the geometry; this module adds only vertical layout, shapes and words.
//! - Every lane is `<g class="lane" data-step data-status>` holding no other group, its due time
//!   a `<line class="due">` and each completion a `<circle class="done">` (`done late` when
//!   late), so a reader of the DOM (the browser test) can find them by their attributes.
//! - Colour survives black-and-white printing: late is hatched, overdue cross-hatched, a skip is
//!   a cross, the check instant a solid line and a reclassification a dashed one, each with
//!   words beside it. Pattern ids carry a prefix so that several timelines share a page.
//! - No `xmlns`, no `href`: an inline SVG in HTML needs neither, and the page names no URL.

use std::fmt::Write as _;

use super::html::escape;
use super::timeline::{Bar, Frame, Lane, Timeline, VerticalKind};
use crate::domain::model::{EntryType, Instant};
use crate::engine::{FindingKind, SkipReason, StepStatus};
use crate::i18n::{Lang, lang, pick};
use crate::rules::Rules;
use crate::tz;

/// The drawing's width in SVG units (it scales to the page).
const WIDTH: f64 = 760.0;
/// The step names' column; the plot runs from `PLOT_LEFT` to `PLOT_RIGHT`.
const LABEL_W: f64 = 172.0;
const PLOT_LEFT: f64 = 180.0;
const PLOT_RIGHT: f64 = 748.0;
/// Entry labels closer than this go on another row.
pub const LABEL_PX: f64 = 58.0;
const ROW_H: f64 = 13.0;
const LANE_H: f64 = 34.0;
const RED: &str = "#c62828";

/// The frame a timeline of `[from, to]` is drawn in.
pub fn frame(from: Instant, to: Instant) -> Frame {
    Frame {
        from,
        to,
        left: PLOT_LEFT,
        right: PLOT_RIGHT,
    }
}

/// Pixels as SVG writes them: one decimal is finer than any screen or printer needs.
fn px(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// Text cut to about `max` pixels at `size`: CJK characters are one em wide, others about 0.6.
fn fit(text: &str, max: f64, size: f64) -> String {
    let mut w = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        w += if c.is_ascii() { 0.6 } else { 1.0 } * size;
        if w > max {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

fn defs(p: &str) -> String {
    format!(
        "<defs>\
<pattern id=\"{p}-late\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#fde4e4\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{RED}\" stroke-width=\"3\"/></pattern>\
<pattern id=\"{p}-overdue\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"6\" height=\"6\" fill=\"#fde4e4\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"{RED}\" stroke-width=\"1.4\"/></pattern>\
</defs>"
    )
}

fn hm(rules: &Rules, t: Instant) -> String {
    tz::local(rules.tz, t).format("%H:%M").to_string()
}

fn md_hm(rules: &Rules, t: Instant) -> String {
    tz::local(rules.tz, t).format("%m-%d %H:%M").to_string()
}

/// What a lane's status says, in words (the lane is also drawn; this is for the eye and for
/// black-and-white prints).
fn status_words(l: &Lane) -> String {
    match l.status {
        StepStatus::Late => l.minutes(FindingKind::Late).map_or_else(
            || super::table::status_text(l.status).to_owned(),
            super::late_by,
        ),
        StepStatus::Overdue => l.minutes(FindingKind::Overdue).map_or_else(
            || super::table::status_text(l.status).to_owned(),
            super::overdue_by,
        ),
        StepStatus::Skipped => {
            let mut words: Vec<String> = l.skips.iter().map(|s| skip_words(s.reason)).collect();
            words.dedup();
            if words.is_empty() {
                words.push(super::table::status_text(l.status).to_owned());
            }
            if let Some(m) = l.minutes(FindingKind::Late) {
                words.push(super::late_by(m));
            }
            words.join(pick(", ", "，"))
        }
        StepStatus::Pending if l.due_at.is_none() => pick("not started", "尚未起算").to_owned(),
        s => super::table::status_text(s).to_owned(),
    }
}

fn skip_words(r: SkipReason) -> String {
    match r {
        SkipReason::Bypassed => pick("bypassed", "越级"),
        SkipReason::Omitted => pick("omitted", "漏报"),
    }
    .to_owned()
}

fn bad(s: StepStatus) -> bool {
    matches!(
        s,
        StepStatus::Late | StepStatus::Overdue | StepStatus::Skipped
    )
}

fn rect(o: &mut String, class: &str, b: &Bar, y: f64, h: f64, style: &str) {
    let w = (b.x1 - b.x0).max(1.0);
    let _ = write!(
        o,
        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {style}/>",
        px(b.x0),
        px(y),
        px(w),
        px(h)
    );
}

fn lane(o: &mut String, l: &Lane, rules: &Rules, p: &str, y: f64, shade: bool) {
    let step = &rules.steps[l.step];
    let name = super::step_name(step);
    let duty = super::duty(rules, step);
    let _ = write!(
        o,
        "<g class=\"lane\" data-step=\"{}\" data-status=\"{}\"><title>{} — {}</title>",
        escape(&step.id),
        l.status.as_str(),
        escape(&name),
        escape(&duty)
    );
    if shade {
        let _ = write!(
            o,
            "<rect class=\"track\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>",
            px(y),
            px(WIDTH),
            px(LANE_H)
        );
    }
    let words = status_words(l);
    let colour = if bad(l.status) { RED } else { "#444" };
    let weight = if bad(l.status) {
        " font-weight=\"bold\""
    } else {
        ""
    };
    let _ = write!(
        o,
        "<text class=\"name\" x=\"6\" y=\"{}\" font-size=\"12\" font-weight=\"bold\">{}</text>\
<text class=\"status\" x=\"6\" y=\"{}\" font-size=\"10\" fill=\"{colour}\"{weight}>{}</text>",
        px(y + 14.0),
        escape(&fit(&name, LABEL_W - 8.0, 12.0)),
        px(y + 28.0),
        // The status first: if the line is cut, the duty is what goes (it is in the tooltip).
        escape(&fit(&format!("{words} · {duty}"), LABEL_W - 8.0, 10.0))
    );
    let (top, mid, bar_h) = (y + 10.0, y + 17.0, 14.0);
    if let Some(w) = &l.window {
        rect(
            o,
            "window",
            w,
            top,
            bar_h,
            "fill=\"#dce9f7\" stroke=\"#3b6ea5\" stroke-width=\"1\"",
        );
        if w.cut_right
            && let Some(due) = l.due_at
        {
            // The due time is past the right edge: say when, inside the bar's end.
            let _ = write!(
                o,
                "<text class=\"due-later\" x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"end\" fill=\"#1f3f66\">{} {} ›</text>",
                px(w.x1 - 3.0),
                px(top + 10.5),
                escape(crate::i18n::Label::Due.text()),
                escape(&md_hm(rules, due))
            );
        }
    }
    for r in &l.red {
        let (class, fill, words) = match r.kind {
            FindingKind::Overdue => (
                "red overdue",
                format!("url(#{p}-overdue)"),
                super::overdue_by(r.minutes),
            ),
            _ => (
                "red late",
                format!("url(#{p}-late)"),
                super::late_by(r.minutes),
            ),
        };
        rect(
            o,
            class,
            &r.bar,
            top,
            bar_h,
            &format!("fill=\"{fill}\" stroke=\"{RED}\" stroke-width=\"1\""),
        );
        // The minutes above the red, beside it on the side with room, else over its start
        // (never over the step names' column).
        let (x, anchor) = if r.bar.x1 + 90.0 < PLOT_RIGHT {
            (r.bar.x1 + 7.0, "start")
        } else if r.bar.x0 - 90.0 > PLOT_LEFT {
            (r.bar.x0 - 4.0, "end")
        } else {
            (r.bar.x0 + 4.0, "start")
        };
        let _ = write!(
            o,
            "<text class=\"minutes\" x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"bold\" fill=\"{RED}\" text-anchor=\"{anchor}\">{}</text>",
            px(x),
            px(top - 1.5),
            escape(&words)
        );
    }
    if let Some(d) = &l.due {
        let _ = write!(
            o,
            "<line class=\"due\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#111\" stroke-width=\"2\"/>",
            px(y + 6.0),
            px(y + 28.0),
            x = px(d.x)
        );
    }
    for d in &l.done {
        let (class, fill) = if d.late {
            ("done late", RED)
        } else {
            ("done", "#111")
        };
        let _ = write!(
            o,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1.5\"><title>{}</title></circle>",
            px(d.point.x),
            px(mid),
            escape(&tz::short(rules.tz, d.point.at))
        );
    }
    for s in &l.skips {
        let (x, c) = (s.point.x, mid);
        let _ = write!(
            o,
            "<path class=\"skip\" d=\"M{} {}L{} {}M{} {}L{} {}\" stroke=\"{RED}\" stroke-width=\"2.5\"/>\
<text class=\"skip\" x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"bold\" fill=\"{RED}\">{}</text>",
            px(x - 5.0),
            px(c - 5.0),
            px(x + 5.0),
            px(c + 5.0),
            px(x + 5.0),
            px(c - 5.0),
            px(x - 5.0),
            px(c + 5.0),
            px(x + 8.0),
            px(y + 31.0),
            escape(&skip_words(s.reason))
        );
    }
    o.push_str("</g>");
}

/// The timeline as an `<svg>` element; `p` prefixes its pattern ids.
pub fn timeline(t: &Timeline, rules: &Rules, p: &str) -> String {
    let mut o = String::new();
    let entries_y = 6.0 + t.rows.max(1) as f64 * ROW_H + 4.0;
    let verticals_y = entries_y + 10.0;
    let lanes_y = verticals_y + 18.0;
    let axis_y = lanes_y + t.lanes.len() as f64 * LANE_H + 4.0;
    let height = axis_y + 32.0;
    let _ = write!(
        o,
        "<svg class=\"timeline\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\">{}",
        px(WIDTH),
        px(height),
        px(WIDTH),
        px(height),
        defs(p)
    );
    // Gridlines under everything.
    for a in &t.axis {
        let _ = write!(
            o,
            "<line class=\"grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#ddd\" stroke-width=\"1\"/>",
            px(lanes_y),
            px(axis_y),
            x = px(a.point.x)
        );
    }
    for (i, l) in t.lanes.iter().enumerate() {
        lane(&mut o, l, rules, p, lanes_y + i as f64 * LANE_H, i % 2 == 0);
    }

    // The entries: a tick each on their own row, labels staggered by the geometry.
    let _ = write!(
        o,
        "<g class=\"entries\"><text x=\"6\" y=\"{}\" font-size=\"11\" font-weight=\"bold\">{}</text>\
<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#888\" stroke-width=\"1\"/>",
        px(entries_y + 4.0),
        escape(crate::i18n::Label::Entries.text()),
        px(t.frame.left),
        px(t.frame.right),
        y = px(entries_y)
    );
    for k in &t.ticks {
        let label_y = 6.0 + (k.row as f64 + 1.0) * ROW_H - 2.0;
        let _ = write!(
            o,
            "<line class=\"tick\" data-n=\"{}\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#333\" stroke-width=\"1.5\"/>\
<text class=\"tick-label\" x=\"{x}\" y=\"{}\" font-size=\"9.5\" fill=\"#333\">#{} {}<title>{}</title></text>",
            k.n,
            px(label_y + 2.0),
            px(entries_y + 5.0),
            px(label_y),
            k.n,
            hm(rules, k.point.at),
            escape(EntryType::label(k.kind)),
            x = px(k.point.x)
        );
    }
    o.push_str("</g>");

    for v in &t.verticals {
        let (class, dash, words) = match v.kind {
            VerticalKind::Check => {
                let at = hm(rules, v.point.at);
                (
                    "vline check",
                    "",
                    crate::msg!("as of {at}", "截至 {at}").to_string(),
                )
            }
            VerticalKind::Reclassified(sev) => {
                let to = super::severity(rules, &rules.severities[sev].id);
                let at = hm(rules, v.point.at);
                (
                    "vline reclass",
                    " stroke-dasharray=\"5 3\"",
                    crate::msg!("{at} reclassified {to}", "{at} 等级调整为{to}").to_string(),
                )
            }
        };
        let anchor = if v.point.x > PLOT_RIGHT - 120.0 {
            "end"
        } else {
            "start"
        };
        let dx = if anchor == "end" { -4.0 } else { 4.0 };
        let _ = write!(
            o,
            "<line class=\"{class}\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#222\" stroke-width=\"1.5\"{dash}/>\
<text class=\"{class}\" x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"{anchor}\">{}</text>",
            px(verticals_y + 2.0),
            px(axis_y),
            px(v.point.x + dx),
            px(verticals_y + 12.0),
            escape(&words),
            x = px(v.point.x)
        );
    }

    // The time axis, with the date where it changes.
    let _ = write!(
        o,
        "<line class=\"axis\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#111\" stroke-width=\"1\"/>",
        px(t.frame.left),
        px(t.frame.right),
        y = px(axis_y)
    );
    for a in &t.axis {
        let x = px(a.point.x);
        let _ = write!(
            o,
            "<text class=\"axis-label\" x=\"{x}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            px(axis_y + 13.0),
            hm(rules, a.point.at)
        );
        if a.new_day {
            let day = tz::local(rules.tz, a.point.at).format("%Y-%m-%d");
            let _ = write!(
                o,
                "<text class=\"axis-date\" x=\"{x}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555\">{day}</text>",
                px(axis_y + 25.0)
            );
        }
    }
    o.push_str("</svg>\n");
    o
}

/// The key to the drawing, once a page, with its own patterns; items wrap onto a second row
/// when the words are long.
pub fn legend() -> String {
    let p = "legend";
    let items: [(&str, &str, &str); 8] = [
        (
            "window",
            "window (clock start to due)",
            "时限窗口（起算至时限）",
        ),
        ("due", "due", "时限"),
        ("done", "done", "完成"),
        ("late", "late", "迟报"),
        ("overdue", "overdue", "超时未报"),
        ("skip", "skipped", "越级/漏报"),
        ("reclass", "reclassified", "等级调整"),
        ("check", "check instant", "检查时点"),
    ];
    let mut body = String::new();
    let (mut x, mut y) = (6.0, 0.0);
    for (kind, en, zh) in items {
        let words = pick(en, zh);
        let width = 27.0
            + words
                .chars()
                .map(|c| if c.is_ascii() { 5.9 } else { 11.0 })
                .sum::<f64>();
        if x + width > WIDTH {
            (x, y) = (6.0, y + 24.0);
        }
        // Each key is drawn at its own origin: a 22 by 24 swatch, then its words.
        let shape = match kind {
            "window" => "<rect x=\"0\" y=\"6\" width=\"22\" height=\"12\" fill=\"#dce9f7\" stroke=\"#3b6ea5\"/>".to_owned(),
            "due" => "<line x1=\"11\" y1=\"3\" x2=\"11\" y2=\"21\" stroke=\"#111\" stroke-width=\"2\"/>".to_owned(),
            "done" => "<circle cx=\"11\" cy=\"12\" r=\"5\" fill=\"#111\"/>".to_owned(),
            "late" => format!("<rect x=\"0\" y=\"6\" width=\"22\" height=\"12\" fill=\"url(#{p}-late)\" stroke=\"{RED}\"/>"),
            "overdue" => format!("<rect x=\"0\" y=\"6\" width=\"22\" height=\"12\" fill=\"url(#{p}-overdue)\" stroke=\"{RED}\"/>"),
            "skip" => format!("<path d=\"M6 7L16 17M16 7L6 17\" stroke=\"{RED}\" stroke-width=\"2.5\"/>"),
            "reclass" => "<line x1=\"11\" y1=\"3\" x2=\"11\" y2=\"21\" stroke=\"#222\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>".to_owned(),
            _ => "<line x1=\"11\" y1=\"3\" x2=\"11\" y2=\"21\" stroke=\"#222\" stroke-width=\"1.5\"/>".to_owned(),
        };
        let _ = write!(
            body,
            "<g transform=\"translate({} {})\">{shape}<text x=\"27\" y=\"16\" font-size=\"11\">{}</text></g>",
            px(x),
            px(y),
            escape(words)
        );
        x += width + if lang() == Lang::Zh { 16.0 } else { 14.0 };
    }
    let h = px(y + 24.0);
    format!(
        "<svg class=\"legend\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">{}{body}</svg>\n",
        defs(p),
        w = px(WIDTH)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_to_their_column() {
        assert_eq!(fit("city-phone", 100.0, 10.0), "city-phone");
        assert_eq!(fit("市委市政府总值班室", 50.0, 10.0), "市委市政府…");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.34), "12.3");
    }
}
