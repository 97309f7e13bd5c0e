use chrono::Duration;

use super::*;
use crate::domain::fixture::{Builder, m, t0};
use crate::domain::model::{Changes, Escalation};

fn rules() -> Rules {
    Rules::builtin()
}

fn sev(r: &Rules, id: &str) -> SevIdx {
    r.severity_index(id).expect("known severity")
}

fn history(b: &Builder, r: &Rules) -> History {
    replay(&b.entries, r, None).expect("valid").expect("exists")
}

#[test]
fn initial_severity_from_figures_thresholds_inclusive() {
    let r = rules();
    for (deaths, want) in [
        (2, "general"),
        (3, "larger"),
        (9, "larger"),
        (10, "major"),
        (30, "especially_major"),
    ] {
        let b = Builder::filed_at(&r, "mining", t0(), true, &[("deaths", deaths)]);
        let h = history(&b, &r);
        assert_eq!(h.severity(), sev(&r, want), "{deaths} deaths");
        assert_eq!(
            h.timeline[0].at,
            t0(),
            "initial severity holds from the known time"
        );
    }
    let b = Builder::filed_at(&r, "mining", t0(), true, &[("direct_loss", 9_999_999)]);
    assert_eq!(history(&b, &r).severity(), sev(&r, "general"));
    let b = Builder::filed_at(&r, "mining", t0(), true, &[("direct_loss", 10_000_000)]);
    assert_eq!(history(&b, &r).severity(), sev(&r, "larger"));
    let b = Builder::filed_at(&r, "mining", t0(), true, &[("serious_injuries", 50)]);
    assert_eq!(history(&b, &r).severity(), sev(&r, "major"));
}

fn declare(b: &mut Builder, id: &str) {
    if let Body::Initial { severity, .. } = &mut b.entries[0].body {
        *severity = Some(id.to_owned());
    }
}

#[test]
fn declared_severity_below_figures_is_concealment() {
    let r = rules();
    let mut b = Builder::filed_at(&r, "mining", t0(), true, &[("deaths", 3)]);
    declare(&mut b, "general");
    let e = replay(&b.entries, &r, None).expect_err("refused");
    assert!(e.en.contains("lower than the figures imply"), "{}", e.en);
    assert!(e.en.contains("deaths 3 ≥ 3"), "{}", e.en);
    declare(&mut b, "major");
    assert_eq!(
        history(&b, &r).severity(),
        sev(&r, "major"),
        "declaring higher is allowed"
    );
}

#[test]
fn rising_figures_reclassify_at_the_report_time_and_never_fall() {
    let r = rules();
    let mut b = Builder::new(&r, "mining");
    b.followup(m(60), &[("deaths", 3)])
        .followup(m(120), &[("deaths", 12)])
        .followup(m(180), &[("deaths", 1)]);
    let h = history(&b, &r);
    let points: Vec<(Instant, SevIdx, u32)> = h
        .timeline
        .iter()
        .map(|c| (c.at, c.severity, c.entry))
        .collect();
    assert_eq!(
        points,
        vec![
            (t0(), 0, 1),
            (m(60), sev(&r, "larger"), 2),
            (m(120), sev(&r, "major"), 3)
        ]
    );
    assert_eq!(h.figures.get("deaths"), Some(&1), "the latest value counts");
    assert_eq!(
        h.severity(),
        sev(&r, "major"),
        "severity never falls by itself"
    );
    assert_eq!(h.severity_at(m(119)), Some(sev(&r, "larger")));
    assert_eq!(h.severity_at(m(120)), Some(sev(&r, "major")));
    assert_eq!(h.reached(sev(&r, "major")), Some(m(120)));
    assert_eq!(h.left(sev(&r, "larger")), Some(m(120)));
}

#[test]
fn casualty_window_is_seven_days_for_fire_and_thirty_otherwise() {
    let r = rules();
    let occurred = t0() - Duration::minutes(5);
    for (kind, days) in [
        ("fire", 7),
        ("road_traffic", 7),
        ("mining", 30),
        ("other", 30),
    ] {
        let edge = occurred + Duration::days(days);
        let mut inside = Builder::new(&r, kind);
        inside.followup(edge, &[("deaths", 3)]);
        assert_eq!(
            history(&inside, &r).severity(),
            sev(&r, "larger"),
            "{kind} at the window's end"
        );
        let mut outside = Builder::new(&r, kind);
        outside.followup(edge + Duration::seconds(1), &[("deaths", 3)]);
        let h = history(&outside, &r);
        assert_eq!(h.severity(), 0, "{kind} a second after the window");
        assert_eq!(
            h.figures.get("deaths"),
            Some(&3),
            "figures outside the window are kept"
        );
    }
}

