//! Reading the public JSON shape back: one exported incident (a line of `export`, or of an older
//! ledger converted to that shape) into entry bodies. The inverse of `render::json`.
//!
//! Lines are read straight into typed mirrors of the shape (keys `export` writes that import does
//! not need, such as hashes, are skipped), then checked per entry type with messages that name
//! the entry and the key. Reclassification entries are dropped: `import` derives them again from
//! the figures, as the commands do.

use chrono::DateTime;
use serde::Deserialize;

use crate::domain::model::{
    Body, Cause, CauseStatus, Changes, Escalation, Figures, Header, Instant, Report,
};
use crate::i18n::Msg;
use crate::msg;
use crate::rules::Stage;

/// One entry as read.
#[derive(Debug, Clone)]
pub struct InEntry {
    /// Its number in the input (corrections refer to these).
    pub n: u32,
    pub at: Instant,
    pub recorded: Instant,
    pub by: String,
    pub os_user: String,
    pub simulated: bool,
    pub body: Body,
}

/// One incident as read.
#[derive(Debug, Clone)]
pub struct InIncident {
    pub id: String,
    pub rules: String,
    pub entries: Vec<InEntry>,
}

type R<T> = Result<T, Msg>;

#[derive(Deserialize)]
struct LineJson {
    id: Option<String>,
    rules: Option<String>,
    entries: Option<Vec<EntryJson>>,
}

#[derive(Deserialize)]
struct CauseJson {
    text: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize, Default)]
struct EntryJson {
    n: Option<u32>,
    #[serde(rename = "type")]
    ty: Option<String>,
    at: Option<String>,
    recorded: Option<String>,
    by: Option<String>,
    os_user: Option<String>,
    simulated_clock: Option<bool>,
    title: Option<String>,
    kind: Option<String>,
    occurred: Option<String>,
    known: Option<String>,
    location: Option<String>,
    unit: Option<String>,
    declared_severity: Option<String>,
    facts: Option<String>,
    progress: Option<String>,
    summary: Option<String>,
    measures: Option<String>,
    figures: Option<Figures>,
    cause: Option<CauseJson>,
    level: Option<String>,
    channel: Option<String>,
    contact: Option<String>,
    reason: Option<String>,
    corrects: Option<u32>,
    changes: Option<ChangesJson>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ChangesJson {
    at: Option<String>,
    title: Option<String>,
    kind: Option<String>,
    occurred: Option<String>,
    known: Option<String>,
    location: Option<String>,
    unit: Option<String>,
    severity: Option<String>,
    text: Option<String>,
    measures: Option<String>,
    figures: Option<Figures>,
    cause: Option<CauseJson>,
    level: Option<String>,
    channel: Option<String>,
    contact: Option<String>,
    reason: Option<String>,
}

/// Where in the input, for messages.
struct At<'a>(&'a str);

impl At<'_> {
    fn missing(&self, key: &str, expected: &str) -> Msg {
        let what = self.0;
        msg!(
            "{what}: `{key}` is missing or not {expected}",
            "{what}：“{key}”缺失或不是{expected}"
        )
    }

    fn need<T>(&self, v: Option<T>, key: &str, expected: &str) -> R<T> {
        v.ok_or_else(|| self.missing(key, expected))
    }

    /// A required text, held to the same rules as typed text (no control characters, no
    /// bidirectional overrides, not empty, not over 64 KiB).
    fn text(&self, v: Option<String>, key: &str) -> R<String> {
        let s = self.need(v, key, "a string")?;
        self.clean(&s, key)
    }

    fn opt_text(&self, v: Option<String>, key: &str) -> R<Option<String>> {
        v.map(|s| self.clean(&s, key)).transpose()
    }

    fn clean(&self, s: &str, key: &str) -> R<String> {
        crate::domain::text::clean_text(&format!("`{key}`"), s).map_err(|m| {
            let (what, en, zh) = (self.0, m.en, m.zh);
            msg!("{what}: {en}", "{what}：{zh}")
        })
    }

    fn time(&self, v: Option<String>, key: &str) -> R<Instant> {
        let s = self.need(v, key, "an RFC 3339 time")?;
        self.parse_time(&s, key)
    }

    fn opt_time(&self, v: Option<String>, key: &str) -> R<Option<Instant>> {
        v.map(|s| self.parse_time(&s, key)).transpose()
    }

    fn parse_time(&self, s: &str, key: &str) -> R<Instant> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| crate::tz::whole_seconds(t.to_utc()))
            .map_err(|_| self.missing(key, "an RFC 3339 time"))
    }

    fn cause(&self, c: Option<CauseJson>, key: &str) -> R<Option<Cause>> {
        let Some(c) = c else { return Ok(None) };
        let status = self.need(c.status, &format!("{key}.status"), "a string")?;
        let status = CauseStatus::parse(&status).ok_or_else(|| {
            self.missing(
                &format!("{key}.status"),
                "unknown, preliminary or confirmed",
            )
        })?;
        Ok(Some(Cause {
            text: self.text(c.text, &format!("{key}.text"))?,
            status,
        }))
    }
}

