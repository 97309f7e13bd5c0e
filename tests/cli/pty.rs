//! sitrep on a real pseudo-terminal, answered as a person would (`tests/pty/session.py`).

use std::process::Command;

use crate::env::{TestEnv, skip};

/// What a session showed and how it ended.
#[derive(Debug)]
pub struct Session {
    pub code: i32,
    /// Everything the terminal showed (stderr: prompts, errors), escape sequences removed.
    pub shown: String,
    /// What sitrep wrote to stdout, which is not the terminal.
    pub stdout: String,
}

/// A step: wait until the terminal shows a text, or type one (`\r` Enter, `\u{1b}` Esc,
/// `\u{7f}` Backspace, `\u{3}` Ctrl-C, `\t` Tab).
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Expect(&'a str),
    Send(&'a str),
}

/// Runs `sitrep args` in `env` on a pseudo-terminal, taking `steps`. `None`, having said why
/// (a failure under `SITREP_CI`), where python3 or a pseudo-terminal is unavailable.
pub fn run(env: &TestEnv, args: &[&str], steps: &[Step<'_>]) -> Option<Session> {
    let probe = Command::new("python3")
        .args(["-c", "import os, pty; os.close(os.openpty()[0])"])
        .output();
    match probe {
        Err(e) => {
            skip(&format!(
                "python3 cannot run here ({e}): no pseudo-terminal test"
            ));
            return None;
        }
        Ok(o) if !o.status.success() => {
            let why = String::from_utf8_lossy(&o.stderr);
            skip(&format!("no pseudo-terminal here: {}", why.trim()));
            return None;
        }
        Ok(_) => {}
    }
    let steps: Vec<[&str; 2]> = steps
        .iter()
        .map(|s| match s {
            Step::Expect(t) => ["expect", t],
            Step::Send(t) => ["send", t],
        })
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pty/session.py");
    let stdout_file = env.path("pty-stdout.txt");
    let sitrep = env.std_cmd(args);
    let mut cmd = Command::new("python3");
    cmd.env_clear();
    for (k, v) in sitrep.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let out = cmd
        .env("TERM", "xterm-256color")
        .current_dir(env.dir.path())
        .arg(script)
        .arg(serde_json::to_string(&steps).expect("steps as JSON"))
        .arg(&stdout_file)
        .arg(sitrep.get_program())
        .args(sitrep.get_args())
        .output()
        .expect("python3 runs");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert_ne!(
        code,
        100,
        "{}\n--- the terminal showed:\n{shown}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Session {
        code,
        shown,
        stdout: std::fs::read_to_string(&stdout_file).unwrap_or_default(),
    })
}
