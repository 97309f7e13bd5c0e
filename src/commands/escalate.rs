//! `sitrep escalate`: record that a level of the chain was told (报送).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::deadlines;
use super::input::{self, Ask, Need};
use super::record::{self, Draft, Stamp};
use crate::context::Ctx;
use crate::domain::model::{Body, Escalation};
use crate::domain::text::{clean_line, clean_text};
use crate::domain::when::parse_when;
use crate::error::{Exit, refuse};
use crate::msg;

/// Record that a level was told.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sitrep escalate 20260310-001 --level city --via phone --contact '市总值班室 李四' --at 14:20"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// The level told (see `sitrep rules check`)
    #[arg(long)]
    pub level: Option<String>,
    /// The channel [default: the rules' default channel, phone in the built-in rules]
    #[arg(long, value_name = "CHANNEL")]
    pub via: Option<String>,
    /// The person reached
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// The leader who signed off the written report (签发人)
    #[arg(long, value_name = "NAME")]
    pub signed_by: Option<String>,
    /// Why a lower level was bypassed, when one was
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// When the level was told [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

pub fn run(ctx: &Ctx, mut a: Args, out: &mut dyn Write) -> Result<Exit> {
    let format = deadlines::format(ctx)?;
    let (mut store, actor) =
        super::open::write(ctx, None, false, &record::Draft::argv("escalate"))?;
    let rules = record::read(ctx, &mut store, &a.id)?.rules;
    let levels = rules
        .levels
        .iter()
        .map(|l| (l.id.clone(), crate::render::item(&l.id, &l.label)))
        .collect();
    input::fill(
        ctx,
        vec![Need {
            flag: "--level",
            prompt: msg!("Level told", "报送层级"),
            ask: Ask::Choice(levels),
            value: &mut a.level,
        }],
    )?;
    let level = rules
        .level_id(a.level.as_deref().unwrap_or_default())
        .map_err(refuse)?;
    let channel = match &a.via {
        Some(v) => rules.channel_id(v).map_err(refuse)?,
        None => rules.default_channel.clone(),
    };
    let at = match &a.at {
        Some(t) => parse_when(t, ctx.now, rules.tz).map_err(refuse)?,
        None => ctx.now,
    };
    let body = Body::Escalation {
        escalation: Escalation {
            level,
            channel,
            contact: a
                .contact
                .as_deref()
                .map(|c| clean_line("--contact", c))
                .transpose()
                .map_err(refuse)?,
            signed_by: a
                .signed_by
                .as_deref()
                .map(|c| clean_line("--signed-by", c))
                .transpose()
                .map_err(refuse)?,
            reason: a
                .reason
                .as_deref()
                .map(|r| clean_text("--reason", r))
                .transpose()
                .map_err(refuse)?,
        },
    };
    let draft = Draft {
        command: "escalate",
        fields: json!({
            "id": a.id, "level": a.level, "via": a.via, "contact": a.contact,
            "reason": a.reason, "signed_by": a.signed_by, "at": a.at,
        }),
    };
    let rec = record::write(ctx, &mut store, &draft, |tx| {
        let stamp = Stamp::of(ctx, &actor, tx)?;
        record::append(ctx, tx, &a.id, at, &stamp, body.clone())
    })?;
    deadlines::print(ctx, format, &rec, at, out)?;
    Ok(Exit::Success)
}
