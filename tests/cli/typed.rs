//! What a person types is taken as a person means it (DESIGN.md §4): labels wherever ids are,
//! `-` and `_` alike, "did you mean", a time of day read as yesterday said so, a time later than
//! now refused as in the future, and the class an incident is filed under said at once.

use serde_json::json;

use crate::env::{TestEnv, file_args};

#[test]
pub fn labels_are_accepted_wherever_ids_are() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let id = env.file(&[
        "--kind",
        "道路交通",
        "--severity",
        "重大",
        "--cause",
        "车辆失控",
        "--cause-status",
        "初步",
    ]);
    env.ok(&["escalate", &id, "--level", "分管领导"]);
    env.ok(&[
        "escalate",
        &id,
        "--level",
        "leader-in-charge",
        "--via",
        "书面",
    ]);
    env.ok(&["escalate", &id, "--level", "city", "--via", "in_person"]);
    let (_, v) = env.json(&["show", &id]);
    assert_eq!(
        (&v["kind"], &v["severity"]),
        (&json!("road_traffic"), &json!("major"))
    );
    let e = &v["entries"];
    assert_eq!(
        e[0]["cause"],
        json!({"text": "车辆失控", "status": "preliminary"})
    );
    assert_eq!(
        (&e[1]["level"], &e[1]["channel"]),
        (&json!("leader_in_charge"), &json!("phone"))
    );
    assert_eq!(
        (&e[2]["level"], &e[2]["channel"]),
        (&json!("leader_in_charge"), &json!("written"))
    );
    assert_eq!(e[3]["channel"], json!("in-person"));
    let (_, listed) = env.json(&["list", "--severity", "重大", "--kind", "道路交通"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
}

#[test]
pub fn an_unknown_value_names_the_nearest_one() {
    let mut env = TestEnv::new();
    let r = env.run(&file_args(&["--kind", "road-trafic"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("did you mean road_traffic (道路交通)?"),
        "{}",
        r.stderr
    );
    env.lang("zh_CN.UTF-8");
    let r = env.run(&file_args(&["--kind", "道路交同"]));
    assert!(r.stderr.contains("是否想用“道路交通”？"), "{}", r.stderr);
    let id = env.file(&[]);
    let r = env.run(&["escalate", &id, "--level", "分官领导"]);
    assert!(r.stderr.contains("是否想用“分管领导”？"), "{}", r.stderr);
}

#[test]
pub fn a_time_of_day_later_than_now_is_yesterday_said_so_or_refused_for_an_entry() {
    let mut env = TestEnv::new();
    env.at("2026-03-10T09:00:00+08:00");
    // `--occurred 9:30` typed at 09:00: yesterday's, and said so.
    let r = env.run(&file_args(&["--occurred", "9:30", "--known", "08:50"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`9:30` is later than now, so it is read as yesterday, 2026-03-09 09:30"),
        "{}",
        r.stderr
    );
    let id = r.stdout.lines().next().expect("id").to_owned();
    // `escalate --at 22:00` at 21:00: refused as in the future, with the way to say yesterday.
    env.at("2026-03-10T21:00:00+08:00");
    let r = env.run(&["escalate", &id, "--level", "city", "--at", "22:00"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`22:00` is later than now (2026-03-10 21:00)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("for yesterday write `yesterday 22:00`"),
        "{}",
        r.stderr
    );
    env.ok(&["escalate", &id, "--level", "city", "--at", "20:30"]);
}

#[test]
pub fn file_says_the_class_and_why() {
    let mut env = TestEnv::new();
    env.lang("zh_CN.UTF-8");
    let out = env.ok(&file_args(&["--deaths", "31"]));
    assert_eq!(
        out.lines().nth(1),
        Some("特别重大：死亡31人 ≥ 30人"),
        "{out}"
    );
    let out = env.ok(&file_args(&["--loss", "1200万"]));
    assert_eq!(
        out.lines().nth(1),
        Some("较大：直接经济损失1200万元 ≥ 1000万元"),
        "{out}"
    );
    let out = env.ok(&file_args(&["--severity", "重大"]));
    assert_eq!(out.lines().nth(1), Some("重大：申报"), "{out}");
    env.lang("C");
    let out = env.ok(&file_args(&[]));
    assert_eq!(
        out.lines().nth(1),
        Some("general (一般): below the thresholds of larger (较大)"),
        "{out}"
    );
}
