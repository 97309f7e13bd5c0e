//! The round trip (DESIGN.md §9): for random sequences of accepted commands — corrections,
//! Chinese text, times at the boundaries of the deadlines, figures at the thresholds — `export`
//! then `import` into an empty database gives identical `show`, `check` and `digest` JSON,
//! ignoring only what the design says differs: each entry's `hash` (its chain position is new)
//! and `imported` mark, and so a digest's `chain_head`.

use proptest::prelude::*;
use serde_json::Value;

use crate::env::TestEnv;

/// One command of a history, relative to the minutes since 14:10 (the known time).
#[derive(Debug, Clone)]
enum Op {
    Escalate {
        level: usize,
        via: usize,
        at: i64,
    },
    Update {
        deaths: Option<i64>,
        measures: bool,
        at: i64,
    },
    Correct {
        entry: u32,
        at: Option<i64>,
        deaths: Option<i64>,
    },
    Close {
        at: i64,
    },
}

const LEVELS: [&str; 3] = ["leader_in_charge", "principal_leader", "city"];
const CHANNELS: [&str; 2] = ["phone", "written"];

/// Minutes after 14:10, with the deadlines' boundaries (15, 30, 60) likely.
fn minute() -> impl Strategy<Value = i64> {
    prop_oneof![Just(15), Just(30), Just(60), Just(14), Just(16), 0i64..1500]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..LEVELS.len(), 0..CHANNELS.len(), minute())
            .prop_map(|(level, via, at)| Op::Escalate { level, via, at }),
        2 => (prop::option::of(prop_oneof![Just(2i64), Just(3), Just(10), 0i64..40]), any::<bool>(), minute())
            .prop_map(|(deaths, measures, at)| Op::Update { deaths, measures, at }),
        1 => (1u32..6, prop::option::of(minute()), prop::option::of(0i64..12))
            .prop_map(|(entry, at, deaths)| Op::Correct { entry, at, deaths }),
        1 => minute().prop_map(|at| Op::Close { at }),
    ]
}

fn time(minutes: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339("2026-03-10T14:10:00+08:00").expect("valid")
        + chrono::Duration::minutes(minutes);
    t.to_rfc3339()
}

/// Applies the ops in order, each at a clock past its time; returns how many were accepted.
fn play(env: &mut TestEnv, ops: &[Op]) -> usize {
    env.at("2026-03-10T14:10:00+08:00");
    let id = env.file(&["--measures"]);
    env.at("2026-03-12T08:00:00+08:00");
    let mut accepted = 0;
    for op in ops {
        let args: Vec<String> = match op {
            Op::Escalate { level, via, at } => vec![
                "escalate".into(),
                id.clone(),
                "--level".into(),
                LEVELS[*level].into(),
                "--via".into(),
                CHANNELS[*via].into(),
                "--contact".into(),
                "市总值班室张科长".into(),
                "--at".into(),
                time(*at),
            ],
            Op::Update {
                deaths,
                measures,
                at,
            } => {
                let mut a = vec![
                    "update".into(),
                    id.clone(),
                    "--progress".into(),
                    "现场处置中，搜救继续".into(),
                    "--at".into(),
                    time(*at),
                ];
                if let Some(d) = deaths {
                    a.extend(["--deaths".into(), d.to_string()]);
                }
                if *measures {
                    a.extend(["--measures".into(), "疏散周边群众300人".into()]);
                }
                a
            }
            Op::Correct { entry, at, deaths } => {
                let mut a = vec![
                    "correct".into(),
                    id.clone(),
                    "--entry".into(),
                    entry.to_string(),
                    "--reason".into(),
                    "核实后更正".into(),
                ];
                if let Some(t) = at {
                    a.extend(["--at".into(), time(*t)]);
                }
                if let Some(d) = deaths {
                    a.extend(["--deaths".into(), d.to_string()]);
                }
                a
            }
            Op::Close { at } => vec![
                "close".into(),
                id.clone(),
                "--summary".into(),
                "处置完毕".into(),
                "--at".into(),
                time(*at),
            ],
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if env.run(&args).code == 0 {
            accepted += 1;
        }
    }
    accepted
}

/// Drops what the design says differs after an import: entries' `hash` and `imported`.
fn without_import_marks(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("n") && m.contains_key("type") {
                    m.remove("hash");
                    m.remove("imported");
                }
                // A digest's chain head is a hash of the new chain.
                m.remove("chain_head");
                m.values_mut().for_each(walk);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn views(env: &TestEnv) -> Vec<Value> {
    let json = |args: &[&str]| without_import_marks(env.json(args).1);
    vec![
        json(&["show", "20260310-001"]),
        json(&["check", "--all", "--at", "2026-03-12 08:00"]),
        json(&["check", "--at", "2026-03-10 14:40"]),
        json(&["digest", "--date", "2026-03-10"]),
        json(&["digest", "--date", "2026-03-11"]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_the_same_show_check_and_digest(ops in prop::collection::vec(op(), 1..9)) {
        let mut env = TestEnv::new();
        let accepted = play(&mut env, &ops);
        prop_assume!(accepted > 0, "nothing was accepted");
        let line = env.ok(&["export"]);
        let file = env.path("export.jsonl");
        std::fs::write(&file, &line).expect("written");
        let mut copy = TestEnv::new();
        copy.at("2026-03-12T08:00:00+08:00");
        copy.ok(&["import", file.to_str().expect("utf-8")]);
        let (a, b) = (views(&env), views(&copy));
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x, y);
        }
        // Imported again from the copy's own export: the same line, marks aside.
        let again = copy.ok(&["export"]);
        let strip = |s: &str| without_import_marks(serde_json::from_str(s.trim()).expect("json"));
        prop_assert_eq!(strip(&line), strip(&again));
    }
}
