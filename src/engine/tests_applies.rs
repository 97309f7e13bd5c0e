//! When a step applies, what anchors it, and when a limit no longer binds: the engine at fixed
//! instants (exactly at the due time, a second before, a second after), against the regimes'
//! own rules files.

use chrono::Duration;

use super::*;
use crate::domain::fixture::{Builder, m, s, t0};
use crate::rules::Rules;

fn example(name: &str) -> Rules {
    let text = match name {
        "decree" => include_str!("../../examples/cn-decree-493.toml"),
        "dora" => include_str!("../../examples/eu-dora.toml"),
        _ => unreachable!("a known example"),
    };
    Rules::parse(text, name).expect("the example is valid")
}

fn eval(b: &Builder, r: &Rules, at: Instant) -> Evaluation {
    evaluate(&b.entries, r, at)
        .expect("valid history")
        .expect("exists at T")
}

fn step<'a>(ev: &'a Evaluation, r: &Rules, id: &str) -> &'a StepEval {
    &ev.steps[r.step_index(id).expect("step exists")]
}

fn kinds(ev: &Evaluation, id: &str) -> Vec<(FindingKind, Option<i64>)> {
    ev.findings
        .iter()
        .filter(|f| f.step == id)
        .map(|f| (f.kind, f.minutes))
        .collect()
}

fn h(hours: i64) -> Instant {
    t0() + Duration::hours(hours)
}

/// A level told before its step's clock starts, but after the step applies, is told: on time.
#[test]
fn an_entry_before_the_clock_start_but_after_it_applies_completes_the_step() {
    let r = example("decree");
    let mut b = Builder::new(&r, "production");
    // The city is told (with a reason: Art. 10 allows it) before the county, whose receipt
    // starts the city's clock.
    b.escalate_with(m(10), "city", "phone", Some("县局电话无人接听"))
        .escalate(m(30), "county", "phone");
    let ev = eval(&b, &r, m(31));
    let city = step(&ev, &r, "city");
    assert_eq!(city.clock_start, Some(m(30)));
    assert_eq!(city.due, Some(m(30) + Duration::hours(2)));
    assert_eq!(city.done, Some(m(10)));
    assert_eq!(city.status, StepStatus::Done);
    assert!(kinds(&ev, "city").is_empty());
    // Before the county is told, the city's clock waits, but the city is told all the same.
    let ev = eval(&b, &r, m(20));
    let city = step(&ev, &r, "city");
    assert_eq!((city.due, city.done), (None, Some(m(10))));
    assert_eq!(city.status, StepStatus::Done);
}

