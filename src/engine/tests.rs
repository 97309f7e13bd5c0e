//! Engine tests at fixed instants: exactly at the due time, a second before, a second after.

use chrono::Duration;

use super::*;
use crate::domain::fixture::{Builder, m, s, t0};
use crate::domain::model::{Body, Cause, CauseStatus, Changes, Report};
use crate::rules::Rules;

fn rules() -> Rules {
    Rules::builtin()
}

fn eval(b: &Builder, r: &Rules, at: Instant) -> Evaluation {
    evaluate(&b.entries, r, at)
        .expect("valid history")
        .expect("exists at T")
}

/// (kind, step, reason) of every finding, in the engine's order.
fn found(ev: &Evaluation) -> Vec<(&'static str, String, Option<&'static str>)> {
    ev.findings
        .iter()
        .map(|f| {
            (
                f.kind.as_str(),
                f.step.clone(),
                f.reason.map(SkipReason::as_str),
            )
        })
        .collect()
}

fn has(ev: &Evaluation, kind: FindingKind, step: &str) -> bool {
    ev.findings.iter().any(|f| f.kind == kind && f.step == step)
}

fn step<'a>(ev: &'a Evaluation, r: &Rules, id: &str) -> &'a StepEval {
    let i = r.step_index(id).expect("step exists");
    &ev.steps[i]
}

/// All four level steps done on time, so other tests can look at one thing.
fn told_everyone(b: &mut Builder) {
    b.escalate(m(5), "leader_in_charge", "phone")
        .escalate(m(6), "principal_leader", "phone")
        .escalate(m(10), "city", "phone")
        .escalate(m(40), "city", "written");
}

#[test]
fn done_exactly_at_due_is_on_time_and_a_second_later_is_late() {
    let r = rules();
    for (offset, late) in [(-1, false), (0, false), (1, true)] {
        let mut b = Builder::new(&r, "gas");
        b.escalate(s(15 * 60 + offset), "leader_in_charge", "phone");
        let ev = eval(&b, &r, m(16));
        let st = step(&ev, &r, "leader-in-charge");
        assert_eq!(st.due, Some(m(15)));
        assert_eq!(
            st.status,
            if late {
                StepStatus::Late
            } else {
                StepStatus::Done
            },
            "offset {offset}"
        );
        assert_eq!(
            has(&ev, FindingKind::Late, "leader-in-charge"),
            late,
            "offset {offset}"
        );
        if late {
            let f = ev
                .findings
                .iter()
                .find(|f| f.kind == FindingKind::Late)
                .expect("late");
            assert_eq!(f.minutes, Some(1), "one second late rounds up to a minute");
            assert_eq!(
                (f.level.as_deref(), f.channel.as_deref()),
                (Some("leader_in_charge"), None)
            );
        }
    }
}

#[test]
fn overdue_only_after_the_due_time() {
    let r = rules();
    let b = Builder::new(&r, "gas");
    let at_due = eval(&b, &r, m(15));
    assert_eq!(
        step(&at_due, &r, "leader-in-charge").status,
        StepStatus::Pending
    );
    assert!(!has(&at_due, FindingKind::Overdue, "leader-in-charge"));
    let f = at_due
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DueSoon && f.step == "leader-in-charge")
        .expect("due soon at the due time");
    assert_eq!(f.minutes, Some(0));

    let after = eval(&b, &r, s(15 * 60 + 1));
    assert_eq!(
        step(&after, &r, "leader-in-charge").status,
        StepStatus::Overdue
    );
    let f = after
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Overdue && f.step == "leader-in-charge")
        .expect("overdue");
    assert_eq!(f.minutes, Some(1));
    assert_eq!(f.due, Some(m(15)));
}

#[test]
fn due_soon_starts_exactly_at_the_warning_window() {
    let r = rules();
    let b = Builder::new(&r, "gas");
    // city-written is due at 60 minutes; the warning is 15 minutes.
    let edge = eval(&b, &r, m(45));
    let f = edge
        .findings
        .iter()
        .find(|f| f.step == "city-written" && f.kind == FindingKind::DueSoon)
        .expect("due soon at exactly 15 minutes left");
    assert_eq!(f.minutes, Some(15));
    let before = eval(&b, &r, s(45 * 60 - 1));
    assert!(!has(&before, FindingKind::DueSoon, "city-written"));
    let overdue: Vec<_> = found(&before)
        .into_iter()
        .filter(|f| f.0 == "overdue")
        .map(|f| f.1)
        .collect();
    assert_eq!(
        overdue,
        ["leader-in-charge", "principal-leader", "city-phone"]
    );
}

