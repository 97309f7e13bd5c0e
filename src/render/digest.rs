//! The digest in its four forms: JSON for scripts, Markdown a duty office can send as it is,
//! CSV with one row per incident touched (safe in spreadsheets), and tables for a terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::json as rj;
use super::markdown::escape;
use super::{csv as rcsv, table};
use crate::digest::{Digest, Item, Reclass};
use crate::domain::model::{Body, Entry, Figures};
use crate::engine::FindingKind;
use crate::i18n::{Label, pick};
use crate::rules::Rules;
use crate::tz::{rfc3339, short};

fn new_items(d: &Digest) -> impl Iterator<Item = &Item> {
    d.items.iter().filter(|i| i.is_new)
}

/// Updates across incidents, in claimed-time order.
fn updates(d: &Digest) -> Vec<(&Item, &Entry, &Reclass)> {
    let mut v: Vec<_> = d
        .items
        .iter()
        .flat_map(|i| i.updates.iter().map(move |(e, r)| (i, e, r)))
        .collect();
    v.sort_by_key(|(i, e, _)| (e.at, i.id.clone(), e.n));
    v
}

fn escalations(d: &Digest) -> Vec<(&Item, &Entry, Option<bool>)> {
    let mut v: Vec<_> = d
        .items
        .iter()
        .flat_map(|i| i.escalations.iter().map(move |(e, ok)| (i, e, *ok)))
        .collect();
    v.sort_by_key(|(i, e, _)| (e.at, i.id.clone(), e.n));
    v
}

/// Figures summed over new incidents.
fn figure_sums(d: &Digest) -> Figures {
    let mut sums = Figures::new();
    for i in new_items(d) {
        for (k, v) in &i.summary.figures {
            *sums.entry(k.clone()).or_insert(0) += v;
        }
    }
    sums
}

/// Counts keyed by every id of `ids` (in order), then any other id seen.
fn counts<'a>(
    ids: impl Iterator<Item = &'a str>,
    seen: impl Iterator<Item = String>,
) -> Map<String, Value> {
    let mut m: Map<String, Value> = ids.map(|id| (id.to_owned(), json!(0))).collect();
    for s in seen {
        let n = m.get(&s).and_then(Value::as_u64).unwrap_or(0);
        m.insert(s, json!(n + 1));
    }
    m
}

/// The JSON of DESIGN.md §6.
pub fn to_json<'a>(d: &'a Digest, rules: &'a Rules) -> impl serde::Serialize + 'a {
    #[derive(serde::Serialize)]
    struct DigestJson<'a> {
        from: String,
        to: String,
        new: Vec<rj::IncidentJson<'a>>,
        updates: Vec<rj::EntryJson<'a>>,
        escalations: Vec<rj::EntryJson<'a>>,
        closed: Vec<rj::IncidentJson<'a>>,
        open: Vec<rj::IncidentJson<'a>>,
        findings: Vec<rj::FindingJson<'a>>,
        totals: Value,
    }
    let tz = rules.tz;
    let incident = |i: &'a Item| rj::incident(&i.summary, i.rules.tz);
    let entry = |i: &'a Item, e: &'a Entry| {
        let mut v = rj::entry(e, i.corrections_of(e.n), i.rules.tz);
        v.incident = Some(&i.id);
        v
    };
    let updates = updates(d)
        .into_iter()
        .map(|(i, e, r)| {
            let mut v = entry(i, e);
            v.reclassification = r.as_ref();
            v
        })
        .collect();
    let escalations = escalations(d)
        .into_iter()
        .map(|(i, e, ok)| {
            let mut v = entry(i, e);
            v.on_time = Some(ok);
            v
        })
        .collect();
    let open = d
        .items
        .iter()
        .filter(|i| i.open_at_end)
        .map(|i| {
            let mut v = incident(i);
            v.extra.next_due = Some(i.next_due.clone());
            v
        })
        .collect();
    let by_severity = counts(
        rules.severities.iter().map(|s| s.id.as_str()),
        new_items(d).map(|i| i.summary.severity.clone()),
    );
    let by_kind = counts(
        rules.kinds.iter().map(|k| k.id.as_str()),
        new_items(d).map(|i| i.summary.kind.clone()),
    );
    let by_finding = counts(
        FindingKind::ALL.iter().map(|k| k.as_str()),
        d.items
            .iter()
            .flat_map(|i| i.findings.iter().map(|f| f.kind.as_str().to_owned())),
    );
    let sums: Map<String, Value> = figure_sums(d)
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    DigestJson {
        from: rfc3339(tz, d.window.from),
        to: rfc3339(tz, d.window.to),
        new: new_items(d).map(incident).collect(),
        updates,
        escalations,
        closed: d
            .items
            .iter()
            .filter(|i| i.closed_in_window)
            .map(incident)
            .collect(),
        open,
        findings: d
            .items
            .iter()
            .flat_map(|i| {
                i.findings
                    .iter()
                    .map(move |f| rj::finding(&i.id, f, &i.rules))
            })
            .collect(),
        totals: json!({
            "new": new_items(d).count(),
            "closed": d.items.iter().filter(|i| i.closed_in_window).count(),
            "open": d.items.iter().filter(|i| i.open_at_end).count(),
            "figures": sums,
            "by_severity": by_severity,
            "by_kind": by_kind,
            "by_finding": by_finding,
        }),
    }
}

