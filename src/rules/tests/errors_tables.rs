//! Every error of the tables that classify and route an incident: severities and their
//! thresholds, kinds, level ranks, what each stage's report can require, and the calendar,
//! with unusable or repeated ids in each.
//!
//! Positions are counted by hand from the numbered lines of `BASE` (see `tests.rs`); a value's
//! column is that of its opening quote, bracket or brace, and a threshold's that of its figure
//! (an unknown figure) or its number.

use super::*;

#[test]
fn severity_errors_name_the_class_and_the_figure() {
    check(&[
        (
            "none at all",
            Text("time_zone = \"UTC\"\n"),
            1,
            1,
            "severities",
            "no severities: declare at least one [[severities]] table, lowest first",
        ),
        (
            "the lowest with a threshold",
            Replace(
                "id = \"low\"\n",
                "id = \"low\"\nat_least = { deaths = 1 }\n",
            ),
            16,
            12,
            "severities[low].at_least",
            "`low` is the lowest severity, the class of every incident below the next one's thresholds; it cannot have thresholds",
        ),
        (
            "a threshold on an unknown figure",
            Replace("{ deaths = 10 }", "{ deaths = 10, injured = 5 }"),
            24,
            27,
            "severities[top].at_least.injured",
            "unknown figure `injured`; the figures are: deaths, missing, serious_injuries, injuries, trapped, evacuated, direct_loss, exposed (declare others in [[figures]])",
        ),
        (
            "a zero threshold",
            Replace("{ deaths = 10 }", "{ deaths = 0 }"),
            24,
            23,
            "severities[top].at_least.deaths",
            "threshold 0 for `deaths` must be positive",
        ),
        (
            "a negative threshold",
            Replace("{ deaths = 3,", "{ deaths = -3,"),
            19,
            23,
            "severities[high].at_least.deaths",
            "threshold -3 for `deaths` must be positive",
        ),
        (
            "a threshold equal to the class below's",
            Replace("{ deaths = 10 }", "{ deaths = 3 }"),
            24,
            23,
            "severities[top].at_least.deaths",
            "threshold 3 for `deaths` does not rise above 3 of the lower severity `high`: thresholds must rise with severity",
        ),
        (
            "a threshold below the class below's",
            Replace("{ deaths = 10 }", "{ deaths = 2 }"),
            24,
            23,
            "severities[top].at_least.deaths",
            "threshold 2 for `deaths` does not rise above 3",
        ),
        (
            "an id with a quote",
            Replace(r#"id = "low""#, r#"id = "lo'w""#),
            15,
            6,
            "severities.id",
            "`lo'w` is not a usable id",
        ),
        (
            "an id declared twice",
            Replace(r#"id = "top""#, r#"id = "high""#),
            23,
            6,
            "severities.id",
            "severity `high` is declared twice",
        ),
    ]);
}

#[test]
fn kind_errors_point_at_the_kind() {
    check(&[
        (
            "none at all",
            Text("time_zone = \"UTC\"\n\n[[severities]]\nid = \"low\"\n"),
            1,
            1,
            "kinds",
            "no kinds: declare at least one [[kinds]] table",
        ),
        (
            "an empty id",
            Replace(r#"id = "flood""#, r#"id = """#),
            31,
            6,
            "kinds.id",
            "`` is not a usable id",
        ),
        (
            "an id declared twice",
            Replace(r#"id = "flood""#, r#"id = "fire""#),
            31,
            6,
            "kinds.id",
            "kind `fire` is declared twice",
        ),
    ]);
}

#[test]
fn a_rank_must_be_a_positive_whole_number() {
    check(&[
        (
            "zero",
            Replace("rank = 1", "rank = 0"),
            35,
            8,
            "levels[chief].rank",
            "rank 0 must be a positive whole number (1 is the lowest level of the chain); leave `rank` out for a party notified beside the chain",
        ),
        (
            "negative",
            Replace("rank = 2", "rank = -2"),
            39,
            8,
            "levels[city].rank",
            "rank -2 must be a positive whole number",
        ),
        (
            "beyond u32",
            Replace("rank = 2", "rank = 5000000000"),
            39,
            8,
            "levels[city].rank",
            "rank 5000000000 must be a positive whole number",
        ),
        (
            "an id with a space",
            Replace(r#"id = "city""#, r#"id = "city hall""#),
            38,
            6,
            "levels.id",
            "`city hall` is not a usable id",
        ),
        (
            "an id declared twice",
            Replace(r#"id = "city""#, r#"id = "chief""#),
            38,
            6,
            "levels.id",
            "level `chief` is declared twice",
        ),
    ]);
}

#[test]
fn a_report_requirement_must_be_a_field_of_its_stage() {
    check(&[
        (
            "the follow-up's text in the initial report",
            Replace(r#"["measures"]"#, r#"["measures", "progress"]"#),
            42,
            25,
            "reports.initial.requires",
            "initial report has no field `progress`; it can require: facts, measures, cause, figures",
        ),
        (
            "the initial report's text in a follow-up",
            Replace(r#"["progress"]"#, r#"["facts"]"#),
            45,
            13,
            "reports.followup.requires",
            "followup report has no field `facts`; it can require: progress, measures, cause, figures",
        ),
        (
            "a field no report has",
            Append("\n[reports.final]\nrequires = [\"summary\", \"cause\", \"witnesses\"]\n"),
            79,
            33,
            "reports.final.requires",
            "final report has no field `witnesses`; it can require: summary, measures, cause, figures",
        ),
    ]);
}

#[test]
fn calendar_errors_point_at_the_day_or_time() {
    check(&[
        (
            "a weekday that is none",
            Append("\n[calendar]\nweekend = [\"sat\", \"caturday\"]\n"),
            79,
            19,
            "calendar.weekend",
            "`caturday` is not a weekday: write mon, tue, wed, thu, fri, sat or sun",
        ),
        (
            "a weekday after a Chinese one (columns count characters)",
            Append("\n[calendar]\nweekend = [\"周六\", \"caturday\"]\n"),
            79,
            18,
            "calendar.weekend",
            "`caturday` is not a weekday",
        ),
        (
            "a holiday that is no date",
            Append("\n[calendar]\nholidays = [\"2026-10-01\", \"2026-10-32\"]\n"),
            79,
            27,
            "calendar.holidays",
            "`2026-10-32` is not a date: write YYYY-MM-DD",
        ),
        (
            "a make-up working day that is no date",
            Append("\n[calendar]\nworkdays = [\"9/28\"]\n"),
            79,
            13,
            "calendar.workdays",
            "`9/28` is not a date: write YYYY-MM-DD",
        ),
        (
            "a day end that is no time",
            Append("\n[calendar]\nday_ends = \"5pm\"\n"),
            79,
            12,
            "calendar.day_ends",
            "`5pm` is not a time of day: write HH:MM",
        ),
        (
            "every day a weekend day",
            Append(
                "\n[calendar]\nweekend = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
            ),
            79,
            12,
            "calendar.weekend",
            "this calendar has no business days: every weekday is a weekend day",
        ),
    ]);
}

#[test]
fn table_errors_in_chinese() {
    check_zh(&[
        (
            "the lowest severity",
            Replace(
                "id = \"low\"\n",
                "id = \"low\"\nat_least = { deaths = 1 }\n",
            ),
            "“low”是最低等级",
        ),
        (
            "thresholds that do not rise",
            Replace("{ deaths = 10 }", "{ deaths = 3 }"),
            "“deaths”的标准 3 不高于较低等级“high”的 3：标准必须随等级升高",
        ),
        (
            "a rank of zero",
            Replace("rank = 1", "rank = 0"),
            "级次 0 必须为正整数",
        ),
        (
            "no business days",
            Append(
                "\n[calendar]\nweekend = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
            ),
            "该日历没有工作日",
        ),
    ]);
}
