//! `check`'s output: the JSON of DESIGN.md §5 and the supervisor's table, from judged
//! incidents. Pure: it writes strings and values, and reads nothing.

use serde_json::{Value, json};

use crate::check::{Counts, Judged};
use crate::damage::Damage;
use crate::domain::model::Instant;
use crate::engine::SkipReason;
use crate::i18n::{Label, Lang, lang, pick};
use crate::render::{finding::minutes_cell, json as rj, table};
use crate::tz::{rfc3339, short};

/// The JSON of DESIGN.md §5.
pub fn json<'a>(
    judged: &'a [Judged],
    damaged: &'a [Damage],
    at: Instant,
    tz: chrono_tz::Tz,
) -> impl serde::Serialize + 'a {
    #[derive(serde::Serialize)]
    struct CheckJson<'a> {
        at: String,
        findings: Vec<rj::FindingJson<'a>>,
        summary: Counts,
        damaged: Vec<Value>,
    }
    CheckJson {
        at: rfc3339(tz, at),
        findings: judged
            .iter()
            .flat_map(|j| {
                j.findings
                    .iter()
                    .map(move |f| rj::finding(&j.id, f, &j.rules))
            })
            .collect(),
        summary: Counts::of(judged.iter().flat_map(|j| &j.findings)),
        damaged: damaged
            .iter()
            .map(|d| json!({"incident": d.incident(), "message": d.to_string()}))
            .collect(),
    }
}

/// The table: as of when, each incident with findings and a table of them, and the counts.
pub fn table(layout: table::Layout, judged: &[Judged], at: Instant) -> String {
    let tz = judged.first().map_or(chrono_tz::UTC, |j| j.rules.tz);
    let shown = short(tz, at);
    let mut out = crate::msg!("As of {shown}:", "截至 {shown}：").to_string();
    out.push('\n');
    for j in judged.iter().filter(|j| !j.findings.is_empty()) {
        out.push_str(&format!("\n{}  {}\n", j.id, j.title));
        let mut t = table::new(
            layout,
            &[
                Label::Finding,
                Label::Step,
                Label::Due,
                Label::Done,
                Label::Minutes,
                Label::Message,
            ],
        );
        let rtz = j.rules.tz;
        for f in &j.findings {
            let kind = match (f.reason, lang()) {
                (Some(r), Lang::Zh) => reason_text(r).to_owned(),
                (Some(r), Lang::En) => {
                    format!("{} ({})", table::kind_text(f.kind), reason_text(r))
                }
                (None, _) => table::kind_text(f.kind).to_owned(),
            };
            let kind = match &f.reviewed {
                Some(_) => format!("{kind} ({})", Label::Reviewed.text()),
                None => kind,
            };
            // The columns say the step, times and minutes; the last says only what they cannot.
            let mut message = super::finding::detail(f, &j.rules);
            if let Some(r) = &f.reviewed {
                if !message.is_empty() {
                    message.push_str(pick("; ", "；"));
                }
                message.push_str(&super::finding::reviewed(r, rtz));
            }
            t.add_row(vec![
                table::finding_cell(kind, f.kind, layout.color && f.reviewed.is_none()),
                table::cell(super::finding::subject(f, &j.rules)),
                table::cell(f.due.map(|d| short(rtz, d)).unwrap_or_else(|| "-".into())),
                table::cell(f.done.map(|d| short(rtz, d)).unwrap_or_else(|| "-".into())),
                table::cell(minutes_cell(f)),
                table::cell(message),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    let counts = Counts::of(judged.iter().flat_map(|j| &j.findings));
    out.push_str(&format!(
        "\n{}{}\n",
        pick("Summary: ", "汇总："),
        super::finding::counts_line(&counts)
    ));
    out
}

fn reason_text(r: SkipReason) -> &'static str {
    match r {
        SkipReason::Bypassed => pick("bypassed", "越级报送"),
        SkipReason::Omitted => pick("omitted", "漏报"),
    }
}
