//! What a command runs with: the process state `lib::run` read once (clock, environment,
//! terminal), and the rules.
//!
//! Rules: nothing below this reads the clock or the environment; it asks the [`Ctx`]. Current
//! rules are loaded on first use; the rules an incident is pinned to are loaded from the
//! database by hash and cached, so a later edit of the rules file never changes them.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use anyhow::{Context as _, Result};

use crate::cli::Format;
use crate::domain::model::Instant;
use crate::error::usage;
use crate::i18n::{DocumentLang, Lang};
use crate::msg;
use crate::rules::{DEFAULT_TEXT, Rules};
use crate::store::{Location, Read};

/// Where the current rules come from.
#[derive(Debug, Clone)]
pub enum RulesSource {
    File(PathBuf),
    Builtin,
}

/// A rules text and its validated form.
#[derive(Debug)]
pub struct LoadedRules {
    pub rules: Rc<Rules>,
    pub text: String,
    pub source: String,
}

/// Where "now" comes from: fixed (`SITREP_NOW`, tests), or the system's clock, which only the
/// entry point can read and so hands in as a function.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    Fixed(Instant),
    System(fn() -> Instant),
}

impl Clock {
    pub fn now(self) -> Instant {
        match self {
            Clock::Fixed(t) => t,
            Clock::System(f) => f(),
        }
    }
}

/// The context of one command.
#[derive(Debug)]
pub struct Ctx {
    /// When the command started: what typed times are relative to and the default claimed time.
    pub now: Instant,
    /// The clock, read again for an entry's recorded time once the write has the database, so
    /// recorded times follow the order entries were written in even when a writer waited.
    pub clock: Clock,
    /// `SITREP_NOW` replaced the system clock.
    pub simulated: bool,
    /// Where the store is.
    pub db: Location,
    pub rules_source: RulesSource,
    pub user: String,
    /// Whether `--as` or `SITREP_USER` named who acts (on a shared store the login does, and a
    /// different name is refused).
    pub user_given: bool,
    pub os_user: String,
    pub format: Option<Format>,
    pub lang: Lang,
    /// The language of written documents (`show`'s written report, `digest`'s report), as
    /// far as `--lang` and the locale decide it; see [`Ctx::document_lang_for`].
    pub document_lang: DocumentLang,
    pub color: bool,
    /// Prompts allowed: stdin is a terminal and `--no-input` was not given.
    pub interactive: bool,
    /// Terminal width for tables, if known.
    pub width: Option<u16>,
    /// Whether stdout and stderr are terminals (for progress bars and table wrapping).
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub drafts_dir: PathBuf,
    /// Where drafts go when the drafts directory cannot be written.
    pub temp_dir: PathBuf,
    pub argv: Vec<String>,
    pub editor: Option<String>,
    /// The rules loaded so far (filled on demand).
    pub rules_cache: RulesCache,
}

/// Rules loaded on first use: the current ones, and those incidents are pinned to by hash.
#[derive(Debug, Default)]
pub struct RulesCache {
    current: OnceCell<LoadedRules>,
    pinned: RefCell<HashMap<String, Rc<Rules>>>,
}

impl Ctx {
    /// The language a written document under `rules` is in: `--lang`, else the locale's
    /// language, else the rules' (Chinese when their severity or kind labels are).
    pub fn document_lang_for(&self, rules: &Rules) -> Lang {
        match self.document_lang {
            DocumentLang::Given(l) => l,
            DocumentLang::OfRules => Lang::of_labels(
                rules
                    .severities
                    .iter()
                    .map(|s| s.label.as_str())
                    .chain(rules.kinds.iter().map(|k| k.label.as_str())),
            ),
        }
    }

