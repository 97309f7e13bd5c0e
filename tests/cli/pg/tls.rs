//! TLS end to end: sitrep's connection layer (`conninfo::parse` + `connect`) against a cluster
//! of its own with `ssl=on` on `127.0.0.1`, its certificates made by the `openssl` tool (a CA,
//! a server certificate for `localhost`, another CA, a client certificate). TCP logins need a
//! password (`scram-sha-256`), except `certuser`, who logs in by certificate.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sitrep::store::pg::conninfo::{self, PgEnv};

use super::cluster::{Cluster, Options, literal};

const PASSWORD: &str = "s3cret:pa\\ss";

struct Setup {
    cluster: Cluster,
    /// The client's side: the CAs, the client certificate and key (0600, the test's own).
    client: tempfile::TempDir,
}

impl Setup {
    fn port(&self) -> u16 {
        self.cluster.port()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.client.path().join(name)
    }

    /// An environment with a home of its own: no `~/.pgpass`, no `~/.postgresql/root.crt`.
    fn env(&self, vars: &[(&str, &str)]) -> (PgEnv, tempfile::TempDir) {
        let home = tempfile::tempdir().expect("a home");
        let mut map: HashMap<String, String> = HashMap::new();
        map.insert("USER".into(), "nobody-here".into());
        for (k, v) in vars {
            map.insert((*k).into(), (*v).into());
        }
        (PgEnv::from_env(&map, Some(home.path().to_path_buf())), home)
    }

    /// Connects with `text`; `Ok(whether the session is TLS)`, or the error with its causes.
    fn session(&self, text: &str, env: &PgEnv) -> Result<bool, String> {
        let conn = conninfo::parse(text, env).unwrap_or_else(|e| panic!("{text}: {}", e.en));
        assert!(!conn.display.contains("s3cret"), "{}", conn.display);
        let mut client = conninfo::connect(&conn).map_err(|e| chain(&e))?;
        let row = client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .map_err(|e| chain(&e))?;
        Ok(row.get(0))
    }

    fn kv(&self, host: &str, rest: &str) -> String {
        let port = self.port();
        format!("host={host} port={port} dbname=postgres {rest}")
    }
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(&format!(": {c}"));
        cause = c.source();
    }
    out
}

fn setup() -> Option<&'static Setup> {
    static SETUP: OnceLock<Result<Setup, String>> = OnceLock::new();
    match SETUP.get_or_init(start) {
        Ok(s) => Some(s),
        Err(why) => {
            crate::env::skip(why);
            None
        }
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            format!("the openssl command is not installed ({e}): apt-get install openssl")
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A CA (`NAME.pem`, `NAME.key`).
fn ca(dir: &Path, name: &str) -> Result<(), String> {
    let (key, pem, subj) = (
        format!("{name}.key"),
        format!("{name}.pem"),
        format!("/CN=sitrep test {name}"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &subj,
            "-keyout",
            &key,
            "-out",
            &pem,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    )
}

/// A certificate (`NAME.crt`, `NAME.key`) for `cn`, signed by `ca`, with `ext` (its
/// subjectAltName and extendedKeyUsage).
fn leaf(dir: &Path, name: &str, cn: &str, ext: &str) -> Result<(), String> {
    let (key, csr, crt) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.crt"),
    );
    let extfile = format!("{name}.ext");
    std::fs::write(dir.join(&extfile), ext).map_err(|e| e.to_string())?;
    let subj = format!("/CN={cn}");
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            &subj,
            "-keyout",
            &key,
            "-out",
            &csr,
        ],
    )?;
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            &crt,
            "-extfile",
            &extfile,
        ],
    )
}

fn start() -> Result<Setup, String> {
    Command::new("openssl")
        .arg("version")
        .output()
        .map_err(|e| {
            format!("the openssl command is not installed ({e}): apt-get install openssl")
        })?;
    let cluster = Cluster::create(&Options {
        tcp: true,
        max_connections: 100,
        ..Options::default()
    })?;
    let client = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = client.path();
    ca(dir, "ca")?;
    ca(dir, "other-ca")?;
    leaf(
        dir,
        "server",
        "localhost",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n",
    )?;
    leaf(
        dir,
        "certuser",
        "certuser",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n",
    )?;
    for f in ["certuser.key", "ca.key", "other-ca.key", "server.key"] {
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
    }
    // The server's copies, in the cluster's directory (given to the postgres user on start).
    let server = cluster.dir();
    for f in ["server.crt", "server.key", "ca.pem"] {
        std::fs::copy(dir.join(f), server.join(f)).map_err(|e| format!("{f}: {e}"))?;
    }
    let s = server.display();
    cluster.configure(&format!(
        "ssl = on\nssl_cert_file = '{s}/server.crt'\nssl_key_file = '{s}/server.key'\n\
         ssl_ca_file = '{s}/ca.pem'\npassword_encryption = 'scram-sha-256'\n"
    ));
    cluster.set_hba(
        "local all all trust\n\
         hostssl all certuser 127.0.0.1/32 cert\n\
         host all certuser 127.0.0.1/32 reject\n\
         host all all 127.0.0.1/32 scram-sha-256\n",
    );
    cluster.start()?;
    let su = cluster.superuser().to_owned();
    cluster.psql_ok(
        "postgres",
        &su,
        &format!(
            "CREATE ROLE officer LOGIN PASSWORD {};\nCREATE ROLE certuser LOGIN;",
            literal(PASSWORD)
        ),
    );
    Ok(Setup { cluster, client })
}

