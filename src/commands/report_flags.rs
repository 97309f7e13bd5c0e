//! The flags every report takes (measures, figures, cause), and turning them into a [`Report`].

use anyhow::Result;

use crate::domain::amount::parse_amount;
use crate::domain::model::{Cause, CauseStatus, Figures, Report};
use crate::domain::replay::check_figure;
use crate::domain::text::clean_text;
use crate::error::refuse;
use crate::msg;
use crate::rules::Rules;

/// Measures, figures and cause: the content of every report.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportFlags {
    /// Measures taken (重报措施)
    #[arg(long, value_name = "TEXT")]
    pub measures: Option<String>,
    /// Deaths
    #[arg(long, value_name = "N")]
    pub deaths: Option<i64>,
    /// Missing persons
    #[arg(long, value_name = "N")]
    pub missing: Option<i64>,
    /// Serious injuries
    #[arg(long, value_name = "N")]
    pub serious_injuries: Option<i64>,
    /// Injuries
    #[arg(long, value_name = "N")]
    pub injuries: Option<i64>,
    /// People trapped
    #[arg(long, value_name = "N")]
    pub trapped: Option<i64>,
    /// People evacuated
    #[arg(long, value_name = "N")]
    pub evacuated: Option<i64>,
    /// Direct economic loss in yuan: 12000000, 1.2e7 or 1200万
    #[arg(long, value_name = "AMOUNT")]
    pub loss: Option<String>,
    /// Any figure the rules declare, e.g. --figure hospitalized=2
    #[arg(long = "figure", value_name = "NAME=N")]
    pub figures: Vec<String>,
    /// The cause as known so far (慎报原因)
    #[arg(long, value_name = "TEXT")]
    pub cause: Option<String>,
    /// How certain the cause is: unknown, preliminary or confirmed (or 原因不明, 初步, 已查明)
    /// [default: preliminary when a cause is given]
    #[arg(long, value_name = "STATUS")]
    pub cause_status: Option<String>,
}

impl ReportFlags {
    /// The figures given, checked against the rules: known names, whole numbers within bounds,
    /// each given once.
    pub fn figures(&self, rules: &Rules) -> Result<Figures> {
        let mut f = Figures::new();
        let mut put = |name: &str, flag: &str, value: i64| -> Result<()> {
            check_figure(name, value).map_err(refuse)?;
            if f.insert(name.to_owned(), value).is_some() {
                return Err(refuse(msg!(
                    "{name} is given twice (again by {flag}): give each figure once",
                    "“{name}”重复给出（{flag} 再次给出）：每项数字只给一次"
                )));
            }
            Ok(())
        };
        let named = [
            ("deaths", "--deaths", self.deaths),
            ("missing", "--missing", self.missing),
            (
                "serious_injuries",
                "--serious-injuries",
                self.serious_injuries,
            ),
            ("injuries", "--injuries", self.injuries),
            ("trapped", "--trapped", self.trapped),
            ("evacuated", "--evacuated", self.evacuated),
        ];
        for (name, flag, value) in named {
            if let Some(v) = value {
                put(name, flag, v)?;
            }
        }
        if let Some(loss) = &self.loss {
            put("direct_loss", "--loss", parse_amount(loss).map_err(refuse)?)?;
        }
        for pair in &self.figures {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(refuse(msg!(
                    "--figure `{pair}` needs a name and a number, e.g. --figure hospitalized=2",
                    "--figure “{pair}”应为名称和数字，例如 --figure hospitalized=2"
                )));
            };
            let name = name.trim();
            rules.known_figure(name).map_err(refuse)?;
            let v = if name == "direct_loss" {
                parse_amount(value).map_err(refuse)?
            } else {
                value.trim().parse().map_err(|_| {
                    refuse(msg!(
                        "--figure {name}={value}: `{value}` is not a whole number",
                        "--figure {name}={value}：“{value}”不是整数"
                    ))
                })?
            };
            put(name, "--figure", v)?;
        }
        Ok(f)
    }

    /// The certainty given, as the officer typed it: the id or its Chinese words.
    pub fn status(&self) -> Result<Option<CauseStatus>> {
        let Some(typed) = self.cause_status.as_deref() else {
            return Ok(None);
        };
        let alias = match typed.trim() {
            "不明" | "未知" => Some("unknown"),
            "初步" | "初判" => Some("preliminary"),
            "已确认" | "确认" | "查明" => Some("confirmed"),
            _ => None,
        };
        let id = match alias {
            Some(id) => id.to_owned(),
            None => crate::rules::resolve(
                typed,
                &[
                    ("unknown", "原因不明"),
                    ("preliminary", "初步判断"),
                    ("confirmed", "已查明"),
                ],
                ("cause status", "原因确定程度"),
            )
            .map_err(refuse)?,
        };
        Ok(CauseStatus::parse(&id))
    }

    /// The cause given, with its certainty.
    pub fn cause(&self) -> Result<Option<Cause>> {
        match (&self.cause, self.status()?) {
            (Some(text), status) => Ok(Some(Cause {
                text: clean_text("--cause", text).map_err(refuse)?,
                status: status.unwrap_or(CauseStatus::Preliminary),
            })),
            // The status says it; no words are stored, so what is stored never depends on the
            // display language.
            (None, Some(CauseStatus::Unknown)) => Ok(Some(Cause {
                text: String::new(),
                status: CauseStatus::Unknown,
            })),
            (None, Some(_)) => Err(refuse(msg!(
                "--cause-status needs --cause with the cause itself",
                "--cause-status 需与 --cause（原因内容）一同给出"
            ))),
            (None, None) => Ok(None),
        }
    }

    /// The report these flags and a main text make.
    pub fn report(&self, text: String, rules: &Rules) -> Result<Report> {
        Ok(Report {
            text,
            measures: self
                .measures
                .as_deref()
                .map(|m| clean_text("--measures", m))
                .transpose()
                .map_err(refuse)?,
            figures: self.figures(rules)?,
            cause: self.cause()?,
        })
    }

    /// Whether any content flag was given (a correction must change something).
    pub fn any(&self) -> bool {
        self.measures.is_some()
            || self.deaths.is_some()
            || self.missing.is_some()
            || self.serious_injuries.is_some()
            || self.injuries.is_some()
            || self.trapped.is_some()
            || self.evacuated.is_some()
            || self.loss.is_some()
            || !self.figures.is_empty()
            || self.cause.is_some()
            || self.cause_status.is_some()
    }

    /// What was typed, for a draft.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "measures": self.measures,
            "deaths": self.deaths,
            "missing": self.missing,
            "serious_injuries": self.serious_injuries,
            "injuries": self.injuries,
            "trapped": self.trapped,
            "evacuated": self.evacuated,
            "loss": self.loss,
            "figures": self.figures,
            "cause": self.cause,
            "cause_status": self.cause_status,
        })
    }
}
