//! The connection string, read without a server: both spellings, escapes, the environment,
//! the password file, `sslmode`, and every refusal naming what it refuses.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::config::{Host, SslMode as PgSslMode};

use super::pgpass::{self, Key};
use super::{Check, Conn, PgEnv, SslMode, Target, is_conninfo, parse, without_password};

/// A self-signed certificate and its key, made for these tests (never a real authority).
const CERT: &str = include_str!("testdata/cert.pem");
const KEY: &str = include_str!("testdata/key.pem");

fn env(vars: &[(&str, &str)]) -> PgEnv {
    env_home(vars, None)
}

fn env_home(vars: &[(&str, &str)], home: Option<&Path>) -> PgEnv {
    let mut map: HashMap<String, String> = HashMap::new();
    map.insert("USER".into(), "duty".into());
    for (k, v) in vars {
        map.insert((*k).into(), (*v).into());
    }
    PgEnv::from_env(&map, home.map(Path::to_path_buf))
}

fn ok(text: &str, env: &PgEnv) -> Conn {
    parse(text, env).unwrap_or_else(|e| panic!("{text}: {}", e.en))
}

/// The English message of a refusal.
fn err(text: &str, env: &PgEnv) -> String {
    match parse(text, env) {
        Ok(c) => panic!("{text}: accepted as {}", c.display),
        Err(e) => {
            assert!(!e.zh.is_empty(), "{text}: no Chinese message");
            e.en
        }
    }
}

/// Host, port of a target, as text: `tcp:db:5432` or `unix:/dir:5432`.
fn place(t: &Target) -> String {
    let c = &t.config;
    let port = c.get_ports()[0];
    match &c.get_hosts()[0] {
        Host::Tcp(h) => format!("tcp:{h}:{port}"),
        Host::Unix(p) => format!("unix:{}:{port}", p.display()),
    }
}

fn places(c: &Conn) -> Vec<String> {
    c.targets.iter().map(place).collect()
}

fn password(t: &Target) -> Option<String> {
    t.config
        .get_password()
        .map(|p| String::from_utf8(p.to_vec()).unwrap())
}

fn file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

#[test]
fn only_a_url_or_a_known_keyword_is_a_connection_string() {
    for yes in [
        "postgresql://db/duty",
        "postgres://db",
        "postgresql:///duty?host=/run/postgresql",
        "host=db dbname=duty",
        "  dbname = duty",
        "user=张三",
        "sslmode=require host=db",
        // libpq's, refused later with its name, but plainly meant as a connection string.
        "service=duty",
    ] {
        assert!(is_conninfo(yes), "{yes}");
    }
    for no in [
        "sitrep.db",
        "a=b.db",
        "./a=b.db",
        "./host=x.db",
        "/srv/host=x.db",
        "file:x.db",
        "my host=x",
        "POSTGRESQL://db",
        "postgresql:db",
        "",
    ] {
        assert!(!is_conninfo(no), "{no}");
    }
}

#[test]
fn a_url_gives_user_password_host_port_database_and_parameters() {
    let c = ok(
        "postgresql://officer:s%40cr%3At@db.example.org:6543/duty?application_name=desk&connect_timeout=1",
        &env(&[]),
    );
    assert_eq!(places(&c), ["tcp:db.example.org:6543"]);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("officer", "duty"));
    let t = &c.targets[0];
    assert_eq!(password(t).as_deref(), Some("s@cr:t"));
    assert_eq!(t.config.get_application_name(), Some("desk"));
    // libpq: one second is taken as two.
    assert_eq!(
        t.config.get_connect_timeout(),
        Some(&Duration::from_secs(2))
    );
    assert_eq!(c.display, "postgresql://officer@db.example.org:6543/duty");
    assert!(!format!("{c:?} {c}").contains("s@cr"));
    assert!(!format!("{:?}", t.config).contains("s@cr"));
}

#[test]
fn a_url_takes_several_hosts_ipv6_and_defaults_per_host() {
    let c = ok("postgres://a:5433,b,[::1]:5435/duty", &env(&[]));
    assert_eq!(
        places(&c),
        ["tcp:a:5433", "tcp:b:5432", "tcp:::1:5435"],
        "an empty port is the default"
    );
    assert_eq!(
        c.display, "postgresql://duty@a:5433,b:5432,[::1]:5435/duty",
        "the default user and database are the OS user"
    );
}

