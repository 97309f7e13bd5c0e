//! The reporting rules: what must be reported, to whom, through which channel, by when.
//!
//! Rules of this module:
//! - Every number of the domain (thresholds, ranks, windows, deadlines, channels) comes from a
//!   rules file; nothing here hard-codes a regime. The built-in default is
//!   `reporting-rules.toml`, embedded byte for byte.
//! - [`Rules::parse`] is the only way to get a [`Rules`]: the TOML is read into raw types
//!   (`raw`), unknown keys are errors, and `validate` turns them into the checked model below, so
//!   the rest of the program never meets a dangling reference, a cycle or a zero duration.
//! - A rules text is identified by the SHA-256 of its bytes; incidents are pinned to that hash.
//! - No I/O: callers read files and pass text and a display name.

mod calendar;
mod error;
mod names;
mod raw;
mod span;
mod validate;
mod validate_steps;

use std::collections::BTreeMap;

use chrono::NaiveTime;
use chrono_tz::Tz;

pub use calendar::Calendar;
pub use error::RulesError;
pub use names::resolve;
pub use span::{Span, Unit};

use crate::i18n::Msg;
use crate::msg;

/// The default rules, the same bytes as the repository's `reporting-rules.toml`.
pub const DEFAULT_TEXT: &str = include_str!("../../reporting-rules.toml");

/// Index of a severity in [`Rules::severities`]; a higher index is more severe.
pub type SevIdx = usize;

/// Validated reporting rules.
#[derive(Debug, Clone)]
pub struct Rules {
    /// SHA-256 of the text, lowercase hex.
    pub hash: String,
    pub name: String,
    pub tz: Tz,
    pub warning: Span,
    pub day_starts: NaiveTime,
    pub bypass: Bypass,
    pub casualty_window: Span,
    /// The ways a level can be told, with labels (built-in ones for the default channels).
    pub channels: Vec<Named>,
    pub default_channel: String,
    /// Figures this file declares beyond the built-in ones.
    pub figures: Vec<Named>,
    /// Lowest first.
    pub severities: Vec<Severity>,
    pub kinds: Vec<Kind>,
    pub levels: Vec<Level>,
    pub reports: Reports,
    pub steps: Vec<Step>,
    pub calendar: Calendar,
}

/// An id with a display label (labels are data: shown as written, whatever the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub label: String,
}

/// A severity class and the figures that put an incident at least there.
#[derive(Debug, Clone)]
pub struct Severity {
    pub id: String,
    pub label: String,
    /// Any one threshold met (inclusive) puts the incident at least at this class.
    pub at_least: BTreeMap<String, i64>,
    /// Figures reported later than this after occurrence never raise an incident to this class
    /// (besides the kind's window), e.g. OSHA's 24 hours for a hospitalization.
    pub casualty_window: Option<Span>,
}

/// A kind of incident and its casualty window.
#[derive(Debug, Clone)]
pub struct Kind {
    pub id: String,
    pub label: String,
    pub casualty_window: Span,
}

/// A level to be told: a rung of the reporting chain (with a rank), or a party notified beside
/// the chain (without one: Decree 493 Art. 10's police, union, procuratorate), which is told within
/// its steps' deadlines but takes no part in the bypass rule.
#[derive(Debug, Clone)]
pub struct Level {
    pub id: String,
    pub label: String,
    /// 1 is the lowest rung; `None` is outside the chain.
    pub rank: Option<u32>,
}

/// What to do when a higher-ranked level is told before a required lower one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bypass {
    /// Always a `skipped` finding; a reason is shown but excuses nothing.
    Forbidden,
    /// A `--reason` on the escalation excuses the bypass.
    WithReason,
    /// Ranks impose no order.
    Allowed,
}

impl Bypass {
    pub fn as_str(self) -> &'static str {
        match self {
            Bypass::Forbidden => "forbidden",
            Bypass::WithReason => "with_reason",
            Bypass::Allowed => "allowed",
        }
    }
}

/// The stages of reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Initial,
    Followup,
    Final,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Initial, Stage::Followup, Stage::Final];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Initial => "initial",
            Stage::Followup => "followup",
            Stage::Final => "final",
        }
    }

    /// The name of the report's main text field at this stage.
    pub fn text_field(self) -> Field {
        match self {
            Stage::Initial => Field::Facts,
            Stage::Followup => Field::Progress,
            Stage::Final => Field::Summary,
        }
    }
}

