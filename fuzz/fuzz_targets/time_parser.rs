//! The time parser never panics, and what it accepts is never far in the future.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        sitrep::fuzzing::time(text);
    }
});
