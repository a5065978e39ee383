//! `check`, `load` and `initiative`: plans in, plans out.

use std::path::Path;
use std::path::PathBuf;

use clap::Args;
use clap::Subcommand;

use super::AsOfArgs;
use super::Context;
use super::StrategyArgs;
use super::today;
use crate::render;
use crate::render::ListFormat;
use crate::views::plan as view;

/// Validate plan, form and narrative files without writing anything.
///
/// Every problem is reported, each as `file:line:col: message` with a hint. Forms and
/// narratives are checked against plans given in the same call, else against the database,
/// which is opened read-only: never created, upgraded or changed.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan check plans/\n  actionplan check plans/eos/plan.toml plans/eos/status/"
)]
pub struct CheckArgs {
    /// Files or folders (folders are read recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Load plans, status forms and report narratives into the database.
///
/// Everything is validated first; then all of it is written in one transaction, or none of it.
/// Loading a changed plan is a revision: new items are added, changed ones updated, vanished
/// ones marked withdrawn. Loading the same files again changes nothing.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan load plans/\n  actionplan --db office.db load plans/eos/status/2021-digdir.toml"
)]
pub struct LoadArgs {
    /// Files or folders (a folder: everything in it, plans first)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Accept updates dated inside closed periods as corrections, giving the reason
    #[arg(long, value_name = "REASON", value_parser = super::non_blank)]
    pub correction: Option<String>,
}

/// Browse the plan's initiatives.
#[derive(Debug, Subcommand)]
pub enum InitiativeCommand {
    /// List initiatives, optionally filtered
    #[command(
        after_help = "Examples:\n  actionplan initiative list --owner digdir\n  actionplan initiative list --focus-area deling-av-data --format json"
    )]
    List(ListArgs),
    /// Show one initiative: details, milestones, dependencies both ways, status history
    #[command(after_help = "Example:\n  actionplan initiative show ressurssenter-data")]
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the initiatives of this focus area
    #[arg(long, value_name = "ID")]
    pub focus_area: Option<String>,
    /// Only the initiatives this organisation owns
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// Only initiatives of this kind
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(["initiative", "supporting-measure", "life-event", "proposed"]))]
    pub kind: Option<String>,
    /// Include withdrawn initiatives
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Initiative id
    pub id: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub lang: super::LangArgs,
    #[command(flatten)]
    pub strategy: StrategyArgs,
}

pub fn run_check(ctx: &Context, args: &CheckArgs) -> anyhow::Result<()> {
    let store = ctx.read_store_if_any()?;
    let prepared = crate::load::check(&args.paths, store.as_ref(), today())?;
    print_warnings(&prepared.warnings);
    let counts = prepared.counts;
    say!(
        "ok: {} file{} checked ({} plan, {} form, {} narrative, {} measurements)",
        counts.files(),
        if counts.files() == 1 { "" } else { "s" },
        counts.plans,
        counts.forms,
        counts.narratives,
        counts.measurements
    );
    Ok(())
}

pub fn run_load(ctx: &Context, args: &LoadArgs) -> anyhow::Result<()> {
    let load = |store: &mut crate::store::Store| {
        let activity = super::progress::Activity::start("loading");
        let loaded = crate::load::load(
            store,
            &args.paths,
            today(),
            chrono::Utc::now(),
            args.correction.as_deref(),
        );
        drop(activity);
        loaded
    };
    // A new database is made whole or not at all: a refused load leaves none behind.
    let created = if ctx.db_exists() {
        None
    } else {
        ctx.create_database(load)?
    };
    let (summary, prepared) = match created {
        Some(done) => done,
        None => load(&mut ctx.open_store()?)?,
    };
    print_warnings(&prepared.warnings);
    say!(
        "{}",
        render::load_summary(&summary, prepared.counts.files())
    );
    Ok(())
}

/// Write the whole database as JSON: plans, history, narratives and measurements.
///
/// Loading the export into an empty database (`actionplan load dump.json`) gives the same data
/// back, so it serves as a backup and as a way to move a database between versions.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan export > backup.json\n  actionplan --db copy.db load backup.json"
)]
pub struct ExportArgs {
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run_export(ctx: &Context, args: &ExportArgs) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    match &args.output {
        Some(path) => {
            let activity = super::progress::Activity::start("exporting");
            let written = crate::output::replace_file(path, &[&ctx.db], |out| {
                crate::export::write_export(&store, out, path)
            });
            drop(activity);
            written?;
            say!("wrote {}", path.display());
        }
        None => {
            let activity = super::progress::Activity::start_beside_output("exporting");
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written =
                crate::export::write_export(&store, &mut out, Path::new("standard output"));
            drop(activity);
            written?;
        }
    }
    Ok(())
}

fn print_warnings(warnings: &crate::diagnostic::Diagnostics) {
    for w in &warnings.0 {
        say!("warning: {w}");
    }
}

pub fn run_initiative(ctx: &Context, cmd: &InitiativeCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    let mut out = Vec::new();
    match cmd {
        InitiativeCommand::List(a) => {
            let filter = view::ListFilter {
                focus_area: a.focus_area.clone(),
                owner: a.owner.clone(),
                // The parser admits only the kinds' words.
                kind: a.kind.as_deref().and_then(|k| k.parse().ok()),
                all: a.all,
            };
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let rows = view::list(&store, strategy.as_deref(), a.as_of.or_today(), &filter)?;
            let lang = ctx.lang(a.lang.lang);
            render::plan::initiative_list(&rows, a.format, lang, ctx.style(), &mut out)?;
        }
        InitiativeCommand::Show(a) => {
            let strategy = ctx.strategy(&store, &a.strategy)?;
            let v = view::show(&store, strategy.as_deref(), &a.id)?;
            let lang = ctx.lang(a.lang.lang);
            render::plan::initiative_show(&v, a.format, lang, ctx.style(), &mut out)?;
        }
    }
    ctx.emit(None, &out)
}
