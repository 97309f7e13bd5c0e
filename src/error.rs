//! The errors whose kind decides the exit code, and the exit codes themselves.
//!
//! Exit codes, the same for every command: 0 success; 1 an error; 2 a usage error; 3 the data
//! shows a problem (`check` found a violation, `verify` found damage). Every other error is an
//! `anyhow::Error` built from [`Msg`] contexts and exits 1; `lib::run` maps them in one place.

use std::fmt;
use std::path::PathBuf;

use crate::i18n::Msg;
use crate::msg;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Problems = 3,
}

/// A usage error (exit 2): a missing flag, a flag that does not fit.
#[derive(Debug)]
pub struct UsageError(pub Msg);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for UsageError {}

/// A write that failed after the input was accepted: nothing was recorded, the input is saved.
#[derive(Debug)]
pub struct NotRecorded {
    pub draft: Option<PathBuf>,
}

impl fmt::Display for NotRecorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match &self.draft {
            Some(p) => {
                let p = p.display();
                msg!(
                    "the entry was NOT recorded; what you typed is saved in {p}: fix the cause below and run the command again",
                    "本条记录未保存；已录入的内容存于 {p}：请排除下列原因后重新执行命令"
                )
            }
            None => msg!(
                "the entry was NOT recorded, and what you typed could not be saved either: fix the cause below and run the command again",
                "本条记录未保存，已录入的内容也未能另存：请排除下列原因后重新执行命令"
            ),
        };
        m.fmt(f)
    }
}

impl std::error::Error for NotRecorded {}

/// A refusal of the input that the user can correct (exit 1).
pub fn refuse(m: Msg) -> anyhow::Error {
    anyhow::Error::new(m)
}

/// A usage error (exit 2).
pub fn usage(m: Msg) -> anyhow::Error {
    anyhow::Error::new(UsageError(m))
}

/// A cause from the system or SQLite in Chinese, where it is one a person meets (a missing file,
/// a full or read-only disk, a busy database); `None` for the rest.
pub fn cause_zh(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind as K;
        let words = match io.kind() {
            K::NotFound => "文件或目录不存在",
            K::PermissionDenied => "没有权限",
            K::AlreadyExists => "文件已存在",
            K::StorageFull => "磁盘已满",
            K::ReadOnlyFilesystem => "文件系统为只读",
            K::IsADirectory => "这是一个目录",
            K::NotADirectory => "路径中有一项不是目录",
            K::InvalidData => "内容不是有效的 UTF-8 文本",
            _ => return None,
        };
        return Some(match io.raw_os_error() {
            Some(code) => format!("{words}（系统错误 {code}）"),
            None => words.to_owned(),
        });
    }
    crate::store::cause_zh(cause)
}
