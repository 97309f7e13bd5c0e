//! Reading the public JSON shape back: one exported incident (a line of `export`, or of an older
//! ledger converted to that shape) into entry bodies. The inverse of `render::json`.
//!
//! Rules: what `import` accepts is what the commands accept. Lines are read into the mirrors of
//! `shape` (unknown and repeated keys refused at every level), then every value is held to the
//! rules of typed input, with messages that name the entry and the key: one-line fields as
//! one-line text, times between 1970 and 2100, no claimed time in the future, no entry recorded
//! more than [`FUTURE_SLACK_SECS`] before the time it claims. Reclassification entries are
//! dropped: `import` derives them again from the figures, as the commands do.

use chrono::DateTime;

use super::shape::{CauseJson, CoveredJson, EntryJson, LineJson, StrictFigures};
use crate::domain::model::{
    Body, Cause, CauseStatus, Changes, Covered, Escalation, Figures, Header, Instant, Report,
    Review,
};
use crate::domain::text::{clean_line, clean_text, escape_os_user};
use crate::domain::when::{FUTURE_SLACK_SECS, in_range};
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

/// Where in the input, for messages (in both languages: a Chinese message names the entry in
/// Chinese), and the moment "the future" starts.
struct At<'a> {
    what: &'a Msg,
    now: Instant,
}

/// What a key's value should have been, as a message says it.
#[derive(Debug, Clone, Copy)]
enum Expected {
    Text,
    List,
    Object,
    Whole,
    Time,
    Certainty,
}

impl Expected {
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Expected::Text => ("a string", "字符串"),
            Expected::List => ("an array", "数组"),
            Expected::Object => ("an object", "对象"),
            Expected::Whole => ("a whole number", "整数"),
            Expected::Time => ("an RFC 3339 time", "RFC 3339 格式的时间"),
            // The values as typed, set off from the Chinese before them as code spans are.
            Expected::Certainty => (
                "unknown, preliminary or confirmed",
                " `unknown`、`preliminary` 或 `confirmed` 之一",
            ),
        }
    }
}

impl At<'_> {
    fn missing(&self, key: &str, expected: Expected) -> Msg {
        let (what_en, what_zh) = (&self.what.en, &self.what.zh);
        let (en, zh) = expected.texts();
        msg!(
            "{what_en}: `{key}` is missing or not {en}",
            "{what_zh}：`{key}` 缺失或不是{zh}"
        )
    }

    fn need<T>(&self, v: Option<T>, key: &str, expected: Expected) -> R<T> {
        v.ok_or_else(|| self.missing(key, expected))
    }

    fn located(&self, m: Msg) -> Msg {
        let (what_en, what_zh, en, zh) = (&self.what.en, &self.what.zh, m.en, m.zh);
        msg!("{what_en}: {en}", "{what_zh}：{zh}")
    }

    /// Required multi-line text, held to the rules of typed text.
    fn text(&self, v: Option<String>, key: &str) -> R<String> {
        let s = self.need(v, key, Expected::Text)?;
        clean_text(&format!("`{key}`"), &s).map_err(|m| self.located(m))
    }

    fn opt_text(&self, v: Option<String>, key: &str) -> R<Option<String>> {
        v.map(|s| self.text(Some(s), key)).transpose()
    }

    /// Required one-line text (a title, a name, an id).
    fn line(&self, v: Option<String>, key: &str) -> R<String> {
        let s = self.need(v, key, Expected::Text)?;
        clean_line(&format!("`{key}`"), &s).map_err(|m| self.located(m))
    }

    fn opt_line(&self, v: Option<String>, key: &str) -> R<Option<String>> {
        v.map(|s| self.line(Some(s), key)).transpose()
    }

    fn time(&self, v: Option<String>, key: &str) -> R<Instant> {
        let s = self.need(v, key, Expected::Time)?;
        self.parse_time(&s, key)
    }

    fn opt_time(&self, v: Option<String>, key: &str) -> R<Option<Instant>> {
        v.map(|s| self.parse_time(&s, key)).transpose()
    }

    /// An RFC 3339 time between 1970 and 2100 and not in the future.
    fn parse_time(&self, s: &str, key: &str) -> R<Instant> {
        let t = DateTime::parse_from_rfc3339(s)
            .map(|t| crate::tz::whole_seconds(t.to_utc()))
            .map_err(|_| self.missing(key, Expected::Time))?;
        let t = in_range(s, t).map_err(|m| self.located(m))?;
        if (t - self.now).num_seconds() > FUTURE_SLACK_SECS {
            let (what_en, what_zh) = (&self.what.en, &self.what.zh);
            return Err(msg!(
                "{what_en}: `{key}` {s} is in the future: an imported record holds what happened",
                "{what_zh}：`{key}` {s} 是将来的时间：导入的记录只能是已发生的事"
            ));
        }
        Ok(t)
    }

    fn figures(&self, f: Option<StrictFigures>) -> Figures {
        f.map(|f| f.0).unwrap_or_default()
    }

    fn cause(&self, c: Option<CauseJson>, key: &str) -> R<Option<Cause>> {
        let Some(c) = c else { return Ok(None) };
        let status = self.need(c.status, &format!("{key}.status"), Expected::Text)?;
        let status = CauseStatus::parse(&status)
            .ok_or_else(|| self.missing(&format!("{key}.status"), Expected::Certainty))?;
        let text = match (status, c.text) {
            // A cause of unknown certainty needs no words.
            (CauseStatus::Unknown, None) => String::new(),
            (_, text) => self.text(text, &format!("{key}.text"))?,
        };
        Ok(Some(Cause { text, status }))
    }
}

