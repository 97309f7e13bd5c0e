//! Every finding follows from the chain: the cases of an attacker with nothing but SQL on the
//! file, and of careless or odd input, each through the real binary. Tampering is done with raw
//! SQL, as an attacker would; where the guard triggers stand in the way, the attacker drops them,
//! tampers and puts them back.

mod files;
mod import;
mod tamper;
mod values;

use rusqlite::Connection;

use crate::env::TestEnv;

/// Runs `sql` with the triggers named dropped and then recreated exactly as they were, as an
/// attacker who knows the schema would.
pub fn around_triggers(env: &TestEnv, names: &[&str], sql: &str) {
    let c = Connection::open(&env.db).expect("opens");
    let mut saved = Vec::new();
    for name in names {
        let create: String = c
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("trigger {name}: {e}"));
        c.execute_batch(&format!("DROP TRIGGER {name}"))
            .expect("dropped");
        saved.push(create);
    }
    c.execute_batch(sql).expect("tampered");
    for create in saved {
        c.execute_batch(&create).expect("recreated");
    }
}

/// Raw SQL on the file, expecting SQLite to refuse it.
pub fn refused_by_sqlite(env: &TestEnv, sql: &str) -> String {
    let c = Connection::open(&env.db).expect("opens");
    c.execute_batch(sql)
        .expect_err("the guard refuses it")
        .to_string()
}

/// The damage lines a command printed on stderr.
pub fn damaged(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("damaged: "))
        .collect()
}