/// Reads one line: an incident object.
pub fn incident(line: &str) -> R<InIncident> {
    let parsed: LineJson = serde_json::from_str(line).map_err(|e| {
        let e = e.to_string();
        if e.contains("expected struct") || e.contains("invalid type") {
            msg!(
                "not a JSON object of an incident ({e}): each line is one incident, as `sitrep export` writes it",
                "不是事件的 JSON 对象（{e}）：每行应为一起事件，格式同 `sitrep export` 的输出"
            )
        } else {
            msg!("not valid JSON ({e})", "不是有效的 JSON（{e}）")
        }
    })?;
    let top = At("incident");
    let id = top.text(parsed.id, "id")?;
    let list = top.need(parsed.entries, "entries", "an array")?;
    let mut entries = Vec::with_capacity(list.len());
    for (i, e) in list.into_iter().enumerate() {
        let n = e.n.unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX));
        let what = format!("{id} entry {n}");
        if let Some(e) = entry(&At(&what), e)? {
            entries.push(e);
        }
    }
    Ok(InIncident {
        id,
        rules: parsed.rules.unwrap_or_default(),
        entries,
    })
}

fn report(a: &At<'_>, e: &mut EntryJson, stage: Stage) -> R<Report> {
    let key = stage.text_field().as_str();
    let text = match stage {
        Stage::Initial => e.facts.take(),
        Stage::Followup => e.progress.take(),
        Stage::Final => e.summary.take(),
    };
    Ok(Report {
        text: a.text(text, key)?,
        measures: a.opt_text(e.measures.take(), "measures")?,
        figures: e.figures.take().unwrap_or_default(),
        cause: a.cause(e.cause.take(), "cause")?,
    })
}

fn entry(a: &At<'_>, mut e: EntryJson) -> R<Option<InEntry>> {
    let ty = a.text(e.ty.take(), "type")?;
    let body = match ty.as_str() {
        "initial" => Body::Initial {
            header: Header {
                title: a.text(e.title.take(), "title")?,
                kind: a.text(e.kind.take(), "kind")?,
                occurred: a.time(e.occurred.take(), "occurred")?,
                known: a.time(e.known.take(), "known")?,
                location: a.text(e.location.take(), "location")?,
                unit: a.text(e.unit.take(), "unit")?,
            },
            report: report(a, &mut e, Stage::Initial)?,
            severity: a.opt_text(e.declared_severity.take(), "declared_severity")?,
            rules: String::new(),
        },
        "followup" => Body::Followup {
            report: report(a, &mut e, Stage::Followup)?,
            severity: a.opt_text(e.declared_severity.take(), "declared_severity")?,
        },
        "final" => Body::Final {
            report: report(a, &mut e, Stage::Final)?,
        },
        "escalation" => Body::Escalation {
            escalation: Escalation {
                level: a.text(e.level.take(), "level")?,
                channel: a.text(e.channel.take(), "channel")?,
                contact: a.opt_text(e.contact.take(), "contact")?,
                reason: a.opt_text(e.reason.take(), "reason")?,
            },
        },
        "reclassification" => return Ok(None),
        "correction" => {
            let c = a.need(e.changes.take(), "changes", "an object")?;
            Body::Correction {
                corrects: a.need(e.corrects, "corrects", "a whole number")?,
                reason: a.text(e.reason.take(), "reason")?,
                changes: Changes {
                    at: a.opt_time(c.at, "changes.at")?,
                    title: a.opt_text(c.title, "changes.title")?,
                    kind: a.opt_text(c.kind, "changes.kind")?,
                    occurred: a.opt_time(c.occurred, "changes.occurred")?,
                    known: a.opt_time(c.known, "changes.known")?,
                    location: a.opt_text(c.location, "changes.location")?,
                    unit: a.opt_text(c.unit, "changes.unit")?,
                    severity: a.opt_text(c.severity, "changes.severity")?,
                    text: a.opt_text(c.text, "changes.text")?,
                    measures: a.opt_text(c.measures, "changes.measures")?,
                    figures: c.figures.unwrap_or_default(),
                    cause: a.cause(c.cause, "changes.cause")?,
                    level: a.opt_text(c.level, "changes.level")?,
                    channel: a.opt_text(c.channel, "changes.channel")?,
                    contact: a.opt_text(c.contact, "changes.contact")?,
                    reason: a.opt_text(c.reason, "changes.reason")?,
                },
            }
        }
        other => {
            let what = a.0;
            return Err(msg!(
                "{what}: unknown type `{other}`; the types are initial, followup, escalation, reclassification, final, correction",
                "{what}：未知的类别“{other}”；可用 initial、followup、escalation、reclassification、final、correction"
            ));
        }
    };
    let at = a.time(e.at.take(), "at")?;
    Ok(Some(InEntry {
        n: a.need(e.n, "n", "a whole number")?,
        at,
        recorded: a.opt_time(e.recorded.take(), "recorded")?.unwrap_or(at),
        by: a
            .opt_text(e.by.take(), "by")?
            .unwrap_or_else(|| "import".to_owned()),
        os_user: match e.os_user.take().filter(|u| !u.is_empty()) {
            Some(u) => a.clean(&u, "os_user")?,
            None => String::new(),
        },
        simulated: e.simulated_clock.unwrap_or(false),
        body,
    }))
}
