//! The written report (`show --format markdown`) as the document a duty office sends: a title
//! naming its stage, the six parts of a Chinese accident report with the unit where it happened,
//! people counted with 人 and the loss on its own line, a footer, `--report N`, and the
//! document's language (`--lang`, else the locale's, else the rules').

use crate::env::TestEnv;

/// The restaurant where it happened, and its particulars.
const UNIT: &str = "某某餐馆（个体工商户，城关镇人民路12号）";

/// A gas explosion at a restaurant, reported by the town: the 首报 at 14:05 (2 dead, 5 injured,
/// 30 evacuated, the loss not yet known), the leaders and the city told, the city in writing
/// signed by 李某某 at 14:30, 续报（一） at 15:30, 续报（二） at 16:30 with the loss (1200万,
/// which makes it 较大), a correction of 续报（一） at 17:00, the 终报 the next morning.
/// Entries: 1 首报, 2–4 escalations, 5 续报（一）, 6 续报（二）, 7 the reclassification,
/// 8 the correction, 9 终报. The locale names no language (`C.UTF-8`).
fn restaurant() -> (TestEnv, String) {
    let mut env = TestEnv::new();
    env.lang("C.UTF-8");
    env.at("2026-03-10T14:05:00+08:00");
    let id = env.file(&[
        "--title",
        "某餐馆燃气爆炸事故",
        "--kind",
        "gas",
        "--occurred",
        "13:45",
        "--known",
        "13:52",
        "--location",
        "城关镇人民路12号",
        "--unit",
        "城关镇人民政府",
        "--accident-unit",
        UNIT,
        "--source",
        "城关派出所民警赵某（电话13800000000）",
        "--facts",
        "某某餐馆后厨液化气罐发生爆炸，2人死亡、5人受伤",
        "--deaths",
        "2",
        "--injuries",
        "5",
        "--evacuated",
        "30",
        "--measures",
        "消防、公安、卫健到场处置，疏散周边群众30人",
        "--cause",
        "液化气罐泄漏",
        "--cause-status",
        "preliminary",
    ]);
    for (now, level, extra) in [
        ("14:12", "leader_in_charge", vec!["--contact", "王副镇长"]),
        ("14:20", "principal_leader", vec!["--contact", "张镇长"]),
        (
            "14:30",
            "city",
            vec![
                "--via",
                "written",
                "--contact",
                "市总值班室王某",
                "--signed-by",
                "李某某",
            ],
        ),
    ] {
        env.at(&format!("2026-03-10T{now}:00+08:00"));
        let mut args = vec!["escalate", id.as_str(), "--level", level];
        args.extend(extra);
        env.ok(&args);
    }
    env.at("2026-03-10T15:30:00+08:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "明火已扑灭，5名伤员送县医院救治",
        "--measures",
        "封控现场，排查周边燃气管线",
    ]);
    env.at("2026-03-10T16:30:00+08:00");
    env.ok(&[
        "update",
        &id,
        "--progress",
        "初步核算直接经济损失",
        "--loss",
        "1200万",
    ]);
    env.at("2026-03-10T17:00:00+08:00");
    env.ok(&[
        "correct",
        &id,
        "--entry",
        "5",
        "--progress",
        "明火已扑灭，5名伤员送县人民医院救治",
        "--reason",
        "医院名称有误",
    ]);
    env.at("2026-03-11T10:00:00+08:00");
    env.ok(&[
        "close",
        &id,
        "--summary",
        "现场处置完毕，伤员病情稳定",
        "--cause",
        "液化气罐连接软管老化泄漏",
        "--cause-status",
        "confirmed",
    ]);
    (env, id)
}

fn markdown(env: &TestEnv, id: &str, more: &[&str]) -> String {
    let mut args = vec!["show", id, "--format", "markdown"];
    args.extend(more);
    env.ok(&args)
}

#[test]
pub fn the_initial_report() {
    let (env, id) = restaurant();
    insta::assert_snapshot!("initial_zh", markdown(&env, &id, &["--report", "1"]));
}

#[test]
pub fn the_second_follow_up() {
    let (env, id) = restaurant();
    insta::assert_snapshot!("followup_2_zh", markdown(&env, &id, &["--report", "6"]));
}

#[test]
pub fn the_final_report_is_the_latest() {
    let (env, id) = restaurant();
    let md = markdown(&env, &id, &[]);
    assert_eq!(md, markdown(&env, &id, &["--report", "9"]));
    insta::assert_snapshot!("final_zh", md);
}

#[test]
pub fn the_second_follow_up_in_english() {
    let (env, id) = restaurant();
    insta::assert_snapshot!(
        "followup_2_en",
        markdown(&env, &id, &["--report", "6", "--lang", "en"])
    );
}

