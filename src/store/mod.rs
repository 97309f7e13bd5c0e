//! Storage: the one seam between sitrep and the engines that keep its record.
//!
//! Rules of this module (see ARCHITECTURE.md, "The storage seam"):
//! - The rest of sitrep uses [`Store`], [`Read`] and [`Write`] and never names an engine: no
//!   SQL, no engine type, no engine error crosses this module. Backends live in `sqlite/` (the
//!   embedded default: a file, or memory for tests) and, on a shared store, `postgres/`.
//! - A read transaction is one consistent snapshot and cannot write (its type has no writing
//!   methods). A write transaction holds the store's write lock from its start, so what it reads
//!   cannot change under it; it owns the chain (position, previous hash, hash) and the numbering
//!   of incidents within an office and day, and it commits only by [`Write::commit`]: dropped,
//!   it rolls back.
//! - Reads collect, or hand what they read to a function that has no transaction: no method
//!   hands out a cursor, and no caller runs a second query while a first is open (PostgreSQL's
//!   client cannot). The rules texts an incident needs are read beforehand.
//! - Failures are classified by the store ([`failure`]): busy, full, read-only, connection lost
//!   — the cases where what was typed is saved as a draft — so no caller downcasts an engine's
//!   error.
//! - Times are `DateTime<Utc>` on this side; the backends store them as they like.

pub mod chain;
mod decode;
mod location;
#[doc(hidden)]
pub mod pg;
pub mod query;
mod sqlite;
pub mod walk;

use std::path::Path;

use anyhow::Result;

pub use crate::damage::{ChainReport, Damage, MAX_DAMAGE, SchemaProblem, VerifyReport};
pub use location::Location;
pub use pg::Shared;
pub use query::{ListFilter, Scope};
pub use sqlite::StoreError;

use chrono::NaiveDate;

use crate::domain::id::IncidentId;
use crate::domain::model::{Entry, Instant};
use crate::domain::row::IncidentRow;

/// An incident as a store holds it: its row (`None` where the row is missing), and its entries.
pub type Stored = (String, Option<IncidentRow>, Vec<Entry>);

/// The head of a chain: a file's one chain (`office` is `None`), or an office's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub office: Option<String>,
    pub hash: String,
}

