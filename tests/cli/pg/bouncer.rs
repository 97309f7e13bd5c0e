//! PgBouncer in session mode in front of a test cluster, as the README advises where many
//! officers file at once: a pool per login, `DISCARD ALL` between two clients (its default).
//!
//! Rules: one PgBouncer per [`Bouncer::start`], on a socket directory of its own inside the
//! cluster's directory, run in the foreground under a shell that stops it when this test
//! process is gone (and [`Drop`] stops it at once). As root it runs as the `postgres` user,
//! as PgBouncer refuses root. Where PgBouncer is not installed, or the cluster is a
//! `SITREP_TEST_PG` server, the test says why and is skipped (a failure under `SITREP_CI`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::cluster::Cluster;

const PORT: u16 = 6432;

pub struct Bouncer {
    dir: PathBuf,
    child: Child,
}

impl Bouncer {
    /// PgBouncer in front of `cluster`, accepting connections; `None` (after `env::skip`)
    /// where it cannot run here.
    pub fn start(cluster: &Cluster, logins: &[&str]) -> Option<Bouncer> {
        let program = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let Some(program) = program else {
            crate::env::skip("PgBouncer is not installed (apt-get install pgbouncer)");
            return None;
        };
        if !cluster.is_local() {
            crate::env::skip("PgBouncer is tried only in front of the harness's own clusters");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("pgbouncer-")
            .tempdir_in(cluster.dir())
            .expect("a directory for PgBouncer")
            .keep();
        let users: String = logins.iter().map(|l| format!("\"{l}\" \"\"\n")).collect();
        std::fs::write(dir.join("users.txt"), users).expect("writes users.txt");
        let ini = format!(
            "[databases]\n* = host={socket} port={port}\n[pgbouncer]\nlisten_addr =\n\
             unix_socket_dir = {dir}\nlisten_port = {PORT}\nauth_type = trust\n\
             auth_file = {dir}/users.txt\npool_mode = session\nmax_client_conn = 200\n\
             default_pool_size = 4\nlogfile = {dir}/log\n",
            socket = cluster.socket_dir().display(),
            port = cluster.port(),
            dir = dir.display(),
        );
        std::fs::write(dir.join("pgbouncer.ini"), ini).expect("writes pgbouncer.ini");
        let root = running_as_root();
        if root {
            let ok = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown postgres {}", dir.display());
        }
        // The shell stops PgBouncer when this test process is gone, whatever ends it.
        let run = if root {
            "runuser -u postgres -- \"$2\" \"$3\" &"
        } else {
            "\"$2\" \"$3\" &"
        };
        let script = format!(
            "{run}\nb=$!\ntrap 'kill $b 2>/dev/null; exit 0' TERM\n\
             while kill -0 \"$1\" 2>/dev/null && kill -0 $b 2>/dev/null; do sleep 0.2; done\n\
             kill $b 2>/dev/null"
        );
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("sitrep-pgbouncer")
            .arg(std::process::id().to_string())
            .arg(&program)
            .arg(dir.join("pgbouncer.ini"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts PgBouncer");
        let b = Bouncer { dir, child };
        let socket = b.dir.join(format!(".s.PGSQL.{PORT}"));
        let until = Instant::now() + Duration::from_secs(20);
        while !socket.exists() {
            assert!(
                Instant::now() < until,
                "PgBouncer did not start: {}",
                std::fs::read_to_string(b.dir.join("log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(b)
    }

    /// A connection string to `db` as `login`, through the pool.
    pub fn url(&self, db: &str, login: &str) -> String {
        format!(
            "postgresql:///{db}?host={}&port={PORT}&user={login}",
            self.dir.display()
        )
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        // SIGTERM, which the shell passes on to PgBouncer (SIGKILL would leave it running).
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// Whether the tests run as root (where PgBouncer must run as another user).
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
