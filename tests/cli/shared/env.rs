//! A shared store of several offices on the throwaway cluster, for the tests of who may do
//! what: made by its owner (the cluster's superuser), a test store (`init --test-clock`, the
//! pinned clock of `TestEnv`) or a real one (the server's clock, no `SITREP_NOW`), with logins
//! made and granted as a test asks. Ids are given in full (`ca-20260310-001`): nothing is
//! rewritten as `TestEnv::on_postgresql` does.

use std::process::Output;

use serde_json::Value;

use crate::env::{Run, TestEnv};
use crate::pg::cluster::{Cluster, cluster};

/// The officer of county `ca` in [`Shared::staffed_city`].
pub const COUNTY_A: &str = "甲县值班员";
/// The officer of county `cb`.
pub const COUNTY_B: &str = "乙县值班员";
/// The city's supervisor (`cs`, and so both counties).
pub const CITY_SUPERVISOR: &str = "市值班长";

pub struct Shared<'c> {
    pub env: TestEnv,
    pub cluster: &'c Cluster,
    pub db: String,
    /// Whether the store was made with `init --test-clock` (commands then run at the pinned
    /// clock of `env`; on a real store they run without `SITREP_NOW`).
    pub test_clock: bool,
}

impl Shared<'static> {
    /// A test store with no office yet; `None` where no cluster can be had (the test is then
    /// skipped, or fails under CI).
    pub fn test_store() -> Option<Shared<'static>> {
        Some(Shared::on(cluster()?, true))
    }

    /// A store on the server's clock, as a city would run one.
    pub fn real_store() -> Option<Shared<'static>> {
        Some(Shared::on(cluster()?, false))
    }

    /// The city `cs` and its counties `ca` and `cb`.
    pub fn city() -> Option<Shared<'static>> {
        let s = Shared::test_store()?;
        s.add_office("cs", "市委市政府总值班室", None);
        s.add_office("ca", "甲县总值班室", Some("cs"));
        s.add_office("cb", "乙县总值班室", Some("cs"));
        Some(s)
    }

    /// The city with its people: [`COUNTY_A`]'s and [`COUNTY_B`]'s officers and the city's
    /// supervisor, [`CITY_SUPERVISOR`].
    pub fn staffed_city() -> Option<Shared<'static>> {
        let s = Shared::city()?;
        s.grant("ca", COUNTY_A, false);
        s.grant("cb", COUNTY_B, false);
        s.grant("cs", CITY_SUPERVISOR, true);
        Some(s)
    }
}

impl<'c> Shared<'c> {
    /// A new store on `cluster` (a test store where `test_clock`).
    pub fn on(cluster: &'c Cluster, test_clock: bool) -> Shared<'c> {
        let db = cluster.fresh_db();
        let s = Shared {
            env: TestEnv::new(),
            cluster,
            db,
            test_clock,
        };
        let mut init = vec!["init"];
        if test_clock {
            init.push("--test-clock");
        }
        s.owner_ok(&init);
        s
    }

    /// The connection string for `login`.
    pub fn url(&self, login: &str) -> String {
        self.cluster.url(&self.db, login)
    }

    /// Runs sitrep as `login`, acting as that name.
    pub fn run_as(&self, login: &str, args: &[&str]) -> Run {
        let mut c = self.env.std_cmd(args);
        c.env("SITREP_DB", self.url(login))
            .env("SITREP_USER", login);
        if !self.test_clock {
            c.env_remove("SITREP_NOW");
        }
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

    /// `--format json` as `login`: the exit code and the document.
    pub fn json_as(&self, login: &str, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let r = self.run_as(login, &all);
        let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
            panic!(
                "sitrep {all:?} as {login}: not JSON ({e})\nstdout:\n{}\nstderr:\n{}",
                r.stdout, r.stderr
            )
        });
        (r.code, v)
    }

    /// The store's owner (the cluster's superuser).
    pub fn owner(&self) -> &str {
        self.cluster.superuser()
    }

    /// Runs as the owner, asserting success.
    pub fn owner_ok(&self, args: &[&str]) -> String {
        let owner = self.owner().to_owned();
        self.ok_as(&owner, args)
    }

    /// Adds an office (as the owner).
    pub fn add_office(&self, code: &str, name: &str, parent: Option<&str>) {
        let mut args = vec!["office", "add", code, "--name", name];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        self.owner_ok(&args);
    }

