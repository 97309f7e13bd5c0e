//! `export` and `import`: records out and back in, replayed through the same rules.

use serde_json::{Value, json};

use crate::env::TestEnv;

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Drops what an import is allowed to change: imported marks and hashes.
fn comparable(mut v: Value) -> Value {
    for e in v["entries"].as_array_mut().expect("entries") {
        let o = e.as_object_mut().expect("entry");
        o.remove("imported");
        o.remove("hash");
    }
    v
}

fn ledger() -> TestEnv {
    let mut env = TestEnv::new();
    let a = env.file(&[
        "--deaths",
        "1",
        "--cause",
        "待查",
        "--cause-status",
        "unknown",
    ]);
    env.ok(&[
        "escalate",
        &a,
        "--level",
        "leader_in_charge",
        "--contact",
        "王副区长",
        "--at",
        "14:12",
    ]);
    env.ok(&[
        "escalate", &a, "--level", "city", "--reason", "紧急", "--at", "14:16",
    ]);
    env.at("2026-03-10T18:00:00+08:00");
    env.ok(&[
        "update",
        &a,
        "--progress",
        "又发现两名遇难者",
        "--deaths",
        "3",
        "--loss",
        "1200万",
    ]);
    env.ok(&[
        "correct",
        &a,
        "--entry",
        "3",
        "--at",
        "14:14",
        "--reason",
        "以通话记录为准",
    ]);
    env.ok(&["close", &a, "--summary", "处置完毕", "--measures", "善后"]);
    env.file(&[
        "--title",
        "道路交通事故",
        "--kind",
        "road_traffic",
        "--measures",
    ]);
    env
}

#[test]
pub fn export_writes_one_incident_a_line_in_the_shape_of_show() {
    let env = ledger();
    let out = env.ok(&["export"]);
    let v = lines(&out);
    assert_eq!(v.len(), 2);
    let (_, shown) = env.json(&["show", "20260310-001"]);
    assert_eq!(v[0], shown);
    assert_eq!(v[0]["entries"][4]["type"], json!("reclassification"));
}

#[test]
pub fn an_imported_database_exports_what_it_imported() {
    let env = ledger();
    let exported = env.ok(&["export"]);
    let file = env.path("ledger.jsonl");
    std::fs::write(&file, &exported).expect("written");

    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "imported 2 incidents, 8 entries");
    assert_eq!(r.stderr, "", "no progress when stderr is not a terminal");
    // Judged at the same moment, the two exports agree but for imported marks and hashes.
    let mut back = fresh.cmd(&["export"]);
    back.env("SITREP_NOW", "2026-03-10T18:00:00+08:00");
    let again = String::from_utf8(back.output().expect("runs").stdout).expect("utf-8");
    let (a, b) = (lines(&exported), lines(&again));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.into_iter().zip(b) {
        assert_eq!(comparable(x), comparable(y.clone()));
        assert!(
            y["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .all(|e| e["imported"] == json!(true))
        );
    }
    let v = fresh.ok(&["verify"]);
    assert!(v.contains("chain: 8 entries in 2 incidents"), "{v}");
}

#[test]
pub fn reclassifications_are_derived_again() {
    let env = ledger();
    let mut inc = lines(&env.ok(&["export"]))[0].clone();
    // An older ledger without the reclassification, and with a made-up one elsewhere.
    let entries = inc["entries"].as_array_mut().expect("entries");
    entries.retain(|e| e["type"] != json!("reclassification"));
    entries.insert(
        1,
        json!({"n": 99, "type": "reclassification", "at": "2026-03-10T14:20:00+08:00", "from": "general", "to": "major"}),
    );
    let file = env.path("old.jsonl");
    std::fs::write(&file, format!("{inc}\n")).expect("written");
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    fresh.ok(&["import", file.to_str().expect("utf-8")]);
    let (_, v) = fresh.json(&["show", "20260310-001"]);
    assert_eq!(v["severity"], json!("larger"));
    let types: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "initial",
            "escalation",
            "escalation",
            "followup",
            "reclassification",
            "correction",
            "final"
        ]
    );
    assert_eq!(
        v["entries"][5]["corrects"],
        json!(3),
        "the correction still names the escalation it corrects"
    );
}

#[test]
pub fn a_bad_line_is_refused_by_number_and_nothing_is_written() {
    let env = ledger();
    let good = env.ok(&["export"]);
    let mut text: Vec<String> = good.lines().map(str::to_owned).collect();
    let mut broken: Value = serde_json::from_str(&text[1]).expect("json");
    broken["entries"][0]["kind"] = json!("volcano");
    broken["id"] = json!("20260311-001");
    text.push(broken.to_string());
    let file = env.path("bad.jsonl");
    std::fs::write(&file, text.join("\n")).expect("written");
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: line 3: unknown kind `volcano`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert_eq!(fresh.entry_count(), 0);
    assert_eq!(fresh.incident_count(), 0);

    for (bad, says) in [
        ("{not json", "line 1: not valid JSON"),
        ("[1,2]", "line 1: not a JSON object"),
        (
            "{\"id\":\"x\",\"entries\":[]}",
            "line 1: `x` is not an incident id",
        ),
    ] {
        std::fs::write(&file, bad).expect("written");
        let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
        assert_eq!(r.code, 1, "{bad}");
        assert!(r.stderr.contains(says), "{bad}: {}", r.stderr);
    }
    // An id that exists already.
    std::fs::write(&file, &good).expect("written");
    let r = env.run(&["import", file.to_str().expect("utf-8")]);
    assert!(
        r.stderr
            .contains("line 1: incident 20260310-001 exists already"),
        "{}",
        r.stderr
    );
}

