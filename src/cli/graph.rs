//! `graph`: dependency analysis — check, impact, order, critical path and pictures. The models
//! are `views::graph`'s, the printing `render::graph`'s. See docs/graph.md.

use clap::Args;
use clap::Subcommand;
use clap::ValueEnum;

use super::AsOfArgs;
use super::Context;
use super::StrategyArgs;
use crate::error::Error;
use crate::render;
use crate::render::ListFormat;
use crate::views::graph as view;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DrawingFormat {
    Dot,
    Mermaid,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    Check(CheckArgs),
    Impact(ImpactArgs),
    Order(OrderArgs),
    CriticalPath(CriticalPathArgs),
    Export(GraphExportArgs),
}

/// Check the dependencies: cycles, undelivered dependencies, schedule and status conflicts.
///
/// Cycles are errors (exit 1). Warnings: a dependency that is withdrawn, only proposed,
/// cancelled or not in the plan; an initiative due before something it depends on is due; an
/// initiative on track or completed while a dependency is delayed, or completed before a
/// dependency was completed. Statuses as of --as-of.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph check\n  actionplan graph check --as-of 2021-12-31 --format json"
)]
pub struct CheckArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// What depends on an initiative, transitively: what a delay hits, grouped by owner.
///
/// Each initiative hit is shown with its depth (1: depends on ID directly), its status as of
/// --as-of and the initiative it is reached through (one step nearer ID).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph impact ressurssenter-data\n  actionplan graph impact nett --as-of 2022-12-31 --format json"
)]
pub struct ImpactArgs {
    /// The initiative whose delay to follow
    pub id: String,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// The order work can go in, in levels.
///
/// Level 1 depends on nothing; every other initiative sits one level above the highest of its
/// dependencies. Within a level, plan order.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph order\n  actionplan graph order --format json"
)]
pub struct OrderArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// The chain of dependencies that finishes last, on the calendar.
///
/// Each initiative starts no earlier than its own start, nor before what it depends on is due
/// to finish, and lasts from its start to its due date. Shown: the chain, when it starts and
/// finishes, how late each link runs against its own due date, and the slack to the end of
/// the strategy period.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph critical-path\n  actionplan graph critical-path --strategy eos --format json"
)]
pub struct CriticalPathArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

/// Draw the dependency graph for Graphviz (dot) or Mermaid.
///
/// Edges point from a dependency to what depends on it. Nodes are coloured by status (green
/// on-track, amber at-risk, red delayed, blue completed, grey not-started, paused or none,
/// black cancelled) and grouped by focus area; an edge is red when its dependency is delayed
/// or at risk. --focus draws one initiative with everything upstream and downstream of it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan graph export --format dot | dot -Tsvg > graf.svg\n  actionplan graph export --format mermaid --focus ressurssenter-data"
)]
pub struct GraphExportArgs {
    #[arg(long, value_enum, default_value_t = DrawingFormat::Dot)]
    pub format: DrawingFormat,
    /// Only this initiative and what is connected to it, transitively
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_graph(ctx: &Context, cmd: &GraphCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let mut out = Vec::new();
    let style = ctx.style();
    match cmd {
        GraphCommand::Check(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::check(&store, strategy.as_deref(), a.as_of.or_today())?;
            render::graph::check(&v, a.format, ctx.lang(a.lang.lang), style, &mut out)?;
            ctx.emit(None, &out)?;
            let cycles = v.cycles();
            if cycles > 0 {
                let s = if cycles == 1 { "" } else { "s" };
                return Err(Error::refused_with_hint(
                    format!(
                        "the plan has {cycles} dependency cycle{s}: the initiatives on it can never start"
                    ),
                    "remove one `depends_on` entry of each cycle",
                )
                .into());
            }
            return Ok(());
        }
        GraphCommand::Impact(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::impact(&store, strategy.as_deref(), &a.id, a.as_of.or_today())?;
            render::graph::impact(&v, a.format, ctx.lang(a.lang.lang), style, &mut out)?;
        }
        GraphCommand::Order(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::order(&store, strategy.as_deref(), a.as_of.or_today())?;
            render::graph::order(&v, a.format, ctx.lang(a.lang.lang), style, &mut out)?;
        }
        GraphCommand::CriticalPath(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::critical_path(&store, strategy.as_deref(), a.as_of.or_today())?;
            let lang = ctx.lang(a.lang.lang);
            render::graph::critical_path(&v, a.format, lang, style, &mut out)?;
        }
        GraphCommand::Export(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let lang = ctx.lang(a.lang.lang);
            let d = view::drawing(
                &store,
                strategy.as_deref(),
                a.focus.as_deref(),
                a.as_of.or_today(),
            )?;
            out = match a.format {
                DrawingFormat::Dot => render::graph::dot(&d, lang),
                DrawingFormat::Mermaid => render::graph::mermaid(&d, lang),
            }
            .into_bytes();
        }
    }
    ctx.emit(None, &out)
}
