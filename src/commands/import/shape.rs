//! The JSON shape `export` writes, as serde mirrors that refuse what it never writes: every
//! object denies unknown keys and a key given twice (serde's derive refuses a repeated field;
//! maps of figures are read by [`StrictFigures`], which refuses a repeated name). Keys `export`
//! writes that `import` does not need (hashes, derived steps and statuses) are known and skipped.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

/// One line: an incident with its entries.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineJson {
    pub id: Option<String>,
    pub rules: Option<String>,
    pub entries: Option<Vec<EntryJson>>,
    // Derived, written by `export`, recomputed on import.
    #[allow(dead_code)] // known and skipped
    pub title: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub kind: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub severity: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub status: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub occurred: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub known: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub closed: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub location: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub unit: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub figures: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub rules_name: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub steps: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseJson {
    pub text: Option<String>,
    pub status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EntryJson {
    pub n: Option<u32>,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub at: Option<String>,
    pub recorded: Option<String>,
    pub by: Option<String>,
    pub os_user: Option<String>,
    pub simulated_clock: Option<bool>,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub occurred: Option<String>,
    pub known: Option<String>,
    pub location: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub accident_unit: Option<String>,
    pub declared_severity: Option<String>,
    pub facts: Option<String>,
    pub progress: Option<String>,
    pub summary: Option<String>,
    pub measures: Option<String>,
    pub figures: Option<StrictFigures>,
    pub cause: Option<CauseJson>,
    pub level: Option<String>,
    pub channel: Option<String>,
    pub contact: Option<String>,
    pub signed_by: Option<String>,
    pub reason: Option<String>,
    pub corrects: Option<u32>,
    pub changes: Option<ChangesJson>,
    // Reviews (DESIGN.md §14).
    pub step: Option<String>,
    pub finding: Option<String>,
    pub skip_reason: Option<String>,
    pub note: Option<String>,
    pub covers: Option<Vec<CoveredJson>>,
    // Written by `export`, not read back: the chain position's hash, marks derived from times,
    // and (for reclassifications, which import derives again) their fields.
    #[allow(dead_code)] // known and skipped
    pub hash: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub backfilled: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub imported: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub corrected_by: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub from: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub to: Option<IgnoredAny>,
    #[allow(dead_code)] // known and skipped
    pub reported_in: Option<IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChangesJson {
    pub at: Option<String>,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub occurred: Option<String>,
    pub known: Option<String>,
    pub location: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub accident_unit: Option<String>,
    pub severity: Option<String>,
    pub text: Option<String>,
    pub measures: Option<String>,
    pub figures: Option<StrictFigures>,
    pub cause: Option<CauseJson>,
    pub level: Option<String>,
    pub channel: Option<String>,
    pub contact: Option<String>,
    pub signed_by: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// A finding a review covers, as the review saw it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoveredJson {
    pub kind: Option<String>,
    pub step: Option<String>,
    pub reason: Option<String>,
    pub entry: Option<u32>,
    pub due: Option<String>,
    pub done: Option<String>,
    pub minutes: Option<i64>,
    pub missing: Option<Vec<String>>,
}

/// Figures by name, refusing a name given twice (a plain map would keep the last silently).
pub struct StrictFigures(pub BTreeMap<String, i64>);

impl<'de> Deserialize<'de> for StrictFigures {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrictFigures;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of figures, each a whole number")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<StrictFigures, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = m.next_entry::<String, i64>()? {
                    if out.contains_key(&k) {
                        return Err(serde::de::Error::custom(format!(
                            "figure `{k}` is given twice"
                        )));
                    }
                    out.insert(k, v);
                }
                Ok(StrictFigures(out))
            }
        }
        d.deserialize_map(V)
    }
}
