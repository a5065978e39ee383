//! `indicator list` and `indicator show`: indicators against their targets.

use clap::Args;
use clap::Subcommand;

use super::Context;
use super::StrategyArgs;
use crate::render;
use crate::render::ListFormat;
use crate::views::indicator as view;

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// List the indicators with their latest value, trend and course per segment
    #[command(
        after_help = "Examples:\n  actionplan indicator list --strategy fdn\n  actionplan indicator list --year 2024 --format csv"
    )]
    List(IndicatorListArgs),
    /// Show one indicator: the series per segment, changes, target, gap and course
    #[command(after_help = "Example:\n  actionplan indicator show ki-bruk --strategy fdn")]
    Show(IndicatorShowArgs),
}

#[derive(Debug, Args)]
pub struct IndicatorListArgs {
    /// Only measurements up to this year [default: all]
    #[arg(long)]
    pub year: Option<crate::period::Year>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Args)]
pub struct IndicatorShowArgs {
    pub id: String,
    /// Only measurements up to this year [default: all]
    #[arg(long)]
    pub year: Option<crate::period::Year>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_indicator(ctx: &Context, cmd: &IndicatorCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let today = super::today();
    let mut out = Vec::new();
    match cmd {
        IndicatorCommand::List(a) => {
            let year = a.year.map(|y| y.get());
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::list(&store, strategy.as_deref(), today, year)?;
            let lang = ctx.lang(a.lang.lang);
            render::indicator::indicator_list(&v, a.format, lang, ctx.style(), &mut out)?;
        }
        IndicatorCommand::Show(a) => {
            let year = a.year.map(|y| y.get());
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::show(&store, strategy.as_deref(), today, year, &a.id)?;
            let lang = ctx.lang(a.lang.lang);
            render::indicator::indicator_show(&v, a.format, lang, ctx.style(), &mut out)?;
        }
    }
    ctx.emit(None, &out)
}
