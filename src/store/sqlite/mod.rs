//! The SQLite backend: the embedded default, one file (or memory, for tests).
//!
//! Rules of this module:
//! - One SQLite file, WAL, `synchronous=FULL`, foreign keys and `recursive_triggers` on, a busy
//!   timeout long enough that concurrent officers wait rather than fail; every write in
//!   `BEGIN IMMEDIATE`, so writers queue at the start and never deadlock on an upgrade, and a
//!   write transaction may number incidents and extend the chain knowing no one else can.
//! - The file is ours before we touch it: a file that is not SQLite, another program's SQLite
//!   file, or one written by a newer sitrep is refused from its header bytes, before SQLite opens
//!   it, so it is left byte for byte as it was.
//! - A new database is built in a temporary file beside the target (mode 0600) and linked into
//!   place only when complete, so a crash during `init` leaves either no database or a whole one.
//! - Writers migrate the schema; readers read what is there (every migration keeps the record
//!   readable at the versions before it) and `verify` never writes at all.
//! - Only bound parameters; times are integer Unix seconds in the file and `DateTime<Utc>`
//!   outside it; rows are turned into domain types here and nowhere else.

mod all;
mod entries;
mod guard;
mod incidents;
mod schema;
mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use guard::StoreError;

use super::query::{ListFilter, Scope};
use super::{Backend, Damage, Failure, Head, Read, Stored, VerifyReport, Write};
use chrono::NaiveDate;

use crate::domain::id::IncidentId;
use crate::domain::model::{Entry, Instant};
use crate::domain::row::IncidentRow;
use crate::msg;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open SQLite database.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// How the schema differs from sitrep's, found when it was opened (empty when sound).
    damage: Vec<Damage>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<SqliteStore> {
        if !path.exists() {
            create(path)?;
        }
        SqliteStore::open(path)
    }

    /// Opens an existing database to write it, bringing its schema up to date; a missing file
    /// is an error that says how to make one.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, true)
    }

    /// Opens an existing database for a reading command: as [`SqliteStore::open`], but the
    /// schema is read as it is, never migrated (every migration keeps the record readable at
    /// the versions before it), so reading never writes.
    pub fn open_to_read(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, false)
    }

    fn open_with(path: &Path, migrate: bool) -> Result<SqliteStore> {
        guard::check_file(path)?;
        let conn = open_connection(path).with_context(|| {
            let p = path.display();
            msg!("cannot open the database {p}", "无法打开数据库 {p}")
        })?;
        configure(&conn)?;
        let mut store = SqliteStore {
            conn,
            path: path.to_owned(),
            damage: Vec::new(),
        };
        if migrate {
            store.migrate()?;
        } else {
            store.refuse_newer()?;
        }
        let version = version(&store.conn)?;
        if version == 0 {
            return Err(StoreError::Unfinished {
                path: path.to_owned(),
            }
            .into());
        }
        store.damage = verify::schema_damage(&store.conn, version)?;
        Ok(store)
    }

    /// A file written by a newer sitrep is refused: what its schema means is not known here.
    fn refuse_newer(&self) -> Result<()> {
        let version = version(&self.conn)? as i64;
        let latest = schema::MIGRATIONS.len() as i64;
        if version > latest {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                version,
                latest,
            }
            .into());
        }
        Ok(())
    }

    /// A new, empty database in memory (the storage suite's second backend).
    pub fn memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        configure(&conn)?;
        let mut store = SqliteStore {
            conn,
            path: PathBuf::from(":memory:"),
            damage: Vec::new(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database to read it and nothing else: never created, never migrated,
    /// never written (a hot journal is not rolled back), so `verify` changes nothing.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
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
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
            damage,
        })
    }

    fn migrate(&mut self) -> Result<()> {
        self.refuse_newer()?;
        let version = version(&self.conn)? as i64;
        let latest = schema::MIGRATIONS.len() as i64;
        if version == latest {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now = version_of(&tx)?;
        for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(now) {
            m.run(&tx).with_context(|| {
                let n = i + 1;
                msg!("migration {n} failed", "第 {n} 号迁移失败")
            })?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl Backend for SqliteStore {
    fn read(&mut self) -> Result<Box<dyn Read + '_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .context(msg!("cannot read the database", "无法读取数据库"))?;
        Ok(Box::new(Tx { tx, head: None }))
    }

    fn write(&mut self) -> Result<Box<dyn Write + '_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(msg!(
                "cannot start writing to the database",
                "无法开始写入数据库"
            ))?;
        Ok(Box::new(Tx { tx, head: None }))
    }

    fn damage(&self) -> &[Damage] {
        &self.damage
    }

    fn version(&mut self) -> Result<usize> {
        version(&self.conn)
    }

    fn integrity_check(&mut self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn verify(&mut self, head: Option<&str>) -> Result<VerifyReport> {
        verify::verify_with_head(&self.conn, version(&self.conn)?, head)
    }

    /// A consistent copy of the database at `dest`, mode 0600, while others may be writing. The
    /// copy is written to a temporary file beside `dest`, synced, and linked into place, so
    /// `dest` is either absent or a complete copy; `dest` is a path, never an SQLite URI.
    fn backup(&mut self, dest: &Path) -> Result<()> {
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

    fn prepare_bulk(&mut self) -> Result<()> {
        // One transaction of up to millions of rows: keep its pages in memory rather than
        // spilling them to the log mid-way (128 MiB).
        self.conn.pragma_update(None, "cache_size", -128 * 1024)?;
        Ok(())
    }
}

/// A transaction: read-only as a [`Read`], writing as a [`Write`] (begun `IMMEDIATE`).
struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
    /// The chain's end, read once and carried from one append to the next.
    head: Option<(i64, String)>,
}

