//! PostgreSQL connection strings, read as libpq users expect, and connecting with one.
//!
//! Rules of this module:
//! - Nothing here reads the process environment: `lib::run` hands over its variables as a
//!   [`PgEnv`]. Files are read (the password file, certificates), never written.
//! - A text is a connection string only when it is plainly one ([`is_conninfo`]): a
//!   `postgres://`/`postgresql://` URL, or `key=value` whose first key is one of libpq's
//!   keywords. Everything else — `file:x.db`, `a=b.db`, `./host=x.db` — is a file.
//! - Both spellings are read as libpq reads them (`syntax`); what is missing comes from
//!   [`PgEnv`] and then libpq's defaults (Debian's socket directory `/var/run/postgresql`, port
//!   5432, the OS user, a database named after the user); the password, when none is given,
//!   from the password file (`pgpass`), per host, as libpq looks it up.
//! - A keyword libpq knows but sitrep does not honour (`service`, `sslcrl`, …) is refused, never
//!   ignored, and so is one libpq does not know: the message names it.
//! - [`Conn::display`] describes the connection for people and drafts and never holds the
//!   password.
//! - `sslmode` as libpq: TLS is never used on a Unix socket (the server refuses it there, and
//!   libpq ignores `sslmode` for sockets); `require` without a root certificate checks nothing
//!   but the handshake; a root certificate file, where one exists, is always checked against.

mod display;
mod pgpass;
mod resolve;
mod syntax;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use tokio_postgres_rustls::MakeRustlsConnect;

use crate::i18n::Msg;

pub use super::tls::Check;

pub use resolve::DEFAULT_SOCKET_DIR;

/// The keywords sitrep honours, each with the environment variable libpq reads for it.
const KEYWORDS: &[(&str, Option<&str>)] = &[
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("dbname", Some("PGDATABASE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("options", Some("PGOPTIONS")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("gssencmode", Some("PGGSSENCMODE")),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_count", None),
    ("tcp_user_timeout", None),
];

/// libpq's other keywords: a connection string that uses one is recognised as one, and refused
/// with a message naming it.
const UNSUPPORTED: &[&str] = &[
    "service",
    "client_encoding",
    "replication",
    "requiressl",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslcompression",
    "sslcertmode",
    "sslkeylogfile",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "min_protocol_version",
    "max_protocol_version",
    "requirepeer",
    "require_auth",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "scram_client_key",
    "scram_server_key",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
];

fn known(keyword: &str) -> bool {
    KEYWORDS.iter().any(|(k, _)| *k == keyword) || UNSUPPORTED.contains(&keyword)
}

/// Whether `--db` names a PostgreSQL store rather than a file: a `postgres://` or
/// `postgresql://` URL (the scheme in lower case, as libpq), or `key=value` text whose text
/// before the first `=` is exactly one of libpq's keywords (`host=db dbname=duty`,
/// `dbname = duty`). So `a=b.db`, `file:x.db` and `./host=x.db` are files; a file really called
/// `host=x.db` is given as `./host=x.db`.
pub fn is_conninfo(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with("postgresql://") || t.starts_with("postgres://") {
        return true;
    }
    t.split_once('=').is_some_and(|(k, _)| known(k.trim_end()))
}

/// What libpq would take from the environment, handed over by the caller (`lib::run` has the
/// process's variables; a test makes them up).
#[derive(Clone, Default)]
pub struct PgEnv {
    /// `PG…` variables by the keyword they stand for; empty values are left out.
    vars: HashMap<&'static str, (&'static str, String)>,
    /// The OS user (`USER`): libpq's default user, and so database.
    os_user: Option<String>,
    /// The home directory: `~/.pgpass`, `~/.postgresql/root.crt`, `postgresql.crt`, `.key`.
    home: Option<PathBuf>,
}

impl fmt::Debug for PgEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut vars: Vec<_> = self
            .vars
            .values()
            .map(|(var, v)| match *var {
                "PGPASSWORD" => format!("{var}=_"),
                _ => format!("{var}={v}"),
            })
            .collect();
        vars.sort();
        f.debug_struct("PgEnv")
            .field("vars", &vars)
            .field("os_user", &self.os_user)
            .field("home", &self.home)
            .finish()
    }
}

impl PgEnv {
    /// From the process's variables (`PGHOST`, `PGHOSTADDR`, `PGPORT`, `PGUSER`, `PGDATABASE`,
    /// `PGPASSWORD`, `PGPASSFILE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY`,
    /// `PGAPPNAME`, `PGCONNECT_TIMEOUT`, `PGOPTIONS`, … and `USER`) and the home directory. An
    /// empty variable counts as unset.
    pub fn from_env(vars: &HashMap<String, String>, home: Option<PathBuf>) -> PgEnv {
        let got = |k: &str| vars.get(k).filter(|v| !v.is_empty()).cloned();
        PgEnv {
            vars: KEYWORDS
                .iter()
                .filter_map(|&(k, var)| Some((k, (var?, got(var?)?))))
                .collect(),
            os_user: got("USER").or_else(|| got("LOGNAME")),
            home: home.filter(|h| !h.as_os_str().is_empty()),
        }
    }
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it (sitrep asks first, as `prefer` does).
    Allow,
    /// TLS when the server offers it (the default).
    Prefer,
    /// TLS or nothing; the certificate checked only against a root certificate, if one exists.
    Require,
    /// TLS, the chain checked against the root certificates; any name.
    VerifyCa,
    /// TLS, the chain and the host name checked.
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(text: &str) -> Option<SslMode> {
        [
            SslMode::Disable,
            SslMode::Allow,
            SslMode::Prefer,
            SslMode::Require,
            SslMode::VerifyCa,
            SslMode::VerifyFull,
        ]
        .into_iter()
        .find(|m| m.as_str() == text)
    }
}

