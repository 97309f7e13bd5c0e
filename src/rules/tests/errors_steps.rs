//! Every error of the steps: ids, the duty (`escalate` or `report`, and `via`), the clock
//! (`within` or `every`, `from`, `no_later_than`), business days without a calendar, anchors
//! (`occurred`, `known`, `step:`, `last:`), severities, kinds and cycles of clock starts.
//!
//! Positions are counted by hand from the numbered lines of `BASE` (see `tests.rs`): the steps
//! are `tell-chief` (lines 47-51), `tell-city` (53-61), `followup` (63-66) and `final` (68-76,
//! with its `no_later_than` on 74-76). An anchor error points at the anchor: the `from`
//! value, or the element of a list.

use super::*;

#[test]
fn a_step_id_must_be_usable_unique_and_no_clock_start() {
    check(&[
        (
            "known",
            Replace(r#"id = "tell-chief""#, r#"id = "known""#),
            48,
            6,
            "steps.id",
            "`known` names a clock start; choose another step id",
        ),
        (
            "occurred",
            Replace(r#"id = "final""#, r#"id = "occurred""#),
            69,
            6,
            "steps.id",
            "`occurred` names a clock start",
        ),
        (
            "a space",
            Replace(r#"id = "tell-chief""#, r#"id = "tell chief""#),
            48,
            6,
            "steps.id",
            "`tell chief` is not a usable id",
        ),
        (
            "declared twice",
            Replace(r#"id = "final""#, r#"id = "followup""#),
            69,
            6,
            "steps.id",
            "step `followup` is declared twice",
        ),
    ]);
}

#[test]
fn a_duty_is_one_known_level_or_one_later_report() {
    check(&[
        (
            "an unknown level",
            Replace(r#"escalate = "chief""#, r#"escalate = "mayor""#),
            49,
            12,
            "steps[tell-chief].escalate",
            "unknown level `mayor`; the levels are: chief, city",
        ),
        (
            "an unknown channel",
            Replace(r#"via = "written""#, r#"via = "pigeon""#),
            56,
            7,
            "steps[tell-city].via",
            "unknown channel `pigeon`; the channels are: phone, written",
        ),
        (
            "a channel on a report",
            Replace(
                "report = \"final\"\n",
                "report = \"final\"\nvia = \"phone\"\n",
            ),
            71,
            7,
            "steps[final].via",
            "`via` names the channel of an escalation; a report step has none",
        ),
        (
            "the initial report",
            Replace(r#"report = "final""#, r#"report = "initial""#),
            70,
            10,
            "steps[final].report",
            "`initial` is not a report a step can ask for: use followup or final (the initial report is the filing itself)",
        ),
        (
            "both escalate and report",
            Replace(
                "escalate = \"chief\"\n",
                "escalate = \"chief\"\nreport = \"final\"\n",
            ),
            48,
            6,
            "steps[tell-chief].escalate",
            "step `tell-chief` must have exactly one of `escalate = \"<level>\"` or `report = \"followup\"|\"final\"`",
        ),
        (
            "neither escalate nor report",
            Replace("escalate = \"chief\"\n", ""),
            48,
            6,
            "steps[tell-chief].escalate",
            "step `tell-chief` must have exactly one of",
        ),
    ]);
}

#[test]
fn a_clock_is_once_or_recurring_never_both_or_neither() {
    check(&[
        (
            "both within and every",
            Replace("every = \"24h\"\n", "every = \"24h\"\nwithin = \"1h\"\n"),
            64,
            6,
            "steps[followup].within",
            "step `followup` must have exactly one of `within = \"<duration>\"` (once) or `every = \"<duration>\"` (recurring)",
        ),
        (
            "neither within nor every",
            Replace("within = \"15m\"\n", ""),
            48,
            6,
            "steps[tell-chief].within",
            "step `tell-chief` must have exactly one of `within",
        ),
        (
            "every on an escalation",
            Replace(r#"within = "15m""#, r#"every = "15m""#),
            51,
            9,
            "steps[tell-chief].every",
            "only a follow-up report recurs: `every` needs `report = \"followup\"`",
        ),
        (
            "every on a final report",
            Replace(r#"report = "followup""#, r#"report = "final""#),
            66,
            9,
            "steps[followup].every",
            "only a follow-up report recurs",
        ),
        (
            "from on a recurring step",
            Replace("every = \"24h\"\n", "every = \"24h\"\nfrom = \"known\"\n"),
            67,
            8,
            "steps[followup].from",
            "a recurring step counts from the latest report; remove `from`",
        ),
        (
            "no_later_than on a recurring step",
            Replace(
                "every = \"24h\"\n",
                "every = \"24h\"\nno_later_than = [{ from = \"occurred\", within = \"30d\" }]\n",
            ),
            67,
            48,
            "steps[followup].no_later_than",
            "a recurring step cannot have `no_later_than`",
        ),
    ]);
}

#[test]
fn step_durations_are_refused_at_their_value() {
    check(&[
        (
            "within zero",
            Replace(r#"within = "1h""#, r#"within = "0h""#),
            58,
            10,
            "steps[tell-city].within",
            "`0h` is zero",
        ),
        (
            "every without a unit",
            Replace(r#"every = "24h""#, r#"every = "24""#),
            66,
            9,
            "steps[followup].every",
            "`24` is not a duration: write a whole number and a unit",
        ),
        (
            "no_later_than without a number",
            Replace(r#"within = "60d""#, r#"within = "d""#),
            76,
            10,
            "steps[final].no_later_than.within",
            "`d` is not a duration: it needs a whole number",
        ),
    ]);
}

#[test]
fn business_days_in_a_step_need_a_calendar() {
    let needs =
        "a business-day duration (bd) needs a [calendar] table with the weekend and holidays";
    check(&[
        (
            "within",
            Replace(r#"within = "15m""#, r#"within = "2bd""#),
            51,
            10,
            "steps[tell-chief].within",
            needs,
        ),
        (
            "no_later_than.within",
            Replace(r#"within = "60d""#, r#"within = "60bd""#),
            76,
            10,
            "steps[final].no_later_than.within",
            needs,
        ),
        (
            "every",
            Replace(r#"every = "24h""#, r#"every = "1bd""#),
            66,
            9,
            "steps[followup].every",
            needs,
        ),
    ]);
}

#[test]
fn an_anchor_must_be_a_clock_start_or_a_step_once_done() {
    check(&[
        (
            "an empty from",
            Replace(r#"from = "known""#, "from = []"),
            50,
            8,
            "steps[tell-chief].from",
            "an empty list of clock starts: name occurred, known, step:<id> or last:<id>",
        ),
        (
            "an empty no_later_than.from",
            Replace(r#"from = "occurred""#, "from = []"),
            75,
            8,
            "steps[final].no_later_than.from",
            "an empty list of clock starts",
        ),
        (
            "an unknown word",
            Replace(r#"from = "known""#, r#"from = "noticed""#),
            50,
            8,
            "steps[tell-chief].from",
            "unknown clock start `noticed`: use occurred, known, step:<id> (the first entry doing what that step asks) or last:<id> (the latest such entry)",
        ),
        (
            "an unknown word in no_later_than",
            Replace(r#"from = "occurred""#, r#"from = "occured""#),
            75,
            8,
            "steps[final].no_later_than.from",
            "unknown clock start `occured`",
        ),
        (
            "a step id without step:",
            Replace(r#""step:tell-chief"]"#, r#""tell-chief"]"#),
            57,
            21,
            "steps[tell-city].from",
            "unknown clock start `tell-chief`",
        ),
        (
            "step: naming no step",
            Replace(r#""step:tell-chief"]"#, r#""step:tell-chef"]"#),
            57,
            21,
            "steps[tell-city].from",
            "`step:tell-chef` names no step; the steps are: tell-chief, tell-city, followup, final",
        ),
        (
            "last: naming no step",
            Replace(r#""last:followup""#, r#""last:follow-up""#),
            71,
            8,
            "steps[final].from",
            "`last:follow-up` names no step; the steps are: tell-chief, tell-city, followup, final",
        ),
        (
            "step: on a recurring step",
            Replace(r#""last:followup""#, r#""step:followup""#),
            71,
            8,
            "steps[final].from",
            "`step:followup` is a recurring step, which has no single completion to count from; use last:followup for the latest report",
        ),
    ]);
}

#[test]
fn an_anchor_error_in_a_list_points_at_the_anchor() {
    check(&[
        (
            "the second of a list over three lines",
            Replace(
                r#"from = ["occurred", "step:tell-chief"]"#,
                "from = [\n  \"occurred\",\n  \"step:followup\",\n]",
            ),
            59,
            3,
            "steps[tell-city].from",
            "`step:followup` is a recurring step",
        ),
        (
            "an unknown word in a bound's list",
            Replace(r#"from = "occurred""#, r#"from = ["known", "noticed"]"#),
            75,
            18,
            "steps[final].no_later_than.from",
            "unknown clock start `noticed`",
        ),
        (
            "a cycle named second in a bound's list",
            Replace(
                r#"from = "occurred""#,
                r#"from = ["occurred", "step:final"]"#,
            ),
            75,
            21,
            "steps[final].no_later_than.from",
            "the clock starts form a cycle (final → final)",
        ),
    ]);
}

#[test]
fn a_step_applies_to_known_severities_in_order_and_known_kinds() {
    check(&[
        (
            "an unknown min_severity",
            Replace(r#"min_severity = "high""#, r#"min_severity = "medium""#),
            59,
            16,
            "steps[tell-city].min_severity",
            "unknown severity `medium`; the severities are: low, high, top",
        ),
        (
            "an unknown max_severity",
            Replace(r#"max_severity = "top""#, r#"max_severity = "highest""#),
            60,
            16,
            "steps[tell-city].max_severity",
            "unknown severity `highest`; the severities are: low, high, top",
        ),
        (
            "max below min",
            Replace(r#"max_severity = "top""#, r#"max_severity = "low""#),
            60,
            16,
            "steps[tell-city].max_severity",
            "max_severity is below min_severity: the step could never apply",
        ),
        (
            "an unknown kind",
            Replace(r#"["fire", "flood"]"#, r#"["fire", "quake"]"#),
            61,
            18,
            "steps[tell-city].kinds",
            "unknown kind `quake`; the kinds are: fire, flood",
        ),
    ]);
}

#[test]
fn clock_starts_that_wait_on_each_other_are_a_cycle() {
    check(&[
        (
            "a step from itself",
            Replace(r#""step:tell-chief"]"#, r#""step:tell-city"]"#),
            57,
            21,
            "steps[tell-city].from",
            "the clock starts form a cycle (tell-city → tell-city): no step in it could ever start",
        ),
        (
            "two steps from each other, by step: and last:",
            Append(concat!(
                "\n[[steps]]\nid = \"a\"\nescalate = \"city\"\nfrom = \"step:b\"\nwithin = \"1h\"\n",
                "\n[[steps]]\nid = \"b\"\nescalate = \"city\"\nfrom = \"last:a\"\nwithin = \"1h\"\n",
            )),
            81,
            8,
            "steps[a].from",
            "the clock starts form a cycle (a → b → a)",
        ),
    ]);
}

#[test]
fn a_cycle_through_no_later_than_is_reported_at_that_bound() {
    check(&[
        (
            "a bound from its own step",
            Replace(r#"from = "occurred""#, r#"from = "step:final""#),
            75,
            8,
            "steps[final].no_later_than.from",
            "the clock starts form a cycle (final → final)",
        ),
        (
            "a bound from a step that starts from this one",
            Replace(
                "within = \"15m\"\n",
                "within = \"15m\"\nno_later_than = [{ from = \"step:tell-city\", within = \"1h\" }]\n",
            ),
            52,
            27,
            "steps[tell-chief].no_later_than.from",
            "the clock starts form a cycle (tell-chief → tell-city → tell-chief)",
        ),
    ]);
}

#[test]
fn step_errors_in_chinese() {
    check_zh(&[
        (
            "step: on a recurring step",
            Replace(r#""last:followup""#, r#""step:followup""#),
            "“step:followup”是周期性环节，没有唯一的完成时点可供起算；如需以最近一次报告起算，请用 last:followup",
        ),
        (
            "a cycle",
            Replace(r#""step:tell-chief"]"#, r#""step:tell-city"]"#),
            "起算时点构成循环（tell-city → tell-city）",
        ),
        (
            "an empty from",
            Replace(r#"from = "known""#, "from = []"),
            "起算时点列表为空：应写 occurred、known、step:<环节标识> 或 last:<环节标识>",
        ),
        (
            "business days without a calendar",
            Replace(r#"within = "15m""#, r#"within = "2bd""#),
            "工作日时长（bd）需要 [calendar] 表",
        ),
        // Ids as the rules' author typed them, in code spans, apart by 、.
        (
            "an unknown level",
            Replace(r#"escalate = "chief""#, r#"escalate = "mayor""#),
            "未知的层级 `mayor`；可用的层级：`chief`、`city`",
        ),
        (
            "an unknown channel",
            Replace(r#"via = "written""#, r#"via = "pigeon""#),
            "未知的报送方式 `pigeon`；可用的方式：`phone`、`written`",
        ),
        (
            "an unknown severity",
            Replace(r#"min_severity = "high""#, r#"min_severity = "hugex""#),
            "未知的事故等级 `hugex`；可用的等级：`low`、`high`、`top`",
        ),
    ]);
}
