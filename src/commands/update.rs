//! `sitrep update`: a follow-up report (续报进展).

use std::io::Write;

use anyhow::Result;

use super::report_flags::ReportFlags;
use crate::context::Ctx;
use crate::error::Exit;
use crate::rules::Stage;

/// A follow-up report.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sitrep update 20260310-001 --progress '泄漏已封堵，现场空气检测正常' \\\n    --measures '继续监测，疏散群众陆续返回' --injuries 3"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// What has happened since the last report
    #[arg(long, value_name = "TEXT")]
    pub progress: Option<String>,
    /// Declare the severity class from this report on (a determination made since, such as
    /// "major" or "material"); never below the current one
    #[arg(long, value_name = "CLASS")]
    pub severity: Option<String>,
    #[command(flatten)]
    pub report: ReportFlags,
    /// When this report is made [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Write the progress and measures in $VISUAL/$EDITOR
    #[arg(long)]
    pub edit: bool,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    super::reporting::report(
        ctx,
        Stage::Followup,
        &a.id,
        a.progress,
        a.severity,
        a.report,
        a.at,
        a.edit,
        out,
    )
}
