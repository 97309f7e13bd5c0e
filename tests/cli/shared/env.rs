//! A test store on the throwaway cluster: made by its owner (`init --test-clock`), with office
//! `t` (and more where a test adds them), and the officer `值班员张三` — the name every `TestEnv`
//! acts as — granted it, so the command-line tests run unchanged against it.

use std::path::Path;

use crate::env::{Run, TestEnv};
use crate::pg::cluster::{Cluster, cluster};

/// The login every `TestEnv` acts as (`SITREP_USER`).
pub const OFFICER: &str = "值班员张三";

pub struct Shared {
    pub env: TestEnv,
    pub cluster: &'static Cluster,
    pub db: String,
}

impl Shared {
    /// A test store with office `t` under `rules` (the built-in rules without), its officer
    /// granted; `None` where no cluster can be had (the test is skipped, or fails under CI).
    pub fn new(rules: Option<&Path>) -> Option<Shared> {
        let cluster = cluster()?;
        let db = cluster.fresh_db();
        let mut env = TestEnv::new();
        env.db_arg = Some(cluster.url(&db, OFFICER));
        let s = Shared { env, cluster, db };
        s.owner_ok(&["init", "--test-clock"]);
        let rules = rules.map(|p| p.display().to_string());
        let mut add = vec!["office", "add", "t", "--name", "测试单位"];
        if let Some(r) = &rules {
            add.extend(["--rules-file", r.as_str()]);
        }
        s.owner_ok(&add);
        s.grant("t", OFFICER, false);
        Some(s)
    }

    /// The connection string for `login`.
    pub fn url(&self, login: &str) -> String {
        self.cluster.url(&self.db, login)
    }

    /// Runs sitrep as `login` (acting as that name).
    pub fn run_as(&self, login: &str, args: &[&str]) -> Run {
        let mut c = self.env.std_cmd(args);
        c.env("SITREP_DB", self.url(login))
            .env("SITREP_USER", login);
        let o = c.output().expect("runs");
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs as `login`, asserting success; returns stdout.
    pub fn ok_as(&self, login: &str, args: &[&str]) -> String {
        let r = self.run_as(login, args);
        assert_eq!(
            r.code, 0,
            "sitrep {args:?} as {login}\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    /// Runs as the store's owner (the cluster's superuser), asserting success.
    pub fn owner_ok(&self, args: &[&str]) -> String {
        let owner = self.cluster.superuser().to_owned();
        let mut c = self.env.std_cmd(args);
        c.env("SITREP_DB", self.url(&owner))
            .env_remove("SITREP_USER");
        let o = c.output().expect("runs");
        assert!(
            o.status.success(),
            "sitrep {args:?} as the owner\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Adds an office (as the owner).
    pub fn add_office(&self, code: &str, name: &str, parent: Option<&str>) {
        let mut args = vec!["office", "add", code, "--name", name];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        self.owner_ok(&args);
    }

    /// Makes `login` and grants it an office's role (as the owner).
    pub fn grant(&self, office: &str, login: &str, supervisor: bool) {
        self.cluster.create_login(login);
        let mut args = vec!["office", "grant", office, login];
        if supervisor {
            args.push("--supervisor");
        }
        self.owner_ok(&args);
    }

    /// Raw SQL through `login`'s own role (what `psql` with that login can do).
    pub fn psql(&self, login: &str, sql: &str) -> std::process::Output {
        self.cluster.psql(&self.db, login, sql)
    }
}
