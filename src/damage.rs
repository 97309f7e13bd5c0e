//! Damage: what is wrong with a record (found by the store's checks and by replays alike), each kind named with the incident and entry it is in, in
//! words a supervisor can act on. `verify` finds every kind; the reading commands find the kinds
//! that concern what they read (the schema, and an incident whose row disagrees with its entries
//! or whose entries cannot be replayed).

use std::fmt;

use crate::msg;

/// Something wrong with the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A schema object (guard trigger, table, index) is missing, altered, or not sitrep's.
    Schema {
        name: String,
        problem: SchemaProblem,
    },
    /// A position in the chain is missing (an entry deleted or renumbered).
    Gap {
        expected: i64,
        seq: i64,
        incident: String,
        n: i64,
    },
    /// An entry does not follow the one before it in the chain.
    BrokenLink {
        seq: i64,
        incident: String,
        n: i64,
    },
    /// An entry's columns no longer match its hash (edited).
    Edited {
        seq: i64,
        incident: String,
        n: i64,
    },
    /// An incident's entry numbers skip or repeat.
    Numbering {
        incident: String,
        expected: i64,
        n: i64,
    },
    /// An entry recorded before entries that come before it in the chain (a forged entry
    /// appended with the chain recomputed, unless its times were forged too).
    RecordedBackwards {
        seq: i64,
        incident: String,
        n: i64,
        recorded: String,
        latest: String,
    },
    /// A stored rules text no longer matches its hash.
    Rules {
        hash: String,
    },
    /// An incident's row (what `list`, `check` and `digest` select by) differs from a replay of
    /// its entries in these fields.
    Row {
        incident: String,
        fields: Vec<&'static str>,
    },
    /// An incident's row names other rules than its hashed initial report.
    PinnedRules {
        incident: String,
        row: String,
        entry: String,
    },
    /// The rules an incident's initial report names are not stored.
    RulesMissing {
        incident: String,
        hash: String,
    },
    /// An incident's entries cannot be replayed.
    Unreplayable {
        incident: String,
        message: String,
    },
    /// Entries of an incident that has no row, or a row without entries.
    NoRow {
        incident: String,
    },
    NoEntries {
        incident: String,
    },
    /// The head given with `--head` is not in the chain.
    HeadMissing {
        head: String,
    },
}

/// How a schema object differs from sitrep's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaProblem {
    Missing,
    Altered,
    Foreign,
}

impl Damage {
    /// The incident the damage is in, if it is in one.
    pub fn incident(&self) -> Option<&str> {
        match self {
            Damage::Gap { incident, .. }
            | Damage::BrokenLink { incident, .. }
            | Damage::Edited { incident, .. }
            | Damage::Numbering { incident, .. }
            | Damage::RecordedBackwards { incident, .. }
            | Damage::Row { incident, .. }
            | Damage::PinnedRules { incident, .. }
            | Damage::RulesMissing { incident, .. }
            | Damage::Unreplayable { incident, .. }
            | Damage::NoRow { incident }
            | Damage::NoEntries { incident } => Some(incident),
            Damage::Schema { .. } | Damage::Rules { .. } | Damage::HeadMissing { .. } => None,
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self {
            Damage::Schema { name, problem } => match problem {
                SchemaProblem::Missing => msg!(
                    "`{name}` of sitrep's schema is missing: the record could be changed without being refused",
                    "sitrep 数据结构中的“{name}”缺失：记录可被修改而不被拒绝"
                ),
                SchemaProblem::Altered => msg!(
                    "`{name}` differs from sitrep's: it was replaced, and may no longer guard the record",
                    "“{name}”与 sitrep 的定义不符：已被替换，可能不再保护记录"
                ),
                SchemaProblem::Foreign => msg!(
                    "`{name}` is not part of sitrep's schema: something added it to the file, and it can change what sitrep stores or reads",
                    "“{name}”不属于 sitrep 的数据结构：有人向文件添加了它，它可能改变 sitrep 存储或读取的内容"
                ),
            },
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
            Damage::RecordedBackwards {
                seq,
                incident,
                n,
                recorded,
                latest,
            } => msg!(
                "entry {n} of {incident} (position {seq}) was recorded at {recorded}, before {latest}, when an earlier entry of the chain was: entries are appended in the order they are recorded, so it was put there later",
                "{incident} 第 {n} 条（链上第 {seq} 位）记录于 {recorded}，早于链上此前一条的记录时间 {latest}：记录按写入先后追加，此条系事后插入"
            ),
            Damage::Rules { hash } => msg!(
                "the stored rules text {hash} no longer matches its hash: it was edited",
                "存储的规则文本 {hash} 与其哈希不符：已被修改"
            ),
            Damage::Row { incident, fields } => {
                let fields = fields.join(", ");
                msg!(
                    "the row of {incident} differs from its entries in {fields}: it was changed outside sitrep; what sitrep shows comes from the entries",
                    "{incident} 的汇总行与其记录在 {fields} 上不一致：已在 sitrep 之外被修改；sitrep 显示的内容以记录为准"
                )
            }
            Damage::PinnedRules {
                incident,
                row,
                entry,
            } => msg!(
                "{incident}'s row names the rules {row}, but its initial report was filed under {entry}: the row was repointed",
                "{incident} 的汇总行指向规则 {row}，但其首报依据的是 {entry}：汇总行被改指"
            ),
            Damage::RulesMissing { incident, hash } => msg!(
                "the rules {hash} that {incident} was filed under are not in the database",
                "{incident} 所依据的规则 {hash} 不在数据库中"
            ),
            Damage::Unreplayable { incident, message } => msg!(
                "{incident} cannot be replayed: {message}",
                "{incident} 无法回放：{message}"
            ),
            Damage::NoRow { incident } => msg!(
                "{incident} has entries but no row: it was removed from the list of incidents",
                "{incident} 有记录但没有汇总行：已被从事件列表中删除"
            ),
            Damage::NoEntries { incident } => msg!(
                "{incident} has a row but no entries: it was added outside sitrep",
                "{incident} 有汇总行但没有任何记录：系在 sitrep 之外添加"
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
    /// A shared store's chains, one per office the login may read (empty for a file, whose
    /// one chain is `head`).
    pub chains: Vec<ChainReport>,
    pub damage: Vec<Damage>,
    /// Whether `--head`'s hash was found (None when not asked).
    pub head_found: Option<bool>,
    /// Entries whose recorded times are not this machine's: imported, or simulated.
    pub imported: u64,
    pub simulated: u64,
}

/// One office's chain on a shared store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub office: String,
    pub entries: u64,
    pub head: String,
}

/// At most this many damages are listed; the first is what matters.
pub const MAX_DAMAGE: usize = 50;