#[test]
fn a_url_names_a_socket_encoded_or_as_a_parameter() {
    let c = ok(
        "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/duty",
        &env(&[]),
    );
    assert_eq!(places(&c), ["unix:/var/run/postgresql:5433"]);
    assert!(c.targets[0].socket);
    let c = ok(
        "postgresql:///duty?host=/run/postgresql&user=%E5%BC%A0%E4%B8%89",
        &env(&[]),
    );
    assert_eq!(places(&c), ["unix:/run/postgresql:5432"]);
    assert_eq!(c.user, "张三");
    assert_eq!(c.display, "postgresql://张三@/duty?host=/run/postgresql");
    // What is displayed reads back to the same place.
    let again = ok(&c.display, &env(&[]));
    assert_eq!(
        (places(&again), again.user, again.dbname),
        (places(&c), c.user, c.dbname)
    );
    // `ssl=true` is libpq's alias for `sslmode=require`.
    let c = ok("postgresql://db/duty?ssl=true", &env(&[]));
    assert_eq!(c.sslmode, SslMode::Require);
}

#[test]
fn a_bad_url_is_refused_with_what_is_wrong() {
    let e = env(&[]);
    assert!(err("postgresql://db/d%zz", &e).contains("percent"));
    assert!(err("postgresql://db/d%00", &e).contains("%00"));
    assert!(err("postgresql://db/duty?sslmode", &e).contains("`sslmode`"));
    assert!(err("postgresql://db/duty?a=b=c", &e).contains("more than one"));
    assert!(err("postgresql://[::1/duty", &e).contains("]"));
    assert!(
        err("postgresql://db/duty?colour=red", &e).contains("unknown connection option `colour`")
    );
    assert!(err("postgresql://db/duty?service=x", &e).contains("`service`"));
    assert!(err("postgresql://db:port/duty", &e).contains("`port`"));
    assert!(err("postgresql://db:70000/duty", &e).contains("`70000`"));
}

#[test]
fn key_value_pairs_take_quotes_and_backslash_escapes() {
    let c = ok(
        r"host=db port = 6000  dbname='my duty' user=o\'k password='p\\w\'d x'",
        &env(&[]),
    );
    assert_eq!(places(&c), ["tcp:db:6000"]);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("o'k", "my duty"));
    assert_eq!(password(&c.targets[0]).as_deref(), Some(r"p\w'd x"));
    assert_eq!(c.display, "postgresql://o%27k@db:6000/my%20duty");
    let again = ok(&c.display, &env(&[]));
    assert_eq!((again.user, again.dbname), (c.user, c.dbname));

    let c = ok(
        "host=a,b port=5433,5434 hostaddr=10.0.0.1,10.0.0.2",
        &env(&[]),
    );
    assert_eq!(places(&c), ["tcp:a:5433", "tcp:b:5434"]);
    assert_eq!(
        c.targets[1].config.get_hostaddrs(),
        ["10.0.0.2".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(
        c.display,
        "postgresql://duty@a:5433,b:5434/duty?hostaddr=10.0.0.1,10.0.0.2"
    );
    // A hostaddr alone is the host, and the name TLS checks.
    let c = ok("hostaddr=127.0.0.1", &env(&[]));
    assert_eq!(places(&c), ["tcp:127.0.0.1:5432"]);
}

#[test]
fn bad_key_value_pairs_are_refused_naming_the_key() {
    let e = env(&[]);
    assert!(err("host", &e).contains("`host`"));
    assert!(err("host=db dbname", &e).contains("`dbname`"));
    assert!(err("dbname='duty", &e).contains("`dbname`"));
    assert!(err("host=db colour=red", &e).contains("unknown connection option `colour`"));
    assert!(err("host=db sslcrl=x.pem", &e).contains("`sslcrl`"));
    assert!(err("host=a,b port=1,2,3", &e).contains("3 ports"));
    assert!(err("host=a,b hostaddr=10.0.0.1", &e).contains("hostaddr"));
    assert!(err("hostaddr=db.example.org", &e).contains("`db.example.org`"));
    assert!(err("host=db connect_timeout=soon", &e).contains("connect_timeout"));
    assert!(err("host=db target_session_attrs=standby", &e).contains("`standby`"));
    assert!(err("host=db channel_binding=maybe", &e).contains("disable, prefer, require"));
    assert!(err("host=db gssencmode=require", &e).contains("GSSAPI"));
    assert!(err("host=db sslnegotiation=direct", &e).contains("require"));
}

#[test]
fn the_environment_fills_what_the_string_leaves_out() {
    let e = env(&[
        ("PGHOST", "db.example.org"),
        ("PGPORT", "6000"),
        ("PGUSER", "officer"),
        ("PGDATABASE", "duty"),
        ("PGPASSWORD", "from-env"),
        ("PGAPPNAME", "desk"),
        ("PGCONNECT_TIMEOUT", "10"),
        ("PGOPTIONS", "-c statement_timeout=5s"),
    ]);
    let c = ok("dbname=other", &e);
    assert_eq!(places(&c), ["tcp:db.example.org:6000"]);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("officer", "other"));
    let t = &c.targets[0].config;
    assert_eq!(t.get_password(), Some(&b"from-env"[..]));
    assert_eq!(t.get_application_name(), Some("desk"));
    assert_eq!(t.get_connect_timeout(), Some(&Duration::from_secs(10)));
    assert_eq!(t.get_options(), Some("-c statement_timeout=5s"));
    assert!(!format!("{e:?}").contains("from-env"));

    // The string wins, an empty value counts as unset.
    let c = ok("postgresql://other@h:1/x?password=given", &e);
    assert_eq!(password(&c.targets[0]).as_deref(), Some("given"));
    // (As in libpq, `host= user=x` would make `user=x` the host: spaces after `=` are skipped.)
    let c = ok("host='' user=''", &e);
    assert_eq!(
        (places(&c), c.user),
        (vec!["tcp:db.example.org:6000".into()], "officer".into())
    );

    // A bad value from the environment is named by its variable.
    assert!(
        err("host=db", &env(&[("PGSSLMODE", "sometimes")])).contains("PGSSLMODE is `sometimes`")
    );
    assert!(err("host=db", &env(&[("PGPORT", "x")])).contains("PGPORT is `x`"));
}

