//! Opening the store for a command, with what a shared store asks of the client: its test mark
//! said on every use, `SITREP_NOW` refused unless it is a test store, the rules files refused
//! for writing (an office files under the rules the store holds for it), the login as who acts
//! (`--as` may only repeat it), and `--office` narrowing what is read and naming the office
//! written for.

use anyhow::Result;

use super::record::Draft;
use crate::context::{Ctx, LoadedRules, RulesSource};
use crate::error::{refuse, usage};
use crate::msg;
use crate::rules::Rules;
use crate::store::Store;

/// Which offices a reading command covers on a shared store.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OfficeArgs {
    /// On a shared store: only office CODE [default: every office the login may read]
    #[arg(long, value_name = "CODE")]
    pub office: Option<String>,
    /// With --office: also every office below it
    #[arg(long, requires = "office")]
    pub tree: bool,
}

/// Opens the store to read, narrowed to `office`.
pub fn read(ctx: &Ctx, office: &OfficeArgs) -> Result<Store> {
    let mut store = Store::open_to_read(&ctx.db)?;
    shared_checks(ctx, &store)?;
    narrow(&mut store, office)?;
    Ok(store)
}

/// Opens the store to write (creating a file on first use where `create`), acting for
/// `office`; returns it with who acts: the login on a shared store (`--as` may only repeat it).
/// A store that cannot be opened (a server unreachable, a file locked) keeps `draft`, what was
/// given so far (the command line is always in a draft), as a failed write does.
pub fn write(
    ctx: &Ctx,
    office: Option<&str>,
    create: bool,
    draft: &Draft<'_>,
) -> Result<(Store, String)> {
    let actor = ctx.actor()?;
    let store =
        for_writing(ctx, office, create).map_err(|e| super::record::drafted(ctx, draft, e))?;
    let Some(shared) = store.shared() else {
        return Ok((store, actor));
    };
    let login = shared.login.clone();
    if ctx.user_given && actor != login {
        return Err(usage(msg!(
            "on a shared store entries are made in the login's name ({login}), not `{actor}`: leave out --as and SITREP_USER, or log in as that person",
            "共享库中记录以登录名（{login}）记入，而非“{actor}”：请去掉 --as 与 SITREP_USER，或以该人员身份登录"
        )));
    }
    Ok((store, login))
}

/// Opens the store to write, acting for `office`, with no one named (`import` keeps each
/// entry's own names).
pub fn for_writing(ctx: &Ctx, office: Option<&str>, create: bool) -> Result<Store> {
    let mut store = if create {
        Store::open_or_create(&ctx.db)?
    } else {
        Store::open(&ctx.db)?
    };
    shared_checks(ctx, &store)?;
    if store.shared().is_none() {
        if let Some(o) = office {
            return Err(usage(file_has_no_offices(o)));
        }
        return Ok(store);
    }
    if let RulesSource::File(path) = &ctx.rules_source {
        let p = path.display();
        return Err(usage(msg!(
            "on a shared store an office files under the rules the store holds for it, not a rules file ({p}): leave out --rules and SITREP_RULES, run from a directory without reporting-rules.toml; the owner changes an office's rules with `sitrep office rules CODE FILE`",
            "共享库中各单位按共享库为其保存的规则报送，不使用规则文件（{p}）：请去掉 --rules 和 SITREP_RULES，并在没有 reporting-rules.toml 的目录下运行；单位规则由所有者用 `sitrep office rules 代码 文件` 修改"
        )));
    }
    if let Some(o) = office {
        store.postgres()?.narrow(o, false)?;
    }
    Ok(store)
}

