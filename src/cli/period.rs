//! `period close` and `period list`: freezing what was reported.

use clap::Args;
use clap::Subcommand;

use super::Context;
use super::StrategyArgs;
use crate::period::PeriodSpec;
use crate::render;
use crate::render::ListFormat;

#[derive(Debug, Subcommand)]
pub enum PeriodCommand {
    /// Close a year or half-year: record its content hash and refuse later updates dated in it
    ///
    /// After closing, a load with updates dated inside the period is refused unless it is
    /// marked as a correction (`load --correction "reason"`); corrections are stored and shown
    /// apart in the report.
    #[command(
        after_help = "Examples:\n  actionplan period close 2023\n  actionplan period close 2024H1 --strategy eos"
    )]
    Close(CloseArgs),
    /// List the closed periods with their content hashes
    #[command(after_help = "Example:\n  actionplan period list")]
    List(PeriodListArgs),
    /// Check that each closed period's record is as it was when it closed
    ///
    /// Recomputes each closed period's content hash from the rows, as the record stood at the
    /// close, and compares it with the hash recorded then. Exit 1 when one differs: the rows were
    /// changed behind actionplan's back. Also shows the hash as the record stands now, and how
    /// many corrections since the close explain a difference there.
    #[command(
        after_help = "Examples:\n  actionplan period verify\n  actionplan period verify 2021"
    )]
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Only this period (as listed by `period list`)
    pub period: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// A year (2023) or a half-year (2024H1, 2024H2)
    pub period: PeriodSpec,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Args)]
pub struct PeriodListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_period(ctx: &Context, cmd: &PeriodCommand) -> anyhow::Result<()> {
    let mut out = Vec::new();
    match cmd {
        PeriodCommand::Close(a) => {
            let store = ctx.open_store()?;
            let strategy = store.resolve_strategy(ctx.strategy(&store, &a.strategy)?.as_deref())?;
            let closed =
                store.close_period(&strategy, a.period, chrono::Utc::now(), super::today())?;
            say!(
                "closed {} ({} – {}) for {}: content hash {}",
                closed.period,
                closed.first_day,
                closed.last_day,
                strategy.id,
                closed.content_hash
            );
            Ok(())
        }
        PeriodCommand::Verify(a) => {
            let mut store = ctx.read_store()?;
            let strategy = store.resolve_strategy(ctx.strategy(&store, &a.strategy)?.as_deref())?;
            let checks = store.verify_periods(&strategy.id, a.period.as_deref())?;
            if let Some(p) = &a.period
                && checks.is_empty()
            {
                return Err(crate::Error::refused_with_hint(
                    format!("{p} is not a closed period of {}", strategy.id),
                    "`actionplan period list` shows the closed periods",
                )
                .into());
            }
            let lang = ctx.lang(a.lang.lang);
            render::period::period_verify(&checks, a.format, lang, ctx.style(), &mut out)?;
            ctx.emit(None, &out)?;
            let broken: Vec<&str> = checks
                .iter()
                .filter(|c| !c.intact)
                .map(|c| c.period.as_str())
                .collect();
            if broken.is_empty() {
                Ok(())
            } else {
                Err(crate::Error::refused_with_hint(
                    format!(
                        "the record of {} is not as it was when it closed",
                        broken.join(", ")
                    ),
                    "its rows were changed outside actionplan: restore the database from a backup",
                )
                .into())
            }
        }
        PeriodCommand::List(a) => {
            let store = ctx.read_store()?;
            let strategy = store.resolve_strategy(ctx.strategy(&store, &a.strategy)?.as_deref())?;
            let periods = store.closed_periods(&strategy.id)?;
            let lang = ctx.lang(a.lang.lang);
            render::period::period_list(&periods, a.format, lang, ctx.style(), &mut out)?;
            ctx.emit(None, &out)
        }
    }
}
