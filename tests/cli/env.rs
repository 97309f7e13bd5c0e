//! `TestEnv`: a temporary home and database, a pinned clock, a cleared environment.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct TestEnv {
    pub dir: TempDir,
    pub db: PathBuf,
    /// What `SITREP_DB` is when not the file `db`: a shared store's connection string.
    pub db_arg: Option<String>,
    /// The shared store this environment runs on, under [`on_postgresql`].
    pub shared: Option<SharedDb>,
    now: String,
    lang: String,
    extra: Vec<(String, String)>,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("sitrep.db");
        let mut env = TestEnv {
            dir,
            db,
            db_arg: None,
            shared: None,
            now: "2026-03-10T14:20:00+08:00".to_owned(),
            lang: "C".to_owned(),
            extra: Vec::new(),
        };
        if ON_POSTGRESQL.with(Cell::get) {
            env.make_shared();
        }
        env
    }

    /// Points this environment at a new test store on the throwaway cluster: made by its
    /// owner (`init --test-clock`), office `t` under the built-in rules, and the name the tests
    /// act as (`SITREP_USER`) a login granted it.
    fn make_shared(&mut self) {
        let cluster = crate::pg::cluster::cluster().expect("checked by on_postgresql");
        let db = cluster.fresh_db();
        cluster.create_login(ACTOR);
        self.db_arg = Some(cluster.url(&db, ACTOR));
        self.shared = Some(SharedDb {
            cluster,
            db,
            granted: Default::default(),
        });
        self.owner_ok(&["init", "--test-clock"]);
        self.owner_ok(&["office", "add", "t", "--name", "测试单位"]);
    }

    /// Runs as the shared store's owner, asserting success.
    pub fn owner_ok(&self, args: &[&str]) -> String {
        let s = self.shared.as_ref().expect("a shared store");
        let url = s.cluster.url(&s.db, s.cluster.superuser());
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
        c.env_clear()
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("SITREP_DB", url)
            .env("LANG", "C")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(args);
        let o = c.output().expect("runs");
        assert!(
            o.status.success(),
            "sitrep {args:?} as the owner\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Sets the pinned clock (RFC 3339).
    pub fn at(&mut self, now: &str) -> &mut TestEnv {
        self.now = now.to_owned();
        self
    }

    pub fn lang(&mut self, lang: &str) -> &mut TestEnv {
        self.lang = lang.to_owned();
        self
    }

    pub fn env(&mut self, k: &str, v: &str) -> &mut TestEnv {
        // On a shared store an office files under the rules the store holds for it.
        if k == "SITREP_RULES" && self.shared.is_some() {
            self.owner_ok(&["office", "rules", "t", v]);
            return self;
        }
        self.extra.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The command with a cleared environment: no backtraces, a pinned clock, no colour, a
    /// known width, home and data directory inside the temp dir.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.std_cmd(args))
    }

    /// The same, as a plain process builder (to spawn with pipes). On a shared store the ids
    /// given get the office's code (`t-20260310-001`), and the name acting (`--as`, else
    /// `SITREP_USER`) is the login, made and granted office `t` on first use.
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let shared_args: Vec<String>;
        let owned: Vec<String>;
        let args: Vec<&str> = match &self.shared {
            None => args.to_vec(),
            Some(s) => {
                shared_args = args.iter().map(|a| in_office(a)).collect();
                let mut shared_args = shared_args;
                // Incidents are brought into an office by the store's owner.
                if args.contains(&"import") && !args.contains(&"--office") {
                    shared_args.extend(["--office".to_owned(), "t".to_owned()]);
                }
                let login = self.login(args);
                if login != s.cluster.superuser()
                    && s.granted
                        .lock()
                        .expect("not poisoned")
                        .insert(login.clone())
                {
                    s.cluster.create_login(&login);
                    self.owner_ok(&["office", "grant", "t", &login]);
                }
                owned = shared_args;
                owned.iter().map(String::as_str).collect()
            }
        };
        let args = args.as_slice();
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
        c.env_clear()
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env(
                "SITREP_DB",
                self.db_arg
                    .clone()
                    .unwrap_or_else(|| self.db.display().to_string()),
            )
            .env("SITREP_NOW", &self.now)
            .env("SITREP_USER", ACTOR)
            .env("USER", "duty")
            .env("LANG", &self.lang)
            .env("COLUMNS", "200")
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(args);
        for (k, v) in &self.extra {
            c.env(k, v);
        }
        if let Some(s) = &self.shared {
            c.env("SITREP_DB", s.cluster.url(&s.db, &self.login(args)));
        }
        c
    }

    /// Who acts in `args`: `--as`, else `SITREP_USER`, else [`ACTOR`]; the owner imports.
    fn login(&self, args: &[&str]) -> String {
        if let Some(s) = &self.shared
            && args.contains(&"import")
        {
            return s.cluster.superuser().to_owned();
        }
        args.iter()
            .position(|a| *a == "--as")
            .and_then(|i| args.get(i + 1))
            .map(|a| (*a).to_owned())
            .or_else(|| {
                self.extra
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "SITREP_USER")
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_else(|| ACTOR.to_owned())
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut r = Run::from(self.cmd(args).output().expect("runs"));
        if self.shared.is_some() {
            // What a shared store says that a file does not, so the same assertions hold.
            r.stdout = plain_ids(&r.stdout)
                .lines()
                .filter(|l| !matches!(l.trim(), "\"office\": \"t\"," | "\"office\": \"t\""))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .replace("\"office\":\"t\",", "");
            if !r.stdout.is_empty() && !r.stdout.ends_with('\n') {
                r.stdout.pop();
            }
            r.stderr = plain_ids(&r.stderr)
                .lines()
                .filter(|l| {
                    !l.starts_with("note: this shared store is a test store")
                        && !l.starts_with("注意：此共享库为测试库")
                })
                .map(|l| format!("{l}\n"))
                .collect();
        }
        r
    }

    /// Runs and asserts exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "sitrep {args:?}\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    /// Runs with `--format json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        let r = self.run(&all);
        let mut v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
            panic!(
                "sitrep {all:?}: not JSON ({e})\nstdout:\n{}\nstderr:\n{}",
                r.stdout, r.stderr
            )
        });
        if self.shared.is_some() {
            as_a_file_says(&mut v);
        }
        (r.code, v)
    }

    /// Files the standard test incident (known 14:10, filed at the pinned clock); `over` replaces
    /// or adds flags. Returns its id.
    pub fn file(&self, over: &[&str]) -> String {
        let args = file_args(over);
        let out = self.ok(&args);
        out.lines().next().expect("an id line").to_owned()
    }

    /// The chain head `verify` prints.
    pub fn head(&self) -> String {
        let out = self.ok(&["verify"]);
        out.lines()
            .find_map(|l| l.split_once("head: ").map(|(_, h)| h))
            .expect("verify prints the head")
            .to_owned()
    }

    /// How many entries the store holds (read directly with SQLite, or as the owner).
    pub fn entry_count(&self) -> i64 {
        self.count("entries")
    }

    pub fn incident_count(&self) -> i64 {
        self.count("incidents")
    }

    fn count(&self, table: &str) -> i64 {
        match &self.shared {
            None => count(&self.db, &format!("SELECT COUNT(*) FROM {table}")),
            Some(s) => s
                .cluster
                .psql_ok(
                    &s.db,
                    s.cluster.superuser(),
                    &format!("SELECT count(*) FROM sitrep.{table}"),
                )
                .trim()
                .parse()
                .expect("a count"),
        }
    }
}