#[test]
fn libpq_defaults_are_the_debian_socket_port_5432_and_the_os_user() {
    let c = ok("", &env(&[]));
    assert_eq!(places(&c), ["unix:/var/run/postgresql:5432"]);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("duty", "duty"));
    assert_eq!(
        c.display,
        "postgresql://duty@/duty?host=/var/run/postgresql"
    );
    assert_eq!(
        c.targets[0].config.get_application_name(),
        Some("sitrep"),
        "sitrep names itself when nothing else does"
    );
    let none = PgEnv::from_env(&HashMap::new(), None);
    assert!(parse("host=db", &none).unwrap_err().en.contains("PGUSER"));
}

#[test]
fn the_password_file_matches_fields_wildcards_and_escapes() {
    let text = "\
# comment:*:*:*:no
db.example.org:5432:duty:officer:first
db.example.org:5432:duty:officer:second
\\:\\:1:*:*:officer:colon\\:and\\\\backslash:ignored
*:6000:*:*:any-host
\\*:*:*:star:literal-star
h:*:*:empty:
";
    let get = |host: &str, port: &str, db: &str, user: &str| {
        pgpass::find(
            text,
            Key {
                hosts: &[host],
                port,
                dbname: db,
                user,
            },
        )
    };
    assert_eq!(
        get("db.example.org", "5432", "duty", "officer").as_deref(),
        Some("first")
    );
    assert_eq!(get("db.example.org", "5433", "duty", "officer"), None);
    assert_eq!(
        get("::1", "1", "x", "officer").as_deref(),
        Some(r"colon:and\backslash")
    );
    assert_eq!(get("other", "6000", "x", "y").as_deref(), Some("any-host"));
    assert_eq!(
        get("other", "1", "x", "star"),
        None,
        "\\* is a literal star"
    );
    assert_eq!(get("*", "1", "x", "star").as_deref(), Some("literal-star"));
    assert_eq!(
        get("h", "1", "x", "empty"),
        None,
        "an empty password is none"
    );
    assert_eq!(
        get("# comment", "*", "*", "*"),
        None,
        "comments are skipped"
    );
}

