//! TEMPORARY stand-in until the connection layer lands (branch pg-conn): libpq-style strings
//! through rust-postgres's own parser, no TLS.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;

use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PgEnv {
    vars: Vec<(String, String)>,
}

impl PgEnv {
    pub fn from_env(vars: &HashMap<String, String>, _home: Option<PathBuf>) -> PgEnv {
        let mut v: Vec<(String, String)> = vars
            .iter()
            .filter(|(k, _)| k.starts_with("PG") || k.as_str() == "USER")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        PgEnv { vars: v }
    }
}

pub struct Conn {
    pub config: postgres::Config,
    pub display: String,
}

pub fn is_conninfo(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("postgres://")
        || t.starts_with("postgresql://")
        || t.split_once('=').is_some_and(|(k, _)| {
            matches!(
                k.trim(),
                "host" | "hostaddr" | "port" | "dbname" | "user" | "password" | "sslmode"
            )
        })
}

pub fn parse(text: &str, _env: &PgEnv) -> Result<Conn, Msg> {
    let config = postgres::Config::from_str(text).map_err(|e| {
        let e = e.to_string();
        crate::msg!("the connection string cannot be read: {e}", "无法读取连接字符串：{e}")
    })?;
    let user = config.get_user().unwrap_or("").to_owned();
    let db = config.get_dbname().unwrap_or("").to_owned();
    Ok(Conn {
        config,
        display: format!("postgresql://{user}@/{db}"),
    })
}

pub fn connect(conn: &Conn) -> Result<postgres::Client, postgres::Error> {
    conn.config.connect(postgres::NoTls)
}