fn cell(text: &str) -> String {
    escape(text).replace('\n', " ")
}

/// The Markdown duty report.
pub fn to_markdown(d: &Digest, rules: &Rules) -> String {
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
            "\n{}: {}",
            pick("New incidents' figures", "新增事件伤亡及损失"),
            cell(&super::figures_line(rules, &sums))
        );
    }
    o.push('\n');

    let _ = writeln!(o, "## {}\n", pick("New incidents", "新增事件"));
    if n_new == 0 {
        let _ = writeln!(o, "{}\n", Label::None.text());
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
            let s = &i.summary;
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
        o,
        "## {}\n",
        pick(
            "Follow-ups, final reports and corrections",
            "续报、终报与更正"
        )
    );
    let ups = updates(d);
    if ups.is_empty() {
        let _ = writeln!(o, "{}\n", Label::None.text());
    }
    for (i, e, reclass) in &ups {
        let r = &i.rules;
        let mut line = format!(
            "- {} {} {}: ",
            short(r.tz, e.at),
            i.id,
            cell(&i.summary.title)
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
                " ({})",
                crate::msg!("reclassified {f} → {t}", "等级调整 {f} → {t}")
            );
        }
        if e.backfilled() {
            let _ = write!(line, " [{}]", Label::Backfilled.text());
        }
        let _ = writeln!(o, "{line}");
    }
    if !ups.is_empty() {
        o.push('\n');
    }

    let _ = writeln!(o, "## {}\n", pick("Escalations", "报送情况"));
    let escs = escalations(d);
    if escs.is_empty() {
        let _ = writeln!(o, "{}\n", Label::None.text());
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
                cell(&x.channel),
                cell(x.contact.as_deref().unwrap_or("-"))
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## {}\n", pick("Closed", "终报事件"));
    let closed: Vec<&Item> = d.items.iter().filter(|i| i.closed_in_window).collect();
    if closed.is_empty() {
        let _ = writeln!(o, "{}\n", Label::None.text());
    }
    for i in &closed {
        let _ = writeln!(
            o,
            "- {} {} ({})",
            i.id,
            cell(&i.summary.title),
            cell(&super::severity(&i.rules, &i.summary.severity))
        );
    }
    if !closed.is_empty() {
        o.push('\n');
    }

    let _ = writeln!(
        o,
        "## {}\n",
        pick("Open at the end of the period", "期末处置中事件")
    );
    let open: Vec<&Item> = d.items.iter().filter(|i| i.open_at_end).collect();
    if open.is_empty() {
        let _ = writeln!(o, "{}\n", Label::None.text());
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
                    format!("{step} {}", short(i.rules.tz, *due)),
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
                cell(&i.summary.title),
                cell(&super::severity(&i.rules, &i.summary.severity)),
                cell(&step),
                left
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## {}\n", pick("Reporting problems", "报送问题"));
    let mut any = false;
    for i in &d.items {
        for f in &i.findings {
            any = true;
            let _ = writeln!(
                o,
                "- {} {}: {}",
                i.id,
                table::kind_text(f.kind),
                cell(&super::finding::message(f, &i.rules))
            );
        }
    }
    if !any {
        let _ = writeln!(o, "{}", Label::None.text());
    }
    o
}

/// CSV: one row per incident touched in the window.
pub fn write_csv(d: &Digest, out: &mut dyn std::io::Write, bom: bool) -> anyhow::Result<()> {
    let mut w = rcsv::writer(out, bom)?;
    w.write_record([
        "id",
        "title",
        "kind",
        "severity",
        "status",
        "occurred",
        "known",
        "location",
        "unit",
        "new",
        "closed_in_window",
        "updates",
        "escalations",
        "escalations_late",
        "findings",
        "figures",
        "next_due_step",
        "next_due",
        "next_due_minutes",
    ])?;
    for i in d.items.iter().filter(|i| i.touched) {
        let s = &i.summary;
        let tz: Tz = i.rules.tz;
        let figures = s
            .figures
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";");
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let late = i
            .escalations
            .iter()
            .filter(|(_, ok)| *ok == Some(false))
            .count();
        let (step, due, minutes) = match &i.next_due {
            Some((st, d, m)) => (st.clone(), rfc3339(tz, *d), m.to_string()),
            None => Default::default(),
        };
        w.write_record([
            s.id.clone(),
            rcsv::safe(&s.title),
            rcsv::safe(&s.kind),
            rcsv::safe(&s.severity),
            if s.is_open() { "open" } else { "closed" }.to_owned(),
            rfc3339(tz, s.occurred),
            rfc3339(tz, s.known),
            rcsv::safe(&s.location),
            rcsv::safe(&s.unit),
            yes_no(i.is_new),
            yes_no(i.closed_in_window),
            i.updates.len().to_string(),
            i.escalations.len().to_string(),
            late.to_string(),
            i.findings
                .iter()
                .filter(|f| f.kind.is_violation())
                .count()
                .to_string(),
            rcsv::safe(&figures),
            rcsv::safe(&step),
            due,
            minutes,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Counts by finding kind, for the terminal summary line.
pub fn finding_counts(d: &Digest) -> BTreeMap<FindingKind, usize> {
    let mut m = BTreeMap::new();
    for f in d.items.iter().flat_map(|i| &i.findings) {
        *m.entry(f.kind).or_insert(0) += 1;
    }
    m
}
