//! The `sitrep` binary: everything happens in `sitrep::run`.

fn main() {
    std::process::exit(sitrep::run());
}
