use super::*;

fn sh() -> Tz {
    "Asia/Shanghai".parse().expect("zone")
}

/// 2026-03-10 15:00 in Shanghai.
fn now() -> Instant {
    DateTime::parse_from_rfc3339("2026-03-10T15:00:00+08:00")
        .expect("valid")
        .to_utc()
}

fn at(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).expect("valid").to_utc()
}

fn p(s: &str) -> Result<Instant, Msg> {
    parse_when(s, now(), sh())
}

#[test]
fn every_form_of_the_design() {
    let cases = [
        ("2026-03-10T14:05:00+08:00", "2026-03-10T14:05:00+08:00"),
        ("2026-03-10T06:05:00Z", "2026-03-10T14:05:00+08:00"),
        ("2026-03-10 14:05:00+08:00", "2026-03-10T14:05:00+08:00"),
        ("2026-03-10 14:05", "2026-03-10T14:05:00+08:00"),
        ("2026-03-10 14:05:30", "2026-03-10T14:05:30+08:00"),
        ("2026-03-10T14:05", "2026-03-10T14:05:00+08:00"),
        ("2026/3/10 14:05", "2026-03-10T14:05:00+08:00"),
        ("03-10 14:05", "2026-03-10T14:05:00+08:00"),
        ("14:05", "2026-03-10T14:05:00+08:00"),
        ("昨天 14:05", "2026-03-09T14:05:00+08:00"),
        ("yesterday 14:05", "2026-03-09T14:05:00+08:00"),
        ("Yesterday 9:30", "2026-03-09T09:30:00+08:00"),
        ("今天 8:00", "2026-03-10T08:00:00+08:00"),
        ("前天 23:59", "2026-03-08T23:59:00+08:00"),
        ("30m ago", "2026-03-10T14:30:00+08:00"),
        ("2h ago", "2026-03-10T13:00:00+08:00"),
        ("1h30m ago", "2026-03-10T13:30:00+08:00"),
        ("30分钟前", "2026-03-10T14:30:00+08:00"),
        ("2小时前", "2026-03-10T13:00:00+08:00"),
        ("1天前", "2026-03-09T15:00:00+08:00"),
        ("now", "2026-03-10T15:00:00+08:00"),
        ("现在", "2026-03-10T15:00:00+08:00"),
        ("１４：０５", "2026-03-10T14:05:00+08:00"),
        ("2026年3月10日 14时05分", "2026-03-10T14:05:00+08:00"),
        ("3月10日14:05", "2026-03-10T14:05:00+08:00"),
    ];
    for (input, want) in cases {
        assert_eq!(p(input).map_err(|e| e.en), Ok(at(want)), "{input}");
    }
}

#[test]
fn time_of_day_is_its_most_recent_occurrence_for_the_incident_and_today_for_an_entry() {
    let past = |s: &str| parse_past(s, now(), sh());
    // 15:04 is in the past today; 15:05 is within the five minutes of slack; 15:06 is not, so
    // for the incident's own times it means yesterday, with a note that says so.
    assert_eq!(
        past("15:04").ok(),
        Some((at("2026-03-10T15:04:00+08:00"), None))
    );
    assert_eq!(
        past("15:05").ok(),
        Some((at("2026-03-10T15:05:00+08:00"), None))
    );
    let (t, note) = past("15:06").expect("yesterday");
    assert_eq!(t, at("2026-03-09T15:06:00+08:00"));
    let note = note.expect("said");
    assert!(
        note.en.contains("read as yesterday, 2026-03-09 15:06"),
        "{}",
        note.en
    );
    assert!(note.zh.contains("按昨天计"), "{}", note.zh);
    assert_eq!(
        past("23:00").ok().map(|x| x.0),
        Some(at("2026-03-09T23:00:00+08:00"))
    );
    // For an entry, a time of day later than now is refused as in the future, with the way
    // to say yesterday.
    assert_eq!(p("15:05").ok(), Some(at("2026-03-10T15:05:00+08:00")));
    let e = p("15:06").expect_err("later than now");
    assert!(
        e.en.contains("for yesterday write `yesterday 15:06`"),
        "{}",
        e.en
    );
    assert!(e.zh.contains("请写 `昨天 15:06`"), "{}", e.zh);
    assert_eq!(p("昨天 15:06").ok(), Some(at("2026-03-09T15:06:00+08:00")));
}

