//! Opening a shared store: connecting, learning who the login is and what the store is, making
//! the schema (`init`, the owner) and migrating it (`admin migrate`, the owner).

use anyhow::{Context, Result};

use super::conninfo::{self, PgEnv};
use super::{PgStore, Shared};
use crate::error::refuse;
use crate::msg;

/// The migrations, in order: `meta.version` is how many have run. `:users` is the store's group
/// role, which every office role is a member of.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("migration2.sql"),
    include_str!("migration3.sql"),
];

/// A shared store's connection string and the `PG*` environment it is read with.
#[derive(Debug, Clone)]
pub struct PgLocation {
    pub text: String,
    pub env: PgEnv,
}

/// How a store is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To read and write: the schema must be this binary's.
    Write,
    /// To read: any schema this binary can read.
    Read,
}

/// The connection described without its password.
pub fn display(at: &PgLocation) -> String {
    conninfo::parse(&at.text, &at.env)
        .map(|c| c.display)
        .unwrap_or_else(|_| "postgresql://…".to_owned())
}

fn connect(at: &PgLocation) -> Result<(postgres::Client, String)> {
    let conn = conninfo::parse(&at.text, &at.env).map_err(refuse)?;
    let display = conn.display.clone();
    let client = conninfo::connect(&conn).with_context(|| {
        msg!(
            "cannot connect to the shared store {display}: check the address, that the server runs, and the login (PGPASSWORD or ~/.pgpass)",
            "无法连接共享库 {display}：请检查地址、服务器是否运行以及登录（PGPASSWORD 或 ~/.pgpass）"
        )
    })?;
    Ok((client, display))
}

/// Opens an existing shared store.
pub fn open(at: &PgLocation, mode: Mode) -> Result<PgStore> {
    let (mut client, display) = connect(at)?;
    let shared = learn(&mut client, display)?;
    let Some(shared) = shared else {
        let db = database(&mut client)?;
        return Err(refuse(msg!(
            "the database {db} holds no sitrep store yet: its owner makes one with `sitrep --db <url> init`",
            "数据库 {db} 中还没有 sitrep 共享库：请由其所有者运行 `sitrep --db <地址> init` 创建"
        )));
    };
    if mode == Mode::Write {
        refuse_other_version(&shared)?;
    } else if shared.version == 0 {
        return Err(refuse(msg!(
            "the shared store was never finished: its owner runs `sitrep --db <url> init`",
            "共享库尚未创建完成：请由其所有者运行 `sitrep --db <地址> init`"
        )));
    }
    Ok(PgStore {
        client,
        shared,
        narrow: None,
        damage: Vec::new(),
        bulk: false,
    })
}

/// Makes the store (`init`), as the owner: the schema and its group role, marked a test store
/// when asked (`--test-clock`, for ever). Returns the store, and whether it existed already.
pub fn create(at: &PgLocation, test_clock: bool) -> Result<(PgStore, bool)> {
    let (mut client, display) = connect(at)?;
    let existed = learn(&mut client, display.clone())?.is_some();
    if !existed {
        let db = database(&mut client)?;
        refuse_encoding(&mut client, &db)?;
        let users = users_role(&db);
        let mut tx = client.transaction()?;
        tx.batch_execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN \
             CREATE ROLE {ident} NOLOGIN; END IF; END $$",
            lit = literal(&users),
            ident = ident(&users)
        ))?;
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            tx.batch_execute(&sql.replace(":users", &ident(&users)))
                .with_context(|| {
                    let n = i + 1;
                    msg!("migration {n} failed", "第 {n} 号迁移失败")
                })?;
        }
        tx.execute(
            "INSERT INTO sitrep.meta (key, value) VALUES ('version', $1)",
            &[&MIGRATIONS.len().to_string()],
        )?;
        if test_clock {
            tx.execute(
                "INSERT INTO sitrep.meta (key, value) VALUES ('test_clock', 'the client''s clock counts: SITREP_NOW')",
                &[],
            )?;
        }
        tx.commit()?;
    }
    let shared = learn(&mut client, display)?.context("the store just made cannot be read")?;
    if test_clock && !shared.test_clock {
        return Err(refuse(msg!(
            "this shared store exists and is not a test store: --test-clock marks a store only when it is made",
            "此共享库已存在且不是测试库：--test-clock 只能在创建时标记"
        )));
    }
    let mut store = PgStore {
        client,
        shared,
        narrow: None,
        damage: Vec::new(),
        bulk: false,
    };
    if existed && store.shared.owner && store.shared.version < MIGRATIONS.len() {
        store.migrate()?;
    }
    Ok((store, existed))
}

/// A store is made only in a UTF-8 database: it holds Chinese text, and its chain's encoding is
/// defined on UTF-8 bytes.
fn refuse_encoding(client: &mut postgres::Client, db: &str) -> Result<()> {
    let rows = client.simple_query("SHOW server_encoding")?;
    let encoding = rows.iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
        _ => None,
    });
    match encoding.as_deref() {
        Some("UTF8") | None => Ok(()),
        Some(enc) => Err(refuse(msg!(
            "the database {db} is in {enc}, and a shared store needs UTF-8 (it holds Chinese text): make one with `createdb -E UTF8 -T template0 NAME` and run init there",
            "数据库 {db} 的编码是 {enc}，共享库需要 UTF-8（其中有中文）：请用 `createdb -E UTF8 -T template0 库名` 新建数据库后再运行 init"
        ))),
    }
}