/// Decree 493 Art. 11, 每级上报的时间不得超过2小时: after a reclassification to 较大 on a 补报
/// received by the county at 17:30 and by the city at 18:40, the province is due 20:40 — two
/// hours from the city's own receipt of the report of the new class, not from its first
/// receipt days earlier.
#[test]
fn decree_493_each_level_counts_from_its_own_receipt_of_the_new_class() {
    let r = example("decree");
    let day3 =
        |hh: i64, mm: i64| t0() + Duration::days(2) + Duration::minutes(hh * 60 + mm - 14 * 60);
    for (done_at, late) in [
        (None, None),
        (Some(day3(20, 40)), None),
        (Some(day3(20, 40) + Duration::seconds(1)), Some(1)),
    ] {
        let mut b = Builder::new(&r, "production");
        b.escalate(m(30), "county", "phone")
            .escalate(m(90), "city", "phone")
            .followup(day3(17, 0), &[("deaths", 3)])
            .escalate(day3(17, 30), "county", "phone")
            .escalate(day3(18, 40), "city", "phone");
        if let Some(t) = done_at {
            b.escalate(t, "province", "phone");
        }
        let at = day3(21, 0);
        let ev = eval(&b, &r, at);
        let province = step(&ev, &r, "province");
        assert_eq!(province.clock_start, Some(day3(18, 40)));
        assert_eq!(province.due, Some(day3(20, 40)));
        match (done_at, late) {
            (None, _) => assert_eq!(kinds(&ev, "province"), [(FindingKind::Overdue, Some(20))]),
            (Some(_), None) => {
                assert_eq!(province.status, StepStatus::Done);
                assert!(kinds(&ev, "province").is_empty());
            }
            (Some(_), Some(mins)) => {
                assert_eq!(kinds(&ev, "province"), [(FindingKind::Late, Some(mins))]);
            }
        }
    }
    // Exactly at 20:40 with nothing sent: due now, not overdue; a second later, overdue.
    let mut b = Builder::new(&r, "production");
    b.escalate(m(30), "county", "phone")
        .escalate(m(90), "city", "phone")
        .followup(day3(17, 0), &[("deaths", 3)])
        .escalate(day3(17, 30), "county", "phone")
        .escalate(day3(18, 40), "city", "phone");
    let ev = eval(&b, &r, day3(20, 40));
    assert_eq!(step(&ev, &r, "province").status, StepStatus::Pending);
    let ev = eval(&b, &r, day3(20, 40) + Duration::seconds(1));
    assert_eq!(kinds(&ev, "province"), [(FindingKind::Overdue, Some(1))]);
    // Before the city received the report of the new class, the province has no clock yet.
    let ev = eval(&b, &r, day3(18, 39));
    assert_eq!(step(&ev, &r, "province").due, None);
}

/// DORA 2025/301 Art. 5(2): an incident classified major more than 24 hours after awareness owes
/// its initial notification within 4 hours of the classification; the 24-hour limit, already
/// passed, does not make it late from birth. Classified a second before the 24 hours end, the
/// limit still binds.
#[test]
fn dora_a_limit_passed_before_the_step_applies_does_not_bind() {
    let r = example("dora");
    let cases = [
        // (classified, due)
        (s(24 * 3600 - 1), h(24)),
        (h(24), h(24)),
        (s(24 * 3600 + 1), s(24 * 3600 + 1) + Duration::hours(4)),
        (h(30), h(34)),
    ];
    for (classified, due) in cases {
        let mut b = Builder::new(&r, "ict_incident");
        b.declare(classified, "major");
        let ev = eval(&b, &r, classified);
        let st = step(&ev, &r, "initial-notification");
        assert_eq!(st.due, Some(due), "classified at {classified}");
        assert!(
            !kinds(&ev, "initial-notification")
                .iter()
                .any(|(k, _)| k.is_violation()),
            "not late from birth: classified at {classified}"
        );
        let ev = eval(&b, &r, due + Duration::seconds(1));
        assert_eq!(
            kinds(&ev, "initial-notification"),
            [(FindingKind::Overdue, Some(1))],
            "classified at {classified}"
        );
    }
}

/// DORA 2025/301 Art. 5(1)(c): the final report within one month of the *latest* updated
/// intermediate report (`from = "last:intermediate-report"`).
#[test]
fn dora_the_final_report_counts_from_the_latest_intermediate_report() {
    let r = example("dora");
    let mut b = Builder::new(&r, "ict_incident");
    b.declare(m(10), "major")
        .escalate(m(60), "competent_authority", "initial-notification")
        .escalate(h(48), "competent_authority", "intermediate-report");
    let month = |t: Instant| {
        crate::rules::Span::new(1, crate::rules::Unit::Months).after(t, r.tz, &r.calendar)
    };
    let ev = eval(&b, &r, h(49));
    assert_eq!(step(&ev, &r, "final-report").due, Some(month(h(48))));
    // An updated intermediate report moves the final report's due time.
    b.escalate(h(100), "competent_authority", "intermediate-report");
    let ev = eval(&b, &r, h(101));
    let fin = step(&ev, &r, "final-report");
    assert_eq!(fin.due, Some(month(h(100))));
    let due = month(h(100));
    for (offset, status) in [
        (-1, StepStatus::Pending),
        (0, StepStatus::Pending),
        (1, StepStatus::Overdue),
    ] {
        let ev = eval(&b, &r, due + Duration::seconds(offset));
        assert_eq!(step(&ev, &r, "final-report").status, status, "{offset}");
    }
}

