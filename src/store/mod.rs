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
mod damage;
mod entries;
mod guard;
mod incidents;
mod schema;
mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use damage::{Damage, SchemaProblem};
pub use entries::NewEntry;
pub use guard::{StoreError, create_private_file as create_private, is_storage_failure};
pub use incidents::{ListFilter, Scope};
pub use verify::{MAX_DAMAGE, VerifyReport};

use crate::msg;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// How the schema differs from sitrep's, found when it was opened (empty when sound).
    damage: Vec<Damage>,
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
            damage: Vec::new(),
        };
        store.migrate()?;
        store.damage = verify::schema_damage(&store.conn, schema::MIGRATIONS.len())?;
        Ok(store)
    }

    /// Opens an existing database to read it and nothing else: never created, never migrated,
    /// never written (a hot journal is not rolled back), so `verify` changes nothing.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        guard::check_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_READ_ONLY;
        let conn = Connection::open_with_flags(guard::plain_path(path), flags)
            .and_then(|c| {
                c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
                Ok(c)
            })
            // On a read-only disk SQLite cannot make the WAL's shared-memory file: read the
            // file as immutable, which is safe there, since nothing can change it.
            .or_else(|e| immutable(path).map_err(|_| e))
            .and_then(|c| {
                c.busy_timeout(BUSY_TIMEOUT)?;
                c.pragma_update(None, "query_only", "ON")?;
                // Reading the header: a file SQLite cannot read without writing fails here.
                c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
                Ok(c)
            })
            .with_context(|| {
                let p = path.display();
                msg!(
                    "cannot open the database {p} to read it: if a copy was interrupted, it is incomplete; verify the original",
                    "无法以只读方式打开数据库 {p}：如为中断的复制，该副本不完整，请校验原数据库"
                )
            })?;
        let damage = verify::schema_damage(&conn, version(&conn)?)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            damage,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many of sitrep's migrations the file has had (0: an empty sitrep file).
    pub fn version(&self) -> Result<usize> {
        version(&self.conn)
    }

    /// How the schema differs from sitrep's (a guard trigger dropped, emptied or joined by
    /// another): what every command says before it reports from this file.
    pub fn damage(&self) -> &[Damage] {
        &self.damage
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

    /// A consistent copy of the database at `dest`, mode 0600, while others may be writing. The
    /// copy is written to a temporary file beside `dest`, synced, and linked into place, so
    /// `dest` is either absent or a complete copy; `dest` is a path, never an SQLite URI.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        guard::check_backup_dest(dest)?;
        let tmp = guard::temp_beside(dest);
        let written = (|| -> Result<()> {
            guard::create_private_file(&tmp)?;
            let target = guard::plain_path(&tmp).to_string_lossy().into_owned();
            self.conn.execute("VACUUM INTO ?1", [&target])?;
            guard::sync_file(&tmp)?;
            guard::link_backup(&tmp, dest)
        })();
        guard::remove_temp(&tmp);
        written.with_context(|| {
            let p = dest.display();
            msg!("cannot write the backup {p}", "无法写入备份 {p}")
        })
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

    /// Verifies the hash chain, the numbering, recorded times, the schema and the stored rules
    /// texts; with `head`, also that the chain still contains that hash.
    pub fn verify(&self, head: Option<&str>) -> Result<VerifyReport> {
        verify::verify_with_head(&self.conn, version(&self.conn)?, head)
    }
}

/// Opens read-write; failing that (a read-only file or disk), read-only; and on a read-only disk
/// where SQLite cannot create the WAL's shared-memory file, as an immutable file — safe there,
/// since nothing can change it.
fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let path = &guard::plain_path(path);
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
        .or_else(|e| immutable(path).map_err(|_| e))
}

/// Opens a file that nothing can change (a read-only disk) as immutable, read-only.
fn immutable(path: &Path) -> rusqlite::Result<Connection> {
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
    let ro = OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(&uri, ro)
}

/// An SQLite failure a person meets, in Chinese (`None` for the rest): what the draft and the
/// error messages say beside it is already Chinese.
pub fn cause_zh(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    use rusqlite::ErrorCode as C;
    let code = match cause.downcast_ref::<rusqlite::Error>() {
        Some(rusqlite::Error::SqliteFailure(e, _)) => e.code,
        _ => cause.downcast_ref::<rusqlite::ffi::Error>()?.code,
    };
    let words = match code {
        C::ReadOnly => "数据库为只读，无法写入",
        C::DatabaseBusy | C::DatabaseLocked => "数据库正被其他进程占用",
        C::DiskFull => "磁盘已满",
        C::CannotOpen => "无法打开数据库文件",
        C::NotADatabase => "不是数据库文件",
        C::DatabaseCorrupt => "数据库文件已损坏",
        C::SystemIoFailure => "读写磁盘失败",
        C::PermissionDenied => "没有权限",
        C::ConstraintViolation => "违反数据库约束（记录保护触发器拒绝了此操作）",
        _ => return None,
    };
    Some(words.to_owned())
}

/// How many migrations have run on `conn`'s database.
fn version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(0))
}

/// How many migrations have run on `conn`'s database.
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
        let conn = Connection::open(guard::plain_path(&tmp))?;
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: tmp.clone(),
            damage: Vec::new(),
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
