//! `check`, `load` and `initiative`: plans in, plans out.

use std::path::Path;
use std::path::PathBuf;

use clap::Args;
use clap::Subcommand;
use serde::Serialize;

use super::Context;
use super::ListFormat;
use super::emit;
use super::today;
use crate::error::Error;
use crate::model::Kind;
use crate::render;
use crate::store::ItemType;
use crate::suggest::did_you_mean;

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
    #[arg(long, value_name = "ID")]
    pub focus_area: Option<String>,
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(["initiative", "supporting-measure", "life-event", "proposed"]))]
    pub kind: Option<String>,
    /// Include withdrawn initiatives
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Strategy id, when the database holds more than one
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Initiative id
    pub id: String,
    #[arg(long, value_name = "ID")]
    pub strategy: Option<String>,
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

/// One initiative as `initiative list --format json` prints it (a public contract).
#[derive(Debug, Serialize)]
struct ListedInitiative<'a> {
    id: &'a str,
    title: &'a str,
    focus_area: &'a str,
    kind: Kind,
    owner: &'a str,
    ministry: Option<&'a str>,
    participants: &'a [String],
    start: Option<chrono::NaiveDate>,
    due: Option<chrono::NaiveDate>,
    depends_on: &'a [String],
    tags: &'a [String],
    withdrawn: bool,
}

fn check_filter(value: Option<&str>, what: &str, ids: Vec<&str>) -> crate::Result<()> {
    match value {
        Some(v) if !ids.contains(&v) => {
            let hint = did_you_mean(v, ids.iter().copied())
                .unwrap_or_else(|| format!("known: {}", ids.join(", ")));
            Err(Error::refused_with_hint(
                format!("unknown {what} `{v}`"),
                hint,
            ))
        }
        _ => Ok(()),
    }
}

pub fn run_initiative(ctx: &Context, cmd: &InitiativeCommand) -> anyhow::Result<()> {
    let store = ctx.read_store()?;
    match cmd {
        InitiativeCommand::List(a) => {
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let plan = store.plan_on(&strategy.id, super::today())?;
            let areas = plan
                .plan
                .focus_areas
                .iter()
                .map(|f| f.id.as_str())
                .collect();
            check_filter(a.focus_area.as_deref(), "focus area", areas)?;
            let orgs = plan
                .plan
                .organisations
                .iter()
                .map(|o| o.id.as_str())
                .collect();
            check_filter(a.owner.as_deref(), "organisation", orgs)?;
            let rows: Vec<ListedInitiative<'_>> = plan
                .plan
                .initiatives
                .iter()
                .map(|i| ListedInitiative {
                    id: &i.id,
                    title: &i.title,
                    focus_area: &i.focus_area,
                    kind: i.kind,
                    owner: &i.owner,
                    ministry: i.ministry.as_deref(),
                    participants: &i.participants,
                    start: i.start,
                    due: i.due,
                    depends_on: &i.depends_on,
                    tags: &i.tags,
                    withdrawn: plan.is_withdrawn(ItemType::Initiative, &i.id),
                })
                .filter(|r| a.all || !r.withdrawn)
                .filter(|r| a.focus_area.as_deref().is_none_or(|f| r.focus_area == f))
                .filter(|r| a.owner.as_deref().is_none_or(|o| r.owner == o))
                .filter(|r| a.kind.as_deref().is_none_or(|k| r.kind.as_str() == k))
                .collect();
            let out = match a.format {
                ListFormat::Json => render::json(&rows)?,
                ListFormat::Csv => render::csv_rows(
                    &[
                        "id",
                        "title",
                        "focus_area",
                        "kind",
                        "owner",
                        "start",
                        "due",
                        "depends_on",
                        "withdrawn",
                    ],
                    rows.iter().map(|r| {
                        vec![
                            r.id.to_string(),
                            r.title.to_string(),
                            r.focus_area.to_string(),
                            r.kind.to_string(),
                            r.owner.to_string(),
                            render::opt_date(r.start),
                            render::opt_date(r.due),
                            r.depends_on.join(" "),
                            r.withdrawn.to_string(),
                        ]
                    }),
                )?,
                ListFormat::Table => render::table_rows(
                    ctx.color,
                    &[
                        "id",
                        "title",
                        "focus area",
                        "kind",
                        "owner",
                        "due",
                        "depends on",
                    ],
                    rows.iter().map(|r| {
                        vec![
                            if r.withdrawn {
                                format!("{} (withdrawn)", r.id)
                            } else {
                                r.id.to_string()
                            },
                            r.title.to_string(),
                            r.focus_area.to_string(),
                            r.kind.to_string(),
                            r.owner.to_string(),
                            render::opt_date(r.due),
                            r.depends_on.join(", "),
                        ]
                    }),
                ),
            };
            emit(None, out.as_bytes())
        }
        InitiativeCommand::Show(a) => {
            let strategy = store.resolve_strategy(a.strategy.as_deref())?;
            let plan = store.plan(&strategy.id)?;
            let Some(initiative) = plan.initiative(&a.id) else {
                let ids = plan.plan.initiatives.iter().map(|i| i.id.as_str());
                let hint = did_you_mean(&a.id, ids)
                    .unwrap_or_else(|| "list them with: actionplan initiative list".into());
                return Err(Error::refused_with_hint(
                    format!("unknown initiative `{}`", a.id),
                    hint,
                )
                .into());
            };
            let history = store.history(&strategy.id, &a.id)?;
            let text = render::initiative_details(&plan, initiative, &history);
            emit(None, text.as_bytes())
        }
    }
}
