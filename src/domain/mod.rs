//! The domain: what an incident is, what is recorded about it, and how its state follows from
//! its entries. No I/O, no clock, no SQL: every function takes its inputs (including `now`) and
//! returns values, so all of it is tested with fixed instants.

pub mod amount;
pub mod id;
pub mod loaded;
pub mod model;
pub mod replay;
pub mod row;
mod stored;
pub mod text;
pub mod when;

#[cfg(test)]
pub mod fixture;