/// Levels without a rank (Decree 493 Art. 10: police, labour department, union, procuratorate)
/// are told within their steps' deadlines but take no part in the bypass rule.
#[test]
fn a_level_without_a_rank_is_never_bypassed_and_bypasses_nothing() {
    let r = example("decree");
    assert!(
        r.levels.iter().any(|l| l.rank.is_none()),
        "the example has one"
    );
    let mut b = Builder::new(&r, "production");
    b.escalate(m(5), "police", "phone")
        .escalate(m(6), "procuratorate", "phone")
        .escalate(m(20), "county", "phone");
    let ev = eval(&b, &r, m(21));
    assert!(
        !ev.findings.iter().any(|f| f.kind == FindingKind::Skipped),
        "{:?}",
        ev.findings
    );
    // Telling the city first bypasses the county, not the unranked parties.
    let mut b = Builder::new(&r, "production");
    b.escalate(m(5), "city", "phone");
    let ev = eval(&b, &r, m(6));
    let skipped: Vec<&str> = ev
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Skipped)
        .map(|f| f.step.as_str())
        .collect();
    assert_eq!(skipped, ["county"]);
    // Their deadlines run like any step's: two hours from the county's receipt (Art. 10, 11).
    let mut b = Builder::new(&r, "production");
    b.escalate(m(30), "county", "phone");
    let ev = eval(&b, &r, m(30) + Duration::hours(2) + Duration::seconds(1));
    assert_eq!(kinds(&ev, "police"), [(FindingKind::Overdue, Some(1))]);
}

/// A bypassed step not yet done is still owed: overdue once past due, skipped before.
#[test]
fn a_bypassed_step_is_still_owed_and_overdue_once_past_due() {
    let r = Rules::builtin();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(5), "city", "phone");
    let ev = eval(&b, &r, m(10));
    let st = step(&ev, &r, "leader-in-charge");
    assert_eq!((st.status, st.done), (StepStatus::Skipped, None));
    let ev = eval(&b, &r, s(15 * 60));
    assert_eq!(
        step(&ev, &r, "leader-in-charge").status,
        StepStatus::Skipped
    );
    let ev = eval(&b, &r, s(15 * 60 + 1));
    assert_eq!(
        step(&ev, &r, "leader-in-charge").status,
        StepStatus::Overdue
    );
    assert!(ev.findings.iter().any(|f| f.kind == FindingKind::Skipped
        && f.step == "leader-in-charge"
        && f.reason == Some(SkipReason::Bypassed)));
}

/// Measures that follow in a follow-up resolve the initial report's `incomplete`, from the
/// follow-up's claimed time on; before it, the finding stands.
#[test]
fn measures_in_a_later_report_resolve_incomplete() {
    let r = Rules::builtin();
    let mut b = Builder::filed_at(&r, "gas", t0(), false, &[]);
    b.push(
        m(40),
        crate::domain::model::Body::Followup {
            report: crate::domain::model::Report {
                text: "处置中".into(),
                measures: Some("已疏散".into()),
                ..Default::default()
            },
            severity: None,
        },
    );
    let incomplete = |ev: &Evaluation| {
        ev.findings
            .iter()
            .any(|f| f.kind == FindingKind::Incomplete)
    };
    let before = eval(&b, &r, s(40 * 60 - 1));
    assert!(incomplete(&before));
    assert!(before.supplied.is_empty());
    let at = eval(&b, &r, m(40));
    assert!(!incomplete(&at));
    assert_eq!(at.supplied.len(), 1);
    let sup = &at.supplied[0];
    assert_eq!((sup.entry, sup.by, sup.at), (1, 2, m(40)));
    assert_eq!(sup.field, crate::rules::Field::Measures);
}