/// Reads one line: an incident object. `now` is when the import runs.
pub fn incident(line: &str, now: Instant) -> R<InIncident> {
    // serde would read a struct from an array too; an incident is an object.
    if !line.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
    {
        return Err(msg!(
            "not a JSON object of an incident: each line is one incident, as `sitrep export` writes it",
            "不是事件的 JSON 对象：每行应为一起事件，格式同 `sitrep export` 的输出"
        ));
    }
    let parsed: LineJson = serde_json::from_str(line).map_err(|e| {
        use serde_json::error::Category;
        let text = e.to_string();
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                msg!("not valid JSON ({text})", "不是有效的 JSON（{text}）")
            }
            Category::Data => msg!(
                "not an incident as `sitrep export` writes it ({text})",
                "不是 `sitrep export` 格式的事件（{text}）"
            ),
        }
    })?;
    let incident = msg!("incident", "事件");
    let top = At {
        what: &incident,
        now,
    };
    let id = top.line(parsed.id, "id")?;
    let list = top.need(parsed.entries, "entries", Expected::List)?;
    let mut entries = Vec::with_capacity(list.len());
    for (i, e) in list.into_iter().enumerate() {
        let n = e.n.unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX));
        let what = msg!("{id} entry {n}", "{id} 第 {n} 条记录");
        if let Some(e) = entry(&At { what: &what, now }, e)? {
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
        figures: a.figures(e.figures.take()),
        cause: a.cause(e.cause.take(), "cause")?,
    })
}

fn covered(a: &At<'_>, c: CoveredJson) -> R<Covered> {
    Ok(Covered {
        kind: a.line(c.kind, "covers.kind")?,
        step: a.line(c.step, "covers.step")?,
        reason: a.opt_line(c.reason, "covers.reason")?,
        entry: c.entry,
        due: a.opt_time(c.due, "covers.due")?,
        done: a.opt_time(c.done, "covers.done")?,
        minutes: c.minutes,
        missing: c.missing.unwrap_or_default(),
    })
}