impl Read for Tx<'_> {
    fn incident(&mut self, id: &str) -> Result<Option<IncidentRow>> {
        incidents::get(&self.tx, id)
    }

    fn entries(&mut self, id: &str) -> Result<Vec<Entry>> {
        entries::of(&self.tx, id)
    }

    fn rules_text(&mut self, hash: &str) -> Result<Option<String>> {
        incidents::rules_text(&self.tx, hash)
    }

    fn list(&mut self, filter: &ListFilter) -> Result<Vec<IncidentRow>> {
        incidents::list(&self.tx, filter)
    }

    fn scope(&mut self, scope: Scope, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()> {
        let mut rows: std::collections::HashMap<String, IncidentRow> =
            incidents::of_scope(&self.tx, scope)?
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect();
        entries::each_of_scope(&self.tx, scope, &mut |id, list| {
            let row = rows.remove(&id);
            f((id, row, list))
        })?;
        // Rows of the scope without entries (a damaged record) are read too.
        let mut rest: Vec<IncidentRow> = rows.into_values().collect();
        rest.sort_by(|a, b| a.id.cmp(&b.id));
        rest.into_iter()
            .try_for_each(|r| f((r.id.clone(), Some(r), Vec::new())))
    }

    fn rules_texts(&mut self) -> Result<Vec<(String, String)>> {
        incidents::rules_texts(&self.tx)
    }

    fn all(&mut self, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()> {
        all::each(&self.tx, f)
    }

    fn heads(&mut self, before: Option<Instant>) -> Result<Vec<Head>> {
        let hash = match before {
            None => entries::head(&self.tx)?.1,
            Some(t) => entries::head_before(&self.tx, t)?,
        };
        Ok(vec![Head { office: None, hash }])
    }
}

impl Write for Tx<'_> {
    fn recorded_now(&mut self) -> Result<Option<Instant>> {
        // The writer's own clock: this file has no other.
        Ok(None)
    }

    fn store_rules(&mut self, hash: &str, text: &str, now: Instant) -> Result<()> {
        incidents::store_rules(&self.tx, hash, text, now)
    }

    fn new_id(&mut self, date: NaiveDate) -> Result<IncidentId> {
        let day = IncidentId::day(date);
        Ok(IncidentId::new(
            date,
            incidents::next_number(&self.tx, &day)?,
        ))
    }

    fn append(&mut self, id: &IncidentId, list: &[Entry], row: &IncidentRow) -> Result<Vec<Entry>> {
        let incident = id.to_string();
        let new = list.first().is_some_and(|e| e.n == 1);
        // The row first for a new incident (entries reference it); after the entries otherwise,
        // since a row changes only with a new entry of its incident (the guard trigger).
        if new {
            incidents::insert(&self.tx, row, &IncidentId::day(id.date), id.number)?;
        }
        let mut head = match self.head.take() {
            Some(h) => h,
            None => entries::head(&self.tx)?,
        };
        let stored = list
            .iter()
            .map(|e| entries::append(&self.tx, &mut head, &incident, e))
            .collect::<Result<Vec<_>>>();
        self.head = Some(head);
        let stored = stored?;
        if !new {
            incidents::update(&self.tx, row)?;
        }
        Ok(stored)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.tx
            .commit()
            .context(msg!("cannot commit to the database", "无法提交到数据库"))
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

/// The failure an SQLite or file-system error is, when it is one (see [`super::failure`]).
pub fn classify(cause: &(dyn std::error::Error + 'static)) -> Option<Failure> {
    use rusqlite::ErrorCode as C;
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind as K;
        return Some(match io.kind() {
            K::StorageFull => Failure::Full,
            K::ReadOnlyFilesystem | K::PermissionDenied => Failure::ReadOnly,
            _ => Failure::Other,
        });
    }
    if cause.is::<StoreError>() {
        return Some(Failure::Other);
    }
    let code = match cause.downcast_ref::<rusqlite::Error>() {
        Some(rusqlite::Error::SqliteFailure(e, _)) => e.code,
        Some(_) => return Some(Failure::Other),
        None => cause.downcast_ref::<rusqlite::ffi::Error>()?.code,
    };
    Some(match code {
        C::DatabaseBusy | C::DatabaseLocked => Failure::Busy,
        C::DiskFull => Failure::Full,
        C::ReadOnly | C::PermissionDenied | C::CannotOpen => Failure::ReadOnly,
        _ => Failure::Other,
    })
}

/// How many migrations have run on `conn`'s database.
fn version(conn: &Connection) -> Result<usize> {
    version_of(conn)
}

fn version_of(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(0))
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
        let conn = Connection::open(guard::plain_path(&tmp))?;
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        configure(&conn)?;
        let mut store = SqliteStore {
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

#[cfg(test)]
mod tests;