/// Reading, in one consistent snapshot.
pub trait Read {
    /// An incident's row.
    fn incident(&mut self, id: &str) -> Result<Option<IncidentRow>>;
    /// An incident's entries, in entry order.
    fn entries(&mut self, id: &str) -> Result<Vec<Entry>>;
    /// A rules text by its hash.
    fn rules_text(&mut self, hash: &str) -> Result<Option<String>>;
    /// Incidents for `list`, newest first.
    fn list(&mut self, filter: &ListFilter) -> Result<Vec<IncidentRow>>;
    /// The incidents of a scope with their entries (and a row of the scope without entries),
    /// handed to `f` one at a time as they are read: by index, so the cost follows the scope,
    /// not the history, and what is held is one incident. `f` has no transaction to read with,
    /// so no second query runs while this one is open.
    fn scope(&mut self, scope: Scope, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()>;
    /// Every stored rules text, by hash: a handful, read before a scope so that its incidents'
    /// rules need no query inside it.
    fn rules_texts(&mut self) -> Result<Vec<(String, String)>>;
    /// Every incident, in id order, handed to `f` one at a time as it is read (rows and entries
    /// alike, so a row without entries and entries without a row are both seen). As with
    /// [`Read::scope`], `f` cannot read the store.
    fn all(&mut self, f: &mut dyn FnMut(Stored) -> Result<()>) -> Result<()>;
    /// The head of each chain the login may read (one for a file, one per office on a shared
    /// store), or as each stood at `before`: its last entry recorded before that moment.
    fn heads(&mut self, before: Option<Instant>) -> Result<Vec<Head>>;
}

/// Writing, in one transaction that holds the store's write lock.
pub trait Write: Read {
    /// The recorded time of what is written now, when the store keeps the clock (a shared
    /// store's server); `None` where the caller's clock counts.
    fn recorded_now(&mut self) -> Result<Option<Instant>>;
    /// Stores a rules text by its hash (once).
    fn store_rules(&mut self, hash: &str, text: &str, now: Instant) -> Result<()>;
    /// The id of a new incident known on `date`: the next number of that day (of the acting
    /// office, on a shared store). Numbers have no gaps, and no two writers get the same one.
    fn new_id(&mut self, date: NaiveDate) -> Result<IncidentId>;
    /// Appends entries of incident `id` to the end of the chain — for a new incident the first
    /// is its initial report, numbered 1 — and sets the incident's row to `row`, what its
    /// replayed entries make. Returns the entries as stored (position, hash, and on a shared
    /// store the server's recorded time).
    fn append(
        &mut self,
        id: &IncidentId,
        entries: &[Entry],
        row: &IncidentRow,
    ) -> Result<Vec<Entry>>;
    /// Makes everything written durable; without it, nothing was.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// An engine behind the seam.
pub trait Backend {
    fn read(&mut self) -> Result<Box<dyn Read + '_>>;
    fn write(&mut self) -> Result<Box<dyn Write + '_>>;
    /// How the schema differs from sitrep's, found when opened.
    fn damage(&self) -> &[Damage];
    /// How many of sitrep's migrations the store has had.
    fn version(&mut self) -> Result<usize>;
    /// The engine's own check of its files (`ok`, or what is wrong).
    fn integrity_check(&mut self) -> Result<Vec<String>>;
    /// The chain, recorded times, schema and stored rules texts; with `head`, also that the
    /// chain still contains it.
    fn verify(&mut self, head: Option<&str>) -> Result<VerifyReport>;
    /// A consistent copy at `dest`, complete or absent.
    fn backup(&mut self, dest: &Path) -> Result<()>;
    /// A hint that one transaction of many rows follows (`import`).
    fn prepare_bulk(&mut self) -> Result<()>;
    /// Who is logged in and what the store is, on a shared store (`None` for a file).
    fn shared(&self) -> Option<&Shared> {
        None
    }
    /// The shared store's own operations (offices, migrations), where this is one.
    fn as_postgres(&mut self) -> Option<&mut pg::PgStore> {
        None
    }
}

/// An open store.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Opens an existing store for reading and writing, bringing its schema up to date.
    pub fn open(at: &Location) -> Result<Store> {
        match at {
            Location::File(p) => Ok(Store::of(sqlite::SqliteStore::open(p)?)),
            Location::Postgres(pg) => Ok(Store::of(pg::open::open(pg, pg::Mode::Write)?)),
        }
    }

    /// Opens an existing store for a reading command: its schema read as it is, never migrated,
    /// so reading never writes.
    pub fn open_to_read(at: &Location) -> Result<Store> {
        match at {
            Location::File(p) => Ok(Store::of(sqlite::SqliteStore::open_to_read(p)?)),
            Location::Postgres(pg) => Ok(Store::of(pg::open::open(pg, pg::Mode::Read)?)),
        }
    }

    /// Opens a store, creating it if it does not exist (writing commands).
    pub fn open_or_create(at: &Location) -> Result<Store> {
        match at {
            Location::File(p) => Ok(Store::of(sqlite::SqliteStore::open_or_create(p)?)),
            // A shared store is made by its owner only (`init`).
            Location::Postgres(pg) => Ok(Store::of(pg::open::open(pg, pg::Mode::Write)?)),
        }
    }

