//! `diff` and `lint`: reviewing a year's reporting before it goes to Skate.

use clap::Args;
use clap::ValueEnum;

use super::Context;
use super::ListFormat;
use super::emit;
use crate::period::PeriodSpec;
use crate::render;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Markdown,
    Json,
}

/// Show what changed between two points in time.
///
/// Status transitions, initiatives completed, new in the plan, withdrawn, due dates moved
/// later, owners and dependencies changed. A point is a year (its 31 December), a half-year
/// (2024H1 = 30 June) or a date.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan diff 2022 2023\n  actionplan diff 2024H1 2024H2 --format markdown > endringer.md\n  actionplan diff 2023-06-30 2023-12-31 --format json"
)]
pub struct DiffArgs {
    /// From: 2022, 2024H1 or 2024-03-31
    pub from: PeriodSpec,
    /// To: 2023, 2024H2 or 2024-12-31
    pub to: PeriodSpec,
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

/// Flag status reports that look better than the facts under them, or have gone stale.
///
/// Rules: green-over-red (on track or completed while a dependency is delayed),
/// completed-open-milestones, same-report (same status and nearly the same text three years
/// in a row), silent (no update for two years while active), always-green (on track in every
/// update so far). Each finding names the initiative and its owner.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan lint 2023\n  actionplan lint 2023 --format csv > avvik.csv\n  actionplan lint 2023 --strict   # exit 1 when there are findings"
)]
pub struct LintArgs {
    pub year: i32,
    /// Judge the data as of this day [default: 31 December]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Exit with 1 when there is any finding (for scripts)
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

pub fn run_diff(ctx: &Context, a: &DiffArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let d = crate::diff::diff(&store, &strategy.id, a.from.last_day(), a.to.last_day())?;
    let out = match a.format {
        DiffFormat::Json => render::json(&d)?,
        DiffFormat::Markdown => render::review::diff_text(&d, true),
        DiffFormat::Table => render::review::diff_text(&d, false),
    };
    emit(None, out.as_bytes())
}

pub fn run_lint(ctx: &Context, a: &LintArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(a.strategy.as_deref())?;
    let findings = crate::lint::lint(&store, &strategy.id, a.year, a.as_of)?;
    let header = ["rule", "owner", "initiative", "finding"];
    let out = match a.format {
        ListFormat::Json => render::json(&findings)?,
        ListFormat::Csv => render::csv_rows(&header, render::review::lint_rows(&findings))?,
        ListFormat::Table if findings.is_empty() => String::new(),
        ListFormat::Table => {
            render::table_rows(ctx.color, &header, render::review::lint_rows(&findings))
        }
    };
    emit(None, out.as_bytes())?;
    say!(
        "{} finding{}",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" }
    );
    if a.strict && !findings.is_empty() {
        return Err(crate::Error::refused(format!(
            "lint found {} problem(s) in {}",
            findings.len(),
            a.year
        ))
        .into());
    }
    Ok(())
}
