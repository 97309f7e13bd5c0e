//! The business-day calendar of a rules file: weekends, holidays and make-up working days.
//!
//! Rules of this module:
//! - A day is a business day when it is a listed make-up working day (调休上班), or when it is
//!   neither a weekend day nor a listed holiday. Make-up days win over weekends.
//! - "N business days after" a moment counts from the next business day after the moment's local
//!   date: a determination on Monday is due four business days later, on Friday.
//! - A business day ends at the calendar's `day_ends` (e.g. `17:30` for EDGAR filings), or at
//!   midnight when none is given.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::tz;

/// A business-day calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Weekend days, indexed from Monday (0) to Sunday (6).
    pub weekend: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
    /// When a business day ends; `None` is midnight.
    pub day_ends: Option<NaiveTime>,
}

impl Default for Calendar {
    /// Saturday and Sunday off, no holidays, days end at midnight.
    fn default() -> Calendar {
        let mut weekend = [false; 7];
        weekend[Weekday::Sat.num_days_from_monday() as usize] = true;
        weekend[Weekday::Sun.num_days_from_monday() as usize] = true;
        Calendar {
            weekend,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            day_ends: None,
        }
    }
}

/// Days searched before giving up on finding a business day (a calendar with no business days
/// is refused when the rules are validated, so this only bounds a pathological holiday list).
const SEARCH_LIMIT: u32 = 100_000;

impl Calendar {
    /// Whether `day` is a business day.
    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !self.weekend[day.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&day)
    }

    /// Whether any weekday is ever a business day.
    pub fn has_business_days(&self) -> bool {
        self.weekend.iter().any(|w| !w) || !self.workdays.is_empty()
    }

    /// The `n`th business day after `day` (not counting `day` itself).
    pub fn nth_business_day_after(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut found = 0;
        for _ in 0..SEARCH_LIMIT {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_business_day(d) {
                found += 1;
                if found == n {
                    return d;
                }
            }
        }
        d
    }

    /// The instant a business day ends, in zone `tz`.
    pub fn end_of(&self, day: NaiveDate, tz: Tz) -> DateTime<Utc> {
        let local = match self.day_ends {
            Some(t) => day.and_time(t),
            None => day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN),
        };
        tz::resolve_lenient(tz, local)
    }
}

/// Parses a weekday name as written in rules files (`sat`, `Saturday`, `周六`).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let t = text.trim().to_lowercase();
    let zh = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    if let Some(i) = zh.iter().position(|z| *z == t) {
        return Weekday::try_from(i as u8).ok();
    }
    if t == "周天" || t == "星期日" || t == "星期天" {
        return Some(Weekday::Sun);
    }
    t.parse::<Weekday>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn four_business_days_after_monday_is_friday() {
        let cal = Calendar::default();
        // 2026-03-09 is a Monday.
        assert_eq!(cal.nth_business_day_after(d(2026, 3, 9), 4), d(2026, 3, 13));
        // From Friday: Mon, Tue, Wed, Thu.
        assert_eq!(
            cal.nth_business_day_after(d(2026, 3, 13), 4),
            d(2026, 3, 19)
        );
        // From Saturday: the count starts on Monday.
        assert_eq!(
            cal.nth_business_day_after(d(2026, 3, 14), 1),
            d(2026, 3, 16)
        );
    }

    #[test]
    fn holidays_skip_and_makeup_days_count() {
        let mut cal = Calendar::default();
        cal.holidays.insert(d(2026, 3, 11));
        cal.workdays.insert(d(2026, 3, 14)); // a Saturday worked (调休)
        assert!(!cal.is_business_day(d(2026, 3, 11)));
        assert!(cal.is_business_day(d(2026, 3, 14)));
        assert!(!cal.is_business_day(d(2026, 3, 15)));
        // Mon 9th: Tue 10, (Wed 11 holiday), Thu 12, Fri 13, Sat 14 worked.
        assert_eq!(cal.nth_business_day_after(d(2026, 3, 9), 4), d(2026, 3, 14));
    }

    #[test]
    fn day_end_is_midnight_or_the_given_time() {
        let tz: Tz = "America/New_York".parse().expect("zone");
        let mut cal = Calendar::default();
        assert_eq!(
            tz::rfc3339(tz, cal.end_of(d(2026, 3, 13), tz)),
            "2026-03-14T00:00:00-04:00"
        );
        cal.day_ends = NaiveTime::from_hms_opt(17, 30, 0);
        assert_eq!(
            tz::rfc3339(tz, cal.end_of(d(2026, 3, 13), tz)),
            "2026-03-13T17:30:00-04:00"
        );
    }

    #[test]
    fn weekday_names() {
        assert_eq!(parse_weekday("sat"), Some(Weekday::Sat));
        assert_eq!(parse_weekday("Sunday"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("周六"), Some(Weekday::Sat));
        assert_eq!(parse_weekday("caturday"), None);
    }
}
