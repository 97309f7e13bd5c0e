//! `sitrep close`: the final report (终报); closes the incident. Recorded by the path it shares
//! with `update` (`reporting.rs`).

use std::io::Write;

use anyhow::Result;

use super::report_flags::ReportFlags;
use crate::context::Ctx;
use crate::error::Exit;
use crate::rules::Stage;

/// The final report.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sitrep close 20260310-001 --summary '泄漏处置完毕，无人员死亡，2人轻伤已出院' \\\n    --cause '阀门密封件老化' --cause-status preliminary"
)]
pub struct Args {
    /// The incident id, e.g. 20260310-001
    pub id: String,
    /// How it ended
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    #[command(flatten)]
    pub report: ReportFlags,
    /// When this report is made [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Write the summary and measures in $VISUAL/$EDITOR
    #[arg(long)]
    pub edit: bool,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<Exit> {
    super::reporting::report(
        ctx,
        Stage::Final,
        &a.id,
        a.summary,
        None,
        a.report,
        a.at,
        a.edit,
        out,
    )
}