#[test]
fn the_password_file_is_used_per_host_unless_a_password_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let pass = file(
        dir.path(),
        "pass",
        "a:5432:duty:officer:pa\nb:5433:duty:officer:pb\nlocalhost:5432:duty:officer:sock\n/tmp/s:5432:duty:officer:tmp\n",
        0o600,
    );
    let e = env(&[("PGPASSFILE", pass.to_str().unwrap())]);
    let c = ok("host=a,b port=5432,5433 user=officer dbname=duty", &e);
    let got: Vec<_> = c.targets.iter().map(password).collect();
    assert_eq!(got, [Some("pa".into()), Some("pb".into())]);
    // The default socket directory is `localhost`; another socket is its directory.
    let c = ok("user=officer dbname=duty", &e);
    assert_eq!(password(&c.targets[0]).as_deref(), Some("sock"));
    let c = ok("host=/tmp/s user=officer dbname=duty", &e);
    assert_eq!(password(&c.targets[0]).as_deref(), Some("tmp"));
    // Given, or PGPASSWORD, wins over the file.
    let c = ok("host=a user=officer dbname=duty password=given", &e);
    assert_eq!(password(&c.targets[0]).as_deref(), Some("given"));
    let e2 = env(&[
        ("PGPASSFILE", pass.to_str().unwrap()),
        ("PGPASSWORD", "env"),
    ]);
    let c = ok("host=a user=officer dbname=duty", &e2);
    assert_eq!(password(&c.targets[0]).as_deref(), Some("env"));
    // `passfile=` in the string, and ~/.pgpass by default.
    let c = ok(
        &format!(
            "host=b port=5433 user=officer dbname=duty passfile={}",
            pass.display()
        ),
        &env(&[]),
    );
    assert_eq!(password(&c.targets[0]).as_deref(), Some("pb"));
    file(dir.path(), ".pgpass", "*:*:*:*:home\n", 0o600);
    let c = ok("host=z", &env_home(&[], Some(dir.path())));
    assert_eq!(password(&c.targets[0]).as_deref(), Some("home"));
}

#[test]
fn a_password_file_others_may_read_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    for (mode, used) in [
        (0o600, true),
        (0o400, true),
        (0o640, false),
        (0o604, false),
        (0o620, false),
    ] {
        let pass = file(dir.path(), "pass", "*:*:*:*:secret\n", mode);
        let e = env(&[("PGPASSFILE", pass.to_str().unwrap())]);
        let c = ok("host=db", &e);
        assert_eq!(password(&c.targets[0]).is_some(), used, "mode {mode:o}");
    }
    // A directory is not a password file.
    let e = env(&[("PGPASSFILE", dir.path().to_str().unwrap())]);
    assert_eq!(password(&ok("host=db", &e).targets[0]), None);
}

#[test]
fn sslmode_values_and_what_they_check() {
    let e = env(&[]);
    for (mode, pg) in [
        ("disable", PgSslMode::Disable),
        ("allow", PgSslMode::Prefer),
        ("prefer", PgSslMode::Prefer),
        ("require", PgSslMode::Require),
    ] {
        let c = ok(&format!("host=db sslmode={mode}"), &e);
        assert_eq!(c.sslmode.as_str(), mode);
        assert_eq!(c.targets[0].config.get_ssl_mode(), pg, "{mode}");
        let want = (mode != "disable").then_some(Check::Nothing);
        assert_eq!(
            c.verify, want,
            "{mode}: no root certificate, nothing to check with"
        );
    }
    assert_eq!(ok("host=db", &e).sslmode, SslMode::Prefer, "the default");

    // verify-* needs roots, and says how to give them.
    for mode in ["verify-ca", "verify-full"] {
        let m = err(&format!("host=db sslmode={mode}"), &e);
        assert!(
            m.contains("sslrootcert=FILE") && m.contains("root.crt"),
            "{m}"
        );
    }
    assert!(err("host=db sslmode=always", &e).contains("verify-full"));

    let dir = tempfile::tempdir().unwrap();
    let ca = file(dir.path(), "ca.pem", CERT, 0o644);
    let ca = ca.display();
    let c = ok(&format!("host=db sslmode=verify-full sslrootcert={ca}"), &e);
    assert_eq!(c.verify, Some(Check::ChainAndName));
    assert_eq!(c.targets[0].config.get_ssl_mode(), PgSslMode::Require);
    let c = ok(&format!("host=db sslmode=verify-ca sslrootcert={ca}"), &e);
    assert_eq!(c.verify, Some(Check::Chain));
    // As libpq: a root certificate that is there is checked against in `require` too.
    let c = ok(&format!("host=db sslmode=require sslrootcert={ca}"), &e);
    assert_eq!(c.verify, Some(Check::Chain));
    let c = ok(
        "host=db sslmode=verify-ca",
        &env(&[("PGSSLROOTCERT", &ca.to_string())]),
    );
    assert_eq!(c.verify, Some(Check::Chain));

    // ~/.postgresql/root.crt by default.
    std::fs::create_dir(dir.path().join(".postgresql")).unwrap();
    file(&dir.path().join(".postgresql"), "root.crt", CERT, 0o644);
    let home = env_home(&[], Some(dir.path()));
    assert_eq!(
        ok("host=db sslmode=verify-full", &home).verify,
        Some(Check::ChainAndName)
    );
    assert_eq!(ok("host=db", &home).verify, Some(Check::Chain));

    // A given root file that is missing, or not PEM, is refused.
    let m = err(
        "host=db sslmode=require sslrootcert=/nonexistent/ca.pem",
        &e,
    );
    assert!(
        m.contains("/nonexistent/ca.pem") && m.contains("does not exist"),
        "{m}"
    );
    let junk = file(dir.path(), "junk.pem", "not a certificate\n", 0o644);
    assert!(
        err(
            &format!("host=db sslmode=verify-ca sslrootcert={}", junk.display()),
            &e
        )
        .contains("junk.pem")
    );

    // sslrootcert=system means verify-full, and refuses anything weaker.
    assert!(err("host=db sslmode=require sslrootcert=system", &e).contains("verify-full"));
}

