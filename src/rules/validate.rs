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
use super::raw::{OneOrMany, RawCalendar, RawRules, RawStage, RawStep, S};
use super::{
    Anchor, BUILTIN_FIGURES, Bypass, Calendar, Clock, Duty, Field, Kind, Level, Named, Reports,
    Rules, Severity, Span, Stage, StageRule, Step, calendar,
};
use crate::i18n::Msg;
use crate::msg;

type R<T> = Result<T, RulesError>;

const DEFAULT_CHANNELS: [&str; 5] = ["phone", "written", "fax", "system", "in-person"];

pub fn parse(text: &str, source: &str) -> R<Rules> {
    let loc = Locator::new(text, source);
    let raw: RawRules = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let m = e.message().to_owned();
        loc.error(
            span.clone(),
            loc.key_at(span.start),
            msg!("{m}", "规则文件格式错误：{m}"),
        )
    })?;
    let hash = crate::sha::sha256_hex(text.as_bytes());
    Validator { loc: &loc }.rules(raw, hash, source)
}

struct Validator<'a> {
    loc: &'a Locator<'a>,
}

impl Validator<'_> {
    fn err<T>(&self, at: &S<impl Sized>, key: impl Into<String>, m: Msg) -> R<T> {
        Err(self.loc.error(at.span(), key, m))
    }

    fn span(&self, s: &S<String>, key: &str) -> R<Span> {
        Span::parse(s.get_ref()).or_else(|m| self.err(s, key, m))
    }

    fn id(&self, s: &S<String>, key: &str) -> R<String> {
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

    fn unique(&self, seen: &mut HashSet<String>, s: &S<String>, key: &str, what: &str) -> R<()> {
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

        let mut channels = Vec::new();
        match &raw.channels {
            Some(list) => {
                let mut seen = HashSet::new();
                for c in list.get_ref() {
                    channels.push(self.id(c, "channels")?);
                    self.unique(&mut seen, c, "channels", "channel")?;
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
            None => channels.extend(DEFAULT_CHANNELS.iter().map(|c| (*c).to_owned())),
        }
        let default_channel = match &raw.default_channel {
            Some(s) => {
                self.channel(s, &channels, "default_channel")?;
                s.get_ref().clone()
            }
            None => channels
                .iter()
                .find(|c| *c == "phone")
                .unwrap_or(&channels[0])
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
            &channels,
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

    fn no_calendar<T>(&self, at: Option<&S<String>>, key: &str) -> R<T> {
        let m = msg!(
            "a business-day duration (bd) needs a [calendar] table with the weekend and holidays",
            "工作日时长（bd）需要 [calendar] 表，写明周末和节假日"
        );
        match at {
            Some(s) => self.err(s, key, m),
            None => Err(self.loc.error(0..0, key, m)),
        }
    }

    fn time_of_day(&self, s: &S<String>, key: &str) -> R<NaiveTime> {
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

    fn channel(&self, s: &S<String>, channels: &[String], key: &str) -> R<()> {
        let v = s.get_ref();
        if channels.contains(v) {
            return Ok(());
        }
        let list = channels.join(", ");
        self.err(
            s,
            key,
            msg!(
                "unknown channel `{v}`; the channels are: {list}",
                "未知的报送方式“{v}”；可用的方式：{list}"
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
                        return self.err(
                            fig,
                            format!("{key}.{name}"),
                            msg!(
                                "unknown figure `{name}`; the figures are: {list} (declare others in [[figures]])",
                                "未知的统计项“{name}”；可用的统计项：{list}（其他统计项请在 [[figures]] 中声明）"
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
                let rank = *l.rank.get_ref();
                let rank = u32::try_from(rank).ok().filter(|r| *r > 0);
                let Some(rank) = rank else {
                    let v = l.rank.get_ref();
                    return self.err(
                        &l.rank,
                        format!("levels[{id}].rank"),
                        msg!(
                            "rank {v} must be a positive whole number (1 is the lowest level of the chain)",
                            "级次 {v} 必须为正整数（1 为报送链最低一级）"
                        ),
                    );
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
                                        "a {st} report has no field `{v}`; it can require: {list}",
                                        "{st} 报告没有“{v}”这一项；可要求：{list}"
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

    fn steps(
        &self,
        raw: &[RawStep],
        severities: &[Severity],
        levels: &[Level],
        channels: &[String],
        kinds: &[Kind],
        has_calendar: bool,
    ) -> R<Vec<Step>> {
        let mut seen = HashSet::new();
        for s in raw {
            let id = self.id(&s.id, "steps.id")?;
            if id == "occurred" || id == "known" {
                return self.err(
                    &s.id,
                    "steps.id",
                    msg!(
                        "`{id}` names a clock start; choose another step id",
                        "“{id}”是起算时点的名称；请另取环节标识"
                    ),
                );
            }
            self.unique(&mut seen, &s.id, "steps.id", "step")?;
        }
        let ids: Vec<&str> = raw.iter().map(|s| s.id.get_ref().as_str()).collect();
        let mut steps = Vec::with_capacity(raw.len());
        for s in raw {
            steps.push(self.step(
                s,
                &ids,
                raw,
                severities,
                levels,
                channels,
                kinds,
                has_calendar,
            )?);
        }
        self.no_cycles(raw, &steps)?;
        Ok(steps)
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        s: &RawStep,
        ids: &[&str],
        raw: &[RawStep],
        severities: &[Severity],
        levels: &[Level],
        channels: &[String],
        kinds: &[Kind],
        has_calendar: bool,
    ) -> R<Step> {
        let id = s.id.get_ref().clone();
        let key = |k: &str| format!("steps[{id}].{k}");
        let duty = match (&s.escalate, &s.report) {
            (Some(level), None) => {
                let v = level.get_ref();
                let Some(li) = levels.iter().position(|l| &l.id == v) else {
                    let list = levels
                        .iter()
                        .map(|l| l.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    return self.err(
                        level,
                        key("escalate"),
                        msg!(
                            "unknown level `{v}`; the levels are: {list}",
                            "未知的层级“{v}”；可用的层级：{list}"
                        ),
                    );
                };
                if let Some(via) = &s.via {
                    self.channel(via, channels, &key("via"))?;
                }
                Duty::Escalate {
                    level: li,
                    channel: s.via.as_ref().map(|v| v.get_ref().clone()),
                }
            }
            (None, Some(report)) => {
                if let Some(via) = &s.via {
                    return self.err(
                        via,
                        key("via"),
                        msg!(
                            "`via` names the channel of an escalation; a report step has none",
                            "`via` 指报送方式，只用于 escalate 环节；报告环节没有报送方式"
                        ),
                    );
                }
                match report.get_ref().as_str() {
                    "followup" => Duty::Report(Stage::Followup),
                    "final" => Duty::Report(Stage::Final),
                    other => {
                        return self.err(
                            report,
                            key("report"),
                            msg!(
                                "`{other}` is not a report a step can ask for: use followup or final (the initial report is the filing itself)",
                                "“{other}”不能作为环节要求的报告：可用 followup 或 final（首报即事件登记本身）"
                            ),
                        );
                    }
                }
            }
            _ => {
                return self.err(
                    &s.id,
                    key("escalate"),
                    msg!(
                        "step `{id}` must have exactly one of `escalate = \"<level>\"` or `report = \"followup\"|\"final\"`",
                        "环节“{id}”必须且只能有 `escalate = \"<层级>\"` 或 `report = \"followup\"|\"final\"` 之一"
                    ),
                );
            }
        };

        let span = |s: &S<String>, k: &str| -> R<Span> {
            let sp = self.span(s, &key(k))?;
            if sp.is_business_days() && !has_calendar {
                return self.no_calendar(Some(s), &key(k));
            }
            Ok(sp)
        };
        let anchors = |a: &S<OneOrMany>, k: &str| -> R<Vec<Anchor>> {
            let list = &a.get_ref().0;
            if list.is_empty() {
                return self.err(
                    a,
                    key(k),
                    msg!(
                        "an empty list of clock starts: name occurred, known or step:<id>",
                        "起算时点列表为空：应写 occurred、known 或 step:<环节标识>"
                    ),
                );
            }
            list.iter()
                .map(|name| self.anchor(a, name, ids, raw, &key(k)))
                .collect()
        };

        let clock = match (&s.within, &s.every) {
            (Some(within), None) => {
                let from = match &s.from {
                    Some(a) => anchors(a, "from")?,
                    None => vec![Anchor::Known],
                };
                let within = span(within, "within")?;
                let no_later_than = s
                    .no_later_than
                    .iter()
                    .map(|c| {
                        Ok((
                            anchors(&c.from, "no_later_than.from")?,
                            span(&c.within, "no_later_than.within")?,
                        ))
                    })
                    .collect::<R<Vec<_>>>()?;
                Clock::Once {
                    from,
                    within,
                    no_later_than,
                }
            }
            (None, Some(every)) => {
                if duty != Duty::Report(Stage::Followup) {
                    return self.err(
                        every,
                        key("every"),
                        msg!(
                            "only a follow-up report recurs: `every` needs `report = \"followup\"`",
                            "只有续报会周期性到期：`every` 需与 `report = \"followup\"` 一起使用"
                        ),
                    );
                }
                if let Some(from) = &s.from {
                    return self.err(
                        from,
                        key("from"),
                        msg!(
                            "a recurring step counts from the latest report; remove `from`",
                            "周期性环节从最近一次报告起算；请删除 `from`"
                        ),
                    );
                }
                if let Some(c) = s.no_later_than.first() {
                    return self.err(
                        &c.within,
                        key("no_later_than"),
                        msg!(
                            "a recurring step cannot have `no_later_than`",
                            "周期性环节不能设置 `no_later_than`"
                        ),
                    );
                }
                Clock::Every(span(every, "every")?)
            }
            _ => {
                return self.err(
                    &s.id,
                    key("within"),
                    msg!(
                        "step `{id}` must have exactly one of `within = \"<duration>\"` (once) or `every = \"<duration>\"` (recurring)",
                        "环节“{id}”必须且只能有 `within = \"<时长>\"`（一次）或 `every = \"<时长>\"`（周期）之一"
                    ),
                );
            }
        };

        let sev = |s: &Option<S<String>>, k: &str, default: usize| -> R<usize> {
            let Some(s) = s else { return Ok(default) };
            let v = s.get_ref();
            severities.iter().position(|x| &x.id == v).map_or_else(
                || {
                    let list = severities
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.err(
                        s,
                        key(k),
                        msg!(
                            "unknown severity `{v}`; the severities are: {list}",
                            "未知的等级“{v}”；可用的等级：{list}"
                        ),
                    )
                },
                Ok,
            )
        };
        let min_severity = sev(&s.min_severity, "min_severity", 0)?;
        let max_severity = sev(&s.max_severity, "max_severity", severities.len() - 1)?;
        if min_severity > max_severity
            && let Some(m) = &s.max_severity
        {
            return self.err(
                m,
                key("max_severity"),
                msg!(
                    "max_severity is below min_severity: the step could never apply",
                    "max_severity 低于 min_severity：该环节永远不会适用"
                ),
            );
        }
        let step_kinds = match &s.kinds {
            None => None,
            Some(list) => {
                let mut out = Vec::with_capacity(list.len());
                for k in list {
                    let v = k.get_ref();
                    if !kinds.iter().any(|x| &x.id == v) {
                        let known = kinds
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        return self.err(
                            k,
                            key("kinds"),
                            msg!(
                                "unknown kind `{v}`; the kinds are: {known}",
                                "未知的事件类型“{v}”；可用的类型：{known}"
                            ),
                        );
                    }
                    out.push(v.clone());
                }
                Some(out)
            }
        };
        Ok(Step {
            id,
            label: s.label.clone(),
            duty,
            clock,
            min_severity,
            max_severity,
            kinds: step_kinds,
        })
    }

    fn anchor(
        &self,
        at: &S<OneOrMany>,
        name: &str,
        ids: &[&str],
        raw: &[RawStep],
        key: &str,
    ) -> R<Anchor> {
        match name {
            "occurred" => return Ok(Anchor::Occurred),
            "known" => return Ok(Anchor::Known),
            _ => {}
        }
        let Some(step) = name.strip_prefix("step:") else {
            return self.err(
                at,
                key,
                msg!(
                    "unknown clock start `{name}`: use occurred, known, or step:<id> for when another step was done",
                    "未知的起算时点“{name}”：可用 occurred、known，或 step:<环节标识>（另一环节完成之时）"
                ),
            );
        };
        let Some(i) = ids.iter().position(|s| *s == step) else {
            let list = ids.join(", ");
            return self.err(
                at,
                key,
                msg!(
                    "`{name}` names no step; the steps are: {list}",
                    "“{name}”指向的环节不存在；现有环节：{list}"
                ),
            );
        };
        if raw[i].every.is_some() {
            return self.err(
                at,
                key,
                msg!(
                    "`{name}` is a recurring step, which has no single completion to count from",
                    "“{name}”是周期性环节，没有唯一的完成时点可供起算"
                ),
            );
        }
        Ok(Anchor::Step(i))
    }

    fn no_cycles(&self, raw: &[RawStep], steps: &[Step]) -> R<()> {
        let deps = |s: &Step| -> Vec<usize> {
            match &s.clock {
                Clock::Once {
                    from,
                    no_later_than,
                    ..
                } => from
                    .iter()
                    .chain(no_later_than.iter().flat_map(|(a, _)| a.iter()))
                    .filter_map(|a| match a {
                        Anchor::Step(i) => Some(*i),
                        _ => None,
                    })
                    .collect(),
                Clock::Every(_) => Vec::new(),
            }
        };
        // Depth-first search with colours: 1 = on the path, 2 = finished.
        fn visit(
            i: usize,
            steps: &[Step],
            deps: &dyn Fn(&Step) -> Vec<usize>,
            colour: &mut [u8],
            path: &mut Vec<usize>,
        ) -> Option<Vec<usize>> {
            colour[i] = 1;
            path.push(i);
            for d in deps(&steps[i]) {
                if colour[d] == 1 {
                    let start = path.iter().position(|p| *p == d).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(d);
                    return Some(cycle);
                }
                if colour[d] == 0
                    && let Some(c) = visit(d, steps, deps, colour, path)
                {
                    return Some(c);
                }
            }
            path.pop();
            colour[i] = 2;
            None
        }
        let mut colour = vec![0u8; steps.len()];
        for i in 0..steps.len() {
            if colour[i] == 0
                && let Some(cycle) = visit(i, steps, &deps, &mut colour, &mut Vec::new())
            {
                let names = cycle
                    .iter()
                    .map(|i| steps[*i].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" → ");
                let first = &raw[cycle[0]];
                let at = first
                    .from
                    .as_ref()
                    .map_or_else(|| first.id.span(), |f| f.span());
                let id = &steps[cycle[0]].id;
                return Err(self.loc.error(
                    at,
                    format!("steps[{id}].from"),
                    msg!(
                        "the clock starts form a cycle ({names}): no step in it could ever start",
                        "起算时点构成循环（{names}）：其中任何环节都无法起算"
                    ),
                ));
            }
        }
        Ok(())
    }
}
