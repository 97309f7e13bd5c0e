//! The digest as a document a duty office can send as it is (值班日报): overview, new incidents,
//! follow-ups and corrections, escalations with whether they were on time, closed, open at the
//! end with their next deadline, and the reporting problems. Labels follow `--lang`; data is
//! shown as typed, escaped so it cannot become markup. A shared store's report groups its
//! incidents by office, each under a heading with the office's name and code.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::digest::{escalations, figure_sums, new_items, updates};
use super::markdown::escape;
use super::table;
use crate::digest::{Digest, Item};
use crate::domain::model::Body;
use crate::i18n::{Label, pick};
use crate::rules::Rules;
use crate::tz::short;

fn cell(text: &str) -> String {
    escape(text).replace('\n', " ")
}

/// The Markdown duty report. `names` gives an office's name by code (a shared store's offices;
/// empty for a file), so each office's heading reads as the duty report it is sent as.
pub fn to_markdown(d: &Digest, rules: &Rules, names: &BTreeMap<String, String>) -> String {
    let tz = rules.tz;
    let mut o = String::new();
    let (from, to) = (short(tz, d.window.from), short(tz, d.window.to));
    let title = crate::msg!("Duty report {from} to {to}", "值班日报（{from} 至 {to}）");
    let _ = writeln!(o, "# {title}\n");
    let (n_new, n_closed, n_open) = (
        new_items(d).count(),
        d.items.iter().filter(|i| i.closed_in_window).count(),
        d.items.iter().filter(|i| i.open_at_end).count(),
    );
    let n_findings: usize = d
        .items
        .iter()
        .map(|i| i.findings.iter().filter(|f| f.kind.is_violation()).count())
        .sum();
    let overview = crate::msg!(
        "{n_new} new, {n_closed} closed, {n_open} open at the end of the period; {n_findings} reporting problems.",
        "本期新增事件 {n_new} 起，终报 {n_closed} 起，期末处置中 {n_open} 起；报送问题 {n_findings} 项。"
    );
    let _ = writeln!(o, "## {}\n\n{overview}", pick("Overview", "概况"));
    let sums = figure_sums(d);
    if !sums.is_empty() {
        let _ = writeln!(
            o,
            "\n{}{}{}",
            pick("New incidents' figures", "新增事件伤亡及损失"),
            pick(": ", "："),
            cell(&super::figures_line(rules, &sums))
        );
    }
    o.push('\n');
    // A shared store's digest: the incidents grouped by office, each under its own heading.
    let mut offices: Vec<String> = d.items.iter().filter_map(|i| i.row.office()).collect();
    offices.sort();
    offices.dedup();
    if offices.is_empty() {
        sections(&mut o, d, "##");
    } else {
        for office in &offices {
            let _ = writeln!(
                o,
                "## {}{}{}\n",
                pick("Office", "单位"),
                pick(": ", "："),
                office_heading(office, names)
            );
            let mine = Digest {
                items: d
                    .items
                    .iter()
                    .filter(|i| i.row.office().as_deref() == Some(office))
                    .cloned()
                    .collect(),
                ..d.clone()
            };
            sections(&mut o, &mine, "###");
        }
    }
    let _ = writeln!(o, "\n{}", head_line(d));
    o
}

/// An office as its heading names it: its name and, so a reader can match it to the ids, its
/// code; the code alone where the store gave no name.
fn office_heading(code: &str, names: &BTreeMap<String, String>) -> String {
    match names.get(code) {
        Some(name) if !name.trim().is_empty() => {
            format!(
                "{}{}{code}{}",
                cell(name),
                pick(" (", "（"),
                pick(")", "）")
            )
        }
        _ => cell(code),
    }
}

