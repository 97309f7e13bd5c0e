//! The TOML reader's own errors, before any rule is checked: an unknown key (every table denies
//! them), a value of the wrong type, a missing key, a key written twice, and text that is not
//! TOML; with their Chinese text, which `toml_zh` makes from the reader's English.
//!
//! The reader points at what it read: an unknown key at the key, a wrong type at the value, a
//! missing key at the table that lacks it, a duplicate at its second writing. The key is the
//! table header above joined to the key on the line (`steps.withn`); on a header line, that
//! header's table; on a line of a multi-line list, the list's key; for a missing key, the missing
//! key in its table (`kinds.id`).

use super::*;

#[test]
fn an_unknown_key_is_refused_with_the_keys_allowed_there() {
    check(&[
        (
            "at the top",
            Replace(r#"bypass = "forbidden""#, r#"by_pass = "forbidden""#),
            5,
            1,
            "by_pass",
            "unknown field `by_pass`, expected one of `name`, `time_zone`, `warning`, `day_starts`, `bypass`,",
        ),
        (
            "in a step",
            Replace(r#"within = "15m""#, r#"withn = "15m""#),
            51,
            1,
            "steps.withn",
            "unknown field `withn`, expected one of `id`, `label`, `escalate`, `via`, `report`, `from`, `within`, `every`, `no_later_than`, `min_severity`, `max_severity`, `kinds`",
        ),
        (
            "in a level",
            Replace("rank = 2", "rang = 2"),
            39,
            1,
            "levels.rang",
            "unknown field `rang`, expected one of `id`, `label`, `rank`",
        ),
        (
            "in a channel table",
            Replace(r#"label = "书面" }"#, r#"lable = "书面" }"#),
            7,
            22,
            "channels",
            "unknown field `lable`, expected `id` or `label`",
        ),
    ]);
}

#[test]
fn a_value_of_the_wrong_type_is_refused_at_the_value() {
    check(&[
        (
            "a number for a string",
            Replace(r#""Asia/Shanghai""#, "8"),
            2,
            13,
            "time_zone",
            "invalid type: integer `8`, expected a string",
        ),
        (
            "a string for a number",
            Replace("rank = 1", "rank = \"1\""),
            35,
            8,
            "levels.rank",
            "invalid type: string \"1\", expected i64",
        ),
        (
            "a string for a threshold",
            Replace("{ deaths = 10 }", "{ deaths = \"ten\" }"),
            24,
            23,
            "severities.at_least",
            "invalid type: string \"ten\", expected i64",
        ),
        (
            "a string for a boolean",
            Replace(
                "[reports.followup]\n",
                "[reports.followup]\nconfirmed_cause = \"no\"\n",
            ),
            45,
            19,
            "reports.followup.confirmed_cause",
            "invalid type: string \"no\", expected a boolean",
        ),
        (
            "a string for a list",
            Replace(r#"kinds = ["fire", "flood"]"#, r#"kinds = "fire""#),
            61,
            9,
            "steps.kinds",
            "invalid type: string \"fire\", expected a sequence",
        ),
        (
            "a number in a list of anchors",
            Replace(r#""step:tell-chief"]"#, "2]"),
            57,
            21,
            "steps.from",
            "invalid type: integer `2`, expected a string",
        ),
    ]);
}

#[test]
fn a_key_written_twice_is_refused_at_the_second() {
    check(&[
        (
            "a setting",
            Replace(
                "warning = \"15m\"\n",
                "warning = \"15m\"\nwarning = \"30m\"\n",
            ),
            4,
            1,
            "warning",
            "duplicate key",
        ),
        (
            "in a channel table",
            Replace(r#"label = "书面" }"#, r#"id = "fax" }"#),
            7,
            40,
            "channels",
            "duplicate key",
        ),
    ]);
}

#[test]
fn text_that_is_not_toml_is_refused_where_it_stops_being_toml() {
    check(&[(
        "an unclosed string",
        Replace(r#"warning = "15m""#, r#"warning = "15m"#),
        3,
        15,
        "warning",
        "invalid basic string",
    )]);
}

#[test]
fn the_reader_s_errors_in_chinese() {
    check_zh(&[
        (
            "unknown key",
            Replace(r#"within = "15m""#, r#"withn = "15m""#),
            "未知的键“withn”；此处可用的键：id、label、escalate、via、report、from、within、every、no_later_than、min_severity、max_severity、kinds",
        ),
        (
            "a number for a string",
            Replace(r#""Asia/Shanghai""#, "8"),
            "类型不符：应为字符串，实为整数",
        ),
        (
            "a string for a number",
            Replace("rank = 1", "rank = \"1\""),
            "类型不符：应为整数，实为字符串 \"1\"",
        ),
        (
            "a string for a boolean",
            Replace(
                "[reports.followup]\n",
                "[reports.followup]\nconfirmed_cause = \"no\"\n",
            ),
            "应为布尔值",
        ),
        (
            "a string for a list",
            Replace(r#"kinds = ["fire", "flood"]"#, r#"kinds = "fire""#),
            "应为列表",
        ),
        (
            "a missing key",
            Replace(
                "[[kinds]]\nid = \"flood\"\n",
                "[[kinds]]\nlabel = \"洪水\"\n",
            ),
            "缺少必填的键“id”",
        ),
        (
            "a duplicate key",
            Replace(
                "warning = \"15m\"\n",
                "warning = \"15m\"\nwarning = \"30m\"\n",
            ),
            "键重复：同一个键只能写一次",
        ),
        (
            "not TOML",
            Replace(r#"warning = "15m""#, r#"warning = "15m"#),
            "规则文件格式错误：",
        ),
    ]);
}

#[test]
fn an_error_at_a_table_header_names_that_table_not_the_one_above() {
    check(&[
        (
            "an unknown top-level table",
            Append("\n[calender]\nweekend = []\n"),
            78,
            2,
            "calender",
            "unknown field `calender`, expected one of `name`, `time_zone`",
        ),
        (
            "an unknown report stage",
            Replace("[reports.followup]", "[reports.folowup]"),
            44,
            10,
            "reports.folowup",
            "unknown field `folowup`, expected one of `initial`, `followup`, `final`",
        ),
        (
            "a table written twice",
            Append("\n[reports.initial]\nlabel = \"首报\"\n"),
            78,
            10,
            "reports.initial",
            "duplicate key",
        ),
    ]);
}

#[test]
fn an_error_on_a_line_of_a_multi_line_list_names_the_list_s_key() {
    let multi_line = "channels = [\n  \"phone\",\n  { id = \"written\", lable = \"书面\" },\n]";
    check(&[
        (
            "an unknown key in a channel table",
            Replace(
                r#"channels = ["phone", { id = "written", label = "书面" }]"#,
                multi_line,
            ),
            9,
            3,
            "channels",
            "unknown field `lable`, expected `id` or `label`",
        ),
        (
            "a number among the channels",
            Replace(
                r#"channels = ["phone", { id = "written", label = "书面" }]"#,
                "channels = [\n  \"phone\",\n  5,\n]",
            ),
            9,
            3,
            "channels",
            "invalid type: integer `5`, expected a channel id",
        ),
        (
            "a number among a step's kinds",
            Replace(
                r#"kinds = ["fire", "flood"]"#,
                "kinds = [\n  \"fire\",\n  3,\n]",
            ),
            63,
            3,
            "steps.kinds",
            "invalid type: integer `3`, expected a string",
        ),
    ]);
}

#[test]
fn a_missing_key_is_named_in_the_table_that_lacks_it() {
    check(&[
        (
            "the time zone, at the start of the file",
            Replace("time_zone = \"Asia/Shanghai\"\n", ""),
            1,
            1,
            "time_zone",
            "missing field `time_zone`",
        ),
        (
            "a kind's id, at its header",
            Replace(
                "[[kinds]]\nid = \"flood\"\n",
                "[[kinds]]\nlabel = \"洪水\"\n",
            ),
            30,
            1,
            "kinds.id",
            "missing field `id`",
        ),
        (
            "a step's id, at its header",
            Replace("[[steps]]\nid = \"followup\"\n", "[[steps]]\n"),
            63,
            1,
            "steps.id",
            "missing field `id`",
        ),
        (
            "a bound's within, at its header",
            Replace(
                "from = \"occurred\"\nwithin = \"60d\"\n",
                "from = \"occurred\"\n",
            ),
            74,
            1,
            "steps.no_later_than.within",
            "missing field `within`",
        ),
        (
            "a channel table's id, at its brace",
            Replace(
                r#"{ id = "written", label = "书面" }"#,
                r#"{ label = "书面" }"#,
            ),
            7,
            22,
            "channels.id",
            "missing field `id`",
        ),
    ]);
}

#[test]
fn a_wrong_type_for_an_anchor_or_a_channel_says_what_is_allowed_in_both_languages() {
    let from = Replace(r#"from = "known""#, "from = 15");
    let channel = Replace(r#"["phone","#, "[1,");
    check(&[
        (
            "a number for from",
            from,
            50,
            8,
            "steps.from",
            "invalid type: integer `15`, expected an anchor (\"occurred\", \"known\", \"step:<id>\" or \"last:<id>\") or a list of them",
        ),
        (
            "a number for a channel",
            channel,
            7,
            13,
            "channels",
            "invalid type: integer `1`, expected a channel id (\"phone\") or { id = \"phone\", label = \"电话\" }",
        ),
    ]);
    check_zh(&[
        (
            "a number for from",
            from,
            "类型不符：应为起算时点（occurred、known、step:<环节标识> 或 last:<环节标识>）或其列表，实为整数",
        ),
        (
            "a number for a channel",
            channel,
            "类型不符：应为报送方式标识（如 \"phone\"）或 { id = \"phone\", label = \"电话\" }，实为整数",
        ),
    ]);
}
