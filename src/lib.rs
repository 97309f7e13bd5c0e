//! sitrep: incident information reporting (信息报送) with deadline discipline.
//!
//! [`run`] is the only function that reads the process: arguments, environment, clock,
//! terminal. It builds a [`context::Ctx`], dispatches to `commands`, and turns the outcome into
//! an exit code. See ARCHITECTURE.md for where each concern lives.

pub mod audit;
pub mod check;
pub mod cli;
pub mod commands;
pub mod context;
pub mod damage;
pub mod digest;
pub mod domain;
pub mod engine;
pub mod error;
pub mod files;
pub mod fuzzing;
pub mod i18n;
pub mod render;
pub mod rules;
pub mod sha;
pub mod stdout;
pub mod store;
pub mod tz;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::cli::ColorChoice;
use crate::context::{Ctx, RulesCache, RulesSource};
use crate::error::{Exit, UsageError};
use crate::i18n::{DocumentLang, Lang, pick};

/// What sitrep runs with, read from the process by `main` (or made up by a test): the one
/// place anything comes from outside.
pub struct Process {
    pub args: Vec<OsString>,
    /// The environment's variables.
    pub env: std::collections::HashMap<String, String>,
    /// The system clock (`SITREP_NOW` in `env` replaces it).
    pub clock: fn() -> DateTime<Utc>,
    /// Which of stdin, stdout and stderr are terminals.
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    /// Where drafts go when the data directory cannot be written.
    pub temp_dir: PathBuf,
    /// The current directory's `reporting-rules.toml`, if there is one.
    pub local_rules: Option<PathBuf>,
}

impl Process {
    /// The process this program runs in.
    pub fn current(clock: fn() -> DateTime<Utc>) -> Process {
        let local = PathBuf::from("reporting-rules.toml");
        Process {
            args: std::env::args_os().collect(),
            env: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            clock,
            stdin_tty: std::io::stdin().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
            temp_dir: std::env::temp_dir(),
            local_rules: local.is_file().then_some(local),
        }
    }
}

