//! Standard output, whose closing by its reader (`sitrep list | head`) ends a command quietly
//! with 0. Only that: a broken pipe anywhere else — a shared store's connection cut by a server
//! that died — is a failure to report, never a quiet success. So stdout's own broken pipe is
//! marked as it happens, and only a marked one is quiet.

use std::fmt;
use std::io::{self, Write};

/// A writer to stdout that marks its broken pipe.
pub struct Stdout<W>(pub W);

/// What a broken pipe of stdout carries.
#[derive(Debug)]
struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("standard output was closed by its reader")
    }
}

impl std::error::Error for Closed {}

fn mark(e: io::Error) -> io::Error {
    match e.kind() {
        io::ErrorKind::BrokenPipe => io::Error::new(io::ErrorKind::BrokenPipe, Closed),
        _ => e,
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(mark)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(mark)
    }
}

/// Whether `e` is stdout closed by its reader (and nothing else).
pub fn closed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().is_some_and(|io| {
            io.kind() == io::ErrorKind::BrokenPipe && io.get_ref().is_some_and(|i| i.is::<Closed>())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that went away.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn stdouts_broken_pipe_is_quiet_through_a_buffer_and_a_context() {
        let mut out = io::BufWriter::new(Stdout(Gone));
        let e = writeln!(out, "20260310-001").and_then(|()| out.flush());
        let e = anyhow::Error::from(e.expect_err("broken")).context("printing the list");
        assert!(closed(&e));
    }

    #[test]
    fn any_other_broken_pipe_is_a_failure() {
        // What a client library returns when the server's end of the socket is gone.
        let io: io::Error = io::ErrorKind::BrokenPipe.into();
        let e = anyhow::Error::from(io).context("the entry was NOT recorded");
        assert!(!closed(&e));
        let e = anyhow::Error::from(io::Error::other("disk")).context("x");
        assert!(!closed(&e));
    }
}
