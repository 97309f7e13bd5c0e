//! Messages in English and Chinese.
//!
//! Rules of this module:
//! - Every text a user reads exists in both languages. Fixed labels live in [`Label`], whose
//!   `text` is one exhaustive `match` returning both at once, so a label missing in either
//!   language does not compile. Messages with values are built with [`msg!`], which takes both
//!   texts at the call site for the same reason.
//! - The display language is the one piece of ambient state: [`set_lang`] is called once by
//!   `lib::run` before anything is printed, so errors built deep inside (and wrapped by `anyhow`
//!   context) render in the user's language when they are finally displayed. It is per thread
//!   (sitrep runs on one), so tests running in parallel cannot see each other's language.
//!   A written document is rendered inside [`in_lang`] in its own language ([`DocumentLang`]),
//!   which puts the display language back afterwards.
//! - Data (titles, facts, rule labels) is never translated; only our own words are.

use std::cell::Cell;
use std::fmt;

/// The language labels and messages are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language a `LANG`/`LC_ALL` value asks for: `zh_*` is Chinese, anything else English.
    pub fn from_locale(value: Option<&str>) -> Lang {
        match value {
            Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The language a `LANG`/`LC_ALL` value names explicitly: `zh*` Chinese, `en*` English;
    /// `None` for a locale that names none we write (`C`, `C.UTF-8`, `POSIX`, unset, others).
    pub fn named_by_locale(value: Option<&str>) -> Option<Lang> {
        let v = value?.to_ascii_lowercase();
        if v.starts_with("zh") {
            Some(Lang::Zh)
        } else if v.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language labels are written in: Chinese when any of them holds a CJK character.
    pub fn of_labels<'a>(labels: impl IntoIterator<Item = &'a str>) -> Lang {
        // CJK unified ideographs: the extension A block, the main block, the compatibility
        // block, and the supplementary planes' extensions.
        let cjk = |c: char| {
            let c = u32::from(c);
            (0x3400..=0x4dbf).contains(&c)
                || (0x4e00..=0x9fff).contains(&c)
                || (0xf900..=0xfaff).contains(&c)
                || (0x2_0000..=0x3_134f).contains(&c)
        };
        if labels.into_iter().any(|l| l.chars().any(cjk)) {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// The language of a written document (the written report, the duty day's report): the one
/// `--lang` gives, else the one the locale names, else the rules' own (see [`Lang::of_labels`]),
/// so a Chinese document is never English because a server runs with `LANG=C`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentLang {
    /// Given by `--lang`, or named by the locale.
    Given(Lang),
    /// The locale names no language: the rules' labels decide.
    OfRules,
}

impl DocumentLang {
    /// Decided from `--lang` and the locale's value (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn decide(flag: Option<Lang>, locale: Option<&str>) -> DocumentLang {
        match flag.or_else(|| Lang::named_by_locale(locale)) {
            Some(l) => DocumentLang::Given(l),
            None => DocumentLang::OfRules,
        }
    }
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Sets the display language (called once, by `lib::run`).
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// Runs `f` in `lang`, then restores the display language (even if `f` panics): a written
/// document is rendered in its own language while the rest of the run (errors, warnings) stays
/// in the user's.
pub fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    struct Restore(Lang);
    impl Drop for Restore {
        fn drop(&mut self) {
            set_lang(self.0);
        }
    }
    let _restore = Restore(self::lang());
    set_lang(lang);
    f()
}

/// The display language set by [`set_lang`] (English until then).
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// A message in both languages; displays in the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub en: String,
    pub zh: String,
}

impl Msg {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Msg {
        Msg {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The text in a given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(lang()))
    }
}

impl std::error::Error for Msg {}

/// Builds a [`Msg`] from an English and a Chinese format string, both capturing the same names.
#[macro_export]
macro_rules! msg {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::i18n::Msg::new(format!($en), format!($zh))
    };
}

/// Picks the text for the current language from a pair.
pub fn pick<'a>(en: &'a str, zh: &'a str) -> &'a str {
    match lang() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Fixed labels: table headers, field names, statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Id,
    Title,
    Kind,
    Severity,
    Status,
    Occurred,
    Known,
    Filed,
    Closed,
    Location,
    Unit,
    Figures,
    Rules,
    Office,
    Name,
    Parent,
    Facts,
    Progress,
    Summary,
    Measures,
    Cause,
    Entry,
    Type,
    At,
    By,
    Details,
    Step,
    Level,
    Channel,
    Due,
    Done,
    Left,
    Finding,
    Minutes,
    Reason,
    Open,
    ClosedStatus,
    Backfilled,
    Imported,
    Rank,
    Label,
    Obligation,
    Within,
    Applies,
    Thresholds,
    CasualtyWindow,
    Contact,
    Message,
    Entries,
    Steps,
    Findings,
    None,
    All,
    Requires,
    NextDue,
    OnTime,
    Yes,
    No,
    Corrects,
    Note,
    Reviewed,
    SignedBy,
    Source,
    AccidentUnit,
}