/// The content fields a stage can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Facts,
    Progress,
    Summary,
    Measures,
    Cause,
    Figures,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Facts,
        Field::Progress,
        Field::Summary,
        Field::Measures,
        Field::Cause,
        Field::Figures,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Facts => "facts",
            Field::Progress => "progress",
            Field::Summary => "summary",
            Field::Measures => "measures",
            Field::Cause => "cause",
            Field::Figures => "figures",
        }
    }
}

/// What a stage's report must contain.
#[derive(Debug, Clone)]
pub struct StageRule {
    pub label: String,
    pub requires: Vec<Field>,
    /// Whether a cause marked `confirmed` is allowed in a report of this stage.
    pub confirmed_cause: bool,
}

/// The content rules of the three stages.
#[derive(Debug, Clone)]
pub struct Reports {
    pub initial: StageRule,
    pub followup: StageRule,
    pub r#final: StageRule,
}

impl Reports {
    pub fn get(&self, stage: Stage) -> &StageRule {
        match stage {
            Stage::Initial => &self.initial,
            Stage::Followup => &self.followup,
            Stage::Final => &self.r#final,
        }
    }
}

/// One obligation of the rules.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub label: Option<String>,
    pub duty: Duty,
    pub clock: Clock,
    /// The severities the step applies to, inclusive, as indexes into [`Rules::severities`].
    pub min_severity: SevIdx,
    pub max_severity: SevIdx,
    /// The kinds the step applies to (`None`: every kind).
    pub kinds: Option<Vec<String>>,
}

impl Step {
    /// Whether the step applies to incidents of `kind`.
    pub fn applies_to_kind(&self, kind: &str) -> bool {
        self.kinds
            .as_ref()
            .is_none_or(|k| k.iter().any(|x| x == kind))
    }
}

/// What a step asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duty {
    /// Tell a level (index into [`Rules::levels`]), through a channel if one is named.
    Escalate {
        level: usize,
        channel: Option<String>,
    },
    /// File a report of a stage.
    Report(Stage),
}

/// When a step falls due.
#[derive(Debug, Clone)]
pub enum Clock {
    /// Once: `within` after the anchor (the later of its events), and no later than each of
    /// `no_later_than`.
    Once {
        from: Vec<Anchor>,
        within: Span,
        no_later_than: Vec<(Vec<Anchor>, Span)>,
    },
    /// Recurring: this long after the latest report, while the incident is open.
    Every(Span),
}

/// A moment a clock can start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Occurred,
    Known,
    /// `step:X`: the first entry that does what step X (index into [`Rules::steps`]) asks, at or
    /// after the moment the anchored step applies (after a reclassification, the level below's
    /// receipt of the report of the new class).
    Step(usize),
    /// `last:X`: the latest entry that does what step X asks (DORA's "latest updated
    /// intermediate report").
    Last(usize),
}

/// The figures every rules file knows, in display order.
pub const BUILTIN_FIGURES: [&str; 7] = [
    "deaths",
    "missing",
    "serious_injuries",
    "injuries",
    "trapped",
    "evacuated",
    "direct_loss",
];

/// The Chinese names of the built-in figures (the words of a 事故报告), in display order.
pub const BUILTIN_FIGURE_NAMES_ZH: [(&str, &str); 7] = [
    ("deaths", "死亡"),
    ("missing", "失踪"),
    ("serious_injuries", "重伤"),
    ("injuries", "受伤"),
    ("trapped", "被困"),
    ("evacuated", "疏散"),
    ("direct_loss", "直接经济损失"),
];

impl Rules {
    /// A figure's Chinese name: the built-in word, or the label the rules give it.
    pub fn figure_zh(&self, name: &str) -> String {
        BUILTIN_FIGURE_NAMES_ZH
            .iter()
            .find(|(id, _)| *id == name)
            .map(|(_, zh)| (*zh).to_owned())
            .or_else(|| {
                self.figures
                    .iter()
                    .find(|f| f.id == name)
                    .map(|f| f.label.clone())
            })
            .unwrap_or_else(|| name.to_owned())
    }

    /// Parses and validates a rules text; `source` names it in errors (a path, or `built-in`).
    pub fn parse(text: &str, source: &str) -> Result<Rules, RulesError> {
        validate::parse(text, source)
    }

    /// The built-in default rules.
    pub fn builtin() -> Rules {
        // The embedded file is validated by a unit test, so this cannot fail in a release.
        Rules::parse(DEFAULT_TEXT, "built-in").unwrap_or_else(|e| panic!("built-in rules: {e}"))
    }

    pub fn severity_index(&self, id: &str) -> Option<SevIdx> {
        self.severities.iter().position(|s| s.id == id)
    }

    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    pub fn level_index(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == id)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// Whether `name` is a figure of these rules (built-in or declared).
    pub fn knows_figure(&self, name: &str) -> bool {
        BUILTIN_FIGURES.contains(&name) || self.figures.iter().any(|f| f.id == name)
    }

