//! A connection described for people and drafts: a URL sitrep reads back to the same server,
//! login and database, never holding the password.
//!
//! Rules: TCP hosts always show their port (`db.example.org:5432`); one Unix socket is shown as
//! `?host=DIR` (with `&port=N` when not 5432); several hosts with a socket among them put it in
//! the host list, percent-encoded; names keep their letters (Chinese included) and only the
//! characters a URL gives a meaning are encoded.

use std::fmt::Write;

use super::resolve::{Host, Place};

pub(super) fn url(user: &str, dbname: &str, hosts: &[Host]) -> String {
    let mut out = format!("postgresql://{}@", encode(user));
    let mut query = Vec::new();
    match hosts {
        [
            Host {
                place: Place::Socket(dir),
                port,
            },
        ] => {
            query.push(format!("host={}", encode_path(dir)));
            if *port != 5432 {
                query.push(format!("port={port}"));
            }
        }
        _ => {
            let mut addrs = Vec::new();
            let list: Vec<String> = hosts
                .iter()
                .map(|h| {
                    let name = match &h.place {
                        Place::Socket(dir) => encode(dir),
                        Place::Name(name, addr) => {
                            addrs.push(addr.map(|a| a.to_string()).unwrap_or_default());
                            bracket(name)
                        }
                        Place::Addr(a) => bracket(&a.to_string()),
                    };
                    format!("{name}:{}", h.port)
                })
                .collect();
            out.push_str(&list.join(","));
            if addrs.iter().any(|a| !a.is_empty()) && addrs.len() == hosts.len() {
                query.push(format!("hostaddr={}", addrs.join(",")));
            }
        }
    }
    out.push('/');
    out.push_str(&encode(dbname));
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        encode(host)
    }
}

/// Percent-encodes what would change a URL's meaning, and nothing else.
fn encode(text: &str) -> String {
    encode_except(text, "")
}

/// The same, keeping `/` (a socket directory in the query reads as a path).
fn encode_path(text: &str) -> String {
    encode_except(text, "/")
}

fn encode_except(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let special = c.is_control() || c.is_whitespace() || "%@:/?#&=,[]+'\\\"".contains(c);
        if special && !keep.contains(c) {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}
