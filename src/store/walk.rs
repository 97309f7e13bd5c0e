//! Walking a chain in order and saying where it breaks: what every backend's `verify` does with
//! the entries it reads (one chain for a file, one per office on a shared store). Pure: it takes
//! each entry's columns and returns the damage.
//!
//! For each entry in chain order: its position follows the previous one (nothing deleted or
//! renumbered), its `prev` is the previous entry's hash (nothing removed, swapped or inserted),
//! its own hash matches its columns (nothing edited), its number follows the incident's previous
//! one, and it was not recorded more than [`RECORDED_SLACK_SECS`] before an entry ahead of it in
//! the chain (entries are appended in the order they are recorded; a forged entry appended with
//! the chain recomputed is caught this way unless its times are forged too). Entries recorded
//! under a simulated clock or brought in by `import` keep times that are not the writer's, so
//! they are exempt, and counted.

use std::collections::HashMap;

use super::chain::{Link, entry_hash};
use crate::damage::{Damage, MAX_DAMAGE};

/// The hash a chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How far back an entry's recorded time may be from one ahead of it in the chain: writers
/// read the clock when they hold the store, but clocks are stepped by a few seconds and a
/// writer may have been suspended.
pub const RECORDED_SLACK_SECS: i64 = 5 * 60;

/// One chain, walked.
#[derive(Debug)]
pub struct Walk {
    last_seq: i64,
    pub last_hash: String,
    numbers: HashMap<String, i64>,
    pub entries: u64,
    want_head: Option<String>,
    pub head_found: Option<bool>,
    pub imported: u64,
    pub simulated: u64,
    latest: Option<i64>,
    pub damage: Vec<Damage>,
}

impl Walk {
    /// A walk that also looks for `want_head`, a head printed earlier.
    pub fn new(want_head: Option<&str>) -> Walk {
        Walk {
            last_seq: 0,
            last_hash: GENESIS.to_owned(),
            numbers: HashMap::new(),
            entries: 0,
            want_head: want_head.map(str::to_owned),
            head_found: want_head.map(|h| h == GENESIS),
            imported: 0,
            simulated: 0,
            latest: None,
            damage: Vec::new(),
        }
    }

    fn push(&mut self, d: Damage) {
        if self.damage.len() < MAX_DAMAGE {
            self.damage.push(d);
        }
    }

    /// The next entry of the chain: its columns, the `prev` it stores and its hash.
    pub fn entry(&mut self, link: &Link<'_>, prev: &str, hash: &str) {
        self.entries += 1;
        let (seq, n) = (link.seq, link.n);
        let incident = link.incident.to_owned();
        if seq != self.last_seq + 1 {
            let expected = self.last_seq + 1;
            self.push(Damage::Gap {
                expected,
                seq,
                incident: incident.clone(),
                n,
            });
        }
        if prev != self.last_hash {
            self.push(Damage::BrokenLink {
                seq,
                incident: incident.clone(),
                n,
            });
        }
        self.imported += u64::from(link.imported);
        self.simulated += u64::from(link.simulated && !link.imported);
        if !link.imported && !link.simulated {
            if let Some(l) = self.latest
                && link.recorded < l - RECORDED_SLACK_SECS
            {
                let utc = |t: i64| crate::tz::rfc3339(chrono_tz::UTC, crate::tz::from_unix(t));
                self.push(Damage::RecordedBackwards {
                    seq,
                    incident: incident.clone(),
                    n,
                    recorded: utc(link.recorded),
                    latest: utc(l),
                });
            }
            self.latest = self.latest.max(Some(link.recorded));
        }
        if entry_hash(prev, link) != hash {
            self.push(Damage::Edited {
                seq,
                incident: incident.clone(),
                n,
            });
        }
        let expected = self.numbers.get(&incident).map_or(1, |last| last + 1);
        if n != expected {
            self.push(Damage::Numbering {
                incident: incident.clone(),
                expected,
                n,
            });
        }
        self.numbers.insert(incident, n);
        if self.want_head.as_deref() == Some(hash) {
            self.head_found = Some(true);
        }
        self.last_seq = seq;
        self.last_hash = hash.to_owned();
    }

    /// How many incidents the chain's entries belong to.
    pub fn incidents(&self) -> u64 {
        self.numbers.len() as u64
    }

    /// The damage of a head asked for and not found.
    pub fn finish(&mut self) {
        if let (Some(head), Some(false)) = (self.want_head.clone(), self.head_found) {
            self.push(Damage::HeadMissing { head });
        }
    }
}
