//! The JSON shapes of DESIGN.md §4–§6: incidents, entries, steps, findings.
//!
//! Keys are snake_case and appear in the documented order; times are RFC 3339 with the rules'
//! offset; durations are whole minutes. The views below serialize straight to the output (no
//! intermediate `Value` tree), which matters for a digest of a thousand open incidents.
//! `import` reads entries back in exactly this shape (`commands::import::parse`), so a field
//! added here must be read there.

use chrono_tz::Tz;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::finding::message;
use crate::domain::model::{Body, Cause, Changes, Entry, Instant, Report};
use crate::domain::replay::History;
use crate::domain::row::IncidentRow;
use crate::engine::{Evaluation, Finding, StepEval};
use crate::rules::{Duty, Rules, Stage};
use crate::tz::rfc3339;

/// A time in the rules' zone, RFC 3339.
struct Time(Tz, Instant);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&rfc3339(self.0, self.1))
    }
}

fn time(tz: Tz, t: Option<Instant>) -> Option<Time> {
    t.map(|t| Time(tz, t))
}

struct CauseJson<'a>(&'a Cause);

impl Serialize for CauseJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        // A cause of unknown certainty may have no words.
        m.serialize_entry("text", &Some(&self.0.text).filter(|t| !t.is_empty()))?;
        m.serialize_entry("status", self.0.status.as_str())?;
        m.end()
    }
}

fn cause(c: &Option<Cause>) -> Option<CauseJson<'_>> {
    c.as_ref().map(CauseJson)
}

/// Extra keys some outputs add to an incident (a digest's `next_due`).
#[derive(Default)]
pub struct IncidentExtra {
    /// `next_due`: step, due, minutes left (serialized as `null` when `Some(None)`).
    pub next_due: Option<Option<(String, Instant, i64)>>,
}

/// `{"id","title","kind","severity","status","occurred","known","closed","location","unit","figures","rules"}`.
pub struct IncidentJson<'a> {
    pub s: &'a IncidentRow,
    pub tz: Tz,
    pub extra: IncidentExtra,
}

pub fn incident(s: &IncidentRow, tz: Tz) -> IncidentJson<'_> {
    IncidentJson {
        s,
        tz,
        extra: IncidentExtra::default(),
    }
}

impl IncidentJson<'_> {
    fn fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (s, tz) = (self.s, self.tz);
        m.serialize_entry("id", &s.id)?;
        // On a shared store, which office's it is (a file is one office's record).
        if let Some(office) = s.office() {
            m.serialize_entry("office", &office)?;
        }
        m.serialize_entry("title", &s.title)?;
        m.serialize_entry("kind", &s.kind)?;
        m.serialize_entry("severity", &s.severity)?;
        m.serialize_entry("status", if s.is_open() { "open" } else { "closed" })?;
        m.serialize_entry("occurred", &Time(tz, s.occurred))?;
        m.serialize_entry("known", &Time(tz, s.known))?;
        m.serialize_entry("closed", &time(tz, s.closed))?;
        m.serialize_entry("location", &s.location)?;
        m.serialize_entry("unit", &s.unit)?;
        m.serialize_entry("figures", &s.figures)?;
        m.serialize_entry("rules", &s.rules)?;
        if let Some(next) = &self.extra.next_due {
            let v = next.as_ref().map(|(step, due, minutes)| NextDue {
                step,
                due: Time(tz, *due),
                minutes: *minutes,
            });
            m.serialize_entry("next_due", &v)?;
        }
        Ok(())
    }
}

#[derive(serde::Serialize)]
struct NextDue<'a> {
    step: &'a str,
    due: Time,
    minutes: i64,
}

impl Serialize for IncidentJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.fields(&mut m)?;
        m.end()
    }
}

/// One entry, as recorded (the original values; corrections are entries of their own and name
/// what they correct), with `corrected_by` listing the corrections that apply to it. A digest
/// adds `incident` first, and `reclassification` or `on_time` last.
pub struct EntryJson<'a> {
    pub e: &'a Entry,
    pub corrected_by: &'a [u32],
    pub tz: Tz,
    pub incident: Option<&'a str>,
    pub reclassification: Option<&'a (String, String)>,
    /// `Some(on_time)` for a digest's escalations.
    pub on_time: Option<Option<bool>>,
}

pub fn entry<'a>(e: &'a Entry, corrected_by: &'a [u32], tz: Tz) -> EntryJson<'a> {
    EntryJson {
        e,
        corrected_by,
        tz,
        incident: None,
        reclassification: None,
        on_time: None,
    }
}

fn report_fields<M: SerializeMap>(m: &mut M, r: &Report, stage: Stage) -> Result<(), M::Error> {
    m.serialize_entry(stage.text_field().as_str(), &r.text)?;
    m.serialize_entry("measures", &r.measures)?;
    m.serialize_entry("figures", &r.figures)?;
    m.serialize_entry("cause", &cause(&r.cause))
}

