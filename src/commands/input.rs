//! Input from a person: flags, prompts on a terminal, `$EDITOR`.
//!
//! Rules:
//! - Prompts (inquire, which edits Chinese text correctly) only on a terminal
//!   (`ctx.interactive`), and on the terminal (stderr), never stdout. Elsewhere every missing
//!   required flag is named at once ([`missing`], exit 2).
//! - An answer is read by the same function as its flag ([`answer`]), as it is typed: a refusal
//!   is shown and the same question asked again ([`prompt`]).
//! - Cancelling (Esc, Ctrl-C) after anything was typed saves a draft and says where
//!   ([`prompt::Prompter::stopped`]).
//! - `--edit` opens `$VISUAL`/`$EDITOR` on the long texts, one section each ([`edit`]).

pub mod answer;
mod editor;
pub mod prompt;

pub use editor::edit;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::{refuse, usage};
use crate::i18n::{Msg, lang};
use crate::msg;

/// How to ask for a value.
#[derive(Debug, Clone)]
pub enum Ask {
    Text,
    /// One of these (id, shown as).
    Choice(Vec<(String, String)>),
}

/// A required value that may be missing.
pub struct Need<'a> {
    pub flag: &'static str,
    pub prompt: Msg,
    pub ask: Ask,
    pub value: &'a mut Option<String>,
}

/// Off a terminal, fails naming every required flag `given` says is missing (a blank value is
/// missing too); on a terminal the prompts ask for them.
pub fn missing(ctx: &Ctx, given: &[(&'static str, Option<&str>)]) -> Result<()> {
    let missing: Vec<&'static str> = given
        .iter()
        .filter(|(_, v)| v.is_none_or(|v| v.trim().is_empty()))
        .map(|(flag, _)| *flag)
        .collect();
    if missing.is_empty() || ctx.interactive {
        return Ok(());
    }
    let list = missing.join(", ");
    Err(usage(msg!(
        "missing {list}: give them as flags (or run in a terminal without --no-input to be asked for them)",
        "缺少 {list}：请以参数给出（或在终端中不带 --no-input 运行，按提示填写）"
    )))
}

/// Fills every missing value, or fails naming all of them: the required fields of `escalate`
/// and `close`, asked for with a required text or a choice list.
pub fn fill(ctx: &Ctx, needs: Vec<Need<'_>>) -> Result<()> {
    let given: Vec<(&'static str, Option<&str>)> =
        needs.iter().map(|n| (n.flag, n.value.as_deref())).collect();
    missing(ctx, &given)?;
    for need in needs {
        if need.value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
            continue;
        }
        let prompt = need.prompt.get(lang()).to_owned();
        let answer = match &need.ask {
            Ask::Text => inquire::Text::new(&prompt)
                .with_render_config(prompt::render_config())
                .with_validator(|s: &str| {
                    Ok(if s.trim().is_empty() {
                        inquire::validator::Validation::Invalid(
                            crate::i18n::pick("required", "必填").into(),
                        )
                    } else {
                        inquire::validator::Validation::Valid
                    })
                })
                .prompt(),
            Ask::Choice(options) => {
                let shown: Vec<String> = options.iter().map(|(_, s)| s.clone()).collect();
                let help = crate::i18n::pick(
                    "↑↓ to move, enter to select, type to filter",
                    "↑↓ 移动，回车选择，输入文字筛选",
                );
                inquire::Select::new(&prompt, shown)
                    .with_render_config(prompt::render_config())
                    .with_help_message(help)
                    .prompt()
                    .map(|s| {
                        options
                            .iter()
                            .find(|(_, d)| *d == s)
                            .map(|(id, _)| id.clone())
                            .unwrap_or(s)
                    })
            }
        };
        let answer = answer.map_err(|_| {
            refuse(msg!(
                "cancelled: nothing was recorded",
                "已取消：未作任何记录"
            ))
        })?;
        *need.value = Some(answer);
    }
    Ok(())
}