    /// Makes a shared store (`init`, its owner), a test store with `test_clock`; returns it and
    /// whether it existed already.
    pub fn create_shared(at: &Location, test_clock: bool) -> Result<(Store, bool)> {
        match at {
            Location::Postgres(pg) => {
                let (s, existed) = pg::open::create(pg, test_clock)?;
                Ok((Store::of(s), existed))
            }
            Location::File(_) => Err(crate::error::usage(crate::msg!(
                "--test-clock marks a shared store (--db postgres://…); a file needs none: SITREP_NOW works on it",
                "--test-clock 用于共享库（--db postgres://…）；文件无需标记，可直接使用 SITREP_NOW"
            ))),
        }
    }

    /// Opens an existing store to read it and nothing else: never created, migrated or written.
    pub fn open_read_only(at: &Location) -> Result<Store> {
        match at {
            Location::File(p) => Ok(Store::of(sqlite::SqliteStore::open_read_only(p)?)),
            Location::Postgres(pg) => Ok(Store::of(pg::open::open(pg, pg::Mode::Read)?)),
        }
    }

    /// Whether a file store exists at `at` (`init` says whether it made one).
    pub fn exists(at: &Location) -> bool {
        match at {
            Location::File(p) => p.exists(),
            Location::Postgres(_) => false,
        }
    }

    /// Who is logged in and what the store is, on a shared store.
    pub fn shared(&self) -> Option<&Shared> {
        self.backend.shared()
    }

    /// The shared store's own operations; on a file, what to do instead.
    pub fn postgres(&mut self) -> Result<&mut pg::PgStore> {
        self.backend.as_postgres().ok_or_else(|| {
            crate::error::refuse(crate::msg!(
                "a file is one office's record: offices, grants and migrations by the owner belong to a shared store (--db postgres://…)",
                "文件即一个单位的记录：单位、授权与所有者迁移属于共享库（--db postgres://…）"
            ))
        })
    }

    /// A new, empty store in memory, gone when dropped (the storage suite's second backend).
    pub fn memory() -> Result<Store> {
        Ok(Store::of(sqlite::SqliteStore::memory()?))
    }

    fn of(b: impl Backend + 'static) -> Store {
        Store {
            backend: Box::new(b),
        }
    }

    pub fn read(&mut self) -> Result<Box<dyn Read + '_>> {
        self.backend.read()
    }

    pub fn write(&mut self) -> Result<Box<dyn Write + '_>> {
        self.backend.write()
    }

    pub fn damage(&self) -> &[Damage] {
        self.backend.damage()
    }

    pub fn version(&mut self) -> Result<usize> {
        self.backend.version()
    }

    pub fn integrity_check(&mut self) -> Result<Vec<String>> {
        self.backend.integrity_check()
    }

    pub fn verify(&mut self, head: Option<&str>) -> Result<VerifyReport> {
        self.backend.verify(head)
    }

    pub fn backup(&mut self, dest: &Path) -> Result<()> {
        self.backend.backup(dest)
    }

    pub fn prepare_bulk(&mut self) -> Result<()> {
        self.backend.prepare_bulk()
    }
}

/// Why a write could not be stored, as the store classifies it: the cases where nothing was
/// recorded and what was typed must be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Another writer held the store past the wait.
    Busy,
    /// The disk is full.
    Full,
    /// The file, its disk or the login cannot be written.
    ReadOnly,
    /// The connection to the store was lost (a shared store restarted or unreachable).
    Lost,
    /// Two writers met (a serialization failure or a deadlock on a shared store): the write
    /// is tried again.
    Conflict,
    /// Any other failure of the store or the files beneath it.
    Other,
}

/// The store's failure in an error, if the error is one: the draft decision asks this, never an
/// engine's error type.
pub fn failure(e: &anyhow::Error) -> Option<Failure> {
    e.chain()
        .find_map(|c| sqlite::classify(c).or_else(|| pg::classify(c)))
}

/// A store's failure in Chinese, where it is one a person meets (for error messages).
pub fn cause_zh(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    sqlite::cause_zh(cause).or_else(|| pg::cause_zh(cause))
}
