//! The hash chain over entries (不虚报: nothing altered without it showing).
//!
//! Each entry's hash is SHA-256 over a canonical encoding of the previous entry's hash and every
//! stored column of the entry: a version tag, then `name=length:value` lines in a fixed order.
//! Length prefixes make the encoding unambiguous (no value can imitate a field boundary), and
//! the stored body is hashed byte for byte as stored. The position `seq` is covered, so deleting
//! or renumbering an entry, swapping two, or forging one in the middle breaks the chain at the
//! first entry affected; truncating the tail or rehashing everything is caught by comparing with
//! a head recorded earlier (`verify --head`).

use sha2::{Digest, Sha256};

use crate::sha::hex;

/// The columns of an entry that the chain covers.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub seq: i64,
    pub incident: &'a str,
    pub n: i64,
    pub entry_type: &'a str,
    pub at: i64,
    pub recorded: i64,
    pub by: &'a str,
    pub os_user: &'a str,
    pub imported: bool,
    pub simulated: bool,
    pub body: &'a str,
}

/// The hash of an entry that follows `prev`.
pub fn entry_hash(prev: &str, l: &Link<'_>) -> String {
    let mut h = Sha256::new();
    h.update(b"sitrep-entry-v1\n");
    let mut field = |name: &str, value: &[u8]| {
        h.update(name.as_bytes());
        h.update(b"=");
        h.update(value.len().to_string().as_bytes());
        h.update(b":");
        h.update(value);
        h.update(b"\n");
    };
    field("prev", prev.as_bytes());
    field("seq", l.seq.to_string().as_bytes());
    field("incident", l.incident.as_bytes());
    field("n", l.n.to_string().as_bytes());
    field("type", l.entry_type.as_bytes());
    field("at", l.at.to_string().as_bytes());
    field("recorded", l.recorded.to_string().as_bytes());
    field("by", l.by.as_bytes());
    field("os_user", l.os_user.as_bytes());
    field("imported", if l.imported { b"1" } else { b"0" });
    field("simulated", if l.simulated { b"1" } else { b"0" });
    field("body", l.body.as_bytes());
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link<'a>(body: &'a str, by: &'a str) -> Link<'a> {
        Link {
            seq: 1,
            incident: "20260310-001",
            n: 1,
            entry_type: "initial",
            at: 100,
            recorded: 100,
            by,
            os_user: "duty",
            imported: false,
            simulated: false,
            body,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_count() {
        let base = entry_hash("0", &link("{}", "张三"));
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash("1", &link("{}", "张三")));
        assert_ne!(base, entry_hash("0", &link("{ }", "张三")));
        assert_ne!(base, entry_hash("0", &link("{}", "李四")));
        let mut l = link("{}", "张三");
        l.seq = 2;
        assert_ne!(base, entry_hash("0", &l));
        let mut l = link("{}", "张三");
        l.imported = true;
        assert_ne!(base, entry_hash("0", &l));
    }

    #[test]
    fn boundaries_cannot_be_shifted_between_fields() {
        // Moving text from one field to the next changes the hash.
        let a = entry_hash("0", &link("x", "ab"));
        let b = entry_hash("0", &link("bx", "a"));
        assert_ne!(a, b);
    }
}