/// The rules a new incident is filed under: on a shared store the office's, else the rules in
/// force here.
pub fn filing_rules(ctx: &Ctx, store: &mut Store) -> Result<LoadedRules> {
    if store.shared().is_none() {
        return filing_rules_here(ctx);
    }
    let pg = store.postgres()?;
    let Some((hash, text)) = pg.office_rules()? else {
        let shared = pg.shared();
        let login = &shared.login;
        return Err(refuse(if shared.members.len() > 1 {
            let list = shared.members.join(", ");
            msg!(
                "{login} files for several offices ({list}): say which with --office CODE",
                "{login} 可为多个单位报送（{list}）：请用 --office 代码 指定"
            )
        } else {
            msg!(
                "{login} files for no office of this shared store: the owner grants one with `sitrep office grant CODE {login}`",
                "{login} 不能为此共享库中的任何单位报送：请所有者用 `sitrep office grant 代码 {login}` 授权"
            )
        }));
    };
    let short = &hash[..hash.len().min(12)];
    let rules = Rules::parse(&text, &format!("stored rules {short}"))?;
    Ok(LoadedRules {
        rules: std::rc::Rc::new(rules),
        text,
        source: format!("stored rules {short}"),
    })
}

/// The rules a reading command reads times and names by: on a shared store the rules in force
/// for the office written for (or, for a login of several, the first it may read), so that
/// `--at 09:00` is that office's nine o'clock; else the rules in force here.
pub fn reading_rules(ctx: &Ctx, store: &mut Store) -> Result<std::rc::Rc<Rules>> {
    if store.shared().is_none() {
        return Ok(std::rc::Rc::clone(&ctx.rules()?.rules));
    }
    let pg = store.postgres()?;
    let office = pg
        .shared()
        .acting
        .clone()
        .or_else(|| pg.shared().readable.first().cloned());
    let text = match office {
        Some(o) => pg.offices().rules_of(&o)?,
        None => None,
    };
    match text {
        Some((hash, text)) => {
            let short = &hash[..hash.len().min(12)];
            Ok(std::rc::Rc::new(Rules::parse(
                &text,
                &format!("stored rules {short}"),
            )?))
        }
        None => Ok(std::rc::Rc::clone(&ctx.rules()?.rules)),
    }
}

/// The rules in force here (`--rules`, `./reporting-rules.toml`, built-in), for a file.
pub fn filing_rules_here(ctx: &Ctx) -> Result<LoadedRules> {
    let l = ctx.rules()?;
    Ok(LoadedRules {
        rules: std::rc::Rc::clone(&l.rules),
        text: l.text.clone(),
        source: l.source.clone(),
    })
}

fn narrow(store: &mut Store, office: &OfficeArgs) -> Result<()> {
    let Some(code) = &office.office else {
        return Ok(());
    };
    if store.shared().is_none() {
        return Err(usage(file_has_no_offices(code)));
    }
    store.postgres()?.narrow(code, office.tree)
}

fn file_has_no_offices(code: &str) -> crate::i18n::Msg {
    msg!(
        "--office {code}: a file is one office's record, and offices belong to a shared store (--db postgres://…)",
        "--office {code}：文件即一个单位的记录，单位属于共享库（--db postgres://…）"
    )
}

/// What a shared store asks of every command: its test mark said, `SITREP_NOW` only on a test
/// store.
fn shared_checks(ctx: &Ctx, store: &Store) -> Result<()> {
    let Some(shared) = store.shared() else {
        return Ok(());
    };
    if shared.test_clock {
        super::note(Some(&msg!(
            "note: this shared store is a test store (init --test-clock): its recorded times are the client's clock, and it can never pass for a real record",
            "注意：此共享库为测试库（init --test-clock）：其记录时间取自客户端时钟，永远不能作为正式记录"
        )));
    } else if ctx.simulated {
        return Err(usage(msg!(
            "SITREP_NOW is refused on a shared store: its recorded times are the server's clock; unset SITREP_NOW (a test store made with `init --test-clock` takes it)",
            "共享库拒绝 SITREP_NOW：记录时间取自服务器时钟；请取消设置 SITREP_NOW（用 `init --test-clock` 创建的测试库可以使用）"
        )));
    }
    Ok(())
}
