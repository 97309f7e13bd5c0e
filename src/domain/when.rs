//! The times duty officers type, in the rules' time zone.
//!
//! Accepted: RFC 3339 (`2026-03-10T14:05:00+08:00`); `2026-03-10 14:05` (seconds optional, `/`
//! or `年月日` as separators, `14时05分`); `03-10 14:05` (this year's, or last year's when this
//! year's is still ahead); `14:05` (today's, or yesterday's when today's is still ahead);
//! `yesterday 14:05` / `昨天 14:05` and `today 14:05` / `今天 14:05`; `30m ago`, `2h ago`,
//! `1h30m ago`, `2d ago` / `30分钟前`, `2小时前`, `1天前`; `now` / `现在`. Full-width digits and
//! colons are read as their ASCII forms.
//!
//! Refused, with the reason: a time more than [`FUTURE_SLACK_SECS`] ahead of now, and a local
//! time that does not exist or happens twice in the zone (a DST change) unless an offset is
//! given. "Ahead" allows for clocks a few minutes apart.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::model::Instant;
use crate::i18n::Msg;
use crate::msg;
use crate::tz::{self, LocalProblem};

/// How far ahead of now a claimed time may be (clocks disagree by a few minutes).
pub const FUTURE_SLACK_SECS: i64 = 5 * 60;

/// Parses the time of an entry as typed, relative to `now`, in zone `tz`; refuses one in the
/// future. A time of day alone is today's: one later than now is refused as in the future (with
/// the way to say yesterday), never moved to yesterday behind the officer's back.
pub fn parse_when(input: &str, now: Instant, tz: Tz) -> Result<Instant, Msg> {
    if let Some(today) = bare_time_today(input, now, tz)?
        && (today - now).num_seconds() > FUTURE_SLACK_SECS
    {
        let (t, n) = (input.trim(), tz::short(tz, now));
        return Err(msg!(
            "`{t}` is later than now ({n}): a time of day alone is today's, and an entry cannot be in the future; for yesterday write `yesterday {t}`",
            "“{t}”晚于现在（{n}）：只写时刻即指今天，记录不能是将来的时间；如指昨天，请写 `昨天 {t}`"
        ));
    }
    past(input, now, tz)
}

/// Parses a time of the incident (`--occurred`, `--known`) as typed: like [`parse_when`], but a
/// time of day later than now is yesterday's, and a note says so (`09:30` typed at 09:00).
pub fn parse_past(input: &str, now: Instant, tz: Tz) -> Result<(Instant, Option<Msg>), Msg> {
    let t = past(input, now, tz)?;
    let note = match bare_time_today(input, now, tz)? {
        Some(today) if today != t => {
            let (typed, shown) = (input.trim(), tz::short(tz, t));
            Some(msg!(
                "note: `{typed}` is later than now, so it is read as yesterday, {shown}",
                "注意：“{typed}”晚于现在，按昨天计，即 {shown}"
            ))
        }
        _ => None,
    };
    Ok((t, note))
}

/// Today's instant of a time of day typed alone (`14:05`, `14时05分`), or `None` for any other
/// form.
fn bare_time_today(input: &str, now: Instant, tz: Tz) -> Result<Option<Instant>, Msg> {
    let text = normalize(input);
    let (date_part, time_part) = split_date_time(&text);
    if time_part.is_some() || parse_date(date_part, 2000).is_some() {
        return Ok(None);
    }
    let Some(time) = parse_time_of_day(&text) else {
        return Ok(None);
    };
    let today = tz::local(tz, now).date();
    resolve(tz, today.and_time(time), &text)
        .map(Some)
        .map_err(|e| e.unwrap_or_else(|| unknown_form(input)))
}

/// Any typed time, refusing the future.
fn past(input: &str, now: Instant, tz: Tz) -> Result<Instant, Msg> {
    let t = parse_bound(input, now, tz)?;
    if (t - now).num_seconds() > FUTURE_SLACK_SECS {
        let shown = tz::short(tz, t);
        let now_shown = tz::short(tz, now);
        return Err(msg!(
            "`{input}` ({shown}) is in the future (now is {now_shown}): times are when something happened, give a past time",
            "“{input}”（{shown}）是将来的时间（现在是 {now_shown}）：应填写已发生的时间"
        ));
    }
    Ok(t)
}

/// Parses a time as typed, which may be in the future (the end of a report window).
pub fn parse_bound(input: &str, now: Instant, tz: Tz) -> Result<Instant, Msg> {
    let text = normalize(input);
    let t = parse_any(&text, now, tz).map_err(|e| e.unwrap_or_else(|| unknown_form(input)))?;
    in_range(input, tz::whole_seconds(t))
}

