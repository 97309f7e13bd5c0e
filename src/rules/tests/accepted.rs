//! What the validator accepts at the edges of its rules, and what it makes of it: a lowest
//! severity without thresholds, a level beside the chain without `rank`, channels as plain ids and
//! as `{ id, label }` tables (with the built-in labels for the default ids), `from` as one anchor
//! or a list, `step:` and `last:` anchors (`last:` on a recurring step), business days with a
//! `[calendar]`, `day_ends = "24:00"`, and the defaults of everything left out.

use chrono::{NaiveDate, NaiveTime};

use super::*;

fn named(id: &str, label: &str) -> Named {
    Named {
        id: id.to_owned(),
        label: label.to_owned(),
    }
}

/// A once clock: its starts, its duration and its `no_later_than` bounds.
type Once = (Vec<Anchor>, Span, Vec<(Vec<Anchor>, Span)>);

/// The clock of a step of `r`, which must not recur.
fn once(r: &Rules, id: &str) -> Once {
    let i = r.step_index(id).expect("step");
    match &r.steps[i].clock {
        Clock::Once {
            from,
            within,
            no_later_than,
        } => (from.clone(), *within, no_later_than.clone()),
        Clock::Every(_) => panic!("{id} recurs"),
    }
}

#[test]
fn the_lowest_severity_has_no_thresholds_written_or_empty() {
    let r = ok(BASE);
    assert!(r.severities[0].at_least.is_empty());
    assert_eq!(r.severities[1].at_least.get("deaths"), Some(&3));
    assert_eq!(r.severities[1].at_least.get("exposed"), Some(&10));
    assert_eq!(
        r.severities[1].casualty_window,
        Some(Span::new(7, Unit::Days))
    );
    assert_eq!(r.severities[2].casualty_window, None);
    let r = ok(&apply(Replace(
        "id = \"low\"\n",
        "id = \"low\"\nat_least = {}\n",
    )));
    assert!(r.severities[0].at_least.is_empty());
}

#[test]
fn a_threshold_need_rise_only_above_its_own_figure_s() {
    // `exposed` is left out at `top` (10 at `high` stays the bar), and `serious_injuries`
    // first appears at `top` with any positive value.
    let r = ok(&apply(Replace(
        "{ deaths = 10 }",
        "{ deaths = 10, serious_injuries = 1 }",
    )));
    assert!(!r.severities[2].at_least.contains_key("exposed"));
    assert_eq!(r.severities[2].at_least.get("serious_injuries"), Some(&1));
}

#[test]
fn a_level_without_rank_is_beside_the_chain_and_can_be_told() {
    let r = ok(&apply(Append(concat!(
        "\n[[levels]]\nid = \"police\"\nlabel = \"公安\"\n",
        "\n[[steps]]\nid = \"tell-police\"\nescalate = \"police\"\nwithin = \"1h\"\n",
    ))));
    let police = r.level_index("police").expect("level");
    assert_eq!(r.levels[police].rank, None);
    assert_eq!(r.levels[police].label, "公安");
    assert_eq!(r.levels[0].rank, Some(1));
    let step = &r.steps[r.step_index("tell-police").expect("step")];
    assert_eq!(
        step.duty,
        Duty::Escalate {
            level: police,
            channel: None
        }
    );
}

#[test]
fn two_levels_may_share_a_rank() {
    let r = ok(&apply(Replace("rank = 2", "rank = 1")));
    assert_eq!(r.levels[0].rank, r.levels[1].rank);
}

#[test]
fn channels_are_plain_ids_or_tables_and_default_ids_take_built_in_labels() {
    let r = ok(&apply(Replace(
        r#"channels = ["phone", { id = "written", label = "书面" }]"#,
        r#"channels = ["fax", { id = "written" }, "radio", { id = "system", label = "平台" }, { id = "in-person" }]"#,
    ))
    .replace("default_channel = \"phone\"\n", ""));
    assert_eq!(
        r.channels,
        vec![
            named("fax", "传真"),
            named("written", "书面"),
            named("radio", "radio"),
            named("system", "平台"),
            named("in-person", "当面"),
        ]
    );
    // Without `phone` and without `default_channel`, the first listed is the default.
    assert_eq!(r.default_channel, "fax");
}

