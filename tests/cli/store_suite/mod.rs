//! The storage suite: one set of cases (`cases.rs`) run against every backend behind the seam —
//! an SQLite file, SQLite in memory, and a PostgreSQL store where one can be started — so a
//! backend is right by the same measure as the others. A failure names the backend and the case.

mod cases;

use sitrep::store::{Location, Store};

/// Runs every case on a new store from `make`, naming the backend in what fails.
pub fn run(backend: &str, make: &mut dyn FnMut() -> Store) {
    for (name, case) in cases::CASES {
        let mut store = make();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(&mut store)));
        if let Err(e) = outcome {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!("storage suite, backend {backend}, case {name}: {why}");
        }
    }
}

#[test]
fn sqlite_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut k = 0;
    run("sqlite file", &mut || {
        k += 1;
        let at = Location::File(dir.path().join(format!("s{k}.db")));
        Store::open_or_create(&at).expect("created")
    });
}

#[test]
fn sqlite_memory() {
    run("sqlite memory", &mut || Store::memory().expect("memory"));
}

/// The seam holds: no engine is named outside its backend's directory, so the commands, the
/// engine and the renderers cannot come to depend on one.
#[test]
fn no_engine_is_named_outside_its_backend() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root.clone()];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("src") {
            let path = e.expect("entry").path();
            let rel = path
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for (engine, home) in [("rusqlite", "store/sqlite"), ("postgres::", "store/pg")] {
                if text.contains(engine) && !rel.starts_with(home) {
                    offenders.push(format!("{rel} names {engine}"));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
