//! `digest`'s table view. Pure: it takes the decided digest and returns text.

use crate::check::Counts;
use crate::digest::Digest;
use crate::i18n::{Label, pick};
use crate::msg;
use crate::render::table::{self, Layout};
use crate::rules::Rules;
use crate::tz::short;

/// The digest as tables: the window, the counts, each incident with its status, next due step
/// and findings, the finding counts and the chain's head.
pub fn table(layout: Layout, d: &Digest, rules: &Rules) -> String {
    let tz = rules.tz;
    let mut out = String::new();
    let (from, to) = (short(tz, d.window.from), short(tz, d.window.to));
    outln!(
        out,
        "{}",
        msg!("Duty report {from} to {to}", "值班日报（{from} 至 {to}）")
    );
    let n_new = d.items.iter().filter(|i| i.is_new).count();
    let n_closed = d.items.iter().filter(|i| i.closed_in_window).count();
    let n_open = d.items.iter().filter(|i| i.open_at_end).count();
    outln!(
        out,
        "{}",
        msg!(
            "{n_new} new, {n_closed} closed, {n_open} open at the end",
            "新增 {n_new} 起，终报 {n_closed} 起，期末处置中 {n_open} 起"
        )
    );
    let mut t = table::new(
        layout,
        &[
            Label::Id,
            Label::Title,
            Label::Severity,
            Label::Status,
            Label::NextDue,
            Label::Findings,
        ],
    );
    for i in d.items.iter().filter(|i| i.touched || i.open_at_end) {
        let mut status = Vec::new();
        if i.is_new {
            status.push(pick("new", "新增"));
        }
        if i.closed_in_window {
            status.push(pick("closed", "终报"));
        } else if i.open_at_end {
            status.push(Label::Open.text());
        }
        let status = status.join(pick(", ", "，"));
        let next = i.next_due.as_ref().map_or_else(
            || "-".to_owned(),
            |(step, due, m)| {
                let left = if *m >= 0 {
                    super::due_in(*m)
                } else {
                    super::overdue_by(-m)
                };
                let step = super::step_by_id(&i.rules, step);
                format!(
                    "{step} {}{}{left}{}",
                    short(i.rules.tz, *due),
                    pick(" (", "（"),
                    pick(")", "）")
                )
            },
        );
        let findings = i
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    table::kind_text(f.kind),
                    super::finding::subject(f, &i.rules)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        t.add_row(vec![
            table::cell(&i.id),
            table::cell(&i.row.title),
            table::cell(super::severity(&i.rules, &i.row.severity)),
            table::cell(status),
            table::cell(next),
            table::cell(findings),
        ]);
    }
    outln!(out, "{t}");
    let counts = Counts::of(d.items.iter().flat_map(|i| &i.findings));
    outln!(
        out,
        "{}{}",
        pick("Findings: ", "报送问题："),
        super::finding::counts_line(&counts)
    );
    outln!(out, "{}", super::digest_md::head_line(d));
    out
}
