//! PostgreSQL in the command-line tests: the throwaway clusters every PostgreSQL test uses
//! (`cluster.rs`), the harness's own tests (`harness.rs`), and the connection layer against a
//! real server over TLS (`tls.rs`).

pub mod cluster;
mod harness;
mod tls;