    /// Every figure name, built-in first.
    pub fn figure_names(&self) -> Vec<&str> {
        BUILTIN_FIGURES
            .iter()
            .copied()
            .chain(self.figures.iter().map(|f| f.id.as_str()))
            .collect()
    }

    /// The casualty window of a kind (the rules' default for an unknown one).
    pub fn casualty_window(&self, kind: &str) -> Span {
        self.kind(kind)
            .map_or(self.casualty_window, |k| k.casualty_window)
    }

    /// The class the figures imply: the highest severity one of whose thresholds they meet,
    /// among those `allowed` lets count.
    pub fn severity_for(
        &self,
        figures: impl Fn(&str) -> Option<i64>,
        allowed: impl Fn(&Severity) -> bool,
    ) -> SevIdx {
        self.severities
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| {
                allowed(s)
                    && s.at_least
                        .iter()
                        .any(|(fig, min)| figures(fig).is_some_and(|v| v >= *min))
            })
            .map_or(0, |(i, _)| i)
    }

    /// A kind of these rules, or an error that lists them.
    pub fn known_kind(&self, id: &str) -> Result<&Kind, Msg> {
        self.kind(id).ok_or_else(|| {
            let (list, list_zh) = self.list_kinds();
            msg!(
                "unknown kind `{id}`; the kinds are: {list}",
                "未知的事件类型 `{id}`；可用的类型：{list_zh}"
            )
        })
    }

    /// A severity of these rules, or an error that lists them.
    pub fn known_severity(&self, id: &str) -> Result<SevIdx, Msg> {
        self.severity_index(id).ok_or_else(|| {
            let (list, list_zh) = self.list_severities();
            msg!(
                "unknown severity `{id}`; the severities are: {list}",
                "未知的事故等级 `{id}`；可用的等级：{list_zh}"
            )
        })
    }

    /// A level of these rules, or an error that lists them.
    pub fn known_level(&self, id: &str) -> Result<usize, Msg> {
        self.level_index(id).ok_or_else(|| {
            let (list, list_zh) = self.list_levels();
            msg!(
                "unknown level `{id}`; the levels are: {list}",
                "未知的层级 `{id}`；可用的层级：{list_zh}"
            )
        })
    }

    /// A channel of these rules, or an error that lists them.
    pub fn known_channel(&self, id: &str) -> Result<(), Msg> {
        if self.channels.iter().any(|c| c.id == id) {
            return Ok(());
        }
        let (list, list_zh) = list(self.channels.iter().map(|c| (&c.id, &c.label)));
        Err(msg!(
            "unknown channel `{id}`; the channels are: {list}",
            "未知的报送方式 `{id}`；可用的方式：{list_zh}"
        ))
    }

    /// A figure of these rules, or an error that lists them.
    pub fn known_figure(&self, name: &str) -> Result<(), Msg> {
        if self.knows_figure(name) {
            return Ok(());
        }
        let names = self.figure_names();
        let list = names.join(", ");
        let list_zh = ids_zh(names.iter().map(|n| n.as_ref()));
        Err(msg!(
            "unknown figure `{name}`; the figures are: {list}",
            "未知的统计项 `{name}`；可用的统计项：{list_zh}"
        ))
    }

    /// The lists, in English and in Chinese, of error messages that say what is allowed.
    pub fn list_kinds(&self) -> (String, String) {
        list(self.kinds.iter().map(|k| (&k.id, &k.label)))
    }

    pub fn list_levels(&self) -> (String, String) {
        list(self.levels.iter().map(|l| (&l.id, &l.label)))
    }

    pub fn list_severities(&self) -> (String, String) {
        list(self.severities.iter().map(|s| (&s.id, &s.label)))
    }
}

/// Ids in a Chinese message: each as typed in a code span, apart by 、.
pub(crate) fn ids_zh<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// What is allowed where a file (an import, the rules) names an id: `id (label), …` in
/// English; in Chinese each id as typed in a code span, its label in full-width brackets, the
/// items apart by 、, so the message reads as Chinese and the id can still be copied.
fn list<'a>(items: impl Iterator<Item = (&'a String, &'a String)>) -> (String, String) {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for (id, label) in items {
        if id == label {
            en.push(id.clone());
            zh.push(format!("`{id}`"));
        } else {
            en.push(format!("{id} ({label})"));
            zh.push(format!("`{id}`（{label}）"));
        }
    }
    (en.join(", "), zh.join("、"))
}

#[cfg(test)]
mod tests;
