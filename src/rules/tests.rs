//! Tests of the rules validator: the hub, with the base text and helpers the others share.
//!
//! Each error test starts from [`BASE`], a small rules file that is valid and uses most features
//! (a declared figure, three severities, two kinds, two ranked levels, channels as a plain id and
//! as a table, `from` as one anchor and as a list, `step:` and `last:`, `no_later_than`), makes
//! one edit that introduces exactly one error, and checks the error's line, column, key and the
//! gist of its message. The expected positions are counted by hand from [`BASE`]'s numbered
//! lines (see the comment above it), never taken from the validator.
//!
//! - `errors_toml`: the TOML reader's own errors (unknown key, wrong type, missing key,
//!   duplicate key, bad syntax) and their Chinese text.
//! - `errors_top`: the settings at the top: time zone, durations, times of day, bypass, channels,
//!   figures.
//! - `errors_tables`: severities and thresholds, kinds, levels, reports, the calendar.
//! - `errors_steps`: the steps: duties, channels, clocks, anchors, severities, kinds, cycles.
//! - `accepted`: what is allowed at the edges of those rules.
//!
//! Not reachable from any rules text, so not tested: `no_calendar` without a value to point at
//! (a business-day `warning` always has one), the "no business days" error without a weekend
//! list (the default weekend leaves five business days), and the channel table's "`id` given
//! twice" (the TOML reader refuses a key written twice in a table first).

use super::*;

mod accepted;
mod errors_steps;
mod errors_tables;
mod errors_toml;
mod errors_top;

/// The source name every test parses under.
pub(super) const SOURCE: &str = "rules.toml";

// Line numbers of BASE, for counting expected positions:
//  1 name            10 [[figures]]        22 [[severities]] top   41 [reports.initial]
//  2 time_zone       11   id exposed       23   id                 42   requires
//  3 warning         14 [[severities]] low 24   at_least           44 [reports.followup]
//  4 day_starts      15   id               26 [[kinds]] fire       45   requires
//  5 bypass          17 [[severities]] high 27  id                 47 [[steps]] tell-chief 48-51
//  6 casualty_window 18   id               28   casualty_window    53 [[steps]] tell-city  54-61
//  7 channels        19   at_least         30 [[kinds]] flood 31   63 [[steps]] followup   64-66
//  8 default_channel 20   casualty_window  33 [[levels]] chief 34-35  68 [[steps]] final   69-72
//                                          37 [[levels]] city 38-39   74 [[steps.no_later_than]] 75-76
/// A valid rules file, 76 lines; text appended by [`Edit::Append`] starts on line 77.
pub(super) const BASE: &str = r#"name = "base"
time_zone = "Asia/Shanghai"
warning = "15m"
day_starts = "08:00"
bypass = "forbidden"
casualty_window = "30d"
channels = ["phone", { id = "written", label = "书面" }]
default_channel = "phone"

[[figures]]
id = "exposed"
label = "暴露"

[[severities]]
id = "low"

[[severities]]
id = "high"
at_least = { deaths = 3, exposed = 10 }
casualty_window = "7d"

[[severities]]
id = "top"
at_least = { deaths = 10 }

[[kinds]]
id = "fire"
casualty_window = "7d"

[[kinds]]
id = "flood"

[[levels]]
id = "chief"
rank = 1

[[levels]]
id = "city"
rank = 2

[reports.initial]
requires = ["measures"]

[reports.followup]
requires = ["progress"]

[[steps]]
id = "tell-chief"
escalate = "chief"
from = "known"
within = "15m"

[[steps]]
id = "tell-city"
escalate = "city"
via = "written"
from = ["occurred", "step:tell-chief"]
within = "1h"
min_severity = "high"
max_severity = "top"
kinds = ["fire", "flood"]

[[steps]]
id = "followup"
report = "followup"
every = "24h"

[[steps]]
id = "final"
report = "final"
from = "last:followup"
within = "30d"

[[steps.no_later_than]]
from = "occurred"
within = "60d"
"#;

/// One change to [`BASE`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Edit<'a> {
    /// Replace text that occurs exactly once in [`BASE`].
    Replace(&'a str, &'a str),
    /// Add text after [`BASE`]'s last line (its first line is line 77).
    Append(&'a str),
    /// A whole text of its own, for the errors [`BASE`] is too complete to show.
    Text(&'a str),
}

pub(super) use Edit::{Append, Replace, Text};

/// The text an edit makes.
pub(super) fn apply(edit: Edit<'_>) -> String {
    match edit {
        Replace(old, new) => {
            assert_eq!(
                BASE.matches(old).count(),
                1,
                "the edit's text {old:?} must occur exactly once in BASE"
            );
            BASE.replacen(old, new, 1)
        }
        Append(more) => format!("{BASE}{more}"),
        Text(t) => t.to_owned(),
    }
}

/// The error a text must give.
pub(super) fn err(text: &str) -> RulesError {
    match Rules::parse(text, SOURCE) {
        Ok(_) => panic!("expected an error, but the rules were accepted:\n{text}"),
        Err(e) => e,
    }
}

/// Rules a text must give.
pub(super) fn ok(text: &str) -> Rules {
    Rules::parse(text, SOURCE).unwrap_or_else(|e| panic!("expected valid rules, got {e:?}"))
}

/// One expected error: what it shows, the edit, then line, column, key and a part of the English
/// message.
pub(super) type Case = (
    &'static str,
    Edit<'static>,
    usize,
    usize,
    &'static str,
    &'static str,
);

/// Checks every case and reports all mismatches at once.
pub(super) fn check(cases: &[Case]) {
    let mut wrong = Vec::new();
    for &(what, edit, line, column, key, en) in cases {
        let e = match Rules::parse(&apply(edit), SOURCE) {
            Ok(_) => {
                wrong.push(format!("{what}: accepted, expected an error"));
                continue;
            }
            Err(e) => e,
        };
        let got = (e.line, e.column, e.key.as_str());
        if got != (line, column, key) || !e.message.en.contains(en) || e.source != SOURCE {
            wrong.push(format!(
                "{what}:\n  expected {line}:{column} `{key}` containing {en:?}\n  got      {}:{} `{}` {:?} (source {:?})",
                e.line, e.column, e.key, e.message.en, e.source
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Checks that an edit's error says `zh` in Chinese.
pub(super) fn check_zh(cases: &[(&str, Edit<'_>, &str)]) {
    let mut wrong = Vec::new();
    for &(what, edit, zh) in cases {
        let e = err(&apply(edit));
        if !e.message.zh.contains(zh) {
            wrong.push(format!("{what}: expected {zh:?} in {:?}", e.message.zh));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn builtin_rules_are_valid() {
    let r = Rules::builtin();
    assert_eq!(r.severities.len(), 4);
}

#[test]
fn the_base_text_is_valid_and_76_lines_long() {
    let r = ok(BASE);
    assert_eq!(BASE.lines().count(), 76);
    assert_eq!(r.steps.len(), 4);
    // The numbered lines the error tests count from.
    let line = |n: usize| BASE.lines().nth(n - 1).unwrap_or_default();
    assert_eq!(
        line(7),
        r#"channels = ["phone", { id = "written", label = "书面" }]"#
    );
    assert_eq!(line(19), "at_least = { deaths = 3, exposed = 10 }");
    assert_eq!(line(48), r#"id = "tell-chief""#);
    assert_eq!(line(57), r#"from = ["occurred", "step:tell-chief"]"#);
    assert_eq!(line(74), "[[steps.no_later_than]]");
    assert_eq!(line(76), r#"within = "60d""#);
}
