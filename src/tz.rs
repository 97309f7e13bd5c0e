//! Wall-clock time in the rules' time zone.
//!
//! Rules of this module:
//! - Instants are `DateTime<Utc>` with whole seconds everywhere in sitrep; local time exists only
//!   at the edges (input, output, calendar arithmetic) and is converted here.
//! - Input is resolved strictly: a local time that does not exist (a DST gap) or exists twice (a
//!   DST fold) is an error the user must settle with an explicit offset.
//! - Arithmetic (adding calendar days or months) is lenient: a fold takes the earlier instant and
//!   a gap moves forward by the gap, because a deadline must always exist.

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Why a local time could not be resolved to one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalProblem {
    /// The wall-clock time is skipped (clocks move forward).
    Nonexistent,
    /// The wall-clock time happens twice (clocks move back).
    Ambiguous,
}

/// Resolves a local time to exactly one instant, or says why it cannot.
pub fn resolve_strict(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, LocalProblem> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(..) => Err(LocalProblem::Ambiguous),
        chrono::LocalResult::None => Err(LocalProblem::Nonexistent),
    }
}

/// Resolves a local time for arithmetic: the earlier instant of a fold; past a gap, the wall time
/// shifted forward by the gap's length.
pub fn resolve_lenient(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // In a gap: read the wall time with the offset in force just before it, which lands
            // the same distance past the gap's end.
            let before = local - chrono::Duration::hours(26);
            let offset = tz
                .offset_from_local_datetime(&before)
                .earliest()
                .map(|o| o.fix().local_minus_utc())
                .unwrap_or(0);
            DateTime::<Utc>::from_naive_utc_and_offset(
                local - chrono::Duration::seconds(i64::from(offset)),
                Utc,
            )
        }
    }
}

/// The zone's offsets (`+02:00`) a day before and a day after a local time: around a DST gap or
/// fold, the offsets in force before and after the change.
pub fn offsets_around(tz: Tz, local: NaiveDateTime) -> (String, String) {
    let offset = |l: NaiveDateTime| {
        let secs = tz
            .offset_from_local_datetime(&l)
            .earliest()
            .map_or(0, |o| o.fix().local_minus_utc());
        let sign = if secs < 0 { '-' } else { '+' };
        let a = secs.unsigned_abs();
        format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
    };
    (
        offset(local - chrono::Duration::days(1)),
        offset(local + chrono::Duration::days(1)),
    )
}

/// The local wall-clock time of an instant.
pub fn local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// RFC 3339 with the zone's offset at that instant, whole seconds: the JSON form of a time.
pub fn rfc3339(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The short human form used in tables: `2026-03-10 14:05` (seconds shown only when not zero).
pub fn short(tz: Tz, t: DateTime<Utc>) -> String {
    let l = local(tz, t);
    if l.second() == 0 {
        l.format("%Y-%m-%d %H:%M").to_string()
    } else {
        l.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// Drops sub-second precision: sitrep keeps whole seconds.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// The instant for Unix seconds (times are stored as integers).
pub fn from_unix(secs: i64) -> DateTime<Utc> {
    // Stored values come from `timestamp()` of valid instants, which always convert back.
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .expect("valid test date")
    }

    #[test]
    fn strict_refuses_gap_and_fold() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        assert_eq!(
            resolve_strict(tz, at(2026, 3, 29, 2, 30)),
            Err(LocalProblem::Nonexistent)
        );
        assert_eq!(
            resolve_strict(tz, at(2026, 10, 25, 2, 30)),
            Err(LocalProblem::Ambiguous)
        );
        assert!(resolve_strict(tz, at(2026, 10, 25, 3, 30)).is_ok());
    }

    #[test]
    fn lenient_moves_past_gap_and_takes_earlier_fold() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        let gap = resolve_lenient(tz, at(2026, 3, 29, 2, 30));
        assert_eq!(rfc3339(tz, gap), "2026-03-29T03:30:00+02:00");
        let fold = resolve_lenient(tz, at(2026, 10, 25, 2, 30));
        assert_eq!(rfc3339(tz, fold), "2026-10-25T02:30:00+02:00");
    }

    #[test]
    fn formats_in_zone() {
        let tz: Tz = "Asia/Shanghai".parse().expect("zone");
        let t = resolve_strict(tz, at(2026, 3, 10, 14, 5)).expect("exists");
        assert_eq!(rfc3339(tz, t), "2026-03-10T14:05:00+08:00");
        assert_eq!(short(tz, t), "2026-03-10 14:05");
        assert_eq!(t.timestamp(), from_unix(t.timestamp()).timestamp());
    }
}
