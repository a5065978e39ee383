//! `period close` and `period list`: freezing what was reported.

use clap::Args;
use clap::Subcommand;

use super::Context;
use super::emit;
use crate::period::PeriodSpec;
use crate::render;

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
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// A year (2023) or a half-year (2024H1, 2024H2)
    pub period: PeriodSpec,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

#[derive(Debug, Args)]
pub struct PeriodListArgs {
    #[arg(long, value_enum, default_value_t = super::graph::GraphFormat::Table)]
    pub format: super::graph::GraphFormat,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

pub fn run_period(ctx: &Context, cmd: &PeriodCommand) -> anyhow::Result<()> {
    let store = ctx.open_store()?;
    match cmd {
        PeriodCommand::Close(a) => {
            if matches!(a.period, PeriodSpec::Day(_)) {
                let msg = "a period to close is a year (2023) or a half-year (2024H1), not a day";
                return Err(crate::Error::refused(msg).into());
            }
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let closed = store.close_period(&strategy.id, a.period, chrono::Utc::now())?;
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
        PeriodCommand::List(a) => {
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let periods = store.closed_periods(&strategy.id)?;
            let out = match a.format {
                super::graph::GraphFormat::Json => render::json(&periods)?,
                super::graph::GraphFormat::Table => render::table_rows(
                    ctx.color,
                    &["period", "from", "to", "closed at", "content hash"],
                    periods.iter().map(|p| {
                        vec![
                            p.period.clone(),
                            p.first_day.to_string(),
                            p.last_day.to_string(),
                            p.closed_at.clone(),
                            p.content_hash.clone(),
                        ]
                    }),
                ),
            };
            emit(None, out.as_bytes())
        }
    }
}
