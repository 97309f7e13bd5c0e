//! The cases: what every backend must do, said through the seam (`sitrep::store`) and nothing
//! else. Each case gets a new, empty store and panics with what differed.

use chrono::{DateTime, Duration, NaiveDate};
use sitrep::domain::id::IncidentId;
use sitrep::domain::model::{Body, Entry, Escalation, Header, Instant, Report};
use sitrep::domain::replay::replay;
use sitrep::domain::row::IncidentRow;
use sitrep::rules::{DEFAULT_TEXT, Rules};
use sitrep::store::{ListFilter, Read, Scope, Store, Stored};

/// A case: a name for the failure message, and what it does with an empty store.
pub type Case = (&'static str, fn(&mut Store));

pub const CASES: &[Case] = &[
    (
        "an_empty_store_reads_as_empty",
        an_empty_store_reads_as_empty,
    ),
    (
        "a_commit_is_seen_by_the_next_read",
        a_commit_is_seen_by_the_next_read,
    ),
    (
        "a_dropped_write_leaves_nothing",
        a_dropped_write_leaves_nothing,
    ),
    (
        "entries_are_chained_across_writes",
        entries_are_chained_across_writes,
    ),
    ("numbers_follow_the_day", numbers_follow_the_day),
    ("a_rules_text_is_stored_once", a_rules_text_is_stored_once),
    (
        "a_row_is_rewritten_with_its_entries",
        a_row_is_rewritten_with_its_entries,
    ),
    (
        "the_check_scope_is_open_and_recently_closed",
        the_check_scope_is_open_and_recently_closed,
    ),
    (
        "the_window_scope_is_what_the_day_touched",
        the_window_scope_is_what_the_day_touched,
    ),
    (
        "all_covers_every_incident_once_in_id_order",
        all_covers_every_incident_once_in_id_order,
    ),
    (
        "list_filters_and_orders_newest_first",
        list_filters_and_orders_newest_first,
    ),
    ("the_head_before_a_moment", the_head_before_a_moment),
    ("a_sound_store_verifies", a_sound_store_verifies),
];

fn t0() -> Instant {
    DateTime::parse_from_rfc3339("2026-03-10T14:00:00+08:00")
        .expect("valid")
        .to_utc()
}

fn m(minutes: i64) -> Instant {
    t0() + Duration::minutes(minutes)
}

fn rules() -> Rules {
    Rules::builtin()
}

fn entry(n: u32, at: Instant, body: Body) -> Entry {
    Entry {
        n,
        at,
        recorded: at,
        by: "值班员".into(),
        os_user: "duty".into(),
        imported: false,
        simulated: true,
        hash: String::new(),
        body,
    }
}

fn initial(rules: &Rules, title: &str, at: Instant) -> Body {
    Body::Initial {
        header: Header {
            title: title.into(),
            kind: "gas".into(),
            occurred: at - Duration::minutes(5),
            known: at,
            location: "开发区".into(),
            unit: "区应急局".into(),
            source: None,
            accident_unit: None,
        },
        report: Report {
            text: "储罐泄漏".into(),
            measures: Some("疏散".into()),
            ..Report::default()
        },
        severity: None,
        rules: rules.hash.clone(),
    }
}

fn escalation(level: &str) -> Body {
    Body::Escalation {
        escalation: Escalation {
            level: level.into(),
            channel: "phone".into(),
            contact: None,
            reason: None,
            signed_by: None,
        },
    }
}

fn final_report() -> Body {
    Body::Final {
        report: Report {
            text: "处置完毕".into(),
            measures: Some("善后".into()),
            ..Report::default()
        },
    }
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).expect("date")
}

/// The entries and row of a new incident filed at `at` with `more` entries after its initial
/// report, as `file` would make them.
fn new_incident(id: &str, at: Instant, more: Vec<(Instant, Body)>) -> (Vec<Entry>, IncidentRow) {
    let r = rules();
    let mut entries = vec![entry(1, at, initial(&r, &format!("事件 {id}"), at))];
    for (k, (t, body)) in more.into_iter().enumerate() {
        entries.push(entry(k as u32 + 2, t, body));
    }
    let h = replay(&entries, &r, None).expect("valid").expect("exists");
    let row = IncidentRow::of(id, &h, &r);
    (entries, row)
}