#[test]
fn as_of_ignores_later_entries_and_later_corrections() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(10), "city", "phone");
    b.correct(
        m(60),
        2,
        Changes {
            at: Some(m(40)),
            ..Changes::default()
        },
    );
    let now = history(&b, &r);
    assert_eq!(now.entry(2).map(|e| e.at), Some(m(40)));
    assert_eq!(now.entry(2).map(|e| e.corrected_by.clone()), Some(vec![3]));
    let before = replay(&b.entries, &r, Some(m(30)))
        .expect("valid")
        .expect("exists");
    assert_eq!(
        before.entry(2).map(|e| e.at),
        Some(m(10)),
        "the correction is not claimed yet"
    );
    assert!(
        replay(&b.entries, &r, Some(t0() - Duration::seconds(1)))
            .expect("valid")
            .is_none()
    );
    assert!(replay(&b.entries, &r, Some(t0())).expect("valid").is_some());
    // After the correction applies, the escalation at 40 minutes does not exist at 39.
    let mut later = b.entries.clone();
    later[2].at = m(20);
    let h = replay(&later, &r, Some(m(39)))
        .expect("valid")
        .expect("exists");
    assert!(h.entry(2).is_none());
}

#[test]
fn times_out_of_order_are_refused() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(t0() - Duration::minutes(6), "city", "phone");
    let e = replay(&b.entries, &r, None).expect_err("before occurrence");
    assert!(e.en.contains("before the known time"), "{}", e.en);
    // Between the occurrence and the known time: still before the office knew of it.
    let mut b = Builder::new(&r, "gas");
    b.escalate(t0() - Duration::seconds(1), "city", "phone");
    let e = replay(&b.entries, &r, None).expect_err("before known");
    assert!(e.en.contains("before the known time"), "{}", e.en);
    let mut b = Builder::new(&r, "gas");
    b.escalate(t0(), "city", "phone");
    assert!(replay(&b.entries, &r, None).is_ok(), "at the known time");

    let mut b = Builder::filed_at(&r, "gas", m(10), true, &[]);
    b.followup(m(9), &[]);
    let e = replay(&b.entries, &r, None).expect_err("before initial");
    assert!(e.en.contains("before the initial report"), "{}", e.en);

    let mut b = Builder::new(&r, "gas");
    if let Body::Initial { header, .. } = &mut b.entries[0].body {
        header.known = header.occurred - Duration::minutes(1);
    }
    let e = replay(&b.entries, &r, None).expect_err("known before occurred");
    assert!(e.en.contains("before the occurred time"), "{}", e.en);

    let mut b = Builder::new(&r, "gas");
    b.close(m(60)).followup(m(70), &[]);
    let e = replay(&b.entries, &r, None).expect_err("after final");
    assert!(e.en.contains("after the final report"), "{}", e.en);
}

#[test]
fn unknown_names_list_the_known_ones() {
    let r = rules();
    let b = Builder::new(&r, "volcano");
    let e = replay(&b.entries, &r, None).expect_err("kind");
    assert!(
        e.en.contains("unknown kind `volcano`") && e.en.contains("fire (火灾)"),
        "{}",
        e.en
    );

    let mut b = Builder::new(&r, "gas");
    b.escalate(m(1), "province", "phone");
    assert!(
        replay(&b.entries, &r, None)
            .expect_err("level")
            .en
            .contains("city (市委市政府总值班室)")
    );

    let mut b = Builder::new(&r, "gas");
    b.escalate(m(1), "city", "pigeon");
    assert!(
        replay(&b.entries, &r, None)
            .expect_err("channel")
            .en
            .contains("phone (电话), written (书面)")
    );

    let mut b = Builder::new(&r, "gas");
    b.followup(m(1), &[("goats", 1)]);
    assert!(
        replay(&b.entries, &r, None)
            .expect_err("figure")
            .en
            .contains("unknown figure `goats`")
    );
}

#[test]
fn corrections_check_what_they_touch() {
    let r = rules();
    let mut b = Builder::new(&r, "gas");
    b.escalate(m(1), "city", "phone");
    b.correct(
        m(2),
        2,
        Changes {
            text: Some("x".into()),
            ..Changes::default()
        },
    );
    assert!(
        replay(&b.entries, &r, None)
            .expect_err("text on escalation")
            .en
            .contains("no `text/measures/figures/cause`")
    );

    let mut b = Builder::new(&r, "gas");
    b.correct(
        m(2),
        1,
        Changes {
            level: Some("city".into()),
            ..Changes::default()
        },
    );
    assert!(replay(&b.entries, &r, None).is_err());

    // A correction of the initial figures reclassifies from the known time.
    let mut b = Builder::new(&r, "gas");
    b.correct(
        m(30),
        1,
        Changes {
            figures: [("deaths".to_owned(), 4)].into(),
            ..Changes::default()
        },
    );
    let h = history(&b, &r);
    assert_eq!(h.severity(), sev(&r, "larger"));
    assert_eq!(h.timeline[0].at, t0());

    let mut b = Builder::new(&r, "gas");
    b.push(
        m(3),
        Body::Escalation {
            escalation: Escalation {
                level: "city".into(),
                channel: "phone".into(),
                contact: None,
                reason: None,
                signed_by: None,
            },
        },
    );
    b.correct(m(4), 9, Changes::default());
    assert!(
        replay(&b.entries, &r, None)
            .expect_err("no entry 9")
            .en
            .contains("does not come before it")
    );
}