/// A connection string, read and completed: everything needed to connect.
#[derive(Clone)]
pub struct Conn {
    /// One ready configuration per host, in the order they are tried (libpq's order, or
    /// shuffled at each [`connect`] with `load_balance_hosts=random`). Each has its own password
    /// (the password file is matched per host) and its own `ssl_mode` (never TLS on a socket).
    pub targets: Vec<Target>,
    /// The login.
    pub user: String,
    /// The database.
    pub dbname: String,
    /// The TLS mode asked for.
    pub sslmode: SslMode,
    /// What a TLS connection checks of the server's certificate; `None` where no target will use
    /// TLS (`disable`, or Unix sockets only).
    pub verify: Option<Check>,
    /// The connection for people and drafts, without the password:
    /// `postgresql://officer@db.example.org:5432/duty`,
    /// `postgresql://officer@/duty?host=/var/run/postgresql`.
    pub display: String,
    /// TLS as `sslmode` and the certificates ask; `None` where no target uses TLS.
    tls: Option<MakeRustlsConnect>,
    random_order: bool,
}

/// One host to try.
#[derive(Debug, Clone)]
pub struct Target {
    pub config: postgres::Config,
    /// A Unix socket (no TLS), not TCP.
    pub socket: bool,
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conn")
            .field("display", &self.display)
            .field("sslmode", &self.sslmode)
            .field("verify", &self.verify)
            .field("targets", &self.targets.len())
            .finish()
    }
}

impl fmt::Display for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

/// Reads a connection string (either form; see [`is_conninfo`]) and completes it from `env`
/// and the password file. Refused, with a message naming what is wrong and what to give: a
/// malformed string, an unknown or unsupported keyword, a bad value, `verify-ca`/`verify-full`
/// without root certificates, a certificate or key file that cannot be used.
pub fn parse(text: &str, env: &PgEnv) -> Result<Conn, Msg> {
    let t = text.trim();
    let pairs = match t
        .strip_prefix("postgresql://")
        .or_else(|| t.strip_prefix("postgres://"))
    {
        Some(rest) => syntax::url(rest)?,
        None => syntax::key_value(t)?,
    };
    resolve::resolve(pairs, env)
}

/// The connection string as given, for a draft's command line: unchanged where it holds no
/// password; otherwise the same settings without the password, in libpq's `key=value` form (a
/// URL's hosts, ports and parameters as the pairs it stands for), so the command run again
/// from the draft connects as it did, the password then from `PGPASSWORD` or the password file.
/// `None` where `text` does not read as a connection string.
pub fn without_password(text: &str) -> Option<String> {
    let t = text.trim();
    let pairs = match t
        .strip_prefix("postgresql://")
        .or_else(|| t.strip_prefix("postgres://"))
    {
        Some(rest) => syntax::url(rest).ok()?,
        None => syntax::key_value(t).ok()?,
    };
    if pairs.iter().all(|(k, _)| k != "password") {
        return Some(text.to_owned());
    }
    let kept: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k != "password")
        .map(|(k, v)| format!("{k}={}", syntax::quoted(&v)))
        .collect();
    Some(kept.join(" "))
}

/// Connects to the first target that answers, as libpq tries its hosts: a host that cannot be
/// reached (or is not what `target_session_attrs` asks) passes to the next; an error the server
/// sent (a refused login, a database that does not exist, a server starting up) ends the
/// attempt, as libpq stops at it.
///
/// The error is rust-postgres's own [`postgres::Error`] (not wrapped), the last host's, so a
/// caller may classify it:
/// - [`postgres::Error::as_db_error`] is `Some` where the server answered with a refusal, its
///   SQLSTATE in `code()`: `28P01` a wrong password, `28000` no such role or no `pg_hba.conf`
///   line, `3D000` no such database, `57P03` the server is starting up or shutting down;
/// - otherwise the server was not reached: `source()` is a [`std::io::Error`] (`NotFound` for a
///   missing socket, `ConnectionRefused`, a failed name lookup, a TLS failure such as a
///   certificate not valid for the name), or the client refused to go on (`password missing`
///   when the server asks for a password and none was found).
///
/// On a session already open (the store's business, noted here because it is where the errors
/// come from): a server killed or shut down sends `57P01` (a `DbError`) before closing; a
/// backend terminated without a word shows as an `io::Error` (`Broken pipe`) in `source()`, or
/// [`postgres::Error::is_closed`] once the link is known to be gone.
pub fn connect(conn: &Conn) -> Result<postgres::Client, postgres::Error> {
    let mut order: Vec<&Target> = conn.targets.iter().collect();
    if conn.random_order {
        shuffle(&mut order);
    }
    let mut last = None;
    for t in order {
        let tried = match (&conn.tls, t.socket) {
            (Some(tls), false) => t.config.connect(tls.clone()),
            _ => t.config.connect(postgres::NoTls),
        };
        match tried {
            Ok(client) => return Ok(client),
            Err(e) if e.as_db_error().is_some() => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    // `resolve` never makes a `Conn` without a target, so the loop ran and set `last`.
    Err(last.expect("a Conn has at least one target"))
}

/// A shuffle for `load_balance_hosts=random`, seeded by the standard library's per-process
/// random hash keys (no clock, no extra crate).
fn shuffle<T>(items: &mut [T]) {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        | 1;
    for i in (1..items.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let j = (seed % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
