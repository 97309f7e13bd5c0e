//! What an answer means: pure readers from what was typed to a value, or to the message that
//! says why not.
//!
//! Rules:
//! - Each reader is its flag's own check (`parse_when`, `Rules::kind_id`, `parse_amount`,
//!   `check_figure`, `clean_line`/`clean_text`), and a flag's value is read by the same reader
//!   as an answer, so a prompt and a flag accept exactly the same values.
//! - What an empty answer means (leaving the field out) is the question's, not the reader's: a
//!   flag given empty is refused as it always was.
//! - No reader reads the clock, the environment or the terminal: `now` is an argument.

use chrono_tz::Tz;

use crate::domain::amount::parse_amount;
use crate::domain::model::Instant;
use crate::domain::replay::check_initial_times;
use crate::domain::when::parse_past;
use crate::i18n::Msg;
use crate::msg;
use crate::rules::Rules;

/// When it happened: a time [`parse_past`] reads (a time of day later than now is yesterday's),
/// not after the known time (`known` if already given, else the report's time `at`).
pub fn occurred(
    typed: &str,
    now: Instant,
    tz: Tz,
    known: Option<Instant>,
    at: Instant,
) -> Result<Instant, Msg> {
    let t = parse_past(typed, now, tz)?.0;
    match known {
        Some(k) => check_initial_times(t, k, at, tz)?,
        None if t > at => {
            let (o, a) = (crate::tz::short(tz, t), crate::tz::short(tz, at));
            return Err(msg!(
                "`{typed}` ({o}) is after this report's time {a}: an incident is reported after it happens",
                "“{typed}”（{o}）晚于本次报告时间 {a}：应先发生、后报告"
            ));
        }
        None => {}
    }
    Ok(t)
}

/// When the office learned of it (接报时间): `None` (Enter, or no flag) is the report's time
/// `at`; else a time [`parse_past`] reads. Between the occurred time and `at`.
pub fn known(
    typed: Option<&str>,
    now: Instant,
    tz: Tz,
    occurred: Instant,
    at: Instant,
) -> Result<Instant, Msg> {
    let t = match typed {
        Some(s) => parse_past(s, now, tz)?.0,
        None => at,
    };
    check_initial_times(occurred, t, at, tz)?;
    Ok(t)
}

/// A kind, by its id or label as [`Rules::kind_id`] takes them, or as [`kind_choices`] shows it.
pub fn kind(rules: &Rules, typed: &str) -> Result<String, Msg> {
    let t = typed.trim();
    if let Some(k) = rules
        .kinds
        .iter()
        .find(|k| t == format!("{} ({})", k.id, k.label))
    {
        return Ok(k.id.clone());
    }
    rules.kind_id(typed)
}

/// The kinds to offer for what has been typed so far, as shown in the current language: every
/// kind whose id or label contains it (case, spaces and `-`/`_` ignored), all of them for
/// nothing typed.
pub fn kind_choices(rules: &Rules, typed: &str) -> Vec<String> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '-' { '_' } else { c })
            .flat_map(char::to_lowercase)
            .collect()
    };
    let t = norm(typed);
    rules
        .kinds
        .iter()
        .filter(|k| norm(&k.id).contains(&t) || norm(&k.label).contains(&t))
        .map(|k| crate::render::item(&k.id, &k.label))
        .collect()
}

/// A count of people for figure `name`: a whole number within
/// [`check_figure`](crate::domain::replay::check_figure)'s bounds.
pub fn count(name: &str, typed: &str) -> Result<i64, Msg> {
    let s = typed.trim();
    let n: i64 = s.parse().map_err(|_| {
        msg!(
            "`{s}` is not a whole number: write the number of people, e.g. 2 (or nothing, to leave it out)",
            "“{s}”不是整数：请填写人数，如 2（不填则留空）"
        )
    })?;
    crate::domain::replay::check_figure(name, n)?;
    Ok(n)
}