/// Files an incident known on 2026-03-10 at `at`, numbered by the store, with `more` entries
/// after its initial report, committing the write as `file` would; returns its id.
fn file(store: &mut Store, at: Instant, more: Vec<(Instant, Body)>) -> String {
    let r = rules();
    let mut tx = store.write().expect("write");
    tx.store_rules(&r.hash, DEFAULT_TEXT, at).expect("rules");
    let id = tx.new_id(day()).expect("id");
    let (entries, row) = new_incident(&id.to_string(), at, more);
    let stored = tx.append(&id, &entries, &row).expect("entries");
    assert_eq!(stored.len(), entries.len());
    tx.commit().expect("commit");
    id.to_string()
}

/// Appends entries to an incident and rewrites its row, as `escalate` or `close` would.
fn append(store: &mut Store, id: &str, more: Vec<(Instant, Body)>) {
    let r = rules();
    let mut tx = store.write().expect("write");
    let mut entries = tx.entries(id).expect("entries");
    let from = entries.len();
    for (t, body) in more {
        let n = entries.len() as u32 + 1;
        entries.push(entry(n, t, body));
    }
    let h = replay(&entries, &r, None).expect("valid").expect("exists");
    let parsed = IncidentId::parse(id).expect("an id");
    tx.append(&parsed, &entries[from..], &IncidentRow::of(id, &h, &r))
        .expect("append");
    tx.commit().expect("commit");
}

fn an_empty_store_reads_as_empty(store: &mut Store) {
    let mut tx = store.read().expect("read");
    assert_eq!(tx.incident("20260310-001").expect("incident"), None);
    assert!(tx.entries("20260310-001").expect("entries").is_empty());
    assert_eq!(tx.rules_text("nope").expect("rules"), None);
    assert!(tx.list(&ListFilter::default()).expect("list").is_empty());
    let mut any = false;
    tx.all(&mut |_| {
        any = true;
        Ok(())
    })
    .expect("all");
    assert!(!any, "an empty store has no incidents");
    let scope = Scope::Check {
        at: t0(),
        closed_after: m(-1440),
    };
    assert!(collect(&mut *tx, scope).is_empty());
    assert_eq!(
        head(&mut *tx, None),
        "0".repeat(64),
        "the chain starts at genesis"
    );
}

fn a_commit_is_seen_by_the_next_read(store: &mut Store) {
    let id = file(store, t0(), vec![(m(2), escalation("leader_in_charge"))]);
    let mut tx = store.read().expect("read");
    let row = tx.incident(&id).expect("incident").expect("a row");
    assert_eq!((row.title, row.filed), (format!("事件 {id}"), t0()));
    let entries = tx.entries(&id).expect("entries");
    assert_eq!(entries.iter().map(|e| e.n).collect::<Vec<_>>(), [1, 2]);
    assert!(entries.iter().all(|e| e.hash.len() == 64), "{entries:?}");
    assert_eq!(entries[1].body, escalation("leader_in_charge"));
    assert_eq!(
        entries[0].by, "值班员",
        "Chinese text comes back as it went in"
    );
}

fn a_dropped_write_leaves_nothing(store: &mut Store) {
    let first = {
        let mut tx = store.write().expect("write");
        let r = rules();
        tx.store_rules(&r.hash, DEFAULT_TEXT, t0()).expect("rules");
        let id = tx.new_id(day()).expect("id");
        assert_eq!(id.number, 1);
        let (entries, row) = new_incident(&id.to_string(), t0(), vec![]);
        tx.append(&id, &entries, &row).expect("append");
        // Dropped without commit.
        id.to_string()
    };
    let mut tx = store.read().expect("read");
    assert_eq!(tx.incident(&first).expect("incident"), None);
    assert!(tx.entries(&first).expect("entries").is_empty());
    drop(tx);
    let mut tx = store.write().expect("write");
    assert_eq!(
        tx.new_id(day()).expect("id").number,
        1,
        "no number was used"
    );
}

