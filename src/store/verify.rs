//! `verify`: walk the whole chain once and say where it first breaks.
//!
//! For each entry in chain order: its position follows the previous one (nothing deleted or
//! renumbered), its `prev` is the previous entry's hash (nothing removed, swapped or inserted),
//! its own hash matches its columns (nothing edited), and its number follows the incident's
//! previous one. Then: the guard triggers are all there, and each stored rules text still has the
//! hash incidents are pinned to. One pass, streaming, constant memory per incident.

use std::collections::HashMap;
use std::fmt;

use anyhow::Result;
use rusqlite::Connection;

use super::chain::{Link, entry_hash};
use super::schema::{GENESIS, GUARD_TRIGGERS};
use crate::msg;

/// Something wrong with the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A guard trigger is missing: the record could be edited without SQL refusing it.
    MissingTrigger(String),
    /// A position in the chain is missing (an entry deleted or renumbered).
    Gap {
        expected: i64,
        seq: i64,
        incident: String,
        n: i64,
    },
    /// An entry does not follow the one before it in the chain.
    BrokenLink { seq: i64, incident: String, n: i64 },
    /// An entry's columns no longer match its hash (edited).
    Edited { seq: i64, incident: String, n: i64 },
    /// An incident's entry numbers skip or repeat.
    Numbering {
        incident: String,
        expected: i64,
        n: i64,
    },
    /// A stored rules text no longer matches its hash.
    Rules { hash: String },
    /// The head given with `--head` is not in the chain.
    HeadMissing { head: String },
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self {
            Damage::MissingTrigger(name) => msg!(
                "the guard trigger `{name}` is missing: entries could be changed without being refused",
                "保护触发器“{name}”缺失：记录可被修改而不被拒绝"
            ),
            Damage::Gap {
                expected,
                seq,
                incident,
                n,
            } => msg!(
                "chain position {expected} is missing before entry {n} of {incident} (position {seq}): an entry was deleted or renumbered",
                "链上第 {expected} 位缺失（位于 {incident} 第 {n} 条、链上第 {seq} 位之前）：有记录被删除或重新编号"
            ),
            Damage::BrokenLink { seq, incident, n } => msg!(
                "entry {n} of {incident} (position {seq}) does not follow the entry before it: entries were removed, swapped or inserted",
                "{incident} 第 {n} 条（链上第 {seq} 位）与前一条不衔接：有记录被删除、调换或插入"
            ),
            Damage::Edited { seq, incident, n } => msg!(
                "entry {n} of {incident} (position {seq}) does not match its hash: it was edited after it was recorded",
                "{incident} 第 {n} 条（链上第 {seq} 位）与其哈希不符：记录后被修改过"
            ),
            Damage::Numbering {
                incident,
                expected,
                n,
            } => msg!(
                "{incident} has entry {n} where entry {expected} should be: its numbering skips or repeats",
                "{incident} 应为第 {expected} 条处出现第 {n} 条：序号有跳跃或重复"
            ),
            Damage::Rules { hash } => msg!(
                "the stored rules text {hash} no longer matches its hash: it was edited",
                "存储的规则文本 {hash} 与其哈希不符：已被修改"
            ),
            Damage::HeadMissing { head } => msg!(
                "the head {head} is not in the chain: entries recorded up to it were removed, or the chain was rewritten",
                "链中找不到 {head}：此前的记录被删除，或整条链被重写"
            ),
        };
        write!(f, "{m}")
    }
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub entries: u64,
    pub incidents: u64,
    /// The hash of the last entry (the chain head).
    pub head: String,
    pub damage: Vec<Damage>,
    /// Whether `--head`'s hash was found (None when not asked).
    pub head_found: Option<bool>,
}

/// At most this many damages are listed; the first is what matters.
const MAX_DAMAGE: usize = 50;

pub fn verify_with_head(conn: &Connection, want_head: Option<&str>) -> Result<VerifyReport> {
    let mut damage = Vec::new();
    let push = |d: Damage, damage: &mut Vec<Damage>| {
        if damage.len() < MAX_DAMAGE {
            damage.push(d);
        }
    };

    let tx = conn.unchecked_transaction()?;
    let mut stmt = tx.prepare(
        "SELECT seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body, prev, hash \
         FROM entries ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut last_seq = 0i64;
    let mut last_hash = GENESIS.to_owned();
    let mut numbers: HashMap<String, i64> = HashMap::new();
    let mut count = 0u64;
    let mut head_found = want_head.map(|_| false);
    while let Some(r) = rows.next()? {
        count += 1;
        let seq: i64 = r.get(0)?;
        let incident: String = r.get(1)?;
        let n: i64 = r.get(2)?;
        let prev: String = r.get(11)?;
        let hash: String = r.get(12)?;
        if seq != last_seq + 1 {
            push(
                Damage::Gap {
                    expected: last_seq + 1,
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        if prev != last_hash {
            push(
                Damage::BrokenLink {
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        let ty: String = r.get(3)?;
        let by: String = r.get(6)?;
        let os_user: String = r.get(7)?;
        let body: String = r.get(10)?;
        let link = Link {
            seq,
            incident: &incident,
            n,
            entry_type: &ty,
            at: r.get(4)?,
            recorded: r.get(5)?,
            by: &by,
            os_user: &os_user,
            imported: r.get(8)?,
            simulated: r.get(9)?,
            body: &body,
        };
        if entry_hash(&prev, &link) != hash {
            push(
                Damage::Edited {
                    seq,
                    incident: incident.clone(),
                    n,
                },
                &mut damage,
            );
        }
        let expected = numbers.get(&incident).map_or(1, |last| last + 1);
        if n != expected {
            push(
                Damage::Numbering {
                    incident: incident.clone(),
                    expected,
                    n,
                },
                &mut damage,
            );
        }
        numbers.insert(incident, n);
        if want_head == Some(hash.as_str()) {
            head_found = Some(true);
        }
        last_seq = seq;
        last_hash = hash;
    }
    drop(rows);
    drop(stmt);

    for name in GUARD_TRIGGERS {
        let present: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if !present {
            push(Damage::MissingTrigger((*name).to_owned()), &mut damage);
        }
    }

    let mut stmt = tx.prepare("SELECT hash, text FROM rules")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let hash: String = r.get(0)?;
        let text: String = r.get(1)?;
        if crate::sha::sha256_hex(text.as_bytes()) != hash {
            push(Damage::Rules { hash }, &mut damage);
        }
    }
    if let (Some(head), Some(false)) = (want_head, head_found) {
        push(
            Damage::HeadMissing {
                head: head.to_owned(),
            },
            &mut damage,
        );
    }
    Ok(VerifyReport {
        entries: count,
        incidents: numbers.len() as u64,
        head: last_hash,
        damage,
        head_found,
    })
}
