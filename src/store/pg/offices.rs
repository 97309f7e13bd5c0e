//! The offices of a shared store: adding one (its roles, its chain, its first rules), granting
//! its roles to logins, changing its rules (each version kept by hash), listing them.
//!
//! Rules: adding, granting and changing rules are the owner's (PostgreSQL refuses anyone else
//! the DDL and the writes anyway); listing is every login's. An office's roles are NOLOGIN
//! groups named after the database and the code; a supervisor's role includes the officer's.

use anyhow::{Context, Result};

use super::Shared;
use super::open::{ident, literal, users_role};
use crate::error::refuse;
use crate::msg;
use crate::store::walk::GENESIS;

/// An office as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    /// The hash of the rules in force for it.
    pub rules: String,
    pub officer_role: String,
    pub supervisor_role: String,
}

/// What `office add` gives.
#[derive(Debug, Clone)]
pub struct OfficeAdd<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub parent: Option<&'a str>,
    pub rules_hash: &'a str,
    pub rules_text: &'a str,
    pub now: i64,
}

/// The offices' operations on an open store.
pub struct Offices<'a> {
    pub(super) client: &'a mut postgres::Client,
    pub(super) shared: &'a Shared,
}

impl Offices<'_> {
    fn owner_only(&self, what: &str) -> Result<()> {
        if self.shared.owner {
            return Ok(());
        }
        let login = &self.shared.login;
        Err(refuse(msg!(
            "only the store's owner may {what}, and {login} is not the owner",
            "只有共享库的所有者才能执行 {what}，{login} 不是所有者"
        )))
    }

    /// Every office, by code.
    pub fn list(&mut self) -> Result<Vec<Office>> {
        let rows = self.client.query(
            "SELECT o.code, o.name, o.parent, \
             (SELECT r.hash FROM sitrep.office_rules r WHERE r.office = o.code \
              ORDER BY r.version DESC LIMIT 1), o.officer_role, o.supervisor_role \
             FROM sitrep.offices o ORDER BY o.code",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| Office {
                code: r.get(0),
                name: r.get(1),
                parent: r.get(2),
                rules: r.get::<_, Option<String>>(3).unwrap_or_default(),
                officer_role: r.get(4),
                supervisor_role: r.get(5),
            })
            .collect())
    }

    /// Adds an office: its two roles, its row, its chain's start and its rules.
    pub fn add(&mut self, o: &OfficeAdd<'_>) -> Result<Office> {
        self.owner_only("`office add`")?;
        let db = &self.shared.database;
        let officer = format!("sitrep_{db}_{}", o.code);
        let supervisor = format!("sitrep_{db}_{}_supervisor", o.code);
        let users = users_role(db);
        let mut tx = self.client.transaction()?;
        if let Some(p) = o.parent
            && tx
                .query_opt("SELECT 1 FROM sitrep.offices WHERE code = $1", &[&p])?
                .is_none()
        {
            return Err(refuse(msg!(
                "there is no office `{p}` to put it under: add the parent first (`sitrep office list` shows them)",
                "没有单位 `{p}` 可作上级：请先添加上级单位（`sitrep office list` 可查看）"
            )));
        }
        if tx
            .query_opt("SELECT 1 FROM sitrep.offices WHERE code = $1", &[&o.code])?
            .is_some()
        {
            let code = o.code;
            return Err(refuse(msg!(
                "office `{code}` exists already",
                "单位 `{code}` 已存在"
            )));
        }
        for role in [&officer, &supervisor] {
            tx.batch_execute(&format!(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN \
                 CREATE ROLE {id} NOLOGIN; END IF; END $$",
                lit = literal(role),
                id = ident(role)
            ))?;
        }
        tx.batch_execute(&format!(
            "GRANT {users} TO {officer}; GRANT {officer} TO {supervisor};",
            users = ident(&users),
            officer = ident(&officer),
            supervisor = ident(&supervisor)
        ))?;
        tx.execute(
            "INSERT INTO sitrep.offices (code, name, parent, officer_role, supervisor_role, created) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&o.code, &o.name, &o.parent, &officer, &supervisor, &o.now],
        )?;
        tx.execute(
            "INSERT INTO sitrep.heads (office, seq, hash) VALUES ($1, 0, $2)",
            &[&o.code, &GENESIS],
        )?;
        set_rules(&mut tx, o.code, o.rules_hash, o.rules_text, o.now)?;
        tx.commit()?;
        Ok(Office {
            code: o.code.to_owned(),
            name: o.name.to_owned(),
            parent: o.parent.map(str::to_owned),
            rules: o.rules_hash.to_owned(),
            officer_role: officer,
            supervisor_role: supervisor,
        })
    }

    /// Grants an office's officer role (or its supervisor role) to a login.
    pub fn grant(&mut self, code: &str, login: &str, supervisor: bool) -> Result<String> {
        self.owner_only("`office grant`")?;
        let office = self.get(code)?;
        let role = if supervisor {
            office.supervisor_role
        } else {
            office.officer_role
        };
        let exists = self
            .client
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&login])?
            .is_some();
        if !exists {
            return Err(refuse(msg!(
                "there is no login `{login}` in this PostgreSQL cluster: create it first (`CREATE ROLE \"{login}\" LOGIN`, with a password or peer authentication)",
                "PostgreSQL 中没有登录 `{login}`：请先创建（`CREATE ROLE \"{login}\" LOGIN`，配置密码或 peer 认证）"
            )));
        }
        self.client
            .batch_execute(&format!("GRANT {} TO {}", ident(&role), ident(login)))
            .with_context(|| {
                msg!(
                    "cannot grant {role} to {login}",
                    "无法将 {role} 授予 {login}"
                )
            })?;
        Ok(role)
    }

    /// Puts new rules in force for an office (the earlier versions stay, by hash).
    pub fn set_rules(&mut self, code: &str, hash: &str, text: &str, now: i64) -> Result<()> {
        self.owner_only("`office rules`")?;
        self.get(code)?;
        let mut tx = self.client.transaction()?;
        set_rules(&mut tx, code, hash, text, now)?;
        tx.commit()?;
        Ok(())
    }

    /// The rules in force for an office: (hash, text).
    pub fn rules_of(&mut self, code: &str) -> Result<Option<(String, String)>> {
        current_rules(self.client, code)
    }

    fn get(&mut self, code: &str) -> Result<Office> {
        self.list()?
            .into_iter()
            .find(|o| o.code == code)
            .ok_or_else(|| {
                refuse(msg!(
                    "there is no office `{code}`: `sitrep office list` shows them",
                    "没有单位 `{code}`：可用 `sitrep office list` 查看"
                ))
            })
    }
}

