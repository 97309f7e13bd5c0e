//! Storage: the one module that knows SQL.
//!
//! Rules of this module:
//! - One SQLite file, WAL, `synchronous=FULL`, foreign keys and `recursive_triggers` on, a busy
//!   timeout long enough that concurrent officers wait rather than fail; every write in
//!   `BEGIN IMMEDIATE`, so writers queue at the start and never deadlock on an upgrade.
//! - The file is ours before we touch it: a file that is not SQLite, another program's SQLite
//!   file, or one written by a newer sitrep is refused from its header bytes, before SQLite opens
//!   it, so it is left byte for byte as it was.
//! - A new database is built in a temporary file beside the target (mode 0600) and linked into
//!   place only when complete, so a crash during `init` leaves either no database or a whole one.
//! - Only bound parameters; times are integer Unix seconds at this boundary and
//!   `DateTime<Utc>` everywhere else; rows are turned into domain types here and nowhere else.

pub mod chain;
mod entries;
mod guard;
mod incidents;
mod schema;
mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use entries::NewEntry;
pub use guard::{StoreError, create_private_file as create_private, is_storage_failure};
pub use incidents::{ListFilter, Scope};
pub use verify::{Damage, VerifyReport};

use crate::msg;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// A write transaction (`BEGIN IMMEDIATE`); commits on [`Store::write`]'s success.
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl Store {
    /// Opens the database at `path`, creating it if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if !path.exists() {
            create(path)?;
        }
        Store::open(path)
    }

    /// Opens an existing database; a missing file is an error that says how to make one.
    pub fn open(path: &Path) -> Result<Store> {
        guard::check_file(path)?;
        let conn = open_connection(path).with_context(|| {
            let p = path.display();
            msg!("cannot open the database {p}", "无法打开数据库 {p}")
        })?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one immediate transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(msg!(
                "cannot start writing to the database",
                "无法开始写入数据库"
            ))?;
        let tx = Tx { tx };
        let value = f(&tx)?;
        tx.tx
            .commit()
            .context(msg!("cannot commit to the database", "无法提交到数据库"))?;
        Ok(value)
    }

    /// Runs `f` in one read transaction, so everything it reads is one consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .context(msg!("cannot read the database", "无法读取数据库"))?;
        let tx = Tx { tx };
        f(&tx)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let latest = schema::MIGRATIONS.len() as i64;
        if version > latest {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                version,
                latest,
            }
            .into());
        }
        if version == latest {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(now as usize) {
            tx.execute_batch(sql).with_context(|| {
                let n = i + 1;
                msg!("migration {n} failed", "第 {n} 号迁移失败")
            })?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A consistent copy of the database at `dest`, mode 0600, while others may be writing.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        guard::create_private_file(dest)?;
        let target = dest.to_string_lossy().into_owned();
        self.conn
            .execute("VACUUM INTO ?1", [&target])
            .with_context(|| {
                let p = dest.display();
                msg!("cannot write the backup {p}", "无法写入备份 {p}")
            })?;
        Ok(())
    }

    /// Gives SQLite room to keep a bulk write's pages in memory (`import`), in KiB.
    pub fn reserve_cache(&self, kib: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// SQLite's own integrity check: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Verifies the hash chain, the numbering and the guard triggers; with `head`, also that the
    /// chain still contains that hash.
    pub fn verify(&self, head: Option<&str>) -> Result<VerifyReport> {
        verify::verify_with_head(&self.conn, head)
    }
}

/// Opens read-write; failing that (a read-only file or disk), read-only; and on a read-only disk
/// where SQLite cannot create the WAL's shared-memory file, as an immutable file — safe there,
/// since nothing can change it.
fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_WRITE)
        .or_else(|_| Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_ONLY))
        .and_then(|c| {
            // A read-only WAL database may open but fail at its first read; try it now.
            c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(c)
        })
        .or_else(|e| {
            let mut uri = String::from("file:");
            for c in path.to_string_lossy().chars() {
                match c {
                    '?' => uri.push_str("%3f"),
                    '#' => uri.push_str("%23"),
                    '%' => uri.push_str("%25"),
                    c => uri.push(c),
                }
            }
            uri.push_str("?immutable=1");
            let ro = flags | OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
            Connection::open_with_flags(&uri, ro).map_err(|_| e)
        })
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "recursive_triggers", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Builds a new database beside `path` and links it into place when complete.
fn create(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| {
            let d = dir.display();
            msg!("cannot create the directory {d}", "无法创建目录 {d}")
        })?;
    }
    let tmp = guard::temp_beside(path);
    let built = (|| -> Result<()> {
        guard::create_private_file(&tmp)?;
        let conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: tmp.clone(),
        };
        store.migrate()?;
        // Closing checkpoints the WAL into the file, so the linked file is complete on its own.
        store.conn.close().map_err(|(_, e)| e)?;
        guard::sync_file(&tmp)?;
        Ok(())
    })();
    let linked = built.and_then(|()| guard::link_new(&tmp, path));
    guard::remove_temp(&tmp);
    linked.with_context(|| {
        let p = path.display();
        msg!("cannot create the database {p}", "无法创建数据库 {p}")
    })
}

impl Tx<'_> {
    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }
}

#[cfg(test)]
mod tests;
