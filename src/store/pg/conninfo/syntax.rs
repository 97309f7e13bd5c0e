//! The two spellings of a connection string, read into `(keyword, value)` pairs as libpq reads
//! them (`conninfo_uri_parse` and `conninfo_parse` in `fe-connect.c`); what the keywords mean is
//! decided by the caller.
//!
//! Rules: a later pair overrides an earlier one of the same keyword; a URL's hosts and ports
//! become comma-separated `host` and `port` values, as libpq makes them; keywords are not checked
//! here.

use crate::i18n::Msg;
use crate::msg;

/// The pairs of a `postgres://` or `postgresql://` URL (`rest` is what follows the `//`):
/// `[user[:password]@][host][:port][,host[:port]…][/dbname][?key=value&…]`.
pub fn url(rest: &str) -> Result<Vec<(String, String)>, Msg> {
    let mut pairs = Vec::new();
    let mut s = rest;

    // Userinfo ends at the first `@` before any `/` (libpq looks no further, so a `?` or `#`
    // in a password needs no encoding).
    if let Some(at) = s.find(['@', '/']).filter(|&i| s.as_bytes()[i] == b'@') {
        let info = &s[..at];
        let (user, password) = match info.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (info, None),
        };
        if !user.is_empty() {
            pairs.push(("user".to_owned(), decode(user)?));
        }
        if let Some(p) = password.filter(|p| !p.is_empty()) {
            pairs.push(("password".to_owned(), decode(p)?));
        }
        s = &s[at + 1..];
    }

    // Hosts and ports, comma-separated; an IPv6 address in brackets.
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    loop {
        let host;
        if let Some(inner) = s.strip_prefix('[') {
            let Some(end) = inner.find(']') else {
                return Err(msg!(
                    "the IPv6 address in `{rest}` has no closing `]`",
                    "“{rest}”中的 IPv6 地址缺少右方括号“]”"
                ));
            };
            host = inner[..end].to_owned();
            if host.is_empty() {
                return Err(msg!(
                    "the IPv6 address in `{rest}` is empty",
                    "“{rest}”中的 IPv6 地址为空"
                ));
            }
            s = &inner[end + 1..];
        } else {
            let end = s.find([':', '/', '?', ',']).unwrap_or(s.len());
            host = decode(&s[..end])?;
            s = &s[end..];
        }
        let mut port = String::new();
        if let Some(after) = s.strip_prefix(':') {
            let end = after.find(['/', '?', ',']).unwrap_or(after.len());
            port = decode(&after[..end])?;
            s = &after[end..];
        } else if !s.is_empty() && !s.starts_with(['/', '?', ',']) {
            let bad = s.chars().next().unwrap_or(' ');
            return Err(msg!(
                "unexpected `{bad}` after the host in `{rest}`",
                "“{rest}”中主机名后出现了意外的“{bad}”"
            ));
        }
        hosts.push(host);
        ports.push(port);
        match s.strip_prefix(',') {
            Some(after) => s = after,
            None => break,
        }
    }
    if hosts.iter().any(|h| !h.is_empty()) || hosts.len() > 1 {
        pairs.push(("host".to_owned(), hosts.join(",")));
    }
    if ports.iter().any(|p| !p.is_empty()) {
        pairs.push(("port".to_owned(), ports.join(",")));
    }

    if let Some(after) = s.strip_prefix('/') {
        let end = after.find('?').unwrap_or(after.len());
        let db = decode(&after[..end])?;
        if !db.is_empty() {
            pairs.push(("dbname".to_owned(), db));
        }
        s = &after[end..];
    }

    if let Some(query) = s.strip_prefix('?') {
        for param in query.split('&').filter(|p| !p.is_empty()) {
            let Some((k, v)) = param.split_once('=') else {
                return Err(msg!(
                    "the URL parameter `{param}` has no `=`: write key=value",
                    "URL 参数“{param}”缺少“=”：应写成 key=value"
                ));
            };
            if v.contains('=') {
                return Err(msg!(
                    "the URL parameter `{param}` has more than one `=`: encode it as %3D",
                    "URL 参数“{param}”含有多个“=”：应编码为 %3D"
                ));
            }
            let (k, v) = (decode(k)?, decode(v)?);
            // libpq's one alias, for JDBC's spelling.
            if k == "ssl" && v == "true" {
                pairs.push(("sslmode".to_owned(), "require".to_owned()));
            } else {
                pairs.push((k, v));
            }
        }
    }
    Ok(pairs)
}

/// Percent-decoding, refusing a malformed escape, `%00` and what is not UTF-8.
fn decode(text: &str) -> Result<String, Msg> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(0) => {
                    return Err(msg!(
                        "`{text}` contains %00, which a connection string cannot hold",
                        "“{text}”含有 %00，连接字符串中不能有此值"
                    ));
                }
                Some(b) => out.push(b),
                None => {
                    return Err(msg!(
                        "`{text}` has a malformed percent-escape: write % as %25",
                        "“{text}”中的百分号编码有误：百分号本身应写成 %25"
                    ));
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| {
        msg!(
            "`{text}` decodes to bytes that are not UTF-8",
            "“{text}”解码后不是 UTF-8 文本"
        )
    })
}

/// A value as `key_value` reads it back: as it is where it holds nothing that needs quoting,
/// else single-quoted with `\` and `'` escaped.
pub fn quoted(value: &str) -> String {
    if !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || c == '\'' || c == '\\') {
        return value.to_owned();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The pairs of libpq's `key=value` form: pairs separated by white space, spaces allowed around
/// `=`, a value single-quoted to hold spaces, `\` escaping the next character (a quote or a
/// backslash) inside quotes or out.
pub fn key_value(text: &str) -> Result<Vec<(String, String)>, Msg> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(msg!(
                "`{key}` in the connection string has no `=` after it: write {key}=value",
                "连接字符串中“{key}”之后缺少“=”：应写成 {key}=值"
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(msg!(
                            "the quoted value of `{key}` in the connection string has no closing quote",
                            "连接字符串中“{key}”的带引号取值缺少结束引号"
                        ));
                    }
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}
