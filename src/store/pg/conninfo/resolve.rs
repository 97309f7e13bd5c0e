//! From a connection string's pairs, the environment and libpq's defaults to a [`Conn`]: each
//! keyword checked, each value read, the hosts paired with their ports and passwords, TLS set
//! up.
//!
//! Rules: a value given in the string wins over the environment, the environment over the
//! default; an empty value counts as not given. A bad value is refused with its keyword, or the
//! variable it came from, named.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::config::{
    ChannelBinding, LoadBalanceHosts, SslMode as PgSslMode, SslNegotiation, TargetSessionAttrs,
};

use super::{Conn, KEYWORDS, PgEnv, SslMode, Target, UNSUPPORTED, display, pgpass};
use crate::i18n::Msg;
use crate::msg;
use crate::store::pg::tls::{self, Check};

/// Where libpq (as Debian builds it) looks for a server's socket when no host is given.
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
const DEFAULT_PORT: u16 = 5432;

/// The values a connection string gave, over the environment's.
struct Settings<'a> {
    given: HashMap<&'static str, String>,
    env: &'a PgEnv,
}

impl Settings<'_> {
    /// A value and what to call its origin in a message (`sslmode`, or `PGSSLMODE`).
    fn get(&self, key: &'static str) -> Option<(&str, &'static str)> {
        match self.given.get(key) {
            Some(v) => Some((v.as_str(), key)),
            None => self.env.vars.get(key).map(|(var, v)| (v.as_str(), *var)),
        }
    }

    fn value(&self, key: &'static str) -> Option<&str> {
        self.get(key).map(|(v, _)| v)
    }

    /// A value that must be one of `choices`.
    fn choice<T: Copy>(&self, key: &'static str, choices: &[(&str, T)]) -> Result<Option<T>, Msg> {
        let Some((v, what)) = self.get(key) else {
            return Ok(None);
        };
        match choices.iter().find(|(name, _)| *name == v) {
            Some((_, t)) => Ok(Some(*t)),
            None => {
                let list = choices
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(msg!(
                    "{what} is `{v}`: give one of {list}",
                    "{what} 为“{v}”：应为 {list} 之一"
                ))
            }
        }
    }

    /// An integer value (libpq allows spaces around it).
    fn int(&self, key: &'static str) -> Result<Option<i64>, Msg> {
        let Some((v, what)) = self.get(key) else {
            return Ok(None);
        };
        v.trim().parse().map(Some).map_err(|_| {
            msg!(
                "{what} is `{v}`, not a whole number",
                "{what} 为“{v}”，不是整数"
            )
        })
    }

    fn seconds(&self, key: &'static str) -> Result<Option<Duration>, Msg> {
        Ok(self
            .int(key)?
            .map(|s| Duration::from_secs(s.max(0).unsigned_abs())))
    }
}

/// How a host is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    /// A Unix socket in this directory.
    Socket(String),
    /// A host name (or address) over TCP; `hostaddr` to connect to, if given.
    Name(String, Option<IpAddr>),
    /// An address over TCP, given as `hostaddr` alone.
    Addr(IpAddr),
}

#[derive(Debug, Clone)]
pub(super) struct Host {
    pub place: Place,
    pub port: u16,
}

impl Host {
    /// The names the password file's first field may match (libpq: the host, else the
    /// hostaddr; the default socket directory is also `localhost`).
    fn pgpass_names(&self) -> Vec<String> {
        match &self.place {
            Place::Socket(dir) if dir == DEFAULT_SOCKET_DIR => {
                vec!["localhost".to_owned(), dir.clone()]
            }
            Place::Socket(dir) | Place::Name(dir, _) => vec![dir.clone()],
            Place::Addr(ip) => vec![ip.to_string()],
        }
    }
}