/// Runs sitrep; returns the exit code. Nothing below reads the process: it is all in `p`.
pub fn run(p: Process) -> i32 {
    let argv = p.args.clone();
    let env = |k: &str| p.env.get(k).filter(|v| !v.is_empty()).cloned();
    let locale = env("LC_ALL")
        .or_else(|| env("LC_MESSAGES"))
        .or_else(|| env("LANG"));
    let env_lang = Lang::from_locale(locale.as_deref());
    // `--lang` wherever it stands decides the language of the help and of usage errors too.
    i18n::set_lang(cli::lang_in(&argv).unwrap_or(env_lang));

    let cli = match cli::parse(&argv, i18n::lang()) {
        Ok(c) => c,
        // Help and version went to stdout (0), usage errors to stderr (2).
        Err(exit) => return exit as i32,
    };
    let g = &cli.global;
    let lang = g.lang.unwrap_or(env_lang);
    i18n::set_lang(lang);

    let (now, simulated) = match env("SITREP_NOW") {
        Some(v) => match DateTime::parse_from_rfc3339(&v) {
            Ok(t) if crate::domain::when::in_range(&v, t.to_utc()).is_ok() => {
                (tz::whole_seconds(t.to_utc()), true)
            }
            _ => {
                report_error(&anyhow::Error::new(msg!(
                    "SITREP_NOW is `{v}`, not an RFC 3339 time between 1970 and 2100: set it like 2026-03-10T14:05:00+08:00, or unset it to use the system clock",
                    "SITREP_NOW 为“{v}”，不是 1970 至 2100 年间的 RFC 3339 时间：应设为 2026-03-10T14:05:00+08:00 这样的格式，或取消设置以使用系统时钟"
                )));
                return Exit::Failure as i32;
            }
        },
        None => (tz::whole_seconds((p.clock)()), false),
    };
    let clock = if simulated {
        context::Clock::Fixed(now)
    } else {
        context::Clock::System(p.clock)
    };

    let data_dir = data_dir(&env);
    // A shared store's connection is read with the `PG*` variables, as libpq reads them.
    let pg_env = store::pg::conninfo::PgEnv::from_env(&p.env, env("HOME").map(PathBuf::from));
    let db =
        g.db.as_deref()
            .map(|text| store::Location::parse(text, &pg_env))
            .unwrap_or_else(|| store::Location::File(data_dir.join("sitrep.db")));
    let rules_source = match (&g.rules, &p.local_rules) {
        (Some(path), _) => RulesSource::File(path.clone()),
        (None, Some(local)) => RulesSource::File(local.clone()),
        (None, None) => RulesSource::Builtin,
    };
    let os_user = crate::domain::text::escape_os_user(
        &env("USER")
            .or_else(|| env("LOGNAME"))
            .or_else(|| env("USERNAME"))
            .unwrap_or_default(),
    );
    let stdout_tty = p.stdout_tty;
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_tty && env("NO_COLOR").is_none(),
    };
    let width = env("COLUMNS").and_then(|c| c.trim().parse::<u16>().ok());

    let kept_argv = kept_argv(&argv);
    let ctx = Ctx {
        now,
        clock,
        simulated,
        db,
        rules_source,
        // An empty SITREP_USER is no name and falls back; an empty `--as` is refused.
        user: g
            .user
            .clone()
            .or_else(|| env("SITREP_USER"))
            .unwrap_or_else(|| os_user.clone()),
        user_given: g.user.is_some() || env("SITREP_USER").is_some(),
        os_user,
        format: g.format,
        lang,
        // A document's language is not the UI's: without --lang and a locale naming one, the
        // rules' own (`LANG=C` on a server must not make a Chinese report English).
        document_lang: DocumentLang::decide(g.lang, locale.as_deref()),
        color,
        interactive: !g.no_input && p.stdin_tty,
        width,
        stdout_tty,
        stderr_tty: p.stderr_tty,
        drafts_dir: data_dir.join("drafts"),
        temp_dir: p.temp_dir.clone(),
        argv: kept_argv,
        editor: env("VISUAL").or_else(|| env("EDITOR")),
        rules_cache: RulesCache::default(),
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(crate::stdout::Stdout(stdout.lock()));
    let result = commands::dispatch(&ctx, cli.command, &mut out).and_then(|exit| {
        out.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => exit as i32,
        Err(e) if crate::stdout::closed(&e) => 0,
        Err(e) => {
            let _ = out.flush();
            report_error(&e);
            if e.chain().any(|c| c.is::<UsageError>()) {
                Exit::Usage as i32
            } else {
                Exit::Failure as i32
            }
        }
    }
}

/// The platform data directory for sitrep: `$XDG_DATA_HOME/sitrep`, else
/// `~/.local/share/sitrep` (the XDG rule etcetera follows on Linux), from the given environment.
fn data_dir(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let base = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("sitrep")
}

/// The command line as a draft keeps it: a `--db` connection string without its password (see
/// [`store::pg::conninfo::without_password`]), everything else as typed, and all of it after
/// `--` (values there are not flags).
fn kept_argv(argv: &[std::ffi::OsString]) -> Vec<String> {
    let kept = |db: &str| {
        if store::pg::conninfo::is_conninfo(db) {
            // One that does not read has no password sitrep could find either; say nothing of it.
            store::pg::conninfo::without_password(db).unwrap_or_else(|| "postgresql://…".to_owned())
        } else {
            db.to_owned()
        }
    };
    let mut out = Vec::with_capacity(argv.len());
    let (mut next_is_db, mut rest) = (false, false);
    for a in argv.iter().map(|a| a.to_string_lossy().into_owned()) {
        if rest {
            out.push(a);
        } else if std::mem::take(&mut next_is_db) {
            out.push(kept(&a));
        } else if a == "--" {
            rest = true;
            out.push(a);
        } else if a == "--db" {
            next_is_db = true;
            out.push(a);
        } else if let Some(db) = a.strip_prefix("--db=") {
            out.push(format!("--db={}", kept(db)));
        } else {
            out.push(a);
        }
    }
    out
}

/// Prints an error: one line saying what and what to do, then its causes. Never a backtrace.
fn report_error(e: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    let mut chain = e.chain();
    if let Some(top) = chain.next() {
        let _ = writeln!(err, "{}{top}", pick("error: ", "错误："));
    }
    for cause in chain {
        // Causes from the system and SQLite speak English; in Chinese they are said in Chinese
        // where they are known, and shown as they are otherwise.
        let text = match i18n::lang() {
            Lang::Zh => error::cause_zh(cause).unwrap_or_else(|| cause.to_string()),
            Lang::En => cause.to_string(),
        };
        let _ = writeln!(err, "{}{text}", pick("Caused by: ", "原因："));
    }
}