fn set_rules(
    tx: &mut postgres::Transaction<'_>,
    code: &str,
    hash: &str,
    text: &str,
    now: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sitrep.rules (hash, text, first_used) VALUES ($1, $2, $3) \
         ON CONFLICT (hash) DO NOTHING",
        &[&hash, &text, &now],
    )?;
    tx.execute(
        "INSERT INTO sitrep.office_rules (office, version, hash, since) \
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM sitrep.office_rules WHERE office = $1",
        &[&code, &hash, &now],
    )?;
    Ok(())
}

/// The rules in force for an office: (hash, text).
pub fn current_rules(
    client: &mut postgres::Client,
    office: &str,
) -> Result<Option<(String, String)>> {
    Ok(client
        .query_typed(
            "SELECT r.hash, r.text FROM sitrep.office_rules o JOIN sitrep.rules r ON r.hash = o.hash \
             WHERE o.office = $1 ORDER BY o.version DESC LIMIT 1",
            &[(&office, postgres::types::Type::TEXT)],
        )?
        .first()
        .map(|r| (r.get(0), r.get(1))))
}

/// `office`, or it and every office below it.
pub fn tree(client: &mut postgres::Client, office: &str, tree: bool) -> Result<Vec<String>> {
    if !tree {
        return Ok(vec![office.to_owned()]);
    }
    Ok(client
        .query(
            "WITH RECURSIVE t(code) AS (SELECT $1::text UNION \
             SELECT o.code FROM sitrep.offices o JOIN t ON o.parent = t.code) \
             SELECT code FROM t ORDER BY code",
            &[&office],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}
