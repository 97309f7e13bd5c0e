//! Validating the steps of a rules file: duties, clocks, anchors, severities, kinds, and that
//! no clock start waits on itself.

use std::collections::HashSet;
use std::ops::Range;

use super::raw::{OneOrMany, RawStep, S};
use super::validate::{R, Validator};
use super::{Anchor, Clock, Duty, Kind, Level, Severity, Span, Stage, Step};
use crate::msg;

impl Validator<'_> {
    pub(super) fn steps(
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
                    let ids = || levels.iter().map(|l| l.id.as_str());
                    let (list, list_zh) =
                        (ids().collect::<Vec<_>>().join(", "), super::ids_zh(ids()));
                    return self.err(
                        level,
                        key("escalate"),
                        msg!(
                            "unknown level `{v}`; the levels are: {list}",
                            "未知的层级 `{v}`；可用的层级：{list_zh}"
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
                        "an empty list of clock starts: name occurred, known, step:<id> or last:<id>",
                        "起算时点列表为空：应写 occurred、known、step:<环节标识> 或 last:<环节标识>"
                    ),
                );
            }
            list.iter()
                .map(|(name, at)| {
                    let at = at.clone().unwrap_or_else(|| a.span());
                    self.anchor(at, name, ids, raw, &key(k))
                })
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
                    let ids = || severities.iter().map(|x| x.id.as_str());
                    let (list, list_zh) =
                        (ids().collect::<Vec<_>>().join(", "), super::ids_zh(ids()));
                    self.err(
                        s,
                        key(k),
                        msg!(
                            "unknown severity `{v}`; the severities are: {list}",
                            "未知的事故等级 `{v}`；可用的等级：{list_zh}"
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
                        let ids = || kinds.iter().map(|x| x.id.as_str());
                        let known = ids().collect::<Vec<_>>().join(", ");
                        let known_zh = super::ids_zh(ids());
                        return self.err(
                            k,
                            key("kinds"),
                            msg!(
                                "unknown kind `{v}`; the kinds are: {known}",
                                "未知的事件类型 `{v}`；可用的类型：{known_zh}"
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

    /// The anchor `name`, written at `at` (the list element, or the whole value).
    fn anchor(
        &self,
        at: Range<usize>,
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
        let (step, last) = match (name.strip_prefix("step:"), name.strip_prefix("last:")) {
            (Some(s), _) => (s, false),
            (None, Some(s)) => (s, true),
            (None, None) => {
                return Err(self.loc.error(
                    at,
                    key,
                    msg!(
                        "unknown clock start `{name}`: use occurred, known, step:<id> (the first entry doing what that step asks) or last:<id> (the latest such entry)",
                        "未知的起算时点“{name}”：可用 occurred、known、step:<环节标识>（首次完成该环节之时）或 last:<环节标识>（最近一次完成该环节之时）"
                    ),
                ));
            }
        };
        let Some(i) = ids.iter().position(|s| *s == step) else {
            let list = ids.join(", ");
            return Err(self.loc.error(
                at,
                key,
                msg!(
                    "`{name}` names no step; the steps are: {list}",
                    "“{name}”指向的环节不存在；现有环节：{list}"
                ),
            ));
        };
        if last {
            // The latest report of a recurring step is well defined (the latest follow-up).
            return Ok(Anchor::Last(i));
        }
        if raw[i].every.is_some() {
            return Err(self.loc.error(
                at,
                key,
                msg!(
                    "`{name}` is a recurring step, which has no single completion to count from; use last:{step} for the latest report",
                    "“{name}”是周期性环节，没有唯一的完成时点可供起算；如需以最近一次报告起算，请用 last:{step}"
                ),
            ));
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
                        Anchor::Step(i) | Anchor::Last(i) => Some(*i),
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
                // Point at the anchor of the first step that leads to the next one: its `from`,
                // or the `no_later_than` bound whose `from` names the next step.
                let (first, next) = (cycle[0], cycle[1]);
                let leads =
                    |a: &Anchor| matches!(a, Anchor::Step(i) | Anchor::Last(i) if *i == next);
                let raw_first = &raw[first];
                let bound = match &steps[first].clock {
                    Clock::Once {
                        from,
                        no_later_than,
                        ..
                    } if !from.iter().any(leads) => {
                        no_later_than.iter().position(|(a, _)| a.iter().any(leads))
                    }
                    _ => None,
                };
                // Where an anchor list names the next step: that element, or the whole value.
                let next_id = steps[next].id.as_str();
                let naming = |a: &S<OneOrMany>| {
                    a.get_ref()
                        .0
                        .iter()
                        .find(|(n, _)| {
                            n.strip_prefix("step:").or_else(|| n.strip_prefix("last:"))
                                == Some(next_id)
                        })
                        .and_then(|(_, at)| at.clone())
                        .unwrap_or_else(|| a.span())
                };
                let (at, k) = match bound {
                    Some(n) => (
                        naming(&raw_first.no_later_than[n].from),
                        "no_later_than.from",
                    ),
                    None => (
                        raw_first
                            .from
                            .as_ref()
                            .map_or_else(|| raw_first.id.span(), naming),
                        "from",
                    ),
                };
                let id = &steps[first].id;
                return Err(self.loc.error(
                    at,
                    format!("steps[{id}].{k}"),
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
