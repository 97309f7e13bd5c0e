//! Entry points for the fuzz targets in `fuzz/` and for replaying their corpus in `cargo test`:
//! each feeds one parser arbitrary text and asserts the properties that must always hold.

use chrono::DateTime;

use crate::domain::amount::parse_amount;
use crate::domain::when::{FUTURE_SLACK_SECS, parse_when};
use crate::rules::Rules;

/// Rules text: parsed or refused, never a panic; an error always has a position.
pub fn rules(text: &str) {
    if let Err(e) = Rules::parse(text, "fuzz.toml") {
        assert!(e.line >= 1 && e.column >= 1, "{e}");
    }
}

/// A typed time, in a zone with DST and one without: accepted times are never more than the
/// slack ahead of now.
pub fn time(text: &str) {
    let now = DateTime::parse_from_rfc3339("2026-03-29T12:00:00+02:00")
        .map(|t| t.to_utc())
        .unwrap_or_default();
    for zone in [chrono_tz::Europe::Berlin, chrono_tz::Asia::Shanghai] {
        if let Ok(t) = parse_when(text, now, zone) {
            assert!(
                (t - now).num_seconds() <= FUTURE_SLACK_SECS,
                "{text:?} → {t}"
            );
            assert_eq!(t.timestamp_subsec_nanos(), 0, "whole seconds");
        }
    }
}

/// An amount: whole non-negative yuan, or an error.
pub fn amount(text: &str) {
    if let Ok(v) = parse_amount(text) {
        assert!(v >= 0, "{text:?} → {v}");
    }
}
