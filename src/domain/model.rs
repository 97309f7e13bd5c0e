//! What is recorded about an incident: entries and their bodies.
//!
//! Rules of this module:
//! - An entry is immutable once recorded. A correction is a new entry naming the entry it
//!   corrects, the reason, and only the fields it changes.
//! - Bodies serialize (serde) to the stored form: times as Unix seconds, keys in a fixed order,
//!   so the stored text is canonical and the hash chain can cover it byte for byte. The public
//!   JSON shape (RFC 3339 in the rules' zone) is made by `render`, not here.
//! - Each entry keeps both the time the user claims (`at`) and the time it was recorded; an entry
//!   claimed more than [`BACKFILL_AFTER_SECS`] before it was recorded is *backfilled*.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An instant, whole seconds, UTC.
pub type Instant = DateTime<Utc>;

/// Figures by name (`deaths`, `direct_loss`, …); the latest value of each counts.
pub type Figures = BTreeMap<String, i64>;

/// An entry claimed more than this long before it was recorded is marked backfilled.
pub const BACKFILL_AFTER_SECS: i64 = 3600;

/// How certain a cause is (慎报原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CauseStatus {
    Unknown,
    Preliminary,
    Confirmed,
}

impl CauseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CauseStatus::Unknown => "unknown",
            CauseStatus::Preliminary => "preliminary",
            CauseStatus::Confirmed => "confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<CauseStatus> {
        match s {
            "unknown" => Some(CauseStatus::Unknown),
            "preliminary" => Some(CauseStatus::Preliminary),
            "confirmed" => Some(CauseStatus::Confirmed),
            _ => None,
        }
    }
}

/// A cause and its certainty. A cause of unknown certainty may have no words (`text` empty):
/// readers show the status in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub status: CauseStatus,
}

/// What every report (initial, follow-up, final) carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Facts (initial), progress (follow-up) or summary (final).
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub figures: Figures,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// The incident's own facts, given in the initial report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub title: String,
    pub kind: String,
    #[serde(with = "unix")]
    pub occurred: Instant,
    #[serde(with = "unix")]
    pub known: Instant,
    pub location: String,
    /// The reporting unit (报告单位): who reports it.
    pub unit: String,
    /// The source of the information (信息来源): who told the office, how to reach them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The unit where it happened and its particulars (事故发生单位概况), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accident_unit: Option<String>,
}

/// A record that a level of the chain was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub level: String,
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Why a level was bypassed, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The leader who signed off a written report (签发人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
}

/// A supervisor's review (审核) of violations: which, as they stood when reviewed, and the note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The step reviewed (`--step`), or none for a content finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The kind of content finding reviewed (`--finding incomplete|premature_cause`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// The kind of skip reviewed (`--reason bypassed|omitted`), where a step has both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub note: String,
    /// The findings it covers, as they stood at the review's time: a finding that changes
    /// afterwards (another kind, other minutes, another due time) is not covered, and is new.
    pub covers: Vec<Covered>,
}

/// A finding as a review saw it: what identifies it, and what would make it another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    pub kind: String,
    pub step: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "unix_opt")]
    pub due: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "unix_opt")]
    pub done: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The fields a correction changes; absent fields stay as they were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "unix_opt")]
    pub at: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "unix_opt")]
    pub occurred: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "unix_opt")]
    pub known: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accident_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub figures: Figures,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    /// A review's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// The type-specific part of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// 首报: the incident itself and its first report.
    Initial {
        header: Header,
        report: Report,
        /// The severity the officer declared, if any (never below what the figures imply).
        severity: Option<String>,
        /// The hash of the rules text the incident is pinned to.
        rules: String,
    },
    /// 续报; it may declare a higher severity (a determination made since, e.g. "material").
    Followup {
        report: Report,
        severity: Option<String>,
    },
    /// 报送: a level was told.
    Escalation { escalation: Escalation },
    /// A severity change derived from figures (or a correction), recorded for the reader.
    Reclassification {
        from: String,
        to: String,
        /// The entry whose figures caused it.
        reported_in: u32,
    },
    /// 终报: closes the incident.
    Final { report: Report },
    /// A correction of an earlier entry.
    Correction {
        corrects: u32,
        reason: String,
        changes: Changes,
    },
    /// 审核: a supervisor's review of violations.
    Review { review: Review },
}

/// The entry types, as named in JSON and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryType {
    Initial,
    Followup,
    Escalation,
    Reclassification,
    Final,
    Correction,
    Review,
}

