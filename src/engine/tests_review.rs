//! Reviews at fixed instants: a review claimed after T does not count at T, and a finding that
//! changes after its review is new again.

use super::*;
use crate::domain::fixture::{Builder, m, s};
use crate::domain::model::{Body, Changes, Review};
use crate::rules::Rules;

fn eval(b: &Builder, r: &Rules, at: Instant) -> Evaluation {
    evaluate(&b.entries, r, at)
        .expect("valid history")
        .expect("exists at T")
}

/// A review covering the violations of `step` as they stand at `at`.
fn review(b: &mut Builder, r: &Rules, at: Instant, step: &str) {
    let ev = eval(b, r, at);
    let covers = ev
        .findings
        .iter()
        .filter(|f| f.step == step && f.kind.is_violation())
        .map(covered)
        .collect();
    b.push(
        at,
        Body::Review {
            review: Review {
                step: Some(step.to_owned()),
                finding: None,
                reason: None,
                note: "已核实，已约谈".into(),
                covers,
            },
        },
    );
}

fn late(ev: &Evaluation) -> &Finding {
    ev.findings
        .iter()
        .find(|f| f.kind == FindingKind::Late && f.step == "leader-in-charge")
        .expect("late")
}

#[test]
fn a_review_counts_from_its_claimed_time() {
    let r = Rules::builtin();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(20), "leader_in_charge", "phone");
    review(&mut b, &r, m(60), "leader-in-charge");
    for (at, reviewed) in [(s(3600 - 1), false), (m(60), true), (s(3600 + 1), true)] {
        let ev = eval(&b, &r, at);
        let f = late(&ev);
        assert_eq!(f.reviewed.is_some(), reviewed, "at {at}");
        assert_eq!(f.is_open_violation(), !reviewed);
    }
    let f = late(&eval(&b, &r, m(61)))
        .reviewed
        .clone()
        .expect("reviewed");
    assert_eq!((f.at, f.entry, f.by.as_str()), (m(60), 3, "值班员"));
}

#[test]
fn a_finding_that_changes_after_its_review_is_new_again() {
    let r = Rules::builtin();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(20), "leader_in_charge", "phone");
    review(&mut b, &r, m(60), "leader-in-charge");
    // A correction makes it 25 minutes late instead of 5: another finding.
    b.correct(
        m(70),
        2,
        Changes {
            at: Some(m(40)),
            ..Changes::default()
        },
    );
    let ev = eval(&b, &r, m(71));
    assert_eq!(late(&ev).minutes, Some(25));
    assert!(late(&ev).reviewed.is_none(), "new again");
    // Before the correction, the review still covers it.
    assert!(late(&eval(&b, &r, m(69))).reviewed.is_some());
}

#[test]
fn an_overdue_step_stays_reviewed_while_it_grows_and_its_lateness_is_new() {
    let r = Rules::builtin();
    let mut b = Builder::new(&r, "gas");
    review(&mut b, &r, m(30), "leader-in-charge");
    let ev = eval(&b, &r, m(50));
    let f = ev
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Overdue && f.step == "leader-in-charge")
        .expect("overdue");
    assert_eq!(f.minutes, Some(35));
    assert!(f.reviewed.is_some(), "the same overdue step, later");
    b.escalate(m(55), "leader_in_charge", "phone");
    let ev = eval(&b, &r, m(56));
    assert!(late(&ev).reviewed.is_none(), "done late: a new finding");
    // A step reviewed as late that is later also found bypassed: the bypass is new, the
    // lateness stays reviewed.
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(5), "leader_in_charge", "phone")
        .escalate(m(30), "city", "phone")
        .escalate(m(20), "principal_leader", "phone");
    review(&mut b, &r, m(35), "principal-leader");
    b.correct(
        m(40),
        3,
        Changes {
            at: Some(m(10)),
            ..Changes::default()
        },
    );
    let ev = eval(&b, &r, m(41));
    let of = |k: FindingKind| {
        ev.findings
            .iter()
            .find(|f| f.kind == k && f.step == "principal-leader")
            .expect("finding")
    };
    assert!(of(FindingKind::Late).reviewed.is_some());
    assert!(of(FindingKind::Skipped).reviewed.is_none(), "new again");
}
