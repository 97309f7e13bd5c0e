//! Replays the committed fuzz corpus (fuzz/corpus) through the same checks as the fuzz
//! targets, so every input a fuzzer ever kept (and every crash it found) is tested by
//! `cargo test` on the stable toolchain.

fn replay(target: &str, check: fn(&str)) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let r = std::panic::catch_unwind(|| check(text));
            assert!(r.is_ok(), "{} failed on {}", target, path.display());
        }
        n += 1;
    }
    n
}

#[test]
fn the_fuzz_corpus_passes() {
    let rules = replay("rules_parser", sitrep::fuzzing::rules);
    let times = replay("time_parser", sitrep::fuzzing::time);
    let amounts = replay("amount_parser", sitrep::fuzzing::amount);
    assert!(rules > 5 && times > 10 && amounts > 5);
    println!(
        "fuzz-corpus: {rules} rules files, {times} times, {amounts} amounts replayed without a failure"
    );
}
