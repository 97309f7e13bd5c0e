//! Guarding the file: is it ours, and creating new files privately and atomically.
//!
//! The checks read the SQLite header directly (magic at 0, `user_version` at 60,
//! `application_id` at 68) so a file that is not ours is refused without SQLite opening it:
//! nothing is written to it and no `-wal` or `-shm` file appears beside it.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::schema::{APPLICATION_ID, MIGRATIONS};
use crate::msg;

/// Why a path is not a database sitrep will use.
#[derive(Debug)]
pub enum StoreError {
    Missing {
        path: PathBuf,
    },
    Directory {
        path: PathBuf,
    },
    Empty {
        path: PathBuf,
    },
    NotSqlite {
        path: PathBuf,
    },
    Foreign {
        path: PathBuf,
        application_id: i32,
    },
    Newer {
        path: PathBuf,
        version: i64,
        latest: i64,
    },
    /// sitrep's file with no schema yet: a reader finds nothing to read in it.
    Unfinished {
        path: PathBuf,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self {
            StoreError::Missing { path } => {
                let p = path.display();
                msg!(
                    "there is no database at {p}: run `sitrep init` (or file an incident) to create one, or give the right one with --db or SITREP_DB",
                    "{p} 没有数据库：运行 `sitrep init`（或登记一起事件）以创建，或用 --db 或 SITREP_DB 指定正确的数据库"
                )
            }
            StoreError::Directory { path } => {
                let p = path.display();
                msg!(
                    "{p} is a directory, not a database file: give a file path with --db, e.g. {p}/sitrep.db",
                    "{p} 是目录而不是数据库文件：请用 --db 指定文件路径，例如 {p}/sitrep.db"
                )
            }
            StoreError::Empty { path } => {
                let p = path.display();
                msg!(
                    "{p} is an empty file, not a sitrep database; it was left untouched: remove it or give another path with --db",
                    "{p} 是空文件，不是 sitrep 数据库，未作改动：请删除它或用 --db 指定其他路径"
                )
            }
            StoreError::NotSqlite { path } => {
                let p = path.display();
                msg!(
                    "{p} is not a sitrep database (it is not an SQLite file); it was left untouched: give the right file with --db",
                    "{p} 不是 sitrep 数据库（不是 SQLite 文件），未作改动：请用 --db 指定正确的文件"
                )
            }
            StoreError::Foreign {
                path,
                application_id,
            } => {
                let p = path.display();
                let id = format!("{application_id:#010x}");
                msg!(
                    "{p} is an SQLite database of another program (application_id {id}), not sitrep's; it was left untouched: give sitrep's own file with --db",
                    "{p} 是其他程序的 SQLite 数据库（application_id {id}），不是 sitrep 的，未作改动：请用 --db 指定 sitrep 自己的文件"
                )
            }
            StoreError::Newer {
                path,
                version,
                latest,
            } => {
                let p = path.display();
                msg!(
                    "{p} was written by a newer sitrep (schema {version}; this sitrep knows up to {latest}); it was left untouched: upgrade sitrep to use it",
                    "{p} 由更新版本的 sitrep 写入（结构版本 {version}，本版本最高支持 {latest}），未作改动：请升级 sitrep 后再使用"
                )
            }
            StoreError::Unfinished { path } => {
                let p = path.display();
                msg!(
                    "{p} is sitrep's file but holds no record yet (its creation did not finish); reading left it untouched: run `sitrep init` to finish it",
                    "{p} 是 sitrep 的文件，但尚无任何记录（创建未完成），读取时未作改动：请运行 `sitrep init` 完成创建"
                )
            }
        };
        write!(f, "{m}")
    }
}

impl std::error::Error for StoreError {}

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a path that is not a sitrep database, from its header bytes alone.
pub fn check_file(path: &Path) -> Result<(), StoreError> {
    let p = || path.to_owned();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(_) => return Err(StoreError::Missing { path: p() }),
    };
    if meta.is_dir() {
        return Err(StoreError::Directory { path: p() });
    }
    if meta.len() == 0 {
        return Err(StoreError::Empty { path: p() });
    }
    let mut header = [0u8; 100];
    let read = File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || &header[..16] != MAGIC {
        return Err(StoreError::NotSqlite { path: p() });
    }
    let be = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let application_id = be(68);
    if application_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: p(),
            application_id,
        });
    }
    let version = i64::from(be(60));
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(StoreError::Newer {
            path: p(),
            version,
            latest,
        });
    }
    Ok(())
}

/// The path as SQLite must see it: a relative path that begins like a URI (`file:x.db`) is
/// written `./file:x.db`, so it always names a file.
pub fn plain_path(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_owned()
    }
}

/// Refuses a backup destination that exists, dangles, or lies in a directory that does not.
pub fn check_backup_dest(dest: &Path) -> anyhow::Result<()> {
    let p = dest.display();
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        let m = if meta.file_type().is_symlink() && !dest.exists() {
            msg!(
                "{p} is a symbolic link to a file that does not exist: backup never writes through a link; give a new path",
                "{p} 是指向不存在文件的符号链接：备份不会经由链接写入，请指定新路径"
            )
        } else {
            msg!(
                "{p} exists already: backup never overwrites; give a new path",
                "{p} 已存在：备份不会覆盖已有文件，请指定新路径"
            )
        };
        return Err(crate::error::refuse(m));
    }
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let d = dir.display();
        return Err(crate::error::refuse(msg!(
            "cannot write the backup {p}: the directory {d} does not exist; create it first (`mkdir -p {d}`) or give another path",
            "无法写入备份 {p}：目录 {d} 不存在；请先创建（`mkdir -p {d}`）或指定其他路径"
        )));
    }
    Ok(())
}

/// Puts a complete backup at `dest`, which must still not exist.
pub fn link_backup(tmp: &Path, dest: &Path) -> anyhow::Result<()> {
    match std::fs::hard_link(tmp, dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let p = dest.display();
            return Err(crate::error::refuse(msg!(
                "{p} appeared while the backup was written; it was left as it is: give a new path",
                "写入备份期间 {p} 已被创建，未作改动：请指定新路径"
            )));
        }
        // A filesystem without hard links: rename, having checked the name is still free.
        Err(_) if !dest.exists() => std::fs::rename(tmp, dest)?,
        Err(e) => return Err(e.into()),
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Creates a new, empty file readable and writable by its owner only; fails if it exists.
pub use crate::files::create_private as create_private_file;

/// A temporary path in the same directory as `path` (so a link or rename stays on one device).
pub fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "sitrep.db".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Flushes a file to disk.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    File::open(path)?.sync_all()
}

/// Puts a complete new database at `path` unless one appeared there meanwhile (then that one,
/// made the same way by another process, is complete too and is used).
pub fn link_new(tmp: &Path, path: &Path) -> anyhow::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(_) if !path.exists() => std::fs::rename(tmp, path)?,
        Err(e) => return Err(e.into()),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Make the new directory entry durable; failure here only weakens crash safety of the
        // link itself on some filesystems, so it is not an error.
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Removes a temporary file and its SQLite companions, ignoring what is not there.
pub fn remove_temp(tmp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}
