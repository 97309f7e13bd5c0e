//! `sitrep review ID`: a supervisor's review (审核) of violations (DESIGN.md §14).
//!
//! Rules: a review names a step (`--step`, with `--reason bypassed|omitted` where the step was
//! both bypassed and omitted) or a content finding (`--finding incomplete|premature_cause`), and
//! a note saying what was found and done. It covers the violations so named as they stand at
//! the review's time, and is an entry like any other (who, claimed and recorded times, in the
//! chain). Refused, recording nothing: a review of a finding that does not exist at its time, of
//! findings already reviewed (correct that review instead), and an empty note. A reviewed
//! finding stays a finding, but no longer makes `check` exit 3.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::record::{self, Draft, Stamp};
use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::model::{Body, Review};
use crate::domain::replay::replay;
use crate::domain::text::clean_text;
use crate::domain::when::parse_when;
use crate::engine::{Finding, FindingKind, covered, evaluate_history};
use crate::error::{Exit, refuse, usage};
use crate::msg;
use crate::render::{self, json as rj};

/// Review violations of an incident.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sitrep review 20260310-001 --step leader-in-charge --note '已核实：通信中断致迟报15分钟，已约谈'\n  sitrep review 20260310-001 --finding incomplete --note '已责成补报措施'"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// The step whose violations are reviewed (see `sitrep check`)
    #[arg(long, conflicts_with = "finding")]
    pub step: Option<String>,
    /// A content finding reviewed: incomplete or premature_cause
    #[arg(long, value_name = "KIND")]
    pub finding: Option<String>,
    /// Which skip of the step, where it was both bypassed and omitted: bypassed or omitted
    #[arg(long, value_name = "REASON", requires = "step")]
    pub reason: Option<String>,
    /// What was found and done (required)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// When the review was made [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    // A bad name is refused before anything is asked.
    ctx.actor()?;
    if a.step.is_none() && a.finding.is_none() {
        return Err(usage(msg!(
            "say what is reviewed: --step STEP, or --finding incomplete|premature_cause",
            "请指明审核对象：--step 环节，或 --finding incomplete|premature_cause"
        )));
    }
    let Some(note) = a.note.as_deref() else {
        return Err(usage(msg!(
            "missing --note: a review says what was found and done",
            "缺少 --note：审核须写明核实情况和处理意见"
        )));
    };
    let note = clean_text("--note", note).map_err(refuse)?;
    let (mut store, actor) = super::open::write(ctx, None, false, &record::Draft::argv("review"))?;
    let read = record::read(ctx, &mut store, &a.id)?;
    let rules = &read.rules;
    let at = match &a.at {
        Some(t) => parse_when(t, ctx.now, rules.tz).map_err(refuse)?,
        None => ctx.now,
    };
    // The violations as they stand at the review's time.
    let history = replay(&read.entries, rules, Some(at))
        .map_err(refuse)?
        .ok_or_else(|| {
            let id = &read.id;
            refuse(msg!(
                "{id} did not exist yet at that time: a review comes after the incident",
                "该时间 {id} 尚未发生：审核只能在事件之后"
            ))
        })?;
    let eval = evaluate_history(&history, rules, at);
    // What the supervisor typed, as they mean it: a step's id or label, a kind's words.
    let step = a
        .step
        .as_deref()
        .map(|s| rules.step_id(s))
        .transpose()
        .map_err(refuse)?;
    let finding = a
        .finding
        .as_deref()
        .map(|k| {
            crate::rules::resolve(
                k,
                &[
                    ("incomplete", "内容不全"),
                    ("premature_cause", "原因报告过早"),
                ],
                ("content finding", "内容类问题"),
            )
        })
        .transpose()
        .map_err(usage)?;
    let reason = a
        .reason
        .as_deref()
        .map(|r| {
            crate::rules::resolve(
                r,
                &[("bypassed", "越级"), ("omitted", "漏报")],
                ("kind of skip", "未报类型"),
            )
        })
        .transpose()
        .map_err(usage)?;
    let asked = Asked {
        step: step.clone(),
        finding: finding.clone(),
        reason: reason.clone(),
    };
    let targets = targets(&asked, &eval.findings, rules)?;
    let (fresh, reviewed): (Vec<&Finding>, Vec<&Finding>) =
        targets.iter().partition(|f| f.reviewed.is_none());
    if fresh.is_empty() {
        let r = reviewed.first().and_then(|f| f.reviewed.as_ref());
        let (id, by, n) = (
            &read.id,
            r.map_or("", |r| r.by.as_str()),
            r.map_or(0, |r| r.entry),
        );
        return Err(refuse(msg!(
            "already reviewed by {by} (entry {n}): a second review of the same finding is refused; correct that review instead (sitrep correct {id} --entry {n} --note …)",
            "已由 {by} 审核（第 {n} 条）：同一问题不能重复审核；如需修改请更正该条审核（sitrep correct {id} --entry {n} --note …）"
        )));
    }
    let body = Body::Review {
        review: Review {
            step,
            finding,
            reason,
            note,
            covers: fresh.iter().map(|f| covered(f)).collect(),
        },
    };
    let covered_now: Vec<Finding> = fresh.iter().map(|f| (*f).clone()).collect();
    let draft = Draft {
        command: "review",
        fields: json!({
            "id": a.id, "step": a.step, "finding": a.finding, "reason": a.reason,
            "note": a.note, "at": a.at,
        }),
    };
    let rec = record::write(ctx, &mut store, &draft, |tx| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::append(ctx, tx, &a.id, at, &stamp, body.clone())
    })?;
    if format == Format::Json {
        let v = json!({
            "incident": rec.id,
            "recorded": rec.new,
            "reviewed": covered_now.iter().map(|f| rj::finding(&rec.id, f, &rec.rules)).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        writeln!(out, "{}", rec.id)?;
        for f in &covered_now {
            let m = render::finding::message(f, &rec.rules);
            writeln!(out, "{}", msg!("reviewed: {m}", "已审核：{m}"))?;
        }
    }
    Ok(Exit::Success)
}

/// What a review names, resolved to ids.
struct Asked {
    step: Option<String>,
    finding: Option<String>,
    reason: Option<String>,
}

/// The violations a review names, or a refusal saying what exists to review.
fn targets<'a>(
    a: &Asked,
    findings: &'a [Finding],
    rules: &crate::rules::Rules,
) -> Result<Vec<&'a Finding>> {
    let violations: Vec<&Finding> = findings.iter().filter(|f| f.kind.is_violation()).collect();
    let list = || {
        let names: Vec<String> = violations
            .iter()
            .map(|f| {
                let (subj, kind) = (
                    render::finding::subject(f, rules),
                    render::table::kind_text(f.kind),
                );
                crate::msg!("{subj} ({kind})", "{subj}（{kind}）").to_string()
            })
            .collect();
        if names.is_empty() {
            crate::i18n::pick("none", "无").to_owned()
        } else {
            names.join(crate::i18n::pick(", ", "，"))
        }
    };
    let chosen: Vec<&Finding> = match (&a.step, &a.finding) {
        (Some(step), _) => {
            let of_step: Vec<&Finding> = violations
                .iter()
                .copied()
                .filter(|f| &f.step == step)
                .collect();
            let reasons = |r: &str| {
                of_step.iter().any(|f| {
                    f.kind == FindingKind::Skipped && f.reason.map(|x| x.as_str()) == Some(r)
                })
            };
            match a.reason.as_deref() {
                None if reasons("bypassed") && reasons("omitted") => {
                    let step = render::step_by_id(rules, step);
                    return Err(usage(msg!(
                        "{step} was both bypassed and omitted: say which is reviewed with --reason bypassed or --reason omitted",
                        "{step} 既有越级又有漏报：请用 --reason bypassed 或 --reason omitted 指明审核哪一项"
                    )));
                }
                None => of_step,
                Some(r @ ("bypassed" | "omitted")) => of_step
                    .into_iter()
                    .filter(|f| f.reason.map(|x| x.as_str()) == Some(r))
                    .collect(),
                Some(other) => {
                    return Err(usage(msg!(
                        "--reason {other}: a skip is bypassed or omitted",
                        "--reason {other}：未报类型只能是 bypassed 或 omitted"
                    )));
                }
            }
        }
        (None, Some(kind)) => {
            let kind = match FindingKind::parse(kind) {
                Some(k @ (FindingKind::Incomplete | FindingKind::PrematureCause)) => k,
                _ => {
                    return Err(usage(msg!(
                        "--finding {kind}: review a content finding (incomplete or premature_cause) here, or a step's violations with --step",
                        "--finding {kind}：此处审核内容类问题（incomplete 或 premature_cause）；环节类问题请用 --step"
                    )));
                }
            };
            violations
                .iter()
                .copied()
                .filter(|f| f.kind == kind)
                .collect()
        }
        (None, None) => Vec::new(),
    };
    if chosen.is_empty() {
        let what = a
            .step
            .clone()
            .or_else(|| a.finding.clone())
            .unwrap_or_default();
        let list = list();
        return Err(refuse(msg!(
            "there is no violation of {what} to review at that time; the violations then are: {list}",
            "该时间 {what} 没有可审核的问题；当时的问题有：{list}"
        )));
    }
    Ok(chosen)
}