    /// The rules in force now (`--rules`, `./reporting-rules.toml`, or the built-in ones).
    pub fn rules(&self) -> Result<&LoadedRules> {
        if let Some(l) = self.rules_cache.current.get() {
            return Ok(l);
        }
        let loaded = match &self.rules_source {
            RulesSource::Builtin => LoadedRules {
                rules: Rc::new(Rules::builtin()),
                text: DEFAULT_TEXT.to_owned(),
                source: "built-in".to_owned(),
            },
            RulesSource::File(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    let p = path.display();
                    msg!(
                        "cannot read the rules file {p}: give a readable file with --rules or SITREP_RULES",
                        "无法读取规则文件 {p}：请用 --rules 或 SITREP_RULES 指定可读的文件"
                    )
                })?;
                let source = path.display().to_string();
                let rules = Rules::parse(&text, &source)?;
                LoadedRules {
                    rules: Rc::new(rules),
                    text,
                    source,
                }
            }
        };
        Ok(self.rules_cache.current.get_or_init(|| loaded))
    }

    /// The rules an incident is pinned to, from the database.
    pub fn pinned(&self, tx: &mut dyn Read, hash: &str) -> Result<Rc<Rules>> {
        self.try_pinned(tx, hash)?.with_context(|| {
            msg!(
                "the rules {hash} an incident is pinned to are missing from the database, or their text no longer has that hash: run `sitrep verify`",
                "事件所依据的规则 {hash} 在数据库中缺失，或其文本已与哈希不符：请运行 `sitrep verify`"
            )
        })
    }

    /// The rules stored under `hash`, or `None` when there are none whose text has that hash.
    pub fn try_pinned(&self, tx: &mut dyn Read, hash: &str) -> Result<Option<Rc<Rules>>> {
        self.try_pinned_by(hash, &mut |h| tx.rules_text(h))
    }

    /// As [`Ctx::try_pinned`], the text looked up by `text_of` (from texts read beforehand,
    /// where no query may run).
    pub fn try_pinned_by(
        &self,
        hash: &str,
        text_of: &mut dyn FnMut(&str) -> Result<Option<String>>,
    ) -> Result<Option<Rc<Rules>>> {
        if let Some(r) = self.rules_cache.pinned.borrow().get(hash) {
            return Ok(Some(Rc::clone(r)));
        }
        let rules = match self
            .rules_cache
            .current
            .get()
            .filter(|l| l.rules.hash == hash)
        {
            Some(l) => Rc::clone(&l.rules),
            None => {
                let Some(text) = text_of(hash)? else {
                    return Ok(None);
                };
                let short = &hash[..hash.len().min(12)];
                let rules = Rules::parse(&text, &format!("stored rules {short}"))?;
                // A text edited in the database no longer has the hash it is stored under.
                if rules.hash != hash {
                    return Ok(None);
                }
                Rc::new(rules)
            }
        };
        self.rules_cache
            .pinned
            .borrow_mut()
            .insert(hash.to_owned(), Rc::clone(&rules));
        Ok(Some(rules))
    }

    /// Who is acting (`--as`, `SITREP_USER`, else the OS user), held to the rules of one-line
    /// text: a writing command asks for it before anything else, so a bad name is refused
    /// before anything is typed or recorded.
    pub fn actor(&self) -> Result<String> {
        crate::domain::text::clean_line("--as", &self.user)
            .map_err(|m| crate::error::refuse(m).context(msg!(
                "who is acting (--as or SITREP_USER) is not a usable name: give a name such as --as 值班员王磊",
                "操作人（--as 或 SITREP_USER）不是可用的姓名：请给出姓名，例如 --as 值班员王磊"
            )))
    }

    /// How tables are laid out on this output.
    pub fn layout(&self) -> crate::render::table::Layout {
        crate::render::table::Layout {
            width: self.width,
            tty: self.stdout_tty,
            color: self.color,
        }
    }

    /// The output format, checked against what the command writes.
    pub fn format(&self, allowed: &[Format]) -> Result<Format> {
        let f = self.format.unwrap_or(Format::Table);
        if allowed.contains(&f) {
            return Ok(f);
        }
        let name = f.as_str();
        let list = allowed
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Err(usage(msg!(
            "this command does not write --format {name}; it writes: {list}",
            "此命令不支持 --format {name}；可用：{list}"
        )))
    }
}
