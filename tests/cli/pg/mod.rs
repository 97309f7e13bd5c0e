//! PostgreSQL in the command-line tests: the throwaway clusters every PostgreSQL test uses
//! (`cluster.rs`), PgBouncer in front of one (`bouncer.rs`), the harness's own tests (`harness.rs`), and the connection layer against a
//! real server over TLS (`tls.rs`).

pub mod bouncer;
pub mod cluster;
mod harness;
mod tls;