/// Runs the migrations the store has not had, as the owner.
pub fn migrate(client: &mut postgres::Client, shared: &mut Shared) -> Result<usize> {
    if !shared.owner {
        let login = &shared.login;
        return Err(refuse(msg!(
            "only the store's owner migrates it, and {login} is not the owner: ask the owner to run `sitrep admin migrate`",
            "只有共享库的所有者才能迁移，{login} 不是所有者：请所有者运行 `sitrep admin migrate`"
        )));
    }
    let users = users_role(&shared.database);
    let mut tx = client.transaction()?;
    // Another owner may have migrated while we waited for the lock.
    tx.batch_execute("LOCK TABLE sitrep.meta IN EXCLUSIVE MODE")?;
    let now: i64 = version_of(&mut tx)?;
    let now = usize::try_from(now).unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now.max(1)) {
        tx.batch_execute(&sql.replace(":users", &ident(&users)))
            .with_context(|| {
                let n = i + 1;
                msg!("migration {n} failed", "第 {n} 号迁移失败")
            })?;
        tx.execute(
            "UPDATE sitrep.meta SET value = $1 WHERE key = 'version'",
            &[&(i + 1).to_string()],
        )?;
    }
    tx.commit()?;
    shared.version = MIGRATIONS.len();
    Ok(MIGRATIONS.len())
}

/// A write is refused on a schema this binary does not write: older (the owner migrates) or
/// newer (a newer sitrep writes it).
pub fn refuse_other_version(shared: &Shared) -> Result<()> {
    let (have, want) = (shared.version, MIGRATIONS.len());
    if have < want {
        return Err(refuse(msg!(
            "the shared store is at schema {have} and this sitrep writes schema {want}: its owner runs `sitrep --db <url> admin migrate` (reading still works)",
            "共享库结构版本为 {have}，本版本 sitrep 写入需要版本 {want}：请所有者运行 `sitrep --db <地址> admin migrate`（查看仍可进行）"
        )));
    }
    if have > want {
        return Err(refuse(msg!(
            "the shared store is at schema {have}, newer than this sitrep knows ({want}): upgrade sitrep to write to it (reading still works)",
            "共享库结构版本为 {have}，高于本版本 sitrep 所知（{want}）：请升级 sitrep 后再写入（查看仍可进行）"
        )));
    }
    Ok(())
}

/// Who the login is and what the store is; `None` where the database has no sitrep schema.
fn learn(client: &mut postgres::Client, display: String) -> Result<Option<Shared>> {
    // Every process opens the store, so what it learns comes in two statements of one round
    // trip each (`query_typed` sends no separate prepare), the second one snapshot.
    let row = client.query_typed(
        "SELECT session_user::text, current_database()::text, \
         to_regnamespace('sitrep') IS NOT NULL",
        &[],
    )?;
    let row = row.first().context("the server answered nothing")?;
    let (login, database, exists): (String, String, bool) = (row.get(0), row.get(1), row.get(2));
    if !exists {
        return Ok(None);
    }
    let rows = client.query_typed(
        "SELECT (SELECT value FROM sitrep.meta WHERE key = 'version'), \
         EXISTS (SELECT 1 FROM sitrep.meta WHERE key = 'test_clock'), sitrep.is_owner(), \
         ARRAY(SELECT c FROM sitrep.member_offices() AS c ORDER BY 1), \
         ARRAY(SELECT c FROM sitrep.readable_offices() AS c ORDER BY 1)",
        &[],
    )?;
    let row = rows.first().context("the server answered nothing")?;
    let version: Option<String> = row.get(0);
    let version = version.and_then(|v| v.parse().ok()).unwrap_or(0);
    let (test_clock, owner): (bool, bool) = (row.get(1), row.get(2));
    let (members, readable): (Vec<String>, Vec<String>) = (row.get(3), row.get(4));
    let acting = match members.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    Ok(Some(Shared {
        login,
        owner,
        members,
        readable,
        acting,
        test_clock,
        version,
        database,
        display,
    }))
}

fn version_of(tx: &mut postgres::Transaction<'_>) -> Result<i64> {
    let v: Option<String> = tx
        .query_opt("SELECT value FROM sitrep.meta WHERE key = 'version'", &[])?
        .map(|r| r.get(0));
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn database(client: &mut postgres::Client) -> Result<String> {
    Ok(client
        .query_one("SELECT current_database()::text", &[])?
        .get(0))
}

/// The store's group role: every office role is a member (a cluster's roles are shared by its
/// databases, so the database's name is in it).
pub fn users_role(database: &str) -> String {
    format!("sitrep_{database}_users")
}

/// An SQL identifier, quoted.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal, quoted.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