#[test]
pub fn rules_the_database_lacks_are_replaced_by_the_rules_in_force_and_said_so() {
    let env = ledger();
    let mut line = lines(&env.ok(&["export"]))[0].clone();
    line["rules"] = json!("f".repeat(64));
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let r = fresh
        .cmd(&["import", "-"])
        .write_stdin(format!("{line}\n"))
        .output()
        .expect("runs");
    assert!(r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("note: 1 incidents named rules this database does not hold"),
        "{err}"
    );
    let (_, v) = fresh.json(&["show", "20260310-001"]);
    assert_eq!(v["rules"].as_str().map(str::len), Some(64));
    assert_ne!(v["rules"], json!("f".repeat(64)));
}

#[test]
pub fn import_reads_standard_input() {
    let env = ledger();
    let exported = env.ok(&["export"]);
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let out = fresh
        .cmd(&["import", "-"])
        .write_stdin(exported)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fresh.incident_count(), 2);
}

/// Lines are read ahead of the writer, a batch (256) at a time: a refusal past the first
/// batches still names its own line, comes before any later one, and leaves nothing written.
#[test]
pub fn a_refusal_past_the_first_batches_names_its_line_and_nothing_is_written() {
    let env = ledger();
    let template = lines(&env.ok(&["export"]))[1].clone();
    let good = |k: usize| {
        let mut l = template.clone();
        l["id"] = json!(format!("20260311-{k:03}"));
        l.to_string()
    };
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let file = env.path("long.jsonl");

    // A line that is not JSON at 601, and one that is not UTF-8 after it.
    let mut text: Vec<u8> = Vec::new();
    for k in 1..=600 {
        text.extend(good(k).bytes().chain(*b"\n"));
    }
    text.extend(b"{not json\n\xff\xfe\n");
    std::fs::write(&file, &text).expect("written");
    let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: line 601: not valid JSON"),
        "{}",
        r.stderr
    );
    assert_eq!(fresh.incident_count(), 0);

    // A line that cannot be read at all (not UTF-8) at 301.
    let mut text: Vec<u8> = Vec::new();
    for k in 1..=300 {
        text.extend(good(k).bytes().chain(*b"\n"));
    }
    text.extend(b"\xff\xfe\n");
    text.extend(good(301).bytes());
    std::fs::write(&file, &text).expect("written");
    let r = fresh.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cannot read line 301"), "{}", r.stderr);
    assert_eq!(fresh.incident_count(), 0);
    assert_eq!(fresh.entry_count(), 0);

    // And the same 300 lines alone go in.
    text.truncate(text.len() - good(301).len() - 3);
    std::fs::write(&file, &text).expect("written");
    fresh.ok(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(fresh.incident_count(), 300);
}

/// The writer stopping early (here at line 1, an id the database holds) stops the reader too,
/// however far ahead of it the reader has got: the import ends, refused, and does not hang.
#[test]
pub fn a_refusal_at_the_first_line_of_a_long_file_ends_the_import() {
    let env = ledger();
    let template = lines(&env.ok(&["export"]))[1].clone();
    let mut fresh = TestEnv::new();
    fresh.at("2026-03-20T09:00:00+08:00");
    let line = |day: usize, k: usize| {
        let mut l = template.clone();
        l["id"] = json!(format!("202603{day:02}-{k:03}"));
        l.to_string()
    };
    let first = env.path("first.jsonl");
    std::fs::write(&first, line(11, 1)).expect("written");
    fresh.ok(&["import", first.to_str().expect("utf-8")]);
    // More lines than the reader holds ahead of the writer (16 batches of 256).
    let mut text = String::new();
    for n in 0..17_000 {
        text.push_str(&line(11 + n / 999, 1 + n % 999));
        text.push('\n');
    }
    let long = env.path("long.jsonl");
    std::fs::write(&long, text).expect("written");
    let out = fresh
        .cmd(&["import", long.to_str().expect("utf-8")])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("line 1: incident 20260311-001 exists already"),
        "{err}"
    );
    assert_eq!(fresh.incident_count(), 1);
}

/// A refusal ends the import at once, even while the reader still waits for input: a pipe
/// whose writer never closes it does not keep the transaction open.
#[test]
pub fn a_refusal_ends_an_import_from_a_pipe_that_stays_open() {
    use std::io::Write as _;
    let env = ledger();
    let exported = env.ok(&["export"]);
    let first = exported.lines().next().expect("a line");
    let mut c = env.std_cmd(&["import", "-"]);
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    // An incident the database holds already, and the pipe left open.
    writeln!(stdin, "{first}").expect("writes");
    stdin.flush().expect("flushes");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break Some(status);
        }
        if std::time::Instant::now() > until {
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    drop(stdin);
    let out = child.wait_with_output().expect("ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        status.map(|s| s.code()),
        Some(Some(1)),
        "the import went on waiting for input after its refusal: {err}"
    );
    assert!(
        err.contains("line 1: incident 20260310-001 exists already"),
        "{err}"
    );
}
