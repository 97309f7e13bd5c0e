//! A throwaway PostgreSQL cluster for the command-line tests.
//!
//! [`cluster`] starts one per test process, the first time a test asks, from Debian's programs
//! (`/usr/lib/postgresql/*/bin`, else `initdb` on `PATH`): a temporary data directory, `trust`
//! on a Unix socket in a temporary directory, no TCP, `fsync=off` with `synchronous_commit` on
//! (fast, and an acknowledged commit is still a commit as far as the server knows). As root,
//! `initdb` and `postgres` run as the `postgres` user (`runuser`), which owns the temporary
//! directory. With `SITREP_TEST_PG` set (a connection string to a server where the tests may
//! create databases and roles, holding its password if it needs one: sitrep runs with a cleared
//! environment) that server is used instead; the databases made there are left behind
//! (`sitrep_t<pid>_<n>`). Where neither works, the test says
//! why and is skipped (`env::skip`: a failure under `SITREP_CI`).
//!
//! Rules:
//! - No cluster outlives the test process: a watchdog (`sh`, in its own process group so a
//!   terminal's Ctrl-C does not take it first) polls the test process and, once it is gone —
//!   finished, panicked or killed — stops the server (`pg_ctl stop -m immediate`) and removes
//!   the temporary directory. Nothing relies on `Drop` of a static or on atexit.
//! - Tests share the cluster, so each takes its own database ([`Cluster::fresh_db`]); roles are
//!   cluster-wide, so [`Cluster::create_login`] is idempotent.
//! - Fault tests (`kill9`, `restart`) run only on [`fault_cluster`]: a second cluster with
//!   `fsync=on`, handed to one test at a time, so killing it disturbs no other test.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The password of roles [`Cluster::create_login`] makes on a `SITREP_TEST_PG` server (whose
/// `pg_hba.conf` may ask for one); the harness's own clusters trust their socket.
pub const EXTERNAL_PASSWORD: &str = "sitrep-test-password";

/// The shared cluster, started on first use; `None` (after `env::skip`) where none can be had.
pub fn cluster() -> Option<&'static Cluster> {
    static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
    let got = SHARED.get_or_init(|| match std::env::var("SITREP_TEST_PG") {
        Ok(url) if !url.is_empty() => Cluster::external(&url),
        _ => Cluster::new(&Options {
            fsync: false,
            ..Options::default()
        }),
    });
    match got {
        Ok(c) => Some(c),
        Err(why) => {
            crate::env::skip(why);
            None
        }
    }
}

/// The cluster for fault tests (`kill9`, `restart`), always local, `fsync=on`, started on first
/// use and handed to one test at a time; it is running (restarted if a test left it down) when
/// handed out.
pub fn fault_cluster() -> Option<MutexGuard<'static, Cluster>> {
    static FAULT: OnceLock<Result<Mutex<Cluster>, String>> = OnceLock::new();
    let got = FAULT.get_or_init(|| {
        let mut c = Cluster::new(&Options {
            fsync: true,
            ..Options::default()
        })?;
        c.fault = true;
        Ok(Mutex::new(c))
    });
    match got {
        Ok(m) => {
            // A test that panicked holding it poisoned nothing that matters: the cluster is
            // checked and restarted below.
            let c = m.lock().unwrap_or_else(|e| e.into_inner());
            if !c.accepts() {
                c.restart();
            }
            Some(c)
        }
        Err(why) => {
            crate::env::skip(why);
            None
        }
    }
}

/// How a local cluster is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// `fsync=on` (a fault cluster) or off.
    pub fsync: bool,
    /// Also listen on `127.0.0.1` at a free port.
    pub tcp: bool,
    /// `max_connections`.
    pub max_connections: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            fsync: false,
            tcp: false,
            max_connections: 200,
        }
    }
}

/// A PostgreSQL server the tests may create databases and roles on.
#[derive(Debug)]
pub struct Cluster {
    local: Option<Local>,
    /// `SITREP_TEST_PG`, for a server the harness did not start.
    external: Option<String>,
    superuser: String,
    fault: bool,
    next_db: AtomicU32,
}

/// What the harness started.
#[derive(Debug)]
struct Local {
    bin: PathBuf,
    /// The temporary directory: `data/`, `socket/`, `log`, and whatever a test puts there.
    root: PathBuf,
    data: PathBuf,
    socket: PathBuf,
    port: AtomicU16,
    tcp: bool,
    /// Run `initdb`, `pg_ctl` and `postgres` as the `postgres` user (the tests run as root).
    as_postgres: bool,
}

impl Cluster {
    /// A new local cluster, started.
    pub fn new(opts: &Options) -> Result<Cluster, String> {
        let c = Cluster::create(opts)?;
        c.start()?;
        Ok(c)
    }

