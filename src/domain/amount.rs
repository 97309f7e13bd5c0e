//! Amounts of money as duty officers write them: `12000000`, `1.2e7`, `1200万`, `1.2亿元`.
//!
//! Rules: the result is whole yuan, never negative; `万` is 10⁴ and `亿` 10⁸; `,` and `_`
//! separators and a trailing `元` are accepted; a fraction of a yuan, a negative or an
//! out-of-range amount is refused rather than rounded, so no figure changes silently.

use crate::i18n::Msg;
use crate::msg;

/// Parses an amount in yuan.
pub fn parse_amount(input: &str) -> Result<i64, Msg> {
    let refuse = || {
        msg!(
            "`{input}` is not an amount of yuan: write e.g. 12000000, 1.2e7 or 1200万",
            "“{input}”不是金额（元）：应写作 12000000、1.2e7 或 1200万 等形式"
        )
    };
    let mut s: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | '，'))
        .collect();
    if let Some(stripped) = s.strip_suffix('元') {
        s = stripped.trim_end().to_owned();
    }
    let (number, scale_exp) = if let Some(n) = s.strip_suffix('亿') {
        (n.trim_end(), 8)
    } else if let Some(n) = s.strip_suffix('万') {
        (n.trim_end(), 4)
    } else {
        (s.as_str(), 0)
    };
    let (mantissa, exp) = split_exponent(number).ok_or_else(refuse)?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(refuse());
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        if number.starts_with('-') {
            return Err(msg!(
                "`{input}` is negative: a loss is a positive amount",
                "“{input}”为负数：损失金额应为正数"
            ));
        }
        return Err(refuse());
    }
    // Exact decimal arithmetic: digits × 10^(exp + scale − fraction digits).
    let digits = format!("{int_part}{frac_part}");
    let power = exp + scale_exp - i32::try_from(frac_part.len()).map_err(|_| refuse())?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(0);
    }
    let too_big = || {
        msg!(
            "`{input}` is too large to be an amount",
            "“{input}”数值过大，不是有效金额"
        )
    };
    if power >= 0 {
        let base: i64 = digits.parse().map_err(|_| too_big())?;
        let factor = 10i64
            .checked_pow(power.unsigned_abs())
            .ok_or_else(too_big)?;
        base.checked_mul(factor).ok_or_else(too_big)
    } else {
        let cut = power.unsigned_abs() as usize;
        let (whole, frac) = if digits.len() > cut {
            digits.split_at(digits.len() - cut)
        } else {
            ("", digits)
        };
        if frac.chars().any(|c| c != '0') {
            return Err(msg!(
                "`{input}` has a fraction of a yuan: amounts are whole yuan",
                "“{input}”含有不足一元的部分：金额以整元计"
            ));
        }
        if whole.is_empty() {
            return Ok(0);
        }
        whole.parse().map_err(|_| too_big())
    }
}

/// Splits `1.2e7` into `("1.2", 7)`.
fn split_exponent(s: &str) -> Option<(&str, i32)> {
    match s.find(['e', 'E']) {
        Some(i) => {
            let exp: i32 = s[i + 1..].trim_start_matches('+').parse().ok()?;
            if !(-30..=30).contains(&exp) {
                return None;
            }
            Some((&s[..i], exp))
        }
        None => Some((s, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_of_design_are_equal() {
        assert_eq!(parse_amount("12000000"), Ok(12_000_000));
        assert_eq!(parse_amount("1.2e7"), Ok(12_000_000));
        assert_eq!(parse_amount("1200万"), Ok(12_000_000));
    }

    #[test]
    fn other_forms() {
        assert_eq!(parse_amount("12,000,000"), Ok(12_000_000));
        assert_eq!(parse_amount("1.2亿"), Ok(120_000_000));
        assert_eq!(parse_amount("1200万元"), Ok(12_000_000));
        assert_eq!(parse_amount("350元"), Ok(350));
        assert_eq!(parse_amount("0.5万"), Ok(5_000));
        assert!(
            parse_amount("1.23456万").is_err(),
            "12345.6 yuan is not whole"
        );
        assert_eq!(parse_amount("1E3"), Ok(1000));
        assert_eq!(parse_amount("0"), Ok(0));
        assert_eq!(parse_amount("9223372036854775807"), Ok(i64::MAX));
    }

    #[test]
    fn refusals_say_why() {
        for (bad, why) in [
            ("12.5", "fraction"),
            ("-5", "negative"),
            ("abc", "not an amount"),
            ("", "not an amount"),
            ("1e40", "not an amount"),
            ("99999999999999999999", "too large"),
            ("1万亿", "not an amount"),
        ] {
            let e = parse_amount(bad).expect_err(bad);
            assert!(e.en.contains(why), "{bad}: {}", e.en);
        }
    }
}
