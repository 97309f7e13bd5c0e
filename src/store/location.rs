//! Where a store is: a file (the embedded default), or a shared store's connection string.
//!
//! Rules: `--db` and `SITREP_DB` name a path unless they are plainly a PostgreSQL connection
//! string — a `postgres://` or `postgresql://` URL, or libpq's `key=value` form (`host=… dbname=…`)
//! — so a file may be called anything else, `file:x.db` included (it is a file, never an SQLite
//! URI).

use std::fmt;
use std::path::PathBuf;

use super::pg::PgLocation;
use super::pg::conninfo::{self, PgEnv};

/// Where a store is.
#[derive(Debug, Clone)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A shared PostgreSQL store.
    Postgres(PgLocation),
}

impl Location {
    /// The location `--db` names, a connection string read with the `PG*` environment `env`.
    pub fn parse(text: &str, env: &PgEnv) -> Location {
        if conninfo::is_conninfo(text) {
            Location::Postgres(PgLocation {
                text: text.to_owned(),
                env: env.clone(),
            })
        } else {
            Location::File(PathBuf::from(text))
        }
    }

    /// The file, where the store is one (drafts and messages name it).
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// Whether this is a shared store.
    pub fn is_shared(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }
}

impl fmt::Display for Location {
    /// The location for people and drafts: a path, or a connection without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(at) => write!(f, "{}", super::pg::display(at)),
        }
    }
}
