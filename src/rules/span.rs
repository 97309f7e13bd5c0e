//! Durations of the rules: `m`, `h`, `d`, `w`, `mo`, `bd`.
//!
//! Rules of this module:
//! - Minutes and hours are exact elapsed time.
//! - Days, weeks and calendar months are wall-clock arithmetic in the rules' zone (the same local
//!   time N days later), so "30 days" means thirty calendar days across a DST change.
//!   A month after 31 January is the last day of February.
//! - Business days (`bd`) count by the rules' calendar, starting with the next business day after
//!   the anchor's local date, and fall due at the calendar's end of that business day.

use std::fmt;

use chrono::{DateTime, Days, Months, Utc};
use chrono_tz::Tz;

use super::calendar::Calendar;
use crate::i18n::Msg;
use crate::msg;
use crate::tz;

/// The unit of a [`Span`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    BusinessDays,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::Minutes => "m",
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::Weeks => "w",
            Unit::Months => "mo",
            Unit::BusinessDays => "bd",
        }
    }
}

/// A positive duration of the rules, e.g. `15m`, `30d`, `1mo`, `4bd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub n: u32,
    pub unit: Unit,
}

impl Span {
    pub const fn new(n: u32, unit: Unit) -> Span {
        Span { n, unit }
    }

    /// Parses `<positive integer><unit>`; the error says which units exist.
    pub fn parse(text: &str) -> Result<Span, Msg> {
        let t = text.trim();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let (num, unit) = t.split_at(digits);
        let unit = match unit.trim() {
            "m" | "min" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            "mo" => Unit::Months,
            "bd" => Unit::BusinessDays,
            _ => {
                return Err(msg!(
                    "`{text}` is not a duration: write a whole number and a unit, m (minutes), h (hours), d (days), w (weeks), mo (calendar months) or bd (business days), e.g. `15m`",
                    "“{text}”不是有效的时长：应为整数加单位 m（分钟）、h（小时）、d（天）、w（周）、mo（自然月）或 bd（工作日），例如 `15m`"
                ));
            }
        };
        let n: u32 = num.parse().map_err(|_| {
            if num.is_empty() {
                msg!(
                    "`{text}` is not a duration: it needs a whole number before the unit, e.g. `15m`",
                    "“{text}”不是有效的时长：单位前应为整数，例如 `15m`"
                )
            } else {
                let max = u32::MAX;
                msg!(
                    "`{text}` is too large a duration: the number can be at most {max}",
                    "“{text}”过大：数字最大为 {max}"
                )
            }
        })?;
        if n == 0 {
            return Err(msg!(
                "`{text}` is zero: durations must be positive",
                "“{text}”为零：时长必须为正"
            ));
        }
        Ok(Span { n, unit })
    }

    /// Whether this span needs the rules' business-day calendar.
    pub fn is_business_days(self) -> bool {
        self.unit == Unit::BusinessDays
    }

