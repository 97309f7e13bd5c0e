//! The amount parser never panics and never returns a negative amount.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        sitrep::fuzzing::amount(text);
    }
});