#[test]
fn month_day_without_year_is_the_most_recent() {
    assert_eq!(p("12-31 10:00").ok(), Some(at("2025-12-31T10:00:00+08:00")));
    assert_eq!(p("01-05 10:00").ok(), Some(at("2026-01-05T10:00:00+08:00")));
}

#[test]
fn future_is_refused_past_five_minutes_exactly() {
    assert!(
        p("2026-03-10 15:05").is_ok(),
        "exactly five minutes ahead is allowed"
    );
    assert!(p("2026-03-10T15:05:00+08:00").is_ok());
    let e = p("2026-03-10T15:05:01+08:00").expect_err("one second more is refused");
    assert!(e.en.contains("in the future"), "{}", e.en);
    assert!(e.zh.contains("将来"), "{}", e.zh);
    assert!(p("2026-03-11 09:00").is_err());
}

#[test]
fn dst_gap_and_fold_are_refused_with_the_reason() {
    let berlin: Tz = "Europe/Berlin".parse().expect("zone");
    let now = at("2026-11-01T12:00:00+01:00");
    let gap = parse_when("2026-03-29 02:30", now, berlin).expect_err("gap");
    assert!(gap.en.contains("does not exist"), "{}", gap.en);
    let fold = parse_when("2026-10-25 02:30", now, berlin).expect_err("fold");
    assert!(fold.en.contains("happens twice"), "{}", fold.en);
    // With an offset, both are fine.
    assert!(parse_when("2026-10-25T02:30:00+01:00", now, berlin).is_ok());
    assert!(parse_when("2026-10-25 03:30", now, berlin).is_ok());
    assert!(
        fold.en
            .contains("2026-10-25T02:30:00+02:00 (the first) or 2026-10-25T02:30:00+01:00")
    );
}

/// The offsets suggested are the rules' zone's own, and each suggestion is accepted as typed.
#[test]
fn dst_suggestions_use_the_zones_own_offsets() {
    let ny: Tz = "America/New_York".parse().expect("zone");
    let now = at("2026-12-01T12:00:00-05:00");
    let gap = parse_when("2026-03-08 02:30", now, ny).expect_err("gap");
    let fold = parse_when("2026-11-01 01:30", now, ny).expect_err("fold");
    for e in [&gap, &fold] {
        assert!(
            !e.en.contains("+02:00") && !e.en.contains("+01:00"),
            "{}",
            e.en
        );
        assert!(
            e.en.contains("-05:00") && e.en.contains("-04:00"),
            "{}",
            e.en
        );
        assert!(
            e.zh.contains("-05:00") && e.zh.contains("-04:00"),
            "{}",
            e.zh
        );
    }
    for suggestion in [
        "2026-03-08T02:30:00-05:00",
        "2026-11-01T01:30:00-04:00",
        "2026-11-01T01:30:00-05:00",
    ] {
        assert!(parse_when(suggestion, now, ny).is_ok(), "{suggestion}");
    }
    assert!(
        fold.en.contains("2026-11-01T01:30:00-04:00 (the first)"),
        "{}",
        fold.en
    );
}

#[test]
fn unknown_forms_are_refused_with_examples() {
    for bad in [
        "",
        "soon",
        "25:00",
        "14:60",
        "2026-13-01 10:00",
        "2026-03-10",
        "10 o'clock",
        "ago",
        "m ago",
    ] {
        let e = p(bad).expect_err(bad);
        assert!(
            e.en.contains("not a time") || e.en.contains("no time of day"),
            "{bad}: {}",
            e.en
        );
    }
}

#[test]
fn since_takes_durations_and_times() {
    assert_eq!(
        parse_since("7d", now(), sh()).ok(),
        Some(at("2026-03-03T15:00:00+08:00"))
    );
    assert_eq!(
        parse_since("48h", now(), sh()).ok(),
        Some(at("2026-03-08T15:00:00+08:00"))
    );
    assert_eq!(
        parse_since("03-01 08:00", now(), sh()).ok(),
        Some(at("2026-03-01T08:00:00+08:00"))
    );
}

#[test]
fn durations_beyond_the_calendar_are_refused_not_a_panic() {
    // Found by the time_parser fuzz target.
    for input in [
        "9999999999999999d ago",
        "99999999999999h ago",
        "106751991167301d ago",
        "9999999999999999999m ago",
    ] {
        assert!(p(input).is_err(), "{input}");
    }
    assert!(parse_since("9999999999999d", now(), sh()).is_err());
}
