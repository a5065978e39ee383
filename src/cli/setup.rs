//! `init`, `completions` and `man`: getting started and fitting into the shell.

use std::path::PathBuf;

use chrono::Datelike;
use clap::Args;
use clap::CommandFactory;

use super::Cli;
use crate::error::Error;
use crate::output::NewFile;
use crate::parse::reader::slugify;

/// Start a new plan folder: a commented plan, an empty status folder and a narrative.
///
/// The files pass `actionplan check` as they are, and every field is explained in comments.
/// Where no project file (`actionplan.toml`) is found in the working folder or above it, one
/// is written in the working folder, with the new strategy as the default; an existing one is
/// kept as it is.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan init plans/min-strategi --title \"Digitaliseringsstrategi for Eksempelby\" --start 2025 --end 2030\n  actionplan check plans/min-strategi"
)]
pub struct InitArgs {
    /// Folder to create the plan in (created if missing; files in it are kept unless --force)
    pub dir: PathBuf,
    /// Strategy id [default: from the folder's name]
    #[arg(long)]
    pub id: Option<String>,
    /// Strategy title
    #[arg(long, default_value = "Min digitaliseringsstrategi")]
    pub title: String,
    /// First year of the strategy period [default: this year]
    #[arg(long)]
    pub start: Option<crate::period::Year>,
    /// Last year of the strategy period [default: start + 5]
    #[arg(long)]
    pub end: Option<crate::period::Year>,
    /// Overwrite files that exist there already (never a link or a folder)
    #[arg(long)]
    pub force: bool,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  actionplan completions bash > ~/.local/share/bash-completion/completions/actionplan\n  actionplan completions zsh > ~/.zfunc/_actionplan\n  actionplan completions fish > ~/.config/fish/completions/actionplan.fish"
)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

/// Write man pages, one per verb, into a folder.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  actionplan man --out ~/.local/share/man/man1 && man actionplan-report"
)]
pub struct ManArgs {
    /// Folder to write the pages to (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run_completions(a: &CompletionsArgs) -> anyhow::Result<()> {
    clap_complete::generate(
        a.shell,
        &mut Cli::command(),
        "actionplan",
        &mut std::io::stdout(),
    );
    Ok(())
}

pub fn run_man(a: &ManArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    clap_mangen::generate_to(Cli::command(), &a.out).map_err(|e| Error::io(&a.out, e))?;
    let n = std::fs::read_dir(&a.out)
        .map_err(|e| Error::io(&a.out, e))?
        .count();
    say!("wrote {n} man pages to {}", a.out.display());
    Ok(())
}

pub fn run_init(a: &InitArgs) -> anyhow::Result<()> {
    let id = match &a.id {
        Some(id) => id.clone(),
        None => {
            let name = a
                .dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("strategi");
            Some(slugify(name))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "strategi".into())
        }
    };
    if !crate::parse::reader::is_valid_id(&id) {
        return Err(Error::refused_with_hint(
            format!("`{id}` is not a valid strategy id"),
            format!("ids use only a-z, 0-9 and '-': try --id {}", slugify(&id)),
        )
        .into());
    }
    let start = a
        .start
        .map_or_else(|| chrono::Local::now().year(), |y| y.get());
    let end = a.end.map_or(start + 5, |y| y.get());
    if end < start {
        return Err(Error::refused(format!(
            "the period ends ({end}) before it starts ({start})"
        ))
        .into());
    }
    // All three or none; what is there already is kept unless --force (see crate::output).
    let file = |name: &str, text: String| NewFile {
        name: name.into(),
        content: text.into_bytes(),
    };
    crate::output::create_files(
        &a.dir,
        &[
            file("plan.toml", plan_template(&id, &a.title, start, end)),
            file("status/.gitkeep", String::new()),
            file(
                &format!("report-{start}.toml"),
                narrative_template(&id, start),
            ),
        ],
        a.force,
    )?;
    say!(
        "created {}: plan.toml, status/, report-{start}.toml",
        a.dir.display()
    );
    project_file(&id)?;
    say!(
        "next: edit plan.toml, then `actionplan check {0}` and `actionplan load {0}`",
        a.dir.display()
    );
    Ok(())
}

