//! Incident ids that read well over the phone: `YYYYMMDD-NNN`.
//!
//! Rules: the date is the known time's date in the rules' zone; the number counts incidents
//! known that day from 1, at least three digits (`20260310-002`, then `20260310-1000`).

use std::fmt;

use chrono::NaiveDate;

use crate::i18n::Msg;
use crate::msg;

/// An incident id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId {
    pub date: NaiveDate,
    pub number: u32,
}

impl IncidentId {
    pub fn new(date: NaiveDate, number: u32) -> IncidentId {
        IncidentId { date, number }
    }

    /// The day part, `YYYYMMDD`, under which numbers are allocated.
    pub fn day(date: NaiveDate) -> String {
        date.format("%Y%m%d").to_string()
    }

    pub fn parse(text: &str) -> Result<IncidentId, Msg> {
        let t = text.trim();
        let refuse = || {
            msg!(
                "`{t}` is not an incident id: ids look like 20260310-001 (the date, a dash, a number)",
                "“{t}”不是事件编号：编号形如 20260310-001（日期、短横线、序号）"
            )
        };
        let (day, num) = t.split_once('-').ok_or_else(refuse)?;
        if day.len() != 8 || num.len() < 3 || !num.chars().all(|c| c.is_ascii_digit()) {
            return Err(refuse());
        }
        let date = NaiveDate::parse_from_str(day, "%Y%m%d").map_err(|_| refuse())?;
        let number: u32 = num.parse().map_err(|_| refuse())?;
        if number == 0 || (num.len() > 3 && num.starts_with('0')) {
            return Err(refuse());
        }
        Ok(IncidentId { date, number })
    }
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", Self::day(self.date), self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).expect("valid")
    }

    #[test]
    fn formats_with_three_digits_then_more() {
        assert_eq!(IncidentId::new(d(), 2).to_string(), "20260310-002");
        assert_eq!(IncidentId::new(d(), 999).to_string(), "20260310-999");
        assert_eq!(IncidentId::new(d(), 1000).to_string(), "20260310-1000");
    }

    #[test]
    fn parses_what_it_formats() {
        for n in [1, 42, 999, 1000, 12345] {
            let id = IncidentId::new(d(), n);
            assert_eq!(IncidentId::parse(&id.to_string()), Ok(id));
        }
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "20260310",
            "20260310-1",
            "20261310-001",
            "20260310-000",
            "20260310-0001",
            "x-001",
            "20260310-00a",
        ] {
            assert!(IncidentId::parse(bad).is_err(), "{bad}");
        }
    }
}