/// `password=` for the officer, quoted for the key=value form.
fn password() -> String {
    format!("user=officer password='{}'", PASSWORD.replace('\\', "\\\\"))
}

#[test]
fn verify_full_to_the_certified_name_is_a_tls_session() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    let ca = s.file("ca.pem");
    let text = s.kv(
        "localhost",
        &format!(
            "{} sslmode=verify-full sslrootcert={}",
            password(),
            ca.display()
        ),
    );
    assert_eq!(s.session(&text, &env), Ok(true));
    // The URL form, the password percent-encoded; the root from PGSSLROOTCERT.
    let (env, _home) = s.env(&[("PGSSLROOTCERT", ca.to_str().expect("utf-8"))]);
    let url = format!(
        "postgresql://officer:s3cret%3Apa%5Css@localhost:{}/postgres?sslmode=verify-full",
        s.port()
    );
    assert_eq!(s.session(&url, &env), Ok(true));
}

#[test]
fn verify_full_refuses_another_name_and_verify_ca_accepts_it() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    let ca = s.file("ca.pem").display().to_string();
    let full = s.kv(
        "127.0.0.1",
        &format!("{} sslmode=verify-full sslrootcert={ca}", password()),
    );
    let e = s
        .session(&full, &env)
        .expect_err("127.0.0.1 is not the certificate's name");
    assert!(e.contains("not valid for name"), "{e}");
    let ca_only = s.kv(
        "127.0.0.1",
        &format!("{} sslmode=verify-ca sslrootcert={ca}", password()),
    );
    assert_eq!(s.session(&ca_only, &env), Ok(true));
}

#[test]
fn a_certificate_from_another_authority_is_refused() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    let other = s.file("other-ca.pem").display().to_string();
    for (host, mode) in [
        ("localhost", "verify-full"),
        ("127.0.0.1", "verify-ca"),
        ("localhost", "require"),
    ] {
        let text = s.kv(
            host,
            &format!("{} sslmode={mode} sslrootcert={other}", password()),
        );
        let e = s.session(&text, &env).expect_err(mode);
        assert!(
            e.contains("UnknownIssuer") || e.contains("unknown issuer"),
            "{mode}: {e}"
        );
    }
}

#[test]
fn require_without_a_root_encrypts_and_disable_does_not() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    for (mode, tls) in [
        ("require", true),
        ("prefer", true),
        ("allow", true),
        ("disable", false),
    ] {
        let text = s.kv("127.0.0.1", &format!("{} sslmode={mode}", password()));
        assert_eq!(s.session(&text, &env), Ok(tls), "{mode}");
    }
    let text = s.kv("127.0.0.1", &password());
    assert_eq!(s.session(&text, &env), Ok(true), "prefer, the default");
}

#[test]
fn the_password_comes_from_the_password_file() {
    let Some(s) = setup() else { return };
    let port = s.port();
    let escaped = PASSWORD.replace('\\', "\\\\").replace(':', "\\:");
    let (env, home) = s.env(&[]);
    let pgpass = home.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("localhost:{port}:postgres:officer:{escaped}\n"),
    )
    .expect("writes");
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let text = s.kv("localhost", "user=officer sslmode=require");
    assert_eq!(s.session(&text, &env), Ok(true), "~/.pgpass");
    // The host field is matched: 127.0.0.1 is not `localhost`.
    let other = s.kv("127.0.0.1", "user=officer sslmode=require");
    let e = s
        .session(&other, &env)
        .expect_err("no password for 127.0.0.1");
    assert!(e.contains("password"), "{e}");
    // Others may read it: ignored.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let e = s
        .session(&text, &env)
        .expect_err("a readable password file is ignored");
    assert!(e.contains("password"), "{e}");
    // PGPASSFILE.
    let (env, _home) = s.env(&[("PGPASSFILE", pgpass.to_str().expect("utf-8"))]);
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(s.session(&text, &env), Ok(true), "PGPASSFILE");
}

#[test]
fn a_wrong_password_is_the_servers_refusal() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    let conn =
        conninfo::parse(&s.kv("127.0.0.1", "user=officer password=wrong"), &env).expect("parses");
    let Err(e) = conninfo::connect(&conn) else {
        panic!("a wrong password was accepted")
    };
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::INVALID_PASSWORD),
        "{e:?}"
    );
}

#[test]
fn a_client_certificate_logs_in_without_a_password() {
    let Some(s) = setup() else { return };
    let (env, _home) = s.env(&[]);
    let text = s.kv(
        "localhost",
        &format!(
            "user=certuser sslmode=verify-full sslrootcert={} sslcert={} sslkey={}",
            s.file("ca.pem").display(),
            s.file("certuser.crt").display(),
            s.file("certuser.key").display()
        ),
    );
    assert_eq!(s.session(&text, &env), Ok(true));
    // Without it, certuser is refused.
    let bare = s.kv(
        "localhost",
        &format!(
            "user=certuser sslmode=verify-full sslrootcert={}",
            s.file("ca.pem").display()
        ),
    );
    assert!(s.session(&bare, &env).is_err());
}
