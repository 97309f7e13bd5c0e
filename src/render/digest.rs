//! The digest for scripts: JSON and CSV (one row per incident touched, safe in spreadsheets).
//! The Markdown a duty office sends is in `digest_md`; the terminal's tables in the command.

use serde_json::{Map, Value, json};

use super::csv as rcsv;
use super::json as rj;
use crate::digest::{Digest, Item, Reclass};
use crate::domain::model::{Entry, Figures};
use crate::engine::FindingKind;
use crate::rules::Rules;
use crate::tz::rfc3339;

pub(super) fn new_items(d: &Digest) -> impl Iterator<Item = &Item> {
    d.items.iter().filter(|i| i.is_new)
}

/// Updates across incidents, in claimed-time order.
pub(super) fn updates(d: &Digest) -> Vec<(&Item, &Entry, &Reclass)> {
    let mut v: Vec<_> = d
        .items
        .iter()
        .flat_map(|i| i.updates.iter().map(move |(e, r)| (i, e, r)))
        .collect();
    v.sort_by_key(|(i, e, _)| (e.at, i.id.clone(), e.n));
    v
}

pub(super) fn escalations(d: &Digest) -> Vec<(&Item, &Entry, Option<bool>)> {
    let mut v: Vec<_> = d
        .items
        .iter()
        .flat_map(|i| i.escalations.iter().map(move |(e, ok)| (i, e, *ok)))
        .collect();
    v.sort_by_key(|(i, e, _)| (e.at, i.id.clone(), e.n));
    v
}

/// Figures summed over new incidents.
pub(super) fn figure_sums(d: &Digest) -> Figures {
    let mut sums = Figures::new();
    for i in new_items(d) {
        for (k, v) in &i.row.figures {
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
        chain_head: Value,
    }
    let tz = rules.tz;
    let incident = |i: &'a Item| rj::incident(&i.row, i.rules.tz);
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
        new_items(d).map(|i| i.row.severity.clone()),
    );
    let by_kind = counts(
        rules.kinds.iter().map(|k| k.id.as_str()),
        new_items(d).map(|i| i.row.kind.clone()),
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
        chain_head: heads_json(&d.chain_head),
    }
}

/// CSV: one row per incident touched in the window, for a spreadsheet (see
/// `render::csv::incident`): the incident's columns, then what the window held for it.
pub fn write_csv(
    d: &Digest,
    rules: &Rules,
    out: &mut dyn std::io::Write,
    bom: bool,
) -> anyhow::Result<()> {
    use crate::i18n::pick;
    let mut w = rcsv::writer(out, bom)?;
    let mut headers = rcsv::incident::headers(rules);
    headers.extend(
        [
            ("new in the period", "本期新增"),
            ("closed in the period", "本期终报"),
            ("updates", "续报、终报、更正、审核"),
            ("escalations", "报送次数"),
            ("escalations late", "迟报次数"),
            ("reporting problems", "报送问题"),
            ("next due", "下一时限环节"),
            ("next due at", "下一时限"),
            ("minutes to next due", "距下一时限（分钟）"),
        ]
        .iter()
        .map(|(en, zh)| pick(en, zh).to_owned()),
    );
    w.write_record(&headers)?;
    let yes_no =
        |b: bool| pick(if b { "yes" } else { "no" }, if b { "是" } else { "否" }).to_owned();
    for i in d.items.iter().filter(|i| i.touched) {
        let r = &i.rules;
        let mut row = rcsv::incident::cells(&i.row, r, rules);
        let late = i
            .escalations
            .iter()
            .filter(|(_, ok)| *ok == Some(false))
            .count();
        let (step, due, minutes) = match &i.next_due {
            Some((st, d, m)) => (
                rcsv::safe(&super::step_by_id(r, st)),
                crate::tz::short(r.tz, *d),
                m.to_string(),
            ),
            None => Default::default(),
        };
        row.extend([
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
            step,
            due,
            minutes,
        ]);
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// A file's one chain head as a string; a shared store's heads as an object keyed by office.
pub fn heads_json(heads: &[crate::store::Head]) -> Value {
    match heads {
        [one] if one.office.is_none() => json!(one.hash),
        _ => Value::Object(
            heads
                .iter()
                .map(|h| (h.office.clone().unwrap_or_default(), json!(h.hash)))
                .collect(),
        ),
    }
}
