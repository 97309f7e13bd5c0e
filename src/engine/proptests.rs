//! Invariants of the engine over generated histories.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::domain::fixture::{Builder, m};
use crate::domain::model::CauseStatus;
use crate::rules::Rules;

#[derive(Debug, Clone)]
enum Event {
    Escalate { level: usize, channel: usize },
    Followup { deaths: i64 },
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0..3usize, 0..3usize).prop_map(|(level, channel)| Event::Escalate { level, channel }),
        (0..15i64).prop_map(|deaths| Event::Followup { deaths }),
    ]
}

#[derive(Debug, Clone)]
struct Scenario {
    kind: usize,
    measures: bool,
    deaths: i64,
    /// Distinct minute offsets after t0, with an event each.
    events: Vec<(i64, Event)>,
    close: Option<CauseStatus>,
    at: i64,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0..3usize,
        any::<bool>(),
        0..12i64,
        proptest::collection::btree_map(1..3000i64, event(), 0..12),
        proptest::option::of(prop_oneof![
            Just(CauseStatus::Preliminary),
            Just(CauseStatus::Confirmed)
        ]),
        0..4000i64,
    )
        .prop_map(|(kind, measures, deaths, events, close, at)| Scenario {
            kind,
            measures,
            deaths,
            events: events.into_iter().collect(),
            close,
            at,
        })
}

const KINDS: [&str; 3] = ["gas", "fire", "mining"];
const LEVELS: [&str; 3] = ["leader_in_charge", "principal_leader", "city"];
const CHANNELS: [&str; 3] = ["phone", "written", "fax"];

fn build(r: &Rules, s: &Scenario, order: &[usize]) -> Builder {
    let mut b = Builder::filed_at(r, KINDS[s.kind], m(0), s.measures, &[("deaths", s.deaths)]);
    for &i in order {
        let (t, e) = &s.events[i];
        match e {
            Event::Escalate { level, channel } => {
                b.escalate(m(*t), LEVELS[*level], CHANNELS[*channel]);
            }
            Event::Followup { deaths } => {
                b.followup(m(*t), &[("deaths", *deaths)]);
            }
        }
    }
    if let Some(cause) = s.close {
        let last = s.events.iter().map(|(t, _)| *t).max().unwrap_or(0);
        b.close_with(m(last + 1), Some(cause));
    }
    b
}

/// Findings without entry numbers, which depend on insertion order.
fn normalized(ev: &Evaluation) -> Vec<Finding> {
    let mut f: Vec<Finding> = ev
        .findings
        .iter()
        .cloned()
        .map(|mut f| {
            f.entry = None;
            f
        })
        .collect();
    f.sort_by_key(|f| format!("{f:?}"));
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn entries_claimed_after_t_change_nothing(s in scenario(), extra in proptest::collection::vec(event(), 1..5)) {
        let r = Rules::builtin();
        let order: Vec<usize> = (0..s.events.len()).collect();
        let base = build(&r, &s, &order);
        let t = m(s.at);
        let before = evaluate(&base.entries, &r, t).expect("valid");
        let mut more = Builder { entries: base.entries.clone() };
        if s.close.is_none() {
            for (i, e) in extra.iter().enumerate() {
                let later = t + chrono::Duration::minutes(1 + i as i64);
                match e {
                    Event::Escalate { level, channel } => { more.escalate(later, LEVELS[*level], CHANNELS[*channel]); }
                    Event::Followup { deaths } => { more.followup(later, &[("deaths", *deaths)]); }
                }
            }
        }
        let after = evaluate(&more.entries, &r, t).expect("valid");
        prop_assert_eq!(before, after);
    }

    #[test]
    fn insertion_order_of_distinct_times_changes_nothing(s in scenario(), seed in any::<u64>()) {
        let r = Rules::builtin();
        let forward: Vec<usize> = (0..s.events.len()).collect();
        let mut shuffled = forward.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let t = m(s.at);
        let a = evaluate(&build(&r, &s, &forward).entries, &r, t).expect("valid");
        let b = evaluate(&build(&r, &s, &shuffled).entries, &r, t).expect("valid");
        prop_assert_eq!(a.as_ref().map(|e| e.steps.clone()), b.as_ref().map(|e| e.steps.clone()));
        prop_assert_eq!(a.as_ref().map(normalized), b.as_ref().map(normalized));
    }

    #[test]
    fn no_step_is_both_done_on_time_and_overdue(s in scenario()) {
        let r = Rules::builtin();
        let order: Vec<usize> = (0..s.events.len()).collect();
        if let Some(ev) = evaluate(&build(&r, &s, &order).entries, &r, m(s.at)).expect("valid") {
            for st in ev.steps.iter().filter(|st| st.status == StepStatus::Done) {
                let id = &r.steps[st.step].id;
                prop_assert!(!ev.findings.iter().any(|f| &f.step == id && f.kind == FindingKind::Overdue), "{id}");
                prop_assert!(st.done.is_some() && st.due.is_some_and(|d| st.done.is_some_and(|x| x <= d)) || r.steps[st.step].id.starts_with("followup"));
            }
        }
    }

    #[test]
    fn every_violation_names_a_step_of_the_pinned_rules(s in scenario()) {
        let r = Rules::builtin();
        let names: BTreeSet<&str> = r.steps.iter().map(|s| s.id.as_str())
            .chain(crate::rules::Stage::ALL.iter().map(|s| s.as_str()))
            .collect();
        let order: Vec<usize> = (0..s.events.len()).collect();
        if let Some(ev) = evaluate(&build(&r, &s, &order).entries, &r, m(s.at)).expect("valid") {
            for f in ev.findings.iter().filter(|f| f.kind.is_violation()) {
                prop_assert!(names.contains(f.step.as_str()), "{}", f.step);
            }
        }
    }
}
