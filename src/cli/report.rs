//! `report`: the yearly experience report in five formats.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use clap::Args;

use super::AsOfArgs;
use super::Context;
use super::StrategyArgs;
use crate::period::Year;
use crate::render;
use crate::render::Lang;
use crate::render::ReportFormat;
use crate::report::ReportOptions;
use crate::report::build_report;

/// Render the experience report (erfaringsrapport) for a year.
///
/// First the briefing: the summary, "are we on track?", what needs attention (delayed, at risk
/// or overdue, and who waits on it), what Skate is asked to decide, goal achievement and the
/// indicators. Then the details: status changes since last year, each focus area with its
/// initiatives, the plan's changes, missing updates, drivers and recommendations, and the
/// appendix of answers — as of 31 December of the year, or of --as-of.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan report 2020\n  actionplan report 2020 --output erfaringsrapport-2020.html\n  actionplan report 2020 --output erfaringsrapport-2020.pdf\n  actionplan report 2021 --as-of 2021-06-30 --format markdown --lang en"
)]
pub struct ReportArgs {
    pub year: Year,
    /// Output format [default: from the --output file's extension (.txt .md .html .csv .json
    /// .pdf), else table]. `pdf` prints the HTML page with headless Chromium.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Labels language (data stays as written) [default: ACTIONPLAN_LANG, else the project
    /// file's `lang`, else en]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    /// Show the record as it stood at this moment: a date (the end of that day, UTC) or a
    /// time (2024-02-01T12:00:00Z). Later loads and corrections are left out.
    #[arg(long, value_name = "WHEN", value_parser = parse_moment)]
    pub as_known_at: Option<DateTime<Utc>>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// A date means the end of that day (UTC); a full RFC 3339 time is taken as written.
fn parse_moment(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_micro_opt(23, 59, 59, 999_999))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            format!("`{s}` is neither a date (2024-02-01) nor a time (2024-02-01T12:00:00Z)")
        })
}

/// `--format`, else what the `--output` file's extension names, else the table.
fn format_of(a: &ReportArgs) -> ReportFormat {
    a.format
        .or_else(|| a.output.as_deref().and_then(ReportFormat::from_extension))
        .unwrap_or(ReportFormat::Table)
}

pub fn run_report(ctx: &Context, a: &ReportArgs) -> anyhow::Result<()> {
    let format = format_of(a);
    if format.is_binary() && a.output.is_none() && std::io::stdout().is_terminal() {
        return Err(crate::Error::refused_with_hint(
            "a PDF is not for the terminal",
            "give --output FILE (for example --output erfaringsrapport.pdf)",
        )
        .into());
    }
    let store = ctx.read_store()?;
    let store = match a.as_known_at {
        Some(t) => store.known_at(t),
        None => store,
    };
    let strategy = ctx.strategy(&store, &a.strategy)?;
    let report = build_report(
        &store,
        &ReportOptions {
            strategy,
            year: a.year.get(),
            as_of: a.as_of.as_of,
        },
    )?;
    let lang = ctx.lang(a.lang);
    // Colours only on a terminal, never into a file.
    let style = render::Style {
        color: ctx.color && a.output.is_none(),
    };
    if format.is_binary() {
        let mut out = Vec::new();
        render::report(&report, format, lang, style, &mut out)?;
        return super::emit_bytes(a.output.as_ref(), &out);
    }
    super::emit_streamed(a.output.as_ref(), |out| {
        render::report(&report, format, lang, style, &mut { out })?;
        // The process ends once the report is out: the system takes its memory back at once,
        // where dropping it frees a national plan's strings one by one (a fiftieth of the verb).
        std::mem::forget(report);
        Ok(())
    })
}
