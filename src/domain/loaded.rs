//! An incident as read from a store for judging: its row, the rules its initial report names,
//! and its entries. What `check`, `digest`, `show`, `export` and `verify` all start from.

use std::rc::Rc;

use super::model::Entry;
use super::row::IncidentRow;
use crate::rules::Rules;

/// An incident as read: its row (`None` where it is missing), its rules and its entries.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub id: String,
    pub row: Option<IncidentRow>,
    pub rules: Rc<Rules>,
    pub entries: Vec<Entry>,
}
