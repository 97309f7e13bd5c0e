//! The fields of a 首报, read from the flags and, on a terminal, asked for one at a time in the
//! order a duty office's phone record (值班电话记录) takes them down: title, kind, occurred,
//! known (接报时间), location, reporting unit, source (信息来源), the unit where it happened,
//! facts, measures, figures.
//!
//! Rules: a field given as a flag is not asked for; the optional ones are asked too, and Enter
//! leaves them out (the known time: the report's time, now by default). Flag and answer are
//! read by the same reader (`input::answer`), so each is checked before the next question.

use super::Args;
use crate::commands::input::answer;
use crate::commands::input::prompt::{Prompter, Question, Stop};
use crate::context::Ctx;
use crate::domain::model::{Header, Instant, Report};
use crate::domain::text::{clean_line, clean_text};
use crate::domain::when::parse_past;
use crate::msg;
use crate::rules::Rules;
use crate::tz;

/// The header and report of the initial report, from `a` and the answers (written into `a`).
pub fn first_report(
    ctx: &Ctx,
    rules: &Rules,
    a: &mut Args,
    at: Instant,
    p: &mut Prompter,
) -> Result<(Header, Report), Stop> {
    let (now, z) = (ctx.now, rules.tz);
    let time = |t: &Instant| tz::short(z, *t);
    let title = p.field(
        &mut a.title,
        &Question::new("--title", msg!("Title", "标题"), |s| {
            clean_line("--title", s)
        }),
        true,
    )?;
    let kind = p.field(
        &mut a.kind,
        &Question::new("--kind", msg!("Kind", "事件类型"), |s| {
            answer::kind(rules, s)
        })
        .help(msg!(
            "type a name or id to filter; ↑↓ to pick, Tab to complete, Enter to confirm",
            "输入名称或编号筛选；↑↓ 选择，Tab 补全，回车确认"
        ))
        .choices(|s| answer::kind_choices(rules, s))
        .show(|id| {
            rules
                .kinds
                .iter()
                .find(|k| k.id == *id)
                .map_or_else(|| id.clone(), |k| crate::render::item(&k.id, &k.label))
        }),
        true,
    )?;
    // A known time given as a flag bounds the occurred time; it is read in its turn below.
    let known_given = a
        .known
        .as_deref()
        .and_then(|k| parse_past(k, now, z).ok())
        .map(|(t, _)| t);
    let occurred = p.field(
        &mut a.occurred,
        &Question::new(
            "--occurred",
            msg!(
                "Occurred (e.g. 14:05, yesterday 14:05, 30m ago)",
                "发生时间（如 14:05、昨天 14:05、30分钟前）"
            ),
            |s| answer::occurred(s, now, z, known_given, at),
        )
        .show(time),
        true,
    )?;
    let known = p.field(
        &mut a.known,
        &Question::new(
            "--known",
            msg!(
                "Known: when the office learned of it (Enter for now; e.g. 14:05, 30m ago)",
                "接报时间（回车即为现在，如 14:05、30分钟前）"
            ),
            |s| answer::known(Some(s), now, z, occurred, at),
        )
        .or_empty(|| answer::known(None, now, z, occurred, at))
        .show(time),
        true,
    )?;
    // A time of day later than now was read as yesterday's: say so, once each is settled.
    for typed in [&a.occurred, &a.known].into_iter().flatten() {
        if let Ok((_, note)) = parse_past(typed, now, z) {
            crate::commands::note(note.as_ref());
        }
    }
    let location = p.field(
        &mut a.location,
        &Question::new("--location", msg!("Location", "地点"), |s| {
            clean_line("--location", s)
        }),
        true,
    )?;
    let unit = p.field(
        &mut a.unit,
        &Question::new("--unit", msg!("Reporting unit", "报告单位"), |s| {
            clean_line("--unit", s)
        }),
        true,
    )?;
    let source = p.field(
        &mut a.source,
        &Question::optional(
            "--source",
            msg!(
                "Source of the information (optional: who told the office, how to reach them; Enter to skip)",
                "信息来源（选填：谁报告的、联系方式；回车跳过）"
            ),
            |s| clean_line("--source", s),
        ),
        true,
    )?;
    let accident_unit = p.field(
        &mut a.accident_unit,
        &Question::optional(
            "--accident-unit",
            msg!(
                "The unit where it happened (optional: its name and particulars; Enter to skip)",
                "事故发生单位概况（选填：单位名称、性质等；回车跳过）"
            ),
            |s| clean_text("--accident-unit", s),
        ),
        true,
    )?;
    let facts = p.field(
        &mut a.facts,
        &Question::new("--facts", msg!("Facts", "基本情况"), |s| {
            clean_text("--facts", s)
        }),
        true,
    )?;
    // `--edit` offered the measures in the editor already.
    let measures = p.field(
        &mut a.report.measures,
        &Question::optional(
            "--measures",
            msg!(
                "Measures taken (optional: facts first, measures may follow; Enter to skip)",
                "已采取的措施（选填，可先报事实、后报措施；回车跳过）"
            ),
            |s| clean_text("--measures", s),
        ),
        !a.edit,
    )?;
    figures(a, p)?;
    let header = Header {
        title,
        kind,
        occurred,
        known,
        location,
        unit,
        source,
        accident_unit,
    };
    let report = Report {
        text: facts,
        measures,
        figures: a.report.figures(rules)?,
        cause: a.report.cause()?,
    };
    Ok((header, report))
}

/// Asks for each figure not given as a flag; Enter leaves it out (not known yet, not 0).
fn figures(a: &mut Args, p: &mut Prompter) -> Result<(), Stop> {
    let r = &mut a.report;
    let given = r.figures.clone();
    let named = |name: &str| {
        given
            .iter()
            .any(|f| f.split_once('=').is_some_and(|(n, _)| n.trim() == name))
    };
    let help = || {
        msg!(
            "Enter leaves it out: not known yet, which is not 0",
            "直接回车表示暂不清楚（不等于 0）"
        )
    };
    let counts = [
        (
            "deaths",
            "--deaths",
            msg!("Deaths", "死亡人数"),
            &mut r.deaths,
        ),
        (
            "missing",
            "--missing",
            msg!("Missing", "失踪人数"),
            &mut r.missing,
        ),
        (
            "serious_injuries",
            "--serious-injuries",
            msg!("Serious injuries", "重伤人数"),
            &mut r.serious_injuries,
        ),
        (
            "injuries",
            "--injuries",
            msg!("Injuries", "受伤人数"),
            &mut r.injuries,
        ),
        (
            "trapped",
            "--trapped",
            msg!("Trapped", "被困人数"),
            &mut r.trapped,
        ),
        (
            "evacuated",
            "--evacuated",
            msg!("Evacuated", "疏散人数"),
            &mut r.evacuated,
        ),
    ];
    for (name, flag, prompt, slot) in counts {
        if slot.is_some() || named(name) {
            continue;
        }
        let q = Question::optional(flag, prompt, |s| answer::count(name, s)).help(help());
        *slot = p.field(&mut None, &q, true)?;
    }
    if !named("direct_loss") {
        let q = Question::optional(
            "--loss",
            msg!(
                "Direct loss in yuan (e.g. 1200万)",
                "直接经济损失（元，如 1200万）"
            ),
            answer::amount,
        )
        .help(help());
        p.field(&mut r.loss, &q, true)?;
    }
    Ok(())
}