impl Label {
    /// Both texts of a label.
    pub const fn texts(self) -> (&'static str, &'static str) {
        use Label as L;
        match self {
            L::Id => ("id", "编号"),
            L::Title => ("title", "标题"),
            L::Kind => ("kind", "类型"),
            L::Severity => ("severity", "等级"),
            L::Status => ("status", "状态"),
            L::Occurred => ("occurred", "发生时间"),
            L::Known => ("known", "获知时间"),
            L::Filed => ("filed", "首报时间"),
            L::Closed => ("closed", "终报时间"),
            L::Location => ("location", "地点"),
            L::Unit => ("unit", "报告单位"),
            L::Figures => ("figures", "伤亡及损失"),
            L::Rules => ("rules", "报送规则"),
            L::Office => ("office", "单位"),
            L::Name => ("name", "名称"),
            L::Parent => ("above", "上级单位"),
            L::Facts => ("facts", "基本情况"),
            L::Progress => ("progress", "进展"),
            L::Summary => ("summary", "总结"),
            L::Measures => ("measures", "已采取的措施"),
            L::Cause => ("cause", "原因"),
            L::Entry => ("#", "序号"),
            L::Type => ("type", "类别"),
            L::At => ("at", "时间"),
            L::By => ("by", "报送人"),
            L::Details => ("details", "内容"),
            L::Step => ("step", "环节"),
            L::Level => ("level", "层级"),
            L::Channel => ("channel", "方式"),
            L::Due => ("due", "时限"),
            L::Done => ("done", "完成时间"),
            L::Left => ("left", "到期情况"),
            L::Finding => ("finding", "问题"),
            L::Minutes => ("by", "超时或剩余"),
            L::Reason => ("reason", "理由"),
            L::Open => ("open", "处置中"),
            L::ClosedStatus => ("closed", "已终报"),
            L::Backfilled => ("backfilled", "补录"),
            L::Imported => ("imported", "导入"),
            L::Rank => ("rank", "级次"),
            L::Label => ("label", "名称"),
            L::Obligation => ("obligation", "要求"),
            L::Within => ("within", "时限"),
            L::Applies => ("applies to", "适用等级"),
            L::Thresholds => ("at least one of", "任一达到"),
            L::CasualtyWindow => ("casualty window", "伤亡统计期"),
            L::Contact => ("contact", "接报人"),
            L::Message => ("message", "说明"),
            L::Entries => ("Entries", "报送记录"),
            L::Steps => ("Deadlines", "报送时限"),
            L::Findings => ("Findings", "问题"),
            L::None => ("none", "无"),
            L::All => ("all", "全部"),
            L::Requires => ("requires", "必备内容"),
            L::NextDue => ("next due", "下一时限"),
            L::OnTime => ("on time", "按时"),
            L::Yes => ("yes", "是"),
            L::No => ("no", "否"),
            L::Corrects => ("corrects", "更正"),
            L::Note => ("note", "审核意见"),
            L::Reviewed => ("reviewed", "已审核"),
            L::SignedBy => ("signed by", "签发人"),
            L::Source => ("source", "信息来源"),
            L::AccidentUnit => ("unit where it happened", "事故发生单位"),
        }
    }

    /// The label in the current language.
    pub fn text(self) -> &'static str {
        let (en, zh) = self.texts();
        pick(en, zh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_chinese_only_for_zh() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("ZH_TW")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn a_locale_names_a_language_or_none() {
        assert_eq!(Lang::named_by_locale(Some("zh_CN.UTF-8")), Some(Lang::Zh));
        assert_eq!(Lang::named_by_locale(Some("en_GB.UTF-8")), Some(Lang::En));
        assert_eq!(Lang::named_by_locale(Some("C.UTF-8")), None);
        assert_eq!(Lang::named_by_locale(Some("POSIX")), None);
        assert_eq!(Lang::named_by_locale(None), None);
        use DocumentLang as D;
        assert_eq!(D::decide(Some(Lang::En), Some("zh_CN")), D::Given(Lang::En));
        assert_eq!(D::decide(None, Some("zh_CN")), D::Given(Lang::Zh));
        assert_eq!(D::decide(None, Some("C")), D::OfRules);
    }

    #[test]
    fn labels_in_chinese_are_chinese() {
        assert_eq!(Lang::of_labels(["general", "一般"]), Lang::Zh);
        assert_eq!(Lang::of_labels(["minor", "major"]), Lang::En);
        assert_eq!(Lang::of_labels([]), Lang::En);
    }

    #[test]
    fn in_lang_restores_the_display_language() {
        set_lang(Lang::En);
        let inside = in_lang(Lang::Zh, || pick("en", "zh"));
        assert_eq!(inside, "zh");
        assert_eq!(lang(), Lang::En);
    }

    #[test]
    fn msg_captures_names_in_both_languages() {
        let kind = "fir";
        let m = msg!("unknown kind {kind}", "未知类型 {kind}");
        assert_eq!(m.get(Lang::En), "unknown kind fir");
        assert_eq!(m.get(Lang::Zh), "未知类型 fir");
    }

    #[test]
    fn every_label_has_two_distinct_nonempty_texts() {
        use Label as L;
        let all = [
            L::Id,
            L::Title,
            L::Kind,
            L::Severity,
            L::Status,
            L::Open,
            L::ClosedStatus,
            L::Steps,
        ];
        for l in all {
            let (en, zh) = l.texts();
            assert!(!en.is_empty() && !zh.is_empty(), "{l:?}");
            assert_ne!(en, zh, "{l:?}");
        }
    }
}
