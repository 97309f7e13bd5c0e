//! What every backend turns a stored entry's type and body into, with the damage it is when it
//! cannot be read.

use anyhow::{Context, Result};

use crate::domain::model::{Body, EntryType};
use crate::msg;

/// The body of entry `n` of `incident`, from its stored type and text.
pub fn body(n: u32, incident: &str, ty: &str, text: &str) -> Result<Body> {
    EntryType::parse(ty)
        .with_context(|| msg!("unknown entry type `{ty}`", "未知的记录类别“{ty}”"))
        .and_then(|ty| Ok(Body::from_stored(ty, text)?))
        .with_context(|| {
            msg!(
                "entry {n} of {incident} cannot be read: the record is damaged; run `sitrep verify`",
                "{incident} 的第 {n} 条记录无法读取：记录已损坏，请运行 `sitrep verify`"
            )
        })
}