/// Part 一 is the unit where it happened, never the reporting unit; `待核实` until it is known.
#[test]
pub fn part_one_is_the_unit_where_it_happened() {
    let (env, id) = restaurant();
    let md = markdown(&env, &id, &[]);
    assert!(
        md.contains(&format!("## 一、事故发生单位概况\n\n{UNIT}\n")),
        "{md}"
    );
    let part_one = &md[md.find("## 一").expect("part one")..md.find("## 二").expect("two")];
    assert!(!part_one.contains("城关镇人民政府"), "{part_one}");

    let other = TestEnv::new();
    let id = other.file(&[]);
    let md = markdown(&other, &id, &[]);
    assert!(md.contains("## 一、事故发生单位概况\n\n待核实\n"), "{md}");
    let en = markdown(&other, &id, &["--lang", "en"]);
    assert!(
        en.contains("## 1. The unit where it happened\n\nto be verified\n"),
        "{en}"
    );
}

/// People are counted with 人; the loss is its own line, `正在核算` until it is given.
#[test]
pub fn counts_carry_people_and_the_loss_is_its_own_line() {
    let (env, id) = restaurant();
    let first = markdown(&env, &id, &["--report", "1"]);
    let part = "## 四、伤亡人数和初步估计的直接经济损失\n\n死亡2人，受伤5人，疏散30人\n\n";
    assert!(
        first.contains(&format!("{part}直接经济损失：正在核算\n")),
        "{first}"
    );
    let later = markdown(&env, &id, &["--report", "6"]);
    assert!(
        later.contains(&format!("{part}直接经济损失：约1200万元\n")),
        "{later}"
    );
}

/// Who reports, who signed, who recorded it, when; no internal rules line.
#[test]
pub fn the_footer_names_unit_signer_officer_and_time() {
    let (env, id) = restaurant();
    let first = markdown(&env, &id, &["--report", "1"]);
    assert!(
        first.ends_with(
            "报送单位：城关镇人民政府  \n签发人：＿＿＿＿  \n值班员：值班员张三  \n报送时间：2026年3月10日14时05分\n"
        ),
        "the written report was signed after the 首报: a blank to sign\n{first}"
    );
    let second = markdown(&env, &id, &["--report", "5"]);
    assert!(
        second.ends_with(
            "报送单位：城关镇人民政府  \n签发人：李某某  \n值班员：值班员张三  \n报送时间：2026年3月10日15时30分\n"
        ),
        "{second}"
    );
    for md in [first, second] {
        assert!(!md.contains("报送规则"), "{md}");
    }
    let (_, v) = env.json(&["show", &id]);
    let hash = v["rules"].as_str().expect("rules hash");
    assert!(!markdown(&env, &id, &[]).contains(&hash[..12]));
}

/// Follow-ups are numbered in claimed-time order, in the title and in part 三.
#[test]
pub fn follow_ups_are_numbered() {
    let (env, id) = restaurant();
    for (n, title) in [
        ("1", "# 关于某餐馆燃气爆炸事故的首报\n"),
        ("5", "# 关于某餐馆燃气爆炸事故的续报（一）\n"),
        ("6", "# 关于某餐馆燃气爆炸事故的续报（二）\n"),
        ("9", "# 关于某餐馆燃气爆炸事故的终报\n"),
    ] {
        let md = markdown(&env, &id, &["--report", n]);
        assert!(md.starts_with(title), "--report {n}:\n{md}");
    }
    let md = markdown(&env, &id, &[]);
    assert!(
        md.contains("- 2026年3月10日15时30分续报（一）：明火已扑灭"),
        "{md}"
    );
    assert!(
        md.contains("- 2026年3月10日16时30分续报（二）：初步核算"),
        "{md}"
    );
}

/// `--report N` writes the incident as it stood at that report: what was known then, the
/// corrections claimed by then.
#[test]
pub fn a_report_is_the_incident_as_it_stood_then() {
    let (env, id) = restaurant();
    let second = markdown(&env, &id, &["--report", "6"]);
    assert!(
        second.contains("原因：液化气罐泄漏（初步判断）"),
        "{second}"
    );
    assert!(!second.contains("终报"), "{second}");
    assert!(
        second.contains("续报（一）：明火已扑灭，5名伤员送县医院救治\n"),
        "the correction at 17:00 came after it\n{second}"
    );
    let last = markdown(&env, &id, &[]);
    assert!(
        last.contains("续报（一）：明火已扑灭，5名伤员送县人民医院救治（已更正：医院名称有误）\n"),
        "the correction beside what it corrected\n{last}"
    );
    assert!(
        last.contains("原因：液化气罐连接软管老化泄漏（已查明）"),
        "{last}"
    );
    assert!(
        last.contains("2026年3月10日14时30分已报市委市政府总值班室（书面，接报人：市总值班室王某，签发人：李某某）"),
        "the channel by its label\n{last}"
    );
}