#[test]
fn a_unix_socket_never_uses_tls() {
    let e = env(&[]);
    let c = ok("host=/tmp/s sslmode=verify-full", &e);
    assert_eq!(c.verify, None, "no roots asked for: no TLS is used");
    assert_eq!(c.targets[0].config.get_ssl_mode(), PgSslMode::Disable);
    let c = ok("host=/tmp/s,db sslmode=require", &e);
    let modes: Vec<_> = c.targets.iter().map(|t| t.config.get_ssl_mode()).collect();
    assert_eq!(modes, [PgSslMode::Disable, PgSslMode::Require]);
    assert_eq!(c.display, "postgresql://duty@%2Ftmp%2Fs:5432,db:5432/duty");
}

#[test]
fn a_client_certificate_needs_a_private_key_only_its_owner_reads() {
    let dir = tempfile::tempdir().unwrap();
    let cert = file(dir.path(), "client.crt", CERT, 0o644);
    let key = file(dir.path(), "client.key", KEY, 0o644);
    let text = format!(
        "host=db sslmode=require sslcert={} sslkey={}",
        cert.display(),
        key.display()
    );
    assert!(err(&text, &env(&[])).contains("chmod 600"));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    ok(&text, &env(&[]));
    let missing = format!("host=db sslcert={}/none.crt", dir.path().display());
    assert!(err(&missing, &env(&[])).contains("none.crt"));
    let no_key = format!(
        "host=db sslcert={} sslkey={}/none.key",
        cert.display(),
        dir.path().display()
    );
    assert!(err(&no_key, &env(&[])).contains("sslkey=FILE"));
}

#[test]
fn a_draft_keeps_the_connection_but_not_its_password() {
    let e = env(&[]);
    // Without a password: as typed.
    for text in [
        "postgresql://officer@db:6000/duty?sslmode=require",
        "host=db dbname=duty",
    ] {
        assert_eq!(without_password(text).as_deref(), Some(text));
    }
    // With one: every other setting kept, and read back the same.
    for text in [
        "postgresql://officer:s3cret@db:6000,db2:6001/duty?sslmode=require&connect_timeout=3",
        "postgresql://officer@db/duty?password=s3cret&application_name=x",
        r"host=db port=6000 user=officer password='s3 cr\'et' dbname='my duty' sslmode=require",
    ] {
        let kept = without_password(text).unwrap();
        assert!(!kept.contains("s3"), "{text} → {kept}");
        let (before, after) = (ok(text, &e), ok(&kept, &e));
        assert_eq!(places(&after), places(&before), "{kept}");
        assert_eq!(
            (&after.user, &after.dbname, after.sslmode, &after.display),
            (
                &before.user,
                &before.dbname,
                before.sslmode,
                &before.display
            ),
            "{kept}"
        );
        assert_eq!(password(&after.targets[0]), None, "{kept}");
    }
    assert_eq!(
        without_password("host=db password=pw options='-c x=1'").as_deref(),
        Some("host=db options='-c x=1'")
    );
    // What does not read as a connection string gives nothing to keep.
    assert_eq!(without_password("host='unclosed password=pw"), None);
}