/// The direct loss in yuan (`12000000`, `1.2e7`, `1200万`).
pub fn amount(typed: &str) -> Result<i64, Msg> {
    let n = parse_amount(typed)?;
    crate::domain::replay::check_figure("direct_loss", n)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Instant {
        at("2026-03-10T14:20:00+08:00")
    }

    fn at(s: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("a time")
            .to_utc()
    }

    fn zh(r: Result<impl std::fmt::Debug, Msg>) -> String {
        r.expect_err("refused").zh
    }

    #[test]
    fn times_are_read_as_the_flags_read_them() {
        let tz = Rules::builtin().tz;
        let n = now();
        assert_eq!(
            occurred("13:40", n, tz, None, n),
            Ok(at("2026-03-10T13:40:00+08:00"))
        );
        assert!(zh(occurred("下午两点", n, tz, None, n)).contains("无法识别的时间“下午两点”"));
        assert!(zh(occurred("2026-03-10 14:40", n, tz, None, n)).contains("将来的时间"));
        // Not after a known time given as a flag, nor after the report's time.
        let k = at("2026-03-10T13:30:00+08:00");
        assert!(zh(occurred("13:40", n, tz, Some(k), n)).contains("早于发生时间"));
        assert!(
            zh(occurred("14:00", n, tz, None, k)).contains("晚于本次报告时间 2026-03-10 13:30")
        );
        let o = at("2026-03-10T13:40:00+08:00");
        assert_eq!(known(None, n, tz, o, n), Ok(n), "Enter keeps now");
        assert!(
            zh(known(Some(""), n, tz, o, n)).contains("无法识别"),
            "a flag given empty"
        );
        assert_eq!(
            known(Some("13:50"), n, tz, o, n),
            Ok(at("2026-03-10T13:50:00+08:00"))
        );
        assert_eq!(
            known(Some("30分钟前"), n, tz, o, n),
            Ok(at("2026-03-10T13:50:00+08:00"))
        );
        assert!(
            zh(known(Some("13:30"), n, tz, o, n))
                .contains("获知时间 2026-03-10 13:30 早于发生时间")
        );
        assert!(zh(known(Some("下午"), n, tz, o, n)).contains("无法识别"));
        // Within the five minutes clocks may disagree by, but after the report itself.
        assert!(zh(known(Some("14:23"), n, tz, o, n)).contains("首报时间"));
    }

    #[test]
    fn a_kind_by_id_label_or_as_offered_and_a_misspelling_says_the_nearest() {
        let r = Rules::builtin();
        for typed in ["gas", "燃气", " 燃气 ", "GAS", "gas (燃气)"] {
            assert_eq!(kind(&r, typed), Ok("gas".to_owned()), "{typed}");
        }
        let e = kind(&r, "燃汽").expect_err("misspelt");
        assert!(e.zh.contains("是否想用“燃气”？"), "{}", e.zh);
        assert!(e.en.contains("did you mean gas (燃气)?"), "{}", e.en);
        assert!(kind(&r, "").is_err());
    }

    #[test]
    fn the_kinds_offered_narrow_as_one_types() {
        let r = Rules::builtin();
        crate::i18n::set_lang(crate::i18n::Lang::Zh);
        assert_eq!(kind_choices(&r, "").len(), r.kinds.len());
        assert_eq!(kind_choices(&r, "危险"), vec!["危险化学品".to_owned()]);
        assert!(kind_choices(&r, "燃汽").is_empty());
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(kind_choices(&r, "road-t"), vec!["road_traffic (道路交通)"]);
        for shown in kind_choices(&r, "") {
            assert!(kind(&r, &shown).is_ok(), "{shown} is offered but refused");
        }
    }

    #[test]
    fn counts_are_whole_numbers_within_bounds() {
        assert_eq!(count("deaths", "2"), Ok(2));
        assert_eq!(count("deaths", " 0 "), Ok(0));
        assert_eq!(count("evacuated", "10000000"), Ok(10_000_000));
        assert!(zh(count("deaths", "两")).contains("不是整数"));
        assert!(zh(count("deaths", "2.5")).contains("不是整数"));
        assert!(zh(count("deaths", "")).contains("不是整数"));
        assert!(zh(count("deaths", "-1")).contains("不能为负数"));
        assert!(zh(count("evacuated", "10000001")).contains("请核对数字"));
    }

    #[test]
    fn amounts_in_the_forms_officers_write() {
        assert_eq!(amount("1200万"), Ok(12_000_000));
        assert_eq!(amount("1.2e7"), Ok(12_000_000));
        assert!(zh(amount("很多")).contains("不是金额"));
        assert!(zh(amount("-5")).contains("负数"));
        assert!(amount("").is_err());
    }
}