impl Serialize for EntryJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, tz) = (self.e, self.tz);
        let mut m = s.serialize_map(None)?;
        if let Some(id) = self.incident {
            m.serialize_entry("incident", id)?;
        }
        m.serialize_entry("n", &e.n)?;
        m.serialize_entry("type", e.body.entry_type().as_str())?;
        m.serialize_entry("at", &Time(tz, e.at))?;
        m.serialize_entry("recorded", &Time(tz, e.recorded))?;
        m.serialize_entry("by", &e.by)?;
        m.serialize_entry("backfilled", &e.backfilled())?;
        m.serialize_entry("imported", &e.imported)?;
        m.serialize_entry("hash", &e.hash)?;
        m.serialize_entry("os_user", &e.os_user)?;
        m.serialize_entry("simulated_clock", &e.simulated)?;
        match &e.body {
            Body::Initial {
                header,
                report,
                severity,
                ..
            } => {
                m.serialize_entry("title", &header.title)?;
                m.serialize_entry("kind", &header.kind)?;
                m.serialize_entry("occurred", &Time(tz, header.occurred))?;
                m.serialize_entry("known", &Time(tz, header.known))?;
                m.serialize_entry("location", &header.location)?;
                m.serialize_entry("unit", &header.unit)?;
                m.serialize_entry("source", &header.source)?;
                m.serialize_entry("accident_unit", &header.accident_unit)?;
                m.serialize_entry("declared_severity", severity)?;
                report_fields(&mut m, report, Stage::Initial)?;
            }
            Body::Followup { report, severity } => {
                report_fields(&mut m, report, Stage::Followup)?;
                m.serialize_entry("declared_severity", severity)?;
            }
            Body::Final { report } => report_fields(&mut m, report, Stage::Final)?,
            Body::Escalation { escalation } => {
                m.serialize_entry("level", &escalation.level)?;
                m.serialize_entry("channel", &escalation.channel)?;
                m.serialize_entry("contact", &escalation.contact)?;
                m.serialize_entry("signed_by", &escalation.signed_by)?;
                m.serialize_entry("reason", &escalation.reason)?;
            }
            Body::Reclassification {
                from,
                to,
                reported_in,
            } => {
                m.serialize_entry("from", from)?;
                m.serialize_entry("to", to)?;
                m.serialize_entry("reported_in", reported_in)?;
            }
            Body::Review { review } => {
                m.serialize_entry("step", &review.step)?;
                m.serialize_entry("finding", &review.finding)?;
                m.serialize_entry("skip_reason", &review.reason)?;
                m.serialize_entry("note", &review.note)?;
                let covers: Vec<CoveredJson<'_>> =
                    review.covers.iter().map(|c| CoveredJson(c, tz)).collect();
                m.serialize_entry("covers", &covers)?;
            }
            Body::Correction {
                corrects,
                reason,
                changes,
            } => {
                m.serialize_entry("corrects", corrects)?;
                m.serialize_entry("reason", reason)?;
                m.serialize_entry("changes", &ChangesJson(changes, tz))?;
            }
        }
        if !self.corrected_by.is_empty() {
            m.serialize_entry("corrected_by", self.corrected_by)?;
        }
        if let Some((from, to)) = self.reclassification {
            #[derive(serde::Serialize)]
            struct Reclass<'a> {
                from: &'a str,
                to: &'a str,
            }
            m.serialize_entry("reclassification", &Reclass { from, to })?;
        }
        if let Some(on_time) = self.on_time {
            m.serialize_entry("on_time", &on_time)?;
        }
        m.end()
    }
}

/// A finding as a review saw it.
struct CoveredJson<'a>(&'a crate::domain::model::Covered, Tz);

impl Serialize for CoveredJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, tz) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &c.kind)?;
        m.serialize_entry("step", &c.step)?;
        m.serialize_entry("reason", &c.reason)?;
        m.serialize_entry("entry", &c.entry)?;
        m.serialize_entry("due", &time(tz, c.due))?;
        m.serialize_entry("done", &time(tz, c.done))?;
        m.serialize_entry("minutes", &c.minutes)?;
        m.serialize_entry("missing", &c.missing)?;
        m.end()
    }
}

/// The fields a correction changes (only those it changes).
struct ChangesJson<'a>(&'a Changes, Tz);

