//! The duty day as a page (`digest --format html`): the totals at the top, then every incident
//! the digest holds (touched in the window, or open at its end), each with its lanes clipped to
//! the window, what is due next for an open one, and its reporting problems.
//!
//! The digest is decided by `crate::digest`; this module only draws it, under the rules of
//! `html` (everything escaped, nothing fetched).

use std::fmt::Write as _;

use super::digest::{figure_sums, new_items};
use super::html::{escape, findings, page};
use super::{html_svg, timeline};
use crate::check::Counts;
use crate::digest::{Digest, Item};
use crate::i18n::{Label, pick};
use crate::rules::Rules;
use crate::tz::short;

/// The digest page.
pub fn digest_page(d: &Digest, rules: &Rules) -> String {
    let tz = rules.tz;
    let (from, to) = (short(tz, d.window.from), short(tz, d.window.to));
    let title = crate::msg!("Duty report {from} to {to}", "值班日报（{from} 至 {to}）").to_string();
    let mut o = String::new();
    let _ = writeln!(o, "<h1>{}</h1>", escape(&title));

    let n_new = new_items(d).count();
    let n_closed = d.items.iter().filter(|i| i.closed_in_window).count();
    let n_open = d.items.iter().filter(|i| i.open_at_end).count();
    let counts = Counts::of(d.items.iter().flat_map(|i| &i.findings));
    let n_problems: u64 = counts
        .by_kind
        .iter()
        .filter(|(k, _)| k.is_violation())
        .map(|(_, n)| n)
        .sum();
    let _ = writeln!(o, "<h2>{}</h2>", pick("Totals", "概况"));
    let row = |o: &mut String, label: &str, value: String, class: &str| {
        let _ = write!(
            o,
            "<tr><th>{}</th><td class=\"{class}\">{}</td></tr>",
            escape(label),
            escape(&value)
        );
    };
    o.push_str("<table class=\"totals\">");
    row(&mut o, pick("new", "新增事件"), n_new.to_string(), "new");
    row(
        &mut o,
        pick("closed", "终报事件"),
        n_closed.to_string(),
        "closed",
    );
    row(
        &mut o,
        pick("open at the end", "期末处置中"),
        n_open.to_string(),
        "open",
    );
    let sums = figure_sums(d);
    if !sums.is_empty() {
        row(
            &mut o,
            pick("new incidents' figures", "新增事件伤亡及损失"),
            super::figures_line(rules, &sums),
            "figures",
        );
    }
    row(
        &mut o,
        pick("reporting problems", "报送问题"),
        format!(
            "{n_problems}{}{}{}",
            pick(" (", "（"),
            super::finding::counts_line(&counts),
            pick(")", "）")
        ),
        "problems",
    );
    o.push_str("</table>\n");

    if !d.items.is_empty() {
        o.push_str(&html_svg::legend());
    }
    for (n, i) in d.items.iter().enumerate() {
        incident(&mut o, d, i, n);
    }
    if d.items.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", Label::None.text());
    }
    page(&title, &o)
}

fn incident(o: &mut String, d: &Digest, i: &Item, n: usize) {
    let r = &i.rules;
    let s = &i.row;
    let _ = writeln!(
        o,
        "<section class=\"incident\" data-id=\"{}\">\n<h2>{} {}</h2>",
        escape(&i.id),
        escape(&i.id),
        escape(&s.title)
    );
    let mut tags = vec![super::severity(r, &s.severity), super::kind(r, &s.kind)];
    if i.is_new {
        tags.push(pick("new", "新增").to_owned());
    }
    if i.closed_in_window {
        tags.push(pick("closed", "终报").to_owned());
    } else if i.open_at_end {
        tags.push(Label::Open.text().to_owned());
    }
    let head: String = tags
        .iter()
        .map(|t| format!("<span>{}</span>", escape(t)))
        .collect();
    let _ = writeln!(
        o,
        "<p class=\"head\">{head}<span>{}: {}</span></p>",
        escape(Label::Location.text()),
        escape(&s.location)
    );

    let mut t = timeline::layout(
        &i.judged.history,
        &i.judged.eval,
        r,
        html_svg::frame(d.window.from, d.window.to),
        html_svg::LABEL_PX,
    );
    // Clipped to the day: a lane with nothing inside the window says nothing about it.
    t.lanes.retain(timeline::Lane::visible);
    let _ = writeln!(
        o,
        "<figure class=\"timeline\" data-incident=\"{}\">\n{}</figure>",
        escape(&i.id),
        html_svg::timeline(&t, r, &format!("t{n}"))
    );
    if let Some((step, due, m)) = &i.next_due {
        let left = if *m >= 0 {
            super::due_in(*m)
        } else {
            super::overdue_by(-m)
        };
        let class = if *m < 0 { " bad" } else { "" };
        let _ = writeln!(
            o,
            "<p class=\"next-due{class}\">{}: {} {} ({})</p>",
            escape(Label::NextDue.text()),
            escape(step),
            escape(&short(r.tz, *due)),
            escape(&left)
        );
    }
    findings(o, &i.findings, r, "h3");
    o.push_str("</section>\n");
}
