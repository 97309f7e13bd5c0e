//! Files sitrep creates beside the record: drafts, the editor's text, temporary copies.
//!
//! Rules: a new file is readable and writable by its owner only, and is created new (never
//! opened over an existing one): sitrep never replaces or removes a file it did not create.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Creates a new, empty file readable and writable by its owner only; fails if it exists.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Writes `bytes` to a new file `<dir>/<base>[-k].<ext>` (mode 0600) that did not exist before,
/// trying other names when one is taken: a draft never replaces or removes a file sitrep did
/// not create (the file is opened with `create_new`, and only a file this call created is
/// removed when writing it fails).
pub fn write_new(dir: &Path, base: &str, ext: &str, bytes: &[u8]) -> Option<PathBuf> {
    use std::io::Write;
    for k in 0..100 {
        let name = match k {
            0 => format!("{base}.{ext}"),
            k => format!("{base}-{k}.{ext}"),
        };
        let path = dir.join(name);
        let mut file = match create_private(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        };
        if file.write_all(bytes).and_then(|()| file.sync_all()).is_ok() {
            return Some(path);
        }
        drop(file);
        // Ours: created by this call a moment ago.
        let _ = std::fs::remove_file(&path);
        return None;
    }
    None
}
