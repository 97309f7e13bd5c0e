//! From the raw TOML to validated [`Rules`]: every reference resolved, every number checked.
//!
//! The checks, each an error that names file, line, column and key and says what is allowed:
//! unique ids; known levels, channels, severities, figures, report stages and steps wherever
//! they are named; positive durations; thresholds that rise with severity and a lowest class
//! without thresholds; no anchor cycles and no anchor on a recurring step; a business-day
//! duration only with a `[calendar]`; a calendar with at least one business day.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::error::{Locator, RulesError};
use super::raw::{RawCalendar, RawRules, RawStage, S};
use super::{
    BUILTIN_FIGURES, Bypass, Calendar, Field, Kind, Level, Named, Reports, Rules, Severity, Span,
    Stage, StageRule, calendar,
};
use crate::i18n::Msg;
use crate::msg;

pub(super) type R<T> = Result<T, RulesError>;

/// The channels of a rules file that lists none, with their labels; a listed channel with one of
/// these ids and no label of its own takes the label here.
const DEFAULT_CHANNELS: [(&str, &str); 5] = [
    ("phone", "电话"),
    ("written", "书面"),
    ("fax", "传真"),
    ("system", "信息系统"),
    ("in-person", "当面"),
];

pub fn parse(text: &str, source: &str) -> R<Rules> {
    let loc = Locator::new(text, source);
    let raw: RawRules = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let m = e.message().to_owned();
        let zh = toml_zh(&m);
        // A missing key is named in the table that lacks it; the reader points at that table
        // (its header, or an inline table's brace), or at nothing when the file lacks it.
        let missing = m
            .strip_prefix("missing field `")
            .and_then(|r| r.split_once('`'))
            .map(|(k, _)| k);
        let key = match missing {
            Some(k) if span.is_empty() => k.to_owned(),
            Some(k) => format!("{}.{k}", loc.key_at(span.start)),
            None => loc.key_at(span.start),
        };
        loc.error(span, key, msg!("{m}", "{zh}"))
    })?;
    let hash = crate::sha::sha256_hex(text.as_bytes());
    Validator { loc: &loc }.rules(raw, hash, source)
}

/// The TOML reader's own messages in Chinese, for the ones a person writing rules meets.
fn toml_zh(m: &str) -> String {
    let quoted =
        |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let names = quoted(rest);
        if let Some((key, allowed)) = names.split_first() {
            return format!("未知的键“{key}”；此处可用的键：{}", allowed.join("、"));
        }
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        if let Some(key) = quoted(rest).first() {
            return format!("缺少必填的键“{key}”");
        }
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let kind = |t: &str| {
            let t = t.trim();
            if t.starts_with("string") {
                format!("字符串{}", t.trim_start_matches("string"))
            } else if t.starts_with("integer") || t == "i64" || t == "u32" {
                "整数".to_owned()
            } else if t.starts_with("a sequence") || t.starts_with("sequence") {
                "列表".to_owned()
            } else if t.starts_with("an anchor") {
                "起算时点（occurred、known、step:<环节标识> 或 last:<环节标识>）或其列表".to_owned()
            } else if t.starts_with("a channel id") {
                "报送方式标识（如 \"phone\"）或 { id = \"phone\", label = \"电话\" }".to_owned()
            } else if t.starts_with("a string") {
                "字符串".to_owned()
            } else if t.starts_with("map") || t.starts_with("struct") {
                "表".to_owned()
            } else if t.starts_with("boolean") || t == "a boolean" {
                "布尔值".to_owned()
            } else {
                t.to_owned()
            }
        };
        return format!("类型不符：应为{}，实为{}", kind(want), kind(got));
    }
    if m.contains("duplicate key") {
        return "键重复：同一个键只能写一次".to_owned();
    }
    format!("规则文件格式错误：{m}")
}

pub(super) struct Validator<'a> {
    pub(super) loc: &'a Locator<'a>,
}

