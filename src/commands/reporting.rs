//! The path `update` and `close` share: a follow-up (续报) and a final report (终报) differ only
//! in their stage. The incident's pinned rules are read first, so bad input is refused before
//! anything more is asked or attempted; the report is then recorded in one write on the same
//! store.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::input::{self, Ask, Need};
use super::record::{self, Draft, Stamp};
use super::report_flags::ReportFlags;
use crate::context::Ctx;
use crate::domain::model::Body;
use crate::domain::text::clean_text;
use crate::domain::when::parse_when;
use crate::error::{Exit, refuse};
use crate::i18n::Label;
use crate::rules::Stage;

/// Records a follow-up or final report.
#[allow(clippy::too_many_arguments)]
pub fn report(
    ctx: &Ctx,
    stage: Stage,
    id: &str,
    mut text: Option<String>,
    severity: Option<String>,
    mut flags: ReportFlags,
    at: Option<String>,
    edit: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    // A bad name is refused before anything is asked.
    ctx.actor()?;
    let (flag, label) = match stage {
        Stage::Final => ("--summary", Label::Summary),
        _ => ("--progress", Label::Progress),
    };
    if edit {
        input::edit(
            ctx,
            &mut [
                (label.text(), &mut text),
                (Label::Measures.text(), &mut flags.measures),
            ],
        )?;
    }
    input::fill(
        ctx,
        vec![Need {
            flag,
            prompt: crate::i18n::Msg::new(label.texts().0, label.texts().1),
            ask: Ask::Text,
            value: &mut text,
        }],
    )?;
    let text = clean_text(flag, text.as_deref().unwrap_or_default()).map_err(refuse)?;

    let draft = Draft {
        command: if stage == Stage::Final {
            "close"
        } else {
            "update"
        },
        fields: json!({
            "id": id, "text": text, "at": at, "severity": severity, "report": flags.to_json(),
        }),
    };
    // The incident's pinned rules decide the zone, the figures and the checks; read them
    // first, without writing, so bad input is refused before anything is attempted.
    let (mut store, actor) = super::open::write(ctx, None, false, &draft)?;
    let read = record::read(ctx, &mut store, id)?;
    let (rules, history) = (read.rules, read.history);
    if let Some(closed) = history.closed {
        return Err(record::closed_error(id, closed, &rules));
    }
    let at_time = match &at {
        Some(t) => parse_when(t, ctx.now, rules.tz).map_err(refuse)?,
        None => ctx.now,
    };
    let severity = severity
        .as_deref()
        .map(|s| rules.severity_id(s))
        .transpose()
        .map_err(refuse)?;
    let report = flags.report(text.clone(), &rules)?;
    let body = match stage {
        Stage::Final => Body::Final { report },
        _ => Body::Followup {
            report,
            severity: severity.clone(),
        },
    };
    let rec = record::write(ctx, &mut store, &draft, |tx| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::append(ctx, tx, id, at_time, &stamp, body.clone())
    })?;
    deadlines::print(ctx, format, &rec, at_time, out)?;
    Ok(Exit::Success)
}