fn entry(a: &At<'_>, mut e: EntryJson) -> R<Option<InEntry>> {
    let ty = a.line(e.ty.take(), "type")?;
    let body = match ty.as_str() {
        "initial" => Body::Initial {
            header: Header {
                title: a.line(e.title.take(), "title")?,
                kind: a.line(e.kind.take(), "kind")?,
                occurred: a.time(e.occurred.take(), "occurred")?,
                known: a.time(e.known.take(), "known")?,
                location: a.line(e.location.take(), "location")?,
                unit: a.line(e.unit.take(), "unit")?,
                source: a.opt_line(e.source.take(), "source")?,
                accident_unit: a.opt_text(e.accident_unit.take(), "accident_unit")?,
            },
            report: report(a, &mut e, Stage::Initial)?,
            severity: a.opt_line(e.declared_severity.take(), "declared_severity")?,
            rules: String::new(),
        },
        "followup" => Body::Followup {
            report: report(a, &mut e, Stage::Followup)?,
            severity: a.opt_line(e.declared_severity.take(), "declared_severity")?,
        },
        "final" => Body::Final {
            report: report(a, &mut e, Stage::Final)?,
        },
        "escalation" => Body::Escalation {
            escalation: Escalation {
                level: a.line(e.level.take(), "level")?,
                channel: a.line(e.channel.take(), "channel")?,
                contact: a.opt_line(e.contact.take(), "contact")?,
                reason: a.opt_text(e.reason.take(), "reason")?,
                signed_by: a.opt_line(e.signed_by.take(), "signed_by")?,
            },
        },
        "reclassification" => return Ok(None),
        "review" => Body::Review {
            review: Review {
                step: a.opt_line(e.step.take(), "step")?,
                finding: a.opt_line(e.finding.take(), "finding")?,
                reason: a.opt_line(e.skip_reason.take(), "skip_reason")?,
                note: a.text(e.note.take(), "note")?,
                covers: e
                    .covers
                    .take()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| covered(a, c))
                    .collect::<R<Vec<_>>>()?,
            },
        },
        "correction" => {
            let c = a.need(e.changes.take(), "changes", Expected::Object)?;
            Body::Correction {
                corrects: a.need(e.corrects, "corrects", Expected::Whole)?,
                reason: a.text(e.reason.take(), "reason")?,
                changes: Changes {
                    at: a.opt_time(c.at, "changes.at")?,
                    title: a.opt_line(c.title, "changes.title")?,
                    kind: a.opt_line(c.kind, "changes.kind")?,
                    occurred: a.opt_time(c.occurred, "changes.occurred")?,
                    known: a.opt_time(c.known, "changes.known")?,
                    location: a.opt_line(c.location, "changes.location")?,
                    unit: a.opt_line(c.unit, "changes.unit")?,
                    source: a.opt_line(c.source, "changes.source")?,
                    accident_unit: a.opt_text(c.accident_unit, "changes.accident_unit")?,
                    severity: a.opt_line(c.severity, "changes.severity")?,
                    text: a.opt_text(c.text, "changes.text")?,
                    measures: a.opt_text(c.measures, "changes.measures")?,
                    figures: a.figures(c.figures),
                    cause: a.cause(c.cause, "changes.cause")?,
                    level: a.opt_line(c.level, "changes.level")?,
                    channel: a.opt_line(c.channel, "changes.channel")?,
                    contact: a.opt_line(c.contact, "changes.contact")?,
                    signed_by: a.opt_line(c.signed_by, "changes.signed_by")?,
                    reason: a.opt_text(c.reason, "changes.reason")?,
                    note: a.opt_text(c.note, "changes.note")?,
                },
            }
        }
        other => {
            let (what_en, what_zh) = (&a.what.en, &a.what.zh);
            return Err(msg!(
                "{what_en}: unknown type `{other}`; the types are initial, followup, escalation, reclassification, final, correction, review",
                "{what_zh}：未知的类别 `{other}`；可用 `initial`、`followup`、`escalation`、`reclassification`、`final`、`correction`、`review`"
            ));
        }
    };
    let at = a.time(e.at.take(), "at")?;
    let recorded = a.opt_time(e.recorded.take(), "recorded")?.unwrap_or(at);
    if (at - recorded).num_seconds() > FUTURE_SLACK_SECS {
        let (what_en, what_zh) = (&a.what.en, &a.what.zh);
        let (at, rec) = (
            crate::tz::rfc3339(chrono_tz::UTC, at),
            crate::tz::rfc3339(chrono_tz::UTC, recorded),
        );
        return Err(msg!(
            "{what_en}: recorded {rec}, more than 5 minutes before the time it claims ({at}): nothing is recorded before it happens",
            "{what_zh}：记录时间 {rec} 早于其所称时间 {at} 超过5分钟：事情发生之前不可能记录"
        ));
    }
    Ok(Some(InEntry {
        n: a.need(e.n, "n", Expected::Whole)?,
        at,
        recorded,
        by: a
            .opt_line(e.by.take(), "by")?
            .unwrap_or_else(|| "import".to_owned()),
        os_user: e
            .os_user
            .take()
            .filter(|u| !u.is_empty())
            .map(|u| escape_os_user(&u))
            .unwrap_or_default(),
        simulated: e.simulated_clock.unwrap_or(false),
        body,
    }))
}