    /// Makes `login` and grants it an office's officer or supervisor role (as the owner).
    pub fn grant(&self, office: &str, login: &str, supervisor: bool) {
        self.cluster.create_login(login);
        let mut args = vec!["office", "grant", office, login];
        if supervisor {
            args.push("--supervisor");
        }
        self.owner_ok(&args);
    }

    /// Files the standard test incident as `login`; returns its id. On a real store the times
    /// are given as minutes before the server's clock (the pinned clock is not used there).
    pub fn file_as(&self, login: &str, over: &[&str]) -> String {
        let (occurred, known) = if self.test_clock {
            ("14:05".to_owned(), "14:10".to_owned())
        } else {
            (minutes_ago(15), minutes_ago(10))
        };
        let mut all = over.to_vec();
        all.extend(["--occurred", &occurred, "--known", &known]);
        let args = crate::env::file_args(&all);
        let out = self.ok_as(login, &args);
        out.lines().next().expect("an id line").to_owned()
    }

    /// Raw SQL through `login`'s own role: what `psql` with that login can do.
    pub fn psql(&self, login: &str, sql: &str) -> Output {
        self.cluster.psql(&self.db, login, sql)
    }

    /// Raw SQL as the owner, asserting success; returns what it printed, trimmed.
    pub fn owner_sql(&self, sql: &str) -> String {
        self.cluster
            .psql_ok(&self.db, self.owner(), sql)
            .trim()
            .to_owned()
    }

    /// Raw SQL as `login`, asserting that PostgreSQL refuses it; returns its message.
    pub fn refused_sql(&self, login: &str, sql: &str) -> String {
        let out = self.psql(login, sql);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            !out.status.success(),
            "{login} may not run {sql}, but it ran:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        err
    }

    /// Entry `n` of `incident` as the owner reads it, with its incident's current row as the
    /// projection: the makings of an INSERT a test then alters.
    pub fn entry(&self, incident: &str, n: i64) -> Entry {
        let text = self.owner_sql(&format!(
            "SELECT json_build_object('e', row_to_json(e), 'i', row_to_json(i)) \
             FROM sitrep.entries e JOIN sitrep.incidents i ON i.id = e.incident \
             WHERE e.incident = {} AND e.n = {n}",
            crate::pg::cluster::literal(incident)
        ));
        let v: Value = serde_json::from_str(&text).expect("a row");
        let e = &v["e"];
        let s = |k: &str| e[k].as_str().expect(k).to_owned();
        Entry {
            office: s("office"),
            seq: e["seq"].as_i64().expect("seq"),
            incident: s("incident"),
            n: e["n"].as_i64().expect("n"),
            entry_type: s("type"),
            at: e["at"].as_i64().expect("at"),
            recorded: e["recorded"].as_i64().expect("recorded"),
            by: s("by"),
            os_user: s("os_user"),
            imported: e["imported"].as_bool().expect("imported"),
            simulated: e["simulated"].as_bool().expect("simulated"),
            body: s("body"),
            prev: s("prev"),
            hash: s("hash"),
            projection: v["i"].to_string(),
        }
    }
}

/// A row of `sitrep.entries` as a client would send it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub office: String,
    pub seq: i64,
    pub incident: String,
    pub n: i64,
    pub entry_type: String,
    pub at: i64,
    pub recorded: i64,
    pub by: String,
    pub os_user: String,
    pub imported: bool,
    pub simulated: bool,
    pub body: String,
    pub prev: String,
    pub hash: String,
    pub projection: String,
}

impl Entry {
    /// The INSERT that sends this row.
    pub fn insert(&self) -> String {
        use crate::pg::cluster::literal as l;
        format!(
            "INSERT INTO sitrep.entries (office, seq, incident, n, type, at, recorded, \"by\", \
             os_user, imported, simulated, body, prev, hash, projection) VALUES \
             ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
            l(&self.office),
            self.seq,
            l(&self.incident),
            self.n,
            l(&self.entry_type),
            self.at,
            self.recorded,
            l(&self.by),
            l(&self.os_user),
            self.imported,
            self.simulated,
            l(&self.body),
            l(&self.prev),
            l(&self.hash),
            l(&self.projection),
        )
    }
}

/// This machine's clock, which the cluster's server shares: what a real store records.
#[allow(clippy::disallowed_methods)] // a test of a real store compares with the server's clock
pub fn wall_clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// A local time (`YYYY-MM-DD HH:MM` in the built-in rules' zone, UTC+8) `m` minutes ago.
pub fn minutes_ago(m: i64) -> String {
    let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    (wall_clock() - chrono::Duration::minutes(m))
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