    /// A new local cluster, made (`initdb`) and configured but not started: a test may add
    /// files to [`Cluster::dir`], settings ([`Cluster::configure`]) and `pg_hba.conf` lines
    /// ([`Cluster::set_hba`]) before [`Cluster::start`].
    pub fn create(opts: &Options) -> Result<Cluster, String> {
        let bin = bin_dir().ok_or(
            "PostgreSQL's programs (initdb, pg_ctl) are not installed: install Debian's postgresql package, or set SITREP_TEST_PG to a server the tests may create databases and roles on",
        )?;
        let as_postgres = run(Command::new("id").arg("-u"))
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if as_postgres && run(Command::new("id").args(["-u", "postgres"])).is_err() {
            return Err(
                "the tests run as root, where initdb refuses to run, and there is no postgres user to run it as"
                    .to_owned(),
            );
        }
        // As root, under /tmp: the postgres user must reach it (a root-only TMPDIR may not).
        let base = if as_postgres {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let root = tempfile::Builder::new()
            .prefix("sitrep-pg-")
            .tempdir_in(&base)
            .map_err(|e| format!("no temporary directory in {}: {e}", base.display()))?
            .keep();
        let local = Local {
            data: root.join("data"),
            socket: root.join("socket"),
            root,
            bin,
            port: AtomicU16::new(5432),
            tcp: opts.tcp,
            as_postgres,
        };
        // From here on, the watchdog owns the directory: it goes when this process goes.
        local.watchdog()?;
        std::fs::create_dir(&local.socket).map_err(|e| format!("socket directory: {e}"))?;
        local.chown()?;
        let superuser = "postgres".to_owned();
        let mut init = local.pg("initdb");
        init.args([
            "--no-sync",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--username",
            &superuser,
            "-D",
        ]);
        run(init.arg(&local.data)).map_err(|e| format!("initdb failed: {e}"))?;
        let socket = local.socket.display().to_string();
        let fsync = if opts.fsync { "on" } else { "off" };
        let max = opts.max_connections;
        let listen = if opts.tcp { "127.0.0.1" } else { "" };
        let c = Cluster {
            local: Some(local),
            external: None,
            superuser,
            fault: false,
            next_db: AtomicU32::new(0),
        };
        c.configure(&format!(
            "\n# sitrep's test harness\n\
             listen_addresses = '{listen}'\n\
             unix_socket_directories = '{socket}'\n\
             fsync = {fsync}\n\
             synchronous_commit = on\n\
             max_connections = {max}\n\
             shared_buffers = 32MB\n\
             log_min_messages = warning\n"
        ));
        Ok(c)
    }

    /// The server `SITREP_TEST_PG` names, checked by connecting to it.
    fn external(url: &str) -> Result<Cluster, String> {
        let c = Cluster {
            local: None,
            external: Some(url.to_owned()),
            superuser: String::new(),
            fault: false,
            next_db: AtomicU32::new(0),
        };
        let who = c.psql_as(url, "SELECT current_user");
        if !who.status.success() {
            let e = String::from_utf8_lossy(&who.stderr);
            return Err(format!(
                "SITREP_TEST_PG is set, but psql cannot connect: {e}"
            ));
        }
        let superuser = String::from_utf8_lossy(&who.stdout).trim().to_owned();
        Ok(Cluster { superuser, ..c })
    }

    fn local(&self) -> &Local {
        self.local
            .as_ref()
            .expect("an operation on a cluster the harness started, not SITREP_TEST_PG")
    }

    /// Whether the harness started this cluster (not a `SITREP_TEST_PG` server).
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// The cluster's temporary directory (local clusters).
    pub fn dir(&self) -> &Path {
        &self.local().root
    }

    /// The directory of the server's Unix socket (local clusters).
    pub fn socket_dir(&self) -> &Path {
        &self.local().socket
    }

    /// The TCP port (also the number in the socket's name).
    pub fn port(&self) -> u16 {
        self.local().port.load(Ordering::Relaxed)
    }

    /// Appends settings to `postgresql.conf` (the last setting of a name wins).
    pub fn configure(&self, lines: &str) {
        let l = self.local();
        let path = l.data.join("postgresql.conf");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        writeln!(f, "{lines}").expect("writes postgresql.conf");
    }

    /// Replaces `pg_hba.conf`.
    pub fn set_hba(&self, text: &str) {
        let path = self.local().data.join("pg_hba.conf");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Starts the server (`pg_ctl start -w`) and waits until it accepts connections. With TCP,
    /// a port found taken is replaced by another free one.
    pub fn start(&self) -> Result<(), String> {
        let l = self.local();
        let mut last = String::new();
        for _ in 0..3 {
            if l.tcp {
                let port = free_port()?;
                l.port.store(port, Ordering::Relaxed);
                self.configure(&format!("port = {port}"));
            }
            l.chown()?;
            match l.pg_ctl_start() {
                Ok(()) if self.accepts() => return Ok(()),
                Ok(()) => last = "it started but does not accept connections".to_owned(),
                Err(e) => last = e,
            }
        }
        Err(format!(
            "the test cluster in {} did not start: {last}\n{}",
            l.root.display(),
            l.log_tail()
        ))
    }

    /// A new, empty database (`t<pid>_<n>`: unique in the cluster, even shared by processes).
    pub fn fresh_db(&self) -> String {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("sitrep_t{}_{n}", std::process::id());
        self.psql_ok(
            "postgres",
            &self.superuser,
            &format!("CREATE DATABASE {}", ident(&name)),
        );
        name
    }

    /// A connection string sitrep accepts, to `db` as `user`:
    /// `postgresql:///DB?host=SOCKET_DIR&user=USER` (and the port where it is not 5432). On a
    /// `SITREP_TEST_PG` server, that string with `dbname` and `user` (and, for a role the
    /// harness made, its password) set.
    pub fn url(&self, db: &str, user: &str) -> String {
        match (&self.local, &self.external) {
            (Some(l), _) => {
                let port = l.port.load(Ordering::Relaxed);
                let port = if port == 5432 {
                    String::new()
                } else {
                    format!("&port={port}")
                };
                format!(
                    "postgresql:///{}?host={}&user={}{port}",
                    encode(db),
                    encode(&l.socket.display().to_string()),
                    encode(user)
                )
            }
            (None, Some(base)) => {
                let password = if user == self.superuser {
                    String::new()
                } else {
                    format!(" password={EXTERNAL_PASSWORD}")
                };
                if base.starts_with("postgres://") || base.starts_with("postgresql://") {
                    let sep = if base.contains('?') { '&' } else { '?' };
                    let password = password.replace(' ', "&");
                    format!(
                        "{base}{sep}dbname={}&user={}{password}",
                        encode(db),
                        encode(user)
                    )
                } else {
                    format!("{base} dbname={} user={}{password}", quote(db), quote(user))
                }
            }
            (None, None) => unreachable!("a cluster is local or external"),
        }
    }

    /// Runs `sql` in `db` as `user` through `psql -X -q -A -t -v ON_ERROR_STOP=1` (the SQL on
    /// stdin; unaligned rows, no headers; stops at the first error, exit code 3), for tests
    /// that check what a role may do with raw SQL.
    pub fn psql(&self, db: &str, user: &str, sql: &str) -> Output {
        self.psql_as(&self.url(db, user), sql)
    }

    /// A connection to `db` as `user`, for a test that holds a transaction open while sitrep
    /// runs.
    pub fn client(&self, db: &str, user: &str) -> postgres::Client {
        use sitrep::store::pg::conninfo;
        let url = self.url(db, user);
        let conn = conninfo::parse(&url, &conninfo::PgEnv::default())
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        conninfo::connect(&conn).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    /// The same, asserting success; returns what it printed.
    pub fn psql_ok(&self, db: &str, user: &str, sql: &str) -> String {
        let out = self.psql(db, user, sql);
        assert!(
            out.status.success(),
            "psql as {user} in {db}: {sql}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn psql_as(&self, conninfo: &str, sql: &str) -> Output {
        let psql = match &self.local {
            Some(l) => l.bin.join("psql"),
            None => bin_dir().map_or_else(|| PathBuf::from("psql"), |b| b.join("psql")),
        };
        let mut cmd = Command::new(psql);
        if self.local.is_some() {
            clean_env(&mut cmd);
        } else {
            // A SITREP_TEST_PG server may rely on the developer's PGPASSFILE, PGSSLROOTCERT, ….
            cmd.env("LC_ALL", "C").env("PGCLIENTENCODING", "UTF8");
        }
        cmd.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            conninfo,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("psql runs");
        {
            let mut stdin = child.stdin.take().expect("psql's stdin");
            // A psql that could not connect has exited before reading (a server down is what
            // `accepts` asks about): its exit status and stderr say so, not this pipe.
            let _ = stdin.write_all(sql.as_bytes());
        }
        child.wait_with_output().expect("psql ends")
    }

    /// A LOGIN role called `name` (any characters: it is quoted), made once; on a
    /// `SITREP_TEST_PG` server, with the password [`EXTERNAL_PASSWORD`].
    pub fn create_login(&self, name: &str) {
        let password = match self.external {
            Some(_) => format!(" PASSWORD {}", literal(EXTERNAL_PASSWORD)),
            None => String::new(),
        };
        // Parallel tests may make the same role at once: the loser's error is swallowed.
        let sql = format!(
            "DO $sitrep$ BEGIN\n\
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN\n\
                 CREATE ROLE {id} LOGIN{password};\n\
               END IF;\n\
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\n\
             END $sitrep$;",
            lit = literal(name),
            id = ident(name),
        );
        self.psql_ok("postgres", &self.superuser, &sql);
    }

    /// The role the harness administers the cluster as.
    pub fn superuser(&self) -> &str {
        &self.superuser
    }

    /// Whether the server accepts a connection now.
    pub fn accepts(&self) -> bool {
        self.psql("postgres", &self.superuser, "SELECT 1")
            .status
            .success()
    }

    /// SIGKILLs the postmaster and waits until it is gone (fault cluster only).
    pub fn kill9(&self) {
        assert!(
            self.fault,
            "kill9 only on fault_cluster(): other tests share cluster()"
        );
        let l = self.local();
        let pid = l
            .postmaster_pid()
            .expect("the cluster is running (postmaster.pid)");
        let killed = run(Command::new("kill").args(["-KILL", &pid.to_string()]));
        killed.unwrap_or_else(|e| panic!("kill -9 {pid}: {e}"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while alive(pid) {
            assert!(
                Instant::now() < deadline,
                "postmaster {pid} survived SIGKILL"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts the server again on the same data directory and socket (after [`Cluster::kill9`],
    /// once crash recovery is done), waiting until it accepts connections (fault cluster only).
    pub fn restart(&self) {
        assert!(
            self.fault,
            "restart only on fault_cluster(): other tests share cluster()"
        );
        let l = self.local();
        // The killed postmaster's children leave as they notice; until then the old shared
        // memory is in use and a new postmaster refuses to start.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match l.pg_ctl_start() {
                Ok(()) if self.accepts() => return,
                Ok(()) | Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Ok(()) | Err(_) => panic!("the fault cluster did not restart:\n{}", l.log_tail()),
            }
        }
    }

    /// The postmaster's process id, while it runs.
    pub fn postmaster_pid(&self) -> Option<u32> {
        self.local().postmaster_pid()
    }
}

impl Local {
    /// A PostgreSQL program, run as the `postgres` user where the tests run as root.
    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        clean_env(&mut c);
        c.current_dir(&self.root);
        c
    }

    /// Gives the temporary directory to the `postgres` user (as root).
    fn chown(&self) -> Result<(), String> {
        if !self.as_postgres {
            return Ok(());
        }
        run(Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(&self.root))
        .map(drop)
        .map_err(|e| format!("chown postgres {}: {e}", self.root.display()))
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let mut c = self.pg("pg_ctl");
        c.args(["start", "-w", "-t", "60", "-s", "-D"])
            .arg(&self.data)
            .arg("-l")
            .arg(self.root.join("log"));
        run(&mut c).map(drop)
    }

    /// Stops the server and removes the directory once this process is gone.
    fn watchdog(&self) -> Result<(), String> {
        let stop = if self.as_postgres {
            "runuser -u postgres -- \"$2\" stop -m immediate -s -D \"$3\""
        } else {
            "\"$2\" stop -m immediate -s -D \"$3\""
        };
        let script = format!(
            "while kill -0 \"$1\" 2>/dev/null; do sleep 0.5; done\n\
             {stop} >/dev/null 2>&1\n\
             rm -rf \"$4\""
        );
        use std::os::unix::process::CommandExt;
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("sitrep-pg-watchdog")
            .arg(std::process::id().to_string())
            .arg(self.bin.join("pg_ctl"))
            .arg(&self.data)
            .arg(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map(drop)
            .map_err(|e| format!("the watchdog (sh) did not start: {e}"))
    }

    fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        let pid = text.lines().next()?.trim().parse().ok()?;
        alive(pid).then_some(pid)
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.root.join("log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

/// Debian's newest PostgreSQL programs, or those on `PATH`.
fn bin_dir() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    debian.sort();
    debian.pop().map(|(_, b)| b).or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    })
}

/// Runs a command to its end: its output if it succeeded, else what it said.
fn run(c: &mut Command) -> Result<Output, String> {
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{:?}: {e}", c.get_program()))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{:?} {}: {}{}",
            c.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// No `PG…` variable of the developer's reaches the programs run on a local cluster; messages
/// in English, text in UTF-8.
fn clean_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("PG") {
            c.env_remove(k);
        }
    }
    c.env("LC_ALL", "C").env("PGCLIENTENCODING", "UTF8");
}

/// Whether a process runs (and is not a zombie nobody has reaped).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next()),
            Some('Z' | 'X')
        ),
        Err(_) => false,
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free TCP port on 127.0.0.1: {e}"))
}

/// An SQL identifier, quoted.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A libpq `key=value` value, quoted.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Percent-encoding for a URL part (everything but unreserved ASCII and `/`).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
