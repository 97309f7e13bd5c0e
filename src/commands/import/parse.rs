//! Reading the public JSON shape back: one exported incident (a line of `export`, or of an older
//! ledger converted to that shape) into entry bodies. The inverse of `render::json`.
//!
//! Reclassification entries are dropped: `import` derives them again from the figures, like the
//! commands do. Every error names the entry and the key, and what was expected.

use chrono::DateTime;
use serde_json::{Map, Value};

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

struct At<'a> {
    obj: &'a Map<String, Value>,
    what: String,
}

impl At<'_> {
    fn missing(&self, key: &str, expected: &str) -> Msg {
        let what = &self.what;
        msg!(
            "{what}: `{key}` is missing or not {expected}",
            "{what}：“{key}”缺失或不是{expected}"
        )
    }

    fn str(&self, key: &str) -> R<String> {
        self.obj
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| self.missing(key, "a string"))
    }

    fn opt_str(&self, key: &str) -> R<Option<String>> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.missing(key, "a string or null")),
        }
    }

    fn time(&self, key: &str) -> R<Instant> {
        let s = self.str(key)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| crate::tz::whole_seconds(t.to_utc()))
            .map_err(|_| self.missing(key, "an RFC 3339 time"))
    }

    fn opt_time(&self, key: &str) -> R<Option<Instant>> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.time(key).map(Some),
        }
    }

    fn u32(&self, key: &str) -> R<u32> {
        self.obj
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| self.missing(key, "a whole number"))
    }

    fn figures(&self, key: &str) -> R<Figures> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(Figures::new()),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| {
                    v.as_i64()
                        .map(|v| (k.clone(), v))
                        .ok_or_else(|| self.missing(&format!("{key}.{k}"), "a whole number"))
                })
                .collect(),
            Some(_) => Err(self.missing(key, "an object of figures")),
        }
    }

    fn cause(&self, key: &str) -> R<Option<Cause>> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => {
                let c = At {
                    obj: m,
                    what: format!("{} {key}", self.what),
                };
                let status = c.str("status")?;
                let status = CauseStatus::parse(&status)
                    .ok_or_else(|| c.missing("status", "unknown, preliminary or confirmed"))?;
                Ok(Some(Cause {
                    text: c.str("text")?,
                    status,
                }))
            }
            Some(_) => Err(self.missing(key, "an object {\"text\",\"status\"}")),
        }
    }

    fn report(&self, stage: Stage) -> R<Report> {
        Ok(Report {
            text: self.str(stage.text_field().as_str())?,
            measures: self.opt_str("measures")?,
            figures: self.figures("figures")?,
            cause: self.cause("cause")?,
        })
    }
}

/// Reads one incident object.
pub fn incident(v: &Value) -> R<InIncident> {
    let obj = v.as_object().ok_or_else(|| {
        msg!(
            "not a JSON object: each line is one incident, as `sitrep export` writes it",
            "不是 JSON 对象：每行应为一起事件，格式同 `sitrep export` 的输出"
        )
    })?;
    let top = At {
        obj,
        what: "incident".to_owned(),
    };
    let id = top.str("id")?;
    let rules = top.opt_str("rules")?.unwrap_or_default();
    let list = obj
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| top.missing("entries", "an array"))?;
    let mut entries = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let obj = e.as_object().ok_or_else(|| {
            let k = i + 1;
            msg!("entry {k} is not an object", "第 {k} 条记录不是对象")
        })?;
        let n = obj.get("n").and_then(Value::as_u64).unwrap_or(i as u64 + 1);
        let at = At {
            obj,
            what: format!("{id} entry {n}"),
        };
        if let Some(e) = entry(&at)? {
            entries.push(e);
        }
    }
    Ok(InIncident { id, rules, entries })
}

fn entry(a: &At<'_>) -> R<Option<InEntry>> {
    let ty = a.str("type")?;
    let body = match ty.as_str() {
        "initial" => Body::Initial {
            header: Header {
                title: a.str("title")?,
                kind: a.str("kind")?,
                occurred: a.time("occurred")?,
                known: a.time("known")?,
                location: a.str("location")?,
                unit: a.str("unit")?,
            },
            report: a.report(Stage::Initial)?,
            severity: a.opt_str("declared_severity")?,
            rules: String::new(),
        },
        "followup" => Body::Followup {
            report: a.report(Stage::Followup)?,
            severity: a.opt_str("declared_severity")?,
        },
        "final" => Body::Final {
            report: a.report(Stage::Final)?,
        },
        "escalation" => Body::Escalation {
            escalation: Escalation {
                level: a.str("level")?,
                channel: a.str("channel")?,
                contact: a.opt_str("contact")?,
                reason: a.opt_str("reason")?,
            },
        },
        "reclassification" => return Ok(None),
        "correction" => {
            let changes = match a.obj.get("changes") {
                Some(Value::Object(m)) => changes(&At {
                    obj: m,
                    what: format!("{} changes", a.what),
                })?,
                _ => return Err(a.missing("changes", "an object")),
            };
            Body::Correction {
                corrects: a.u32("corrects")?,
                reason: a.str("reason")?,
                changes,
            }
        }
        other => {
            let what = &a.what;
            return Err(msg!(
                "{what}: unknown type `{other}`; the types are initial, followup, escalation, reclassification, final, correction",
                "{what}：未知的类别“{other}”；可用 initial、followup、escalation、reclassification、final、correction"
            ));
        }
    };
    let at = a.time("at")?;
    Ok(Some(InEntry {
        n: a.u32("n")?,
        at,
        recorded: a.opt_time("recorded")?.unwrap_or(at),
        by: a.opt_str("by")?.unwrap_or_else(|| "import".to_owned()),
        os_user: a.opt_str("os_user")?.unwrap_or_default(),
        simulated: a
            .obj
            .get("simulated_clock")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        body,
    }))
}

fn changes(c: &At<'_>) -> R<Changes> {
    let figures = c.figures("figures")?;
    Ok(Changes {
        at: c.opt_time("at")?,
        title: c.opt_str("title")?,
        kind: c.opt_str("kind")?,
        occurred: c.opt_time("occurred")?,
        known: c.opt_time("known")?,
        location: c.opt_str("location")?,
        unit: c.opt_str("unit")?,
        severity: c.opt_str("severity")?,
        text: c.opt_str("text")?,
        measures: c.opt_str("measures")?,
        figures,
        cause: c.cause("cause")?,
        level: c.opt_str("level")?,
        channel: c.opt_str("channel")?,
        contact: c.opt_str("contact")?,
        reason: c.opt_str("reason")?,
    })
}
