//! The PostgreSQL store: how to reach a server (`conninfo`, `tls`).

pub mod conninfo;
pub mod tls;
