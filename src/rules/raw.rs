//! The rules file as written: serde types that mirror the TOML, with spans for error positions.
//!
//! Every table denies unknown keys, so a misspelt key is an error that names it rather than a
//! setting silently ignored. Nothing here is checked beyond its TOML type; `validate` does that.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    pub name: Option<S<String>>,
    pub time_zone: S<String>,
    pub warning: Option<S<String>>,
    pub day_starts: Option<S<String>>,
    pub bypass: Option<S<String>>,
    pub casualty_window: Option<S<String>>,
    pub channels: Option<S<Vec<S<RawChannel>>>>,
    pub default_channel: Option<S<String>>,
    #[serde(default)]
    pub figures: Vec<RawFigure>,
    #[serde(default)]
    pub severities: Vec<RawSeverity>,
    #[serde(default)]
    pub kinds: Vec<RawKind>,
    #[serde(default)]
    pub levels: Vec<RawLevel>,
    pub reports: Option<RawReports>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    pub calendar: Option<RawCalendar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub id: S<String>,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeverity {
    pub id: S<String>,
    pub label: Option<String>,
    pub at_least: Option<S<BTreeMap<S<String>, S<i64>>>>,
    pub casualty_window: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKind {
    pub id: S<String>,
    pub label: Option<String>,
    pub casualty_window: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    pub id: S<String>,
    pub label: Option<String>,
    pub rank: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReports {
    pub initial: Option<RawStage>,
    pub followup: Option<RawStage>,
    #[serde(rename = "final")]
    pub final_: Option<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub label: Option<String>,
    #[serde(default)]
    pub requires: Vec<S<String>>,
    #[serde(default)]
    pub confirmed_cause: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: S<String>,
    pub label: Option<String>,
    pub escalate: Option<S<String>>,
    pub via: Option<S<String>>,
    pub report: Option<S<String>>,
    pub from: Option<S<OneOrMany>>,
    pub within: Option<S<String>>,
    pub every: Option<S<String>>,
    #[serde(default)]
    pub no_later_than: Vec<RawConstraint>,
    pub min_severity: Option<S<String>>,
    pub max_severity: Option<S<String>>,
    pub kinds: Option<Vec<S<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstraint {
    pub from: S<OneOrMany>,
    pub within: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default)]
    pub weekend: Option<Vec<S<String>>>,
    #[serde(default)]
    pub holidays: Vec<S<String>>,
    #[serde(default)]
    pub workdays: Vec<S<String>>,
    pub day_ends: Option<S<String>>,
}

/// An anchor: one name, or a list whose latest event counts; a list's names with where each is
/// written (a lone name is the whole value).
#[derive(Debug, Clone)]
pub struct OneOrMany(pub Vec<(String, Option<Range<usize>>)>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "an anchor (\"occurred\", \"known\", \"step:<id>\" or \"last:<id>\") or a list of them",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![(v.to_owned(), None)]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<S<String>>()? {
                    let span = s.span();
                    out.push((s.into_inner(), Some(span)));
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A channel: its id alone (`"phone"`), or `{ id = "phone", label = "电话" }`.
#[derive(Debug, Clone)]
pub struct RawChannel {
    pub id: String,
    pub label: Option<String>,
}

impl<'de> Deserialize<'de> for RawChannel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawChannel;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a channel id (\"phone\") or { id = \"phone\", label = \"电话\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawChannel, E> {
                Ok(RawChannel {
                    id: v.to_owned(),
                    label: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawChannel, A::Error> {
                let (mut id, mut label) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" if id.is_none() => id = Some(map.next_value::<String>()?),
                        "label" if label.is_none() => label = Some(map.next_value::<String>()?),
                        "id" | "label" => {
                            return Err(serde::de::Error::custom(format!("`{key}` given twice")));
                        }
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["id", "label"]));
                        }
                    }
                }
                let id = id.ok_or_else(|| serde::de::Error::missing_field("id"))?;
                Ok(RawChannel { id, label })
            }
        }
        d.deserialize_any(Visitor)
    }
}
