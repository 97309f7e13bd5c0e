//! Where a store is: a file (the embedded default), or a shared store's connection string.
//!
//! Rules: `--db` and `SITREP_DB` name a path unless they are plainly a PostgreSQL connection
//! string — a `postgres://` or `postgresql://` URL, or libpq's `key=value` form (`host=… dbname=…`)
//! — so a file may be called anything else, `file:x.db` included (it is a file, never an SQLite
//! URI).

use std::fmt;
use std::path::PathBuf;

/// Where a store is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
}

impl Location {
    /// The location `--db` names.
    pub fn parse(text: &str) -> Location {
        Location::File(PathBuf::from(text))
    }

    /// The file, where the store is one (drafts and messages name it).
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
        }
    }
}