impl EntryType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Initial => "initial",
            EntryType::Followup => "followup",
            EntryType::Escalation => "escalation",
            EntryType::Reclassification => "reclassification",
            EntryType::Final => "final",
            EntryType::Correction => "correction",
            EntryType::Review => "review",
        }
    }

    /// The type for people, in English and Chinese (首报, 续报, 报送, 等级调整, 终报, 更正).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            EntryType::Initial => ("initial report", "首报"),
            EntryType::Followup => ("follow-up", "续报"),
            EntryType::Escalation => ("escalation", "报送"),
            EntryType::Reclassification => ("reclassification", "等级调整"),
            EntryType::Final => ("final report", "终报"),
            EntryType::Correction => ("correction", "更正"),
            EntryType::Review => ("review", "审核"),
        }
    }

    /// The type for people, in the display language.
    pub fn label(self) -> &'static str {
        let (en, zh) = self.names();
        crate::i18n::pick(en, zh)
    }

    pub fn parse(s: &str) -> Option<EntryType> {
        [
            EntryType::Initial,
            EntryType::Followup,
            EntryType::Escalation,
            EntryType::Reclassification,
            EntryType::Final,
            EntryType::Correction,
            EntryType::Review,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

impl Body {
    pub fn entry_type(&self) -> EntryType {
        match self {
            Body::Initial { .. } => EntryType::Initial,
            Body::Followup { .. } => EntryType::Followup,
            Body::Escalation { .. } => EntryType::Escalation,
            Body::Reclassification { .. } => EntryType::Reclassification,
            Body::Final { .. } => EntryType::Final,
            Body::Correction { .. } => EntryType::Correction,
            Body::Review { .. } => EntryType::Review,
        }
    }

    /// The report this body carries, if it is a report.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Body::Initial { report, .. }
            | Body::Followup { report, .. }
            | Body::Final { report } => Some(report),
            _ => None,
        }
    }

    /// The severity this entry declares, if any.
    pub fn declared_severity(&self) -> Option<&String> {
        match self {
            Body::Initial { severity, .. } | Body::Followup { severity, .. } => severity.as_ref(),
            _ => None,
        }
    }

    /// The stage of a report body.
    pub fn stage(&self) -> Option<crate::rules::Stage> {
        use crate::rules::Stage;
        match self {
            Body::Initial { .. } => Some(Stage::Initial),
            Body::Followup { .. } => Some(Stage::Followup),
            Body::Final { .. } => Some(Stage::Final),
            _ => None,
        }
    }
}

/// One recorded entry of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1, 2, 3 … within the incident.
    pub n: u32,
    /// The claimed time (`--at`).
    pub at: Instant,
    /// When it was recorded.
    pub recorded: Instant,
    /// Who acted (`--as`), and the OS user that ran the command.
    pub by: String,
    pub os_user: String,
    pub imported: bool,
    /// Recorded under `SITREP_NOW`, not the system clock.
    pub simulated: bool,
    pub hash: String,
    pub body: Body,
}

impl Entry {
    pub fn backfilled(&self) -> bool {
        (self.recorded - self.at).num_seconds() > BACKFILL_AFTER_SECS
    }
}

/// Serde for instants as Unix seconds.
pub mod unix {
    use super::Instant;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.timestamp())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        let secs = i64::deserialize(d)?;
        Instant::from_timestamp(secs, 0)
            .ok_or_else(|| serde::de::Error::custom(format!("time {secs} out of range")))
    }
}

/// Serde for optional instants as Unix seconds.
pub mod unix_opt {
    use super::Instant;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&t.timestamp()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Instant>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(|secs| {
                Instant::from_timestamp(secs, 0)
                    .ok_or_else(|| serde::de::Error::custom(format!("time {secs} out of range")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips() {
        let body = Body::Correction {
            corrects: 3,
            reason: "时间记错".into(),
            changes: Changes {
                at: Instant::from_timestamp(1_773_122_700, 0),
                figures: [("deaths".to_owned(), 2)].into(),
                ..Changes::default()
            },
        };
        let text = body.to_stored();
        assert_eq!(
            text,
            r#"{"corrects":3,"reason":"时间记错","changes":{"at":1773122700,"figures":{"deaths":2}}}"#
        );
        assert_eq!(
            Body::from_stored(EntryType::Correction, &text).expect("parses"),
            body
        );
        assert!(Body::from_stored(EntryType::Followup, &text).is_err());
    }

    #[test]
    fn backfilled_only_past_one_hour() {
        let at = Instant::from_timestamp(1_000_000, 0).expect("valid");
        let mut e = Entry {
            n: 1,
            at,
            recorded: at + chrono::Duration::seconds(3600),
            by: "a".into(),
            os_user: "a".into(),
            imported: false,
            simulated: false,
            hash: String::new(),
            body: Body::Followup {
                report: Report::default(),
                severity: None,
            },
        };
        assert!(!e.backfilled());
        e.recorded += chrono::Duration::seconds(1);
        assert!(e.backfilled());
    }
}
