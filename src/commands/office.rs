//! `sitrep office`: the offices of a shared store. `add`, `grant` and `rules` are the owner's
//! (PostgreSQL refuses anyone else); `list` is every login's.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use serde_json::json;

use crate::cli::Format;
use crate::context::Ctx;
use crate::domain::id::is_office_code;
use crate::domain::text::clean_line;
use crate::error::{Exit, refuse, usage};
use crate::i18n::Label;
use crate::msg;
use crate::render::table;
use crate::rules::{DEFAULT_TEXT, Rules};
use crate::store::pg::OfficeAdd;

/// The offices of a shared store.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add an office (the store's owner)
    #[command(
        after_help = "Examples:\n  sitrep --db postgres://owner@db/duty office add city --name 市委市政府总值班室\n  sitrep --db postgres://owner@db/duty office add cg --name 城关区应急管理局 --parent city --rules-file county.toml"
    )]
    Add {
        /// The office's code: lower case, a letter then up to 15 letters or digits; it begins
        /// every id of the office (cg-20260310-001)
        code: String,
        /// The office's name
        #[arg(long, value_name = "TEXT")]
        name: String,
        /// The office above it
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// The rules it files under [default: the built-in rules]
        #[arg(long = "rules-file", value_name = "FILE")]
        rules_file: Option<PathBuf>,
    },
    /// The offices: code, name, the office above, the rules in force
    List,
    /// Let a login act for an office, or supervise it and every office below it (the owner)
    #[command(
        after_help = "Examples:\n  sitrep office grant cg 王磊\n  sitrep office grant city 李主任 --supervisor"
    )]
    Grant {
        /// The office's code
        code: String,
        /// The PostgreSQL login
        login: String,
        /// As its supervisor: read its tree, review there
        #[arg(long)]
        supervisor: bool,
    },
    /// Put new rules in force for an office; earlier incidents keep theirs (the owner)
    Rules {
        /// The office's code
        code: String,
        /// The rules file
        file: PathBuf,
    },
}

pub fn run(ctx: &Ctx, c: Command, out: &mut dyn Write) -> Result<Exit> {
    let format = ctx.format(&[Format::Table, Format::Json])?;
    let mut store = super::open::read(ctx, &super::open::OfficeArgs::default())?;
    let now = ctx.now.timestamp();
    match c {
        Command::Add {
            code,
            name,
            parent,
            rules_file,
        } => {
            check_code(&code)?;
            let name = clean_line("--name", &name).map_err(refuse)?;
            let (text, _) = rules_text(rules_file.as_ref())?;
            let rules = Rules::parse(&text, "office rules")?;
            let o = store.postgres()?.offices().add(&OfficeAdd {
                code: &code,
                name: &name,
                parent: parent.as_deref(),
                rules_hash: &rules.hash,
                rules_text: &text,
                now,
            })?;
            let (officer, supervisor) = (&o.officer_role, &o.supervisor_role);
            writeln!(
                out,
                "{}",
                msg!(
                    "office {code} ({name}) added; its roles: {officer} (officers), {supervisor} (supervisors); grant them with `sitrep office grant {code} LOGIN`",
                    "已添加单位 {code}（{name}）；其角色：{officer}（值班员）、{supervisor}（带班领导）；用 `sitrep office grant {code} 登录名` 授权"
                )
            )?;
        }
        Command::List => {
            let offices = store.postgres()?.offices().list()?;
            if format == Format::Json {
                let v: Vec<_> = offices
                    .iter()
                    .map(|o| {
                        json!({
                            "code": o.code, "name": o.name, "parent": o.parent, "rules": o.rules,
                            "officer_role": o.officer_role, "supervisor_role": o.supervisor_role,
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                let mut t = table::new(
                    ctx.layout(),
                    &[Label::Office, Label::Name, Label::Parent, Label::Rules],
                );
                for o in &offices {
                    t.add_row(vec![
                        table::cell(&o.code),
                        table::cell(&o.name),
                        table::cell(o.parent.as_deref().unwrap_or("-")),
                        table::cell(&o.rules[..o.rules.len().min(12)]),
                    ]);
                }
                writeln!(out, "{t}")?;
            }
        }
        Command::Grant {
            code,
            login,
            supervisor,
        } => {
            let role = store
                .postgres()?
                .offices()
                .grant(&code, &login, supervisor)?;
            writeln!(
                out,
                "{}",
                msg!("{login} now holds {role}", "{login} 已获得角色 {role}")
            )?;
        }
        Command::Rules { code, file } => {
            let (text, _) = rules_text(Some(&file))?;
            let rules = Rules::parse(&text, &file.display().to_string())?;
            store
                .postgres()?
                .offices()
                .set_rules(&code, &rules.hash, &text, now)?;
            let short = &rules.hash[..12];
            writeln!(
                out,
                "{}",
                msg!(
                    "office {code} now files under {short}; its earlier incidents keep their rules",
                    "单位 {code} 此后按规则 {short} 报送；此前的事件保留原规则"
                )
            )?;
        }
    }
    Ok(Exit::Success)
}

fn check_code(code: &str) -> Result<()> {
    if is_office_code(code) {
        return Ok(());
    }
    Err(usage(msg!(
        "`{code}` is not an office code: a lower-case letter, then up to 15 lower-case letters or digits (cg, city, ajj2)",
        "“{code}”不是单位代码：以小写字母开头，其后至多 15 个小写字母或数字（如 cg、city、ajj2）"
    )))
}

fn rules_text(file: Option<&PathBuf>) -> Result<(String, String)> {
    match file {
        None => Ok((DEFAULT_TEXT.to_owned(), "built-in".to_owned())),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| {
                let p = p.display();
                msg!("cannot read the rules file {p}", "无法读取规则文件 {p}")
            })?;
            Ok((text, p.display().to_string()))
        }
    }
}