/// The first instant sitrep records (1970-01-01 UTC) and the first it no longer does
/// (2101-01-01 UTC): outside, a time is a typing slip, and before 1900 zones have local mean
/// time offsets (`+08:06`) that no export could carry faithfully.
pub fn in_range(input: &str, t: Instant) -> Result<Instant, Msg> {
    let first = Instant::from_timestamp(0, 0).unwrap_or_default();
    let end = Instant::from_timestamp(4_133_980_800, 0).unwrap_or_default();
    if t < first || t >= end {
        return Err(msg!(
            "`{input}` is outside 1970–2100: check the year",
            "“{input}”不在 1970 至 2100 年之间：请核对年份"
        ));
    }
    Ok(t)
}

/// Parses `--since`: a time as [`parse_when`] takes, or a duration back from `base` (`7d`,
/// `48h`), where `base` is the moment asked about (now, or `check --at`'s moment). Times of day
/// are read relative to it too, and may not be after it.
pub fn parse_since(input: &str, base: Instant, tz: Tz) -> Result<Instant, Msg> {
    let text = normalize(input);
    if let Some(d) = parse_duration(&text) {
        return base
            .checked_sub_signed(d)
            .ok_or_else(|| unknown_form(input));
    }
    parse_when(input, base, tz)
}

fn unknown_form(input: &str) -> Msg {
    msg!(
        "`{input}` is not a time sitrep reads: write e.g. `14:05`, `yesterday 14:05`, `03-10 14:05`, `2026-03-10 14:05`, `2026-03-10T14:05:00+08:00`, `30m ago` or `now`",
        "无法识别的时间“{input}”：可写作 `14:05`、`昨天 14:05`、`03-10 14:05`、`2026-03-10 14:05`、`2026-03-10T14:05:00+08:00`、`30分钟前` 或 `now`"
    )
}

/// Full-width digits and punctuation to ASCII; Chinese date words to separators.
fn normalize(input: &str) -> String {
    let mut s = String::with_capacity(input.len());
    for c in input.trim().chars() {
        match c {
            '０'..='９' => s.push(char::from(b'0' + (u32::from(c) - u32::from('０')) as u8)),
            '：' => s.push(':'),
            '－' => s.push('-'),
            '／' => s.push('/'),
            '\u{3000}' => s.push(' '),
            _ => s.push(c),
        }
    }
    s
}