/// The sections of the report for `d`'s incidents, headed at `level` (`##`, or `###` under an
/// office's heading).
fn sections(o: &mut String, d: &Digest, level: &str) {
    let n_new = new_items(d).count();
    let _ = writeln!(*o, "{level} {}\n", pick("New incidents", "新增事件"));
    if n_new == 0 {
        let _ = writeln!(*o, "{}\n", Label::None.text());
    } else {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
            Label::Id.text(),
            Label::Title.text(),
            Label::Kind.text(),
            Label::Severity.text(),
            Label::Occurred.text(),
            Label::Location.text(),
            Label::Figures.text()
        );
        for i in new_items(d) {
            let r = &i.rules;
            let s = &i.row;
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                s.id,
                cell(&s.title),
                cell(&super::kind(r, &s.kind)),
                cell(&super::severity(r, &s.severity)),
                short(r.tz, s.occurred),
                cell(&s.location),
                cell(&super::figures_line(r, &s.figures))
            );
        }
        o.push('\n');
    }

    let _ = writeln!(
        *o,
        "{level} {}\n",
        pick(
            "Follow-ups, final reports, corrections and reviews",
            "续报、终报、更正与审核"
        )
    );
    let ups = updates(d);
    if ups.is_empty() {
        let _ = writeln!(*o, "{}\n", Label::None.text());
    }
    for (i, e, reclass) in &ups {
        let r = &i.rules;
        let mut line = format!(
            "- {} {} {}{}",
            short(r.tz, e.at),
            i.id,
            cell(&i.row.title),
            pick(": ", "：")
        );
        match &e.body {
            Body::Followup { report, .. } | Body::Final { report } => {
                let stage = e
                    .body
                    .stage()
                    .map(|s| r.reports.get(s).label.clone())
                    .unwrap_or_default();
                let _ = write!(line, "{} — {}", cell(&stage), cell(&report.text));
            }
            Body::Review { review } => {
                let (note, by) = (cell(&review.note), cell(&e.by));
                let _ = write!(
                    line,
                    "{}",
                    crate::msg!("review by {by}: {note}", "{by} 审核：{note}")
                );
            }
            Body::Correction {
                corrects, reason, ..
            } => {
                let reason = cell(reason);
                let _ = write!(
                    line,
                    "{}",
                    crate::msg!(
                        "correction of entry {corrects}: {reason}",
                        "更正第 {corrects} 条：{reason}"
                    )
                );
            }
            _ => {}
        }
        if let Some((from, to)) = reclass {
            let (f, t) = (super::severity(r, from), super::severity(r, to));
            let _ = write!(
                line,
                "{}",
                crate::msg!(" (reclassified {f} → {t})", "（等级调整 {f} → {t}）")
            );
        }
        if e.backfilled() {
            let b = Label::Backfilled.text();
            let _ = write!(line, "{}", crate::msg!(" [{b}]", "【{b}】"));
        }
        let _ = writeln!(*o, "{line}");
    }
    if !ups.is_empty() {
        o.push('\n');
    }

    let _ = writeln!(*o, "{level} {}\n", pick("Escalations", "报送情况"));
    let escs = escalations(d);
    if escs.is_empty() {
        let _ = writeln!(*o, "{}\n", Label::None.text());
    } else {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            Label::At.text(),
            Label::Id.text(),
            Label::Level.text(),
            Label::Channel.text(),
            Label::Contact.text(),
            Label::OnTime.text()
        );
        for (i, e, ok) in &escs {
            let Body::Escalation { escalation: x } = &e.body else {
                continue;
            };
            let ok = match ok {
                Some(true) => Label::Yes.text(),
                Some(false) => Label::No.text(),
                None => "-",
            };
            let mut at = short(i.rules.tz, e.at);
            if e.backfilled() {
                at.push_str(&format!(" [{}]", Label::Backfilled.text()));
            }
            let _ = writeln!(
                o,
                "| {at} | {} | {} | {} | {} | {ok} |",
                i.id,
                cell(&super::level(&i.rules, &x.level)),
                cell(&super::channel(&i.rules, &x.channel)),
                cell(x.contact.as_deref().unwrap_or("-"))
            );
        }
        o.push('\n');
    }

    let _ = writeln!(*o, "{level} {}\n", pick("Closed", "终报事件"));
    let closed: Vec<&Item> = d.items.iter().filter(|i| i.closed_in_window).collect();
    if closed.is_empty() {
        let _ = writeln!(*o, "{}\n", Label::None.text());
    }
    for i in &closed {
        let _ = writeln!(
            o,
            "- {} {} ({})",
            i.id,
            cell(&i.row.title),
            cell(&super::severity(&i.rules, &i.row.severity))
        );
    }
    if !closed.is_empty() {
        o.push('\n');
    }

    let _ = writeln!(
        *o,
        "{level} {}\n",
        pick("Open at the end of the period", "期末处置中事件")
    );
    let open: Vec<&Item> = d.items.iter().filter(|i| i.open_at_end).collect();
    if open.is_empty() {
        let _ = writeln!(*o, "{}\n", Label::None.text());
    } else {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            Label::Id.text(),
            Label::Title.text(),
            Label::Severity.text(),
            Label::NextDue.text(),
            Label::Left.text()
        );
        for i in &open {
            let (step, left) = match &i.next_due {
                Some((step, due, m)) => (
                    format!(
                        "{} {}",
                        super::step_by_id(&i.rules, step),
                        short(i.rules.tz, *due)
                    ),
                    if *m >= 0 {
                        super::due_in(*m)
                    } else {
                        super::overdue_by(-m)
                    },
                ),
                None => ("-".into(), "-".into()),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                i.id,
                cell(&i.row.title),
                cell(&super::severity(&i.rules, &i.row.severity)),
                cell(&step),
                left
            );
        }
        o.push('\n');
    }

    let _ = writeln!(*o, "{level} {}\n", pick("Reporting problems", "报送问题"));
    let mut any = false;
    for i in &d.items {
        for f in &i.findings {
            any = true;
            let reviewed = f
                .reviewed
                .as_ref()
                .map(|r| super::finding::reviewed_suffix(r, i.rules.tz))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "- {} {}{}{}{}",
                i.id,
                table::kind_text(f.kind),
                pick(": ", "："),
                cell(&super::finding::message(f, &i.rules)),
                cell(&reviewed)
            );
        }
    }
    if !any {
        let _ = writeln!(*o, "{}", Label::None.text());
    }
}