impl Validator<'_> {
    pub(super) fn err<T>(&self, at: &S<impl Sized>, key: impl Into<String>, m: Msg) -> R<T> {
        Err(self.loc.error(at.span(), key, m))
    }

    pub(super) fn span(&self, s: &S<String>, key: &str) -> R<Span> {
        Span::parse(s.get_ref()).or_else(|m| self.err(s, key, m))
    }

    pub(super) fn id(&self, s: &S<String>, key: &str) -> R<String> {
        let v = s.get_ref();
        let ok = !v.is_empty()
            && v.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !":,\"'`".contains(c));
        if ok {
            Ok(v.clone())
        } else {
            self.err(
                s,
                key,
                msg!(
                    "`{v}` is not a usable id: ids are one word without spaces, quotes, commas or colons (e.g. `city-phone`)",
                    "“{v}”不能用作标识：标识应为一个词，不含空格、引号、逗号或冒号（例如 `city-phone`）"
                ),
            )
        }
    }

    pub(super) fn unique(
        &self,
        seen: &mut HashSet<String>,
        s: &S<String>,
        key: &str,
        what: &str,
    ) -> R<()> {
        if seen.insert(s.get_ref().clone()) {
            Ok(())
        } else {
            let v = s.get_ref();
            self.err(
                s,
                key,
                msg!(
                    "{what} `{v}` is declared twice: ids must be unique",
                    "{what}“{v}”重复定义：标识必须唯一"
                ),
            )
        }
    }

    fn rules(&self, raw: RawRules, hash: String, source: &str) -> R<Rules> {
        let tz_text = raw.time_zone.get_ref();
        let tz: Tz = tz_text.parse().or_else(|_| {
            self.err(
                &raw.time_zone,
                "time_zone",
                msg!(
                    "`{tz_text}` is not an IANA time zone: write one such as \"Asia/Shanghai\", \"Europe/Brussels\" or \"America/New_York\"",
                    "“{tz_text}”不是 IANA 时区：应写作 \"Asia/Shanghai\"、\"Europe/Brussels\" 或 \"America/New_York\" 这样的名称"
                ),
            )
        })?;
        let warning = match &raw.warning {
            Some(s) => self.span(s, "warning")?,
            None => Span::new(15, super::Unit::Minutes),
        };
        let day_starts = match &raw.day_starts {
            Some(s) => self.time_of_day(s, "day_starts")?,
            None => NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
        };
        let bypass = match &raw.bypass {
            None => Bypass::Forbidden,
            Some(s) => match s.get_ref().as_str() {
                "forbidden" => Bypass::Forbidden,
                "with_reason" => Bypass::WithReason,
                "allowed" => Bypass::Allowed,
                other => {
                    return self.err(
                        s,
                        "bypass",
                        msg!(
                            "`{other}` is not a bypass policy: use forbidden, with_reason or allowed",
                            "“{other}”不是越级报送策略：可用 forbidden、with_reason 或 allowed"
                        ),
                    );
                }
            },
        };
        let casualty_window = match &raw.casualty_window {
            Some(s) => self.span(s, "casualty_window")?,
            None => Span::new(30, super::Unit::Days),
        };

        let mut channels: Vec<Named> = Vec::new();
        let builtin = |id: &str| {
            DEFAULT_CHANNELS
                .iter()
                .find(|(d, _)| *d == id)
                .map(|(_, l)| (*l).to_owned())
        };
        match &raw.channels {
            Some(list) => {
                let mut seen = HashSet::new();
                for c in list.get_ref() {
                    let id = S::new(c.span(), c.get_ref().id.clone());
                    let id = {
                        let v = self.id(&id, "channels")?;
                        self.unique(&mut seen, &id, "channels", "channel")?;
                        v
                    };
                    let label = c.get_ref().label.clone();
                    channels.push(Named {
                        label: label.or_else(|| builtin(&id)).unwrap_or_else(|| id.clone()),
                        id,
                    });
                }
                if channels.is_empty() {
                    return self.err(
                        list,
                        "channels",
                        msg!(
                            "no channels: list at least one, e.g. [\"phone\", \"written\"]",
                            "未列出报送方式：至少列出一种，例如 [\"phone\", \"written\"]"
                        ),
                    );
                }
            }
            None => channels.extend(DEFAULT_CHANNELS.iter().map(|(id, label)| Named {
                id: (*id).to_owned(),
                label: (*label).to_owned(),
            })),
        }
        let channel_ids: Vec<String> = channels.iter().map(|c| c.id.clone()).collect();
        let default_channel = match &raw.default_channel {
            Some(s) => {
                self.channel(s, &channel_ids, "default_channel")?;
                s.get_ref().clone()
            }
            None => channel_ids
                .iter()
                .find(|c| *c == "phone")
                .unwrap_or(&channel_ids[0])
                .clone(),
        };

        let mut figures = Vec::new();
        let mut seen = HashSet::new();
        for f in &raw.figures {
            let id = self.id(&f.id, "figures.id")?;
            if BUILTIN_FIGURES.contains(&id.as_str()) {
                let list = BUILTIN_FIGURES.join(", ");
                return self.err(
                    &f.id,
                    "figures.id",
                    msg!(
                        "`{id}` is a built-in figure already ({list}); declare only new ones",
                        "“{id}”已是内置统计项（{list}）；只需声明新增的统计项"
                    ),
                );
            }
            self.unique(&mut seen, &f.id, "figures.id", "figure")?;
            figures.push(Named {
                label: f.label.clone().unwrap_or_else(|| id.clone()),
                id,
            });
        }
        let known_figures: Vec<&str> = BUILTIN_FIGURES
            .iter()
            .copied()
            .chain(figures.iter().map(|f| f.id.as_str()))
            .collect();

        let severities = self.severities(&raw, &known_figures)?;
        let kinds = self.kinds(&raw, casualty_window)?;
        let levels = self.levels(&raw)?;
        let reports = self.reports(&raw)?;
        let calendar = match &raw.calendar {
            Some(c) => Some(self.calendar(c)?),
            None => None,
        };
        let steps = self.steps(
            &raw.steps,
            &severities,
            &levels,
            &channel_ids,
            &kinds,
            calendar.is_some(),
        )?;
        if calendar.is_none() && warning.is_business_days() {
            return self.no_calendar(raw.warning.as_ref(), "warning");
        }

        Ok(Rules {
            hash,
            name: raw
                .name
                .map(S::into_inner)
                .unwrap_or_else(|| source.to_owned()),
            tz,
            warning,
            day_starts,
            bypass,
            casualty_window,
            channels,
            default_channel,
            figures,
            severities,
            kinds,
            levels,
            reports,
            steps,
            calendar: calendar.unwrap_or_default(),
        })
    }

    pub(super) fn no_calendar<T>(&self, at: Option<&S<String>>, key: &str) -> R<T> {
        let m = msg!(
            "a business-day duration (bd) needs a [calendar] table with the weekend and holidays",
            "工作日时长（bd）需要 [calendar] 表，写明周末和节假日"
        );
        match at {
            Some(s) => self.err(s, key, m),
            None => Err(self.loc.error(0..0, key, m)),
        }
    }

    pub(super) fn time_of_day(&self, s: &S<String>, key: &str) -> R<NaiveTime> {
        let v = s.get_ref();
        NaiveTime::parse_from_str(v, "%H:%M").or_else(|_| {
            self.err(
                s,
                key,
                msg!(
                    "`{v}` is not a time of day: write HH:MM, e.g. \"08:00\"",
                    "“{v}”不是时刻：应写作 HH:MM，例如 \"08:00\""
                ),
            )
        })
    }

    pub(super) fn channel(&self, s: &S<String>, channels: &[String], key: &str) -> R<()> {
        let v = s.get_ref();
        if channels.contains(v) {
            return Ok(());
        }
        let (list, list_zh) = (
            channels.join(", "),
            super::ids_zh(channels.iter().map(String::as_str)),
        );
        self.err(
            s,
            key,
            msg!(
                "unknown channel `{v}`; the channels are: {list}",
                "未知的报送方式 `{v}`；可用的方式：{list_zh}"
            ),
        )
    }

    fn severities(&self, raw: &RawRules, figures: &[&str]) -> R<Vec<Severity>> {
        if raw.severities.is_empty() {
            return Err(self.loc.error(
                0..0,
                "severities",
                msg!(
                    "no severities: declare at least one [[severities]] table, lowest first",
                    "未定义事故等级：至少写一个 [[severities]] 表，由低到高"
                ),
            ));
        }
        let mut out: Vec<Severity> = Vec::new();
        let mut seen = HashSet::new();
        // The highest threshold so far for each figure, and the class that set it.
        let mut highest: BTreeMap<String, (i64, String)> = BTreeMap::new();
        for (i, s) in raw.severities.iter().enumerate() {
            let id = self.id(&s.id, "severities.id")?;
            self.unique(&mut seen, &s.id, "severities.id", "severity")?;
            let key = format!("severities[{id}].at_least");
            let mut at_least = BTreeMap::new();
            if let Some(map) = &s.at_least {
                if i == 0 && !map.get_ref().is_empty() {
                    return self.err(
                        map,
                        key,
                        msg!(
                            "`{id}` is the lowest severity, the class of every incident below the next one's thresholds; it cannot have thresholds",
                            "“{id}”是最低等级，未达到上一等级标准的事件都属于它，不能设定标准"
                        ),
                    );
                }
                for (fig, min) in map.get_ref() {
                    let name = fig.get_ref();
                    if !figures.contains(&name.as_str()) {
                        let list = figures.join(", ");
                        let list_zh = super::ids_zh(figures.iter().copied());
                        return self.err(
                            fig,
                            format!("{key}.{name}"),
                            msg!(
                                "unknown figure `{name}`; the figures are: {list} (declare others in [[figures]])",
                                "未知的统计项 `{name}`；可用的统计项：{list_zh}（其他统计项请在 [[figures]] 中声明）"
                            ),
                        );
                    }
                    let v = *min.get_ref();
                    if v <= 0 {
                        return self.err(
                            min,
                            format!("{key}.{name}"),
                            msg!(
                                "threshold {v} for `{name}` must be positive",
                                "“{name}”的标准 {v} 必须为正数"
                            ),
                        );
                    }
                    if let Some((prev, below)) = highest.get(name)
                        && v <= *prev
                    {
                        return self.err(
                            min,
                            format!("{key}.{name}"),
                            msg!(
                                "threshold {v} for `{name}` does not rise above {prev} of the lower severity `{below}`: thresholds must rise with severity",
                                "“{name}”的标准 {v} 不高于较低等级“{below}”的 {prev}：标准必须随等级升高"
                            ),
                        );
                    }
                    highest.insert(name.clone(), (v, id.clone()));
                    at_least.insert(name.clone(), v);
                }
            }
            let casualty_window = match &s.casualty_window {
                Some(w) => Some(self.span(w, &format!("severities[{id}].casualty_window"))?),
                None => None,
            };
            out.push(Severity {
                label: s.label.clone().unwrap_or_else(|| id.clone()),
                id,
                at_least,
                casualty_window,
            });
        }
        Ok(out)
    }

    fn kinds(&self, raw: &RawRules, default_window: Span) -> R<Vec<Kind>> {
        if raw.kinds.is_empty() {
            return Err(self.loc.error(
                0..0,
                "kinds",
                msg!(
                    "no kinds: declare at least one [[kinds]] table",
                    "未定义事件类型：至少写一个 [[kinds]] 表"
                ),
            ));
        }
        let mut seen = HashSet::new();
        raw.kinds
            .iter()
            .map(|k| {
                let id = self.id(&k.id, "kinds.id")?;
                self.unique(&mut seen, &k.id, "kinds.id", "kind")?;
                let casualty_window = match &k.casualty_window {
                    Some(s) => self.span(s, &format!("kinds[{id}].casualty_window"))?,
                    None => default_window,
                };
                Ok(Kind {
                    label: k.label.clone().unwrap_or_else(|| id.clone()),
                    id,
                    casualty_window,
                })
            })
            .collect()
    }

    fn levels(&self, raw: &RawRules) -> R<Vec<Level>> {
        let mut seen = HashSet::new();
        raw.levels
            .iter()
            .map(|l| {
                let id = self.id(&l.id, "levels.id")?;
                self.unique(&mut seen, &l.id, "levels.id", "level")?;
                let rank = match &l.rank {
                    None => None,
                    Some(r) => match u32::try_from(*r.get_ref()).ok().filter(|r| *r > 0) {
                        Some(rank) => Some(rank),
                        None => {
                            let v = r.get_ref();
                            return self.err(
                                r,
                                format!("levels[{id}].rank"),
                                msg!(
                                    "rank {v} must be a positive whole number (1 is the lowest level of the chain); leave `rank` out for a party notified beside the chain",
                                    "级次 {v} 必须为正整数（1 为报送链最低一级）；通报对象不在报送链内的，不写 `rank`"
                                ),
                            );
                        }
                    },
                };
                Ok(Level {
                    label: l.label.clone().unwrap_or_else(|| id.clone()),
                    id,
                    rank,
                })
            })
            .collect()
    }

    fn reports(&self, raw: &RawRules) -> R<Reports> {
        let stage = |r: Option<&RawStage>, stage: Stage| -> R<StageRule> {
            let Some(r) = r else {
                return Ok(StageRule {
                    label: stage.as_str().to_owned(),
                    requires: Vec::new(),
                    confirmed_cause: stage == Stage::Final,
                });
            };
            let key = format!("reports.{}.requires", stage.as_str());
            let allowed: Vec<Field> = Field::ALL
                .into_iter()
                .filter(|f| {
                    !matches!(f, Field::Facts | Field::Progress | Field::Summary)
                        || *f == stage.text_field()
                })
                .collect();
            let requires = r
                .requires
                .iter()
                .map(|s| {
                    let v = s.get_ref();
                    allowed
                        .iter()
                        .copied()
                        .find(|f| f.as_str() == v)
                        .map_or_else(
                            || {
                                let list = allowed
                                    .iter()
                                    .map(|f| f.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                let st = stage.as_str();
                                self.err(
                                    s,
                                    &key,
                                    msg!(
                                        "the {st} report has no field `{v}`; it can require: {list}",
                                        "`{st}` 报告没有“{v}”这一项；可要求：{list}"
                                    ),
                                )
                            },
                            Ok,
                        )
                })
                .collect::<R<Vec<_>>>()?;
            Ok(StageRule {
                label: r.label.clone().unwrap_or_else(|| stage.as_str().to_owned()),
                requires,
                confirmed_cause: r.confirmed_cause,
            })
        };
        let r = raw.reports.as_ref();
        Ok(Reports {
            initial: stage(r.and_then(|r| r.initial.as_ref()), Stage::Initial)?,
            followup: stage(r.and_then(|r| r.followup.as_ref()), Stage::Followup)?,
            r#final: stage(r.and_then(|r| r.final_.as_ref()), Stage::Final)?,
        })
    }

    fn calendar(&self, c: &RawCalendar) -> R<Calendar> {
        let mut cal = Calendar::default();
        if let Some(days) = &c.weekend {
            cal.weekend = [false; 7];
            for d in days {
                let v = d.get_ref();
                let Some(w) = calendar::parse_weekday(v) else {
                    return self.err(
                        d,
                        "calendar.weekend",
                        msg!(
                            "`{v}` is not a weekday: write mon, tue, wed, thu, fri, sat or sun",
                            "“{v}”不是星期几：应写 mon、tue、wed、thu、fri、sat 或 sun"
                        ),
                    );
                };
                cal.weekend[w.num_days_from_monday() as usize] = true;
            }
        }
        let date = |s: &S<String>, key: &str| -> R<NaiveDate> {
            let v = s.get_ref();
            NaiveDate::parse_from_str(v, "%Y-%m-%d").or_else(|_| {
                self.err(
                    s,
                    key,
                    msg!(
                        "`{v}` is not a date: write YYYY-MM-DD",
                        "“{v}”不是日期：应写作 YYYY-MM-DD"
                    ),
                )
            })
        };
        for h in &c.holidays {
            cal.holidays.insert(date(h, "calendar.holidays")?);
        }
        for w in &c.workdays {
            cal.workdays.insert(date(w, "calendar.workdays")?);
        }
        if let Some(e) = &c.day_ends {
            cal.day_ends = if e.get_ref() == "24:00" {
                None
            } else {
                Some(self.time_of_day(e, "calendar.day_ends")?)
            };
        }
        if !cal.has_business_days() {
            let any = c.weekend.as_ref().and_then(|w| w.first());
            let m = msg!(
                "this calendar has no business days: every weekday is a weekend day",
                "该日历没有工作日：每一天都被列为周末"
            );
            return match any {
                Some(s) => self.err(s, "calendar.weekend", m),
                None => Err(self.loc.error(0..0, "calendar.weekend", m)),
            };
        }
        Ok(cal)
    }
}