#[test]
fn closing_without_an_escalation_is_omitted() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(5), "leader_in_charge", "phone")
        .escalate(m(6), "principal_leader", "phone")
        .escalate(m(10), "city", "phone")
        .close(m(50));
    let ev = eval(&b, &r, m(50));
    let st = step(&ev, &r, "city-written");
    assert_eq!(st.status, StepStatus::Skipped);
    assert_eq!(
        found(&ev),
        vec![("skipped", "city-written".to_owned(), Some("omitted"))],
        "closed before the due time, and never done"
    );
    assert_eq!(step(&ev, &r, "final").status, StepStatus::Done);
    assert_eq!(step(&ev, &r, "followup").status, StepStatus::Done);
}

#[test]
fn telling_the_city_first_bypasses_each_untold_lower_level() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(2), "leader_in_charge", "phone")
        .escalate(m(3), "city", "phone");
    let ev = eval(&b, &r, m(4));
    let skipped: Vec<_> = ev
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Skipped)
        .collect();
    assert_eq!(
        skipped.len(),
        1,
        "telling leader_in_charge does not cover principal_leader"
    );
    let f = skipped[0];
    assert_eq!(f.step, "principal-leader");
    assert_eq!(f.reason, Some(SkipReason::Bypassed));
    assert_eq!(f.bypassed_by.as_deref(), Some("city"));
    assert_eq!(f.entry, Some(3));
    assert_eq!(
        step(&ev, &r, "principal-leader").status,
        StepStatus::Skipped
    );
    assert_eq!(step(&ev, &r, "leader-in-charge").status, StepStatus::Done);
}

#[test]
fn a_bypassed_step_done_late_is_both_skipped_and_late() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(2), "leader_in_charge", "phone")
        .escalate(m(3), "city", "phone")
        .escalate(m(20), "principal_leader", "phone");
    let ev = eval(&b, &r, m(21));
    assert!(has(&ev, FindingKind::Skipped, "principal-leader"));
    assert!(has(&ev, FindingKind::Late, "principal-leader"));
    // The step shows its lateness; the bypass is the finding beside it.
    assert_eq!(step(&ev, &r, "principal-leader").status, StepStatus::Late);
    assert_eq!(step(&ev, &r, "principal-leader").done, Some(m(20)));
}

fn with_bypass(policy: &str) -> Rules {
    let text = crate::rules::DEFAULT_TEXT
        .replace("bypass = \"forbidden\"", &format!("bypass = \"{policy}\""));
    Rules::parse(&text, "test").expect("valid rules")
}

#[test]
fn a_reason_excuses_a_bypass_only_where_the_rules_allow_it() {
    for (policy, with_reason, skipped) in [
        ("forbidden", false, true),
        ("forbidden", true, true),
        ("with_reason", false, true),
        ("with_reason", true, false),
        ("allowed", false, false),
    ] {
        let r = with_bypass(policy);
        let mut b = Builder::new(&r, "gas");
        b.escalate(m(1), "leader_in_charge", "phone");
        b.escalate_with(
            m(2),
            "city",
            "phone",
            with_reason.then_some("主要领导在手术中，无法联系"),
        );
        let ev = eval(&b, &r, m(3));
        let f = ev.findings.iter().find(|f| f.kind == FindingKind::Skipped);
        assert_eq!(f.is_some(), skipped, "{policy}, reason: {with_reason}");
        if let Some(f) = f {
            assert_eq!(
                f.note.is_some(),
                with_reason,
                "the reason is shown where it does not excuse"
            );
        }
    }
}

