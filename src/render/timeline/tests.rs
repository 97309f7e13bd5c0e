//! The timeline's geometry at fixed instants, with the default rules and the real engine.

use super::*;
use crate::domain::fixture::{Builder, m, t0};
use crate::domain::model::Entry;
use crate::domain::replay::replay;
use crate::engine::evaluate_history;

fn judged(entries: &[Entry], rules: &Rules, at: Instant) -> (History, Evaluation) {
    let h = replay(entries, rules, Some(at))
        .expect("replays")
        .expect("exists");
    let eval = evaluate_history(&h, rules, at);
    (h, eval)
}

/// 14:00 to 15:00 drawn from x = 100 to x = 700: ten pixels a minute.
fn hour() -> Frame {
    Frame {
        from: t0(),
        to: m(60),
        left: 100.0,
        right: 700.0,
    }
}

fn lane<'a>(t: &'a Timeline, rules: &Rules, id: &str) -> &'a Lane {
    t.lanes
        .iter()
        .find(|l| rules.steps[l.step].id == id)
        .unwrap_or_else(|| panic!("no lane {id}"))
}

/// Known 14:00: the leader in charge told 5 minutes late, the principal leader exactly at the
/// due time, the city neither by phone nor in writing; judged at 14:40.
fn scenario(rules: &Rules) -> Vec<Entry> {
    let mut b = Builder::new(rules, "hazardous_chemicals");
    b.escalate(m(20), "leader_in_charge", "phone")
        .escalate(m(15), "principal_leader", "phone");
    b.entries
}

#[test]
fn times_map_linearly_onto_the_frame() {
    let f = hour();
    assert_eq!(f.x(t0()), 100.0);
    assert_eq!(f.x(m(30)), 400.0);
    assert_eq!(f.x(m(60)), 700.0);
    assert_eq!(f.point(m(61)), None, "a point outside is not drawn");
    assert_eq!(f.point(m(60)).map(|p| p.x), Some(700.0), "edges are inside");
}

#[test]
fn one_lane_per_step_that_applies() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let ids: Vec<&str> = t
        .lanes
        .iter()
        .map(|l| rules.steps[l.step].id.as_str())
        .collect();
    // A general incident: neither the major steps nor the major follow-up apply.
    assert_eq!(
        ids,
        [
            "leader-in-charge",
            "principal-leader",
            "city-phone",
            "city-written",
            "followup",
            "final"
        ]
    );
}

#[test]
fn a_late_steps_done_mark_is_right_of_its_due_line_and_red() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let l = lane(&t, &rules, "leader-in-charge");
    assert_eq!(l.status, StepStatus::Late);
    let due = l.due.expect("due line").x;
    assert_eq!(due, 250.0, "14:15");
    assert_eq!(l.done.len(), 1);
    assert!(l.done[0].late);
    assert_eq!(l.done[0].point.x, 300.0, "14:20");
    assert!(l.done[0].point.x > due);
    assert_eq!(l.red.len(), 1);
    assert_eq!(l.red[0].kind, FindingKind::Late);
    assert_eq!((l.red[0].bar.x0, l.red[0].bar.x1), (250.0, 300.0));
    assert_eq!(l.minutes(FindingKind::Late), Some(5));
    let w = l.window.expect("window");
    assert_eq!((w.x0, w.x1), (100.0, 250.0), "clock start to due");
}

#[test]
fn done_exactly_at_the_due_time_is_not_red() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let l = lane(&t, &rules, "principal-leader");
    assert_eq!(l.status, StepStatus::Done);
    assert!(l.red.is_empty());
    assert_eq!(l.done.len(), 1);
    assert!(!l.done[0].late);
    assert_eq!(Some(l.done[0].point.x), l.due.map(|d| d.x));
}

#[test]
fn an_overdue_step_is_red_from_its_due_time_to_the_check_instant() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let l = lane(&t, &rules, "city-phone");
    assert_eq!(l.status, StepStatus::Overdue);
    assert!(l.done.is_empty());
    assert_eq!(l.red.len(), 1);
    assert_eq!(l.red[0].kind, FindingKind::Overdue);
    assert_eq!((l.red[0].bar.x0, l.red[0].bar.x1), (400.0, 500.0));
    assert_eq!(l.minutes(FindingKind::Overdue), Some(10));
    let pending = lane(&t, &rules, "city-written");
    assert_eq!(pending.status, StepStatus::Pending);
    assert!(pending.red.is_empty(), "not due yet");
    let check: Vec<f64> = t
        .verticals
        .iter()
        .filter(|v| v.kind == VerticalKind::Check)
        .map(|v| v.point.x)
        .collect();
    assert_eq!(check, [500.0], "the check instant, 14:40");
}

