//! The stored form of entry bodies: canonical JSON of each type's fields, in the fixed order of
//! the types in `model`, the type itself in its own column. The hash chain covers this text
//! byte for byte, so it must never change for an entry already written.

use super::model::{Body, EntryType};

impl Body {
    /// The stored form: canonical JSON of the type's fields (the type itself is stored beside
    /// it, in its own column).
    pub fn to_stored(&self) -> String {
        // Serializing these plain types (strings, integers, maps with string keys) cannot fail.
        let text = match self {
            Body::Initial {
                header,
                report,
                severity,
                rules,
            } => serde_json::to_string(&shapes::InitialRef {
                header,
                report,
                severity,
                rules,
            }),
            Body::Followup { report, severity } => {
                serde_json::to_string(&shapes::FollowupRef { report, severity })
            }
            Body::Final { report } => serde_json::to_string(&shapes::ReportRef { report }),
            Body::Escalation { escalation } => {
                serde_json::to_string(&shapes::EscalationRef { escalation })
            }
            Body::Reclassification {
                from,
                to,
                reported_in,
            } => serde_json::to_string(&shapes::ReclassificationRef {
                from,
                to,
                reported_in: *reported_in,
            }),
            Body::Correction {
                corrects,
                reason,
                changes,
            } => serde_json::to_string(&shapes::CorrectionRef {
                corrects: *corrects,
                reason,
                changes,
            }),
            Body::Review { review } => serde_json::to_string(&shapes::ReviewRef { review }),
        };
        text.unwrap_or_default()
    }

    /// Reads the stored form of an entry of type `ty`.
    pub fn from_stored(ty: EntryType, text: &str) -> Result<Body, serde_json::Error> {
        use serde_json::from_str;
        Ok(match ty {
            EntryType::Initial => {
                let b: shapes::Initial = from_str(text)?;
                Body::Initial {
                    header: b.header,
                    report: b.report,
                    severity: b.severity,
                    rules: b.rules,
                }
            }
            EntryType::Followup => {
                let b: shapes::Followup = from_str(text)?;
                Body::Followup {
                    report: b.report,
                    severity: b.severity,
                }
            }
            EntryType::Final => Body::Final {
                report: from_str::<shapes::Report>(text)?.report,
            },
            EntryType::Escalation => Body::Escalation {
                escalation: from_str::<shapes::Escalation>(text)?.escalation,
            },
            EntryType::Reclassification => {
                let b: shapes::Reclassification = from_str(text)?;
                Body::Reclassification {
                    from: b.from,
                    to: b.to,
                    reported_in: b.reported_in,
                }
            }
            EntryType::Review => Body::Review {
                review: from_str::<shapes::Review>(text)?.review,
            },
            EntryType::Correction => {
                let b: shapes::Correction = from_str(text)?;
                Body::Correction {
                    corrects: b.corrects,
                    reason: b.reason,
                    changes: b.changes,
                }
            }
        })
    }
}

/// The stored shapes of each entry type: borrowed for writing, owned for reading. Separate
/// structs (rather than one tagged enum) let reading go straight to the right type, without
/// serde buffering the whole body to find its tag.
mod shapes {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize)]
    pub struct InitialRef<'a> {
        pub header: &'a crate::domain::model::Header,
        pub report: &'a crate::domain::model::Report,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub severity: &'a Option<String>,
        pub rules: &'a String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Initial {
        pub header: crate::domain::model::Header,
        pub report: crate::domain::model::Report,
        #[serde(default)]
        pub severity: Option<String>,
        pub rules: String,
    }

    #[derive(Serialize)]
    pub struct FollowupRef<'a> {
        pub report: &'a crate::domain::model::Report,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub severity: &'a Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Followup {
        pub report: crate::domain::model::Report,
        #[serde(default)]
        pub severity: Option<String>,
    }

    #[derive(Serialize)]
    pub struct ReportRef<'a> {
        pub report: &'a crate::domain::model::Report,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Report {
        pub report: crate::domain::model::Report,
    }

    #[derive(Serialize)]
    pub struct EscalationRef<'a> {
        pub escalation: &'a crate::domain::model::Escalation,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Escalation {
        pub escalation: crate::domain::model::Escalation,
    }

    #[derive(Serialize)]
    pub struct ReclassificationRef<'a> {
        pub from: &'a String,
        pub to: &'a String,
        pub reported_in: u32,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Reclassification {
        pub from: String,
        pub to: String,
        pub reported_in: u32,
    }

    #[derive(Serialize)]
    pub struct ReviewRef<'a> {
        pub review: &'a crate::domain::model::Review,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Review {
        pub review: crate::domain::model::Review,
    }

    #[derive(Serialize)]
    pub struct CorrectionRef<'a> {
        pub corrects: u32,
        pub reason: &'a String,
        pub changes: &'a crate::domain::model::Changes,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Correction {
        pub corrects: u32,
        pub reason: String,
        pub changes: crate::domain::model::Changes,
    }
}