/// `Err(None)` means "not a form we know"; `Err(Some(m))` a known form with a problem.
fn parse_any(text: &str, now: Instant, tz: Tz) -> Result<Instant, Option<Msg>> {
    let lower = text.to_lowercase();
    if lower == "now" || text == "现在" {
        return Ok(now);
    }
    if let Some(rest) = lower
        .strip_suffix(" ago")
        .or_else(|| lower.strip_suffix("ago"))
        .or_else(|| text.strip_suffix('前'))
    {
        return parse_duration(rest.trim())
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    // RFC 3339 with a space for the `T`, as people write it.
    if text.as_bytes().get(10) == Some(&b' ')
        && let Ok(t) = DateTime::parse_from_rfc3339(&text.replacen(' ', "T", 1))
    {
        return Ok(t.to_utc());
    }

    let today = tz::local(tz, now).date();
    for (words, days_back) in [
        (&["yesterday", "昨天", "昨日"][..], 1),
        (&["today", "今天", "今日"][..], 0),
        (&["前天"][..], 2),
    ] {
        for w in words {
            if let Some(rest) = lower.strip_prefix(w) {
                let time = parse_time_of_day(rest.trim()).ok_or(None)?;
                let date = today - Duration::days(days_back);
                return resolve(tz, date.and_time(time), text);
            }
        }
    }

    let (date_part, time_part) = split_date_time(text);
    let Some(time_part) = time_part else {
        if parse_date(date_part, today.year()).is_some() {
            return Err(Some(msg!(
                "`{text}` has a date but no time of day: add one, e.g. `{text} 14:05`",
                "“{text}”只有日期没有时刻：请加上时刻，例如 `{text} 14:05`"
            )));
        }
        // A time of day alone: today's, or yesterday's if today's is still ahead.
        let time = parse_time_of_day(text).ok_or(None)?;
        let t = resolve(tz, today.and_time(time), text)?;
        if (t - now).num_seconds() > FUTURE_SLACK_SECS {
            return resolve(tz, (today - Duration::days(1)).and_time(time), text);
        }
        return Ok(t);
    };
    let time = parse_time_of_day(time_part).ok_or(None)?;
    let (date, had_year) = parse_date(date_part, today.year()).ok_or(None)?;
    let t = resolve(tz, date.and_time(time), text)?;
    if !had_year && (t - now).num_seconds() > FUTURE_SLACK_SECS {
        // `03-10 14:05` means the most recent 10 March.
        let last_year = date.with_year(date.year() - 1).ok_or(None)?;
        return resolve(tz, last_year.and_time(time), text);
    }
    Ok(t)
}

fn resolve(tz: Tz, local: NaiveDateTime, text: &str) -> Result<Instant, Option<Msg>> {
    tz::resolve_strict(tz, local).map_err(|p| {
        let zone = tz.name();
        // The examples are this time in this zone, written with the offsets in force around it.
        let wall = local.format("%Y-%m-%dT%H:%M:%S");
        let (before, after) = tz::offsets_around(tz, local);
        Some(match p {
            LocalProblem::Nonexistent => msg!(
                "`{text}` does not exist in {zone}: the clocks skip that hour (daylight saving time); give the time with an offset, e.g. {wall}{before} (before the change) or {wall}{after} (after it)",
                "“{text}”在 {zone} 时区不存在：夏令时调整跳过了这一小时；请带时差写明，例如 {wall}{before}（调整前）或 {wall}{after}（调整后）"
            ),
            LocalProblem::Ambiguous => msg!(
                "`{text}` happens twice in {zone} (clocks go back for daylight saving time): give the time with its offset, {wall}{before} (the first) or {wall}{after} (the second)",
                "“{text}”在 {zone} 时区出现两次（夏令时结束时钟回拨）：请带时差写明，{wall}{before}（第一次）或 {wall}{after}（第二次）"
            ),
        })
    })
}

/// Splits `2026-03-10 14:05`, `2026-03-10T14:05` and `3月10日14时05分` into date and time parts.
fn split_date_time(text: &str) -> (&str, Option<&str>) {
    if let Some(i) = text.find('日') {
        let rest = text[i + '日'.len_utf8()..].trim();
        return (&text[..i], (!rest.is_empty()).then_some(rest));
    }
    if let Some((d, t)) = text.split_once([' ', 'T']) {
        return (d.trim(), Some(t.trim()));
    }
    (text, None)
}

/// `2026-03-10`, `2026/3/10`, `2026年3月10`, `03-10`, `3月10`; says whether a year was given.
fn parse_date(text: &str, this_year: i32) -> Option<(NaiveDate, bool)> {
    let parts: Vec<&str> = text
        .split(['-', '/', '年', '月'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let y = i32::try_from(num(y)?).ok()?;
            Some((NaiveDate::from_ymd_opt(y, num(m)?, num(d)?)?, true))
        }
        [m, d] if m.len() <= 2 && d.len() <= 2 => {
            Some((NaiveDate::from_ymd_opt(this_year, num(m)?, num(d)?)?, false))
        }
        _ => None,
    }
}

/// `14:05`, `14:05:30`, `14时05分`, `14点05`, `14时`.
fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let t = text
        .trim()
        .replace(['时', '点'], ":")
        .replace(['分', '秒'], "");
    let t = t.trim_end_matches(':');
    let parts: Vec<&str> = t.split(':').collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [h, m] => NaiveTime::from_hms_opt(num(h)?, num(m)?, 0),
        [h, m, s] => NaiveTime::from_hms_opt(num(h)?, num(m)?, num(s)?),
        [h] if text.contains(['时', '点']) => NaiveTime::from_hms_opt(num(h)?, 0, 0),
        _ => None,
    }
}

/// `30m`, `2h`, `1h30m`, `2d`, `90min`, `30分钟`, `2小时`, `1天`, `1小时30分钟`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut rest = t.as_str();
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let units: [(&str, i64); 14] = [
            ("minutes", 60),
            ("minute", 60),
            ("mins", 60),
            ("min", 60),
            ("分钟", 60),
            ("分", 60),
            ("m", 60),
            ("hours", 3600),
            ("hour", 3600),
            ("小时", 3600),
            ("h", 3600),
            ("days", 86_400),
            ("day", 86_400),
            ("d", 86_400),
        ];
        let (len, secs) = units
            .iter()
            .find(|(u, _)| rest.starts_with(u))
            .map(|(u, s)| (u.len(), *s))
            .or_else(|| rest.starts_with('天').then_some(('天'.len_utf8(), 86_400)))?;
        // Beyond chrono's range a duration is no time at all (not a panic).
        total = total.checked_add(&Duration::try_seconds(n.checked_mul(secs)?)?)?;
        rest = rest[len..].trim_start();
    }
    Some(total)
}

#[cfg(test)]
mod tests;