#[test]
fn lanes_are_clipped_to_a_window() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    // 14:18 to 14:35 only.
    let window = Frame {
        from: m(18),
        to: m(35),
        left: 0.0,
        right: 170.0,
    };
    let t = layout(&h, &eval, &rules, window, 60.0);
    let leader = lane(&t, &rules, "leader-in-charge");
    assert_eq!(leader.window, None, "its window ended at 14:15");
    assert_eq!(leader.due, None);
    assert_eq!(leader.due_at, Some(m(15)));
    let red = leader.red[0].bar;
    assert_eq!((red.x0, red.x1), (0.0, 20.0), "14:18 (cut) to 14:20");
    assert!(red.cut_left && !red.cut_right);
    let phone = lane(&t, &rules, "city-phone");
    let w = phone.window.expect("14:00 to 14:30, cut at 14:18");
    assert_eq!((w.x0, w.x1), (0.0, 120.0));
    assert!(w.cut_left && !w.cut_right);
    let red = phone.red[0].bar;
    assert_eq!(
        (red.x0, red.x1),
        (120.0, 170.0),
        "overdue from 14:30, cut at 14:35"
    );
    assert!(red.cut_right);
    let principal = lane(&t, &rules, "principal-leader");
    assert!(!principal.visible(), "done at 14:15, before the window");
    let final_ = lane(&t, &rules, "final");
    assert!(final_.window.is_some_and(|w| w.cut_left && w.cut_right));
    assert!(t.verticals.is_empty(), "the check instant 14:40 is outside");
    let ticks: Vec<u32> = t.ticks.iter().map(|k| k.n).collect();
    assert_eq!(ticks, [2], "only the 14:20 escalation is in the window");
}

#[test]
fn reclassifications_are_vertical_lines() {
    let rules = Rules::builtin();
    let mut b = Builder::new(&rules, "hazardous_chemicals");
    b.followup(m(50), &[("deaths", 10)]);
    let (h, eval) = judged(&b.entries, &rules, m(55));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let major = rules
        .severities
        .iter()
        .position(|s| s.id == "major")
        .expect("major");
    let re: Vec<(VerticalKind, f64)> = t.verticals.iter().map(|v| (v.kind, v.point.x)).collect();
    assert_eq!(
        re,
        [
            (VerticalKind::Reclassified(major), 600.0),
            (VerticalKind::Check, 650.0)
        ],
        "the initial severity is not a change"
    );
    let ids: Vec<&str> = t
        .lanes
        .iter()
        .map(|l| rules.steps[l.step].id.as_str())
        .collect();
    assert!(ids.contains(&"city-phone-major"), "{ids:?}");
}

#[test]
fn entries_close_together_get_their_own_label_rows() {
    let rules = Rules::builtin();
    let mut b = Builder::new(&rules, "hazardous_chemicals");
    b.escalate(m(1), "leader_in_charge", "phone")
        .escalate(m(2), "principal_leader", "phone")
        .escalate(m(30), "city", "phone");
    let (h, eval) = judged(&b.entries, &rules, m(40));
    let t = layout(&h, &eval, &rules, hour(), 60.0);
    let rows: Vec<(u32, usize, f64)> = t.ticks.iter().map(|k| (k.n, k.row, k.point.x)).collect();
    // 10 px apart, then 10 more, then far away: the last one goes back to the first row.
    assert_eq!(
        rows,
        [(1, 0, 100.0), (2, 1, 110.0), (3, 2, 120.0), (4, 0, 400.0)]
    );
    assert_eq!(t.rows, 3);
}

#[test]
fn the_axis_falls_on_round_local_times() {
    let rules = Rules::builtin();
    let f = Frame {
        from: m(-7),
        to: m(62),
        left: 0.0,
        right: 690.0,
    };
    let ticks = axis(&f, rules.tz);
    let times: Vec<String> = ticks
        .iter()
        .map(|t| tz::local(rules.tz, t.point.at).format("%H:%M").to_string())
        .collect();
    // 69 minutes in 690 px: at most 7 gridlines, so every 10 minutes, at round local times.
    assert_eq!(
        times,
        [
            "14:00", "14:10", "14:20", "14:30", "14:40", "14:50", "15:00"
        ]
    );
    assert!(ticks.iter().all(|t| {
        let l = tz::local(rules.tz, t.point.at);
        chrono::Timelike::minute(&l) % 10 == 0
    }));
    assert_eq!(ticks.first().map(|t| t.new_day), Some(true));
    assert!(ticks.iter().skip(1).all(|t| !t.new_day));
}

#[test]
fn a_whole_incident_is_shown_with_its_next_deadlines() {
    let rules = Rules::builtin();
    let (h, eval) = judged(&scenario(&rules), &rules, m(40));
    let (from, to) = incident_range(&h, &eval);
    assert!(from < t0(), "the known time, with a margin");
    // Check at 14:40; the written report is due at 15:00, within the look-ahead; the follow-up
    // tomorrow and the final report in 30 days are not.
    assert!(to >= m(60) && to < m(70), "{to}");
}

#[test]
fn a_closed_incident_ends_with_its_final_report() {
    let rules = Rules::builtin();
    let mut b = Builder::new(&rules, "hazardous_chemicals");
    b.escalate(m(10), "leader_in_charge", "phone").close(m(90));
    // Shown three days later: the picture still ends just after 15:30.
    let (h, eval) = judged(&b.entries, &rules, m(3 * 1440));
    let (from, to) = incident_range(&h, &eval);
    assert!(from < t0() && to > m(90) && to < m(100), "{from} {to}");
    let frame = Frame {
        from,
        to,
        left: 0.0,
        right: 600.0,
    };
    let t = layout(&h, &eval, &rules, frame, 60.0);
    assert!(
        t.verticals.iter().all(|v| v.kind != VerticalKind::Check),
        "no check line days after the close"
    );
    assert_eq!(t.ticks.len(), 3, "every entry is inside");
}
