//! The PostgreSQL backend: one shared store for a city's duty offices (DESIGN.md §12).
//!
//! Rules of this module:
//! - sitrep's tables live in the schema `sitrep` (`schema.sql`), made and migrated by the owner
//!   only (`init`, `admin migrate`); an office's role never runs DDL. A reader reads a schema as
//!   it is; a writer refuses a schema older or newer than this binary's, saying what to do.
//! - Who may do what is the database's: grants (office roles hold SELECT, and INSERT on entries
//!   only), row-level security (an officer's office; a supervisor's tree, reviews appended
//!   there), and the trigger on entries, which takes the recorded time from the server's clock,
//!   checks the login and the numbering, extends the office's hash chain and writes the
//!   incident's row. A client can ask for no more than `psql` with the same login could do.
//! - A read is one `REPEATABLE READ` snapshot; a write is `READ COMMITTED` and takes the office's
//!   chain (`sitrep.lock_office`) before it reads the incident it appends to, so what it read
//!   cannot change before it writes; serialization failures and deadlocks are classified as
//!   conflicts, which the write path retries.
//! - Times are integer Unix seconds in the tables, as in the SQLite file.

mod bulk;
pub mod conninfo;
mod offices;
pub(crate) mod open;
pub mod tls;
mod tx;
mod verify;

use std::path::Path;

use anyhow::Result;

pub use offices::{Office, OfficeAdd};
pub use open::{Mode, PgLocation, display};

use super::{Backend, Damage, Failure, Read, VerifyReport, Write};

/// Who is logged in to a shared store, and what the store is.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The login (the PostgreSQL role the session runs as).
    pub login: String,
    /// Whether the login owns sitrep's schema (runs migrations, adds offices).
    pub owner: bool,
    /// The offices whose officer role the login holds.
    pub members: Vec<String>,
    /// The offices the login may read (its own, and its tree for a supervisor).
    pub readable: Vec<String>,
    /// The office written for: `--office`, or the one office the login holds.
    pub acting: Option<String>,
    /// A test store (`init --test-clock`): the client's clock counts, marked for ever.
    pub test_clock: bool,
    /// How many of sitrep's migrations the store has had.
    pub version: usize,
    /// The database, for role names and messages.
    pub database: String,
    /// The connection described without its password.
    pub display: String,
}

/// An open shared store.
pub struct PgStore {
    client: postgres::Client,
    shared: Shared,
    /// The offices reads are narrowed to (`--office CODE [--tree]`); `None` is all readable.
    narrow: Option<Vec<String>>,
    damage: Vec<Damage>,
    /// Whether writes are an import's (`prepare_bulk`).
    bulk: bool,
}

impl PgStore {
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Narrows reads to `office`, or to it and every office below it (`--tree`), and makes it
    /// the office written for. Refused outside the offices the login may read.
    pub fn narrow(&mut self, office: &str, tree: bool) -> Result<()> {
        let offices = offices::tree(&mut self.client, office, tree)?;
        if !self.shared.readable.iter().any(|o| o == office) {
            let login = &self.shared.login;
            let list = self.shared.readable.join(", ");
            return Err(crate::error::refuse(crate::msg!(
                "office `{office}` is outside what {login} may read ({list}): give one of those with --office",
                "单位 `{office}` 不在 {login} 可查看的范围内（{list}）：请用 --office 指定其中之一"
            )));
        }
        self.shared.acting = Some(office.to_owned());
        self.narrow = Some(offices);
        Ok(())
    }

    /// The offices' operations (the owner's, but `list`).
    pub fn offices(&mut self) -> offices::Offices<'_> {
        offices::Offices {
            client: &mut self.client,
            shared: &self.shared,
        }
    }

    /// The rules text in force for the office written for.
    pub fn office_rules(&mut self) -> Result<Option<(String, String)>> {
        let Some(office) = self.shared.acting.clone() else {
            return Ok(None);
        };
        offices::current_rules(&mut self.client, &office)
    }

    /// Runs the migrations this binary knows that the store has not had (the owner's).
    pub fn migrate(&mut self) -> Result<usize> {
        open::migrate(&mut self.client, &mut self.shared)
    }
}

