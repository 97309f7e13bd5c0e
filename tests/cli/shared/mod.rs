//! sitrep on a shared PostgreSQL store (DESIGN.md §12), on the throwaway cluster of `pg`: the
//! storage suite, the command-line scenarios against both stores, what each role may do with
//! raw SQL, and writers under load and faults.

mod both;
pub mod env;
mod load;
mod moving_in;
mod pooled;
mod schema;
mod security;
mod suite;
mod views;