fn entries_are_chained_across_writes(store: &mut Store) {
    let a = file(store, t0(), vec![]);
    let b = file(store, m(1), vec![]);
    append(store, &a, vec![(m(3), escalation("leader_in_charge"))]);
    let mut tx = store.read().expect("read");
    let (ea, eb) = (tx.entries(&a).expect("a"), tx.entries(&b).expect("b"));
    let mut hashes: Vec<&str> = ea.iter().chain(&eb).map(|e| e.hash.as_str()).collect();
    hashes.sort_unstable();
    hashes.dedup();
    assert_eq!(hashes.len(), 3, "every entry has its own hash");
    assert_eq!(
        head(&mut *tx, None),
        ea[1].hash,
        "the last entry written is the head"
    );
}

fn numbers_follow_the_day(store: &mut Store) {
    let a = file(store, t0(), vec![]);
    let b = file(store, m(1), vec![]);
    let (a, b) = (
        IncidentId::parse(&a).expect("a"),
        IncidentId::parse(&b).expect("b"),
    );
    assert_eq!((a.number, b.number), (1, 2));
    let mut tx = store.write().expect("write");
    assert_eq!(tx.new_id(day()).expect("id").number, 3);
    let next_day = day().succ_opt().expect("a day");
    assert_eq!(
        tx.new_id(next_day).expect("id").number,
        1,
        "a new day starts at 1"
    );
}

fn a_rules_text_is_stored_once(store: &mut Store) {
    let r = rules();
    let mut tx = store.write().expect("write");
    tx.store_rules(&r.hash, DEFAULT_TEXT, t0()).expect("first");
    tx.store_rules(&r.hash, DEFAULT_TEXT, m(5))
        .expect("again is no error");
    tx.commit().expect("commit");
    let mut tx = store.read().expect("read");
    assert_eq!(
        tx.rules_text(&r.hash).expect("text").as_deref(),
        Some(DEFAULT_TEXT)
    );
    let texts = tx.rules_texts().expect("texts");
    assert!(
        texts.contains(&(r.hash.clone(), DEFAULT_TEXT.to_owned())),
        "{texts:?}"
    );
}

fn a_row_is_rewritten_with_its_entries(store: &mut Store) {
    let id = file(store, t0(), vec![]);
    append(store, &id, vec![(m(30), final_report())]);
    let mut tx = store.read().expect("read");
    let row = tx.incident(&id).expect("incident").expect("row");
    assert_eq!((row.closed, row.last_at), (Some(m(30)), m(30)));
}

/// A scope's incidents as the store hands them over, each once.
fn collect(tx: &mut dyn Read, scope: Scope) -> Vec<Stored> {
    let mut out = Vec::new();
    tx.scope(scope, &mut |s| {
        out.push(s);
        Ok(())
    })
    .expect("scope");
    let mut seen: Vec<&str> = out.iter().map(|s| s.0.as_str()).collect();
    seen.sort_unstable();
    let n = seen.len();
    seen.dedup();
    assert_eq!(seen.len(), n, "an incident handed over twice");
    out
}

/// The head of the store's one chain (the suite's stores hold one office), as of `before`.
fn head(tx: &mut dyn Read, before: Option<Instant>) -> String {
    let heads = tx.heads(before).expect("heads");
    assert_eq!(heads.len(), 1, "{heads:?}");
    heads[0].hash.clone()
}

fn ids(stored: &[Stored]) -> Vec<&str> {
    let mut v: Vec<&str> = stored.iter().map(|s| s.0.as_str()).collect();
    v.sort_unstable();
    v
}

fn the_check_scope_is_open_and_recently_closed(store: &mut Store) {
    let open = file(store, t0(), vec![]);
    let closed_long_ago = file(store, t0(), vec![(m(10), final_report())]);
    let closed_lately = file(store, t0(), vec![(m(600), final_report())]);
    let mut tx = store.read().expect("read");
    let scope = Scope::Check {
        at: m(1000),
        closed_after: m(500),
    };
    let stored = collect(&mut *tx, scope);
    assert_eq!(ids(&stored), [open.as_str(), closed_lately.as_str()]);
    assert!(!ids(&stored).contains(&closed_long_ago.as_str()));
    for (id, row, entries) in &stored {
        assert!(row.is_some(), "{id} comes with its row");
        assert!(
            entries.windows(2).all(|w| w[0].n < w[1].n),
            "{id}: entries in order"
        );
    }
}