#[test]
fn measures_missing_and_premature_cause() {
    let r = rules();
    let mut b = Builder::filed_at(&r, "gas", t0(), false, &[]);
    b.push(
        m(30),
        Body::Followup {
            report: Report {
                text: "已控制".into(),
                measures: None,
                figures: Default::default(),
                cause: Some(Cause {
                    text: "违规动火".into(),
                    status: CauseStatus::Confirmed,
                }),
            },
            severity: None,
        },
    );
    let ev = eval(&b, &r, m(31));
    let inc = ev
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Incomplete)
        .expect("incomplete");
    assert_eq!(
        (inc.step.as_str(), inc.entry, inc.missing.clone()),
        ("initial", Some(1), vec![crate::rules::Field::Measures])
    );
    let pc = ev
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::PrematureCause)
        .expect("premature");
    assert_eq!(
        (pc.step.as_str(), pc.entry, pc.done),
        ("followup", Some(2), Some(m(30)))
    );

    // A confirmed cause in the final report is allowed; preliminary anywhere is.
    let mut b = Builder::new(&r, "gas");
    b.close_with(m(30), Some(CauseStatus::Confirmed));
    assert!(!has(
        &eval(&b, &r, m(31)),
        FindingKind::PrematureCause,
        "final"
    ));

    // Adding the measures by a correction clears the finding.
    let mut b = Builder::filed_at(&r, "gas", t0(), false, &[]);
    b.correct(
        m(20),
        1,
        Changes {
            measures: Some("已疏散".into()),
            ..Changes::default()
        },
    );
    assert!(has(
        &eval(&b, &r, m(19)),
        FindingKind::Incomplete,
        "initial"
    ));
    assert!(!has(
        &eval(&b, &r, m(20)),
        FindingKind::Incomplete,
        "initial"
    ));
}

#[test]
fn followups_recur_from_the_initial_reports_time_not_the_known_time() {
    let r = rules();
    let mut b = Builder::filed_at(&r, "gas", m(10), true, &[]);
    told_everyone(&mut b);
    let due = m(10) + Duration::hours(24);
    let ev = eval(&b, &r, due);
    assert_eq!(step(&ev, &r, "followup").due, Some(due));
    assert_eq!(step(&ev, &r, "followup").status, StepStatus::Pending);
    let ev = eval(&b, &r, due + Duration::seconds(1));
    assert_eq!(step(&ev, &r, "followup").status, StepStatus::Overdue);
    assert_eq!(found(&ev), vec![("overdue", "followup".to_owned(), None)]);
}

#[test]
fn each_long_gap_between_reports_is_one_late_finding() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    told_everyone(&mut b);
    let h = |x: i64| t0() + Duration::hours(x);
    // Gaps: 0→20 (ok), 20→45 (late by 1h), 45→69 (exactly 24h: on time), 69→100 (late by 7h).
    b.followup(h(20), &[])
        .followup(h(45), &[])
        .followup(h(69), &[])
        .followup(h(100), &[]);
    let ev = eval(&b, &r, h(101));
    let late: Vec<(Option<Instant>, Option<i64>)> = ev
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Late && f.step == "followup")
        .map(|f| (f.due, f.minutes))
        .collect();
    assert_eq!(
        late,
        vec![(Some(h(44)), Some(60)), (Some(h(93)), Some(7 * 60))]
    );
    assert_eq!(step(&ev, &r, "followup").due, Some(h(124)));
    assert_eq!(step(&ev, &r, "followup").done, Some(h(100)));
}

#[test]
fn closing_stops_the_recurring_step_and_the_final_report_ends_the_last_gap() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    told_everyone(&mut b);
    b.close(t0() + Duration::hours(30));
    let ev = eval(&b, &r, t0() + Duration::days(10));
    assert_eq!(found(&ev), vec![("late", "followup".to_owned(), None)]);
    assert_eq!(step(&ev, &r, "followup").status, StepStatus::Late);
    assert_eq!(step(&ev, &r, "final").status, StepStatus::Done);
}

#[test]
fn a_reclassification_starts_the_major_steps_from_its_own_time() {
    let r = rules();
    let mut b = Builder::new(&r, "mining");
    told_everyone(&mut b);
    b.followup(m(120), &[("deaths", 10)]);
    let ev = eval(&b, &r, m(120));
    let phone = step(&ev, &r, "city-phone-major");
    assert_eq!(
        phone.clock_start,
        Some(m(120)),
        "the earlier call to the city does not count"
    );
    assert_eq!(phone.due, Some(m(140)));
    assert_eq!(phone.status, StepStatus::Pending);
    assert_eq!(step(&ev, &r, "city-written-major").due, Some(m(160)));
    // followup stops, followup-major counts from the reclassification.
    assert_eq!(step(&ev, &r, "followup").status, StepStatus::Done);
    assert_eq!(
        step(&ev, &r, "followup-major").due,
        Some(m(120) + Duration::hours(12))
    );
    // Before the reclassification, the major steps do not apply.
    let before = eval(&b, &r, m(119));
    assert_eq!(
        step(&before, &r, "city-phone-major").status,
        StepStatus::NotApplicable
    );
    assert_eq!(
        step(&before, &r, "followup-major").status,
        StepStatus::NotApplicable
    );
    // Calling the city at 140 is exactly on time; at 141 one minute late.
    let mut on_time = Builder {
        entries: b.entries.clone(),
    };
    on_time.escalate(m(140), "city", "phone");
    assert_eq!(
        step(&eval(&on_time, &r, m(150)), &r, "city-phone-major").status,
        StepStatus::Done
    );
    b.escalate(m(141), "city", "phone");
    let late = eval(&b, &r, m(150));
    assert_eq!(step(&late, &r, "city-phone-major").status, StepStatus::Late);
}

