//! The city's views of its tree (DESIGN.md §12, "Views across offices"): one digest of the
//! duty day for the whole tree, its Markdown grouped by office under headings that name each
//! office, its JSON with the `office` of every incident and a chain head per office; a county's
//! officer sees its own office only, and `--office` narrows the city's.

use serde_json::Value;

use super::env::{CITY_SUPERVISOR as CITY, COUNTY_A as A, COUNTY_B as B, Shared};

/// The city with an incident filed by each county's officer: (store, A's id, B's id).
fn city_with_two_incidents() -> Option<(Shared<'static>, String, String)> {
    let s = Shared::staffed_city()?;
    let a = s.file_as(A, &["--title", "甲县化工厂泄漏"]);
    let b = s.file_as(B, &["--title", "乙县道路塌陷"]);
    Some((s, a, b))
}

/// The ids of the digest's `new` incidents, with each one's `office`.
fn new_with_office(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["new"]
        .as_array()
        .unwrap_or_else(|| panic!("no `new` in {v}"))
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("an id").to_owned(),
                i["office"].as_str().unwrap_or("(none)").to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_citys_digest_groups_its_counties_by_office_under_their_names() {
    let Some((s, a, b)) = city_with_two_incidents() else {
        return;
    };
    let day = ["digest", "--date", "2026-03-10"];

    // JSON: every incident with its office, and a head per office of the tree.
    let (code, v) = s.json_as(CITY, &day);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        new_with_office(&v),
        [(a.clone(), "ca".to_owned()), (b.clone(), "cb".to_owned())]
    );
    let heads = v["chain_head"].as_object().expect("a head per office");
    let mut codes: Vec<&str> = heads.keys().map(String::as_str).collect();
    codes.sort();
    assert_eq!(codes, ["ca", "cb", "cs"], "{v}");

    // Markdown: a heading per office that has incidents, naming it, each incident under its own.
    let mut args = day.to_vec();
    args.extend(["--format", "markdown", "--lang", "zh"]);
    let md = s.ok_as(CITY, &args);
    let ca = md
        .find("\n## 单位：甲县总值班室（ca）\n")
        .unwrap_or_else(|| panic!("no heading for ca in\n{md}"));
    let cb = md
        .find("\n## 单位：乙县总值班室（cb）\n")
        .unwrap_or_else(|| panic!("no heading for cb in\n{md}"));
    assert!(ca < cb, "offices in code order:\n{md}");
    assert!(!md.contains("（cs）"), "the city filed nothing:\n{md}");
    let (under_ca, under_cb) = (&md[ca..cb], &md[cb..]);
    assert!(under_ca.contains("### 新增事件"), "{under_ca}");
    assert!(
        under_ca.contains(&format!("| {a} | 甲县化工厂泄漏 |")),
        "{under_ca}"
    );
    assert!(!under_ca.contains(&b), "{under_ca}");
    assert!(
        under_cb.contains(&format!("| {b} | 乙县道路塌陷 |")),
        "{under_cb}"
    );
    assert!(!under_cb.contains(&a), "{under_cb}");

    // In English the heading reads the same way.
    let mut args = day.to_vec();
    args.extend(["--format", "markdown", "--lang", "en"]);
    let md = s.ok_as(CITY, &args);
    assert!(md.contains("\n## Office: 甲县总值班室 (ca)\n"), "{md}");

    // A county's officer: its own office only, in JSON and in Markdown.
    let (code, v) = s.json_as(B, &day);
    assert_eq!(code, 0, "{v}");
    assert_eq!(new_with_office(&v), [(b.clone(), "cb".to_owned())]);
    let mut args = day.to_vec();
    args.extend(["--format", "markdown", "--lang", "zh"]);
    let md = s.ok_as(B, &args);
    assert!(md.contains("\n## 单位：乙县总值班室（cb）\n"), "{md}");
    assert!(!md.contains("甲县") && !md.contains(&a), "{md}");

    // The city narrowed to one county.
    let mut args = day.to_vec();
    args.extend(["--office", "ca"]);
    let (code, v) = s.json_as(CITY, &args);
    assert_eq!(code, 0, "{v}");
    assert_eq!(new_with_office(&v), [(a.clone(), "ca".to_owned())]);
    args.extend(["--format", "markdown", "--lang", "zh"]);
    let md = s.ok_as(CITY, &args);
    assert!(md.contains("\n## 单位：甲县总值班室（ca）\n"), "{md}");
    assert!(
        md.contains(&a) && !md.contains("乙县") && !md.contains(&b),
        "{md}"
    );
}
