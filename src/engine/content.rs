//! Content rules: 重报措施 (a report whose stage requires measures has them) and 慎报原因 (a
//! cause marked confirmed only in a stage that allows it).
//!
//! Content is checked here, never by refusing input: facts first, the gaps flagged after. Each
//! report is judged with its corrections applied, so adding the measures by a correction clears
//! its `incomplete` finding. A later report of the same incident that supplies what an earlier
//! one lacked (measures, a cause, figures) resolves that part of its finding: the measures that
//! follow in a follow-up complete the initial report. What was supplied, by which entry and
//! when, is returned so `show` can say so. Content findings name the report's stage as their
//! step.

use super::{Finding, FindingKind, Supplied};
use crate::domain::model::{CauseStatus, Report};
use crate::domain::replay::History;
use crate::rules::{Field, Rules};

pub fn evaluate(h: &History, rules: &Rules, out: &mut Vec<Finding>, supplied: &mut Vec<Supplied>) {
    let reports = h.reports();
    for (i, e) in reports.iter().enumerate() {
        let (Some(stage), Some(report)) = (e.body.stage(), e.body.report()) else {
            continue;
        };
        let rule = rules.reports.get(stage);
        let mut missing = Vec::new();
        for field in rule.requires.iter().copied().filter(|f| lacks(report, *f)) {
            // The reports after this one, in claimed-time order: the first that has it.
            let later = reports[i + 1..].iter().find(|l| {
                field != stage.text_field() && l.body.report().is_some_and(|r| !lacks(r, field))
            });
            match later {
                Some(l) => supplied.push(Supplied {
                    entry: e.n,
                    stage,
                    field,
                    by: l.n,
                    at: l.at,
                }),
                None => missing.push(field),
            }
        }
        if !missing.is_empty() {
            let mut f = Finding::new(FindingKind::Incomplete, stage.as_str());
            f.done = Some(e.at);
            f.entry = Some(e.n);
            f.missing = missing;
            out.push(f);
        }
        if report
            .cause
            .as_ref()
            .is_some_and(|c| c.status == CauseStatus::Confirmed)
            && !rule.confirmed_cause
        {
            let mut f = Finding::new(FindingKind::PrematureCause, stage.as_str());
            f.done = Some(e.at);
            f.entry = Some(e.n);
            out.push(f);
        }
    }
}

fn lacks(report: &Report, field: Field) -> bool {
    match field {
        Field::Facts | Field::Progress | Field::Summary => report.text.trim().is_empty(),
        Field::Measures => report
            .measures
            .as_deref()
            .is_none_or(|m| m.trim().is_empty()),
        Field::Cause => report.cause.is_none(),
        Field::Figures => report.figures.is_empty(),
    }
}
