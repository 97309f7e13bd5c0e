//! Required fields: asked for on a terminal, refused at once (naming every missing flag) when not.
//!
//! Prompts use inquire, which edits Chinese text correctly, and go to the terminal, never to
//! stdout. `--edit` opens `$VISUAL`/`$EDITOR` on the long texts, one section each.

use anyhow::{Context as _, Result};

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

/// Fills every missing value, or fails naming all of them.
pub fn fill(ctx: &Ctx, needs: Vec<Need<'_>>) -> Result<()> {
    let missing: Vec<&'static str> = needs
        .iter()
        .filter(|n| n.value.as_deref().is_none_or(|v| v.trim().is_empty()))
        .map(|n| n.flag)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !ctx.interactive {
        let list = missing.join(", ");
        return Err(usage(msg!(
            "missing {list}: give them as flags (or run in a terminal without --no-input to be asked for them)",
            "缺少 {list}：请以参数给出（或在终端中不带 --no-input 运行，按提示填写）"
        )));
    }
    for need in needs {
        if need.value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
            continue;
        }
        let prompt = need.prompt.get(lang()).to_owned();
        let answer = match &need.ask {
            Ask::Text => inquire::Text::new(&prompt)
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

/// Opens the editor on labelled sections; returns the texts as edited.
pub fn edit(ctx: &Ctx, sections: &mut [(&str, &mut Option<String>)]) -> Result<()> {
    let Some(editor) = ctx.editor.clone() else {
        return Err(usage(msg!(
            "--edit needs an editor: set VISUAL or EDITOR (e.g. EDITOR=nano)",
            "--edit 需要编辑器：请设置 VISUAL 或 EDITOR（例如 EDITOR=nano）"
        )));
    };
    let mut template = String::from(crate::i18n::pick(
        "# Write under each heading; lines starting with # are ignored.\n",
        "# 在各标题下填写；以 # 开头的行将被忽略。\n",
    ));
    for (label, value) in sections.iter() {
        template.push_str(&format!(
            "## {label}\n{}\n\n",
            value.as_deref().unwrap_or("")
        ));
    }
    std::fs::create_dir_all(&ctx.drafts_dir).ok();
    let base = format!("edit-{}", std::process::id());
    let path = super::record::write_new(&ctx.drafts_dir, &base, "md", template.as_bytes())
        .with_context(|| {
            let d = ctx.drafts_dir.display();
            msg!(
                "cannot write a file for the editor in {d}: check that the directory is writable",
                "无法在 {d} 中为编辑器创建文件：请检查该目录是否可写"
            )
        })?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .with_context(|| {
            msg!(
                "cannot run the editor `{editor}`",
                "无法运行编辑器“{editor}”"
            )
        })?;
    let text = std::fs::read_to_string(&path)?;
    if !status.success() {
        let p = path.display();
        return Err(refuse(msg!(
            "the editor `{editor}` failed; your text is kept in {p}",
            "编辑器“{editor}”异常退出；文本保存在 {p}"
        )));
    }
    let _ = std::fs::remove_file(&path);
    let mut current: Option<usize> = None;
    let mut texts: Vec<String> = vec![String::new(); sections.len()];
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = sections.iter().position(|(l, _)| *l == h.trim());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some(i) = current {
            texts[i].push_str(line);
            texts[i].push('\n');
        }
    }
    for ((_, value), text) in sections.iter_mut().zip(texts) {
        let t = text.trim();
        **value = (!t.is_empty()).then(|| t.to_owned());
    }
    Ok(())
}