    /// The instant this span after `t`, in zone `tz`, by calendar `cal`; never later than
    /// [`Span::latest`].
    pub fn after(self, t: DateTime<Utc>, tz: Tz, cal: &Calendar) -> DateTime<Utc> {
        let n = i64::from(self.n);
        let latest = Span::latest();
        // Past the end of chrono's range there is no deadline worth computing; saturate.
        let wall = |f: &dyn Fn(chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime>| {
            let local = tz::local(tz, t);
            f(local)
                .filter(|l| *l <= latest.naive_utc())
                .map_or(latest, |l| tz::resolve_lenient(tz, l))
        };
        let exact = |d: chrono::Duration| t.checked_add_signed(d).unwrap_or(latest);
        let due = match self.unit {
            Unit::Minutes => exact(chrono::Duration::minutes(n)),
            Unit::Hours => exact(chrono::Duration::hours(n)),
            Unit::Days => wall(&|l| l.checked_add_days(Days::new(u64::from(self.n)))),
            Unit::Weeks => wall(&|l| l.checked_add_days(Days::new(7 * u64::from(self.n)))),
            Unit::Months => wall(&|l| l.checked_add_months(Months::new(self.n))),
            Unit::BusinessDays => {
                let day = cal.nth_business_day_after(tz::local(tz, t).date(), self.n);
                cal.end_of(day, tz)
            }
        };
        due.min(latest)
    }

    /// The latest deadline: two days short of the end of chrono's range, so that it has a local
    /// time in every zone (offsets are within a day) and a span after it can be computed.
    pub fn latest() -> DateTime<Utc> {
        DateTime::<Utc>::MAX_UTC - chrono::Duration::days(2)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.n, self.unit.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn sh() -> Tz {
        "Asia/Shanghai".parse().expect("zone")
    }

    fn t(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let l = NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .expect("valid");
        tz::resolve_strict(tz, l).expect("exists")
    }

    #[test]
    fn parses_every_unit_and_refuses_the_rest() {
        assert_eq!(Span::parse("15m"), Ok(Span::new(15, Unit::Minutes)));
        assert_eq!(Span::parse("1h"), Ok(Span::new(1, Unit::Hours)));
        assert_eq!(Span::parse("30d"), Ok(Span::new(30, Unit::Days)));
        assert_eq!(Span::parse("2w"), Ok(Span::new(2, Unit::Weeks)));
        assert_eq!(Span::parse("1mo"), Ok(Span::new(1, Unit::Months)));
        assert_eq!(Span::parse("4bd"), Ok(Span::new(4, Unit::BusinessDays)));
        for bad in ["", "0m", "m", "15", "1.5h", "-1h", "15 minutes", "1y"] {
            assert!(Span::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn the_largest_spans_stop_at_a_deadline_every_zone_can_show() {
        // `within = "4294967295h"` (or `d`) is a valid rules file; its deadline is past the end
        // of chrono's range, and was an overflow (hours) or an instant with no local time.
        let cal = Calendar::default();
        let ny: Tz = "America/New_York".parse().expect("zone");
        for tz in [sh(), ny, "Pacific/Kiritimati".parse().expect("zone")] {
            let now = t(tz, 2026, 3, 10, 9, 0);
            // Days that land on the last days chrono can represent, and beyond.
            let to_end = (chrono::NaiveDate::MAX - now.date_naive()).num_days();
            let near_end = u32::try_from(to_end - 1).expect("fits");
            let units = [
                Unit::Minutes,
                Unit::Hours,
                Unit::Days,
                Unit::Weeks,
                Unit::Months,
            ];
            let spans = units
                .map(|u| Span::new(u32::MAX, u))
                .into_iter()
                .chain([Span::new(near_end, Unit::Days)]);
            for span in spans {
                let due = span.after(now, tz, &cal);
                assert!(due > now && due <= Span::latest(), "{span} in {tz}");
                // Shown in the zone, and a warning after it computed, without a panic.
                let _ = (tz::short(tz, due), tz::rfc3339(tz, due));
                let warned = Span::new(15, Unit::Minutes).after(due, tz, &cal);
                assert!(warned >= due && warned <= Span::latest(), "{span} in {tz}");
            }
            assert_eq!(
                Span::new(u32::MAX, Unit::Hours).after(now, tz, &cal),
                Span::latest()
            );
        }
    }

    #[test]
    fn months_clamp_to_month_end() {
        let tz = sh();
        let cal = Calendar::default();
        let jan31 = t(tz, 2026, 1, 31, 9, 0);
        assert_eq!(
            Span::new(1, Unit::Months).after(jan31, tz, &cal),
            t(tz, 2026, 2, 28, 9, 0)
        );
        let leap = t(tz, 2028, 1, 31, 9, 0);
        assert_eq!(
            Span::new(1, Unit::Months).after(leap, tz, &cal),
            t(tz, 2028, 2, 29, 9, 0)
        );
    }

    #[test]
    fn days_are_wall_clock_across_dst() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        let cal = Calendar::default();
        let before = t(tz, 2026, 3, 28, 12, 0);
        let after = Span::new(1, Unit::Days).after(before, tz, &cal);
        assert_eq!(after, t(tz, 2026, 3, 29, 12, 0));
        assert_eq!((after - before).num_hours(), 23);
        assert_eq!(
            (Span::new(24, Unit::Hours).after(before, tz, &cal) - before).num_hours(),
            24
        );
    }
}