/// The name every `TestEnv` acts as (`SITREP_USER`), and on a shared store the login.
pub const ACTOR: &str = "值班员张三";

/// The shared store an environment runs on.
pub struct SharedDb {
    pub cluster: &'static crate::pg::cluster::Cluster,
    pub db: String,
    /// The logins granted office `t` so far.
    pub granted: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// A shared store's JSON as a file's says it: no `office`, one chain head (office `t`'s), no
/// per-office chains or test mark.
fn as_a_file_says(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("office");
            m.remove("chains");
            m.remove("test_store");
            if let Some(Value::Object(heads)) = m.get("chain_head")
                && let Some(h) = heads.get("t").cloned()
            {
                m.insert("chain_head".to_owned(), h);
            }
            m.values_mut().for_each(as_a_file_says);
        }
        Value::Array(a) => a.iter_mut().for_each(as_a_file_says),
        _ => {}
    }
}

/// Whether `text` is a file's incident id (`20260310-001`).
fn is_plain_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 12
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// An id as office `t` has it on a shared store; anything else as it is.
fn in_office(arg: &str) -> String {
    if is_plain_id(arg) {
        format!("t-{arg}")
    } else {
        arg.to_owned()
    }
}

/// `text` with office `t`'s ids as a file has them.
fn plain_ids(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while let Some(k) = text[i..].find("t-") {
        let at = i + k;
        let before = text[..at].chars().last();
        let id = &text[at + 2..];
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') && is_id_start(id) {
            out.push_str(&text[last..at]);
            last = at + 2;
        }
        i = at + 2;
        if i >= b.len() {
            break;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Whether `text` starts with an id's date and number (`20260310-0…`).
fn is_id_start(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10 && b[..8].iter().all(u8::is_ascii_digit) && b[8] == b'-' && b[9].is_ascii_digit()
}

thread_local! {
    static ON_POSTGRESQL: Cell<bool> = const { Cell::new(false) };
}

/// Runs a command-line test unchanged on a shared PostgreSQL store: every `TestEnv` it makes is
/// a test store of its own (see `TestEnv::make_shared`). Skipped (a failure under `SITREP_CI`)
/// where no cluster can be had.
pub fn on_postgresql(name: &str, test: fn()) {
    if crate::pg::cluster::cluster().is_none() {
        return;
    }
    ON_POSTGRESQL.with(|c| c.set(true));
    let outcome = std::panic::catch_unwind(test);
    ON_POSTGRESQL.with(|c| c.set(false));
    if let Err(e) = outcome {
        let why = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panic!("{name} on a shared PostgreSQL store: {why}");
    }
}

pub fn count(db: &Path, sql: &str) -> i64 {
    if !db.exists() {
        return 0;
    }
    let c = rusqlite::Connection::open(db).expect("opens");
    c.query_row(sql, [], |r| r.get(0)).expect("counts")
}

/// `file` with the standard test incident's flags; `over` holds flag-value pairs that replace or
/// add to them, and lone flags: a lone standard flag is left out (`--measures` files without
/// measures), any other lone flag is added.
pub fn file_args<'a>(over: &[&'a str]) -> Vec<&'a str> {
    let mut base: Vec<(&str, Option<&str>)> = vec![
        ("--title", Some("化工厂储罐泄漏")),
        ("--kind", Some("hazardous_chemicals")),
        ("--occurred", Some("14:05")),
        ("--known", Some("14:10")),
        ("--location", Some("开发区化工园")),
        ("--unit", Some("区应急管理局")),
        ("--facts", Some("2号储罐阀门泄漏")),
        ("--measures", Some("疏散周边群众")),
    ];
    let mut i = 0;
    while i < over.len() {
        let flag = over[i];
        let value = over.get(i + 1).copied().filter(|v| !v.starts_with("--"));
        i += if value.is_some() { 2 } else { 1 };
        match (base.iter().position(|(f, _)| *f == flag), value) {
            (Some(i), Some(v)) => base[i].1 = Some(v),
            (Some(i), None) => {
                base.remove(i);
            }
            (None, v) => base.push((flag, v)),
        }
    }
    let mut args = vec!["file"];
    for (f, v) in base {
        args.push(f);
        args.extend(v);
    }
    args
}

