//! Every error of the settings at the top of a rules file and of its figures: the time zone, the
//! three ways a duration is refused (wherever a duration outside the steps is written), times of
//! day, the bypass policy, channels and the default channel, and declared figures.
//!
//! Positions are counted by hand from the numbered lines of `BASE` (see `tests.rs`); a value's
//! column is that of its opening quote, bracket or brace.

use super::*;

#[test]
fn a_time_zone_that_is_not_iana_is_refused_at_its_value() {
    check(&[(
        "unknown zone",
        Replace(r#""Asia/Shanghai""#, r#""China/Beijing""#),
        2,
        13,
        "time_zone",
        "`China/Beijing` is not an IANA time zone: write one such as \"Asia/Shanghai\"",
    )]);
}

#[test]
fn a_duration_is_refused_for_its_unit_its_number_or_being_zero() {
    check(&[
        (
            "a unit spelt out",
            Replace(r#"warning = "15m""#, r#"warning = "15 minutes""#),
            3,
            11,
            "warning",
            "`15 minutes` is not a duration: write a whole number and a unit, m (minutes), h (hours), d (days), w (weeks), mo (calendar months) or bd (business days)",
        ),
        (
            "no number",
            Replace(r#"warning = "15m""#, r#"warning = "h""#),
            3,
            11,
            "warning",
            "`h` is not a duration: it needs a whole number before the unit",
        ),
        (
            "a number too large",
            Replace(r#"warning = "15m""#, r#"warning = "99999999999m""#),
            3,
            11,
            "warning",
            "`99999999999m` is too large a duration: the number can be at most 4294967295",
        ),
        (
            "a fraction",
            Replace(r#"warning = "15m""#, r#"warning = "1.5h""#),
            3,
            11,
            "warning",
            "`1.5h` is not a duration: write a whole number and a unit",
        ),
        (
            "zero",
            Replace(r#"warning = "15m""#, r#"warning = "0m""#),
            3,
            11,
            "warning",
            "`0m` is zero: durations must be positive",
        ),
        (
            "the default casualty window",
            Replace(
                r#"casualty_window = "30d""#,
                r#"casualty_window = "30 days""#,
            ),
            6,
            19,
            "casualty_window",
            "`30 days` is not a duration",
        ),
        (
            "a severity's casualty window",
            Replace(
                "exposed = 10 }\ncasualty_window = \"7d\"",
                "exposed = 10 }\ncasualty_window = \"0d\"",
            ),
            20,
            19,
            "severities[high].casualty_window",
            "`0d` is zero",
        ),
        (
            "a kind's casualty window",
            Replace(
                "id = \"fire\"\ncasualty_window = \"7d\"",
                "id = \"fire\"\ncasualty_window = \"7\"",
            ),
            28,
            19,
            "kinds[fire].casualty_window",
            "`7` is not a duration: write a whole number and a unit",
        ),
    ]);
}

#[test]
fn a_business_day_warning_without_a_calendar_is_refused() {
    check(&[(
        "warning in bd",
        Replace(r#"warning = "15m""#, r#"warning = "1bd""#),
        3,
        11,
        "warning",
        "a business-day duration (bd) needs a [calendar] table",
    )]);
}

#[test]
fn a_day_start_must_be_hh_mm_and_not_24_00() {
    check(&[
        (
            "words",
            Replace(r#"day_starts = "08:00""#, r#"day_starts = "8 o'clock""#),
            4,
            14,
            "day_starts",
            "`8 o'clock` is not a time of day: write HH:MM, e.g. \"08:00\"",
        ),
        (
            "24:00 ends a business day but starts no duty day",
            Replace(r#"day_starts = "08:00""#, r#"day_starts = "24:00""#),
            4,
            14,
            "day_starts",
            "`24:00` is not a time of day",
        ),
    ]);
}

#[test]
fn an_unknown_bypass_policy_lists_the_three() {
    check(&[(
        "sometimes",
        Replace(r#""forbidden""#, r#""sometimes""#),
        5,
        10,
        "bypass",
        "`sometimes` is not a bypass policy: use forbidden, with_reason or allowed",
    )]);
}

#[test]
fn channel_errors_point_at_the_channel() {
    check(&[
        (
            "an empty list",
            Replace(
                r#"channels = ["phone", { id = "written", label = "书面" }]"#,
                "channels = []",
            ),
            7,
            12,
            "channels",
            "no channels: list at least one, e.g. [\"phone\", \"written\"]",
        ),
        (
            "a plain id with a space",
            Replace(r#"["phone","#, r#"["by phone","#),
            7,
            13,
            "channels",
            "`by phone` is not a usable id: ids are one word without spaces, quotes, commas or colons",
        ),
        (
            "a plain id after a table with a Chinese label (columns count characters)",
            Replace(
                r#"["phone", { id = "written", label = "书面" }]"#,
                r#"[{ id = "written", label = "书面" }, "by phone"]"#,
            ),
            7,
            47,
            "channels",
            "`by phone` is not a usable id",
        ),
        (
            "a table's id with a colon",
            Replace(r#"{ id = "written","#, r#"{ id = "written:1","#),
            7,
            22,
            "channels",
            "`written:1` is not a usable id",
        ),
        (
            "a plain id and a table with the same id",
            Replace(r#"{ id = "written","#, r#"{ id = "phone","#),
            7,
            22,
            "channels",
            "channel `phone` is declared twice: ids must be unique",
        ),
        (
            "a default channel not listed",
            Replace(r#"default_channel = "phone""#, r#"default_channel = "fax""#),
            8,
            19,
            "default_channel",
            "unknown channel `fax`; the channels are: phone, written",
        ),
    ]);
}

#[test]
fn figure_errors_point_at_the_figure_id() {
    check(&[
        (
            "a built-in figure declared again",
            Replace(r#"id = "exposed""#, r#"id = "deaths""#),
            11,
            6,
            "figures.id",
            "`deaths` is a built-in figure already (deaths, missing, serious_injuries, injuries, trapped, evacuated, direct_loss); declare only new ones",
        ),
        (
            "a figure declared twice",
            Replace(
                "label = \"暴露\"\n",
                "label = \"暴露\"\n\n[[figures]]\nid = \"exposed\"\n",
            ),
            15,
            6,
            "figures.id",
            "figure `exposed` is declared twice",
        ),
        (
            "an id with a comma",
            Replace(r#"id = "exposed""#, r#"id = "ex,posed""#),
            11,
            6,
            "figures.id",
            "`ex,posed` is not a usable id",
        ),
    ]);
}

#[test]
fn top_level_errors_in_chinese() {
    check_zh(&[
        (
            "time zone",
            Replace(r#""Asia/Shanghai""#, r#""China/Beijing""#),
            "“China/Beijing”不是 IANA 时区",
        ),
        (
            "zero duration",
            Replace(r#"warning = "15m""#, r#"warning = "0m""#),
            "“0m”为零：时长必须为正",
        ),
        (
            "a unit spelt out",
            Replace(r#"warning = "15m""#, r#"warning = "15 minutes""#),
            "“15 minutes”不是有效的时长：应为整数加单位 m（分钟）",
        ),
        (
            "a number too large",
            Replace(r#"warning = "15m""#, r#"warning = "99999999999m""#),
            "“99999999999m”过大：数字最大为 4294967295",
        ),
        (
            "a built-in figure",
            Replace(r#"id = "exposed""#, r#"id = "deaths""#),
            "“deaths”已是内置统计项",
        ),
    ]);
}
