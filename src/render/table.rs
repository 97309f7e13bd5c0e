//! Tables for people, with comfy-table.
//!
//! Rules: borders are ASCII (`+ - = |`), single width in every terminal font, because box-drawing
//! characters are ambiguous-width in CJK fonts and would misalign Chinese cells. Width comes from
//! `COLUMNS` or the terminal; when it is unknown, or too narrow to be useful, cells do not wrap.
//! Colour marks overdue, late and skipped (red) and due-soon (yellow), only when colour is on.

use comfy_table::presets::ASCII_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use crate::engine::{FindingKind, StepStatus};
use crate::i18n::Label;

/// How tables are laid out on this output.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub width: Option<u16>,
    pub tty: bool,
    pub color: bool,
}

/// Below this width wrapping does more harm than good: tables keep their natural width.
const NARROWEST: u16 = 30;

/// A table with sitrep's style and the given header.
pub fn new(layout: Layout, header: &[Label]) -> Table {
    let mut t = Table::new();
    t.load_style(ASCII_FULL_CONDENSED);
    match layout.width {
        Some(w) if w >= NARROWEST => {
            t.set_width(w);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        Some(_) => {
            t.force_no_tty();
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        None if layout.tty => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.force_no_tty();
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if layout.color {
        t.enforce_styling();
    }
    if header.is_empty() {
        return t;
    }
    let cells: Vec<Cell> = header
        .iter()
        .map(|l| {
            let c = Cell::new(l.text());
            if layout.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect();
    t.set_header(cells);
    t
}

/// A plain cell.
pub fn cell(text: impl ToString) -> Cell {
    Cell::new(text.to_string())
}

fn paint(text: String, color: Option<Color>, on: bool) -> Cell {
    match (color, on) {
        (Some(c), true) => Cell::new(text).fg(c),
        _ => Cell::new(text),
    }
}

/// A cell coloured by finding kind.
pub fn finding_cell(text: String, kind: FindingKind, on: bool) -> Cell {
    let color = match kind {
        FindingKind::Overdue | FindingKind::Late | FindingKind::Skipped => Some(Color::Red),
        FindingKind::DueSoon => Some(Color::Yellow),
        FindingKind::Incomplete | FindingKind::PrematureCause => Some(Color::Magenta),
    };
    paint(text, color, on)
}

/// A cell coloured by step status.
pub fn status_cell(text: String, status: StepStatus, on: bool) -> Cell {
    let color = match status {
        StepStatus::Overdue | StepStatus::Late | StepStatus::Skipped => Some(Color::Red),
        StepStatus::Done => Some(Color::Green),
        StepStatus::Pending | StepStatus::NotApplicable => None,
    };
    paint(text, color, on)
}

/// A step status for people.
pub fn status_text(s: StepStatus) -> &'static str {
    let (en, zh) = match s {
        StepStatus::Done => ("done", "已完成"),
        StepStatus::Late => ("late", "迟报"),
        StepStatus::Overdue => ("overdue", "已超时"),
        StepStatus::Skipped => ("skipped", "越级/漏报"),
        StepStatus::Pending => ("pending", "待办"),
        StepStatus::NotApplicable => ("n/a", "不适用"),
    };
    crate::i18n::pick(en, zh)
}

/// A finding kind for people.
pub fn kind_text(k: FindingKind) -> &'static str {
    let (en, zh) = match k {
        FindingKind::Overdue => ("overdue", "超时未报"),
        FindingKind::Late => ("late", "迟报"),
        FindingKind::Skipped => ("skipped", "越级/漏报"),
        FindingKind::Incomplete => ("incomplete", "内容不全"),
        FindingKind::PrematureCause => ("premature cause", "原因报告过早"),
        FindingKind::DueSoon => ("due soon", "即将到期"),
    };
    crate::i18n::pick(en, zh)
}