/// The permission bits of a file (the tests run where sitrep runs: Unix).
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A test that cannot run here says so and returns; under `SITREP_CI` (set by `.ci/run`) it
/// fails instead, so CI never passes a test that proved nothing.
pub fn skip(reason: &str) {
    if std::env::var_os("SITREP_CI").is_some() {
        panic!("required under SITREP_CI, but: {reason}");
    }
    println!("skipped: {reason}");
}

/// A small tmpfs mounted for one test, unmounted when dropped. `None` (with the reason printed)
/// where mounting is not allowed, e.g. without root.
pub struct Mount(pub PathBuf);

impl Mount {
    pub fn new(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).ok()?;
        let out = Process::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .ok()?;
        if out.status.success() {
            Some(Mount(dir.to_owned()))
        } else {
            skip(&format!(
                "cannot mount a tmpfs here ({}); run as root to test a full or read-only disk",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
    }

    pub fn read_only(&self) -> bool {
        Process::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.0).status();
    }
}

/// The draft a failed command printed, read back.
pub fn draft_of(stderr: &str) -> String {
    let path = stderr
        .split("what you typed is saved in ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("no draft path in: {stderr}"));
    let text = std::fs::read_to_string(path.trim()).expect("the draft exists");
    assert_eq!(mode(Path::new(path.trim())), 0o600, "a draft is private");
    text
}
