//! The JSON shapes of DESIGN.md §4–§6: incidents, entries, steps, findings.
//!
//! Keys are snake_case and appear in the documented order; times are RFC 3339 with the rules'
//! offset; durations are whole minutes. `import` reads entries back in exactly this shape
//! (`commands::import`), so a field added here must be read there.

use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::finding::message;
use crate::domain::model::{Body, Cause, Changes, Entry, Figures, Instant, Report};
use crate::domain::replay::History;
use crate::domain::summary::Summary;
use crate::engine::{Evaluation, Finding, StepEval};
use crate::rules::{Duty, Rules, Stage};
use crate::tz::rfc3339;

fn time(tz: Tz, t: Instant) -> Value {
    Value::String(rfc3339(tz, t))
}

fn opt_time(tz: Tz, t: Option<Instant>) -> Value {
    t.map_or(Value::Null, |t| time(tz, t))
}

fn figures(f: &Figures) -> Value {
    Value::Object(f.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

fn cause(c: &Option<Cause>) -> Value {
    c.as_ref().map_or(
        Value::Null,
        |c| json!({"text": c.text, "status": c.status.as_str()}),
    )
}

/// `{"id","title","kind","severity","status","occurred","known","closed","location","unit","figures","rules"}`.
pub fn incident(s: &Summary, tz: Tz) -> Value {
    json!({
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        "severity": s.severity,
        "status": if s.is_open() { "open" } else { "closed" },
        "occurred": time(tz, s.occurred),
        "known": time(tz, s.known),
        "closed": opt_time(tz, s.closed),
        "location": s.location,
        "unit": s.unit,
        "figures": figures(&s.figures),
        "rules": s.rules,
    })
}

/// One entry, as recorded (the original values; corrections are entries of their own and name
/// what they correct). `corrected_by` lists the corrections that apply to it.
pub fn entry(e: &Entry, corrected_by: &[u32], tz: Tz) -> Value {
    let mut m = Map::new();
    m.insert("n".into(), json!(e.n));
    m.insert("type".into(), json!(e.body.entry_type().as_str()));
    m.insert("at".into(), time(tz, e.at));
    m.insert("recorded".into(), time(tz, e.recorded));
    m.insert("by".into(), json!(e.by));
    m.insert("backfilled".into(), json!(e.backfilled()));
    m.insert("imported".into(), json!(e.imported));
    m.insert("hash".into(), json!(e.hash));
    m.insert("os_user".into(), json!(e.os_user));
    m.insert("simulated_clock".into(), json!(e.simulated));
    match &e.body {
        Body::Initial {
            header,
            report,
            severity,
            ..
        } => {
            m.insert("title".into(), json!(header.title));
            m.insert("kind".into(), json!(header.kind));
            m.insert("occurred".into(), time(tz, header.occurred));
            m.insert("known".into(), time(tz, header.known));
            m.insert("location".into(), json!(header.location));
            m.insert("unit".into(), json!(header.unit));
            m.insert("declared_severity".into(), json!(severity));
            report_fields(&mut m, report, Stage::Initial);
        }
        Body::Followup { report, severity } => {
            report_fields(&mut m, report, Stage::Followup);
            m.insert("declared_severity".into(), json!(severity));
        }
        Body::Final { report } => report_fields(&mut m, report, Stage::Final),
        Body::Escalation { escalation } => {
            m.insert("level".into(), json!(escalation.level));
            m.insert("channel".into(), json!(escalation.channel));
            m.insert("contact".into(), json!(escalation.contact));
            m.insert("reason".into(), json!(escalation.reason));
        }
        Body::Reclassification {
            from,
            to,
            reported_in,
        } => {
            m.insert("from".into(), json!(from));
            m.insert("to".into(), json!(to));
            m.insert("reported_in".into(), json!(reported_in));
        }
        Body::Correction {
            corrects,
            reason,
            changes,
        } => {
            m.insert("corrects".into(), json!(corrects));
            m.insert("reason".into(), json!(reason));
            m.insert("changes".into(), self::changes(changes, tz));
        }
    }
    if !corrected_by.is_empty() {
        m.insert("corrected_by".into(), json!(corrected_by));
    }
    Value::Object(m)
}

fn report_fields(m: &mut Map<String, Value>, r: &Report, stage: Stage) {
    m.insert(stage.text_field().as_str().into(), json!(r.text));
    m.insert("measures".into(), json!(r.measures));
    m.insert("figures".into(), figures(&r.figures));
    m.insert("cause".into(), cause(&r.cause));
}

fn changes(c: &Changes, tz: Tz) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    };
    put("at", opt_time(tz, c.at));
    put("title", json!(c.title));
    put("kind", json!(c.kind));
    put("occurred", opt_time(tz, c.occurred));
    put("known", opt_time(tz, c.known));
    put("location", json!(c.location));
    put("unit", json!(c.unit));
    put("severity", json!(c.severity));
    put("text", json!(c.text));
    put("measures", json!(c.measures));
    if !c.figures.is_empty() {
        put("figures", figures(&c.figures));
    }
    put("cause", cause(&c.cause));
    put("level", json!(c.level));
    put("channel", json!(c.channel));
    put("contact", json!(c.contact));
    put("reason", json!(c.reason));
    Value::Object(m)
}

/// `{"step","level","channel","due","done","status"}`.
pub fn step(s: &StepEval, rules: &Rules, tz: Tz) -> Value {
    let step = &rules.steps[s.step];
    let (level, channel) = match &step.duty {
        Duty::Escalate { level, channel } => (
            Value::String(rules.levels[*level].id.clone()),
            json!(channel),
        ),
        Duty::Report(_) => (Value::Null, Value::Null),
    };
    json!({
        "step": step.id,
        "level": level,
        "channel": channel,
        "due": opt_time(tz, s.due),
        "done": opt_time(tz, s.done),
        "status": s.status.as_str(),
    })
}

/// `{"incident","kind","step","level","channel","due","done","minutes","reason","message"}`.
pub fn finding(incident: &str, f: &Finding, rules: &Rules, tz: Tz) -> Value {
    json!({
        "incident": incident,
        "kind": f.kind.as_str(),
        "step": f.step,
        "level": f.level,
        "channel": f.channel,
        "due": opt_time(tz, f.due),
        "done": opt_time(tz, f.done),
        "minutes": f.minutes,
        "reason": f.reason.map(|r| r.as_str()),
        "message": message(f, rules),
    })
}

/// An incident with its entries and steps: the shape of `show --format json` and of each
/// `export` line.
pub fn incident_full(
    s: &Summary,
    entries: &[Entry],
    h: &History,
    eval: &Evaluation,
    rules: &Rules,
) -> Value {
    let tz = rules.tz;
    let mut v = incident(s, tz);
    if let Value::Object(m) = &mut v {
        m.insert("rules_name".into(), json!(rules.name));
        let entries: Vec<Value> = entries
            .iter()
            .map(|e| {
                let by = h
                    .entry(e.n)
                    .map(|x| x.corrected_by.as_slice())
                    .unwrap_or_default();
                entry(e, by, tz)
            })
            .collect();
        m.insert("entries".into(), Value::Array(entries));
        m.insert(
            "steps".into(),
            Value::Array(eval.steps.iter().map(|st| step(st, rules, tz)).collect()),
        );
    }
    v
}