#[test]
fn channel_must_match_when_the_step_names_one() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(10), "city", "fax");
    let ev = eval(&b, &r, m(31));
    assert_eq!(step(&ev, &r, "city-phone").status, StepStatus::Overdue);
}

#[test]
fn a_correction_that_moves_a_time_moves_the_finding() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(20), "leader_in_charge", "phone");
    b.correct(
        m(60),
        2,
        Changes {
            at: Some(m(14)),
            ..Changes::default()
        },
    );
    let before = eval(&b, &r, m(59));
    assert_eq!(
        step(&before, &r, "leader-in-charge").status,
        StepStatus::Late
    );
    let after = eval(&b, &r, m(60));
    assert_eq!(
        step(&after, &r, "leader-in-charge").status,
        StepStatus::Done
    );
    assert_eq!(step(&after, &r, "leader-in-charge").done, Some(m(14)));
}

const CHAIN: &str = r#"
time_zone = "Asia/Shanghai"
bypass = "forbidden"
channels = ["phone", "early-warning", "notification"]
[[severities]]
id = "minor"
[[severities]]
id = "serious"
at_least = { deaths = 1 }
[[kinds]]
id = "other"
[[levels]]
id = "county"
rank = 1
[[levels]]
id = "city"
rank = 2
[[steps]]
id = "county"
escalate = "county"
from = "known"
within = "1h"
[[steps]]
id = "city"
escalate = "city"
from = "step:county"
within = "2h"
[[steps]]
id = "warning"
escalate = "city"
via = "early-warning"
from = "known"
within = "4h"
min_severity = "serious"
no_later_than = [{ from = "known", within = "5h" }]
[[steps]]
id = "later"
escalate = "county"
via = "notification"
from = ["occurred", "known"]
within = "10m"
"#;

#[test]
fn a_step_anchored_on_another_waits_for_it() {
    let r = Rules::parse(CHAIN, "chain").expect("valid");
    let b = Builder::new(&r, "other");
    let ev = eval(&b, &r, m(30));
    let city = step(&ev, &r, "city");
    assert_eq!((city.status, city.due), (StepStatus::Pending, None));
    let mut b = Builder::new(&r, "other");
    b.escalate(m(50), "county", "phone");
    let ev = eval(&b, &r, m(60));
    assert_eq!(
        step(&ev, &r, "city").due,
        Some(m(170)),
        "2h after the county was told"
    );
    assert_eq!(
        step(&ev, &r, "later").due,
        Some(m(10)),
        "the later of occurred and known"
    );
    // Closed before the county was told: both are omitted.
    let mut b = Builder::new(&r, "other");
    b.close(m(30));
    let ev = eval(&b, &r, m(30));
    assert!(has(&ev, FindingKind::Skipped, "county") && has(&ev, FindingKind::Skipped, "city"));
}

#[test]
fn no_later_than_caps_the_due_time_without_the_severity_clamp() {
    let r = Rules::parse(CHAIN, "chain").expect("valid");
    // Serious from the start: 4h after classification (= known) wins over 5h after known.
    let b = Builder::filed_at(&r, "other", t0(), true, &[("deaths", 1)]);
    assert_eq!(step(&eval(&b, &r, m(1)), &r, "warning").due, Some(m(240)));
    // Classified serious 2h after known: 4h later would be 6h, but no later than 5h after known.
    let mut b = Builder::new(&r, "other");
    b.followup(m(120), &[("deaths", 1)]);
    let ev = eval(&b, &r, m(121));
    let w = step(&ev, &r, "warning");
    assert_eq!((w.clock_start, w.due), (Some(m(120)), Some(m(300))));
}

#[test]
fn an_incident_not_yet_reported_at_t_does_not_exist() {
    let r = rules();
    let b = Builder::filed_at(&r, "gas", m(10), true, &[]);
    assert!(evaluate(&b.entries, &r, m(9)).expect("valid").is_none());
}
