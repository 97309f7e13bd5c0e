#![allow(clippy::print_stdout)]
//! End-to-end tests: the real `sitrep` binary against temporary databases.
//!
//! One test binary (faster to build and link than one per file); each module covers one area.
//! Every command runs with a cleared environment and a pinned clock (see `env.rs`).

mod env;

mod check;
mod deadlines;
mod digest;
mod errors;
mod fuzz_corpus;
mod hardship;
mod help_zh;
mod html;
mod in_process;
mod officer;
mod pg;
mod pty;
mod regimes;
mod reliability;
mod review;
mod roundtrip;
mod rules_cmd;
mod shared;
mod store_guard;
mod store_suite;
mod terminal;
mod transfer;
mod trust;
mod typed;
mod written_report;
mod zh_sweep;