fn the_window_scope_is_what_the_day_touched(store: &mut Store) {
    // Before the window and closed before it; open across it; told in it; filed after it.
    let before = file(store, m(-600), vec![(m(-500), final_report())]);
    let open = file(store, m(-600), vec![]);
    let told = file(store, m(-600), vec![(m(60), final_report())]);
    let after = file(store, m(200), vec![]);
    let mut tx = store.read().expect("read");
    let stored = collect(
        &mut *tx,
        Scope::Window {
            from: t0(),
            to: m(120),
        },
    );
    let got = ids(&stored);
    assert!(
        got.contains(&open.as_str()) && got.contains(&told.as_str()),
        "{got:?}"
    );
    assert!(
        !got.contains(&before.as_str()) && !got.contains(&after.as_str()),
        "{got:?}"
    );
}

fn all_covers_every_incident_once_in_id_order(store: &mut Store) {
    let mut want = Vec::new();
    // Their entries interleaved in the chain: each told the city after all were filed.
    for n in 1..=7 {
        want.push(file(store, m(n), vec![]));
    }
    for id in want.iter().rev() {
        append(store, id, vec![(m(20), escalation("city"))]);
    }
    want.sort();
    let mut tx = store.read().expect("read");
    let mut seen = Vec::new();
    tx.all(&mut |(id, row, entries)| {
        assert!(row.is_some(), "{id} comes with its row");
        assert_eq!(
            entries.iter().map(|e| e.n).collect::<Vec<_>>(),
            [1, 2],
            "{id}"
        );
        seen.push(id);
        Ok(())
    })
    .expect("all");
    assert_eq!(seen, want);
    // An error of `f` stops the read and is returned as it is.
    let mut calls = 0;
    let r = tx.all(&mut |_| {
        calls += 1;
        anyhow::bail!("stop")
    });
    assert_eq!(
        (r.map_err(|e| e.to_string()), calls),
        (Err("stop".into()), 1)
    );
}

fn list_filters_and_orders_newest_first(store: &mut Store) {
    let a = file(store, t0(), vec![(m(30), final_report())]);
    let b = file(store, m(60), vec![]);
    let c = file(store, m(120), vec![]);
    let mut tx = store.read().expect("read");
    let all: Vec<String> = tx
        .list(&ListFilter::default())
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(all, [c.clone(), b.clone(), a.clone()]);
    let open = ListFilter {
        open: Some(true),
        ..ListFilter::default()
    };
    let got: Vec<String> = tx
        .list(&open)
        .expect("open")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(got, [c.clone(), b.clone()]);
    let closed = ListFilter {
        open: Some(false),
        ..ListFilter::default()
    };
    let got: Vec<String> = tx
        .list(&closed)
        .expect("closed")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(got, [a]);
    let limited = ListFilter {
        limit: Some(1),
        since: Some(m(60)),
        ..ListFilter::default()
    };
    let got: Vec<String> = tx
        .list(&limited)
        .expect("limit")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(got, [c]);
}

fn the_head_before_a_moment(store: &mut Store) {
    let id = file(store, t0(), vec![]);
    let first = head(&mut *store.read().expect("read"), None);
    append(store, &id, vec![(m(10), escalation("leader_in_charge"))]);
    let mut tx = store.read().expect("read");
    assert_eq!(head(&mut *tx, Some(m(5))), first);
    assert_eq!(
        head(&mut *tx, Some(t0())),
        "0".repeat(64),
        "strictly before"
    );
    assert_eq!(head(&mut *tx, Some(m(11))), head(&mut *tx, None));
}

fn a_sound_store_verifies(store: &mut Store) {
    let id = file(store, t0(), vec![(m(2), escalation("leader_in_charge"))]);
    append(store, &id, vec![(m(30), final_report())]);
    let head = head(&mut *store.read().expect("read"), None);
    let report = store.verify(Some(&head)).expect("verify");
    assert!(report.damage.is_empty(), "{:?}", report.damage);
    assert_eq!((report.entries, report.incidents), (3, 1));
    assert_eq!(report.head_found, Some(true));
    assert!(store.damage().is_empty(), "{:?}", store.damage());
}