/// The last line of a duty report: the chain's head as of its end, to be proven later with
/// `sitrep verify --head`.
pub fn head_line(d: &Digest) -> String {
    if let [one] = d.chain_head.as_slice()
        && one.office.is_none()
    {
        let head = &one.hash;
        return crate::msg!(
            "Chain head at the end of the period: {head} (prove it later with sitrep verify --head {head})",
            "截至期末的链头：{head}（日后可用 sitrep verify --head {head} 核验）"
        )
        .to_string();
    }
    // A shared store: a head per office, each proved with `--head CODE=HASH`.
    let heads = d
        .chain_head
        .iter()
        .map(|h| format!("{}={}", h.office.as_deref().unwrap_or_default(), h.hash))
        .collect::<Vec<_>>()
        .join(crate::i18n::pick(", ", "，"));
    crate::msg!(
        "Chain heads at the end of the period: {heads} (prove one later with sitrep verify --head CODE=HASH)",
        "截至期末各单位的链头：{heads}（日后可用 sitrep verify --head 代码=哈希 核验）"
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::office_heading;
    use crate::i18n::{Lang, in_lang};

    #[test]
    fn an_office_heading_names_the_office_or_else_gives_its_code() {
        let names = BTreeMap::from([
            ("ca".to_owned(), "甲县总值班室".to_owned()),
            ("cb".to_owned(), "  ".to_owned()),
        ]);
        in_lang(Lang::Zh, || {
            assert_eq!(office_heading("ca", &names), "甲县总值班室（ca）");
            // A blank name, or none (a file's digest has no names), is the code alone.
            assert_eq!(office_heading("cb", &names), "cb");
            assert_eq!(office_heading("cc", &names), "cc");
        });
        in_lang(Lang::En, || {
            assert_eq!(office_heading("ca", &names), "甲县总值班室 (ca)");
        });
        // A name is data: it cannot become markup.
        let names = BTreeMap::from([("cd".to_owned(), "*县*|值班室".to_owned())]);
        in_lang(Lang::En, || {
            assert_eq!(office_heading("cd", &names), r"\*县\*\|值班室 (cd)");
        });
    }
}
