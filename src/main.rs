//! The `sitrep` binary: it reads the process — arguments, environment, the clock, which streams
//! are terminals — and hands it to `sitrep::run`, which does everything else.

fn main() {
    std::process::exit(sitrep::run(sitrep::Process::current(now)));
}

/// The system clock: the one place it is read.
fn now() -> chrono::DateTime<chrono::Utc> {
    #[allow(clippy::disallowed_methods)]
    chrono::Utc::now()
}
