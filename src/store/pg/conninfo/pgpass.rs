//! The password file (`~/.pgpass`, `PGPASSFILE`), read as libpq reads it (`passwordFromFile`).
//!
//! Rules: each line is `hostname:port:database:username:password`; a field that is exactly `*`
//! matches anything; `\` escapes the next character (`\:`, `\\`, `\*`); `#` starts a comment
//! line; the first matching line wins; an empty password is no password. A file that is not a
//! regular file, or that its group or others may read or write, is ignored, as libpq ignores it
//! (libpq also prints a warning; sitrep says nothing, and the server's refusal says the rest).

use std::path::Path;

/// What the connection is, as the password file's fields see it.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    /// Every host name the line's first field may match (a Unix socket's directory, and
    /// `localhost` for the default socket directory).
    pub hosts: &'a [&'a str],
    pub port: &'a str,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password `file` holds for `key`, if the file may be used and a line matches.
pub fn lookup(file: &Path, key: Key<'_>) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    find(&text, key)
}

/// The password a file's text holds for `key`.
pub fn find(text: &str, key: Key<'_>) -> Option<String> {
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .find_map(|line| matching(line, key))
        .filter(|p| !p.is_empty())
}

/// The line's password, if its first four fields match `key`.
fn matching(line: &str, key: Key<'_>) -> Option<String> {
    let mut fields = Fields(line.chars());
    let (host, port, db, user) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let ok = host.matches_any(key.hosts)
        && port.matches(key.port)
        && db.matches(key.dbname)
        && user.matches(key.user);
    // The password is the fifth field: up to the next unescaped `:`, or the end.
    ok.then(|| fields.next().map(|f| f.text).unwrap_or_default())
}

/// One field of a line: its text with escapes removed, and whether it was a bare `*`.
struct Field {
    text: String,
    wildcard: bool,
}

impl Field {
    fn matches(&self, value: &str) -> bool {
        self.wildcard || self.text == value
    }

    fn matches_any(&self, values: &[&str]) -> bool {
        self.wildcard || values.contains(&self.text.as_str())
    }
}

/// The fields of a line, split at unescaped colons.
struct Fields<'a>(std::str::Chars<'a>);

impl Iterator for Fields<'_> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        let mut text = String::new();
        let mut raw = String::new();
        let mut any = false;
        loop {
            match self.0.next() {
                None if any => break,
                None => return None,
                Some(':') => break,
                Some('\\') => {
                    raw.push('\\');
                    if let Some(c) = self.0.next() {
                        text.push(c);
                        raw.push(c);
                    }
                }
                Some(c) => {
                    text.push(c);
                    raw.push(c);
                }
            }
            any = true;
        }
        let wildcard = raw == "*";
        Some(Field { text, wildcard })
    }
}