#[test]
fn without_channels_the_five_default_ones_and_phone_are_used() {
    let r = ok(&apply(Replace(
        "channels = [\"phone\", { id = \"written\", label = \"书面\" }]\ndefault_channel = \"phone\"\n",
        "",
    )));
    assert_eq!(
        r.channels,
        vec![
            named("phone", "电话"),
            named("written", "书面"),
            named("fax", "传真"),
            named("system", "信息系统"),
            named("in-person", "当面"),
        ]
    );
    assert_eq!(r.default_channel, "phone");
    let r = ok(&apply(Replace(r#"default_channel = "phone""#, "")));
    assert_eq!(r.default_channel, "phone");
    let r = ok(&apply(Replace(
        r#"default_channel = "phone""#,
        r#"default_channel = "written""#,
    )));
    assert_eq!(r.default_channel, "written");
}

#[test]
fn from_is_one_anchor_a_list_or_left_out_for_known() {
    let r = ok(BASE);
    assert_eq!(once(&r, "tell-chief").0, vec![Anchor::Known]);
    assert_eq!(
        once(&r, "tell-city").0,
        vec![Anchor::Occurred, Anchor::Step(0)]
    );
    let r = ok(&apply(Replace("from = \"known\"\n", "")));
    assert_eq!(once(&r, "tell-chief").0, vec![Anchor::Known]);
}

#[test]
fn last_may_name_a_recurring_step_or_a_once_step() {
    let r = ok(BASE);
    let (from, within, nlt) = once(&r, "final");
    assert_eq!(from, vec![Anchor::Last(2)]);
    assert_eq!(within, Span::new(30, Unit::Days));
    assert_eq!(
        nlt,
        vec![(vec![Anchor::Occurred], Span::new(60, Unit::Days))]
    );
    let r = ok(&apply(Replace(r#""last:followup""#, r#""last:tell-city""#)));
    assert_eq!(once(&r, "final").0, vec![Anchor::Last(1)]);
}

#[test]
fn a_step_may_start_from_a_step_declared_after_it() {
    let r = ok(&apply(Replace(
        r#"from = "known""#,
        r#"from = "step:final""#,
    )));
    assert_eq!(once(&r, "tell-chief").0, vec![Anchor::Step(3)]);
}

#[test]
fn several_no_later_than_bounds_are_kept_in_order() {
    let r = ok(&apply(Append(
        "\n[[steps.no_later_than]]\nfrom = [\"known\", \"step:tell-city\"]\nwithin = \"2w\"\n",
    )));
    let (_, _, nlt) = once(&r, "final");
    assert_eq!(
        nlt,
        vec![
            (vec![Anchor::Occurred], Span::new(60, Unit::Days)),
            (
                vec![Anchor::Known, Anchor::Step(1)],
                Span::new(2, Unit::Weeks)
            ),
        ]
    );
}

#[test]
fn business_days_are_accepted_with_a_calendar() {
    let text = apply(Replace(r#"within = "15m""#, r#"within = "4bd""#))
        .replace(r#"warning = "15m""#, r#"warning = "1bd""#)
        .replace(r#"every = "24h""#, r#"every = "2bd""#);
    let r = ok(&(text
        + concat!(
            "\n[calendar]\nweekend = [\"周六\", \"Sunday\"]\n",
            "holidays = [\"2026-10-01\"]\nworkdays = [\"2026-09-27\"]\nday_ends = \"17:30\"\n",
        )));
    assert_eq!(once(&r, "tell-chief").1, Span::new(4, Unit::BusinessDays));
    assert_eq!(r.warning, Span::new(1, Unit::BusinessDays));
    assert!(matches!(r.steps[2].clock, Clock::Every(s) if s == Span::new(2, Unit::BusinessDays)));
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
    assert!(r.calendar.holidays.contains(&d(10, 1)));
    assert!(r.calendar.workdays.contains(&d(9, 27)));
    assert!(r.calendar.is_business_day(d(9, 27)), "a worked Sunday");
    assert!(!r.calendar.is_business_day(d(9, 26)), "a Saturday");
    assert_eq!(r.calendar.day_ends, NaiveTime::from_hms_opt(17, 30, 0));
}

#[test]
fn day_ends_24_00_is_midnight() {
    let r = ok(&apply(Append("\n[calendar]\nday_ends = \"24:00\"\n")));
    assert_eq!(r.calendar.day_ends, None);
}

#[test]
fn a_calendar_may_have_no_weekend_or_only_make_up_days() {
    let r = ok(&apply(Append("\n[calendar]\nweekend = []\n")));
    assert_eq!(r.calendar.weekend, [false; 7]);
    let r = ok(&apply(Append(concat!(
        "\n[calendar]\n",
        "weekend = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
        "workdays = [\"2026-09-27\"]\n",
    ))));
    assert_eq!(r.calendar.weekend, [true; 7]);
}

#[test]
fn durations_take_every_unit() {
    for (text, span) in [
        ("15min", Span::new(15, Unit::Minutes)),
        ("2h", Span::new(2, Unit::Hours)),
        ("3d", Span::new(3, Unit::Days)),
        ("2w", Span::new(2, Unit::Weeks)),
        ("1mo", Span::new(1, Unit::Months)),
    ] {
        let r = ok(&apply(Replace(
            "\"15m\"\nday_starts",
            &format!("\"{text}\"\nday_starts"),
        )));
        assert_eq!(r.warning, span, "{text}");
    }
}

#[test]
fn left_out_settings_take_their_defaults() {
    let r = ok(concat!(
        "time_zone = \"Europe/Brussels\"\n",
        "[[severities]]\nid = \"minor\"\n",
        "[[kinds]]\nid = \"outage\"\n",
    ));
    assert_eq!(r.name, SOURCE);
    assert_eq!(r.tz, chrono_tz::Europe::Brussels);
    assert_eq!(r.warning, Span::new(15, Unit::Minutes));
    assert_eq!(
        r.day_starts,
        NaiveTime::from_hms_opt(8, 0, 0).expect("time")
    );
    assert_eq!(r.bypass, Bypass::Forbidden);
    assert_eq!(r.casualty_window, Span::new(30, Unit::Days));
    assert_eq!(r.kinds[0].casualty_window, Span::new(30, Unit::Days));
    assert_eq!(r.kinds[0].label, "outage");
    assert_eq!(r.severities[0].label, "minor");
    assert!(r.levels.is_empty() && r.steps.is_empty() && r.figures.is_empty());
    assert_eq!(r.reports.initial.label, "initial");
    assert!(r.reports.initial.requires.is_empty());
    assert!(!r.reports.initial.confirmed_cause && !r.reports.followup.confirmed_cause);
    assert!(r.reports.r#final.confirmed_cause);
    assert_eq!(r.calendar, Calendar::default());
}

#[test]
fn every_bypass_policy_is_read() {
    for (text, policy) in [
        ("forbidden", Bypass::Forbidden),
        ("with_reason", Bypass::WithReason),
        ("allowed", Bypass::Allowed),
    ] {
        let r = ok(&apply(Replace(r#""forbidden""#, &format!("\"{text}\""))));
        assert_eq!(r.bypass, policy);
    }
}

#[test]
fn a_step_reads_its_duty_severities_and_kinds() {
    let r = ok(BASE);
    let city = &r.steps[1];
    assert_eq!(
        city.duty,
        Duty::Escalate {
            level: 1,
            channel: Some("written".to_owned())
        }
    );
    assert_eq!((city.min_severity, city.max_severity), (1, 2));
    assert_eq!(
        city.kinds,
        Some(vec!["fire".to_owned(), "flood".to_owned()])
    );
    assert_eq!(city.label, None);
    let chief = &r.steps[0];
    assert_eq!((chief.min_severity, chief.max_severity), (0, 2));
    assert_eq!(chief.kinds, None);
    assert_eq!(r.steps[3].duty, Duty::Report(Stage::Final));
    // One class for both bounds is a step for that class alone.
    let r = ok(&apply(Replace(
        r#"max_severity = "top""#,
        r#"max_severity = "high""#,
    )));
    assert_eq!((r.steps[1].min_severity, r.steps[1].max_severity), (1, 1));
}

#[test]
fn the_rules_are_named_and_hashed_by_their_text() {
    let r = ok(BASE);
    assert_eq!(r.name, "base");
    assert_eq!(r.hash, crate::sha::sha256_hex(BASE.as_bytes()));
    assert_eq!(r.figures, vec![named("exposed", "暴露")]);
    assert!(r.knows_figure("exposed"));
}

#[test]
fn the_largest_durations_are_accepted_and_give_a_deadline() {
    let r = ok(&apply(Replace(
        r#"within = "15m""#,
        r#"within = "4294967295h""#,
    )));
    let (_, within, _) = once(&r, "tell-chief");
    assert_eq!(within, Span::new(u32::MAX, Unit::Hours));
    let filed = crate::tz::resolve_strict(
        r.tz,
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("valid"),
    )
    .expect("exists");
    assert_eq!(within.after(filed, r.tz, &r.calendar), Span::latest());
}