/// Writes the project file in the working folder unless one is found there or above it (then
/// says whether it names another strategy).
fn project_file(id: &str) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    if let Some(found) = crate::project::find(&cwd) {
        let project = crate::project::read(&found)?;
        match project.strategy {
            Some(s) if s.value != id => say!(
                "kept {}: its default strategy is `{}`; use --strategy {id}, or edit it",
                found.display(),
                s.value
            ),
            _ => {}
        }
        return Ok(());
    }
    crate::output::create_files(
        &cwd,
        &[NewFile {
            name: crate::project::FILE_NAME.into(),
            content: crate::project::template(id).into_bytes(),
        }],
        false,
    )?;
    say!(
        "created {}: the database and strategy `{id}` are this folder's defaults",
        crate::project::FILE_NAME
    );
    Ok(())
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn plan_template(id: &str, title: &str, start: i32, end: i32) -> String {
    format!(
        r#"# The action plan (handlingsplan) of one strategy. `actionplan check` validates this file;
# `actionplan load` records it. Loading a changed version later is a plan revision: new items
# are added, changed ones updated, and items you delete are marked withdrawn (never lost).
# Ids are slugs: a-z, 0-9 and '-'. Dates are written 2025-06-30.

[strategy]
id = {id}                      # used by forms, narratives and --strategy
title = {title}
period = {{ start = {start}, end = {end} }}   # years, inclusive
# description = "…"                            # optional

# Every agency or body the plan names: owners, ministries, participants.
[[organisation]]
id = "programkontoret"
name = "Programkontoret"
short = "PK"                                  # optional: shown in tables
kind = "state"                                # optional: state | municipal | ministry | council | private | other

# Focus areas (innsatsområder) group the initiatives.
[[focus_area]]
id = "sammenhengende-tjenester"
title = "Sammenhengende tjenester"
goal = "Hva skal vi oppnå? Skriv målet for innsatsområdet her."

# Initiatives (initiativer). Copy this block for each one and remove the leading '# '.
# [[initiative]]
# id = "felles-innlogging"
# title = "Felles innlogging"
# focus_area = "sammenhengende-tjenester"     # a focus area id above
# kind = "initiative"                         # initiative | supporting-measure | life-event | proposed
# owner = "programkontoret"                   # the executing agency (utførende virksomhet)
# ministry = "programkontoret"                # optional: the responsible ministry
# participants = []                           # optional: organisation ids
# start = {start}-01-01                         # optional
# due = {start}-12-31                           # optional
# depends_on = []                             # optional: initiatives that must come first
# tags = []                                   # optional
# description = "Hvilket problem løser initiativet, og for hvem?"
#
#   [[initiative.milestone]]                  # optional, any number
#   title = "Pilot i to etater"
#   due = {start}-06-30
#   # done = {start}-06-15                      # when it was reached

# Indicators measure the goals; values are loaded from a CSV file with the header
# indicator,segment,year,value,source
# [[indicator]]
# id = "digitale-soknader"
# title = "Andel søknader levert digitalt"
# focus_area = "sammenhengende-tjenester"
# unit = "percent"                            # percent | count | score | index | rank
# better = "higher"                           # higher | lower
# segments = ["kommune"]
# targets = [{{ year = {end}, value = 90.0 }}]
"#,
        id = quoted(id),
        title = quoted(title),
    )
}

fn narrative_template(id: &str, year: i32) -> String {
    format!(
        r#"# What the programme office writes for the {year} experience report (erfaringsrapport).
# Everything but `strategy` and `year` is optional; the numbers come from the status forms.

[report]
strategy = {id}
year = {year}
title = "Erfaringsrapport {year}"
summary = []                                  # bullet points: ["…", "…"]

# How the work goes (Hvordan går arbeidet?), one block per focus area:
# [[focus_area]]
# id = "sammenhengende-tjenester"
# progress = "…"

# Drivers (drivkrefter) and recommendations (anbefalinger):
# [[driver]]
# title = "…"
# text = "…"
#
# [[recommendation]]
# title = "…"
# text = "…"
"#,
        id = quoted(id),
    )
}

/// Upgrade the database file to this actionplan's schema.
///
/// Commands that write (load, status set, period close) upgrade the database as they go;
/// commands that read never do, and read an older database through an upgraded copy in memory.
/// This upgrades the file itself, once, so that reads need no copy.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  actionplan --db archive/2021.db migrate")]
pub struct MigrateArgs {}

pub fn run_migrate(ctx: &super::Context) -> anyhow::Result<()> {
    let (before, after) = crate::store::Store::migrate(&ctx.db)?;
    if before == after {
        say!(
            "{} is at schema version {after}: nothing to do",
            ctx.db.display()
        );
    } else {
        say!(
            "upgraded {} from schema version {before} to {after}",
            ctx.db.display()
        );
    }
    Ok(())
}