/// `--report` takes a report entry; anything else is refused, naming the reports there are.
#[test]
pub fn report_takes_a_report_entry() {
    let (env, id) = restaurant();
    let r = env.run(&["show", &id, "--format", "markdown", "--report", "4"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "error: entry 4 of {id} (escalation) is not a report: --report takes a report entry, and {id} has 1 (initial report), 5 (follow-up report 1), 6 (follow-up report 2), 9 (final report)\n"
        )
    );
    assert_eq!(r.stdout, "");
    let r = env.run(&[
        "show", &id, "--format", "markdown", "--report", "12", "--lang", "zh",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!(
            "{id} 没有第 12 条记录：--report 应为报告记录的序号，{id} 的报告为第 1 条首报、第 5 条续报（一）、第 6 条续报（二）、第 9 条终报"
        )),
        "{}",
        r.stderr
    );
    for format in [
        &[][..],
        &["--format", "json"][..],
        &["--format", "table"][..],
    ] {
        let mut args = vec!["show", id.as_str(), "--report", "1"];
        args.extend(format);
        let r = env.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("--format markdown or --format html"));
    }
    let page = env.ok(&["show", &id, "--format", "html", "--report", "1"]);
    assert!(
        page.contains("<h1>关于某餐馆燃气爆炸事故的首报</h1>"),
        "{page}"
    );
}

/// The document's language: `--lang`, else the locale's if it names one, else the rules'.
#[test]
pub fn the_document_is_in_the_language_asked_for_else_the_rules() {
    let (mut env, id) = restaurant();
    let c = markdown(&env, &id, &[]);
    assert!(
        c.starts_with("# 关于某餐馆燃气爆炸事故的终报"),
        "LANG=C.UTF-8:\n{c}"
    );
    assert_eq!(c, markdown(&env, &id, &["--lang", "zh"]));
    let en = markdown(&env, &id, &["--lang", "en"]);
    assert!(
        en.starts_with("# Final report: 某餐馆燃气爆炸事故\n"),
        "{en}"
    );
    assert!(en.contains("reporting unit: 城关镇人民政府"), "{en}");
    // The rest of the UI stays in the locale's language.
    let r = env.run(&["show", &id, "--format", "markdown", "--report", "2"]);
    assert!(r.stderr.starts_with("error: entry 2"), "{}", r.stderr);

    env.lang("zh_CN.UTF-8");
    assert_eq!(markdown(&env, &id, &[]), c);
    assert_eq!(markdown(&env, &id, &["--lang", "en"]), en);
    env.lang("en_US.UTF-8");
    assert_eq!(markdown(&env, &id, &[]), en, "a locale that names English");
    env.lang("POSIX");
    assert_eq!(markdown(&env, &id, &[]), c);
}

/// Rules whose labels are not Chinese make an English document where the locale names no
/// language.
#[test]
pub fn english_rules_make_an_english_document_under_lang_c() {
    let mut env = TestEnv::new();
    env.lang("C.UTF-8");
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/us-osha-1904-39.toml");
    env.env("SITREP_RULES", rules);
    let id = env.file(&["--kind", "workplace", "--title", "Press brake amputation"]);
    let md = markdown(&env, &id, &[]);
    assert!(
        md.starts_with("# Initial report: Press brake amputation\n"),
        "{md}"
    );
    let zh = markdown(&env, &id, &["--lang", "zh"]);
    assert!(
        zh.starts_with("# 关于Press brake amputation的首报\n"),
        "{zh}"
    );
}

/// The duty day's report is a document too: Chinese under `LANG=C` with Chinese rules.
#[test]
pub fn the_duty_day_report_follows_the_same_language() {
    let (env, _) = restaurant();
    let md = env.ok(&["digest", "--date", "2026-03-10", "--format", "markdown"]);
    assert!(
        md.starts_with("# 值班日报（2026-03-10 08:00 至 2026-03-11 08:00）"),
        "{md}"
    );
    let en = env.ok(&[
        "digest",
        "--date",
        "2026-03-10",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]);
    assert!(
        en.starts_with("# Duty report 2026-03-10 08:00 to 2026-03-11 08:00"),
        "{en}"
    );
    let page = env.ok(&["digest", "--date", "2026-03-10", "--format", "html"]);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    // Tables are the UI's: English under LANG=C.
    let table = env.ok(&["digest", "--date", "2026-03-10"]);
    assert!(table.starts_with("Duty report"), "{table}");
}
