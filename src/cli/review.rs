//! `diff` and `lint`: reviewing a year's reporting before it goes to Skate.

use clap::Args;

use super::AsOfArgs;
use super::Context;
use super::StrategyArgs;
use crate::period::PeriodSpec;
use crate::period::Year;
use crate::render;
use crate::render::ListFormat;
use crate::render::review::DiffFormat;

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
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
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
    pub year: Year,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    /// Exit with 1 when there is any finding (for scripts)
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_diff(ctx: &Context, a: &DiffArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(ctx.strategy(&store, &a.strategy)?.as_deref())?;
    let d = crate::diff::diff(&store, &strategy.id, a.from.last_day(), a.to.last_day())?;
    let mut out = Vec::new();
    render::review::diff(&d, a.format, ctx.lang(a.lang.lang), &mut out)?;
    ctx.emit(None, &out)
}

pub fn run_lint(ctx: &Context, a: &LintArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let strategy = store.resolve_strategy(ctx.strategy(&store, &a.strategy)?.as_deref())?;
    let lint = crate::lint::lint(&store, &strategy.id, a.year.get(), a.as_of.as_of)?;
    let lang = ctx.lang(a.lang.lang);
    // Millions of rows at 100,000 initiatives: printed as they are written, never held.
    super::emit_streamed(None, |mut out| {
        render::review::lint(&lint, a.format, lang, ctx.style(), &mut out)
    })?;
    match lang {
        crate::render::Lang::Nb => say!("{} funn", lint.len()),
        crate::render::Lang::En => say!(
            "{} finding{}",
            lint.len(),
            if lint.len() == 1 { "" } else { "s" }
        ),
    }
    if a.strict && !lint.is_empty() {
        return Err(crate::Error::refused(format!(
            "lint found {} problem(s) in {}",
            lint.len(),
            a.year
        ))
        .into());
    }
    Ok(())
}