impl Serialize for ChangesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, tz) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        if let Some(t) = c.at {
            m.serialize_entry("at", &Time(tz, t))?;
        }
        let texts = [("title", &c.title), ("kind", &c.kind)];
        for (k, v) in texts {
            if let Some(v) = v {
                m.serialize_entry(k, v)?;
            }
        }
        if let Some(t) = c.occurred {
            m.serialize_entry("occurred", &Time(tz, t))?;
        }
        if let Some(t) = c.known {
            m.serialize_entry("known", &Time(tz, t))?;
        }
        let texts = [
            ("location", &c.location),
            ("unit", &c.unit),
            ("source", &c.source),
            ("accident_unit", &c.accident_unit),
            ("severity", &c.severity),
            ("text", &c.text),
            ("measures", &c.measures),
        ];
        for (k, v) in texts {
            if let Some(v) = v {
                m.serialize_entry(k, v)?;
            }
        }
        if !c.figures.is_empty() {
            m.serialize_entry("figures", &c.figures)?;
        }
        if let Some(cause) = &c.cause {
            m.serialize_entry("cause", &CauseJson(cause))?;
        }
        let texts = [
            ("level", &c.level),
            ("channel", &c.channel),
            ("contact", &c.contact),
            ("signed_by", &c.signed_by),
            ("reason", &c.reason),
            ("note", &c.note),
        ];
        for (k, v) in texts {
            if let Some(v) = v {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// `{"step","level","channel","due","done","status"}`.
pub struct StepJson<'a> {
    pub s: &'a StepEval,
    pub rules: &'a Rules,
}

pub fn step<'a>(s: &'a StepEval, rules: &'a Rules) -> StepJson<'a> {
    StepJson { s, rules }
}

impl Serialize for StepJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (st, rules) = (self.s, self.rules);
        let step = &rules.steps[st.step];
        let (level, channel) = match &step.duty {
            Duty::Escalate { level, channel } => {
                (Some(rules.levels[*level].id.as_str()), channel.as_deref())
            }
            Duty::Report(_) => (None, None),
        };
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("step", &step.id)?;
        m.serialize_entry("level", &level)?;
        m.serialize_entry("channel", &channel)?;
        m.serialize_entry("due", &time(rules.tz, st.due))?;
        m.serialize_entry("done", &time(rules.tz, st.done))?;
        m.serialize_entry("status", st.status.as_str())?;
        m.end()
    }
}

/// `{"incident","kind","step","level","channel","due","done","minutes","reason","message"}`.
pub struct FindingJson<'a> {
    pub incident: &'a str,
    pub f: &'a Finding,
    pub rules: &'a Rules,
}

pub fn finding<'a>(incident: &'a str, f: &'a Finding, rules: &'a Rules) -> FindingJson<'a> {
    FindingJson { incident, f, rules }
}

impl Serialize for FindingJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (f, tz) = (self.f, self.rules.tz);
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("incident", self.incident)?;
        m.serialize_entry("kind", f.kind.as_str())?;
        m.serialize_entry("step", &f.step)?;
        m.serialize_entry("level", &f.level)?;
        m.serialize_entry("channel", &f.channel)?;
        m.serialize_entry("due", &time(tz, f.due))?;
        m.serialize_entry("done", &time(tz, f.done))?;
        m.serialize_entry("minutes", &f.minutes)?;
        m.serialize_entry("reason", &f.reason.map(|r| r.as_str()))?;
        m.serialize_entry("message", &message(f, self.rules))?;
        #[derive(serde::Serialize)]
        struct ReviewedJson<'a> {
            by: &'a str,
            at: Time,
            note: &'a str,
        }
        let reviewed = f.reviewed.as_ref().map(|r| ReviewedJson {
            by: &r.by,
            at: Time(tz, r.at),
            note: &r.note,
        });
        m.serialize_entry("reviewed", &reviewed)?;
        m.end()
    }
}

/// An incident with its entries and steps: the shape of `show --format json` and of each
/// `export` line.
pub struct FullJson<'a> {
    pub s: &'a IncidentRow,
    pub entries: &'a [Entry],
    pub h: &'a History,
    pub eval: &'a Evaluation,
    pub rules: &'a Rules,
}

impl Serialize for FullJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tz = self.rules.tz;
        let mut m = s.serialize_map(None)?;
        incident(self.s, tz).fields(&mut m)?;
        m.serialize_entry("rules_name", &self.rules.name)?;
        let entries: Vec<EntryJson<'_>> = self
            .entries
            .iter()
            .map(|e| {
                let by = self
                    .h
                    .entry(e.n)
                    .map(|x| x.corrected_by.as_slice())
                    .unwrap_or_default();
                entry(e, by, tz)
            })
            .collect();
        m.serialize_entry("entries", &entries)?;
        let steps: Vec<StepJson<'_>> = self
            .eval
            .steps
            .iter()
            .map(|st| step(st, self.rules))
            .collect();
        m.serialize_entry("steps", &steps)?;
        m.end()
    }
}