pub(super) fn resolve(pairs: Vec<(String, String)>, env: &PgEnv) -> Result<Conn, Msg> {
    let mut given = HashMap::new();
    for (k, v) in pairs {
        let Some(&(key, _)) = KEYWORDS.iter().find(|(name, _)| *name == k) else {
            return Err(if UNSUPPORTED.contains(&k.as_str()) {
                msg!(
                    "the connection option `{k}` is libpq's, but sitrep does not support it: leave it out",
                    "连接选项“{k}”是 libpq 的选项，但 sitrep 不支持：请去掉它"
                )
            } else {
                msg!("unknown connection option `{k}`", "未知的连接选项“{k}”")
            });
        };
        if v.is_empty() {
            given.remove(key);
        } else {
            given.insert(key, v);
        }
    }
    let s = Settings { given, env };

    let hosts = hosts(&s)?;
    let Some(user) = s
        .value("user")
        .map(str::to_owned)
        .or_else(|| env.os_user.clone())
    else {
        return Err(msg!(
            "no user name: give user= in the connection string, or set PGUSER",
            "没有用户名：请在连接字符串中给出 user=，或设置 PGUSER"
        ));
    };
    let dbname = s.value("dbname").unwrap_or(&user).to_owned();

    let rootcert = s.value("sslrootcert");
    let sslmode = match s.get("sslmode") {
        Some((v, what)) => SslMode::parse(v).ok_or_else(|| {
            msg!(
                "{what} is `{v}`: give one of disable, allow, prefer, require, verify-ca, verify-full",
                "{what} 为“{v}”：应为 disable、allow、prefer、require、verify-ca、verify-full 之一"
            )
        })?,
        // libpq 16: the system's roots mean nothing without checking the name.
        None if rootcert == Some("system") => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    if rootcert == Some("system") && sslmode != SslMode::VerifyFull {
        let mode = sslmode.as_str();
        return Err(msg!(
            "sslrootcert=system trusts any name the system's authorities certify, so it needs sslmode=verify-full, not {mode}",
            "sslrootcert=system 信任系统中任一机构签发的证书，须配合 sslmode=verify-full 使用，而不是 {mode}"
        ));
    }
    let negotiation = s
        .choice(
            "sslnegotiation",
            &[
                ("postgres", SslNegotiation::Postgres),
                ("direct", SslNegotiation::Direct),
            ],
        )?
        .unwrap_or(SslNegotiation::Postgres);
    if negotiation == SslNegotiation::Direct
        && matches!(sslmode, SslMode::Allow | SslMode::Prefer | SslMode::Disable)
    {
        let mode = sslmode.as_str();
        return Err(msg!(
            "sslnegotiation=direct starts with TLS, so it needs sslmode=require, verify-ca or verify-full, not {mode}",
            "sslnegotiation=direct 直接以 TLS 开始，须配合 sslmode=require、verify-ca 或 verify-full，而不是 {mode}"
        ));
    }
    if s.choice(
        "gssencmode",
        &[("disable", true), ("prefer", true), ("require", false)],
    )? == Some(false)
    {
        return Err(msg!(
            "gssencmode=require: sitrep has no GSSAPI encryption; use sslmode=require or verify-full",
            "gssencmode=require：sitrep 不支持 GSSAPI 加密；请改用 sslmode=require 或 verify-full"
        ));
    }

    let any_tcp = hosts.iter().any(|h| !matches!(h.place, Place::Socket(_)));
    let (tls, verify) = if sslmode == SslMode::Disable || !any_tcp {
        (None, None)
    } else {
        let (tls, check) = connector(&s, sslmode, rootcert)?;
        (Some(tls), Some(check))
    };

    let base = base_config(&s, &user, &dbname, sslmode, negotiation)?;
    let password = s.value("password").map(str::to_owned);
    let passfile = s
        .value("passfile")
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")));
    let targets = hosts
        .iter()
        .map(|h| {
            let mut c = base.clone();
            match &h.place {
                Place::Socket(dir) => {
                    c.host_path(dir);
                    c.ssl_mode(PgSslMode::Disable);
                }
                Place::Name(name, addr) => {
                    c.host(name);
                    if let Some(a) = addr {
                        c.hostaddr(*a);
                    }
                }
                Place::Addr(a) => {
                    c.host(&a.to_string());
                }
            }
            c.port(h.port);
            let port = h.port.to_string();
            let names = h.pgpass_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let found = password.clone().or_else(|| {
                let key = pgpass::Key {
                    hosts: &names,
                    port: &port,
                    dbname: &dbname,
                    user: &user,
                };
                passfile.as_deref().and_then(|f| pgpass::lookup(f, key))
            });
            if let Some(p) = found {
                c.password(p);
            }
            Target {
                config: c,
                socket: matches!(h.place, Place::Socket(_)),
            }
        })
        .collect();

    let random_order = s.choice(
        "load_balance_hosts",
        &[("disable", false), ("random", true)],
    )? == Some(true);
    Ok(Conn {
        display: display::url(&user, &dbname, &hosts),
        targets,
        user,
        dbname,
        sslmode,
        verify,
        tls,
        random_order,
    })
}

/// The hosts, paired with hostaddrs and ports as libpq pairs them (comma-separated lists of
/// the same length, or one port for all).
fn hosts(s: &Settings<'_>) -> Result<Vec<Host>, Msg> {
    let split = |key| -> Vec<String> {
        s.value(key)
            .map(|v| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let names = split("host");
    let addrs = split("hostaddr");
    let ports = split("port");
    if !names.is_empty() && !addrs.is_empty() && names.len() != addrs.len() {
        let (h, a) = (names.len(), addrs.len());
        return Err(msg!(
            "{h} hosts but {a} hostaddr values: give one hostaddr per host (or none)",
            "有 {h} 个 host 却有 {a} 个 hostaddr：应每个 host 一个 hostaddr（或都不给）"
        ));
    }
    let n = names.len().max(addrs.len()).max(1);
    if ports.len() > 1 && ports.len() != n {
        let p = ports.len();
        return Err(msg!(
            "{n} hosts but {p} ports: give one port for all, or one per host",
            "有 {n} 个主机却有 {p} 个端口：应给一个端口（通用），或每个主机一个"
        ));
    }
    let what_port = s.get("port").map_or("port", |(_, w)| w);
    (0..n)
        .map(|i| {
            let name = names.get(i).map_or("", String::as_str);
            let addr = match addrs.get(i).map(String::as_str).filter(|a| !a.is_empty()) {
                None => None,
                Some(a) => Some(a.parse::<IpAddr>().map_err(|_| {
                    msg!(
                        "hostaddr `{a}` is not an IP address (a name goes in host=)",
                        "hostaddr“{a}”不是 IP 地址（主机名应写在 host= 中）"
                    )
                })?),
            };
            let place = match (name, addr) {
                ("", None) => Place::Socket(DEFAULT_SOCKET_DIR.to_owned()),
                ("", Some(a)) => Place::Addr(a),
                (dir, None) if dir.starts_with('/') => Place::Socket(dir.to_owned()),
                (dir, Some(a)) if dir.starts_with('/') => Place::Addr(a),
                (name, addr) => Place::Name(name.to_owned(), addr),
            };
            let text = ports.get(i).or(ports.first()).map_or("", |p| p.trim());
            let port = match text {
                "" => DEFAULT_PORT,
                t => t.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                    msg!(
                        "{what_port} is `{t}`, not a port number (1 to 65535)",
                        "{what_port} 为“{t}”，不是端口号（1 至 65535）"
                    )
                })?,
            };
            Ok(Host { place, port })
        })
        .collect()
}

/// What every target shares: the login, the database, the session's settings and timeouts.
fn base_config(
    s: &Settings<'_>,
    user: &str,
    dbname: &str,
    sslmode: SslMode,
    negotiation: SslNegotiation,
) -> Result<postgres::Config, Msg> {
    let mut c = postgres::Config::new();
    c.user(user).dbname(dbname);
    c.ssl_mode(match sslmode {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Allow | SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
    });
    c.ssl_negotiation(negotiation);
    c.application_name(
        s.value("application_name")
            .or_else(|| s.value("fallback_application_name"))
            .unwrap_or("sitrep"),
    );
    if let Some(o) = s.value("options") {
        c.options(o);
    }
    // libpq: zero or less is no limit, and one second is taken as two.
    if let Some(t) = s.int("connect_timeout")?.filter(|t| *t > 0) {
        c.connect_timeout(Duration::from_secs(t.max(2).unsigned_abs()));
    }
    if let Some(k) = s.int("keepalives")? {
        c.keepalives(k != 0);
    }
    if let Some(d) = s.seconds("keepalives_idle")? {
        c.keepalives_idle(d);
    }
    if let Some(d) = s.seconds("keepalives_interval")? {
        c.keepalives_interval(d);
    }
    if let Some(n) = s.int("keepalives_count")? {
        c.keepalives_retries(u32::try_from(n.max(0)).unwrap_or(u32::MAX));
    }
    if let Some(ms) = s.int("tcp_user_timeout")? {
        c.tcp_user_timeout(Duration::from_millis(ms.max(0).unsigned_abs()));
    }
    if let Some((v, what)) = s.get("target_session_attrs")
        && matches!(v, "primary" | "standby" | "prefer-standby")
    {
        return Err(msg!(
            "{what} is `{v}`, which sitrep does not support: give any, read-write or read-only",
            "{what} 为“{v}”，sitrep 不支持：应为 any、read-write 或 read-only"
        ));
    }
    if let Some(t) = s.choice(
        "target_session_attrs",
        &[
            ("any", TargetSessionAttrs::Any),
            ("read-write", TargetSessionAttrs::ReadWrite),
            ("read-only", TargetSessionAttrs::ReadOnly),
        ],
    )? {
        c.target_session_attrs(t);
    }
    if let Some(b) = s.choice(
        "channel_binding",
        &[
            ("disable", ChannelBinding::Disable),
            ("prefer", ChannelBinding::Prefer),
            ("require", ChannelBinding::Require),
        ],
    )? {
        c.channel_binding(b);
    }
    c.load_balance_hosts(LoadBalanceHosts::Disable);
    Ok(c)
}

/// TLS for the TCP targets: the root certificates (`sslrootcert`, else
/// `~/.postgresql/root.crt` where it exists), what to check with them, and the client
/// certificate (`sslcert`/`sslkey`, else `~/.postgresql/postgresql.crt`/`.key` where the
/// certificate exists).
fn connector(
    s: &Settings<'_>,
    sslmode: SslMode,
    rootcert: Option<&str>,
) -> Result<(tokio_postgres_rustls::MakeRustlsConnect, Check), Msg> {
    let dot = s.env.home.as_ref().map(|h| h.join(".postgresql"));
    let roots = match rootcert {
        Some("system") => Some(tls::system_roots()?),
        Some(path) => {
            let path = Path::new(path);
            if !path.exists() {
                let shown = path.display();
                return Err(msg!(
                    "the root certificate file {shown} (sslrootcert) does not exist: give the CA certificate's PEM file, or sslrootcert=system for the system's roots",
                    "根证书文件 {shown}（sslrootcert）不存在：请给出 CA 证书的 PEM 文件，或用 sslrootcert=system 使用系统根证书"
                ));
            }
            Some(tls::roots_from_pem(path)?)
        }
        None => match dot.as_ref().map(|d| d.join("root.crt")) {
            Some(p) if p.is_file() => Some(tls::roots_from_pem(&p)?),
            _ => None,
        },
    };
    let check = match (sslmode, roots.is_some()) {
        (SslMode::VerifyFull, true) => Check::ChainAndName,
        (SslMode::VerifyFull | SslMode::VerifyCa, false) => {
            let mode = sslmode.as_str();
            return Err(msg!(
                "sslmode={mode} checks the server's certificate, so it needs the certificate of the authority that signed it: give sslrootcert=FILE (PEM), or sslrootcert=system for the system's roots (with verify-full), or put it in ~/.postgresql/root.crt",
                "sslmode={mode} 要校验服务器证书，需要签发它的机构的证书：请给出 sslrootcert=文件（PEM），或用 sslrootcert=system 使用系统根证书（须配合 verify-full），或放在 ~/.postgresql/root.crt"
            ));
        }
        (_, true) => Check::Chain,
        (_, false) => Check::Nothing,
    };
    let tls = tls::connector(check, roots, identity(s, dot.as_deref())?)?;
    Ok((tls, check))
}

/// The client certificate and key, if one is given or in its default place.
fn identity(s: &Settings<'_>, dot: Option<&Path>) -> Result<Option<tls::Identity>, Msg> {
    let cert = match s.value("sslcert") {
        Some(c) => {
            let c = PathBuf::from(c);
            if !c.is_file() {
                let shown = c.display();
                return Err(msg!(
                    "the client certificate {shown} (sslcert) does not exist",
                    "客户端证书 {shown}（sslcert）不存在"
                ));
            }
            c
        }
        None => match dot.map(|d| d.join("postgresql.crt")) {
            Some(c) if c.is_file() => c,
            _ => return Ok(None),
        },
    };
    let key = match s.value("sslkey") {
        Some(k) => PathBuf::from(k),
        None => dot.map_or_else(|| cert.with_extension("key"), |d| d.join("postgresql.key")),
    };
    let shown = key.display();
    let meta = std::fs::metadata(&key).map_err(|e| {
        let c = cert.display();
        msg!(
            "the client certificate {c} has no key at {shown} ({e}): give sslkey=FILE",
            "客户端证书 {c} 在 {shown} 处没有私钥（{e}）：请给出 sslkey=文件"
        )
    })?;
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // libpq: at most u=rw (0600), or u=rw,g=r (0640) for a key owned by root.
        let mode = meta.permissions().mode();
        let loose = if meta.uid() == 0 {
            mode & 0o037
        } else {
            mode & 0o077
        };
        if loose != 0 {
            return Err(msg!(
                "the client key {shown} may be read by others: make it u=rw (chmod 600), or u=rw,g=r (0640) if root owns it",
                "客户端私钥 {shown} 可被他人读取：请设为 u=rw（chmod 600），若属主为 root 可为 u=rw,g=r（0640）"
            ));
        }
    }
    tls::client_identity(&cert, &key).map(Some)
}