impl Backend for PgStore {
    fn read(&mut self) -> Result<Box<dyn Read + '_>> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        Ok(Box::new(tx::Tx::new(
            tx,
            &self.shared,
            self.narrow.as_deref(),
            false,
            false,
        )))
    }

    fn write(&mut self) -> Result<Box<dyn Write + '_>> {
        open::refuse_other_version(&self.shared)?;
        let tx = self.client.transaction()?;
        Ok(Box::new(tx::Tx::new(
            tx,
            &self.shared,
            self.narrow.as_deref(),
            true,
            self.bulk,
        )))
    }

    fn damage(&self) -> &[Damage] {
        &self.damage
    }

    fn version(&mut self) -> Result<usize> {
        Ok(self.shared.version)
    }

    fn integrity_check(&mut self) -> Result<Vec<String>> {
        // The server keeps its own files; what a client can ask is whether its tables answer.
        self.client.simple_query("SELECT 1")?;
        Ok(vec!["ok".to_owned()])
    }

    fn verify(&mut self, head: Option<&str>) -> Result<VerifyReport> {
        verify::verify(&mut self.client, &self.shared, head)
    }

    fn backup(&mut self, _dest: &Path) -> Result<()> {
        let db = &self.shared.database;
        Err(crate::error::refuse(crate::msg!(
            "a shared store is backed up by PostgreSQL, not by sitrep: run `pg_dump --format=custom --schema=sitrep {db} > sitrep.dump` as the owner (restore with pg_restore), then `sitrep verify` the restored store",
            "共享库由 PostgreSQL 备份，而非 sitrep：请以所有者身份运行 `pg_dump --format=custom --schema=sitrep {db} > sitrep.dump`（用 `pg_restore` 恢复），恢复后运行 `sitrep verify` 核验"
        )))
    }

    fn prepare_bulk(&mut self) -> Result<()> {
        // The owner's import then goes in a batch at a time (`bulk.rs`).
        self.bulk = true;
        Ok(())
    }

    fn shared(&self) -> Option<&Shared> {
        Some(&self.shared)
    }

    fn as_postgres(&mut self) -> Option<&mut PgStore> {
        Some(self)
    }
}

/// The failure a PostgreSQL error is, when it is one (see [`super::failure`]).
pub fn classify(cause: &(dyn std::error::Error + 'static)) -> Option<Failure> {
    use postgres::error::SqlState as S;
    let e = cause.downcast_ref::<postgres::Error>()?;
    if e.is_closed() {
        return Some(Failure::Lost);
    }
    let Some(code) = e.code() else {
        // No answer from the server: the connection could not be made or was cut.
        return Some(Failure::Lost);
    };
    if *code == S::INSUFFICIENT_PRIVILEGE {
        // A refusal of this login, not a failure of the store: the same command can never
        // succeed, so no draft is kept for it.
        return None;
    }
    Some(match code {
        c if *c == S::T_R_SERIALIZATION_FAILURE || *c == S::T_R_DEADLOCK_DETECTED => {
            Failure::Conflict
        }
        c if *c == S::LOCK_NOT_AVAILABLE => Failure::Busy,
        c if *c == S::DISK_FULL => Failure::Full,
        c if *c == S::READ_ONLY_SQL_TRANSACTION => Failure::ReadOnly,
        c if *c == S::ADMIN_SHUTDOWN
            || *c == S::CRASH_SHUTDOWN
            || *c == S::CANNOT_CONNECT_NOW
            || *c == S::CONNECTION_FAILURE =>
        {
            Failure::Lost
        }
        _ => Failure::Other,
    })
}

/// A PostgreSQL failure a person meets, in Chinese, where it is a known one.
pub fn cause_zh(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    use postgres::error::SqlState as S;
    let e = cause.downcast_ref::<postgres::Error>()?;
    if e.is_closed() || e.code().is_none() {
        return Some("与共享库的连接中断或无法建立".to_owned());
    }
    let code = e.code()?;
    let words = if *code == S::INSUFFICIENT_PRIVILEGE {
        "共享库拒绝：此登录无此权限"
    } else if *code == S::CHECK_VIOLATION {
        "共享库拒绝：违反记录规则"
    } else if *code == S::INVALID_PASSWORD || *code == S::INVALID_AUTHORIZATION_SPECIFICATION {
        "登录被拒绝（用户名或密码不正确）"
    } else if *code == S::ADMIN_SHUTDOWN || *code == S::CRASH_SHUTDOWN {
        "共享库服务器已停止或重启"
    } else {
        return None;
    };
    let detail = e
        .as_db_error()
        .map(|d| d.message().to_owned())
        .unwrap_or_default();
    Some(format!("{words}（{detail}）"))
}
