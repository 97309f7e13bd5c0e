//! Incident ids that read well over the phone: `YYYYMMDD-NNN`, and on a shared store
//! `CODE-YYYYMMDD-NNN` with the office's code first (`cg-20260310-002`).
//!
//! Rules: the date is the known time's date in the rules' zone; the number counts incidents
//! known that day from 1 (per office on a shared store), at least three digits
//! (`20260310-002`, then `20260310-1000`). An office code is short and lower case: a letter,
//! then up to 15 letters or digits.

use std::fmt;

use chrono::NaiveDate;

use crate::i18n::Msg;
use crate::msg;

/// An incident id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId {
    /// The office's code, on a shared store.
    pub office: Option<String>,
    pub date: NaiveDate,
    pub number: u32,
}

impl IncidentId {
    pub fn new(date: NaiveDate, number: u32) -> IncidentId {
        IncidentId {
            office: None,
            date,
            number,
        }
    }

    /// The id of an office's incident.
    pub fn of_office(office: &str, date: NaiveDate, number: u32) -> IncidentId {
        IncidentId {
            office: Some(office.to_owned()),
            date,
            number,
        }
    }

    /// The day part, `YYYYMMDD`, under which numbers are allocated.
    pub fn day(date: NaiveDate) -> String {
        date.format("%Y%m%d").to_string()
    }

    pub fn parse(text: &str) -> Result<IncidentId, Msg> {
        let t = text.trim();
        let refuse = || {
            msg!(
                "`{t}` is not an incident id: ids look like 20260310-001 (the date, a dash, a number), or cg-20260310-001 on a shared store (the office first)",
                "“{t}”不是事件编号：编号形如 20260310-001（日期、短横线、序号），共享库中形如 `cg-20260310-001`（单位代码在前）"
            )
        };
        let parts: Vec<&str> = t.split('-').collect();
        let (office, day, num) = match parts.as_slice() {
            [day, num] => (None, *day, *num),
            [office, day, num] if is_office_code(office) => {
                (Some((*office).to_owned()), *day, *num)
            }
            _ => return Err(refuse()),
        };
        if day.len() != 8 || num.len() < 3 || !num.chars().all(|c| c.is_ascii_digit()) {
            return Err(refuse());
        }
        let date = NaiveDate::parse_from_str(day, "%Y%m%d").map_err(|_| refuse())?;
        let number: u32 = num.parse().map_err(|_| refuse())?;
        if number == 0 || (num.len() > 3 && num.starts_with('0')) {
            return Err(refuse());
        }
        Ok(IncidentId {
            office,
            date,
            number,
        })
    }

    /// The same incident under an office's code (`import --office`).
    pub fn in_office(self, office: &str) -> IncidentId {
        IncidentId {
            office: Some(office.to_owned()),
            ..self
        }
    }
}

/// Whether `code` is an office code: a lower-case letter, then up to 15 lower-case letters or
/// digits.
pub fn is_office_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && code.len() <= 16
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(o) = &self.office {
            write!(f, "{o}-")?;
        }
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
    fn an_office_code_comes_first() {
        let id = IncidentId::of_office("cg", d(), 2);
        assert_eq!(id.to_string(), "cg-20260310-002");
        assert_eq!(IncidentId::parse("cg-20260310-002"), Ok(id));
        assert_eq!(
            IncidentId::parse("20260310-002").map(|i| i.in_office("x1")),
            Ok(IncidentId::of_office("x1", d(), 2))
        );
        for bad in [
            "CG-20260310-002",
            "1c-20260310-002",
            "c_g-20260310-002",
            "a-b-20260310-002",
        ] {
            assert!(IncidentId::parse(bad).is_err(), "{bad}");
        }
        assert!(is_office_code("cg") && is_office_code("x1234567890abcde"));
        assert!(!is_office_code("") && !is_office_code("x1234567890abcdef"));
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
