//! `TestEnv`: a temporary home and database, a pinned clock, a cleared environment.

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
        TestEnv {
            dir,
            db,
            db_arg: None,
            now: "2026-03-10T14:20:00+08:00".to_owned(),
            lang: "C".to_owned(),
            extra: Vec::new(),
        }
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

    /// The same, as a plain process builder (to spawn with pipes).
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
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
            .env("SITREP_USER", "值班员张三")
            .env("USER", "duty")
            .env("LANG", &self.lang)
            .env("COLUMNS", "200")
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(args);
        for (k, v) in &self.extra {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("runs"))
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
        let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
            panic!(
                "sitrep {all:?}: not JSON ({e})\nstdout:\n{}\nstderr:\n{}",
                r.stdout, r.stderr
            )
        });
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
            .find_map(|l| l.strip_prefix("head: "))
            .expect("verify prints the head")
            .to_owned()
    }

    /// How many entries the database holds (read directly with SQLite).
    pub fn entry_count(&self) -> i64 {
        count(&self.db, "SELECT COUNT(*) FROM entries")
    }

    pub fn incident_count(&self) -> i64 {
        count(&self.db, "SELECT COUNT(*) FROM incidents")
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
