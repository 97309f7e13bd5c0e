//! Applying a correction to the entry it corrects: only the fields it changes, and only fields
//! that entry has (a title belongs to the initial report, a level to an escalation).

use super::Effective;
use crate::domain::model::{Body, Changes, Report};
use crate::i18n::Msg;
use crate::msg;

/// Applies one correction to its target.
pub(super) fn apply(target: &mut Effective, c: &Changes, by: u32) -> Result<(), Msg> {
    let n = target.n;
    let (ty, ty_zh) = target.body.entry_type().names();
    let refuse = |field: &str| {
        msg!(
            "entry {n} ({ty}) has no `{field}` to correct",
            "第 {n} 条（{ty_zh}）没有可更正的“{field}”"
        )
    };
    if matches!(
        target.body,
        Body::Correction { .. } | Body::Reclassification { .. }
    ) {
        return Err(msg!(
            "entry {n} ({ty}) cannot be corrected: correct the entry it is about instead",
            "第 {n} 条（{ty_zh}）不能更正：请更正它所涉及的那条记录"
        ));
    }
    if let Some(at) = c.at {
        target.at = at;
    }
    let header_change = header_only(c) || c.severity.is_some();
    match &mut target.body {
        Body::Followup { severity, .. } if c.severity.is_some() && !header_only(c) => {
            severity.clone_from(&c.severity);
        }
        Body::Initial {
            header, severity, ..
        } => {
            set(&mut header.title, &c.title);
            set(&mut header.kind, &c.kind);
            set(&mut header.location, &c.location);
            set(&mut header.unit, &c.unit);
            if c.source.is_some() {
                header.source.clone_from(&c.source);
            }
            if c.accident_unit.is_some() {
                header.accident_unit.clone_from(&c.accident_unit);
            }
            if let Some(t) = c.occurred {
                header.occurred = t;
            }
            if let Some(t) = c.known {
                header.known = t;
            }
            if c.severity.is_some() {
                severity.clone_from(&c.severity);
            }
        }
        _ if header_change => {
            let field = first_set(&[
                ("title", c.title.is_some()),
                ("kind", c.kind.is_some()),
                ("occurred", c.occurred.is_some()),
                ("known", c.known.is_some()),
                ("location", c.location.is_some()),
                ("unit", c.unit.is_some()),
                ("source", c.source.is_some()),
                ("accident_unit", c.accident_unit.is_some()),
                ("severity", c.severity.is_some()),
            ]);
            return Err(refuse(field));
        }
        _ => {}
    }
    let report_change =
        c.text.is_some() || c.measures.is_some() || !c.figures.is_empty() || c.cause.is_some();
    let escalation_change = c.level.is_some()
        || c.channel.is_some()
        || c.contact.is_some()
        || c.reason.is_some()
        || c.signed_by.is_some();
    if c.note.is_some() && !matches!(target.body, Body::Review { .. }) {
        return Err(refuse("note"));
    }
    match &mut target.body {
        Body::Initial { report, .. } | Body::Followup { report, .. } | Body::Final { report } => {
            if escalation_change {
                return Err(refuse(if c.level.is_some() {
                    "level"
                } else {
                    "channel/contact/reason"
                }));
            }
            apply_report(report, c);
        }
        Body::Review { review } => {
            if report_change || escalation_change {
                return Err(refuse(
                    "text/measures/figures/cause/level/channel/contact/reason",
                ));
            }
            set(&mut review.note, &c.note);
        }
        Body::Escalation { escalation } => {
            if report_change {
                return Err(refuse("text/measures/figures/cause"));
            }
            set(&mut escalation.level, &c.level);
            set(&mut escalation.channel, &c.channel);
            if c.contact.is_some() {
                escalation.contact.clone_from(&c.contact);
            }
            if c.reason.is_some() {
                escalation.reason.clone_from(&c.reason);
            }
            if c.signed_by.is_some() {
                escalation.signed_by.clone_from(&c.signed_by);
            }
        }
        _ => {}
    }
    target.corrected_by.push(by);
    Ok(())
}

/// Whether a correction changes the incident's own facts (only an initial report has them).
fn header_only(c: &Changes) -> bool {
    c.title.is_some()
        || c.kind.is_some()
        || c.occurred.is_some()
        || c.known.is_some()
        || c.location.is_some()
        || c.unit.is_some()
        || c.source.is_some()
        || c.accident_unit.is_some()
}

fn apply_report(report: &mut Report, c: &Changes) {
    set(&mut report.text, &c.text);
    if c.measures.is_some() {
        report.measures.clone_from(&c.measures);
    }
    report
        .figures
        .extend(c.figures.iter().map(|(k, v)| (k.clone(), *v)));
    if c.cause.is_some() {
        report.cause.clone_from(&c.cause);
    }
}

fn set(field: &mut String, value: &Option<String>) {
    if let Some(v) = value {
        field.clone_from(v);
    }
}

fn first_set<'a>(fields: &[(&'a str, bool)]) -> &'a str {
    fields.iter().find(|(_, s)| *s).map_or("", |(f, _)| f)
}
