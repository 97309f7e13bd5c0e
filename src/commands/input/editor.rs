//! Opening `$VISUAL`/`$EDITOR` on the long texts, one `## heading` section each.
//!
//! Rules: the file the editor opens is created new in the drafts directory (mode 0600, never
//! replacing a file) and removed once read; if the editor fails, the file is kept and its path
//! said, so nothing written there is lost.

use anyhow::{Context as _, Result};

use crate::context::Ctx;
use crate::error::{refuse, usage};
use crate::msg;

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
    let path = super::super::record::write_new(&ctx.drafts_dir, &base, "md", template.as_bytes())
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
